import { expect, Page, Request, test, TestInfo } from "@playwright/test";
import {
  goOffline,
  keepTheStudyDayBoundaryAway,
  open,
  PASSWORD,
  register,
  SPANISH_DECK,
  uniqueEmail,
} from "./helpers";

// Pages beyond the first ones are lazy routes, in groups whose code is a wasm
// chunk of its own (`cargo leptos build --split`): the browser fetches a
// group's chunk the first time one of its pages is shown, once, and a chunk
// that cannot be fetched is said so on the page.

/** A group's chunk: `split_<group>_page_<hash>.<content hash>.wasm` (`split_study_group_…` for study, `split_offline_app_…` for the offline app). */
const groupChunk = (group: string) => new RegExp(`/pkg/split_${group}_(page|group|app)_[0-9]+\\.[A-Za-z0-9_-]{22}\\.wasm$`);

/** Every request the page makes under /pkg/, by path, from now on. */
function recordPkgRequests(page: Page) {
  const requested: string[] = [];
  page.on("request", (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/")) requested.push(path);
  });
  return requested;
}

/**
 * Signs the seeded learner in with the login form's post alone, as a browser
 * without JavaScript sends it: the context has a session, and no page has
 * fetched any of the app's code.
 */
async function logInWithoutAPage(page: Page) {
  const response = await page.request.post("/api/login", {
    form: { "input[email]": "learner@engram.test", "input[password]": "engram-learner" },
    headers: { Origin: "http://127.0.0.1:3000" },
  });
  expect(response.status()).toBe(200);
  expect((await page.context().cookies()).length).toBeGreaterThan(0);
}

/** Panics and console errors, which a page that loads its chunk cleanly has none of. */
function recordErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error.message ?? error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}

test("a group of pages' code loads once, when one of its pages is first shown", { tag: "@scripts" }, async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Chunk Learner");
  // Chosen on the deck page; no study page opened yet, so this browser has
  // kept nothing (no reviews waiting, no deck kept offline).
  const studyPath = await chooseSpanishWithoutStudying(page, testInfo);
  const requested = recordPkgRequests(page);
  const errors = recordErrors(page);
  await open(page, testInfo, "/dashboard");
  const fetched = (group: string) => requested.filter((path) => groupChunk(group).test(path)).length;
  // The study group's code is not fetched for a look at the dashboard, but
  // as soon as the learner points at a study link, before the click.
  const studyLink = page.locator(`a[href="${studyPath}"]`).first();
  await page.waitForLoadState("networkidle");
  expect(fetched("study")).toBe(0);
  expect(await engramDatabaseExists(page)).toBe(false);
  await studyLink.hover();
  await expect.poll(() => fetched("study")).toBe(1);
  await page.mouse.move(0, 0);

  // Client-side navigations from the nav: the router fetches the page's
  // chunk, then shows the page, hydrated and working.
  const visits: { link: string; heading: RegExp; path: RegExp }[] = [
    { link: "Statistics", heading: /Statistics/, path: /\/stats$/ },
    { link: "Cards", heading: /Your cards/, path: /\/browse$/ },
    { link: "Catalogue", heading: /Catalogue/, path: /\/catalogue$/ },
    { link: "Dashboard", heading: /Chunk Learner/, path: /\/dashboard$/ },
  ];
  const nav = page.getByRole("navigation", { name: "Main" });
  // The nav's links are plain <a> elements: the router follows them within
  // this document, and the link of the page shown is marked as current.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  for (const visit of visits) {
    const link = nav.getByRole("link", { name: visit.link, exact: true }).first();
    await link.click();
    await expect(page).toHaveURL(visit.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(visit.heading);
    await expect(link).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('a[aria-current="page"]:visible')).toHaveCount(1);
    expect(errors, `errors on the way to ${visit.link}`).toEqual([]);
  }
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  // The study page, from the dashboard's own link, and back again.
  await studyLink.click();
  await expect(page.getByTestId("study-card")).toBeVisible();
  expect(errors, "errors on the way to the study page").toEqual([]);
  await nav.getByRole("link", { name: "Statistics", exact: true }).first().click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Statistics/);

  // The dashboard is in the app shell; each group was fetched once, when
  // one of its pages was first shown (statistics twice; study before), and
  // no other chunk of a group exists: not the offline app's, which only the
  // service worker's offline page runs.
  expect({
    progress: fetched("progress"),
    author: fetched("author"),
    catalogue: fetched("catalogue"),
    reader: fetched("reader"),
    study: fetched("study"),
    offline: fetched("offline"),
    groups: requested.filter((path) => /\/pkg\/split_/.test(path)).length,
  }).toEqual({ progress: 1, author: 1, catalogue: 1, reader: 0, study: 1, offline: 0, groups: 4 });
  // Nothing under /pkg/ was fetched twice.
  expect(requested.length).toBe(new Set(requested).size);
  expect(errors).toEqual([]);

  // The study page kept its outbox in IndexedDB. From now on the app, as it
  // starts on any page, fetches the study group's code to send whatever
  // waits there: the dashboard in a new page fetches it with no pointing.
  expect(await engramDatabaseExists(page)).toBe(true);
  const next = await page.context().newPage();
  const requestedNext = recordPkgRequests(next);
  await next.goto("/dashboard");
  await expect(next.locator("html[data-hydrated=true]")).toBeAttached();
  await expect.poll(() => requestedNext.filter((path) => groupChunk("study").test(path)).length).toBe(1);
  await next.close();
});

