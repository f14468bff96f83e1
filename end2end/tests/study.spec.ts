import { expect, Page, test } from "@playwright/test";
import {
  answerCard,
  keepTheStudyDayBoundaryAway,
  open,
  register,
  SPANISH_DECK as DECK,
  startStudyingSpanish,
  uniqueEmail,
  usesJavaScript,
} from "./helpers";

const DECK_CARDS = 9;

type Counts = { new: number; learning: number; review: number };

async function countsIn(page: Page, scope = page.getByTestId("study-session")): Promise<Counts> {
  const read = async (label: string) =>
    Number(await scope.locator(`[data-count="${label}"] .tabular-nums`).first().innerText());
  return { new: await read("new"), learning: await read("learning"), review: await read("to review") };
}

/** The day's progress bar, in percent. */
async function progressIn(page: Page): Promise<number> {
  return Number(await page.getByRole("progressbar", { name: "Today's progress in this deck" }).getAttribute("value"));
}

async function expectCounts(page: Page, expected: Counts) {
  await expect.poll(() => countsIn(page)).toEqual(expected);
}

test("a learner studies a teacher's public deck with the keyboard, undoes a rating and finds it all saved", async ({
  page,
}, testInfo) => {
  // Without JavaScript this flow loads about thirty pages: signing up, the
  // settings, the catalogue, the deck, and two or three per answer.
  test.setTimeout(60_000);
  const javaScript = usesJavaScript(testInfo);
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await expect(page.getByTestId("study-list")).toHaveCount(0);

  const studyUrl = await startStudyingSpanish(page, testInfo);
  await open(page, testInfo, studyUrl);
  await expectCounts(page, { new: DECK_CARDS, learning: 0, review: 0 });
  // The keys are offered only where they work.
  if (javaScript) await expect(page.getByTestId("shortcuts")).toContainText("U or Ctrl+Z undo");
  else await expect(page.getByTestId("shortcuts")).toBeHidden();
  expect(await progressIn(page)).toBe(0);

  // Ten answers: Good for each new card (each stays in its learning steps
  // for today), then the first card again. Every new card answered leaves
  // the new count; no answer adds a card.
  let before = await countsIn(page);
  let lastCard = "";
  let countsBeforeLast = before;
  let spaceHintChecked = false;
  for (let answered = 0; answered < 10; answered++) {
    lastCard = (await page.getByTestId("study-card").getAttribute("data-card-id")) ?? "";
    countsBeforeLast = before;
    if (javaScript && !spaceHintChecked && !(await page.getByTestId("typed-answer-input").count())) {
      // Space shows the answer, and once it shows rates Good: the keys'
      // line says which it does now.
      const shortcuts = page.getByTestId("shortcuts");
      await expect(shortcuts).toContainText("Space show answer · 1–4 rate");
      await page.keyboard.press("Space");
      await expect(page.getByTestId("study-card").locator('[data-side="back"]')).toBeVisible();
      await expect(shortcuts).toContainText("Space Good · 1–4 rate");
      await page.keyboard.press("Space");
      await expect(page.locator("[data-rating]")).toHaveCount(0);
      spaceHintChecked = true;
    } else {
      await answerCard(page, testInfo, "3");
    }
    if (answered < DECK_CARDS) {
      await expect.poll(async () => (await countsIn(page)).new).toBe(before.new - 1);
    } else {
      await expect(page.getByTestId("study-card").or(page.getByTestId("session-done"))).toBeVisible();
    }
    const after = await countsIn(page);
    expect(after.new + after.learning + after.review).toBeLessThanOrEqual(before.new + before.learning + before.review);
    before = after;
  }

  expect(spaceHintChecked, "a card without an answer box was answered with Space").toBe(javaScript);

  // Undo takes the last answer back: the same card, its question side, and
  // the counts as they were before it.
  if (javaScript) {
    // The card now shown may be the type-the-answer one: the deck's cards
    // were made together, and their ids decide the order they come in.
    // Its answer box has the keyboard, so "u" would be typed there; Ctrl+Z
    // in the empty box takes back the rating instead.
    const answerBox = page.getByTestId("typed-answer-input");
    await page.keyboard.press((await answerBox.count()) ? "Control+z" : "u");
  } else {
    // Shown the next card's answer, the page still offers to take the last
    // rating back.
    if (await page.getByTestId("show-answer").count()) {
      await page.getByTestId("show-answer").click();
      await expect(page.getByTestId("study-card").locator('[data-side="back"]')).toBeVisible();
    }
    await page.getByRole("button", { name: "Undo last rating" }).press("Enter");
  }
  await expect(page.getByTestId("study-card")).toHaveAttribute("data-card-id", lastCard);
  await expect(page.getByTestId("study-card").locator('[data-side="front"]')).toBeVisible();
  await expectCounts(page, countsBeforeLast);
  await answerCard(page, testInfo, "4");
  const final = await countsIn(page);
  expect(final.new).toBe(0);
  // Ten answers stand; the bar counts them against what is left, with or
  // without JavaScript (where every answer is a page of its own).
  const done = 10;
  const left = final.new + final.learning + final.review;
  const progress = Math.floor((done * 100) / (done + left));
  expect(progress).toBeGreaterThan(0);
  await expect.poll(() => progressIn(page)).toBe(progress);

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
  expect(await progressIn(page)).toBe(progress);
  await open(page, testInfo, "/dashboard");
  const row = page.getByTestId("study-list").locator("li", { hasText: DECK });
  await expect.poll(() => countsIn(page, row)).toEqual(final);
});

