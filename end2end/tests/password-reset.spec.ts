import { expect, Page, test } from "@playwright/test";
import { expectReady, linkSentTo, logIn, open, PASSWORD, register, uniqueEmail, usesJavaScript } from "./helpers";

/** The path of the reset link in the `nth` message (from 1) sent to `address`. */
function resetLinkSentTo(address: string, nth: number): Promise<string> {
  return linkSentTo(address, "Choose a new Engram password", "/reset-password", nth);
}

/** Sends the form on a page that may run no app code, and waits for its answer. */
async function send(page: Page, button: string) {
  const plainForm = (await page.locator("html[data-page-code=none]").count()) > 0;
  const answered = plainForm ? page.waitForEvent("load") : null;
  await page.getByRole("button", { name: button }).click();
  if (answered) await answered;
}

test("a forgotten password is reset through the link sent by email, on a signed-out browser and on a signed-in one", async ({
  page,
  browser,
}, testInfo) => {
  const email = uniqueEmail(testInfo);
  // This browser stays signed in while the password is reset on another.
  await register(page, testInfo, email, "Robin");
  const other = await browser.newContext({ javaScriptEnabled: usesJavaScript(testInfo) });
  const visitor = await other.newPage();

  // From the login page to the form; a mistyped address is said beside it.
  await open(visitor, testInfo, "/login");
  await visitor.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(visitor).toHaveURL(/\/forgot-password$/);
  await open(visitor, testInfo, "/forgot-password");
  await visitor.getByLabel("Email").fill("robin@");
  await send(visitor, "Send me a link");
  await expect(visitor.locator("#field-email-message")).toHaveText(
    "Enter a valid email address, like name@example.com.",
  );
  await expect(visitor.getByLabel("Email")).toHaveValue("robin@");
  await visitor.getByLabel("Email").fill(email.toUpperCase());
  await send(visitor, "Send me a link");
  await expect(visitor.getByTestId("reset-link-sent")).toContainText("Check your email.");

  // The link opens a page for this account; a weak password is refused there.
  const firstLink = await resetLinkSentTo(email, 1);
  await open(visitor, testInfo, firstLink);
  await expect(visitor.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(visitor.getByText(`For the account ${email}.`)).toBeVisible();
  await visitor.getByLabel("New password").fill("short");
  await send(visitor, "Save and log in");
  await expect(visitor.locator("#field-password-message")).toHaveText("Use at least 8 characters.");
  await visitor.getByLabel("New password").fill("a brand new passphrase");
  await send(visitor, "Save and log in");
  await expect(visitor).toHaveURL(/\/dashboard$/);
  if (usesJavaScript(testInfo)) await expectReady(visitor);
  await expect(visitor.getByTestId("greeting")).toHaveText("Hello, Robin");

  // The first browser was signed out by the new password.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
  await logIn(page, testInfo, email, "a brand new passphrase");
  await expect(page).toHaveURL(/\/dashboard$/);

  // Signed in, this browser asks for a link and opens it: with JavaScript,
  // the app sends both forms itself.
  await open(page, testInfo, "/forgot-password");
  await page.getByLabel("Email").fill(email);
  await send(page, "Send me a link");
  await expect(page.getByTestId("reset-link-sent")).toBeVisible();
  const secondLink = await resetLinkSentTo(email, 2);
  await open(page, testInfo, secondLink);
  await page.getByLabel("New password").fill("the third passphrase");
  await send(page, "Save and log in");
  await expect(page).toHaveURL(/\/dashboard$/);
  if (usesJavaScript(testInfo)) await expectReady(page);
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Robin");
  await expect(page.getByTestId("nav-user")).toHaveText("Robin");

  // Now the other browser is signed out, and its link no longer works.
  await visitor.goto("/dashboard");
  await expect(visitor).toHaveURL(/\/login/);
  await open(visitor, testInfo, firstLink);
  await expect(visitor.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await visitor.getByRole("link", { name: "Ask for a new link" }).click();
  await expect(visitor).toHaveURL(/\/forgot-password$/);
  await other.close();
});
