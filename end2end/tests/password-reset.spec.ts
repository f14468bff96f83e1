import { expect, Page, test } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expectReady, logIn, open, PASSWORD, register, uniqueEmail, usesJavaScript } from "./helpers";

// The server sends its mail to a real SMTP server (scripts/smtp-sink,
// started by scripts/end-to-end), which writes each message here.
const MAIL_DIR = path.join(__dirname, "..", ".mail", "messages");

/** The path of the reset link in the `nth` message (from 1) sent to `address`. */
async function resetLinkSentTo(address: string, nth: number): Promise<string> {
  const links = () => {
    if (!existsSync(MAIL_DIR)) return [];
    return readdirSync(MAIL_DIR)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => JSON.parse(readFileSync(path.join(MAIL_DIR, name), "utf8")))
      .filter((message) => message.to.includes(address))
      .map((message) => {
        expect(message.subject).toBe("Choose a new Engram password");
        const link = /http:\/\/127\.0\.0\.1:3000(\/reset-password\?token=[0-9a-f]{64})/.exec(message.text);
        expect(link, message.text).not.toBeNull();
        return link![1];
      });
  };
  await expect.poll(() => links().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(nth);
  return links()[nth - 1];
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
