import { expect, Page, test, TestInfo } from "@playwright/test";
import { logIn, open, openNewDeckPage, register, uniqueEmail } from "./helpers";

const TEACHER = { email: "teacher@engram.test", password: "engram-teacher" };

function usesJavaScript(testInfo: TestInfo) {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** A word of letters only, unique to this run, that survives slugs and search. */
function uniqueWord(testInfo: TestInfo): string {
  const letters = "bcdfghjklmnpqrstvwxz";
  let word = testInfo.project.name === "hydrated" ? "hy" : "nj";
  let n = Date.now();
  while (n > 0) {
    word += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  }
  return word;
}

async function addLesson(page: Page, title: string, body: string) {
  await page.getByLabel("New lesson title").fill(title);
  await page.getByRole("button", { name: "Add lesson" }).click();
  await expect(page).toHaveURL(/\/lessons\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("lesson-title")).toHaveText(title);
  const editor = page.getByTestId("lesson-editor");
  await editor.getByLabel("Text", { exact: true }).fill(body);
  await editor.getByRole("button", { name: "Save lesson" }).click();
  await expect(page.getByTestId("lesson-body")).toContainText(body.replace(/\*\*/g, ""));
  // Said with or without JavaScript.
  await expect(editor.getByRole("status")).toHaveText("Saved.");
}

// One story in two tests, run in order: each has its own time limit, and
// the learner's half starts from the course the teacher's half published.
test.describe.serial("a course, from the teacher publishing it to a learner's progress", () => {
  let word = "";
  let title = "";
  let courseUrl = "";

  test("a teacher builds a course with two lessons and publishes it", async ({ browser }, testInfo) => {
    word = uniqueWord(testInfo);
    title = `Organic chemistry ${word}`;
    const javaScriptEnabled = usesJavaScript(testInfo);

    const teacher = await (await browser.newContext({ javaScriptEnabled })).newPage();
    await logIn(teacher, testInfo, TEACHER.email, TEACHER.password);
    await expect(teacher).toHaveURL(/\/dashboard$/);
    await teacher.getByRole("link", { name: "New course" }).click();
    await expect(teacher).toHaveURL(/\/courses\/new$/);
    // A course without a title is refused next to the field, and what was
    // typed into the others stays, with JavaScript or without it.
    await teacher.getByLabel("Description").fill("Carbon compounds, step by step.");
    await teacher.getByLabel("Category").fill("Science");
    await teacher.getByRole("button", { name: "Create course" }).click();
    await expect(teacher.locator("#course-title-message")).toHaveText("Give the course a title.");
    await expect(teacher.getByLabel("Description")).toHaveValue("Carbon compounds, step by step.");
    await expect(teacher.getByLabel("Category")).toHaveValue("Science");
    await teacher.getByLabel("Title").fill(title);
    await teacher.getByRole("button", { name: "Create course" }).click();
    await expect(teacher).toHaveURL(/\/courses\/organic-chemistry-/);
    courseUrl = teacher.url();
    await expect(teacher.getByTestId("course-status")).toHaveText("Draft");
    // The same for its details once it exists: nothing typed is lost.
    const details = teacher.getByTestId("edit-course");
    await details.locator("summary").click();
    await details.getByLabel("Title").fill("");
    await details.getByLabel("Description").fill("Typed before the refusal");
    await details.getByRole("button", { name: "Save changes" }).click();
    await expect(teacher.locator("#edit-title-message")).toHaveText("Give the course a title.");
    await expect(details.getByLabel("Description")).toHaveValue("Typed before the refusal");
    await expect(teacher.getByTestId("course-title")).toHaveText(title);
    await details.getByLabel("Title").fill(title);
    await details.getByLabel("Description").fill("Carbon compounds, step by step.");
    await details.getByRole("button", { name: "Save changes" }).click();
    await expect(details.getByRole("status")).toHaveText("Saved.");
    await expect(details.getByLabel("Description")).toHaveValue("Carbon compounds, step by step.");
    await addLesson(teacher, "Carbon bonds", "Carbon makes **four** bonds.");
    await open(teacher, testInfo, courseUrl);
    const longTitle = "How alcohols, aldehydes and ketones differ from their neighbours";
    await addLesson(teacher, longTitle, "Alcohols carry an OH group.");
    // On a phone, a lesson's long title in the list beside it wraps or is
    // cut short, and the page is no wider than the screen; so is the
    // course's address field, whose "/courses/" stays whole.
    await teacher.setViewportSize({ width: 320, height: 740 });
    const widens = () => teacher.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(await widens(), "the lesson page is wider than the phone").toBe(false);
    await open(teacher, testInfo, courseUrl);
    await teacher.getByTestId("edit-course").locator("summary").click();
    const prefix = teacher.getByTestId("edit-course").getByText("/courses/", { exact: true });
    expect((await prefix.boundingBox())!.height, "/courses/ is on one line").toBeLessThan(30);
    expect(await widens(), "the course page is wider than the phone").toBe(false);
    await teacher.setViewportSize({ width: 1280, height: 800 });
    await expect(teacher.getByTestId("lesson-list").locator("li")).toHaveCount(2);
    await teacher.getByRole("button", { name: "Publish" }).click();
    await expect(teacher.getByTestId("course-status")).toHaveText("Published");
  });

  test("a learner finds it with a typo, enrols and progresses", async ({ browser }, testInfo) => {
    const javaScriptEnabled = usesJavaScript(testInfo);
    // A new learner (so no other test's enrolments show on their dashboard)
    // searches with a misspelling, enrols and opens a lesson.
    const learner = await (await browser.newContext({ javaScriptEnabled })).newPage();
    await register(learner, testInfo, uniqueEmail(testInfo), "Lena Learner");
    await open(learner, testInfo, `/catalogue?q=${encodeURIComponent(`orgnic chemistri ${word}`)}`);
    const result = learner.getByRole("link", { name: title });
    await expect(result).toBeVisible();
    await result.click();
    await expect(learner.getByTestId("course-title")).toHaveText(title);
    await learner.getByTestId("enrol").click();
    await expect(learner.getByTestId("enrolment")).toContainText("You are enrolled");
    await expect(learner.getByTestId("course-progress")).toContainText("0 of 2 lessons complete · 0%");

    await learner.getByTestId("lesson-list").getByRole("link", { name: "Carbon bonds" }).click();
    await expect(learner.getByTestId("lesson-title")).toHaveText("Carbon bonds");
    await expect(learner.getByTestId("lesson-body").locator("strong")).toHaveText("four");
    await learner.getByTestId("complete-lesson").click();
    await expect(learner.getByTestId("complete-lesson")).toContainText("Completed");

    await open(learner, testInfo, courseUrl);
    await expect(learner.getByTestId("course-progress")).toContainText("1 of 2 lessons complete · 50%");
    // Followed, the course is on the dashboard: that is the way back.
    await expect(learner.getByRole("navigation", { name: "Breadcrumb" })).toHaveText("← Dashboard");
    await open(learner, testInfo, "/dashboard");
    // A learner's course card says what is in it, not an author's status.
    const followed = learner.getByTestId("studying-list").locator("li", { hasText: title });
    await expect(followed).toContainText("2 lessons");
    await expect(followed).not.toContainText("Published");
    // "Continue" goes on past the lesson just completed, to the next one.
    const continueLink = learner.getByTestId("continue");
    const nextLesson = "How alcohols, aldehydes and ketones differ from their neighbours";
    await expect(continueLink).toContainText(nextLesson);
    await continueLink.getByRole("link").first().click();
    await expect(learner.getByTestId("lesson-title")).toHaveText(nextLesson);
    // Looking back at the completed lesson leaves it there.
    await open(learner, testInfo, courseUrl);
    await learner.getByTestId("lesson-list").getByRole("link", { name: "Carbon bonds" }).click();
    await expect(learner.getByTestId("lesson-title")).toHaveText("Carbon bonds");
    await open(learner, testInfo, "/dashboard");
    await expect(learner.getByTestId("continue")).toContainText(nextLesson);

    // Leaving asks first, and says that the progress is kept; enrolling
    // again finds it.
    await open(learner, testInfo, courseUrl);
    const enrolment = learner.getByTestId("enrolment");
    await enrolment.getByText("Leave this course", { exact: true }).click();
    await expect(enrolment.getByTestId("leave-course-warning")).toHaveText(
      "Leave this course? It goes from your dashboard; the lessons you completed stay completed if you enrol again.",
    );
    await enrolment.getByRole("button", { name: "Yes, leave" }).click();
    await expect(learner.getByTestId("enrol")).toBeVisible();
    await expect(learner.getByTestId("enrolment")).toHaveCount(0);
    await open(learner, testInfo, "/dashboard");
    await expect(learner.getByTestId("studying-list").locator("li", { hasText: title })).toHaveCount(0);
    await open(learner, testInfo, courseUrl);
    await learner.getByTestId("enrol").click();
    await expect(learner.getByTestId("course-progress")).toContainText("1 of 2 lessons complete · 50%");

    // A learner cannot create a course.
    const response = await learner.goto("/courses/new");
    expect(response?.status()).toBe(403);
  });
});

// A tiny PNG (one red pixel), uploaded through the note editor's file picker.
const RED_PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);

