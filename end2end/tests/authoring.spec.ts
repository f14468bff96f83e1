import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectAccessible, LEARNER, logIn, open, openNewDeckPage, register, uniqueEmail } from "./helpers";

const TEACHER = { email: "teacher@engram.test", password: "engram-teacher" };

function usesJavaScript(testInfo: TestInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

async function createDeck(page: Page, testInfo: TestInfo, title: string) {
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openNewDeckPage(page, testInfo);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Elements and their symbols");
  await page.getByLabel("Who can see it").selectOption("private");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("deck-title")).toHaveText(title);
}

test("a teacher builds a deck with a Basic note and a Cloze note with a formula", async ({ page }, testInfo) => {
  const title = `Chemistry ${testInfo.project.name} ${Date.now()}`;
  await createDeck(page, testInfo, title);
  await expect(page.getByText("This deck has no notes yet.")).toBeVisible();

  await page.getByRole("link", { name: "Add notes" }).click();
  await expect(page).toHaveURL(/\/add$/);
  await page.getByLabel("Front", { exact: true }).fill("Symbol for sodium?");
  await page.getByLabel("Back", { exact: true }).fill("**Na**");
  if (usesJavaScript(testInfo)) {
    const preview = page.getByTestId("card-preview");
    await expect(preview.locator("[data-side=front]")).toHaveText("Symbol for sodium?");
    await expect(preview.locator("[data-side=back] strong")).toHaveText("Na");
  }
  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
    await expect(page.getByLabel("Front", { exact: true })).toHaveValue("");
  } else {
    // The plain form post comes back to the editor.
    await expect(page).toHaveURL(/\/add\?type=basic&added=1$/);
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  }

  await page.getByRole("tab", { name: "Cloze" }).click();
  await expect(page).toHaveURL(/type=cloze$/);
  const text = page.getByLabel("Text", { exact: true });
  if (usesJavaScript(testInfo)) {
    // A note that cannot make cards says why in the preview.
    await text.fill("Water is {{c1::$H_2O$");
    await expect(page.getByTestId("preview-error")).toContainText("Text:");
    // The problem is said once; the preview, which changes at every pause
    // in typing, is not read out each time.
    await expect(page.getByTestId("preview-error")).toHaveRole("status");
    await expect(page.getByRole("region", { name: "Preview" })).not.toHaveAttribute("aria-live");
    await expect(page.getByText("needs JavaScript")).toBeHidden();
  }
  await text.fill("Water is {{c1::$H_2O$}}");
  if (usesJavaScript(testInfo)) {
    const preview = page.getByTestId("card-preview");
    await expect(preview.locator("[data-side=front]")).toContainText("[...]");
    await expect(preview.locator("[data-side=back] math msub")).toBeVisible();
    await expect(preview.first()).toContainText("Cloze 1");
    await text.press("Control+Enter");
    await expect(page.getByTestId("added-count")).toHaveText(/notes? added/);
    await expect(text).toHaveValue("");
    // The saved note's cards leave the preview with it.
    await expect(preview).toHaveCount(0);
    // The keys pressed again on the empty note that follows save nothing,
    // and say nothing is wrong with it (checked once the next note's
    // preview, asked for after them, has come back).
    const added = await page.getByTestId("added-count").innerText();
    const saves: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/notes/create")) saves.push(request.url());
    });
    await text.press("Control+Enter");
    await text.press("Control+Enter");
    await text.fill("Salt is {{c1::NaCl}}");
    await expect(preview.locator("[data-side=front]")).toContainText("[...]");
    expect(saves).toEqual([]);
    await expect(page.getByTestId("added-count")).toHaveText(added);
    await expect(page.locator("#note-field-0-message")).toBeEmpty();
    await text.fill("");
  } else {
    await page.getByRole("button", { name: "Save note" }).click();
    await expect(page).toHaveURL(/type=cloze&added=1$/);
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  }

  await open(page, testInfo, page.url().replace(/\/add.*$/, ""));
  const notes = page.getByTestId("note-list").locator("li");
  await expect(notes).toHaveCount(2);
  await expect(notes.first()).toContainText("Symbol for sodium?");
  await expect(notes.nth(1)).toContainText("Water is [...]");
});

