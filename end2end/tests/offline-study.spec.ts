import { BrowserContext, expect, Page, test } from "@playwright/test";
import {
  answerCard,
  goOffline,
  goOnline,
  logIn,
  PASSWORD,
  register,
  SPANISH_DECK,
  startStudyingSpanish,
  uniqueEmail,
} from "./helpers";

// Offline study: a deck kept on the device, studied with no connection from
// the service worker's offline app, and every review on the server after.
// It runs in the browser by nature, so only the hydrated project runs it.

type Counts = { new: number; learning: number; review: number };

async function countsIn(page: Page): Promise<Counts> {
  const scope = page.getByTestId("study-session");
  const read = async (label: string) =>
    Number(await scope.locator(`[data-count="${label}"] .tabular-nums`).first().innerText());
  return { new: await read("new"), learning: await read("learning"), review: await read("to review") };
}

/** Starts studying the demo deck with the service worker running the page, and keeps the deck offline. */
async function keepSpanishOffline(page: Page, testInfo: Parameters<typeof startStudyingSpanish>[1]) {
  const studyUrl = await startStudyingSpanish(page, testInfo);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await page.getByTestId("keep-offline-toggle").check();
  await expect(page.getByTestId("offline-copy")).toContainText("on this device, saved");
  return studyUrl;
}

/** Rates `count` cards: Again, and Hard every third, so no card leaves today's queue. */
async function review(page: Page, testInfo: Parameters<typeof answerCard>[1], count: number) {
  for (let answered = 0; answered < count; answered++) {
    await answerCard(page, testInfo, answered % 3 === 2 ? "2" : "1");
  }
}

async function reviewsOnServer(page: Page): Promise<number> {
  await page.goto("/stats");
  const total = page.getByTestId("stats-reviews-total");
  await expect(total.or(page.getByTestId("stats-empty"))).toBeVisible();
  return (await total.count()) ? Number(await total.innerText()) : 0;
}

/** Every record of one store of this browser's `engram` database (none if the store is not there yet). */
async function recordsInBrowser<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (store) =>
      new Promise<T[]>((resolve, reject) => {
        const opening = indexedDB.open("engram");
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const database = opening.result;
          if (!database.objectStoreNames.contains(store)) {
            database.close();
            resolve([]);
            return;
          }
          const reading = database.transaction(store).objectStore(store).getAll();
          reading.onsuccess = () => {
            database.close();
            resolve(reading.result);
          };
          reading.onerror = () => reject(reading.error);
        };
      }),
    store,
  );
}

/** How many reviews wait in this browser's outbox (IndexedDB), for any learner. */
async function reviewsWaitingInBrowser(page: Page): Promise<number> {
  return (await recordsInBrowser(page, "outbox")).length;
}

/** When this browser's kept deck copies were last written (Unix ms; 0 if none). */
async function deckCopySavedAt(page: Page): Promise<number> {
  const decks = await recordsInBrowser<{ saved_at_ms: number }>(page, "decks");
  return Math.max(0, ...decks.map((deck) => deck.saved_at_ms));
}

/** The addresses in the service worker's media cache. */
async function cachedMedia(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open("engram-media");
    return (await cache.keys()).map((request) => new URL(request.url).pathname);
  });
}

/** Fires the service worker's Background Sync of the outbox, as the browser does when the connection is back. */
async function wakeTheWorkerToSend(context: BrowserContext, page: Page) {
  const devtools = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const registrationId = new Promise<string>((resolve) =>
    devtools.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const live = registrations.find((registration) => !registration.isDeleted && registration.scopeURL.startsWith(origin));
      if (live) resolve(live.registrationId);
    }),
  );
  await devtools.send("ServiceWorker.enable");
  await devtools.send("ServiceWorker.dispatchSyncEvent", {
    origin,
    registrationId: await registrationId,
    tag: "engram-outbox",
    lastChance: false,
  });
}

async function expectOfflineApp(page: Page) {
  await expect(page.getByTestId("offline-app")).toBeVisible();
  await expect(page.getByTestId("study-card")).toBeVisible();
}

