import { expect, Page, test, TestInfo } from "@playwright/test";
import { logIn, open, openNewDeckPage, register, startStudyingSpanish, uniqueEmail } from "./helpers";

const TEACHER = { email: "teacher@engram.test", password: "engram-teacher" };

function usesJavaScript(testInfo: TestInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Creates a private deck with a unique title and returns its address. */
async function createDeck(page: Page, testInfo: TestInfo, title: string): Promise<string> {
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openNewDeckPage(page, testInfo);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Who can see it").selectOption("private");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

async function addBasicNote(page: Page, testInfo: TestInfo, deckPath: string, front: string, back: string) {
  await open(page, testInfo, `${deckPath}/add`);
  await page.getByLabel("Front", { exact: true }).fill(front);
  await page.getByLabel("Back", { exact: true }).fill(back);
  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText(/added/);
  } else {
    await expect(page).toHaveURL(/\/add\?type=basic&added=1$/);
  }
}

/**
 * Runs a search in the card browser. Hydrated, the address changes before
 * the new results arrive, and the old rows (every card) stay until then: it
 * waits for this query's answer, or a row ticked meanwhile is replaced unticked.
 */
async function searchCards(page: Page, testInfo: TestInfo, query: string) {
  await open(page, testInfo, "/browse");
  await page.getByLabel("Search your cards").fill(query);
  const answered = usesJavaScript(testInfo)
    ? page.waitForResponse((response) => new URL(response.url()).searchParams.get("query[q]") === query)
    : Promise.resolve(null);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await answered;
  await expect(page).toHaveURL(/\/browse\?/);
}

/** A private deck with two Basic notes, "gato …" and "perro …"; returns the deck's title and the suffix. */
async function deckOfTwoNotes(page: Page, testInfo: TestInfo, name: string) {
  const unique = `${testInfo.project.name}-${Date.now()}`;
  const title = `${name} ${unique}`;
  const deckPath = await createDeck(page, testInfo, title);
  await addBasicNote(page, testInfo, deckPath, `gato ${unique}`, "cat");
  await addBasicNote(page, testInfo, deckPath, `perro ${unique}`, "dog");
  return { title, unique };
}

test("the card browser searches and tags cards in bulk", async ({ page }, testInfo) => {
  const { title, unique } = await deckOfTwoNotes(page, testInfo, "Browser");
  await searchCards(page, testInfo, `deck:"${title}"`);
  const rows = page.getByTestId("card-row");
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("browse-count")).toContainText("2 cards match");

  // A malformed search is explained next to the box.
  await searchCards(page, testInfo, `deck:"${title}`);
  await expect(page.locator("#browse-q-message")).toContainText("quote");

  // Tag both cards, then find them by the tag. The boxes are ticked on the
  // search's own rows: the page before it listed these cards too.
  await searchCards(page, testInfo, `deck:"${title}"`);
  await expect(rows).toHaveCount(2);
  await page.getByLabel(`Select “gato ${unique}”`).check();
  await page.getByLabel(`Select “perro ${unique}”`).check();
  await page.getByLabel("Tags", { exact: true }).fill(`e2e-${unique}`);
  // Enter in the tags box adds them (the form's first button is "Add").
  await page.getByLabel("Tags", { exact: true }).press("Enter");
  // The app says what the server answered, with its count; a page that a
  // plain post came back to can say only fixed text from its address.
  await expect(page.getByTestId("bulk-outcome")).toHaveText(
    usesJavaScript(testInfo) ? "Tagged 2 notes." : "The tags were added to the selected cards' notes.",
  );
  await searchCards(page, testInfo, `tag:e2e-${unique} -perro`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`gato ${unique}`);
  await expect(rows.first()).toContainText(`e2e-${unique}`);
});

test("the card browser deletes cards in bulk and sorts them", async ({ page }, testInfo) => {
  const { title, unique } = await deckOfTwoNotes(page, testInfo, "Browser deletes");
  const rows = page.getByTestId("card-row");

  // Delete one note; only the other remains.
  await searchCards(page, testInfo, `deck:"${title}"`);
  await expect(rows).toHaveCount(2);
  await page.getByLabel(`Select “perro ${unique}”`).check();
  await page.locator("summary", { hasText: "Delete…" }).click();
  await page.getByRole("button", { name: "Yes, delete them" }).click();
  await expect(page.getByTestId("bulk-outcome")).toHaveText(
    usesJavaScript(testInfo)
      ? "Deleted 1 note and 1 card."
      : "The selected cards' notes were deleted, with all their cards.",
  );
  await expect(rows).toHaveCount(1);
  await searchCards(page, testInfo, `deck:"${title}"`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`gato ${unique}`);

  // Sorting is a link, so it works with or without JavaScript.
  await page.getByRole("columnheader", { name: "Card" }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=text/);
  await expect(page.getByRole("columnheader", { name: /Card/ })).toHaveAttribute("aria-sort", /ascending|descending/);
});

