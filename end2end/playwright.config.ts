import { defineConfig } from "@playwright/test";

// Every spec runs twice: once hydrated, once with JavaScript disabled, where
// the forms must work as plain server-rendered HTML posts.
export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: "http://127.0.0.1:3000",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "hydrated", use: { javaScriptEnabled: true }, testIgnore: /app-update/ },
    // Offline study and `@scripts` tests are scripts by nature (service
    // worker, IndexedDB, the browser's connection and install events).
    {
      name: "no-javascript",
      use: { javaScriptEnabled: false },
      grepInvert: /@stylesheet|@scripts/,
      testIgnore: [/app-update/, /offline-study/],
    },
    // Changes the service worker every other page uses, so it waits for them.
    {
      name: "app-update",
      use: { javaScriptEnabled: true },
      testMatch: /app-update\.spec\.ts/,
      dependencies: ["hydrated", "no-javascript"],
    },
  ],
});
