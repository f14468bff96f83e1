import { expect, test } from "@playwright/test";
import {
  answerCard,
  expectAccessible,
  open,
  register,
  SPANISH_DECK as DECK,
  startStudyingSpanish,
  uniqueEmail,
  usesJavaScript,
} from "./helpers";

// Two tests rather than one flow: together, the empty page's checks and the
// study flow took a no-JavaScript run (a scratch browser context for every
// axe check) past the test timeout on a loaded machine.
test("a new learner finds their statistics empty, with the way to the dashboard", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Stella Stats");

  // Before any review: a sentence and the way to the dashboard, no charts.
  await open(page, testInfo, "/stats");
  await expect(page.getByTestId("stats-empty")).toBeVisible();
  await expect(page.getByTestId("review-heatmap")).toHaveCount(0);
  await expect(page.getByTestId("stats-empty").getByRole("link", { name: "Go to your dashboard" })).toBeVisible();
});

test("a learner studies three cards and sees today's reviews and a one-day streak", async ({ page }, testInfo) => {
  const javaScript = usesJavaScript(testInfo);
  await register(page, testInfo, uniqueEmail(testInfo), "Stella Stats");
  await startStudyingSpanish(page, testInfo);

  for (let answered = 0; answered < 3; answered++) {
    await answerCard(page, testInfo, "3");
  }
  if (javaScript) {
    // Ratings reach the server in the background; wait until they have.
    await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  }

  // The navigation leads to the statistics.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Statistics" }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.getByTestId("stats-scope")).toHaveText("All your decks");
  await expect(page.getByTestId("stats-reviews-today")).toHaveText("3");
  await expect(page.getByTestId("stats-streak")).toHaveText("1 day");
  await expect(page.getByTestId("stats-reviews-total")).toHaveText("3");
  // The calendar is an image with a summary, and its numbers are in a table.
  const heatmap = page.getByTestId("review-heatmap");
  await expect(heatmap).toHaveAttribute("role", "img");
  await expect(heatmap).toHaveAttribute("aria-label", /3 reviews on 1 day/);
  const heatmapSection = page.locator("section", { has: heatmap });
  await heatmapSection.getByText("Show the numbers").click();
  await expect(heatmapSection.locator("tbody tr")).toHaveCount(1);
  await expect(heatmapSection.locator("tbody tr td").first()).toHaveText("3");
  // Three new cards answered: none was a review yet, so retention has nothing to count.
  await expect(page.getByTestId("retention-table").locator("tbody tr").first()).toContainText("–");
  // `open` checked the empty page; the charts get their own check, light and dark.
  await expectAccessible(page, testInfo);

  // The deck is in the selector; choosing it shows the deck's own numbers.
  const selector = page.getByTestId("stats-deck");
  await expect(selector.locator("option", { hasText: DECK })).toHaveCount(1);
  await selector.selectOption({ label: DECK });
  await page.getByRole("button", { name: "Show" }).click();
  // (The hydrated form's submit button adds an empty `&=`; both read the same.)
  await expect(page).toHaveURL(/\/stats\?deck=[0-9a-f-]{36}(&=)?$/);
  await expect(page.getByTestId("stats-scope")).toHaveText(DECK);
  await expect(page.getByTestId("stats-reviews-today")).toHaveText("3");
  await expect(page.getByTestId("stats-deck")).toHaveValue(/[0-9a-f-]{36}/);

  // On a phone the calendar scrolls sideways in its box, and the weekdays'
  // names stay beside it at either end.
  await page.setViewportSize({ width: 390, height: 844 });
  const calendar = page.getByRole("region", { name: "Reviews per day, a year" });
  expect(await calendar.evaluate((box) => box.scrollWidth > box.clientWidth + 100)).toBe(true);
  for (const end of ["latest", "earliest"]) {
    await calendar.evaluate((box, end) => {
      // Right to left, the box starts at the latest weeks (scrollLeft 0).
      box.scrollLeft = end === "latest" ? 0 : -box.scrollWidth;
    }, end);
    await expect(page.getByTestId("heatmap-weekdays")).toBeInViewport({ ratio: 1 });
    const weekdays = (await page.getByTestId("heatmap-weekdays").boundingBox())!;
    const box = (await calendar.boundingBox())!;
    expect(weekdays.x + weekdays.width).toBeLessThanOrEqual(box.x + 1);
  }
});

test("the statistics of a deck the learner does not study are not found", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Stella Stats");
  const response = await page.goto("/stats?deck=00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("does not exist");
});
