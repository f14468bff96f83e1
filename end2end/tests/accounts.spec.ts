import { expect, test } from "@playwright/test";
import { logIn, open, PASSWORD, register, uniqueEmail } from "./helpers";

test("register, log out, log in and see the dashboard", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Grace Hopper");
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Grace Hopper");
  await expect(page.getByTestId("role")).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);

  await logIn(page, testInfo, email.toUpperCase(), PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Grace Hopper");
  await expect(page.getByTestId("nav-user")).toHaveText("Grace Hopper");
});

test("a wrong password shows the error and keeps the visitor out", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Ada");
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await logIn(page, testInfo, email, "not the right password");
  await expect(page.getByTestId("form-error")).toHaveText(
    "That email and password do not match an account.",
  );
  // The email stays for the next try; the password does not.
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await open(page, testInfo, "/dashboard");
  await expect(page).toHaveURL(/\/login$/);
});

test("registration errors appear next to their fields", async ({ page }, testInfo) => {
  await open(page, testInfo, "/register");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Display name").fill("Ada");
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-email-message")).toContainText("Enter a valid email address");
  await expect(page.locator("#field-password-message")).toContainText("too common");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/register/);
});

test("a reload keeps the session", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Katherine");
  await page.reload();
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Katherine");
  await open(page, testInfo, "/");
  await expect(page.getByRole("link", { name: "Go to your dashboard" })).toBeVisible();
});

test("the demo teacher sees their demo deck", async ({ page }, testInfo) => {
  await logIn(page, testInfo, "teacher@engram.test", "engram-teacher");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("role")).toHaveText("Teacher");
  await expect(page.getByTestId("deck-list")).toContainText("Spanish: first words");
});

test("a crafted error in the login address shows only Engram's own text", async ({ page }, testInfo) => {
  // As leptos_axum writes it: JSON in padded base64url.
  const crafted = Buffer.from(JSON.stringify({ Conflict: "Account suspended. Call +1 555 0100" }))
    .toString("base64")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
  await open(page, testInfo, `/login?__path=/api/login&__err=${encodeURIComponent(crafted)}`);
  await expect(page.getByTestId("form-error")).toBeVisible();
  await expect(page.getByText("555 0100")).toHaveCount(0);
});