test("the end of a session says what was done in the deck today, and says it again later", async ({
  page,
}, testInfo) => {
  // Without JavaScript this flow loads about thirty pages.
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  const studyUrl = await startStudyingSpanish(page, testInfo);
  await open(page, testInfo, studyUrl);
  const done = page.getByTestId("session-done");
  // Again for the first card, which comes back from its first step, and Easy
  // for every card after it, which sends each to a later day.
  let answers = 0;
  while (!(await done.count())) {
    expect(answers, "the session came to an end").toBeLessThan(2 * DECK_CARDS);
    await answerCard(page, testInfo, answers === 0 ? "1" : "4");
    answers++;
    await expect(page.getByTestId("study-card").or(done)).toBeVisible();
  }
  expect(answers).toBeGreaterThan(1);
  const remembered = Math.floor(((answers - 1) * 100 + Math.floor(answers / 2)) / answers);
  // Without JavaScript every answer was a page of its own, and the page that
  // found nothing left answered none: the figures are the day's, from the log.
  const expectSummary = async () => {
    const summary = page.getByTestId("session-summary");
    const figure = (name: string) => summary.locator("div", { hasText: name }).locator("dd");
    await expect(figure("Answers")).toHaveText(String(answers));
    await expect(figure("Remembered")).toHaveText(`${remembered}%`);
    await expect(figure("Time")).toHaveText(/^\d+ (second|minute)s?$/);
  };
  await expectSummary();
  // A later visit the same day finds the deck done, and the same figures.
  await open(page, testInfo, studyUrl);
  await expect(done).toBeVisible();
  await expectSummary();
  expect(await progressIn(page)).toBe(100);
});

/** Shows the first card's answer: types one if the card asks for it, else uses `reveal`. */
async function showFirstAnswer(page: Page, reveal: () => Promise<void>) {
  const typedAnswer = page.getByTestId("typed-answer-input");
  if (await typedAnswer.count()) {
    await typedAnswer.pressSequentially("el amigo");
    await typedAnswer.press("Enter");
  } else {
    await reveal();
  }
  await expect(page.getByTestId("study-card").locator('[data-side="back"]')).toBeVisible();
}