test("a learner cannot open a teacher's private deck", async ({ page }, testInfo) => {
  const title = `Private ${testInfo.project.name} ${Date.now()}`;
  await createDeck(page, testInfo, title);
  const deckUrl = page.url();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await logIn(page, testInfo, LEARNER.email, LEARNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  const response = await page.goto(deckUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("does not exist");
  await expect(page.getByText(title)).toHaveCount(0);
});

test("a new deck is written on a page of its own, which keeps what was typed when it refuses", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Deck Maker");
  await expect(page.getByText("You have no decks yet.")).toBeVisible();
  await openNewDeckPage(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New deck");
  await expectAccessible(page, testInfo);
  // A learner's decks are private, and the form says so.
  await expect(page.getByLabel("Who can see it")).toBeDisabled();
  await expect(page.getByText("Your decks are private. Teachers can share theirs.")).toBeVisible();

  // A title left empty is refused next to the field, and nothing typed is
  // lost, also when the post without JavaScript comes back as a new page.
  await page.getByLabel("Description").fill("Words from the market");
  await page.getByLabel("Language (optional)").fill("es");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page.locator("#deck-title-message")).toHaveText("Give the deck a title.");
  await expect(page.locator("#deck-title")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/decks\/new(\?|$)/);
  await expect(page.getByLabel("Description")).toHaveValue("Words from the market");
  await expect(page.getByLabel("Language (optional)")).toHaveValue("es");

  // A description too long to save comes back whole, to be cut, though it
  // is far too long to carry back in the page's address.
  const tooLong = "Words from the market: fruit, bread, fish and cheese. ".repeat(200);
  await page.getByLabel("Title").fill("Market words");
  await page.getByLabel("Description").fill(tooLong);
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page.locator("#deck-description-message")).toHaveText("Use at most 10,000 characters.");
  await expect(page.getByLabel("Description")).toHaveValue(tooLong);
  await expect(page.getByLabel("Title")).toHaveValue("Market words");
  await expect(page.getByLabel("Language (optional)")).toHaveValue("es");
  // The field says by how much, with and without JavaScript.
  const count = page.locator("#deck-description-count");
  await expect(count).toHaveText("10,800 of 10,000 characters: 800 too many");
  if (usesJavaScript(testInfo)) {
    // As it is cut, the count follows, and goes once there is room.
    await page.getByLabel("Description").fill(tooLong.slice(0, 9_500));
    await expect(count).toHaveText("9,500 of 10,000 characters");
    await page.getByLabel("Description").fill("Words from the market");
    await expect(count).toHaveText("");
  }
  await page.getByLabel("Description").fill("Words from the market");

  const title = `Market words ${testInfo.project.name} ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("deck-title")).toHaveText(title);
  await expect(page.getByRole("paragraph").filter({ hasText: "Words from the market" })).toBeVisible();
  await open(page, testInfo, "/dashboard");
  await expect(page.getByRole("heading", { name: "Your decks (1)" })).toBeVisible();
  await expect(page.getByTestId("deck-list").getByRole("link", { name: title })).toBeVisible();
});

test("a teacher renames a deck and gives it a subdeck", async ({ page }, testInfo) => {
  const title = `Grammar ${testInfo.project.name} ${Date.now()}`;
  await createDeck(page, testInfo, title);
  const parentUrl = page.url();

  // A title left empty is refused next to the field, and the form stays
  // open with it, also after a post without JavaScript reloads the page.
  // What was typed into the other fields stays, the description too (a
  // text area, which a reload of the deck would have emptied).
  await page.getByTestId("edit-deck").locator("summary").click();
  await page.locator("#edit-title").fill("");
  await page.locator("#edit-description").fill("Typed before the refusal");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#edit-title-message")).toHaveText("Give the deck a title.");
  await expect(page.locator("#edit-title")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#edit-title")).toHaveValue("");
  await expect(page.locator("#edit-description")).toHaveValue("Typed before the refusal");
  await expect(page.getByTestId("deck-title")).toHaveText(title);

  await page.locator("#edit-title").fill(`${title} (A1)`);
  // Saved from the keyboard.
  await page.getByRole("button", { name: "Save changes" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("deck-title")).toHaveText(`${title} (A1)`);
  // The deck reloaded under the form, which stays open and says so, also
  // when the page came back after a post without JavaScript.
  await expect(page.getByTestId("edit-deck").getByRole("status")).toHaveText("Saved.");
  // In the app, the focus stays where the keyboard left it, rather than
  // going back to the top of the page.
  if (usesJavaScript(testInfo)) await expect(page.getByRole("button", { name: "Save changes" })).toBeFocused();
  await expect(page.locator("#edit-title")).toHaveValue(`${title} (A1)`);

  await page.getByTestId("new-subdeck").locator("summary").click();
  await page.locator("#subdeck-title").fill("Irregular verbs");
  await page.getByTestId("new-subdeck").getByRole("button", { name: "Create deck" }).click();
  await expect(page.getByTestId("deck-title")).toHaveText("Irregular verbs");
  await page.getByRole("link", { name: "← Parent deck" }).click();
  await expect(page).toHaveURL(parentUrl);
  await expect(page.getByRole("link", { name: "Irregular verbs" })).toBeVisible();
});

test("a deck titled with quotes, backslashes and markup reads the same after a reload hydrates it", async ({ page }, testInfo) => {
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  // Every character the server escapes when it writes the page's data into
  // a script for hydration, and markup that would end that script early.
  const title = `Quotes "double" 'single' \\ </script><script>alert(1)</script> <!-- \u2028日本語 🙂 ${testInfo.project.name} ${Date.now()}`;
  const description = 'Line one\n\tline two ends with \\" and </SCRIPT>';
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await openNewDeckPage(page, testInfo);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill(description);
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);

  // A reload renders the page on the server, and the app hydrates it from
  // the data written into the page, without asking the server again.
  const asked: string[] = [];
  page.on("request", (request) => request.url().includes("/api/") && asked.push(request.url()));
  await page.reload();
  if (usesJavaScript(testInfo)) await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await expect(page.getByTestId("deck-title")).toHaveText(title);
  expect(await page.getByTestId("deck-title").textContent()).toBe(title);
  expect(await page.getByRole("paragraph").filter({ hasText: "Line one" }).textContent()).toBe(description);
  expect(await page.title()).toBe(`${title} · Engram`);
  await page.getByTestId("edit-deck").locator("summary").click();
  await expect(page.locator("#edit-title")).toHaveValue(title);
  expect(asked).toEqual([]);
  expect(problems).toEqual([]);
});

test("a teacher edits a note and its card changes", async ({ page }, testInfo) => {
  const title = `Capitals ${testInfo.project.name} ${Date.now()}`;
  await createDeck(page, testInfo, title);
  await page.getByRole("link", { name: "Add notes" }).click();
  await page.getByLabel("Front", { exact: true }).fill("Capital of Peru?");
  await page.getByLabel("Back", { exact: true }).fill("Cuzco");
  await page.getByLabel("Tags").fill("geography");
  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  } else {
    await expect(page).toHaveURL(/\/add\?type=basic&added=1$/);
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  }
  await open(page, testInfo, page.url().replace(/\/add.*$/, ""));

  await page.getByTestId("note-list").getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}\/edit$/);
  const back = page.getByLabel("Back", { exact: true });
  await expect(back).toHaveValue("Cuzco");
  await back.fill("Lima");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("note-list").locator("li")).toHaveCount(1);
  await page.getByTestId("note-list").getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Back", { exact: true })).toHaveValue("Lima");

  // Deleting asks first, with or without JavaScript.
  await page.getByRole("link", { name: "Cancel" }).click();
  await page.getByTestId("delete-note").locator("summary").click();
  await expect(page.getByTestId("delete-note")).toContainText("This cannot be undone.");
  await expect(page.getByTestId("note-list").locator("li")).toHaveCount(1);
  await page.getByRole("button", { name: "Yes, delete the note" }).click();
  await expect(page.getByText("This deck has no notes yet.")).toBeVisible();
});

test("tags already used are suggested while typing", async ({ page }, testInfo) => {
  const title = `Tags ${testInfo.project.name} ${Date.now()}`;
  await createDeck(page, testInfo, title);
  await page.getByRole("link", { name: "Add notes" }).click();
  await page.getByLabel("Front", { exact: true }).fill("Capital of Chile?");
  await page.getByLabel("Back", { exact: true }).fill("Santiago");
  await page.getByLabel("Tags").fill("geography-south-america");
  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
    await page.getByLabel("Tags").fill("capitals geo");
    await page.getByTestId("tag-suggestion").filter({ hasText: "geography-south-america" }).click();
    await expect(page.getByLabel("Tags")).toHaveValue("capitals geography-south-america ");
  } else {
    // Without JavaScript there are no suggestions, and typed tags still save.
    await expect(page).toHaveURL(/\/add\?type=basic&added=1$/);
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
    await expect(page.getByTestId("tag-suggestion")).toHaveCount(0);
    await open(page, testInfo, page.url().replace(/\/add.*$/, ""));
    await expect(page.getByTestId("note-list")).toContainText("geography-south-america");
  }
});

test("tags stay for the next note of the same type only, and clear in one click", async ({ page }, testInfo) => {
  await createDeck(page, testInfo, `Tag scope ${testInfo.project.name} ${Date.now()}`);
  await page.getByRole("link", { name: "Add notes" }).click();
  await page.getByLabel("Front", { exact: true }).fill("hablar");
  await page.getByLabel("Back", { exact: true }).fill("to speak");
  const tags = page.getByLabel("Tags");
  await tags.fill("verbs a1");
  await page.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  if (!usesJavaScript(testInfo)) {
    // Without JavaScript each note starts afresh, so nothing carries over
    // unseen, and there is nothing to clear.
    await expect(tags).toHaveValue("");
    await expect(page.getByTestId("tags-carry-over")).toHaveCount(0);
    return;
  }
  await expect(tags).toHaveValue("verbs a1");
  await expect(page.getByTestId("tags-carry-over")).toContainText("next Basic note");

  await page.getByRole("tab", { name: "Cloze" }).click();
  await expect(page).toHaveURL(/type=cloze$/);
  await expect(tags).toHaveValue("");
  await expect(page.getByTestId("tags-carry-over")).toHaveCount(0);

  await page.getByRole("tab", { name: "Basic", exact: true }).click();
  await expect(tags).toHaveValue("verbs a1");
  await page.getByRole("button", { name: "Clear tags" }).click();
  await expect(tags).toHaveValue("");

  // The arrow keys move between the note types; Enter opens the focused one.
  const types = page.getByRole("tab");
  await types.first().focus();
  await page.keyboard.press("ArrowRight");
  await expect(types.nth(1)).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(types.last()).toBeFocused();
  await page.keyboard.press("Home");
  await expect(types.first()).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await expect(types.nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(types.first()).toHaveAttribute("aria-selected", "false");
});

test("a note that cannot be saved, or gets an image, keeps what was typed", async ({ page }, testInfo) => {
  await createDeck(page, testInfo, `Molecules ${testInfo.project.name} ${Date.now()}`);
  await page.getByRole("link", { name: "Add notes" }).click();
  await expect(page).toHaveURL(/\/add$/);
  // No front: no card can be made, and the error names the field.
  await page.getByLabel("Back", { exact: true }).fill("Bent, 104.5°");
  await page.getByLabel("Tags").fill("chemistry");
  await page.getByRole("button", { name: "Save note" }).click();
  if (!usesJavaScript(testInfo)) {
    await expect(page).toHaveURL(/[?&]unsaved=1$/);
  }
  await expect(page.locator("#note-field-0-message")).not.toBeEmpty();
  await expect(page.getByLabel("Back", { exact: true })).toHaveValue("Bent, 104.5°");
  await expect(page.getByLabel("Tags")).toHaveValue("chemistry");

  await page.getByLabel("Front", { exact: true }).fill("What shape is a water molecule?");
  if (usesJavaScript(testInfo)) {
    // The save's message was about the empty front: once the front is
    // written, it goes (the preview now finds the note makes a card).
    await expect(page.locator("#note-field-0-message")).toBeEmpty();
  }
  const image = "../server/src/demo/water-molecule.png";
  if (usesJavaScript(testInfo)) {
    await page.getByLabel("Add image or audio to Back").setInputFiles(image);
  } else {
    // Without JavaScript the whole note goes along with the file.
    await page.getByLabel("File").setInputFiles(image);
    await page.getByLabel("into").selectOption({ label: "Back" });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByTestId("upload-notice")).toHaveText("Added water-molecule.png.");
  }
  await expect(page.getByLabel("Back", { exact: true })).toHaveValue(
    /^Bent, 104\.5°\n\n!\[water-molecule\]\(\/media\/[0-9a-f]{64}\)$/,
  );
  await expect(page.getByLabel("Front", { exact: true })).toHaveValue("What shape is a water molecule?");
  await page.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
});

test("a deck of many notes lists them a page at a time under their true count", async ({ page }, testInfo) => {
  const title = `Many notes ${testInfo.project.name}-${Date.now()}`;
  await createDeck(page, testInfo, title);
  const deckPath = new URL(page.url()).pathname;
  const deckId = deckPath.split("/").pop()!;
  // The notes are written through the same server function the editor
  // posts to; the editor itself is tested above.
  for (let i = 1; i <= 55; i++) {
    const response = await page.request.post("/api/notes/create", {
      headers: { Accept: "application/json", Origin: "http://127.0.0.1:3000" },
      form: {
        "input[deck_id]": deckId,
        "input[note_type]": "basic",
        "input[fields][0]": `Element ${i}`,
        "input[fields][1]": `Symbol ${i}`,
        "input[tags]": "",
      },
    });
    expect(response.status()).toBe(200);
  }

  await open(page, testInfo, deckPath);
  await expect(page.locator("#notes-heading")).toHaveText("Notes (55)");
  const notes = page.getByTestId("note-list").locator("li");
  await expect(notes).toHaveCount(50);
  const pages = page.getByTestId("note-pages");
  await expect(pages).toContainText("Notes 1–50 of 55");
  await pages.getByRole("link", { name: "More notes" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(notes).toHaveCount(5);
  await expect(notes.first()).toContainText("Element 51");
  await expect(pages).toContainText("Notes 51–55 of 55");
  // The page before is the first: one link back, not two.
  await expect(pages.getByRole("link", { name: "First notes" })).toHaveCount(0);
  await pages.getByRole("link", { name: "Previous notes" }).click();
  await expect(pages).toContainText("Notes 1–50 of 55");
  await expect(notes).toHaveCount(50);
  await expect(notes.first()).toContainText("Element 1");
});

test("a 200-letter word in a deck's title wraps on a phone rather than widening the page", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  // A teacher's, so that it can be public and be found in the catalogue.
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await open(page, testInfo, "/dashboard");
  await openNewDeckPage(page, testInfo);
  const title = `Pneumono${"a".repeat(184)}${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Who can see it").selectOption("public");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("deck-title")).toHaveText(title);
  const widens = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(await widens(), "the deck's page is wider than the phone").toBe(false);
  // A note with a long word beside its Edit and Delete: the word wraps, and
  // the two keep their words whole on one line.
  const response = await page.request.post("/api/notes/create", {
    headers: { Accept: "application/json", Origin: "http://127.0.0.1:3000" },
    form: {
      "input[deck_id]": new URL(page.url()).pathname.split("/").pop()!,
      "input[note_type]": "basic",
      "input[fields][0]": `What does ${title} mean?`,
      "input[fields][1]": "A long word",
      "input[tags]": "",
    },
  });
  expect(response.status()).toBe(200);
  await page.reload();
  const note = page.getByTestId("note-list").locator("li").first();
  for (const control of [note.getByRole("link", { name: "Edit" }), note.getByText("Delete", { exact: true })]) {
    const lineHeight = await control.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    expect((await control.boundingBox())!.height, "the control is on one line").toBeLessThan(2 * lineHeight);
  }
  expect(await widens(), "the deck's page with the note is wider than the phone").toBe(false);
  await open(page, testInfo, "/dashboard");
  await expect(page.getByText(title).first()).toBeVisible();
  expect(await widens(), "the dashboard is wider than the phone").toBe(false);
  // In the catalogue, its "Deck" badge stays one word beside the title.
  await open(page, testInfo, `/catalogue?q=${title}`);
  const entry = page.getByTestId("catalogue-entry").filter({ hasText: title }).first();
  const badge = entry.getByText("Deck", { exact: true });
  const lineHeight = await badge.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
  expect((await badge.boundingBox())!.height, "the badge is on one line").toBeLessThan(2 * lineHeight);
  expect(await widens(), "the catalogue is wider than the phone").toBe(false);
});

test("an edit that would delete a card learners have studied asks first, and saves once agreed", async ({ page }, testInfo) => {
  const title = `Reversed ${testInfo.project.name} ${Date.now()}`;
  await createDeck(page, testInfo, title);
  const deckPath = new URL(page.url()).pathname;
  const deckId = deckPath.split("/").pop()!;
  const headers = { Accept: "application/json", Origin: "http://127.0.0.1:3000" };
  const created = await page.request.post("/api/notes/create", {
    headers,
    form: {
      "input[deck_id]": deckId,
      "input[note_type]": "basic_reversed",
      "input[fields][0]": "Capital of Peru?",
      "input[fields][1]": "Lima",
      "input[tags]": "",
    },
  });
  expect(created.status()).toBe(200);
  // The teacher studies the deck's reversed card ("Lima" on its front) once.
  const queue = await (await page.request.get(`/api/study/queue?deck_id=${deckId}`, { headers })).json();
  const reversed = (queue.cards as { id: string; front_html: string }[]).find((card) => card.front_html.includes("Lima"))!;
  const rated = await page.request.post("/api/study/reviews", {
    headers,
    data: {
      reviews: [{ id: crypto.randomUUID(), card_id: reversed.id, rating: 3, reviewed_at_ms: Date.now(), duration_ms: 2000 }],
    },
  });
  expect(rated.status()).toBe(200);

  await open(page, testInfo, deckPath);
  await page.getByTestId("note-list").getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}\/edit$/);
  // Emptied, the back can make no card "Lima → Capital of Peru?".
  await page.getByLabel("Back", { exact: true }).fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  const warning = page.getByTestId("studied-cards-warning");
  await expect(warning).toContainText(
    "This edit leaves 1 card that learners have studied with nothing to show, so it would be deleted, and with it the schedule of 1 learner (1 rating).",
  );
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}\/edit/);
  await expect(page.getByLabel("Back", { exact: true })).toHaveValue("");
  await expectAccessible(page, testInfo);
  await warning.getByLabel("Delete anyway, with the learners' schedules").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`${deckPath}$`));
  const after = await (await page.request.get(`/api/study/queue?deck_id=${deckId}`, { headers })).json();
  expect((after.cards as { front_html: string }[]).map((card) => card.front_html).join(" ")).not.toContain("Lima");
});