test("a teacher adds a Basic note with an image", async ({ page, baseURL }, testInfo) => {
  const word = uniqueWord(testInfo);
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await openNewDeckPage(page, testInfo);
  await page.getByLabel("Title").fill(`Pictures ${word}`);
  await page.getByLabel("Who can see it").selectOption("private");
  await page.getByRole("button", { name: "Create deck" }).click();
  await expect(page).toHaveURL(/\/decks\/[0-9a-f-]{36}$/);
  const deckPath = new URL(page.url()).pathname;

  await open(page, testInfo, `${deckPath}/add`);
  await page.getByLabel("Front", { exact: true }).fill("What colour is this pixel?");
  if (usesJavaScript(testInfo)) {
    // The editor uploads a picked file and writes its Markdown into the field.
    await page.getByLabel("Add image or audio to Front").setInputFiles({
      name: "red-pixel.png",
      mimeType: "image/png",
      buffer: RED_PIXEL_PNG,
    });
    await expect(page.getByTestId("upload-status").first()).toContainText("Added red-pixel.png");
    await expect(page.getByLabel("Front", { exact: true })).toHaveValue(
      /!\[red-pixel\]\(\/media\/[0-9a-f]{64}\)/,
    );
    await page.getByLabel("Back", { exact: true }).fill("Red");
    const preview = page.getByTestId("card-preview");
    await expect(preview.locator("[data-side=front] img")).toHaveAttribute("src", /^\/media\/[0-9a-f]{64}$/);

    // A file that is not an image or sound is refused with a reason.
    await page.getByLabel("Add image or audio to Back").setInputFiles({
      name: "notes.txt",
      mimeType: "image/png",
      buffer: Buffer.from("just text pretending to be a picture"),
    });
    await expect(page.getByTestId("upload-status").nth(1)).toContainText("cannot be used");
  } else {
    // Without the app's JavaScript the file goes through the same upload
    // endpoint a script would use, and its address is written by hand.
    const upload = await page.request.post("/api/media", {
      data: RED_PIXEL_PNG,
      headers: { Origin: baseURL ?? "", "Content-Type": "image/png" },
    });
    expect(upload.status()).toBe(201);
    const { sha256 } = await upload.json();
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const front = page.getByLabel("Front", { exact: true });
    await front.fill(`What colour is this pixel? ![red-pixel](/media/${sha256})`);
    await page.getByLabel("Back", { exact: true }).fill("Red");

    const refused = await page.request.post("/api/media", {
      data: Buffer.from("just text pretending to be a picture"),
      headers: { Origin: baseURL ?? "", "Content-Type": "image/png" },
    });
    expect(refused.status()).toBe(415);
    expect((await refused.json()).error).toContain("cannot be used");
  }

  await page.getByRole("button", { name: "Save note" }).click();
  if (usesJavaScript(testInfo)) {
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
    // The form is cleared for the next note, and what the uploads said with it.
    await expect(page.getByLabel("Front", { exact: true })).toHaveValue("");
    await expect(page.getByTestId("upload-status").first()).toHaveText("");
    await expect(page.getByTestId("upload-status").nth(1)).toHaveText("");
  } else {
    // The plain form post comes back to the editor.
    await expect(page).toHaveURL(/\/add\?type=basic&added=1$/);
    await expect(page.getByTestId("added-count")).toHaveText("1 note added.");
  }
  await open(page, testInfo, deckPath);
  const image = page.getByTestId("note-list").locator("img");
  await expect(image).toHaveAttribute("src", /^\/media\/[0-9a-f]{64}$/);
  const imageResponse = await page.request.get((await image.getAttribute("src")) ?? "");
  expect(imageResponse.headers()["content-type"]).toBe("image/png");
});

