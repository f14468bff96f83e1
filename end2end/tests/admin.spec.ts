import { expect, test } from "@playwright/test";
import { logIn, open, register, uniqueEmail } from "./helpers";

// `make test` creates this admin with `server create-admin` before the run.
const ADMIN = { email: "admin@engram.test", password: "engram-e2e-admin" };

test("an admin makes a learner a teacher", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo);
  await register(page, testInfo, email, "Rosalind");
  await expect(page.getByTestId("role")).toHaveText("Learner");
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await logIn(page, testInfo, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page).toHaveURL(/\/admin/);
  await page.getByLabel("Search accounts").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("account-row")).toHaveCount(1);
  // The box keeps the search it ran, with or without JavaScript, and the
  // address holds the search alone.
  await expect(page.getByLabel("Search accounts")).toHaveValue(email);
  expect(new URL(page.url()).search).toBe(`?q=${encodeURIComponent(email)}`);
  const row = page.locator(`tr[data-email="${email}"]`);
  await row.getByLabel("Role").selectOption("teacher");
  await row.getByRole("button", { name: "Save" }).click();

  // The change waits for the admin's own password; a wrong one is refused
  // next to the field.
  const confirmation = page.getByTestId("confirm-role-change");
  await expect(confirmation).toContainText("Make Rosalind");
  await confirmation.getByLabel("Your password").fill("not my password");
  await confirmation.getByRole("button", { name: "Change role" }).click();
  await expect(page.locator("#field-password-message")).toHaveText("That is not your password.");
  await page.getByTestId("confirm-role-change").getByLabel("Your password").fill(ADMIN.password);
  await page.getByTestId("confirm-role-change").getByRole("button", { name: "Change role" }).click();
  await expect(page.getByTestId("confirm-role-change")).toHaveCount(0);
  await expect(page.locator(`tr[data-email="${email}"]`).getByLabel("Role")).toHaveValue("teacher");
  // Said with or without JavaScript.
  await expect(page.getByRole("status")).toHaveText("Saved: Rosalind is now teacher.");
  await page.reload();
  await expect(page.locator(`tr[data-email="${email}"]`).getByLabel("Role")).toHaveValue("teacher");
  await expect(page.getByLabel("Search accounts")).toHaveValue(email);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await logIn(page, testInfo, email, "a sturdy passphrase");
  await expect(page.getByTestId("role")).toHaveText("Teacher");
  await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
});

test("a learner cannot open the admin page", async ({ page }, testInfo) => {
  await register(page, testInfo, uniqueEmail(testInfo), "Curious");
  await open(page, testInfo, "/admin");
  await expect(page.getByRole("alert")).toHaveText(/You do not have permission to do that\./);
  await expect(page.getByTestId("account-row")).toHaveCount(0);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the account list fits the screen, each email and day joined under its name", async ({ page }, testInfo) => {
    await logIn(page, testInfo, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await open(page, testInfo, `/admin?q=${encodeURIComponent(ADMIN.email)}`);
    const row = page.locator(`tr[data-email="${ADMIN.email}"]`);
    await expect(row).toBeVisible();
    // The email shows under the name; its own column is hidden.
    await expect(row.getByText(ADMIN.email).filter({ visible: true })).toHaveCount(1);
    await expect(row.locator("td").nth(1)).toBeHidden();
    await expect(row.getByText(/^Joined \d{4}-\d{2}-\d{2}$/)).toBeVisible();
    await expect(row.getByRole("button", { name: "Save" })).toBeInViewport();
    const table = page.locator("table").first();
    const tableFits = () =>
      table.evaluate((element) => element.parentElement!.scrollWidth <= element.parentElement!.clientWidth);
    expect(await tableFits()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // On the narrowest phones Save goes under the role, rather than off the
    // side of a table that scrolls.
    await page.setViewportSize({ width: 320, height: 740 });
    expect(await tableFits()).toBe(true);
    await expect(row.getByRole("button", { name: "Save" })).toBeInViewport({ ratio: 1 });
    await expect(row.getByLabel("Role")).toBeInViewport({ ratio: 1 });
  });
});