test("Enter on a focused rating button or link does what it does, not a shortcut", { tag: "@scripts" }, async ({
  page,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  const studyUrl = await startStudyingSpanish(page, testInfo);
  await open(page, testInfo, studyUrl);
  await expectCounts(page, { new: DECK_CARDS, learning: 0, review: 0 });
  await showFirstAnswer(page, () => page.keyboard.press("Space"));
  // Easy, reached with the keyboard: the shortcut for Enter (Good) would
  // leave the card in its learning steps; Easy sends it to a later day.
  await page.locator('button[data-rating="4"]').focus();
  await page.keyboard.press("Enter");
  await expectCounts(page, { new: DECK_CARDS - 1, learning: 0, review: 0 });
  // A focused link opens its page rather than showing the answer.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/decks\//);
});

test("focus stays on the card as the answer shows and the next card comes", { tag: "@scripts" }, async ({
  page,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await open(page, testInfo, await startStudyingSpanish(page, testInfo));
  const card = page.getByTestId("study-card");
  const typedAnswer = page.getByTestId("typed-answer-input");
  await showFirstAnswer(page, () => page.getByTestId("show-answer").click());
  // The control that had the focus has gone; the answer has it, and Tab
  // goes on to the ratings.
  await expect(card).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.locator('button[data-rating="1"]')).toBeFocused();
  const rated = await card.getAttribute("data-card-id");
  await page.keyboard.press("Enter");
  await expect(card).not.toHaveAttribute("data-card-id", rated ?? "");
  // The next card has it (or, on a type-the-answer card, its answer box).
  await expect(card.locator('[data-side="front"]')).toBeVisible();
  if (await typedAnswer.count()) await expect(typedAnswer).toBeFocused();
  else await expect(card).toBeFocused();
});

test("a device whose clock is wrong has its ratings saved, dated by the server's clock", { tag: "@scripts" }, async ({
  page,
}, testInfo) => {
  // This device's clock runs off by what the page's session storage says.
  await page.addInitScript(() => {
    const deviceNow = Date.now.bind(Date);
    Date.now = () => deviceNow() + Number(sessionStorage.getItem("clockOffByMs") ?? "0");
  });
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  const studyUrl = await startStudyingSpanish(page, testInfo);
  // An hour fast, as a clock set ahead "to be on time" may be: ratings
  // dated an hour ahead were refused until their hour came. A day slow:
  // ratings dated before the deck's cards were made were refused for good.
  for (const offByMs of [3_600_000, -86_400_000]) {
    await page.evaluate((offBy) => sessionStorage.setItem("clockOffByMs", String(offBy)), offByMs);
    await open(page, testInfo, studyUrl);
    const status = page.getByTestId("sync-status");
    await expect(status).toHaveAttribute("data-states-checked", /\d+/);
    const checkedBefore = Number(await status.getAttribute("data-states-checked"));
    await answerCard(page, testInfo, "3");
    await expect(status).toHaveText("All reviews saved");
    await expect(page.getByTestId("sync-error")).toHaveCount(0);
    // The server's state for the card is the one this browser computed.
    await expect.poll(async () => Number(await status.getAttribute("data-states-checked"))).toBeGreaterThan(checkedBefore);
    await expect(status).toHaveAttribute("data-states-disagreeing", "0");
  }
});

test("a rating goes to the card on the screen, even when a card in its learning steps fell due meanwhile", { tag: "@scripts" }, async ({
  page,
}, testInfo) => {
  // Time passes on this device by what the page's session storage says.
  await page.addInitScript(() => {
    const deviceNow = Date.now.bind(Date);
    Date.now = () => deviceNow() + Number(sessionStorage.getItem("minutesPassed") ?? "0") * 60_000;
  });
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck } = await createCapitalsDeck(page);
  await open(page, testInfo, `/study/${deck}`);
  const card = page.getByTestId("study-card");
  // The first card, rated Again, is due again in a minute; the second shows.
  const forgotten = await card.getAttribute("data-card-id");
  await answerCard(page, testInfo, "1");
  const shown = await card.getAttribute("data-card-id");
  expect(shown).not.toBe(forgotten);
  // The learner reads the second card's answer for a minute and a half.
  await page.keyboard.press("Space");
  await expect(card.locator('[data-side="back"]')).toBeVisible();
  await page.evaluate(() => sessionStorage.setItem("minutesPassed", "1.5"));
  await page.keyboard.press("3");
  // The second card was rated Good: the forgotten one, due now, shows next,
  // still unanswered since its Again; one new card is left.
  await expect(card).toHaveAttribute("data-card-id", forgotten!);
  await expectCounts(page, { new: 1, learning: 2, review: 0 });
  const status = page.getByTestId("sync-status");
  await expect(status).toHaveText("All reviews saved");
  await expect.poll(async () => Number(await status.getAttribute("data-states-checked"))).toBeGreaterThanOrEqual(2);
  await expect(status).toHaveAttribute("data-states-disagreeing", "0");
  // The server has the same: both cards in their steps, the third new.
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 2, review: 0 });
});

