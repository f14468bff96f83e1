import axe from "axe-core";
import { Browser, BrowserContext, expect, Page, TestInfo } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const PASSWORD = "a sturdy passphrase";

/** An email no other test (or earlier run) has used. */
export function uniqueEmail(testInfo: TestInfo): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `e2e-${testInfo.project.name}-${Date.now()}-${random}@example.org`;
}

/** The pages each test has checked with axe, by path. */
const checkedPages = new WeakMap<TestInfo, Set<string>>();

/**
 * Waits until the page is ready to use: hydrated, or one that runs no app
 * code at all (the signed-out home, login and sign-up pages, which are
 * complete as the server sends them).
 */
export async function expectReady(page: Page) {
  await expect(page.locator("html[data-hydrated=true], html[data-page-code=none]")).toBeAttached();
}

/**
 * Opens `path` and, when JavaScript is on, waits until it is ready
 * (`expectReady`), without an axe check. For the pages a helper passes
 * through on the way to what a test is about (sign-up, login, the
 * catalogue): their own specs check them with `open`, and checking them
 * again in every test that signs up cost each no-JavaScript test a scratch
 * browser context and two axe runs, which brought the longer flows within
 * reach of the test timeout on a loaded machine.
 */
export async function visit(page: Page, testInfo: TestInfo, path: string) {
  await page.goto(path);
  if (usesJavaScript(testInfo)) await expectReady(page);
}

/**
 * Opens `path` and, when JavaScript is on, waits until the page is ready
 * (`expectReady`).
 * The first time a test opens a page (a path, whatever its query), checks it
 * with axe in light and dark mode: any violation fails the test. A flow that
 * comes back to a page many times (a search run again) pays for one check,
 * which keeps the long flows well inside the test timeout.
 */
export async function open(page: Page, testInfo: TestInfo, path: string) {
  await page.goto(path);
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expectReady(page);
  }
  const checked = checkedPages.get(testInfo) ?? new Set<string>();
  checkedPages.set(testInfo, checked);
  const pathname = new URL(page.url()).pathname;
  if (!checked.has(pathname)) {
    checked.add(pathname);
    await expectAccessible(page, testInfo);
  }
}

/**
 * Fails the test if axe (all its default rules: WCAG A and AA, and best
 * practices) finds a violation on the page as it is now, in light or dark.
 * Without JavaScript axe cannot run in the page itself, so it runs in a
 * scratch page of the same browser, signed in the same way,
 * whose own scripts are blocked: the same server-rendered HTML.
 *
 * axe-core is injected once per page and run directly. `AxeBuilder` injects
 * it again for every run and finishes each run in a new blank page, which
 * cost a long flow (register, a deck, two notes, six searches) about half
 * its time and brought it within reach of the test timeout on a busy machine.
 * Only the colour rules can change with the colour scheme, so the dark pass
 * runs just those.
 */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  const javaScript = testInfo.project.use.javaScriptEnabled !== false;
  let target = page;
  let scratch: Awaited<ReturnType<Browser["newContext"]>> | undefined;
  if (!javaScript) {
    // The test runner gives new contexts the project's options, so
    // JavaScript has to be turned back on here for axe itself to run.
    scratch = await page.context().browser()!.newContext({
      javaScriptEnabled: true,
      storageState: await page.context().storageState(),
      viewport: page.viewportSize(),
    });
    target = await scratch.newPage();
    await target.route(/\.(js|wasm)(\?|$)/, (route) => route.abort());
    await target.goto(page.url());
  }
  const path = new URL(page.url()).pathname;
  try {
    // Evaluated through the DevTools protocol, so the page's CSP allows it.
    await target.evaluate(axe.source);
    for (const colorScheme of ["light", "dark"] as const) {
      await target.emulateMedia({ colorScheme });
      const rules = colorScheme === "light" ? null : COLOUR_RULES;
      const violations = await target.evaluate(
        (rules) =>
          (window as unknown as { axe: typeof axe }).axe
            .run(document, {
              resultTypes: ["violations"],
              ...(rules ? { runOnly: { type: "rule" as const, values: rules } } : {}),
            })
            .then((results) =>
              results.violations.map(
                (violation) =>
                  `${violation.id} (${violation.impact}): ${violation.help}\n` +
                  violation.nodes
                    .map((node) => `    ${node.target.join(" ")}: ${node.failureSummary ?? ""}`)
                    .join("\n"),
              ),
            ),
        rules,
      );
      expect(violations, `axe on ${path} in ${colorScheme} mode`).toEqual([]);
    }
  } finally {
    if (scratch) {
      await scratch.close();
    } else {
      await page.emulateMedia({ colorScheme: null });
    }
  }
}

