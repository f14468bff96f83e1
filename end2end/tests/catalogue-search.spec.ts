import { expect, Page, test } from "@playwright/test";
import { expectAccessible, logIn, open, SPANISH_DECK, usesJavaScript } from "./helpers";

// The catalogue's search box suggests titles as one types. Signed out, the
// catalogue runs none of the app's code: the suggestions come from the
// page's own small script (public/catalogue-search.js), which serves the
// app's catalogue too, signed in.

/** Paths of the app's code that the page asks for: its WebAssembly and JS glue. */
function recordAppCode(page: Page) {
  const requested: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/") && /\.(wasm|js)$/.test(path)) requested.push(path);
  });
  return requested;
}

/** Types into the search box as a person does, a key at a time. */
async function typeSearch(page: Page, text: string) {
  const box = page.getByRole("searchbox", { name: "Search" });
  await box.fill("");
  await box.pressSequentially(text, { delay: 20 });
  return box;
}

test("signed out, the catalogue runs no app code, and its titles are still suggested as one types", async ({ page }, testInfo) => {
  const appCode = recordAppCode(page);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));

  await open(page, testInfo, "/catalogue");
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  const suggestions = page.getByTestId("suggestions");

  if (!usesJavaScript(testInfo)) {
    // Without JavaScript: no suggestions, and the search is a plain form.
    await page.getByRole("searchbox", { name: "Search" }).fill("spanish first");
    await expect(suggestions).toBeHidden();
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page.getByRole("link", { name: SPANISH_DECK })).toBeVisible();
    return;
  }

  // Typing pauses are asked about, from two letters on: one letter asks nothing.
  const asked: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === "/api/catalogue/suggest") asked.push(url.searchParams.get("typed") ?? "");
  });
  await typeSearch(page, "s");
  const box = await typeSearch(page, "spanish fir");
  await expect(suggestions).toBeVisible();
  const spanish = suggestions.getByRole("link", { name: new RegExp(SPANISH_DECK) });
  await expect(spanish).toContainText("deck");
  // A screen reader, whose focus stays in the box, is told they came.
  const count = await suggestions.getByRole("link").count();
  await expect(page.getByRole("status").filter({ hasText: "press the down arrow" })).toHaveText(
    `${count} suggestion${count > 1 ? "s" : ""}: press the down arrow to reach them.`,
  );
  // The open list passes the same accessibility check as the page, light and dark.
  await expectAccessible(page, testInfo);
  await box.focus();
  await expect(suggestions).toBeVisible();
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.every((typed) => typed.length >= 2), asked.join(", ")).toBe(true);
  expect(asked.at(-1)).toBe("spanish fir");

  // The arrow keys walk into the list and back.
  await box.press("ArrowDown");
  await expect(suggestions.getByRole("link").first()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(box).toBeFocused();
  // Leaving the box closes the list; coming back shows it again.
  await page.getByRole("button", { name: "Search", exact: true }).focus();
  await expect(suggestions).toBeHidden();
  await box.focus();
  await expect(suggestions).toBeVisible();
  // Escape closes it and keeps the box.
  await box.press("Escape");
  await expect(suggestions).toBeHidden();
  await expect(box).toBeFocused();
  // Cut to one letter, the box keeps no list to show again.
  await typeSearch(page, "s");
  await expect(suggestions.locator("a")).toHaveCount(0);
  await page.getByRole("button", { name: "Search", exact: true }).focus();
  await box.focus();
  await expect(suggestions).toBeHidden();

  // A text that matches nothing shows no empty list, and says nothing.
  await typeSearch(page, "zzqqxxkk");
  await expect(suggestions).toBeHidden();
  await expect(page.locator("#catalogue-suggestions-status")).toHaveText("");

  // A suggestion is a link to its deck.
  await typeSearch(page, "spanish fir");
  await spanish.click();
  await expect(page.getByTestId("deck-title")).toHaveText(SPANISH_DECK);
  expect(appCode).toEqual([]);
  expect(errors).toEqual([]);
});

test("signed in, the app's catalogue suggests the same way, and a suggestion opens within the page", { tag: "@scripts" }, async ({ page }, testInfo) => {
  await logIn(page, testInfo, "learner@engram.test", "engram-learner");
  await open(page, testInfo, "/catalogue");
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));

  const suggestions = page.getByTestId("suggestions");
  await typeSearch(page, "spanish fir");
  await suggestions.getByRole("link", { name: new RegExp(SPANISH_DECK) }).click();
  await expect(page.getByTestId("deck-title")).toHaveText(SPANISH_DECK);
  // The app followed the link itself: the same document.
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);

  // Back on the catalogue, drawn by the app this time, the box still suggests.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalogue", exact: true }).first().click();
  await expect(page).toHaveURL(/\/catalogue$/);
  await typeSearch(page, "chemistry");
  await expect(suggestions).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);

  // A search sent from the form: the app shows its results within the
  // page, at an address without the filters left at "any".
  await page.getByLabel("Level").selectOption("beginner");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/catalogue\?q=chemistry&sort=relevance&level=beginner$/);
  await expect(page.getByTestId("catalogue-results")).toContainText(/chemistry/i);
  await expect(page.getByLabel("Level")).toHaveValue("beginner");
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
});