/** Posts a server function's form as the app does, and answers its JSON. */
async function postJson(page: Page, path: string, form: Record<string, string>) {
  const response = await page.request.post(path, {
    headers: { Accept: "application/json", Origin: "http://127.0.0.1:3000" },
    form,
  });
  expect(response.status(), path).toBe(200);
  return (await response.json()) as string;
}

/** A private deck of three new cards (capitals), made by the signed-in learner: its id and its notes' ids. */
async function createCapitalsDeck(page: Page) {
  const deck = await postJson(page, "/api/decks/create", {
    "input[title]": "Capitals",
    "input[description]": "",
    "input[language]": "",
    "input[visibility]": "private",
    "input[parent_id]": "",
  });
  const notes: string[] = [];
  for (const [country, capital] of [["France", "Paris"], ["Peru", "Lima"], ["Japan", "Tokyo"]]) {
    notes.push(
      await postJson(page, "/api/notes/create", {
        "input[deck_id]": deck,
        "input[note_type]": "basic",
        "input[fields][0]": `Capital of ${country}?`,
        "input[fields][1]": capital,
        "input[tags]": "",
      }),
    );
  }
  return { deck, notes };
}

test("a review whose card was deleted before it was sent is let go, and holds up no other", { tag: "@scripts" }, async ({
  page,
  context,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck, notes } = await createCapitalsDeck(page);
  // The three cards are rated while the reviews cannot reach the server,
  // and meanwhile one of them is deleted (as from another device).
  await context.route("**/api/study/reviews", (route) => route.abort("internetdisconnected"));
  await open(page, testInfo, `/study/${deck}`);
  for (let rated = 0; rated < 3; rated++) await answerCard(page, testInfo, "3");
  await expect(page.getByTestId("sync-offline")).toContainText("3 reviews kept on this device");
  await postJson(page, "/api/notes/delete", { note_id: notes[0] });
  await context.unroute("**/api/study/reviews");
  await page.getByRole("button", { name: "Try now" }).click();
  // The server refuses the whole batch for the one card it no longer has;
  // that review is let go, and the two others are saved.
  const status = page.getByTestId("sync-status");
  await expect(status).toContainText("All reviews saved");
  await expect(page.getByTestId("sync-let-go")).toHaveText(
    "1 review could not be saved: its card was deleted, or no longer shared with you.",
  );
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 0, learning: 2, review: 0 });
});

test("a rating dated by a clock that went wrong after the page opened is let go for good, or waits for its time", { tag: "@scripts" }, async ({
  page,
}, testInfo) => {
  // This device's clock runs off by what the page's session storage says,
  // read at each rating: it can go wrong after the page measured it (as on
  // a phone whose clock was reset while the app stayed open).
  await page.addInitScript(() => {
    const deviceNow = Date.now.bind(Date);
    Date.now = () => deviceNow() + Number(sessionStorage.getItem("clockOffByMs") ?? "0");
  });
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck } = await createCapitalsDeck(page);
  await open(page, testInfo, `/study/${deck}`);
  const status = page.getByTestId("sync-status");
  // Two days slow: the rating is dated before its card was made, which the
  // server can never store. It is let go with the reason, and holds up no
  // rating after it.
  await page.evaluate(() => sessionStorage.setItem("clockOffByMs", String(-2 * 86_400_000)));
  await answerCard(page, testInfo, "3");
  await expect(page.getByTestId("sync-refused")).toHaveText(
    "1 review could not be saved: dated before its card was made, so this device's clock was wrong.",
  );
  await expect(status).toContainText("All reviews saved");
  // An hour fast: refused for now. It waits, saying why, and is stored once
  // its hour comes (the server's clock then reaches its date).
  await page.evaluate(() => sessionStorage.setItem("clockOffByMs", String(3_600_000)));
  await answerCard(page, testInfo, "3");
  await expect(page.getByTestId("sync-error")).toHaveText(
    "1 review not saved yet: dated later than the server's time (check this device's clock)",
  );
  await page.evaluate(() => sessionStorage.setItem("clockOffByMs", "0"));
  await expect(page.getByTestId("sync-refused")).toContainText("1 review could not");
  await answerCard(page, testInfo, "3");
  // With the clock right again, the next rating is sent past the waiting
  // one, which went to the back (it stays dated an hour ahead, so waits).
  await expect(page.getByTestId("sync-error")).toContainText("1 review not saved yet");
  // Of the three ratings the server stored one: one card is in its
  // learning steps, two are new.
  const phases = await page.evaluate(async (deck) => {
    const queue = await (await fetch(`/api/study/queue?deck_id=${deck}`, { headers: { accept: "application/json" } })).json();
    return (queue.cards as { state: { phase: string } }[]).map((card) => card.state.phase).sort();
  }, deck);
  expect(phases).toEqual(["learning", "new", "new"]);
});

