import { expect, test } from "@playwright/test";
import { expectReady, open, PASSWORD, register, SPANISH_DECK, uniqueEmail, usesJavaScript } from "./helpers";

// What a new user meets in their first hour: the shell around every page.

const hydrated = (testInfo: { project: { use: { javaScriptEnabled?: boolean } } }) =>
  testInfo.project.use.javaScriptEnabled !== false;

test("a catalogue search has an address without empty or nameless fields", async ({ page }, testInfo) => {
  await open(page, testInfo, "/catalogue");
  await page.getByRole("searchbox", { name: "Search" }).fill("chemistry");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=chemistry/);
  const query = new URL(page.url()).search;
  // The nameless submit button once added a trailing `&=`.
  expect(query).not.toMatch(/&=|\?=/);
  if (hydrated(testInfo)) {
    // Without JavaScript the browser sends every field; the app leaves out the empty ones.
    expect(query).not.toMatch(/(tag|language|category|level)=(&|$)/);
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the nav is one row with the name, and its menu opens", async ({ page }, testInfo) => {
    await open(page, testInfo, "/register");
    const email = `e2e-phone-${testInfo.project.name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Display name").fill("Ada Augusta King, Countess of Lovelace");
    await page.getByLabel("Password").fill("a sturdy passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    if (hydrated(testInfo)) await expectReady(page);

    const nav = page.getByRole("navigation", { name: "Main" });
    expect((await nav.boundingBox())!.height).toBeLessThan(70);
    await expect(page.getByTestId("nav-menu-user")).toHaveText("Ada Augusta King, Countess of Lovelace");
    await expect(page.getByTestId("nav-menu-user")).toBeVisible();
    await page.getByTestId("nav-menu").locator("summary").click();
    await page.getByTestId("nav-menu").getByRole("link", { name: "Catalogue" }).click();
    await expect(page).toHaveURL(/\/catalogue$/);
    // The menu closes with the navigation: it does not cover the next page.
    await expect(page.getByTestId("nav-menu")).not.toHaveAttribute("open");
    await page.getByTestId("nav-menu").locator("summary").click();
    await expect(page.getByTestId("nav-menu")).toHaveAttribute("open");
    await page.getByTestId("nav-menu").getByRole("link", { name: "Dashboard" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("nav-menu")).not.toHaveAttribute("open");
    if (hydrated(testInfo)) {
      // Escape closes it from a link inside, and the focus goes back to its button.
      const summary = page.getByTestId("nav-menu").locator("summary");
      await summary.click();
      await page.keyboard.press("Tab");
      await expect(page.getByTestId("nav-menu").getByRole("link").first()).toBeFocused();
      await page.keyboard.press("Escape");
      await expect(page.getByTestId("nav-menu")).not.toHaveAttribute("open");
      await expect(summary).toBeFocused();
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A long name is cut short, so the menu's button still fits at 320 px.
    await page.setViewportSize({ width: 320, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expect(page.getByTestId("nav-menu").locator("summary")).toBeInViewport({ ratio: 1 });
  });

  test("signed out, the nav's links each keep to one line", async ({ page }, testInfo) => {
    await open(page, testInfo, "/login");
    const nav = page.getByRole("navigation", { name: "Main" });
    // 390 px, and 360 px, the width of many Android phones.
    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 844 });
      for (const name of ["Catalogue", "Log in", "Sign up"]) {
        const box = await nav.getByRole("link", { name, exact: true }).boundingBox();
        // One line of small text with its padding is 36 px; two would be 56.
        expect(box!.height, `${name} at ${width} px`).toBeLessThan(40);
        expect(box!.x + box!.width, `${name} at ${width} px`).toBeLessThanOrEqual(width);
      }
      expect((await nav.boundingBox())!.height).toBeLessThan(70);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
  });

  test("the catalogue's filters fold away so results start on the first screen", async ({ page }, testInfo) => {
    await open(page, testInfo, "/catalogue");
    await expect(page.getByLabel("Language")).toBeHidden();
    const first = page.getByTestId("catalogue-entry").first();
    await expect(first).toBeVisible();
    expect((await first.boundingBox())!.y).toBeLessThan(844);
    await page.getByText("Order and filters").click();
    await expect(page.getByLabel("Language")).toBeVisible();
  });
});

test("on a wide screen the catalogue's filters are shown", async ({ page }, testInfo) => {
  await open(page, testInfo, "/catalogue");
  await expect(page.getByLabel("Language")).toBeVisible();
  await expect(page.getByText("Order and filters")).toBeHidden();
  // The filters sit in one row: each select is as tall as the tag field.
  const heights = [];
  for (const id of ["sort", "language", "category", "level", "tag"]) {
    heights.push((await page.locator(`#catalogue-${id}`).boundingBox())?.height);
  }
  expect(new Set(heights).size, `heights ${heights.join(", ")}`).toBe(1);
});