test("a deck kept offline is studied with no connection, and all 20 reviews reach the server once", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(90_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Olga Offline");
  const studyUrl = await keepSpanishOffline(page, testInfo);

  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  await expect(page.getByTestId("offline-banner")).toBeVisible();
  // The card stylesheet comes from the service worker's precache: the
  // typography plugin's colours are set on the card only by it.
  await expect
    .poll(() =>
      page
        .getByTestId("study-card")
        .locator(".card-content")
        .first()
        .evaluate((card) => getComputedStyle(card).getPropertyValue("--tw-prose-body").trim()),
    )
    .not.toBe("");
  await review(page, testInfo, 19);
  const beforeLastRating = await page.evaluate(() => Date.now());
  await answerCard(page, testInfo, "1");
  await expect(page.getByTestId("sync-status")).toContainText("20 reviews");
  // Each rating is in IndexedDB before the next card shows.
  expect(await reviewsWaitingInBrowser(page)).toBe(20);
  const countsOffline = await countsIn(page);
  // The deck's copy follows each rating a moment later; the page is closed
  // once it holds the last one.
  await expect.poll(() => deckCopySavedAt(page)).toBeGreaterThanOrEqual(beforeLastRating);

  // Closed and opened again, still offline: the reviews wait on the device,
  // and the deck carries on where it was left.
  await page.close();
  const reopened = await context.newPage();
  await reopened.goto(studyUrl);
  await expectOfflineApp(reopened);
  await expect(reopened.getByTestId("sync-status")).toContainText("20 reviews");
  expect(await countsIn(reopened)).toEqual(countsOffline);

  await goOnline(context);
  await expect(reopened.getByTestId("sync-status")).toHaveText("All reviews saved");
  // The server has each review once, and its replay of them schedules the
  // deck as the offline page did.
  await reopened.goto(studyUrl);
  await expect(reopened.locator("html[data-hydrated=true]")).toBeAttached();
  await expect.poll(() => countsIn(reopened)).toEqual(countsOffline);
  expect(await reviewsOnServer(reopened)).toBe(20);
});

test("a connection that comes and goes while reviews are sent loses none and stores none twice", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(90_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Fitz Flaky");
  await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  await review(page, testInfo, 20);

  // Twelve flips, at uneven moments, while the page sends what waits.
  const flips = [40, 5, 120, 15, 60, 3, 90, 25, 10, 70, 8, 30];
  for (const [index, wait] of flips.entries()) {
    await (index % 2 === 1 ? goOffline(context) : goOnline(context));
    await page.waitForTimeout(wait);
  }
  await goOnline(context);
  await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  expect(await reviewsOnServer(page)).toBe(20);
});

test("offline, an address the app cannot show lists the decks kept on the device", async ({ page, context }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Lena List");
  await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  const groupChunks: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/split_")) groupChunks.push(path);
  });
  await page.goto("/dashboard");
  await expect(page.getByTestId("offline-app")).toBeVisible();
  await expect(page.getByTestId("offline-decks").getByRole("link", { name: SPANISH_DECK })).toBeVisible();
  await page.getByTestId("offline-decks").getByRole("link", { name: SPANISH_DECK }).click();
  await expect(page.getByTestId("study-card")).toBeVisible();
  // The offline app is a group of its own, from the service worker's
  // precache, and needs no other group's code (not the online study page's).
  expect(groupChunks).toEqual([expect.stringMatching(/^\/pkg\/split_offline_app_[0-9]+\./)]);
});