test("after the only waiting review is let go, the next rating is sent at once", { tag: "@scripts" }, async ({
  page,
  context,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck, notes } = await createCapitalsDeck(page);
  // One card is rated with no connection, and its note is deleted meanwhile
  // (as from another device).
  await context.route("**/api/study/reviews", (route) => route.abort("internetdisconnected"));
  await open(page, testInfo, `/study/${deck}`);
  const front = await page.getByTestId("study-card").locator('[data-side="front"]').innerText();
  const country = ["France", "Peru", "Japan"].findIndex((name) => front.includes(name));
  expect(country).toBeGreaterThanOrEqual(0);
  await answerCard(page, testInfo, "3");
  await expect(page.getByTestId("sync-offline")).toContainText("1 review kept on this device");
  await postJson(page, "/api/notes/delete", { note_id: notes[country] });
  await context.unroute("**/api/study/reviews");
  await page.getByRole("button", { name: "Try now" }).click();
  await expect(page.getByTestId("sync-let-go")).toContainText("1 review could not be saved");
  // The server answered, so the connection is back: the next rating goes
  // now, not at the next "Try now" or reload.
  const sent = page.waitForResponse(
    (response) => response.url().includes("/api/study/reviews") && response.status() === 200,
  );
  await answerCard(page, testInfo, "3");
  await sent;
  await expect(page.getByTestId("sync-status")).toContainText("All reviews saved");
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 1, review: 0 });
});

test("a proxy's error page while the server restarts is not taken for a refusal", { tag: "@scripts" }, async ({
  page,
  context,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck } = await createCapitalsDeck(page);
  await context.route("**/api/study/reviews", (route) =>
    route.fulfill({ status: 502, contentType: "text/html", body: "<html><body>502 Bad Gateway</body></html>" }),
  );
  await open(page, testInfo, `/study/${deck}`);
  await answerCard(page, testInfo, "3");
  await answerCard(page, testInfo, "3");
  // Said as the server failing for a while, not as the reviews refused
  // ("could not be read"), and the two are kept to be sent as they were.
  const error = page.getByTestId("sync-error");
  await expect(error).toHaveText("2 reviews not saved yet: Something went wrong on our side. Please try again.");
  await context.unroute("**/api/study/reviews");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("sync-status")).toContainText("All reviews saved");
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 2, review: 0 });
});

test("ratings this browser has not sent yet count when a study page opens, so their cards are not shown again", { tag: "@scripts" }, async ({
  page,
  context,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck } = await createCapitalsDeck(page);
  // Two cards are rated Easy while the reviews cannot reach the server.
  await context.route("**/api/study/reviews", (route) => route.abort("internetdisconnected"));
  await open(page, testInfo, `/study/${deck}`);
  const rated: string[] = [];
  for (let count = 0; count < 2; count++) {
    rated.push(await page.getByTestId("study-card").locator('[data-side="front"]').innerText());
    await answerCard(page, testInfo, "4");
  }
  await expect(page.getByTestId("sync-offline")).toContainText("2 reviews kept on this device");
  // The page is opened again, its queue made by a server that has not
  // stored them: the two cards are not shown again, and the one left is.
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 0, review: 0 });
  const left = await page.getByTestId("study-card").locator('[data-side="front"]').innerText();
  expect(rated).not.toContain(left);
  // Once they are sent, the server's queue agrees.
  await context.unroute("**/api/study/reviews");
  await page.getByRole("button", { name: "Try now" }).click();
  await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 0, review: 0 });
});