/** Whether this browser holds the app's IndexedDB database, where study pages keep reviews and decks. */
async function engramDatabaseExists(page: Page) {
  return page.evaluate(async () => (await indexedDB.databases()).some((database) => database.name === "engram"));
}

/**
 * Starts studying the seeded Spanish deck without opening a study page
 * ("Study this deck" on its page would open one): the same request, sent
 * from outside the page. Answers the study page's path.
 */
async function chooseSpanishWithoutStudying(page: Page, testInfo: TestInfo): Promise<string> {
  await keepTheStudyDayBoundaryAway(page, testInfo);
  await open(page, testInfo, `/catalogue?q=${encodeURIComponent("Spanish first words")}`);
  await page.getByRole("link", { name: SPANISH_DECK }).click();
  await expect(page.getByTestId("deck-title")).toHaveText(SPANISH_DECK);
  const deckId = new URL(page.url()).pathname.split("/").pop()!;
  const started = await page.request.post("/api/study/start", {
    headers: { Accept: "application/json", Origin: new URL(page.url()).origin },
    form: { deck_id: deckId },
  });
  expect(started.status()).toBe(200);
  return `/study/${deckId}`;
}

test("signing out lands on the home page in the same document, and log in comes with the readers' chunk", { tag: "@scripts" }, async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Leaving Learner");
  const requested = recordPkgRequests(page);
  const errors = recordErrors(page);
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  // The home page is in the app shell: signing out fetches no chunk.
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Create a free account" })).toBeVisible();
  expect(requested.filter((path) => /\/pkg\/split_/.test(path))).toEqual([]);
  // The login page is a lazy route: its group's chunk comes once, and the
  // learner logs in within the same document.
  await page.getByRole("main").getByRole("link", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("greeting")).toHaveText("Hello, Leaving Learner");
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  expect(requested.filter((path) => /\/pkg\/split_/.test(path)).map((path) => groupChunk("reader").test(path))).toEqual([true]);
  expect(errors).toEqual([]);
});

test("the new-deck page comes with the readers' chunk, which the new deck opens in", { tag: "@scripts" }, async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Chunk Author");
  const requested = recordPkgRequests(page);
  const errors = recordErrors(page);
  const chunks = () => requested.filter((path) => /\/pkg\/split_/.test(path));
  // The dashboard, in the app shell, links to the form rather than holding it.
  await page.waitForLoadState("networkidle");
  expect(chunks()).toEqual([]);
  await page.getByTestId("new-deck-link").click();
  await expect(page).toHaveURL(/\/decks\/new$/);
  await page.getByLabel("Title").fill("Chunked deck");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("deck-title")).toHaveText("Chunked deck");
  // One chunk of a group, the readers', for both pages.
  expect(chunks().filter((path) => /\/pkg\/split_[a-z]+_(page|group)_/.test(path)).map((path) => groupChunk("reader").test(path))).toEqual([true]);
  expect(requested.length).toBe(new Set(requested).size);
  expect(errors).toEqual([]);
});

