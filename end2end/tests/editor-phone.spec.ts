import { expect, Page, test, TestInfo } from "@playwright/test";
import { logIn, open, openNewDeckPage } from "./helpers";

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

/** The generated text that stands in for a type-in card's answer box. */
async function answerBoxLabel(page: Page, scope: string): Promise<string> {
  const marker = page.locator(`${scope} .type-answer`).first();
  await expect(marker).toBeAttached();
  const box = await marker.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThan(10);
  return marker.evaluate((element) => getComputedStyle(element, "::before").content);
}

test("a type-in card shows a labelled answer box, not a gap", async ({ page }, testInfo) => {
  const deckPath = await createDeck(page, testInfo, `Type-in ${testInfo.project.name} ${Date.now()}`);
  await open(page, testInfo, `${deckPath}/add?type=type_answer`);
  await page.getByLabel("Front", { exact: true }).fill("2 + 2 =");
  await page.getByLabel("Back", { exact: true }).fill("4");
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("card-preview")).toHaveCount(1);
    expect(await answerBoxLabel(page, "[data-testid=card-preview] [data-side=front]")).toContain("Answer box");
  }
  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  }
  await open(page, testInfo, deckPath);
  expect(await answerBoxLabel(page, "[data-testid=note-list]")).toContain("Answer box");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("one long line of code scrolls in its box and the editor stays inside the screen", async ({ page }, testInfo) => {
    const deckPath = await createDeck(page, testInfo, `Phone ${testInfo.project.name} ${Date.now()}`);
    const longLine = `let answer = ${"compute(".repeat(20)}42${")".repeat(20)}; // ${"x".repeat(200)}`;
    await open(page, testInfo, `${deckPath}/add`);
    await page.getByLabel("Front", { exact: true }).fill("What does this print?");
    await page.getByLabel("Back", { exact: true }).fill("```rust\n" + longLine + "\n```");
    if (usesJavaScript(testInfo)) {
      await expect(page.getByTestId("card-preview").locator("pre")).toBeVisible();
    }
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await page.getByRole("button", { name: "Save note" }).click();
    if (usesJavaScript(testInfo)) {
      await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
      // On screen where the next note starts, not below the fold.
      await expect(page.getByLabel("Front", { exact: true })).toBeFocused();
      await expect(page.getByTestId("added-count")).toBeInViewport();
    }
    // The deck page lists the front only; the note's edit page previews the code again.
    await open(page, testInfo, deckPath);
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await page.getByTestId("note-list").getByRole("link", { name: "Edit" }).click();
    await expect(page.getByLabel("Back", { exact: true })).toHaveValue(/compute/);
    if (usesJavaScript(testInfo)) {
      await page.getByLabel("Back", { exact: true }).press("End");
      await page.getByLabel("Back", { exact: true }).type(" ");
      await expect(page.getByTestId("card-preview").locator("pre")).toBeVisible();
    }
    expect(await pageWidth()).toBeLessThanOrEqual(390);
  });
});