test("a learner buries one card and suspends another, and neither comes back today", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck } = await createCapitalsDeck(page);
  await open(page, testInfo, `/study/${deck}`);
  const front = page.getByTestId("study-card").locator('[data-side="front"]');
  // A hold taken back at once: the card is back where it was, shown again
  // (without JavaScript, the page the hold returns to offers the undo).
  const first = await front.innerText();
  await page.getByRole("button", { name: "Bury until tomorrow", exact: true }).click();
  await expectCounts(page, { new: 2, learning: 0, review: 0 });
  await page.getByRole("button", { name: "Undo bury" }).click();
  await expectCounts(page, { new: 3, learning: 0, review: 0 });
  await expect(front).toHaveText(first);
  if (usesJavaScript(testInfo)) {
    // With the keyboard: "@" suspends, "u" takes it back.
    await page.keyboard.press("@");
    await expectCounts(page, { new: 2, learning: 0, review: 0 });
    await expect(page.getByRole("button", { name: "Undo suspend" })).toBeVisible();
    await page.keyboard.press("u");
    await expectCounts(page, { new: 3, learning: 0, review: 0 });
    await expect(front).toHaveText(first);
    await expect(page.getByTestId("undo")).toBeHidden();
  }
  const held: string[] = [];
  for (const [button, left] of [["Bury until tomorrow", 2], ["Suspend", 1]] as const) {
    held.push(await front.innerText());
    await page.getByRole("button", { name: button, exact: true }).click();
    await expectCounts(page, { new: left, learning: 0, review: 0 });
    await expect(front).not.toHaveText(held[held.length - 1]);
  }
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  }
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 0, review: 0 });
  expect(held).not.toContain(await front.innerText());
  // The deck's page lists the suspended card, which is brought back from
  // there into the learner's study.
  await open(page, testInfo, `/decks/${deck}`);
  const suspended = page.getByTestId("suspended-cards");
  await suspended.locator("summary").click();
  await expect(suspended.locator("summary")).toHaveText("Cards you suspended (1)");
  await expect(suspended.getByRole("listitem")).toHaveCount(1);
  await expect(suspended.getByRole("listitem")).toContainText(held[1]);
  await suspended.getByRole("button", { name: "Bring back" }).click();
  await expect(page.getByTestId("suspended-cards")).toBeHidden();
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 2, learning: 0, review: 0 });
});

test("a card buried or suspended without a connection stays set aside, and is held once the server hears of it", { tag: "@scripts" }, async ({
  page,
  context,
}, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await keepTheStudyDayBoundaryAway(page, testInfo);
  const { deck } = await createCapitalsDeck(page);
  await context.route("**/api/study/{reviews,hold}", (route) => route.abort("internetdisconnected"));
  await open(page, testInfo, `/study/${deck}`);
  const front = page.getByTestId("study-card").locator('[data-side="front"]');
  const held: string[] = [];
  // Anki's keys: "-" buries, "@" suspends.
  for (const key of ["-", "@"]) {
    held.push(await front.innerText());
    await page.keyboard.press(key);
    await expect(front).not.toHaveText(held[held.length - 1]);
  }
  // A hold is not a review: what waits is counted as changes.
  await expect(page.getByTestId("sync-offline")).toContainText("2 changes kept on this device");
  // So does signing out's warning, asked from the phone menu, which closes
  // so that the question is not read over it.
  await page.setViewportSize({ width: 390, height: 844 });
  const menu = page.getByTestId("nav-menu");
  await menu.locator("summary").click();
  await menu.getByRole("button", { name: "Log out", exact: true }).click();
  const warning = page.getByTestId("unsent-reviews-warning");
  await expect(warning).toContainText("2 changes are not sent yet");
  await expect(menu).not.toHaveAttribute("open");
  // The question has the keyboard, and Escape puts it away.
  await expect(warning.getByRole("button", { name: "Send them now" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(warning).toHaveCount(0);
  // Logging out anyway with no connection leaves the session as it was: the
  // page stays signed in, and says so, rather than look signed out.
  await context.route("**/api/logout", (route) => route.abort("internetdisconnected"));
  await menu.locator("summary").click();
  await menu.getByRole("button", { name: "Log out", exact: true }).click();
  await warning.getByRole("button", { name: "Log out anyway" }).click();
  await expect(warning.getByTestId("logout-error")).toHaveText(
    "You are still logged in: logging out needs a connection. Try again once you are back online.",
  );
  await expect(page.getByTestId("nav-menu-user")).toHaveText("Sam Student");
  await context.unroute("**/api/logout");
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("logout-error")).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 720 });
  // Opened again, with a queue from a server that has not heard of either
  // hold: the two cards stay set aside.
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 0, review: 0 });
  expect(held).not.toContain(await front.innerText());
  // Once the holds are sent, the server's queue agrees.
  await context.unroute("**/api/study/{reviews,hold}");
  await page.getByRole("button", { name: "Try now" }).click();
  await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  await open(page, testInfo, `/study/${deck}`);
  await expectCounts(page, { new: 1, learning: 0, review: 0 });
  expect(held).not.toContain(await front.innerText());
  // With nothing waiting, the phone menu's own "Log out" with no connection
  // fails the same way, and the menu closes so that the message is read.
  await page.setViewportSize({ width: 390, height: 844 });
  await context.route("**/api/logout", (route) => route.abort("internetdisconnected"));
  await menu.locator("summary").click();
  await menu.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page.getByTestId("logout-error")).toBeVisible();
  await expect(menu).not.toHaveAttribute("open");
  await expect(page.getByTestId("nav-menu-user")).toHaveText("Sam Student");
});