test("the app shell holds no page's text: each group's text comes with its chunk", { tag: "@scripts" }, async ({ page }, testInfo) => {
  // wasm-split gives up splitting the data segment when its packed shares
  // come out longer than the segment, and then leaves every page's text in
  // the shell (see SPLIT_DATA_SLACK in frontend/src/lib.rs).
  await register(page, testInfo, uniqueEmail(testInfo), "Shell Reader");
  const requested = recordPkgRequests(page);
  const shellPath = await page.locator('link[rel="preload"][type="application/wasm"]').getAttribute("href");
  expect(shellPath).toMatch(/^\/pkg\/engram\.[A-Za-z0-9_-]{22}\.wasm$/);
  const bytesOf = async (path: string) => Buffer.from(await (await page.request.get(path)).body());
  const shell = await bytesOf(shellPath!);
  // A sentence of the new-course page (the authors' group) and one of the catalogue's (a group of its own).
  const authorText = "Only teachers create courses.";
  const catalogueText = "Public decks and courses from Engram's teachers.";
  expect(shell.includes(authorText)).toBe(false);
  expect(shell.includes(catalogueText)).toBe(false);
  // The dashboard's own text is the shell's.
  expect(shell.includes("Your decks (")).toBe(true);

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Cards", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Your cards/);
  await nav.getByRole("link", { name: "Catalogue", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Catalogue/);
  const chunkOf = (group: string) => requested.find((path) => groupChunk(group).test(path))!;
  expect((await bytesOf(chunkOf("author"))).includes(authorText)).toBe(true);
  expect((await bytesOf(chunkOf("catalogue"))).includes(catalogueText)).toBe(true);
});

test("a page whose code cannot be fetched says so, and the page before it stays", { tag: "@scripts" }, async ({ browser }, testInfo) => {
  // No service worker: it would answer from its precache, which is what an
  // installed app does. This is a first visit that loses its connection.
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await register(page, testInfo, uniqueEmail(testInfo), "Offline Chunk Learner");
  await open(page, testInfo, "/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const dashboardHeading = await page.getByRole("heading", { level: 1 }).textContent();

  await goOffline(context);
  // The catalogue's group of pages has not been fetched yet.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalogue", exact: true }).first().click();

  const notice = page.getByRole("alert").filter({ hasText: "Part of Engram could not be loaded" });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Check your connection");
  await expect(notice.getByRole("link", { name: "reload the page" })).toBeVisible();
  // Not a blank page: what was on screen is still there.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(dashboardHeading ?? "");
  await context.close();
});

test("a page in a chunk group names its chunks in the HTML, so the browser fetches them with the app shell", { tag: "@scripts" }, async ({ browser }) => {
  // A first visit: no service worker yet, nothing cached, and signed in
  // (signed out, the catalogue runs no app code). The session comes from
  // the login form's post alone, so no page has fetched any code.
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await logInWithoutAPage(page);
  const requested = recordPkgRequests(page);
  const errors = recordErrors(page);
  const response = await page.goto("/catalogue");
  const html = (await response?.text()) ?? "";
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();

  // The server writes a preload for the catalogue's chunk and for every
  // shared chunk it needs, as the split manifest lists them.
  const preloaded = [...html.matchAll(/<link[^>]*href="(\/pkg\/[^"]+\.wasm)"[^>]*>/g)]
    .filter((match) => /rel="preload"/.test(match[0]))
    .map((match) => match[1]);
  expect(preloaded.filter((path) => groupChunk("catalogue").test(path))).toHaveLength(1);
  expect(preloaded.filter((path) => /\/pkg\/chunk_[0-9]+\./.test(path)).length).toBeGreaterThan(0);
  // No other group's chunk: the catalogue needs only its own, not the
  // readers' deck and course pages.
  expect(preloaded.filter((path) => /\/pkg\/split_/.test(path) && !groupChunk("catalogue").test(path))).toEqual([]);
  // Each preloaded chunk is fetched once: the chunk loader uses the
  // preloaded response instead of asking again.
  for (const path of preloaded) expect(requested.filter((request) => request === path), path).toHaveLength(1);
  expect(errors).toEqual([]);

  // A page in the app shell preloads no chunk at all.
  const notFound = await (await page.goto("/no-such-page"))?.text();
  expect(notFound).toMatch(/<link[^>]*rel="preload"[^>]*\/pkg\/engram\.[^>]*\.wasm"/);
  expect(notFound).not.toMatch(/<link[^>]*\/pkg\/(split|chunk)_[^>]*>/);
  await context.close();
});

test("the pages a signed-out visitor lands on and reads run no app code, and signing up brings it", { tag: "@scripts" }, async ({ browser }, testInfo) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const requested = recordPkgRequests(page);
  const errors = recordErrors(page);
  const code = () => requested.filter((path) => /\.(wasm|js)$/.test(path));

  // The home page, then its links, each a page the server sends complete.
  await page.goto("/");
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  await page.getByRole("link", { name: "Create a free account" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  // A sign-up error comes back next to its field, from the server.
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Display name").fill("Static Visitor");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-email-message")).toContainText("Enter a valid email address");
  await page.waitForLoadState("networkidle");
  expect(code()).toEqual([]);

  // A course and a public deck, as a shared link opens them for someone
  // signed out: read in full, with no code either.
  const found = await page.request.get(`/api/catalogue/search?query[q]=${encodeURIComponent("Spanish first words")}`);
  const deckId = JSON.stringify(await found.json()).match(/"id":"([0-9a-f-]{36})"/)?.[1];
  expect(deckId).toBeTruthy();
  await page.goto(`/decks/${deckId}`);
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  await expect(page.getByTestId("deck-title")).toHaveText("Spanish: first words");
  await page.goto("/courses/chemistry-essentials");
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(code()).toEqual([]);
  await page.goto("/register");

  // Signed up, the dashboard is the first page with the app's code: the
  // app shell, once, and it hydrates.
  await page.getByLabel("Email").fill(uniqueEmail(testInfo));
  await page.getByLabel("Display name").fill("Static Visitor");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await expect(page.locator("html[data-page-code]")).toHaveCount(0);
  expect(code().filter((path) => path.endsWith(".wasm"))).toHaveLength(1);
  expect(errors).toEqual([]);
  await context.close();

  // The catalogue, searched, with a result opened: no code either (its
  // suggestions are a script of their own, public/catalogue-search.js).
  // Logging in from it comes back to it, and then it runs the app.
  const visitor = await (await browser.newContext({ serviceWorkers: "block" })).newPage();
  const visitorCode = recordPkgRequests(visitor);
  await visitor.goto("/catalogue");
  await expect(visitor.locator("html[data-page-code=none]")).toBeAttached();
  await visitor.getByRole("searchbox", { name: "Search" }).fill("Spanish first words");
  await visitor.getByRole("button", { name: "Search", exact: true }).click();
  await expect(visitor.locator("html[data-page-code=none]")).toBeAttached();
  await visitor.getByRole("link", { name: "Spanish: first words" }).click();
  await expect(visitor.getByTestId("deck-title")).toHaveText("Spanish: first words");
  await visitor.goBack();
  await visitor.waitForLoadState("networkidle");
  expect(visitorCode.filter((path) => /\.(wasm|js)$/.test(path))).toEqual([]);
  await visitor.getByRole("link", { name: "Log in" }).first().click();
  await expect(visitor).toHaveURL(/\/login\?next=%2Fcatalogue%3Fq%3D/);
  await visitor.getByLabel("Email").fill("learner@engram.test");
  await visitor.getByLabel("Password").fill("engram-learner");
  await visitor.getByRole("button", { name: "Log in" }).click();
  // Signed in, back where they were, in the app.
  await expect(visitor).toHaveURL(/\/catalogue\?q=/);
  await expect(visitor.locator("html[data-hydrated=true]")).toBeAttached();
  await expect(visitor.getByRole("button", { name: "Log out", exact: true })).toBeVisible();
  expect(visitorCode.filter((path) => groupChunk("catalogue").test(path))).toHaveLength(1);
  await visitor.context().close();
});

test("a page without the app's code still installs the service worker", { tag: "@scripts" }, async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html[data-page-code=none]")).toBeAttached();
  const registration = await page.evaluate(async () => {
    const ready = await navigator.serviceWorker.ready;
    return { script: ready.active?.scriptURL, scope: ready.scope };
  });
  expect(registration.script).toMatch(/\/sw\.js$/);
  expect(new URL(registration.scope).pathname).toBe("/");
});