// The stylesheet is the same with or without JavaScript, and reading computed
// styles needs a script, so this runs in the hydrated project only (the
// no-javascript project leaves out `@stylesheet` tests).
test("card and lesson Markdown keeps its structure, light and dark", { tag: "@stylesheet" }, async ({ page }, testInfo) => {
  // A page with cards, which links the cards' stylesheet.
  await open(page, testInfo, `/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: "Spanish: first words" }).click();
  await expect(page.getByTestId("note-list")).toBeVisible();
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    // The HTML the Markdown renderer writes, styled by the cards' stylesheet.
    const styles = await page.evaluate(() => {
      const content = document.createElement("div");
      content.className = "card-content";
      content.innerHTML =
        "<h2>Heading</h2><p>Text with <a href='/x'>a link</a>.</p><ul><li>one</li></ul><ol><li>first</li></ol>" +
        "<blockquote><p>quote</p></blockquote><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>";
      document.querySelector("main")!.append(content);
      const style = (selector: string) => getComputedStyle(content.querySelector(selector)!);
      return {
        heading: parseFloat(style("h2").fontSize),
        text: parseFloat(style("p").fontSize),
        textColor: style("p").color,
        bullets: style("ul").listStyleType,
        numbers: style("ol").listStyleType,
        quoteBorder: parseFloat(style("blockquote").borderLeftWidth),
        cellBorder: parseFloat(style("thead").borderBottomWidth),
        linkLine: style("a").textDecorationLine,
        linkColor: style("a").color,
      };
    });
    expect(styles.heading, colorScheme).toBeGreaterThan(styles.text * 1.2);
    expect(styles.bullets).toBe("disc");
    expect(styles.numbers).toBe("decimal");
    expect(styles.quoteBorder).toBeGreaterThan(0);
    expect(styles.cellBorder).toBeGreaterThan(0);
    // Links are told apart by more than colour (WCAG 1.4.1).
    expect(styles.linkLine).toBe("underline");
    expect(styles.linkColor).not.toBe(styles.textColor);
  }
});

test.describe("signing in from a course", () => {
  const course = "/courses/chemistry-essentials";

  test("a visitor who signs up to enrol lands back on the course and enrols", async ({ page }, testInfo) => {
    await open(page, testInfo, course);
    await page.getByRole("link", { name: "Log in to enrol" }).click();
    await expect(page).toHaveURL(/\/login\?next=%2Fcourses%2Fchemistry-essentials$/);
    // New here: from the login page on to sign-up, which keeps where they were going.
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page).toHaveURL(/\/register\?next=%2Fcourses%2Fchemistry-essentials$/);
    await page.getByLabel("Email").fill(uniqueEmail(testInfo));
    await page.getByLabel("Display name").fill("Rosalind");
    // A mistake first: the form comes back with its error, still on its way to the course.
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(new RegExp(`${course}$`));
    if (usesJavaScript(testInfo)) await expectReady(page);
    await page.getByTestId("enrol").click();
    await expect(page.getByTestId("enrolment")).toContainText("You are enrolled");
  });

  test("a learner who logs in from a course lands back on it", async ({ browser, page }, testInfo) => {
    const email = uniqueEmail(testInfo);
    const signUp = await browser.newContext();
    await register(await signUp.newPage(), testInfo, email, "Dorothy");
    await signUp.close();

    await open(page, testInfo, course);
    await page.getByRole("link", { name: "Log in to enrol" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(new RegExp(`${course}$`));
    if (usesJavaScript(testInfo)) await expectReady(page);
    await expect(page.getByTestId("enrol")).toBeVisible();
  });

  test("a login link cannot send anyone to another site", async ({ browser, page }, testInfo) => {
    const email = uniqueEmail(testInfo);
    const signUp = await browser.newContext();
    await register(await signUp.newPage(), testInfo, email, "Mallory's mark");
    await signUp.close();

    await open(page, testInfo, "/login?next=%2F%2Felsewhere.example%2Fphish");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});

test("a visitor reading a deck logs in from the nav and comes back to the deck", async ({ browser, page }, testInfo) => {
  const email = uniqueEmail(testInfo);
  const signUp = await browser.newContext();
  await register(await signUp.newPage(), testInfo, email, "Katherine");
  await signUp.close();

  await open(page, testInfo, `/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: SPANISH_DECK }).click();
  await expect(page.getByTestId("deck-title")).toHaveText(SPANISH_DECK);
  const deck = new URL(page.url()).pathname;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(new RegExp(`${deck}$`));
});

test("a visitor signs up from a shared deck and starts studying it", async ({ page }, testInfo) => {
  await open(page, testInfo, `/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: SPANISH_DECK }).click();
  await expect(page.getByTestId("deck-title")).toHaveText(SPANISH_DECK);
  const deck = new URL(page.url()).pathname;
  await page.getByTestId("log-in-to-study").click();
  await expect(page).toHaveURL(/\/login\?next=%2Fdecks%2F/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(uniqueEmail(testInfo));
  await page.getByLabel("Display name").fill("Grace");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(new RegExp(`${deck}$`));
  if (usesJavaScript(testInfo)) await expectReady(page);
  await expect(page.getByTestId("log-in-to-study")).toHaveCount(0);
  // "Study this deck" opens the session, both ways.
  await page.getByTestId("start-studying").click();
  await expect(page).toHaveURL(/\/study\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("study-card")).toBeVisible();
});
