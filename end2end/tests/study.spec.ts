import { expect, Page, test, TestInfo } from "@playwright/test";
import { open, register, uniqueEmail } from "./helpers";

// A public deck of the seeded teacher: seven notes, nine cards.
const DECK = "Spanish: first words";
const DECK_CARDS = 9;

type Counts = { new: number; learning: number; review: number };

function usesJavaScript(testInfo: TestInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

async function countsIn(page: Page, scope = page.getByTestId("study-session")): Promise<Counts> {
  const read = async (label: string) =>
    Number(await scope.locator(`[data-count="${label}"] .tabular-nums`).first().innerText());
  return { new: await read("new"), learning: await read("learning"), review: await read("to review") };
}

async function expectCounts(page: Page, expected: Counts) {
  await expect.poll(() => countsIn(page)).toEqual(expected);
}

/** Shows the answer and rates the card with the keyboard alone. */
async function answer(page: Page, javaScript: boolean, rating: "1" | "2" | "3" | "4") {
  const card = page.getByTestId("study-card");
  await expect(card.locator('[data-side="front"]')).toBeVisible();
  const typedAnswer = page.getByTestId("typed-answer-input");
  if (await typedAnswer.count()) {
    // A type-the-answer card: its box has the keyboard; Enter shows the
    // comparison (a plain GET form without JavaScript).
    if (javaScript) await expect(typedAnswer).toBeFocused();
    await typedAnswer.pressSequentially("el amigo");
    await typedAnswer.press("Enter");
    await expect(page.getByTestId("typed-correct")).toHaveText("✓ el amigo");
  } else if (javaScript) {
    await page.keyboard.press("Space");
  } else {
    // Without JavaScript the keyboard still works: the link and the
    // buttons are focused and pressed with Enter, one page per step.
    await page.getByTestId("show-answer").press("Enter");
  }
  await expect(card.locator('[data-side="back"]')).toBeVisible();
  await expect(page.locator("[data-rating]")).toHaveCount(4);
  if (javaScript) {
    await page.keyboard.press(rating);
  } else {
    await page.locator(`button[data-rating="${rating}"]`).press("Enter");
  }
}

test("a learner studies a teacher's public deck with the keyboard, undoes a rating and finds it all saved", async ({
  page,
}, testInfo) => {
  const javaScript = usesJavaScript(testInfo);
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await expect(page.getByTestId("study-list")).toHaveCount(0);

  await open(page, testInfo, `/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: DECK }).click();
  await expect(page.getByTestId("deck-title")).toHaveText(DECK);
  await page.getByTestId("start-studying").click();
  await page.getByTestId("study-deck").click();
  await expect(page).toHaveURL(/\/study\/[0-9a-f-]{36}$/);
  const studyUrl = page.url();
  await open(page, testInfo, studyUrl);
  await expectCounts(page, { new: DECK_CARDS, learning: 0, review: 0 });

  // Ten answers: Good for each new card (each stays in its learning steps
  // for today), then the first card again. Every new card answered leaves
  // the new count; no answer adds a card.
  let before = await countsIn(page);
  let lastCard = "";
  let countsBeforeLast = before;
  for (let answered = 0; answered < 10; answered++) {
    lastCard = (await page.getByTestId("study-card").getAttribute("data-card-id")) ?? "";
    countsBeforeLast = before;
    await answer(page, javaScript, "3");
    if (answered < DECK_CARDS) {
      await expect.poll(async () => (await countsIn(page)).new).toBe(before.new - 1);
    } else {
      await expect(page.getByTestId("study-card").or(page.getByTestId("session-done"))).toBeVisible();
    }
    const after = await countsIn(page);
    expect(after.new + after.learning + after.review).toBeLessThanOrEqual(before.new + before.learning + before.review);
    before = after;
  }

  // Undo takes the last answer back: the same card, its question side, and
  // the counts as they were before it.
  if (javaScript) {
    await page.keyboard.press("u");
  } else {
    await page.getByRole("button", { name: "Undo last rating" }).press("Enter");
  }
  await expect(page.getByTestId("study-card")).toHaveAttribute("data-card-id", lastCard);
  await expect(page.getByTestId("study-card").locator('[data-side="front"]')).toBeVisible();
  await expectCounts(page, countsBeforeLast);
  await answer(page, javaScript, "4");
  const final = await countsIn(page);
  expect(final.new).toBe(0);

  if (javaScript) {
    // Ratings reach the server in the background; the page says when.
    const status = page.getByTestId("sync-status");
    await expect(status).toHaveText("All reviews saved");
    // The browser's WebAssembly scheduler and the server's native one
    // computed the same state for every card (checked as each batch is
    // confirmed).
    await expect(status).toHaveAttribute("data-states-disagreeing", "0");
    expect(Number(await status.getAttribute("data-states-checked"))).toBeGreaterThanOrEqual(DECK_CARDS);
  }
  // The server, replaying the log, agrees with what the page scheduled.
  await open(page, testInfo, studyUrl);
  await expectCounts(page, final);
  await open(page, testInfo, "/dashboard");
  const row = page.getByTestId("study-list").locator("li", { hasText: DECK });
  await expect.poll(() => countsIn(page, row)).toEqual(final);
});

test("the study page answers an unknown deck with a not-found page", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  const response = await page.goto("/study/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("does not exist");
});
