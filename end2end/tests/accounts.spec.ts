import { expect, test } from "@playwright/test";
import { linkSentTo, logIn, open, PASSWORD, register, uniqueEmail } from "./helpers";

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

test("a page left open after logging out in another tab sends its next visit to the login page, once", async ({
  page,
  context,
}, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Tab Left Open");
  await open(page, testInfo, "/stats");
  const other = await context.newPage();
  await open(other, testInfo, "/dashboard");
  await other.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(other).toHaveURL(/\/$/);
  await other.close();

  // The first tab still shows the account it was loaded with. Its next page
  // finds the session gone and goes to the login page, which stays: it
  // once sent the "signed-in" visitor back, and the two took turns for good.
  const dashboardLoads: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/dashboard")) dashboardLoads.push(request.url());
  });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  // (The dashboard is where a login lands anyway: no `next`.)
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expect(page).toHaveURL(/\/login$/);
  expect(dashboardLoads.length).toBeLessThanOrEqual(1);
  // Logged in again there, the learner is back where they were going.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Tab Left Open");
});

test("a setting saved after the session ended elsewhere is not lost without a word", async ({ page, context }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Settings");
  await open(page, testInfo, "/settings");
  const other = await context.newPage();
  await open(other, testInfo, "/dashboard");
  await other.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(other).toHaveURL(/\/$/);
  await other.close();
  await page.getByLabel("A new day starts at").selectOption("6");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expect(page.getByTestId("form-error")).toHaveText("Please log in to continue.");
  } else {
    // The plain post comes back to a page that finds the session gone.
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings/);
  }
});

test("the settings page changes the name, the email and the password, and a new password signs out other devices", async ({ page, browser }, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Sam Before");
  // The same account on another device.
  const phone = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const phonePage = await phone.newPage();
  await logIn(phonePage, testInfo, email, PASSWORD);
  await expect(phonePage).toHaveURL(/\/dashboard$/);

  await open(page, testInfo, "/settings");
  const account = page.getByTestId("account-settings");
  await expect(account.getByLabel("Name")).toHaveValue("Sam Before");
  await expect(account.getByLabel("Email address")).toHaveValue(email);

  // A name: refused when blank, beside the field; then saved, and the nav says it.
  await account.getByLabel("Name").fill("  ");
  await account.getByRole("button", { name: "Save name" }).click();
  await expect(page.locator("#account-display_name-message")).toHaveText("Enter the name other people will see.");
  await expect(account.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await account.getByLabel("Name").fill("Sam After");
  await account.getByRole("button", { name: "Save name" }).click();
  await expect(account.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(page.getByTestId("nav-user")).toHaveText("Sam After");
  // Still said once the page has read the account again for the nav.
  await expect(account.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/settings\?saved=name$/);

  // A password: the current one must be right, and the new one good.
  await account.getByLabel("Current password").fill("not my password");
  await account.getByLabel("New password (at least 8 characters)").fill("a different passphrase");
  await account.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#account-current_password-message")).toHaveText("That is not your password.");
  await account.getByLabel("Current password").fill(PASSWORD);
  await account.getByLabel("New password (at least 8 characters)").fill("a different passphrase");
  await account.getByRole("button", { name: "Change password" }).click();
  await expect(account.getByText("Changed. Other devices are signed out.")).toBeVisible();
  await expect(account.getByLabel("Current password")).toHaveValue("");

  // This device stays signed in; the phone is sent to log in.
  await open(page, testInfo, "/dashboard");
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Sam After");
  await phonePage.goto("/dashboard");
  await expect(phonePage).toHaveURL(/\/login/);
  await phone.close();

  // An email address, confirmed by the (new) password.
  await open(page, testInfo, "/settings");
  const newEmail = `moved-${email}`;
  await account.getByLabel("Email address").fill(newEmail);
  await account.getByLabel("Your password, to confirm").fill("a different passphrase");
  await account.getByRole("button", { name: "Change email" }).click();
  // It takes effect once the link sent to the new address is opened.
  await expect(account.getByText("Sent. Open the link in that inbox to finish.")).toBeVisible();
  const waiting = account.getByTestId("email-change-waiting");
  await expect(waiting).toContainText(`We sent a link to ${newEmail}`);
  await expect(waiting).toContainText(`Until then, you log in with ${email}.`);
  await expect(account.getByLabel("Email address")).toHaveValue(email);
  const link = await linkSentTo(newEmail, "Confirm your new Engram email address", "/confirm-email", 1);
  await open(page, testInfo, link);
  await expect(page.getByRole("heading", { name: "Confirm your new email address" })).toBeVisible();
  await expect(page.getByText(`The Engram account ${email} will log in with ${newEmail} from now on.`)).toBeVisible();
  await page.getByRole("button", { name: "Confirm new address" }).click();
  await expect(page.getByRole("heading", { name: "Your email address has changed" })).toBeVisible();
  // The link works once.
  await open(page, testInfo, link);
  await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await open(page, testInfo, "/settings");
  await expect(account.getByLabel("Email address")).toHaveValue(newEmail);
  await expect(account.getByTestId("email-change-waiting")).toHaveCount(0);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await logIn(page, testInfo, newEmail, "a different passphrase");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Sam After");
});
