import { expect, test } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { answerCard, register, startStudyingSpanish, uniqueEmail } from "./helpers";

// A deployment changes the service worker. This spec changes the one the
// server sends, so it runs on its own, after every other spec (its own
// project in playwright.config.ts), and puts the file back.
const SITE_ROOT = process.env.ENGRAM_SITE_ROOT ?? path.join(__dirname, "../../target/site");
const WORKER = path.join(SITE_ROOT, "sw.js");

test("a new version is announced mid-review and waits until the learner reloads", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Una Update");
  await startStudyingSpanish(page, testInfo);
  // The first visit installs the worker; from the next load it runs the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByTestId("update-banner")).toHaveCount(0);

  await answerCard(page, testInfo, "3");
  const cardBefore = await page.getByTestId("study-card").innerText();
  // A marker that a reload would wipe.
  await page.evaluate(() => ((window as unknown as { midReview: boolean }).midReview = true));

  const original = readFileSync(WORKER, "utf8");
  try {
    writeFileSync(WORKER, `${original}\n// deployed by ${testInfo.title} at ${Date.now()}\n`);
    // Browsers look for a new worker on navigations and every 24 hours; the
    // page asks now instead of waiting.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByTestId("update-banner")).toBeVisible();
    await expect(page.getByTestId("update-banner")).toContainText("Update available");

    // Nothing moved under the learner: same page, same card.
    expect(await page.evaluate(() => (window as unknown as { midReview?: boolean }).midReview)).toBe(true);
    expect(await page.getByTestId("study-card").innerText()).toBe(cardBefore);

    // Reload, at the learner's word: the page loads again, under the new version.
    const reloaded = page.waitForEvent("load");
    await page.getByRole("button", { name: "Reload" }).click();
    await reloaded;
    await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
    expect(await page.evaluate(() => (window as unknown as { midReview?: boolean }).midReview ?? false)).toBe(false);
    await expect(page.getByTestId("update-banner")).toHaveCount(0);
    const waiting = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting);
    expect(waiting).toBeNull();
    // The study page came back with the rating already made.
    await expect(page.getByTestId("study-card")).toBeVisible();
  } finally {
    writeFileSync(WORKER, original);
  }
});