test("a teacher defines a note type and writes a note with it", async ({ page }, testInfo) => {
  const unique = `${testInfo.project.name}-${Date.now()}`;
  const deckPath = await createDeck(page, testInfo, `Types ${unique}`);
  const typeName = `Vocabulary ${unique}`;

  await open(page, testInfo, "/note-types");
  const form = page.getByTestId("new-note-type");
  await form.getByLabel("Name", { exact: true }).first().fill(typeName);
  await form.getByLabel("Fields, one per line").fill("Word\nMeaning");
  await form.getByLabel("Front template").first().fill("{{Wrod}}");
  await form.getByLabel("Back template").first().fill("{{FrontSide}}<hr>{{Meaning}}");
  // A spare card slot is always there; more can be added where the button
  // works, and without JavaScript the page says how to get another.
  const addCard = form.getByTestId("add-card-template");
  const spareCardHint = form.getByTestId("spare-card-hint");
  if (usesJavaScript(testInfo)) {
    await expect(spareCardHint).toBeHidden();
    const slots = await form.locator("fieldset").count();
    await addCard.click();
    await expect(form.locator("fieldset")).toHaveCount(slots + 1);
  } else {
    await expect(addCard).toBeHidden();
    await expect(spareCardHint).toBeVisible();
  }
  await form.getByRole("button", { name: "Create note type" }).click();
  await expect(page.getByText("{{Wrod}} names no field")).toBeVisible();
  // The template the message is about is marked, for a screen reader too.
  await expect(page.getByTestId("new-note-type").getByLabel("Front template").first()).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  // What was typed stays, with JavaScript or without it.
  const newType = page.getByTestId("new-note-type");
  await expect(newType.getByLabel("Name", { exact: true }).first()).toHaveValue(typeName);
  await expect(newType.getByLabel("Fields, one per line")).toHaveValue("Word\nMeaning");
  await expect(newType.getByLabel("Front template").first()).toHaveValue("{{Wrod}}");

  await newType.getByLabel("Front template").first().fill("{{Word}}");
  await newType.getByRole("button", { name: "Create note type" }).click();
  await expect(page.getByTestId("own-note-types")).toContainText(typeName);
  // It says so, and the form starts afresh for the next type.
  await expect(newType.getByRole("status")).toHaveText("Created. Use it from any deck's “Add notes” page.");
  await expect(newType.getByLabel("Name", { exact: true }).first()).toHaveValue("");
  await expect(newType.getByLabel("Fields, one per line")).toHaveValue("");

  // A second type of the same name is refused next to the name.
  await newType.getByLabel("Name", { exact: true }).first().fill(typeName.toUpperCase());
  await newType.getByLabel("Fields, one per line").fill("Word");
  await newType.getByLabel("Front template").first().fill("{{Word}}");
  await newType.getByLabel("Back template").first().fill("{{FrontSide}}");
  await newType.getByRole("button", { name: "Create note type" }).click();
  await expect(newType.locator("#new-name-message")).toHaveText("You already have a note type of this name. Choose another.");
  await expect(newType.getByLabel("Name", { exact: true }).first()).toHaveAttribute("aria-invalid", "true");
  await expect(newType.getByLabel("Fields, one per line")).toHaveAttribute("aria-invalid", "false");
  // (The demo teacher's other types, from tests running beside this one,
  // are in the list too.)
  const ownType = page.getByTestId("own-note-types").getByTestId("note-type").filter({ hasText: new RegExp(unique, "i") });
  await expect(ownType).toHaveCount(1);

  // A refused edit opens that type's form alone, with its error and what was
  // typed; a saved one says so.
  await ownType.locator("summary").click();
  await ownType.getByLabel("Name", { exact: true }).first().fill("");
  await ownType.getByRole("button", { name: "Save changes" }).click();
  await expect(ownType.getByText("Give the note type a name.")).toBeVisible();
  await expect(ownType.getByLabel("Fields, one per line")).toHaveValue("Word\nMeaning");
  await expect(newType.getByText("Give the note type a name.")).toHaveCount(0);
  await ownType.getByLabel("Name", { exact: true }).first().fill(typeName);
  await ownType.getByRole("button", { name: "Save changes" }).click();
  await expect(ownType.getByRole("status")).toHaveText("Saved.");

  await open(page, testInfo, `${deckPath}/add`);
  await page.getByRole("tab", { name: typeName }).click();
  await expect(page.getByLabel("Word", { exact: true })).toBeVisible();
  await page.getByLabel("Word", { exact: true }).fill(`casa ${unique}`);
  await page.getByLabel("Meaning", { exact: true }).fill("house");
  if (usesJavaScript(testInfo)) {
    const preview = page.getByTestId("card-preview");
    await expect(preview.locator("[data-side=front]")).toHaveText(`casa ${unique}`);
    await expect(preview.locator("[data-side=back]")).toContainText("house");
  }
  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  }
  await open(page, testInfo, deckPath);
  await expect(page.getByTestId("note-list").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("note-list")).toContainText(`casa ${unique}`);
});

