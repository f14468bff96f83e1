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
