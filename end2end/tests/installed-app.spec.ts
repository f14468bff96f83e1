import { chromium, expect, test, TestInfo } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { goOffline, goOnline, LEARNER, logIn, open, usesJavaScript } from "./helpers";

// The installed app: manifest, icons, service worker, the install button
// and the offline banner. Tests tagged `@scripts` need JavaScript by nature
// (a service worker, the browser's connection events, its install offer):
// the no-javascript project leaves them out. (A new version's banner is in app-update.spec.ts,
// which runs alone because it changes the served worker.)

/**
 * A second Chromium with a profile of its own, in a new folder (`profiles`
 * collects the folders to remove). Now and then Debian's Chromium dies of a
 * segmentation fault as it starts, before it has opened any page (two
 * `make test` runs in five, always here, the one test that starts a
 * browser of its own; never in 80 starts in a loop, alone or under load).
 * Nothing of Engram's has run in it yet, so a start that crashed is tried
 * once more, with a fresh profile, and the report says so.
 */
async function launchWithProfile(profiles: string[], testInfo: TestInfo) {
  const options = { ...testInfo.project.use.launchOptions, baseURL: testInfo.project.use.baseURL };
  const launch = () => {
    const profile = mkdtempSync(path.join(os.tmpdir(), "engram-install-"));
    profiles.push(profile);
    return chromium.launchPersistentContext(profile, options);
  };
  try {
    return await launch();
  } catch (error) {
    if (!/signal=SIGSEGV/.test(String(error))) throw error;
    testInfo.annotations.push({ type: "chromium crashed as it started", description: "started again" });
    return await launch();
  }
}

test("the manifest and its icons make Engram installable", async ({ page, request }, testInfo) => {
  await open(page, testInfo, "/");
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(manifestHref).toBe("/manifest.webmanifest");
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute("content", "#4f46e5");
  await expect(page.locator('meta[name="apple-mobile-web-app-capable"]')).toHaveAttribute("content", "yes");
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");

  const response = await request.get(manifestHref!);
  expect(response.headers()["content-type"]).toBe("application/manifest+json");
  const manifest = await response.json();
  expect(manifest).toMatchObject({ short_name: "Engram", display: "standalone", scope: "/" });
  expect(manifest.shortcuts.map((shortcut: { name: string }) => shortcut.name)).toEqual(["Study", "My decks"]);
  const purposes = new Set<string>();
  for (const icon of manifest.icons) {
    const image = await request.get(icon.src);
    expect(image.ok(), icon.src).toBe(true);
    expect(image.headers()["content-type"]).toBe("image/png");
    purposes.add(`${icon.sizes} ${icon.purpose}`);
  }
  expect([...purposes].sort()).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);

  if (!usesJavaScript(testInfo)) return;
  // Chromium's own installability check, the one Lighthouse reported: the
  // manifest, its icons and a service worker. It needs a profile of its
  // own, since a private (incognito) context is never installable.
  const profiles: string[] = [];
  try {
    const browser = await launchWithProfile(profiles, testInfo);
    try {
      const installing = await browser.newPage();
      await installing.goto("/");
      await installing.evaluate(() => navigator.serviceWorker.ready);
      await installing.reload();
      const devtools = await browser.newCDPSession(installing);
      await expect
        .poll(async () => (await devtools.send("Page.getInstallabilityErrors")).installabilityErrors)
        .toEqual([]);
    } finally {
      await browser.close();
    }
  } finally {
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  }
});

test("the service worker keeps the app's code, so it loads with no connection", { tag: "@scripts" }, async ({ page, context }, testInfo) => {
  // A page that runs the app's code (the pages a signed-out visitor reads run none).
  await logIn(page, testInfo, LEARNER.email, LEARNER.password);
  const registration = await page.evaluate(async () => {
    const ready = await navigator.serviceWorker.ready;
    return { script: ready.active?.scriptURL, scope: ready.scope };
  });
  expect(registration.script).toMatch(/\/sw\.js$/);
  expect(new URL(registration.scope).pathname).toBe("/");

  // Every hashed asset the page uses is in the precache.
  const assets = await page.evaluate(() =>
    [...document.querySelectorAll('link[rel="stylesheet"], link[rel="modulepreload"], link[rel="preload"]')]
      .map((link) => new URL((link as HTMLLinkElement).href).pathname)
      .filter((path) => path.startsWith("/pkg/")),
  );
  expect(assets.some((path) => path.endsWith(".wasm"))).toBe(true);
  const cached = await page.evaluate(async (paths) => {
    const found: string[] = [];
    for (const path of paths) if (await caches.match(path)) found.push(path);
    return found;
  }, assets);
  expect(cached.sort()).toEqual([...assets].sort());

  // Offline, the page's own requests for them are answered by the worker.
  await page.reload();
  await expect(page.locator("html[data-hydrated=true]")).toBeAttached();
  await goOffline(context);
  const offlineStatus = await page.evaluate(async (path) => (await fetch(path)).status, assets[0]);
  expect(offlineStatus).toBe(200);
  await goOnline(context);
});

test("a lost connection is announced, and so is its return", { tag: "@scripts" }, async ({ page, context }, testInfo) => {
  // The banner is the app's: on a page that runs its code.
  await logIn(page, testInfo, LEARNER.email, LEARNER.password);
  const banner = page.getByTestId("offline-banner");
  await expect(banner).toHaveCount(0);
  await goOffline(context);
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("You are offline");
  await goOnline(context);
  await expect(banner).toHaveCount(0);
});

test("the install button appears when the browser offers installation, and asks it", { tag: "@scripts" }, async ({ page }, testInfo) => {
  // The button is the app's: on a page that runs its code.
  await logIn(page, testInfo, LEARNER.email, LEARNER.password);
  const install = page.getByTestId("install-app");
  await expect(install).toHaveCount(0);
  // Headless Chromium never offers installation itself, so the page gets
  // the event the browser would send, with the same prompt() to call.
  await page.evaluate(() => {
    const offer = new Event("beforeinstallprompt", { cancelable: true });
    Object.assign(offer, {
      prompt: () => {
        (window as unknown as { promptedToInstall: boolean }).promptedToInstall = true;
        return Promise.resolve();
      },
    });
    window.dispatchEvent(offer);
  });
  await expect(install).toBeVisible();
  await install.click();
  expect(await page.evaluate(() => (window as unknown as { promptedToInstall?: boolean }).promptedToInstall)).toBe(true);
  await expect(install).toHaveCount(0);
});