test("in a browser that keeps nothing, a rating is still saved, and the page says why to keep it open", { tag: "@scripts" }, async ({
  page,
  context,
}, testInfo) => {
  // Storage turned off for the site: the browser refuses to open any database.
  await context.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException("The user denied permission to access the database.", "SecurityError");
    };
  });
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await startStudyingSpanish(page, testInfo);
  await answerCard(page, testInfo, "3");
  await expect(page.getByTestId("sync-storage-error")).toHaveText(
    "This browser keeps nothing for Engram (its storage is blocked or off). Keep this page open until your reviews are saved.",
  );
  await expect(page.getByTestId("sync-status")).toContainText("All reviews saved");
});

test("the study page answers an unknown deck with a not-found page", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  const response = await page.goto("/study/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("does not exist");
});

test("in a type-the-answer box, keys are typing, and the last rating can still be undone", async ({
  page,
}, testInfo) => {
  // Without JavaScript this flow loads about thirty pages: signing up, the
  // settings, the catalogue, the deck, and two or three per answer.
  test.setTimeout(60_000);
  const javaScript = usesJavaScript(testInfo);
  await register(page, testInfo, uniqueEmail(testInfo), "Sam Student");
  await open(page, testInfo, await startStudyingSpanish(page, testInfo));
  const card = page.getByTestId("study-card");
  const answerBox = page.getByTestId("typed-answer-input");
  // Answer until the type-the-answer card shows after at least one rating
  // (it may come first; it then comes back from its learning steps).
  let previous = "";
  for (let answered = 0; !(answered > 0 && (await answerBox.count())); answered++) {
    expect(answered, "the type-the-answer card came back").toBeLessThan(2 * DECK_CARDS);
    previous = (await card.getAttribute("data-card-id")) ?? "";
    await answerCard(page, testInfo, "3");
    await expect(card.locator('[data-side="front"]')).toBeVisible();
  }
  const typeCard = await card.getAttribute("data-card-id");
  expect(typeCard).not.toBe(previous);

  if (javaScript) await expect(answerBox).toBeFocused();
  else await answerBox.focus();
  await page.keyboard.press("u");
  await expect(answerBox).toHaveValue("u");
  await expect(card).toHaveAttribute("data-card-id", typeCard ?? "");
  await page.keyboard.press("Backspace");
  await expect(answerBox).toHaveValue("");
  if (javaScript) {
    // Ctrl+Z in the empty box: no typing left to take back, so the rating.
    await page.keyboard.press("Control+z");
  } else {
    await page.getByRole("button", { name: "Undo last rating" }).press("Enter");
  }
  await expect(card).toHaveAttribute("data-card-id", previous);
  await expect(card.locator('[data-side="front"]')).toBeVisible();
});
