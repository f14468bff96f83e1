import { expect, Page, test, TestInfo } from "@playwright/test";
import { logIn, open } from "./helpers";

const TEACHER = { email: "teacher@engram.test", password: "engram-teacher" };

function usesJavaScript(testInfo: TestInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Creates a private deck with a unique title and returns its address. */
async function createDeck(page: Page, testInfo: TestInfo, title: string): Promise<string> {
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId("new-deck").locator("summary").click();
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
