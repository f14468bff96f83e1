import { expect, test } from "@playwright/test";
import { open } from "./helpers";

// What a new user meets in their first hour: the shell around every page.

const hydrated = (testInfo: { project: { use: { javaScriptEnabled?: boolean } } }) =>
  testInfo.project.use.javaScriptEnabled !== false;

test("a catalogue search has an address without empty or nameless fields", async ({ page }, testInfo) => {
  await open(page, testInfo, "/catalogue");
  await page.getByRole("searchbox", { name: "Search" }).fill("chemistry");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=chemistry/);
  const query = new URL(page.url()).search;
  // The nameless submit button once added a trailing `&=`.
  expect(query).not.toMatch(/&=|\?=/);
  if (hydrated(testInfo)) {
    // Without JavaScript the browser sends every field; the app leaves out the empty ones.
    expect(query).not.toMatch(/(tag|language|category|level)=(&|$)/);
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the nav is one row with the name, and its menu opens", async ({ page }, testInfo) => {
    await open(page, testInfo, "/register");
    const email = `e2e-phone-${testInfo.project.name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Display name").fill("Ada Lovelace");
    await page.getByLabel("Password").fill("a sturdy passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    const nav = page.getByRole("navigation", { name: "Main" });
    expect((await nav.boundingBox())!.height).toBeLessThan(70);
    await expect(page.getByTestId("nav-menu-user")).toHaveText("Ada Lovelace");
    await expect(page.getByTestId("nav-menu-user")).toBeVisible();
    await page.getByTestId("nav-menu").locator("summary").click();
    await page.getByTestId("nav-menu").getByRole("link", { name: "Catalogue" }).click();
    await expect(page).toHaveURL(/\/catalogue$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("the catalogue's filters fold away so results start on the first screen", async ({ page }, testInfo) => {
    await open(page, testInfo, "/catalogue");
    await expect(page.getByLabel("Language")).toBeHidden();
    const first = page.getByTestId("catalogue-entry").first();
    await expect(first).toBeVisible();
    expect((await first.boundingBox())!.y).toBeLessThan(844);
    await page.getByText("Order and filters").click();
    await expect(page.getByLabel("Language")).toBeVisible();
  });
});

test("on a wide screen the catalogue's filters are shown", async ({ page }, testInfo) => {
  await open(page, testInfo, "/catalogue");
  await expect(page.getByLabel("Language")).toBeVisible();
  await expect(page.getByText("Order and filters")).toBeHidden();
});
