//! The note editor, the deck page and the card browser as an author meets
//! them: labels, confirmations, accessibility and the pages without
//! JavaScript, through the real router.

mod support;

use axum::http::StatusCode;
use support::{admin, create_deck, member, TestApp};

async fn teacher() -> (sqlx::PgPool, TestApp) {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    (pool, teacher)
}

#[tokio::test]
async fn cloze_previews_are_named_like_the_card_browser_names_them() {
    let (_pool, mut app) = teacher().await;
    let cloze = [
        ("input[note_type]", "cloze"),
        ("input[fields][0]", "{{c1::Lima}} is the capital of {{c2::Peru}}"),
        ("input[fields][1]", ""),
    ];
    let response = app.call("notes/preview", &cloze).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let labels: Vec<_> = response
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["label"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(labels, ["Cloze 1", "Cloze 2"]);

    let basic = [
        ("input[note_type]", "basic_reversed"),
        ("input[fields][0]", "gato"),
        ("input[fields][1]", "cat"),
    ];
    let response = app.call("notes/preview", &basic).await;
    let labels: Vec<_> = response
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["label"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(labels, ["Card 1", "Card 2"]);

    // The card browser names the same cards the same way.
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    let response = app
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "cloze"),
                ("input[fields][0]", "{{c1::Lima}} is the capital of {{c2::Peru}}"),
                ("input[fields][1]", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let page = app.get("/browse").await;
    assert!(
        page.body.contains("Cloze 1") && page.body.contains("Cloze 2"),
        "{}",
        page.body
    );
}

async fn add_basic_note(app: &mut TestApp, deck_id: &str, front: &str, back: &str) {
    let response = app
        .call(
            "notes/create",
            &[
                ("input[deck_id]", deck_id),
                ("input[note_type]", "basic"),
                ("input[fields][0]", front),
                ("input[fields][1]", back),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

fn select<'a>(html: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&scraper::Selector::parse(selector).unwrap())
        .collect()
}

fn text(element: &scraper::ElementRef) -> String {
    element.text().collect::<String>().trim().to_owned()
}

#[tokio::test]
async fn deleting_a_note_asks_first_even_without_javascript() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    add_basic_note(&mut app, &deck_id, "Capital of Peru?", "Lima").await;

    let page = app.get(&format!("/decks/{deck_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = scraper::Html::parse_document(&page.body);
    let delete_buttons: Vec<_> = select(&html, "[data-testid=note-list] form button[type=submit]");
    assert_eq!(delete_buttons.len(), 1, "{}", page.body);
    // The only button that deletes is inside a closed disclosure that states
    // what goes, so one click on "Delete" only opens the question.
    let confirm = select(
        &html,
        "[data-testid=note-list] details:not([open]) form button[type=submit]",
    );
    assert_eq!(
        confirm.iter().map(text).collect::<Vec<_>>(),
        ["Yes, delete the note"]
    );
    let question = select(&html, "[data-testid=delete-note] p");
    assert!(
        text(&question[0]).contains("its 1 card"),
        "{}",
        text(&question[0])
    );
    assert_eq!(
        text(&select(&html, "[data-testid=delete-note] summary")[0]),
        "Delete"
    );
}

#[tokio::test]
async fn the_note_type_tablist_holds_only_tabs() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    let page = app.get(&format!("/decks/{deck_id}/add")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = scraper::Html::parse_document(&page.body);
    let tablist = select(&html, "[role=tablist]");
    assert_eq!(tablist.len(), 1);
    let children: Vec<_> = tablist[0]
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .collect();
    assert!(children.len() >= 4, "the built-in note types are offered");
    assert!(
        children
            .iter()
            .all(|child| child.value().attr("role") == Some("tab")),
        "aria-required-children: {}",
        tablist[0].html()
    );
    // The link to manage note types is still on the page, outside the tablist.
    let manage = select(&html, "a[href='/note-types']");
    assert!(manage.iter().any(|link| text(link) == "Manage note types"));
}

#[tokio::test]
async fn a_deck_opened_from_a_lesson_leads_back_to_the_lesson() {
    let (pool, mut app) = teacher().await;
    let course = support::create_course(&mut app, "Chemistry", "chemistry").await;
    assert_eq!(course.status, StatusCode::OK, "{}", course.body);
    let course_id = support::course_id(&pool, "chemistry").await;
    let lesson = app
        .call(
            "courses/lessons/create",
            &[("course_id", &course_id), ("title", "Atoms")],
        )
        .await;
    assert_eq!(lesson.status, StatusCode::OK, "{}", lesson.body);
    let lesson_id = lesson.json().as_str().unwrap().to_owned();
    let deck_id = create_deck(&mut app, "Elements", "public").await;
    let attached = app
        .call(
            "courses/lessons/attach",
            &[("lesson_id", &lesson_id), ("deck_id", &deck_id)],
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);

    let lesson_path = format!("/courses/chemistry/lessons/{lesson_id}");
    let page = app.get(&lesson_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = scraper::Html::parse_document(&page.body);
    let deck_link = format!("/decks/{deck_id}?from={lesson_path}");
    assert_eq!(
        select(
            &html,
            &format!("[data-testid=lesson-decks] a[href='{deck_link}']")
        )
        .len(),
        1,
        "{}",
        page.body
    );

    let page = app.get(&deck_link).await;
    let html = scraper::Html::parse_document(&page.body);
    let back = select(&html, "nav[aria-label=Breadcrumb] a");
    assert_eq!(back[0].value().attr("href"), Some(lesson_path.as_str()));
    assert_eq!(text(&back[0]), "← Back to the lesson");

    // Anything but a lesson on this site is ignored.
    for from in ["//evil.example/x", "https://evil.example/", "javascript:alert(1)"] {
        let page = app
            .get(&format!(
                "/decks/{deck_id}?from={}",
                support::encode_form(&[("", from)]).trim_start_matches('=')
            ))
            .await;
        let html = scraper::Html::parse_document(&page.body);
        let back = select(&html, "nav[aria-label=Breadcrumb] a");
        assert_eq!(back[0].value().attr("href"), Some("/dashboard"), "{from}");
    }
}

#[tokio::test]
async fn the_card_browser_shows_cards_as_rendered_text_not_their_source() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Chemistry", "private").await;
    add_basic_note(
        &mut app,
        &deck_id,
        "**Water** is $H_2O$, $6 \\times 10^{23}$ of them",
        "yes",
    )
    .await;
    let page = app.get("/browse").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = scraper::Html::parse_document(&page.body);
    let rows: Vec<_> = select(&html, "[data-testid=card-row]").iter().map(text).collect();
    assert_eq!(rows.len(), 1, "{}", page.body);
    // The exponent stays raised: 10²³, not 1023.
    assert!(rows[0].contains("Water is H₂O, 6×10²³ of them"), "{}", rows[0]);
    assert!(
        !rows[0].contains("**") && !rows[0].contains('$') && !rows[0].contains("H_2O"),
        "{}",
        rows[0]
    );
}

#[tokio::test]
async fn without_javascript_a_saved_note_is_confirmed_and_what_needs_javascript_is_hidden() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    let editor = format!("/decks/{deck_id}/add?type=basic");
    let response = app
        .post_form_from(
            &editor,
            "/api/notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "basic"),
                ("input[fields][0]", "Capital of Peru?"),
                ("input[fields][1]", "Lima"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    let location = response.header("location").unwrap().to_owned();
    assert_eq!(location, format!("/decks/{deck_id}/add?type=basic&added=1"));

    let page = app.get(&location).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(
        text(&select(&html, "[data-testid=added-count]")[0]),
        "1 note added."
    );
    // Ctrl+Enter and uploading need JavaScript: hidden until the page hydrates.
    let hint = select(&html, "span")
        .into_iter()
        .find(|span| text(span).contains("Ctrl+Enter"))
        .unwrap();
    assert!(hint.value().classes().any(|class| class == "js-only"));
    let within = |element: &scraper::ElementRef, class: &str| {
        element
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|ancestor| ancestor.value().classes().any(|name| name == class))
    };
    let pickers = select(&html, "input[type=file][data-testid=media-picker]");
    assert_eq!(pickers.len(), 2, "one drop zone per Basic field");
    for picker in pickers {
        assert!(
            within(&picker, "js-only"),
            "the drop zones are hidden without JavaScript"
        );
    }
    // In their place, one upload control that sends the note form as it is.
    let upload = select(&html, "input[type=file]#media-upload");
    assert_eq!(upload.len(), 1);
    assert!(within(&upload[0], "no-js-only"));
    let button = select(&html, "button[formaction='/media/attach']");
    assert_eq!(button.len(), 1);
    assert_eq!(button[0].value().attr("formenctype"), Some("multipart/form-data"));
    // The first visit to the editor says nothing was added.
    let page = app.get(&editor).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(text(&select(&html, "[data-testid=added-count]")[0]), "");
}

/// The text of the textarea `id` on `html`, as the browser would show it.
fn textarea_text(html: &scraper::Html, id: &str) -> String {
    text(&select(html, &format!("textarea#{id}"))[0])
}

#[tokio::test]
async fn without_javascript_a_note_that_fails_to_save_comes_back_as_typed_with_its_error() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    let editor = format!("/decks/{deck_id}/add?type=basic");
    // An empty front makes no card: the error the hydrated editor shows.
    let form = [
        ("input[deck_id]", deck_id.as_str()),
        ("input[note_type]", "basic"),
        ("input[fields][0]", ""),
        ("input[fields][1]", "Lima, on the <Pacific> coast"),
        ("input[tags]", "geography peru"),
    ];
    let hydrated = app.call("notes/create", &form).await;
    assert_eq!(
        hydrated.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        hydrated.body
    );
    let message = hydrated.json()["Validation"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();

    let response = app.post_form_from(&editor, "/api/notes/create", &form).await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    let location = response.header("location").unwrap().to_owned();
    assert_eq!(location, format!("{editor}&unsaved=1"));
    assert!(
        !location.contains("__err"),
        "the error travels with the note, not in the address"
    );

    let page = app.get(&location).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(
        textarea_text(&html, "note-field-1"),
        "Lima, on the <Pacific> coast"
    );
    assert_eq!(
        select(&html, "#note-tags")[0].value().attr("value"),
        Some("geography peru")
    );
    assert_eq!(text(&select(&html, "#note-field-0-message")[0]), message);

    // The note is handed back once: a reload starts empty.
    let again = app.get(&location).await;
    let html = scraper::Html::parse_document(&again.body);
    assert_eq!(textarea_text(&html, "note-field-1"), "");
    assert_eq!(text(&select(&html, "#note-field-0-message")[0]), "");

    // It goes only to the form it came from: not to another note type's.
    app.post_form_from(&editor, "/api/notes/create", &form).await;
    let cloze = app
        .get(&format!("/decks/{deck_id}/add?type=cloze&unsaved=1"))
        .await;
    assert!(!cloze.body.contains("on the &lt;Pacific&gt; coast"));
}

#[tokio::test]
async fn without_javascript_a_failed_edit_keeps_the_edit() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    add_basic_note(&mut app, &deck_id, "Capital of Peru?", "Lima").await;
    let note_id = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM notes WHERE deck_id = $1::uuid")
        .bind(&deck_id)
        .fetch_one(&_pool)
        .await
        .unwrap()
        .to_string();
    let edit = format!("/notes/{note_id}/edit");
    let response = app
        .post_form_from(
            &edit,
            "/api/notes/update",
            &[
                ("note_id", &note_id),
                ("input[fields][0]", ""),
                ("input[fields][1]", "Lima (since 1535)"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(
        response.header("location"),
        Some(format!("{edit}?unsaved=1").as_str())
    );
    let page = app.get(&format!("{edit}?unsaved=1")).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "note-field-1"), "Lima (since 1535)");
    assert_ne!(text(&select(&html, "#note-field-0-message")[0]), "");
    // The note itself is unchanged.
    let page = app.get(&edit).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "note-field-1"), "Lima");
}

#[tokio::test]
async fn a_forged_error_in_the_editor_address_shows_only_fixed_text() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    let forged =
        r#"{"Validation":[{"field":"Front","message":"Your session expired: log in at evil.example"}]}"#;
    let address = format!(
        "/decks/{deck_id}/add?type=basic&__path=/api/notes/create&__err={}",
        support::encode_form(&[("x", forged)]).trim_start_matches("x=")
    );
    let page = app.get(&address).await;
    assert!(!page.body.contains("evil.example"), "{}", page.body);
}

/// Sends the note form with a file as the browser does without JavaScript
/// when the author presses "Upload".
async fn attach_without_javascript(
    app: &mut TestApp,
    text_parts: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> support::TestResponse {
    let (file_name, bytes) = file.unwrap_or(("", b""));
    app.post_form_with_file("/media/attach", text_parts, ("media", file_name, bytes))
        .await
}

#[tokio::test]
async fn without_javascript_a_file_is_added_to_the_chosen_field_and_the_note_is_kept() {
    let (pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Chemistry", "private").await;
    let editor = format!("/decks/{deck_id}/add?type=basic");
    let note = [
        ("input[deck_id]", deck_id.as_str()),
        ("input[note_type]", "basic"),
        ("input[fields][0]", "What shape is a water molecule?"),
        ("input[fields][1]", "Bent"),
        ("input[tags]", "chemistry"),
        ("media_field", "1"),
    ];
    let png = include_bytes!("../src/demo/water-molecule.png");
    let response = attach_without_javascript(&mut app, &note, Some(("water molecule.png", png))).await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    assert_eq!(
        response.header("location"),
        Some(format!("{editor}&unsaved=1").as_str())
    );

    let sha256: String = sqlx::query_scalar("SELECT sha256 FROM media ORDER BY created_at DESC LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let page = app.get(&format!("{editor}&unsaved=1")).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(
        textarea_text(&html, "note-field-0"),
        "What shape is a water molecule?"
    );
    assert_eq!(
        textarea_text(&html, "note-field-1"),
        format!("Bent\n\n![water molecule](/media/{sha256})")
    );
    assert_eq!(
        select(&html, "#note-tags")[0].value().attr("value"),
        Some("chemistry")
    );
    assert_eq!(
        text(&select(&html, "[data-testid=upload-notice]")[0]),
        "Added water molecule.png."
    );

    // A file Engram does not take is refused next to the control, and the
    // note is still kept.
    let response = attach_without_javascript(&mut app, &note, Some(("notes.txt", b"plain text"))).await;
    let page = app.get(response.header("location").unwrap()).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "note-field-1"), "Bent");
    assert_ne!(text(&select(&html, "#media-upload-message")[0]), "");

    // Pressing "Upload" with no file chosen says so.
    let response = attach_without_javascript(&mut app, &note, None).await;
    let page = app.get(response.header("location").unwrap()).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(
        text(&select(&html, "#media-upload-message")[0]),
        "Choose a file to upload first."
    );
    assert_eq!(
        textarea_text(&html, "note-field-0"),
        "What shape is a water molecule?"
    );

    // A body that is not the editor's multipart form is refused in the
    // product's words, not the parser's ("Invalid `boundary`…").
    let refused = app
        .post(
            "/media/attach",
            "application/x-www-form-urlencoded",
            "text/html",
            "media_field=1",
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.body, "The form could not be read. Please try again.");
}

#[tokio::test]
async fn an_upload_without_javascript_keeps_markup_as_text_and_refuses_oversized_fields_plainly() {
    let (_pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Chemistry", "private").await;
    let editor = format!("/decks/{deck_id}/add?type=basic");
    let breakout = "</textarea></title><script>alert(1)</script>";
    let note = [
        ("input[deck_id]", deck_id.as_str()),
        ("input[note_type]", "basic"),
        ("input[fields][0]", breakout),
        ("input[fields][1]", "Bent"),
        ("input[tags]", ""),
        ("media_field", "1"),
    ];
    let response = attach_without_javascript(&mut app, &note, None).await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    let page = app.get(&format!("{editor}&unsaved=1")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)"), "markup stays text");
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "note-field-0"), breakout);

    // NUL is refused, as in every other form, with a sentence.
    let mut with_nul = note;
    with_nul[3] = ("input[fields][1]", "Bent\0");
    let response = attach_without_javascript(&mut app, &with_nul, None).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.body,
        "The field input[fields][1] contains a character that cannot be stored."
    );

    // A field far over a note field's limit is refused whole, as a sentence.
    let huge = "x".repeat(300 * 1024);
    let mut oversized = note;
    oversized[2] = ("input[fields][0]", huge.as_str());
    let response = attach_without_javascript(&mut app, &oversized, None).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.body, "The field input[fields][0] is too long.");
}