/**
 * Where `text` sits on the screen inside `container`: the box of its first
 * and of its last character, and the container's own box.
 */
async function placeOf(page: Page, container: string, text: string) {
  return page.locator(container).first().evaluate((element, text) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const start = node.textContent!.indexOf(text);
      if (start < 0) continue;
      const box = (from: number) => {
        const range = document.createRange();
        range.setStart(node!, from);
        range.setEnd(node!, from + 1);
        return range.getBoundingClientRect();
      };
      const all = document.createRange();
      all.setStart(node, start);
      all.setEnd(node, start + text.length);
      const paragraph = node.parentElement!.getBoundingClientRect();
      return {
        first: box(start).left,
        last: box(start + text.length - 1).left,
        left: all.getBoundingClientRect().left - paragraph.left,
        right: paragraph.right - all.getBoundingClientRect().right,
      };
    }
    throw new Error(`"${text}" is not in ${container}`);
  }, text);
}

test("right-to-left text on a card reads from the right, with English beside it left to right", async ({
  page,
}, testInfo) => {
  const arabic = "مرحبا بالعالم!";
  const english = "Hello, world!";
  const deckPath = await createDeck(page, testInfo, `Arabic ${testInfo.project.name}-${Date.now()}`);
  const response = await page.request.post("/api/notes/create", {
    headers: { Accept: "application/json", Origin: "http://127.0.0.1:3000" },
    form: {
      "input[deck_id]": deckPath.split("/").pop()!,
      "input[note_type]": "basic",
      "input[fields][0]": arabic,
      "input[fields][1]": english,
      "input[tags]": "",
    },
  });
  expect(response.status()).toBe(200);

  // In a line read from the right, the "!" that ends it is drawn at its
  // left, after (to the left of) the first letter; left to right, it would
  // be drawn at the right end.
  await open(page, testInfo, deckPath);
  const listed = await placeOf(page, '[data-testid="note-list"] .card-content', arabic);
  expect(listed.last).toBeLessThan(listed.first);

  await open(page, testInfo, deckPath.replace("/decks/", "/study/"));
  const front = await placeOf(page, '[data-side="front"]', arabic);
  expect(front.last).toBeLessThan(front.first);
  // ...and starts at the card's right edge.
  expect(front.right).toBeLessThan(2);
  expect(front.left).toBeGreaterThan(100);

  await page.getByTestId("show-answer").first().click();
  // The back shows the front again above the answer: each paragraph takes
  // its own direction.
  const backArabic = await placeOf(page, '[data-side="back"]', arabic);
  expect(backArabic.last).toBeLessThan(backArabic.first);
  expect(backArabic.right).toBeLessThan(2);
  const backEnglish = await placeOf(page, '[data-side="back"]', english);
  expect(backEnglish.last).toBeGreaterThan(backEnglish.first);
  expect(backEnglish.left).toBeLessThan(2);
});

