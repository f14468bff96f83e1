import { expect, Page, test } from "@playwright/test";
import { logIn, open, openNewDeckPage } from "./helpers";

// What only a browser can show: text that tries to end a <title> or a
// <textarea> stays text in the page the browser builds, a meta refresh in
// a title never navigates, and the edit form gives back exactly what was
// saved. The server-side suite (server/tests/security.rs) probes every form.

const TEACHER = { email: "teacher@engram.test", password: "engram-teacher" };

function breakoutTitle(project: string) {
  return `Probe ${project} ${Date.now()} </title><meta http-equiv="refresh" content="0;url=/catalogue">`;
}

const BREAKOUT_DESCRIPTION =
  '</textarea><form data-probe="description" method="post" action="/api/logout">' +
  '<button data-probe="button">Continue</button></form> "><svg data-probe="svg" onload="alert(1)">';

async function expectNoInjectedMarkup(page: Page) {
  await expect(page.locator("[data-probe]")).toHaveCount(0);
  await expect(page.locator("meta[http-equiv]")).toHaveCount(0);
  await expect(page.locator("title")).toHaveCount(1);
}

test("markup in a deck's title and description stays text for its owner and its visitors", async ({
  page,
  browser,
}, testInfo) => {
  const title = breakoutTitle(testInfo.project.name);
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openNewDeckPage(page, testInfo);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill(BREAKOUT_DESCRIPTION);
  await page.getByLabel("Who can see it").selectOption("public");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  const deckUrl = page.url();

  // The title is the whole text, and the meta refresh inside it is text too.
  await expect(page).toHaveTitle(`${title} · Engram`);
  await expect(page.getByTestId("deck-title")).toHaveText(title);
  await expectNoInjectedMarkup(page);

  // The edit form holds exactly what was saved: the textarea did not end early.
  await page.getByTestId("edit-deck").locator("summary").click();
  await expect(page.locator("#edit-description")).toHaveValue(BREAKOUT_DESCRIPTION);
  await expect(page.locator("#edit-title")).toHaveValue(title);

  // Saving the form unchanged keeps the text unchanged.
  await page.getByTestId("edit-deck").getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("edit-deck").getByRole("status")).toHaveText("Saved.");
  if (testInfo.project.use.javaScriptEnabled === false) {
    // The plain form post comes back to the deck's page, saying so.
    await expect(page).toHaveURL(`${deckUrl}?saved=deck`);
  }
  await open(page, testInfo, new URL(deckUrl).pathname);
  await page.getByTestId("edit-deck").locator("summary").click();
  await expect(page.locator("#edit-description")).toHaveValue(BREAKOUT_DESCRIPTION);

  // A visitor on the public deck stays on it: no refresh, no injected form.
  const visitorContext = await browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled !== false,
  });
  const visitor = await visitorContext.newPage();
  await open(visitor, testInfo, new URL(deckUrl).pathname);
  await expect(visitor).toHaveTitle(`${title} · Engram`);
  await expectNoInjectedMarkup(visitor);
  // A meta refresh of 0 seconds would have left by the time the page's
  // resources loaded; wait for that and check the address again.
  await visitor.waitForLoadState("load");
  await expect(visitor).toHaveURL(deckUrl);
  await visitorContext.close();
});