/** The axe rules whose outcome depends on colours. */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

export async function register(page: Page, testInfo: TestInfo, email: string, name: string) {
  // Checked with axe in accounts.spec.ts and first-hour.spec.ts.
  await visit(page, testInfo, "/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // Signed out, the sign-up page is a plain form, so the dashboard is a new
  // page: the test goes on once it is hydrated, as a person would see it.
  if (usesJavaScript(testInfo)) await expectReady(page);
}

export async function logIn(page: Page, testInfo: TestInfo, email: string, password: string) {
  // Checked with axe in accounts.spec.ts and first-hour.spec.ts.
  await visit(page, testInfo, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  // Signed out, the login page runs no app code: the form posts, and the
  // answer (the dashboard, or the form with its error) is a new page, which
  // the test goes on with once it is ready. Hydrated, the app logs in itself.
  const plainForm = (await page.locator("html[data-page-code=none]").count()) > 0;
  const answered = plainForm ? page.waitForEvent("load") : null;
  await page.getByRole("button", { name: "Log in" }).click();
  if (answered) await answered;
  if (usesJavaScript(testInfo)) await expectReady(page);
}

/**
 * From the dashboard, follows "New deck" to the new-deck page (a page of its
 * own, whose code comes with the deck pages' chunk) and waits for its form.
 */
export async function openNewDeckPage(page: Page, testInfo: TestInfo) {
  await page.getByTestId("new-deck-link").click();
  await expect(page).toHaveURL(/\/decks\/new$/);
  if (usesJavaScript(testInfo)) await expectReady(page);
  await expect(page.getByRole("button", { name: "Create deck" })).toBeVisible();
}

export function usesJavaScript(testInfo: TestInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** The seeded learner (`make run`'s demo and the end-to-end server). */
export const LEARNER = { email: "learner@engram.test", password: "engram-learner" };

/** The seeded teacher's public deck: seven notes, nine cards (one types its answer). */
export const SPANISH_DECK = "Spanish: first words";

/**
 * Moves the learner's day boundary twelve hours away from the time now, in
 * their own time zone, through the settings form. A study day starts at
 * 4 a.m. by default, and a test run in the ten minutes before it saw the
 * cards it had just answered (due again in minutes, in their learning
 * steps) fall due the next study day, which the tests do not expect.
 */
export async function keepTheStudyDayBoundaryAway(page: Page, testInfo: TestInfo) {
  // Not `open`: the settings page's own tests check it with axe.
  await page.goto("/settings");
  if (usesJavaScript(testInfo)) await expectReady(page);
  const zone = await page.getByLabel("Time zone").inputValue();
  const hourNow = Number(
    new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: zone }).format(new Date()),
  );
  const dayStartsAt = String((hourNow + 12) % 24);
  await page.getByLabel("A new day starts at").selectOption(dayStartsAt);
  const saved = page.waitForResponse(
    (response) => response.request().method() === "POST" && (response.request().postData() ?? "").includes("day_starts_at"),
  );
  await page.getByRole("region", { name: "Study days" }).getByRole("button", { name: "Save" }).click();
  expect((await saved).status()).toBeLessThan(400);
  await page.waitForLoadState("load");
  await expect(page.getByLabel("A new day starts at")).toHaveValue(dayStartsAt);
  // Said with or without JavaScript.
  await expect(page.getByRole("region", { name: "Study days" }).getByRole("status")).toHaveText("Saved.");
}

/**
 * Finds the seeded public deck in the catalogue and starts studying it,
 * which opens its study page; answers the study page's address. The learner's
 * study day is first kept clear of the time now
 * (`keepTheStudyDayBoundaryAway`).
 */
export async function startStudyingSpanish(page: Page, testInfo: TestInfo): Promise<string> {
  await keepTheStudyDayBoundaryAway(page, testInfo);
  // The same search is checked with axe in first-hour.spec.ts.
  await visit(page, testInfo, `/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: SPANISH_DECK }).click();
  await expect(page.getByTestId("deck-title")).toHaveText(SPANISH_DECK);
  // "Study this deck" starts studying it and opens its first session.
  await page.getByTestId("start-studying").click();
  await expect(page).toHaveURL(/\/study\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("study-card")).toBeVisible();
  if (usesJavaScript(testInfo)) {
    await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  }
  return page.url();
}

/**
 * Shows the answer and rates the card with the keyboard alone. Without
 * JavaScript the keyboard still works: the link and the buttons are focused
 * and pressed with Enter, one page per step. The seeded type-the-answer
 * card gets its answer typed ("el amigo").
 */
export async function answerCard(page: Page, testInfo: TestInfo, rating: "1" | "2" | "3" | "4") {
  const javaScript = usesJavaScript(testInfo);
  const card = page.getByTestId("study-card");
  await expect(card.locator('[data-side="front"]')).toBeVisible();
  const typedAnswer = page.getByTestId("typed-answer-input");
  if (await typedAnswer.count()) {
    // Its box has the keyboard; Enter shows the comparison (a plain GET
    // form without JavaScript).
    if (javaScript) await expect(typedAnswer).toBeFocused();
    await typedAnswer.pressSequentially("el amigo");
    await typedAnswer.press("Enter");
    await expect(page.getByTestId("typed-correct")).toHaveText("✓ el amigo");
  } else if (javaScript) {
    await page.keyboard.press("Space");
  } else {
    await page.getByTestId("show-answer").press("Enter");
  }
  await expect(card.locator('[data-side="back"]')).toBeVisible();
  await expect(page.locator("[data-rating]")).toHaveCount(4);
  if (javaScript) {
    await page.keyboard.press(rating);
  } else {
    await page.locator(`button[data-rating="${rating}"]`).press("Enter");
  }
  // The rating has taken effect once its buttons are gone: the browser first
  // keeps the review in its outbox, then shows the next card (or the end of
  // the session); without JavaScript, the next page has loaded. Until then
  // the counts, the outbox and an undo would all still see the card before.
  await expect(page.locator("[data-rating]")).toHaveCount(0);
}

/**
 * Cuts the browser context off the network, its service worker included.
 * `setOffline` alone leaves the worker's own requests online in Chromium, so
 * a page opened afterwards would still come from the server; a route that
 * fails every request reaches the worker too.
 */
export async function goOffline(context: BrowserContext) {
  await context.route("**/*", (route) => route.abort("internetdisconnected"));
  await context.setOffline(true);
}

/** Undoes `goOffline`. */
export async function goOnline(context: BrowserContext) {
  await context.unrouteAll();
  await context.setOffline(false);
}

// The server sends its mail to a real SMTP server (scripts/smtp-sink,
// started by scripts/end-to-end), which writes each message here.
const MAIL_DIR = path.join(__dirname, "..", ".mail", "messages");

/**
 * The path (with its token) of the link to `linkPath` in the `nth` message
 * (from 1) with `subject` sent to `address`, once it has arrived.
 */
export async function linkSentTo(address: string, subject: string, linkPath: string, nth: number): Promise<string> {
  const pattern = new RegExp(`http://127\\.0\\.0\\.1:3000(${linkPath.replace(/[-/]/g, "\\$&")}\\?token=[0-9a-f]{64})`);
  const links = () => {
    if (!existsSync(MAIL_DIR)) return [];
    return readdirSync(MAIL_DIR)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => JSON.parse(readFileSync(path.join(MAIL_DIR, name), "utf8")))
      .filter((message) => message.to.includes(address) && message.subject === subject)
      .map((message) => {
        const link = pattern.exec(message.text);
        expect(link, message.text).not.toBeNull();
        return link![1];
      });
  };
  await expect.poll(() => links().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(nth);
  return links()[nth - 1];
}