test("another learner who signs in on the browser never sees, sends or counts the first one's offline work", async ({
  page,
  context,
}, testInfo) => {
  const adaEmail = uniqueEmail(testInfo);
  await register(page, testInfo, adaEmail, "Ada First");
  const studyUrl = await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  await review(page, testInfo, 3);
  await expect(page.getByTestId("sync-status")).toContainText("3 reviews");

  // Back online, but her reviews cannot reach the server yet: signing out
  // asks first, and she sends them.
  await page.close();
  const other = await context.newPage();
  // Back online, but neither this page nor the service worker may send
  // them: the worker's Background Sync fires as soon as the connection is
  // back, so the route that refuses them goes in before it returns.
  await context.route("**/api/study/reviews", (route) => route.abort("connectionreset"));
  await context.unroute("**/*");
  await context.setOffline(false);
  await other.goto("/settings");
  await expect(other.locator("html[data-hydrated=true]")).toBeAttached();
  // The page reads its outbox after hydrating; until it has, "Log out" is
  // the plain form. Once it knows of her reviews, it is a button that asks.
  const logOut = other.getByRole("button", { name: "Log out", exact: true });
  await expect(logOut).toHaveAttribute("type", "button");
  await logOut.click();
  const warning = other.getByTestId("unsent-reviews-warning");
  await expect(warning).toContainText("3 reviews are not sent yet");
  await warning.getByRole("button", { name: "Cancel" }).click();
  await expect(warning).toHaveCount(0);
  // Asked again while the reviews still cannot leave (the page retries on
  // its own, and would otherwise send them before the click), then allowed
  // through for "Send them now".
  await logOut.click();
  await expect(warning).toContainText("3 reviews are not sent yet");
  await context.unrouteAll();
  await warning.getByRole("button", { name: "Send them now" }).click();
  // Sent: the warning closes, and signing out no longer asks.
  await expect(warning).toHaveCount(0);
  await other.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(other).toHaveURL(/\/$/);

  // Bea signs in on the same browser.
  await register(other, testInfo, uniqueEmail(testInfo), "Bea Second");
  expect(await reviewsOnServer(other)).toBe(0);
  // Offline, Bea's offline app has none of Ada's decks.
  await other.goto("/dashboard");
  await expect(other.locator("html[data-hydrated=true]")).toBeAttached();
  await goOffline(context);
  await other.goto(studyUrl);
  await expect(other.getByTestId("offline-unavailable")).toBeVisible();
  await goOnline(context);
  await other.goto("/dashboard");
  expect(await reviewsOnServer(other)).toBe(0);

  // Ada's three reviews were stored once, as hers.
  await expect(other.locator("html[data-hydrated=true]")).toBeAttached();
  await other.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(other).toHaveURL(/\/$/);
  await logIn(other, testInfo, adaEmail, PASSWORD);
  await expect(other).toHaveURL(/\/dashboard$/);
  expect(await reviewsOnServer(other)).toBe(3);
});

test("the same card reviewed offline on two devices keeps both reviews", async ({ page, context, browser }, testInfo) => {
  test.setTimeout(60_000);
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Tess Two");
  const studyUrl = await keepSpanishOffline(page, testInfo);

  // A second device: another browser profile, signed in to the same account.
  const tablet = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const second = await tablet.newPage();
    await logIn(second, testInfo, email, PASSWORD);
    await expect(second).toHaveURL(/\/dashboard$/);
    await second.goto(studyUrl);
    await expect(second.locator("html[data-hydrated=true]")).toBeAttached();
    await second.evaluate(() => navigator.serviceWorker.ready);
    await second.reload();
    await expect(second.locator("html[data-hydrated=true]")).toBeAttached();
    await second.getByTestId("keep-offline-toggle").check();
    await expect(second.getByTestId("offline-copy")).toBeVisible();

    // Both offline, both rate the first card of the same queue.
    await goOffline(context);
    await goOffline(tablet);
    await page.reload();
    await second.reload();
    await expectOfflineApp(page);
    await expectOfflineApp(second);
    const card = await page.getByTestId("study-card").getAttribute("data-card-id");
    expect(await second.getByTestId("study-card").getAttribute("data-card-id")).toBe(card);
    await answerCard(page, testInfo, "3");
    await answerCard(second, testInfo, "1");

    await goOnline(context);
    await goOnline(tablet);
    await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
    await expect(second.getByTestId("sync-status")).toHaveText("All reviews saved");
  } finally {
    await tablet.close();
  }
  // Both reviews are in the log; the server's state of the card is the
  // replay of both in time order (server/tests/study.rs checks the states).
  expect(await reviewsOnServer(page)).toBe(2);
});

test("with every page closed, the service worker sends the reviews once the connection is back", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Sami Sync");
  await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  await review(page, testInfo, 5);
  await expect(page.getByTestId("sync-status")).toContainText("5 reviews kept on this device");
  // The failed send asked the browser to wake the worker when the
  // connection is back.
  const tags = await page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync: { getTags(): Promise<string[]> };
    };
    return registration.sync.getTags();
  });
  expect(tags).toContain("engram-outbox");
  expect(await reviewsWaitingInBrowser(page)).toBe(5);
  await page.close();

  // Back online with no Engram page open: the browser wakes the worker,
  // which sends them. (A plain response of the same origin, which runs none
  // of the app, lets the test read the browser's storage.)
  await goOnline(context);
  const bystander = await context.newPage();
  await bystander.goto("/readyz");
  // The browser fires the sync itself once the connection is back; firing
  // it through the DevTools protocol too makes the test not depend on the
  // browser's schedule (a second sync finds nothing left to send).
  await wakeTheWorkerToSend(context, bystander);
  await expect.poll(() => reviewsWaitingInBrowser(bystander)).toBe(0);
  expect(await reviewsOnServer(bystander)).toBe(5);
});