/// The `role=status` text inside the element `selector` of a page.
fn status_in(body: &str, selector: &str) -> String {
    let html = scraper::Html::parse_document(body);
    select(&html, &format!("{selector} [role=status]"))
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join("|")
}

#[tokio::test]
async fn without_javascript_each_settings_form_comes_back_to_its_page_saying_saved() {
    let (pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    // Opened from a lesson: the page's address carries its way back, which
    // the save keeps.
    let deck_page = format!("/decks/{deck_id}?from=%2Fcourses%2Fspanish");
    let deck_form = [
        ("deck_id", deck_id.as_str()),
        ("input[title]", "Capitals of Europe"),
        ("input[description]", ""),
        ("input[language]", "en"),
        ("input[visibility]", "private"),
        ("input[parent_id]", ""),
    ];
    let response = app
        .post_form_from(&deck_page, "/api/decks/update", &deck_form)
        .await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let saved_page = response.header("location").unwrap().to_owned();
    assert_eq!(saved_page, format!("{deck_page}&saved=deck"));
    let page = app.get(&saved_page).await;
    assert_eq!(status_in(&page.body, "[data-testid=edit-deck]"), "Saved.");
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(
        select(&html, "[data-testid=edit-deck][open]").len(),
        1,
        "the saved form stays open"
    );
    assert_eq!(status_in(&page.body, "[data-testid=study-options]"), "");

    // The study options, saved from that page, say so in place of the deck's.
    let preset = [
        ("deck_id", deck_id.as_str()),
        ("input[desired_retention]", "0.85"),
        ("input[maximum_interval_days]", "36500"),
        ("input[new_cards_per_day]", "15"),
        ("input[reviews_per_day]", "200"),
        ("input[learning_steps]", "1m 10m"),
        ("input[relearning_steps]", "10m"),
        ("input[leech_threshold]", "8"),
        ("input[leech_action]", "mark"),
    ];
    let response = app
        .post_form_from(&saved_page, "/api/study/preset", &preset)
        .await;
    let saved_page = response.header("location").unwrap().to_owned();
    assert_eq!(saved_page, format!("{deck_page}&saved=study-options"));
    let page = app.get(&saved_page).await;
    assert_eq!(status_in(&page.body, "[data-testid=study-options]"), "Saved.");
    assert_eq!(status_in(&page.body, "[data-testid=edit-deck]"), "");

    // The form's own page, whatever the browser says it came from: a path
    // another site could be read as, or only the site's address (browsers
    // that trim the Referer).
    for referer in ["//evil.example/x", "/"] {
        let response = app.post_form_from(referer, "/api/decks/update", &deck_form).await;
        assert_eq!(
            response.header("location"),
            Some(format!("/decks/{deck_id}?saved=deck").as_str()),
            "{referer}"
        );
    }

    // The course's details: saved in place, or at the course's new address
    // when its slug changed.
    let created = support::create_course(&mut app, "Spanish", "spanish").await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let course_id = support::course_id(&pool, "spanish").await;
    let details = |slug: &'static str| {
        [
            ("course_id", course_id.clone()),
            ("input[title]", "Spanish".to_owned()),
            ("input[description]", "Everyday words.".to_owned()),
            ("input[category]", "Languages".to_owned()),
            ("input[level]", "beginner".to_owned()),
            ("input[language]", "es".to_owned()),
            ("input[slug]", slug.to_owned()),
        ]
    };
    let form = details("spanish");
    let form: Vec<(&str, &str)> = form.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let response = app
        .post_form_from("/courses/spanish", "/api/courses/update", &form)
        .await;
    let saved_page = response.header("location").unwrap().to_owned();
    assert_eq!(saved_page, "/courses/spanish?saved=course");
    let page = app.get(&saved_page).await;
    assert_eq!(status_in(&page.body, "[data-testid=edit-course]"), "Saved.");
    let form = details("spanish-a1");
    let form: Vec<(&str, &str)> = form.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let response = app
        .post_form_from("/courses/spanish", "/api/courses/update", &form)
        .await;
    assert_eq!(
        response.header("location"),
        Some("/courses/spanish-a1?saved=course")
    );

    // A lesson's editor, too.
    let lesson = app
        .call(
            "courses/lessons/create",
            &[("course_id", &course_id), ("title", "Greetings")],
        )
        .await;
    let lesson_id = lesson.json().as_str().unwrap().to_owned();
    let lesson_page = format!("/courses/spanish-a1/lessons/{lesson_id}");
    let response = app
        .post_form_from(
            &lesson_page,
            "/api/courses/lessons/update",
            &[
                ("lesson_id", &lesson_id),
                ("input[title]", "Greetings"),
                ("input[body]", "**Hola** means hello."),
            ],
        )
        .await;
    let saved_page = response.header("location").unwrap().to_owned();
    assert_eq!(saved_page, format!("{lesson_page}?saved=lesson"));
    let page = app.get(&saved_page).await;
    assert_eq!(status_in(&page.body, "[data-testid=lesson-editor]"), "Saved.");

    // Another form posted from that page, which saves no form of its own,
    // comes back without the lesson's "Saved.".
    let response = app
        .post_form_from(
            &saved_page,
            "/api/courses/lessons/move",
            &[("lesson_id", &lesson_id), ("earlier", "true")],
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let back = response.header("location").unwrap();
    assert!(back.ends_with(&lesson_page) && !back.contains("saved"), "{back}");

    // A refused edit comes back as typed, its error beside the field, even
    // with far more text than an address may carry.
    let long_text = format!(
        "{}\n\n</textarea><script>alert(1)</script></title> The end of a long lesson.",
        "Buenos días. ".repeat(1_500)
    );
    let response = app
        .post_form_from(
            &lesson_page,
            "/api/courses/lessons/update",
            &[
                ("lesson_id", &lesson_id),
                ("input[title]", "  "),
                ("input[body]", &long_text),
            ],
        )
        .await;
    let waiting = response.header("location").unwrap().to_owned();
    assert_eq!(waiting, format!("{lesson_page}?unsaved=1"));
    let page = app.get(&waiting).await;
    assert!(
        !page.body.contains("<script>alert(1)"),
        "the text came back as markup"
    );
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "lesson-body"), long_text);
    assert_eq!(
        text(&select(&html, "#lesson-title-message")[0]),
        "Give the lesson a title."
    );
    // Kept for that one view: the lesson as stored shows next time.
    let page = app.get(&waiting).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "lesson-body"), "**Hola** means hello.");
}