test("a formula wider than a phone scrolls inside its card, and the note editor fits the phone", async ({
  page,
}, testInfo) => {
  const deckPath = await createDeck(page, testInfo, `Formulas ${testInfo.project.name}-${Date.now()}`);
  const response = await page.request.post("/api/notes/create", {
    headers: { Accept: "application/json", Origin: "http://127.0.0.1:3000" },
    form: {
      "input[deck_id]": deckPath.split("/").pop()!,
      "input[note_type]": "basic",
      "input[fields][0]": `Simplify $${Array(80).fill("y").join("+")}$`,
      "input[fields][1]": `$$${Array(80).fill("x").join("+")}$$`,
      "input[tags]": "",
    },
  });
  expect(response.status()).toBe(200);
  await page.setViewportSize({ width: 320, height: 740 });
  const widens = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await open(page, testInfo, deckPath.replace("/decks/", "/study/"));
  await expect(page.locator('[data-side="front"] math')).toBeVisible();
  expect(await widens(), "the study page's front is wider than the phone").toBe(false);
  await page.getByTestId("show-answer").first().click();
  await expect(page.locator('[data-side="back"] math[display="block"]')).toBeVisible();
  expect(await widens(), "the study page's back is wider than the phone").toBe(false);
  // The card scrolls to show the rest, from the keyboard too.
  const card = page.getByTestId("study-card");
  expect(await card.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  await card.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => card.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  // The note editor, with its upload form where there is no JavaScript.
  await open(page, testInfo, `${deckPath}/add`);
  expect(await widens(), "the note editor is wider than the phone").toBe(false);
});

/** The card stylesheet's `<link>` (`app/src/ui/card_styles.rs`). */
const CARD_STYLESHEET = 'link[rel=stylesheet][href^="/pkg/cards."]';

/**
 * Whether `locator`'s element is styled by the card stylesheet: the
 * typography plugin's colours are custom properties set on `.card-content`
 * there and nowhere else.
 */
async function styledAsCard(locator: import("@playwright/test").Locator) {
  return locator.evaluate((element) => getComputedStyle(element).getPropertyValue("--tw-prose-body").trim() !== "");
}

test("cards are styled on the pages that show them, and the pages without cards load no card styles", async ({
  page,
}, testInfo) => {
  const cardStylesheets: string[] = [];
  page.on("request", (request) => {
    if (/^\/pkg\/cards\.[A-Za-z0-9_-]{22}\.css$/.test(new URL(request.url()).pathname)) cardStylesheets.push(request.url());
  });
  await register(page, testInfo, uniqueEmail(testInfo), "Styled Learner");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator(CARD_STYLESHEET)).toHaveCount(0);
  await open(page, testInfo, "/catalogue");
  await expect(page.locator(CARD_STYLESHEET)).toHaveCount(0);
  expect(cardStylesheets, "the dashboard and the catalogue show no card").toEqual([]);

  // Through the catalogue (hydrated, a navigation within the app) to the
  // deck page and its study page, which link the stylesheet.
  const studyPath = new URL(await startStudyingSpanish(page, testInfo)).pathname;
  await expect(page.locator(CARD_STYLESHEET)).toHaveCount(1);
  const card = page.getByTestId("study-card").locator(".card-content").first();
  await expect.poll(() => styledAsCard(card)).toBe(true);
  // With its highlighted code's colours and the typography's: the
  // stylesheet the page links is the one that holds them.
  const href = await page.locator(CARD_STYLESHEET).getAttribute("href");
  const stylesheet = await (await page.request.get(href!)).text();
  expect(stylesheet).toContain(".hl-comment");
  expect(stylesheet).toContain(".card-content");

  await open(page, testInfo, studyPath.replace(/^\/study\//, "/decks/"));
  await expect(page.locator(CARD_STYLESHEET)).toHaveCount(1);
  // The way back is a tap target of at least 24 px (WCAG 2.5.8).
  const back = await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").first().boundingBox();
  expect(back!.height).toBeGreaterThanOrEqual(24);
  await expect.poll(() => styledAsCard(page.getByTestId("note-list").locator(".card-content").first())).toBe(true);

  if (usesJavaScript(testInfo)) {
    // From a page the server sent without it, a navigation within the app
    // to a page with cards links it, once.
    await open(page, testInfo, "/dashboard");
    await expect(page.locator(CARD_STYLESHEET)).toHaveCount(0);
    await page.locator(`a[href="${studyPath}"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`${studyPath}$`));
    await expect(page.getByTestId("study-card")).toBeVisible();
    await expect(page.locator(CARD_STYLESHEET)).toHaveCount(1);
    await expect.poll(() => styledAsCard(page.getByTestId("study-card").locator(".card-content").first())).toBe(true);
    // Back on the dashboard and on to the deck's page: still one link.
    await page.getByRole("link", { name: "Dashboard", exact: true }).first().click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.locator(`a[href="${studyPath.replace(/^\/study\//, "/decks/")}"]`).first().click();
    await expect(page.getByTestId("note-list")).toBeVisible();
    await expect(page.locator(CARD_STYLESHEET)).toHaveCount(1);
    await expect.poll(() => styledAsCard(page.getByTestId("note-list").locator(".card-content").first())).toBe(true);
  }
});

test("a shared deck's page, signed out, shows its cards styled", async ({ browser }, testInfo) => {
  // A new context: signed out, as a shared link opens it.
  const context = await browser.newContext({ javaScriptEnabled: usesJavaScript(testInfo) });
  const page = await context.newPage();
  await page.goto(`/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: "Spanish: first words" }).click();
  await expect(page.getByTestId("deck-title")).toHaveText("Spanish: first words");
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  await expect(page.locator(CARD_STYLESHEET)).toHaveCount(1);
  await expect.poll(() => styledAsCard(page.getByTestId("note-list").locator(".card-content").first())).toBe(true);
  await context.close();
});
