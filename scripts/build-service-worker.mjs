// Writes the service worker, <site root>/sw.js, with Workbox after the
// release build and the card stylesheet's (`scripts/finish-site`, which
// `make build`, `make run` and the end-to-end tests run).
//
// It precaches the hashed bundle (wasm, JS, CSS), the icons and the web app
// manifest, and the offline app's page, so an installed app starts without
// the network; it caches media as they are viewed. Pages the server renders
// are never cached: signed-in pages are rendered for one account, and the
// browser must never show one account's page to another.
//
// Usage: node scripts/build-service-worker.mjs [site root, default target/site]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { generateSW } from "workbox-build";

const siteRoot = process.argv[2] ?? "target/site";

// The offline app's page, with this build's hashed file names.
const built = readdirSync(`${siteRoot}/pkg`);
const named = (extension, prefix = "engram.") => {
  const matches = built.filter((name) => name.startsWith(prefix) && name.endsWith(extension) && !name.endsWith(`.d${extension}`));
  if (matches.length !== 1) throw new Error(`expected one ${prefix}*${extension} file in ${siteRoot}/pkg, found ${matches}`);
  return matches[0];
};
const template = readFileSync(new URL("offline.html", import.meta.url), "utf8");
writeFileSync(
  `${siteRoot}/offline.html`,
  template
    .replace("{{css}}", named(".css"))
    .replace("{{cards-css}}", named(".css", "cards."))
    .replace("{{js}}", named(".js"))
    .replace("{{wasm}}", named(".wasm")),
);

const { count, size, warnings } = await generateSW({
  swDest: `${siteRoot}/sw.js`,
  globDirectory: siteRoot,
  globPatterns: [
    "pkg/*.{wasm,js,css}",
    "icons/*.png",
    "favicon.svg",
    "manifest.webmanifest",
    "offline.html",
    "offline-boot.js",
  ],
  // The build's hashes are in the names (`engram.<22 characters>.wasm`), so
  // the browser's HTTP cache may answer the precache's own requests.
  dontCacheBustURLsMatching: /\.[A-Za-z0-9_-]{22}\.(?:wasm|js|css)$/,
  maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
  // One file, nothing loaded from a CDN, and no eval: the app's
  // Content-Security-Policy applies to the worker too.
  inlineWorkboxRuntime: true,
  mode: "production",
  sourcemap: false,
  cleanupOutdatedCaches: true,
  // A new version waits until the learner chooses "Reload" (the page posts
  // SKIP_WAITING); it never takes over a page in the middle of a review.
  skipWaiting: false,
  clientsClaim: false,
  // Sends the outbox by Background Sync (public/sw-outbox.js).
  importScripts: ["/sw-outbox.js"],
  runtimeCaching: [
    {
      // Pages come from the server whenever it answers. With no connection
      // the offline app answers instead: a page of its own that reads the
      // decks kept on this device, never a copy of a page the server
      // rendered for someone.
      urlPattern: ({ request }) => request.mode === "navigate",
      handler: "NetworkOnly",
      options: { precacheFallback: { fallbackURL: "/offline.html" } },
    },
    {
      // Card images and sound, by content hash, so a cached copy is never
      // stale. Removed with the learner's offline data at sign-out.
      urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/media/"),
      handler: "CacheFirst",
      options: {
        cacheName: "engram-media",
        expiration: { maxEntries: 2000, purgeOnQuotaError: true },
        cacheableResponse: { statuses: [200] },
      },
    },
  ],
});

// A pattern that matches nothing means a missing asset: fail the build.
for (const warning of warnings) console.error(`service worker: ${warning}`);
if (warnings.length > 0) process.exit(1);
console.log(`service worker: ${siteRoot}/sw.js precaches ${count} files, ${size} bytes`);