/// A first rating being stored while an edit that would delete its card is
/// saved is waited for, and the edit then asks first: the question is never
/// skipped for a rating that had not yet been committed when it was checked.
#[tokio::test]
async fn an_edit_waits_for_a_rating_being_stored_and_then_asks_first() {
    let (pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Rivers", "private").await;
    let created = app
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "basic_reversed"),
                ("input[fields][0]", "Longest river of Peru?"),
                ("input[fields][1]", "Ucayali"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let (note_id, reversed, learner_id): (uuid::Uuid, uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select cards.note_id, cards.id, decks.owner_id from cards join decks on decks.id = cards.deck_id
         where cards.deck_id = $1::uuid and cards.ordinal = 1",
    )
    .bind(&deck_id)
    .fetch_one(&pool)
    .await
    .unwrap();

    // The reversed card's first schedule is written, and not yet committed,
    // as a review's transaction writes it.
    let mut review = pool.begin().await.unwrap();
    sqlx::query(
        "insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at,
                                  last_review_at, scheduled_days, reps, lapses)
         values ($1, $2, 'review', 0, 3.0, 5.0, now() + interval '3 days', now(), 3, 1, 0)",
    )
    .bind(learner_id)
    .bind(reversed)
    .execute(&mut *review)
    .await
    .unwrap();

    let note_id = note_id.to_string();
    let emptied = [
        ("note_id", note_id.as_str()),
        ("input[fields][0]", "Longest river of Peru?"),
        ("input[fields][1]", ""),
        ("input[tags]", ""),
    ];
    let waits_then_commits = async {
        // The edit's transaction waits on the card the review holds.
        let mut waiting = 0;
        for _ in 0..200 {
            waiting = sqlx::query_scalar::<_, i64>(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%from cards%'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            if waiting > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert_eq!(waiting, 1, "the edit never waited for the review");
        review.commit().await.unwrap();
    };
    let (edit, ()) = tokio::join!(app.call("notes/update", &emptied), waits_then_commits);
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", edit.body);
    assert!(
        edit.body.contains(r#""field":"delete_studied_cards""#),
        "{}",
        edit.body
    );
    let cards: i64 = sqlx::query_scalar("select count(*) from cards where note_id = $1::uuid")
        .bind(&note_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(cards, 2, "the studied card is still there");
}

/// An edit that leaves a card with nothing to show deletes it, and every
/// learner's schedule of it with it: one that learners have studied waits
/// for its author to say so, with and without JavaScript.
#[tokio::test]
async fn an_edit_that_would_delete_a_studied_card_asks_first() {
    let (pool, mut app) = teacher().await;
    let deck_id = create_deck(&mut app, "Capitals", "private").await;
    let created = app
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "basic_reversed"),
                ("input[fields][0]", "Capital of Peru?"),
                ("input[fields][1]", "Lima"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let (note_id, reversed): (uuid::Uuid, uuid::Uuid) =
        sqlx::query_as("select note_id, id from cards where deck_id = $1::uuid and ordinal = 1")
            .bind(&deck_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let note_id = note_id.to_string();
    // The author studies the reversed card once.
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let review = serde_json::json!([{
        "id": uuid::Uuid::new_v4(), "card_id": reversed, "rating": 3,
        "reviewed_at_ms": now_ms, "duration_ms": 2000,
    }]);
    support::submit_reviews(&mut app, review).await;

    // Emptying the back leaves the reversed card with no front.
    let emptied = [
        ("note_id", note_id.as_str()),
        ("input[fields][0]", "Capital of Peru?"),
        ("input[fields][1]", ""),
        ("input[tags]", ""),
    ];
    let refused = app.call("notes/update", &emptied).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#""field":"delete_studied_cards""#)
            && refused
                .body
                .contains("with it the schedule of 1 learner (1 rating)"),
        "{}",
        refused.body
    );
    let cards = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from cards where note_id = $1::uuid")
            .bind(&note_id)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(cards().await, 2, "nothing changed");

    // Without JavaScript the edit comes back as typed, with the question.
    let edit = format!("/notes/{note_id}/edit");
    let back = app.post_form_from(&edit, "/api/notes/update", &emptied).await;
    let page = app.get(back.location_path().unwrap()).await;
    let html = scraper::Html::parse_document(&page.body);
    assert_eq!(textarea_text(&html, "note-field-1"), "");
    assert!(
        text(&select(&html, "#delete-studied-cards-message")[0]).contains("would be deleted"),
        "{}",
        page.body
    );
    assert_eq!(
        select(
            &html,
            r#"input[type=checkbox][name="input[delete_studied_cards]"]"#
        )
        .len(),
        1
    );
    assert_eq!(cards().await, 2);

    // Ticked, the edit is saved and the card goes.
    let mut agreed = emptied.to_vec();
    agreed.push(("input[delete_studied_cards]", "true"));
    let saved = app.call("notes/update", &agreed).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(cards().await, 1);

    // A card whose only rating was taken back goes without a question, and
    // so does one while another note's studied card stays.
    let restored = app
        .call(
            "notes/update",
            &[
                ("note_id", note_id.as_str()),
                ("input[fields][0]", "Capital of Peru?"),
                ("input[fields][1]", "Lima"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert_eq!(cards().await, 2);
    let other = app
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "basic_reversed"),
                ("input[fields][0]", "Capital of Chile?"),
                ("input[fields][1]", "Santiago"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    let reversed_again: uuid::Uuid =
        sqlx::query_scalar("select id from cards where note_id = $1::uuid and ordinal = 1")
            .bind(&note_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let others_reversed: uuid::Uuid = sqlx::query_scalar(
        "select c.id from cards c join notes n on n.id = c.note_id
         where n.deck_id = $1::uuid and n.id <> $2::uuid and c.ordinal = 1",
    )
    .bind(&deck_id)
    .bind(&note_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let rating_id = uuid::Uuid::new_v4();
    let later_ms = now_ms + 60_000;
    let rated_and_undone = serde_json::json!([
        { "id": rating_id, "card_id": reversed_again, "rating": 3, "reviewed_at_ms": later_ms, "duration_ms": 2000 },
        { "id": uuid::Uuid::new_v4(), "card_id": reversed_again, "cancels": rating_id, "reviewed_at_ms": later_ms + 1000, "duration_ms": 0 },
        { "id": uuid::Uuid::new_v4(), "card_id": others_reversed, "rating": 3, "reviewed_at_ms": later_ms, "duration_ms": 2000 },
    ]);
    support::submit_reviews(&mut app, rated_and_undone).await;
    let saved = app.call("notes/update", &emptied).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(cards().await, 1);
}