test("a review the server refuses for good holds up none that the service worker sends, and the page says why it was let go", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  // This device's clock runs off by what the page's session storage says.
  await page.addInitScript(() => {
    const deviceNow = Date.now.bind(Date);
    Date.now = () => deviceNow() + Number(sessionStorage.getItem("clockOffByMs") ?? "0");
  });
  await register(page, testInfo, uniqueEmail(testInfo), "Sami Sync");
  const studyUrl = await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  await review(page, testInfo, 2);
  // The clock goes three years back for one rating: dated before the
  // deck's cards were made, the server can never store it.
  await page.evaluate(() => sessionStorage.setItem("clockOffByMs", String(-3 * 365 * 86_400_000)));
  await review(page, testInfo, 1);
  await page.evaluate(() => sessionStorage.setItem("clockOffByMs", "0"));
  await review(page, testInfo, 2);
  await expect(page.getByTestId("sync-status")).toContainText("5 reviews kept on this device");
  await page.close();

  // The worker sends the batch, which is refused whole for the one review,
  // then each review on its own: the four others are stored, and the
  // refused one waits for a page.
  await goOnline(context);
  const bystander = await context.newPage();
  await bystander.goto("/readyz");
  await wakeTheWorkerToSend(context, bystander);
  await expect.poll(() => reviewsWaitingInBrowser(bystander)).toBe(1);
  // The next page of the app sends it as the app starts, lets it go, and
  // says why under its header (a study page says it on its sync line).
  expect(await reviewsOnServer(bystander)).toBe(4);
  const notice = bystander.getByTestId("let-go-notice");
  await expect(notice).toContainText(
    "1 review could not be saved: dated before its card was made, so this device's clock was wrong.",
  );
  await expect.poll(() => reviewsWaitingInBrowser(bystander)).toBe(0);
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toHaveCount(0);
  await bystander.goto(studyUrl);
  await expect(bystander.getByTestId("sync-status")).toContainText("All reviews saved");
  expect(await reviewsOnServer(bystander)).toBe(4);
});

