import { expect, Page, TestInfo } from "@playwright/test";

export const PASSWORD = "a sturdy passphrase";

/** An email no other test (or earlier run) has used. */
export function uniqueEmail(testInfo: TestInfo): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `e2e-${testInfo.project.name}-${Date.now()}-${random}@example.org`;
}

/** Opens `path` and, when JavaScript is on, waits until the page is hydrated. */
export async function open(page: Page, testInfo: TestInfo, path: string) {
  await page.goto(path);
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  }
}

export async function register(page: Page, testInfo: TestInfo, email: string, name: string) {
  await open(page, testInfo, "/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function logIn(page: Page, testInfo: TestInfo, email: string, password: string) {
  await open(page, testInfo, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}