const UPLOAD_DISALLOWED_TYPE =
  "This kind of file cannot be used. Upload a PNG, JPEG, GIF, WebP or AVIF image, or MP3, Ogg, WAV or M4A audio.";

test("a teacher gives a course a cover and takes it away", async ({ page }, testInfo) => {
  await logIn(page, testInfo, TEACHER.email, TEACHER.password);
  await open(page, testInfo, "/courses/new");
  const title = `Covers ${uniqueWord(testInfo)}`;
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create course" }).click();
  await expect(page.getByTestId("course-title")).toHaveText(title);
  const courseUrl = page.url();
  await expect(page.getByTestId("course-cover")).toHaveCount(0);
  // A file that is not an image is refused beside the cover's controls, in
  // the server's words, and nothing is set.
  const notAnImage = { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("Not an image at all.") };
  if (usesJavaScript(testInfo)) {
    // The picked file is uploaded at once; an image is then set by the
    // picker's hidden form, and the page reloads with it.
    await page.getByLabel("Upload a cover image").setInputFiles(notAnImage);
    await expect(page.getByTestId("cover-status")).toHaveText(UPLOAD_DISALLOWED_TYPE);
    await page.getByLabel("Upload a cover image").setInputFiles({
      name: "red-pixel.png",
      mimeType: "image/png",
      buffer: RED_PIXEL_PNG,
    });
  } else {
    // The file goes with a plain form, which stores it and sets the cover.
    await expect(page.getByRole("button", { name: "Upload cover" })).toBeVisible();
    await page.getByRole("button", { name: "Upload cover" }).click();
    await expect(page.getByTestId("cover-status")).toHaveText("Choose an image to upload first.");
    await page.getByLabel("Cover image file").setInputFiles(notAnImage);
    await page.getByRole("button", { name: "Upload cover" }).click();
    await expect(page.getByTestId("cover-status")).toHaveText(UPLOAD_DISALLOWED_TYPE);
    await page.getByLabel("Cover image file").setInputFiles({
      name: "red-pixel.png",
      mimeType: "image/png",
      buffer: RED_PIXEL_PNG,
    });
    await page.getByRole("button", { name: "Upload cover" }).click();
    await expect(page).toHaveURL(courseUrl);
    await expect(page.getByRole("button", { name: "Replace cover" })).toBeVisible();
  }
  await expect(page.getByTestId("course-cover")).toHaveCount(1);
  await expect(page.getByTestId("course-cover")).toHaveAttribute("src", /^\/media\/[0-9a-f]{64}$/);
  // "Remove cover" is a plain form, with or without the app.
  await page.getByRole("button", { name: "Remove cover" }).click();
  await expect(page.getByTestId("course-cover")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove cover" })).toHaveCount(0);
  await expect(page.getByTestId("cover-picker")).toContainText(
    usesJavaScript(testInfo) ? "Add a cover…" : "Upload cover",
  );
});