test("a session that ends on its own keeps the learner's kept decks for their return; signing out here, or someone else signing in, takes them away", async ({
  page,
  context,
}, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Eve Expired");
  const studyUrl = await keepSpanishOffline(page, testInfo);
  expect(await recordsInBrowser(page, "decks")).toHaveLength(1);
  // The session expires on the server: the browser still sends a cookie,
  // which opens none, so the next page is a visitor's, with the app running.
  await context.addCookies([{ name: "engram_session", value: "AAAAAAAAAAAAAAAAAAAAAA", url: new URL(page.url()).origin }]);
  await page.goto("/catalogue");
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" })).toBeVisible();
  // Logged in again, the deck is still on the device, ready offline.
  await logIn(page, testInfo, email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(await recordsInBrowser(page, "decks")).toHaveLength(1);
  await page.goto(studyUrl);
  await expect(page.getByTestId("offline-copy")).toContainText("on this device");
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  // Signing out on this browser takes the learner's decks with them.
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(async () => (await recordsInBrowser(page, "decks")).length).toBe(0);

  // Kept again; the session expires, and someone else signs in on this
  // browser: her decks go then.
  await logIn(page, testInfo, email, PASSWORD);
  await page.goto(studyUrl);
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await page.getByTestId("keep-offline-toggle").check();
  await expect(page.getByTestId("offline-copy")).toContainText("on this device, saved");
  expect(await recordsInBrowser(page, "decks")).toHaveLength(1);
  await context.addCookies([{ name: "engram_session", value: "AAAAAAAAAAAAAAAAAAAAAA", url: new URL(page.url()).origin }]);
  await register(page, testInfo, uniqueEmail(testInfo), "Bea Second");
  await expect.poll(async () => (await recordsInBrowser(page, "decks")).length).toBe(0);
});

test("cards buried and suspended in the offline app stay set aside, and are held once the service worker sends the holds", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Hana Hold");
  const studyUrl = await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  const before = await countsIn(page);
  const front = page.getByTestId("study-card").locator('[data-side="front"]');
  const held: string[] = [];
  for (const button of ["Bury until tomorrow", "Suspend"]) {
    held.push(await front.innerText());
    await page.getByRole("button", { name: button, exact: true }).click();
    await expect(front).not.toHaveText(held[held.length - 1]);
  }
  const setAside = { ...before, new: before.new - 2 };
  await expect.poll(() => countsIn(page)).toEqual(setAside);
  // A hold is not a review: what waits is counted as changes.
  await expect(page.getByTestId("sync-status")).toContainText("2 changes kept on this device");
  // Opened again offline, the two cards stay set aside.
  await page.reload();
  await expectOfflineApp(page);
  await expect.poll(() => countsIn(page)).toEqual(setAside);
  expect(held).not.toContain(await front.innerText());
  await page.close();

  // Back online with every page closed, the worker sends the holds, and
  // the server's queue leaves the two cards out.
  await goOnline(context);
  const bystander = await context.newPage();
  await bystander.goto("/readyz");
  await wakeTheWorkerToSend(context, bystander);
  await expect.poll(() => reviewsWaitingInBrowser(bystander)).toBe(0);
  await bystander.goto(studyUrl);
  await expect(bystander.locator("html[data-hydrated=true]")).toBeAttached();
  await expect.poll(() => countsIn(bystander)).toEqual(setAside);
  expect(held).not.toContain(await bystander.getByTestId("study-card").locator('[data-side="front"]').innerText());
  expect(await reviewsOnServer(bystander)).toBe(0);
});

test("the dashboard's counts follow the reviews this browser sends as the app starts", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Dana Dashboard");
  const studyUrl = await keepSpanishOffline(page, testInfo);
  const deckId = studyUrl.split("/").pop();
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  const before = await countsIn(page);
  await review(page, testInfo, 3);
  const after = await countsIn(page);
  expect(after).not.toEqual(before);
  // Without its service worker, nothing sends the three reviews until an
  // Engram page opens.
  await page.evaluate(async () => {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  });
  await page.close();
  await goOnline(context);

  // The dashboard is counted by a server that does not have them yet (as
  // served); the app then sends them, and the counts follow with no reload.
  const dashboard = await context.newPage();
  const response = await dashboard.goto("/dashboard");
  const row = `[data-testid="study-list"] li[data-deck-id="${deckId}"]`;
  // The deck's counts in the page as served, or as the page shows them now.
  const countsOf = (root: "served" | "page", html = "") =>
    dashboard.evaluate(
      ([row, root, html]) => {
        const doc = root === "served" ? new DOMParser().parseFromString(html, "text/html") : document;
        const read = (label: string) => Number(doc.querySelector(`${row} [data-count="${label}"] .tabular-nums`)?.textContent);
        return { new: read("new"), learning: read("learning"), review: read("to review") };
      },
      [row, root, html] as const,
    );
  expect(await countsOf("served", await response!.text())).toEqual(before);
  await expect.poll(() => countsOf("page")).toEqual(after);
  expect(await reviewsWaitingInBrowser(dashboard)).toBe(0);
});

test("once the service worker has sent what the page could not, the page's next rating is sent at once", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Wren Worker");
  await keepSpanishOffline(page, testInfo);
  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  await review(page, testInfo, 2);
  await expect(page.getByTestId("sync-status")).toContainText("2 reviews kept on this device");
  // The connection is back, but not yet for this page's own sends: the
  // service worker sends the two first, and tells the page.
  await page.route("**/api/study/reviews", (route) => route.abort("internetdisconnected"));
  await goOnline(context);
  await wakeTheWorkerToSend(context, page);
  await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  await page.unroute("**/api/study/reviews");
  // The worker reached the server, so the page knows the connection is
  // back: its next rating goes at once, and is never said to be kept for
  // want of a connection (checked once, not until it holds: the page would
  // send it in the end, after a "Try now" or its next retry).
  await answerCard(page, testInfo, "3");
  expect(await page.getByTestId("sync-offline").count()).toBe(0);
  await expect(page.getByTestId("sync-status")).toHaveText("All reviews saved");
  await expect.poll(() => reviewsWaitingInBrowser(page)).toBe(0);
  expect(await reviewsOnServer(page)).toBe(3);
});

