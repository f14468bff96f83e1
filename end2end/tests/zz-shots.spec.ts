import { expect, test } from "@playwright/test";
import { logIn, open } from "./helpers";
const TEACHER = { email: "teacher@engram.test", password: "engram-teacher" };
test("shots", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await open(page, testInfo, "/decks/new");
  await page.getByLabel("Title").fill(`عربي ${testInfo.project.name}`);
  await page.getByLabel("Description").fill("كلمات للمبتدئين، مع أمثلة.\nWords for beginners, with examples.");
  await page.getByLabel("Who can see it").selectOption("private");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  const deckPath = new URL(page.url()).pathname;
  for (const [f, b] of [["مرحبا بالعالم!", "Hello, world!"], ["What is 'book' in Arabic?", "كتاب."]]) {
    await page.request.post("/api/notes/create", {
      headers: { Accept: "application/json", Origin: "http://127.0.0.1:3000" },
      form: { "input[deck_id]": deckPath.split("/").pop()!, "input[note_type]": "basic", "input[fields][0]": f, "input[fields][1]": b, "input[tags]": "" },
    });
  }
  await open(page, testInfo, deckPath);
  await page.screenshot({ path: `/tmp/shots/deck-${testInfo.project.name}.png`, fullPage: true });
  await open(page, testInfo, deckPath.replace("/decks/", "/study/"));
  await page.getByTestId("show-answer").first().click();
  await page.screenshot({ path: `/tmp/shots/study-${testInfo.project.name}.png`, fullPage: true });
  await open(page, testInfo, deckPath + "/add");
  await page.getByLabel("Front", { exact: true }).fill("שלום, עולם!");
  await page.screenshot({ path: `/tmp/shots/add-${testInfo.project.name}.png`, fullPage: true });
});