test("a kept deck's pictures are on the device, show with no connection, and go with the deck", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Pia Picture");
  // The seeded chemistry course's first deck has a picture of a molecule.
  await page.goto("/courses/chemistry-essentials");
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await page.getByTestId("enrol").click();
  await expect(page.getByTestId("enrolment")).toContainText("You are enrolled");
  await page.getByRole("link", { name: "Study Chemistry: atoms and molecules" }).click();
  await expect(page).toHaveURL(/\/study\/[0-9a-f-]{36}$/);
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Whatever the card on screen put in the cache goes: the deck's picture
  // is then there only because keeping the deck downloaded it.
  await page.evaluate(() => caches.delete("engram-media"));
  await page.getByTestId("keep-offline-toggle").check();
  await expect(page.getByTestId("offline-copy")).toContainText("on this device, saved");
  const kept = await cachedMedia(page);
  expect(kept).toHaveLength(1);
  expect(kept[0]).toMatch(/^\/media\/[0-9a-f]{64}$/);

  await goOffline(context);
  await page.reload();
  await expectOfflineApp(page);
  const widths = await page.evaluate(
    (addresses) =>
      Promise.all(
        addresses.map(
          (address) =>
            new Promise<number>((resolve) => {
              const image = new Image();
              image.onload = () => resolve(image.naturalWidth);
              image.onerror = () => resolve(0);
              image.src = address;
            }),
        ),
      ),
    kept,
  );
  expect(widths[0]).toBeGreaterThan(0);

  // No longer kept: its picture goes too.
  await goOnline(context);
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  // The copy is refreshed as the page opens; then it can be removed.
  await expect(page.getByTestId("keep-offline-toggle")).toBeChecked();
  await expect(page.getByTestId("keep-offline-toggle")).toBeEnabled();
  await page.getByTestId("keep-offline-toggle").uncheck();
  await expect(page.getByTestId("offline-copy")).toHaveCount(0);
  await expect.poll(() => cachedMedia(page)).toEqual([]);
});

test("reviews sent while a study page's queue is on its way still count on that page", async ({ page, context }, testInfo) => {
  test.setTimeout(60_000);
  await register(page, testInfo, uniqueEmail(testInfo), "Rhea Race");
  const studyUrl = await startStudyingSpanish(page, testInfo);
  const deckId = studyUrl.split("/").pop();
  // The connection fails for the reviews alone: three stay in the outbox.
  await context.route("**/api/study/reviews", (route) => route.abort("internetdisconnected"));
  const before = await countsIn(page);
  await review(page, testInfo, 3);
  const after = await countsIn(page);
  expect(after).not.toEqual(before);
  expect(await reviewsWaitingInBrowser(page)).toBe(3);
  await context.unroute("**/api/study/reviews");

  // The dashboard opens and sends them at once; the batch is held until
  // the study page's queue has been made by the server, which does not
  // have them yet, and the queue reaches the page only once the batch is
  // stored and the browser has let the reviews go.
  let batchMayGo = () => {};
  const batchHeld = new Promise<void>((resolve) => (batchMayGo = resolve));
  let batchStored = () => {};
  const batchSent = new Promise<void>((resolve) => (batchStored = resolve));
  await context.route("**/api/study/reviews", async (route) => {
    await batchHeld;
    await route.fulfill({ response: await route.fetch() });
    batchStored();
  });
  await context.route(/\/api\/study\/queue\?/, async (route) => {
    const queue = await route.fetch();
    batchMayGo();
    await batchSent;
    await expect.poll(() => reviewsWaitingInBrowser(page)).toBe(0);
    await route.fulfill({ response: queue });
  });
  await page.goto("/dashboard");
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await page.locator(`[data-testid="study-list"] li[data-deck-id="${deckId}"]`).getByRole("link", { name: /^Study / }).click();
  await expect(page).toHaveURL(studyUrl);
  await expect(page.getByTestId("study-card")).toBeVisible();
  // The three cards rated on the first page are not new again here.
  await expect.poll(() => countsIn(page)).toEqual(after);
  expect(await reviewsOnServer(page)).toBe(3);
});
