//! Decks and notes: authoring through the real router, with the visibility
//! and ownership rules.

mod support;

use axum::{body::Body, http::Request, http::StatusCode};
use support::{admin, create_deck, member, TestApp, TestResponse};

async fn create_subdeck(app: &mut TestApp, parent_id: &str, title: &str, visibility: &str) -> TestResponse {
    app.call(
        "decks/create",
        &[
            ("input[title]", title),
            ("input[description]", ""),
            ("input[language]", ""),
            ("input[visibility]", visibility),
            ("input[parent_id]", parent_id),
        ],
    )
    .await
}

async fn add_note(
    app: &mut TestApp,
    deck_id: &str,
    note_type: &str,
    fields: [&str; 2],
) -> axum::http::StatusCode {
    app.call(
        "notes/create",
        &[
            ("input[deck_id]", deck_id),
            ("input[note_type]", note_type),
            ("input[fields][0]", fields[0]),
            ("input[fields][1]", fields[1]),
            ("input[tags]", "demo"),
        ],
    )
    .await
    .status
}

/// Rewrites a two-field note: its fields and tags, as the note editor saves them.
async fn update_note(app: &mut TestApp, note_id: &str, fields: [&str; 2], tags: &str) -> TestResponse {
    app.call(
        "notes/update",
        &[
            ("note_id", note_id),
            ("input[fields][0]", fields[0]),
            ("input[fields][1]", fields[1]),
            ("input[tags]", tags),
        ],
    )
    .await
}

/// What a deck's page loads, through its server function.
async fn deck_page(app: &mut TestApp, deck_id: &str) -> TestResponse {
    let request = Request::get(format!("/api/decks/page?deck_id={deck_id}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

async fn deck_page_status(app: &mut TestApp, deck_id: &str) -> StatusCode {
    deck_page(app, deck_id).await.status
}

#[tokio::test]
async fn a_private_deck_is_invisible_to_everyone_but_its_owner_and_admins() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;
    let deck_id = create_deck(&mut teacher, "Secret verbs", "private").await;

    assert_eq!(deck_page_status(&mut teacher, &deck_id).await, StatusCode::OK);
    assert_eq!(deck_page_status(&mut admin, &deck_id).await, StatusCode::OK);
    assert_eq!(
        deck_page_status(&mut other, &deck_id).await,
        StatusCode::NOT_FOUND
    );
    let page = other.get(&format!("/decks/{deck_id}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Secret verbs"), "the title must not leak");
    let mut visitor = TestApp::new(pool).await;
    assert_eq!(
        deck_page_status(&mut visitor, &deck_id).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        add_note(&mut other, &deck_id, "basic", ["a", "b"]).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_the_owner_or_an_admin_changes_a_public_deck() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;
    let deck_id = create_deck(&mut teacher, "Open verbs", "public").await;

    assert_eq!(deck_page_status(&mut other, &deck_id).await, StatusCode::OK);
    assert_eq!(
        add_note(&mut other, &deck_id, "basic", ["a", "b"]).await,
        StatusCode::FORBIDDEN
    );
    let response = other.call("decks/delete", &[("deck_id", &deck_id)]).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        add_note(&mut teacher, &deck_id, "basic", ["a", "b"]).await,
        StatusCode::OK
    );
    assert_eq!(
        add_note(&mut admin, &deck_id, "basic", ["c", "d"]).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_learner_keeps_decks_private() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let response = learner
        .call(
            "decks/create",
            &[
                ("input[title]", "Mine"),
                ("input[description]", ""),
                ("input[language]", ""),
                ("input[visibility]", "public"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["Validation"][0]["field"], "visibility");
    create_deck(&mut learner, "Mine", "private").await;
}

#[tokio::test]
async fn editing_a_cloze_note_keeps_the_cards_that_survive() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck_id = create_deck(&mut admin, "Capitals", "private").await;
    assert_eq!(
        add_note(
            &mut admin,
            &deck_id,
            "cloze",
            ["{{c1::Canberra}} is in {{c2::Australia}}", ""]
        )
        .await,
        StatusCode::OK
    );
    let cards_before: Vec<(uuid::Uuid, i16)> =
        sqlx::query_as("select id, ordinal from cards order by ordinal")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(cards_before.iter().map(|card| card.1).collect::<Vec<_>>(), [1, 2]);
    let note_id: uuid::Uuid = sqlx::query_scalar("select id from notes")
        .fetch_one(&pool)
        .await
        .unwrap();

    // An edit that adds an image from another site is refused beside its
    // field, and the note stays as it was.
    let refused = update_note(
        &mut admin,
        &note_id.to_string(),
        [
            "{{c1::Canberra}} is in {{c2::Australia}}",
            "![flag](//flags.example/au.svg)",
        ],
        "",
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.field_message("Back Extra").is_some(), "{}", refused.body);

    let response = update_note(
        &mut admin,
        &note_id.to_string(),
        [
            "{{c1::Canberra}} is the capital of {{c3::Australia}}",
            "Since 1913",
        ],
        "",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let cards_after: Vec<(uuid::Uuid, i16, String)> =
        sqlx::query_as("select id, ordinal, back_html from cards order by ordinal")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(cards_after.iter().map(|card| card.1).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(
        cards_after[0].0, cards_before[0].0,
        "card 1 survives the edit with its id"
    );
    assert!(
        cards_after[0].2.contains("Since 1913"),
        "and shows the new content"
    );
}

#[tokio::test]
async fn bad_notes_are_refused_field_by_field_and_nothing_is_saved() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck_id = create_deck(&mut admin, "Checks", "private").await;
    let huge = "x".repeat(64 * 1024 + 1);
    for (note_type, fields, field) in [
        ("cloze", ["{{c1::never closed", ""], "Text"),
        ("cloze", ["no deletion here", ""], "Text"),
        ("basic", ["", ""], "Front"),
        ("basic", ["ok", huge.as_str()], "Back"),
        ("basic", ["ok", r"$\frac{1}$"], "Back"),
        // An image from another site would show as nothing.
        (
            "basic",
            ["![a cat](https://cats.example/cat.png)", "cat"],
            "Front",
        ),
    ] {
        let response = admin
            .call(
                "notes/create",
                &[
                    ("input[deck_id]", &deck_id),
                    ("input[note_type]", note_type),
                    ("input[fields][0]", fields[0]),
                    ("input[fields][1]", fields[1]),
                    ("input[tags]", ""),
                ],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{note_type} {:?}",
            &fields[0]
        );
        assert_eq!(response.json()["Validation"][0]["field"], field);
    }
    // An empty front and a bad tag are said together, not one after the
    // other: a form posted without JavaScript shows both at once.
    let response = admin
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "basic"),
                ("input[fields][0]", ""),
                ("input[fields][1]", "a back"),
                ("input[tags]", "bad<tag"),
            ],
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    let answer = response.json();
    let fields: Vec<&str> = answer["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["tags", "Front"], "{}", response.body);
    let notes: i64 = sqlx::query_scalar("select count(*) from notes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(notes, 0);
}

#[tokio::test]
async fn deleting_a_deck_takes_its_subdecks_and_cards() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck_id = create_deck(&mut admin, "Parent", "private").await;
    let response = create_subdeck(&mut admin, &deck_id, "Child", "private").await;
    let child_id = response.json().as_str().unwrap().to_owned();
    add_note(&mut admin, &child_id, "basic_reversed", ["hola", "hello"]).await;
    let page = admin.get(&format!("/decks/{deck_id}")).await;
    assert!(page.body.contains("Child"));
    assert!(
        page.body.contains("its 2 cards"),
        "the confirmation counts subdeck cards"
    );

    let response = admin.call("decks/delete", &[("deck_id", &deck_id)]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let cards: i64 = sqlx::query_scalar("select count(*) from cards")
        .fetch_one(&pool)
        .await
        .unwrap();
    let decks: i64 = sqlx::query_scalar("select count(*) from decks")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((cards, decks), (0, 0));
}

#[tokio::test]
async fn a_subdeck_must_sit_under_one_of_your_own_decks() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let admins_deck = create_deck(&mut admin, "Admin's", "public").await;
    let response = create_subdeck(&mut teacher, &admins_deck, "Sneaky", "private").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["Validation"][0]["field"], "parent_id");
}

#[tokio::test]
async fn script_in_a_note_never_reaches_the_page() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck_id = create_deck(&mut admin, "XSS", "private").await;
    let status = add_note(
        &mut admin,
        &deck_id,
        "basic",
        // An image of Engram's own, so that the note is kept, with a handler.
        [
            "<img src=/media/x.png onerror=alert(1)>Hi <script>alert(2)</script>",
            "b",
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = admin.get(&format!("/decks/{deck_id}")).await;
    assert!(page.body.contains("Hi"));
    assert!(!page.body.contains("onerror"));
    assert!(!page.body.contains("alert(2)"));
}

#[tokio::test]
async fn another_author_cannot_load_change_or_delete_a_note() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;
    for (visibility, expected) in [
        ("private", StatusCode::NOT_FOUND),
        ("public", StatusCode::FORBIDDEN),
    ] {
        let deck_id = create_deck(&mut teacher, visibility, visibility).await;
        add_note(&mut teacher, &deck_id, "basic", ["mine", "all mine"]).await;
        let note_id: uuid::Uuid = sqlx::query_scalar("select n.id from notes n where n.deck_id = $1::uuid")
            .bind(&deck_id)
            .fetch_one(&pool)
            .await
            .unwrap();
        let note_id = note_id.to_string();
        let load = other
            .send(
                Request::get(format!("/api/notes/load?note_id={note_id}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(load.status, expected, "load, {visibility}");
        let update = update_note(&mut other, &note_id, ["x", "y"], "").await;
        assert_eq!(update.status, expected, "update, {visibility}");
        let delete = other.call("notes/delete", &[("note_id", &note_id)]).await;
        assert_eq!(delete.status, expected, "delete, {visibility}");
    }
    let untouched: i64 = sqlx::query_scalar("select count(*) from notes where fields[1] = 'mine'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(untouched, 2);
}

#[tokio::test]
async fn a_private_subdeck_stays_hidden_under_a_public_deck() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;
    let deck_id = create_deck(&mut teacher, "Open course deck", "public").await;
    let response = create_subdeck(&mut teacher, &deck_id, "Draft answers", "private").await;
    let draft_id = response.json().as_str().unwrap().to_owned();
    add_note(&mut teacher, &draft_id, "basic", ["secret", "answer"]).await;

    let page = other.get(&format!("/decks/{deck_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("Draft answers"),
        "the private subdeck is not listed"
    );
    assert!(page.body.contains("0 cards"), "nor are its cards counted");
    let own_page = teacher.get(&format!("/decks/{deck_id}")).await;
    assert!(own_page.body.contains("Draft answers"));
}

#[tokio::test]
async fn a_deck_cannot_be_moved_inside_its_own_subdeck() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let parent = create_deck(&mut admin, "Parent", "private").await;
    let child = create_subdeck(&mut admin, &parent, "Child", "private")
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    let response = admin
        .call(
            "decks/update",
            &[
                ("deck_id", &parent),
                ("input[title]", "Parent"),
                ("input[description]", ""),
                ("input[language]", ""),
                ("input[visibility]", "private"),
                ("input[parent_id]", &child),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["Validation"][0]["field"], "parent_id");
}

#[tokio::test]
async fn tag_suggestions_come_from_the_authors_own_notes() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mine = create_deck(&mut teacher, "Mine", "private").await;
    let theirs = create_deck(&mut admin, "Theirs", "public").await;
    for (author, deck, tags) in [
        (&mut teacher, &mine, "verbs vocabulary"),
        (&mut admin, &theirs, "verbatim"),
    ] {
        let response = author
            .call(
                "notes/create",
                &[
                    ("input[deck_id]", deck),
                    ("input[note_type]", "basic"),
                    ("input[fields][0]", "q"),
                    ("input[fields][1]", "a"),
                    ("input[tags]", tags),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::OK);
    }
    let response = teacher
        .send(
            Request::get("/api/notes/tags?prefix=VER")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        response.json(),
        serde_json::json!(["verbs"]),
        "case-insensitive, own tags only"
    );
    let wildcard = teacher
        .send(
            Request::get("/api/notes/tags?prefix=%25")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wildcard.json(), serde_json::json!([]), "% is matched literally");
    let mut visitor = TestApp::new(pool).await;
    let refused = visitor
        .send(
            Request::get("/api/notes/tags?prefix=v")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

/// Each note on a deck's page as (front of its first card, number of cards).
async fn listed_notes(app: &mut TestApp, deck_id: &str) -> Vec<(String, i64)> {
    let response = deck_page(app, deck_id).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let page = response.json();
    page["notes"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|note| {
            (
                note["front_html"].as_str().unwrap().to_owned(),
                note["card_count"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_deck_page_lists_each_notes_first_card_and_card_count_through_edits() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck_id = create_deck(&mut admin, "Rivers", "private").await;
    let cloze = ["The {{c3::Nile}} flows through {{c2::Egypt}}", ""];
    assert_eq!(
        add_note(&mut admin, &deck_id, "cloze", cloze).await,
        StatusCode::OK
    );

    let listed = listed_notes(&mut admin, &deck_id).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1, 2);
    // The first card is c2 (the lowest number): it hides Egypt, not the Nile.
    assert!(
        listed[0].0.contains("Nile") && !listed[0].0.contains("Egypt"),
        "{}",
        listed[0].0
    );

    let note_id: uuid::Uuid = sqlx::query_scalar("select id from notes")
        .fetch_one(&pool)
        .await
        .unwrap();
    let response = update_note(
        &mut admin,
        &note_id.to_string(),
        ["The {{c1::Danube}} flows through Vienna", ""],
        "",
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let listed = listed_notes(&mut admin, &deck_id).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1, 1);
    assert!(
        listed[0].0.contains("Vienna") && !listed[0].0.contains("Nile"),
        "{}",
        listed[0].0
    );
}

/// Adds `count` Basic notes, "Note 1" to "Note {count}", one after another
/// through the note editor's server function.
async fn add_numbered_notes(app: &mut TestApp, deck_id: &str, count: usize) {
    for i in 1..=count {
        let front = format!("Note {i}");
        assert_eq!(
            add_note(app, deck_id, "basic", [&front, "back"]).await,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn the_deck_page_lists_notes_a_page_at_a_time_with_their_true_count() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck_id = create_deck(&mut admin, "Many notes", "private").await;
    add_numbered_notes(&mut admin, &deck_id, 120).await;

    let first = deck_page(&mut admin, &deck_id).await.json();
    assert_eq!(first["deck"]["note_count"], 120);
    let fronts = |page: &serde_json::Value| -> Vec<String> {
        page["notes"]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|note| note["front_html"].as_str().unwrap().trim().to_owned())
            .collect()
    };
    assert_eq!(fronts(&first).len(), 50);
    assert_eq!(fronts(&first)[0], "<p>Note 1</p>");

    assert_eq!(
        first["notes"]["previous"],
        serde_json::Value::Null,
        "the first page has none before it"
    );
    assert_eq!(first["notes"]["notes_before"], 0);

    // Following "More notes" to the end visits every note once, in order,
    // and each page knows where it stands and the way back.
    let page_at = |cursor: &str| {
        Request::get(format!("/api/decks/page?deck_id={deck_id}&after={cursor}"))
            .body(Body::empty())
            .unwrap()
    };
    let mut pages = vec![first.clone()];
    let mut seen = fronts(&first);
    let mut next = first["notes"]["next"].as_str().map(str::to_owned);
    while let Some(cursor) = next {
        let page = admin.send(page_at(&cursor)).await.json();
        assert_eq!(page["is_later_page"], true);
        assert_eq!(page["notes"]["notes_before"], seen.len());
        seen.extend(fronts(&page));
        next = page["notes"]["next"].as_str().map(str::to_owned);
        pages.push(page);
    }
    let expected: Vec<String> = (1..=120).map(|i| format!("<p>Note {i}</p>")).collect();
    assert_eq!(seen, expected);
    assert_eq!(pages.len(), 3);
    // "Previous notes" from the last page is the second; from the second, the first.
    assert_eq!(
        pages[1]["notes"]["previous"], "",
        "the page before the second is the first"
    );
    let previous = pages[2]["notes"]["previous"].as_str().unwrap();
    let second_again = admin.send(page_at(previous)).await.json();
    assert_eq!(fronts(&second_again), fronts(&pages[1]));

    // The page itself says how many there are, and links onwards.
    let html = admin.get(&format!("/decks/{deck_id}")).await.body;
    assert!(html.contains("Notes (120)"), "the heading counts every note");
    assert!(html.contains("Notes 1–50 of 120"), "{html}");
    assert!(
        html.contains(&format!("/decks/{deck_id}?after=")),
        "a link to the next page"
    );
    assert!(!html.contains("Previous notes") && !html.contains("First notes"));
    // The last page links back a page, and to the first.
    let cursor = pages[1]["notes"]["next"].as_str().unwrap();
    let html = admin.get(&format!("/decks/{deck_id}?after={cursor}")).await.body;
    assert!(html.contains("Notes 101–120 of 120"), "{html}");
    assert!(
        html.contains(&format!(r#"href="/decks/{deck_id}?after={previous}" rel="prev""#)),
        "{html}"
    );
    assert!(html.contains("First notes"));
    assert!(!html.contains("More notes"));

    // A damaged page link is explained on the page itself.
    let damaged = admin.get(&format!("/decks/{deck_id}?after=zz")).await;
    assert_eq!(damaged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        damaged.body.contains("This page link is out of date"),
        "{}",
        damaged.body
    );

    // A forged or damaged cursor is a clear field error, never a 500.
    let forged_cursors = [
        "zz".to_owned(),
        app::paging::encode_cursor(
            &serde_json::json!({"created_at_micros": i64::MAX, "id": uuid::Uuid::nil()}),
        ),
        app::paging::encode_cursor(&serde_json::json!({"created_at_micros": -1, "id": uuid::Uuid::nil()})),
    ];
    for cursor in forged_cursors {
        let request = Request::get(format!("/api/decks/page?deck_id={deck_id}&after={cursor}"))
            .body(Body::empty())
            .unwrap();
        let response = admin.send(request).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{cursor}: {}",
            response.body
        );
        assert!(response.body.contains("out of date"), "{}", response.body);
    }
}

#[tokio::test]
async fn a_decks_card_count_includes_its_subdecks_on_every_page() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let parent = create_deck(&mut teacher, "Spanish", "public").await;
    let child = create_subdeck(&mut teacher, &parent, "Verbs", "public").await;
    assert_eq!(child.status, StatusCode::OK, "{}", child.body);
    let child: String = sqlx::query_scalar("select id::text from decks where title = 'Verbs'")
        .fetch_one(&pool)
        .await
        .unwrap();
    add_numbered_notes(&mut teacher, &child, 3).await;

    let dashboard = teacher.get("/api/dashboard").await.json();
    assert_eq!(dashboard["decks"][0]["title"], "Spanish");
    assert_eq!(dashboard["decks"][0]["card_count_with_subdecks"], 3);
    let page = deck_page(&mut teacher, &parent).await.json();
    assert_eq!(page["deck"]["card_count_with_subdecks"], 3);
    assert_eq!(page["deck"]["note_count"], 0, "the notes are the subdeck's own");
    assert_eq!(page["subdecks"][0]["card_count_with_subdecks"], 3);
    let html = teacher.get("/dashboard").await.body;
    assert!(
        html.contains("3 cards"),
        "the dashboard counts the subdeck's cards"
    );
}

#[tokio::test]
async fn the_note_editor_loads_the_deck_and_note_types_but_no_notes() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck_id = create_deck(&mut teacher, "Rivers", "public").await;
    add_numbered_notes(&mut teacher, &deck_id, 5).await;
    let editor = |deck_id: &str| {
        Request::get(format!("/api/decks/editor?deck_id={deck_id}"))
            .body(Body::empty())
            .unwrap()
    };

    let response = teacher.send(editor(&deck_id)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let data = response.json();
    assert_eq!(data["deck"]["title"], "Rivers");
    assert!(data["note_types"].as_array().unwrap().len() >= 3);
    assert!(
        data.get("notes").is_none(),
        "the editor never lists the deck's notes"
    );

    // Someone who may see the deck but not change it.
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    assert_eq!(learner.send(editor(&deck_id)).await.status, StatusCode::FORBIDDEN);
}

/// The deck page's one read answers each viewer differently: whether they
/// study the deck (and so which study button shows), and the note types and
/// study options only its editor gets.
#[tokio::test]
async fn the_deck_page_tells_each_viewer_whether_they_study_it_and_gives_editors_their_tools() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let mut visitor = TestApp::new(pool.clone()).await;
    let deck_id = create_deck(&mut teacher, "Capitals", "public").await;

    let page = deck_page(&mut teacher, &deck_id).await.json();
    assert_eq!(page["study"], "Studied", "an owner studies their own deck");
    assert_eq!(page["can_edit"], true);
    assert!(
        page["note_types"]
            .as_array()
            .is_some_and(|types| !types.is_empty()),
        "the editor gets the note types to write with: {page}"
    );
    assert!(
        page["preset"].is_object(),
        "the editor gets the study options: {page}"
    );

    let page = deck_page(&mut learner, &deck_id).await.json();
    assert_eq!(page["study"], "NotStudied");
    assert_eq!(page["can_edit"], false);
    assert_eq!(page["note_types"], serde_json::json!([]));
    assert_eq!(page["preset"], serde_json::Value::Null);
    let started = learner.call("study/start", &[("deck_id", &deck_id)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(deck_page(&mut learner, &deck_id).await.json()["study"], "Chosen");
    let stopped = learner.call("study/stop", &[("deck_id", &deck_id)]).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    assert_eq!(
        deck_page(&mut learner, &deck_id).await.json()["study"],
        "NotStudied"
    );

    let page = deck_page(&mut visitor, &deck_id).await.json();
    assert_eq!(
        page["study"],
        serde_json::Value::Null,
        "a visitor is offered to sign in"
    );
    assert_eq!(page["deck"]["title"], "Capitals");
}

/// Sends the new-deck form as a browser without JavaScript does (it asks for a page back).
async fn post_deck_form_without_javascript(app: &mut TestApp, form: &[(&str, &str)]) -> TestResponse {
    app.post(
        "/api/decks/create",
        "application/x-www-form-urlencoded",
        "text/html",
        support::encode_form(form),
    )
    .await
}

#[tokio::test]
async fn a_new_deck_posted_without_javascript_comes_back_to_its_page_filled_in_when_refused() {
    let pool = support::fresh_database().await;
    let mut learner = TestApp::new(pool.clone()).await;
    learner.register("deck-maker@example.org", "Deck Maker").await;

    // The page asks for the deck's settings; a visitor is sent to log in first.
    let page = learner.get("/decks/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"id="deck-title""#), "{}", page.body);
    let mut visitor = TestApp::new(pool.clone()).await;
    let refused = visitor.get("/decks/new").await;
    assert_eq!(refused.header("location"), Some("/login?next=%2Fdecks%2Fnew"));

    // A title left empty: the browser goes back to the page, whose address
    // holds what was sent, and the page shows it with the message.
    let form = [
        ("input[title]", ""),
        ("input[description]", "Words & phrases <b>from</b> the market"),
        ("input[language]", "es"),
        ("input[visibility]", "private"),
    ];
    let sent = post_deck_form_without_javascript(&mut learner, &form).await;
    assert_eq!(sent.status, StatusCode::FOUND, "{}", sent.body);
    let back = sent.header("location").unwrap().to_owned();
    assert!(back.starts_with("/decks/new?"), "{back}");
    let page = learner.get(&back).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Give the deck a title."), "{}", page.body);
    assert!(
        page.body
            .contains("Words &amp; phrases &lt;b&gt;from&lt;/b&gt; the market</textarea>"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="es""#), "{}", page.body);
    let decks: i64 = sqlx::query_scalar("select count(*) from decks d join users u on u.id = d.owner_id where u.email = 'deck-maker@example.org'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(decks, 0);

    // Sent again with a title, the deck is made and opens.
    let form: Vec<(&str, &str)> = [("input[title]", "Market words")]
        .into_iter()
        .chain(form[1..].iter().copied())
        .collect();
    let made = post_deck_form_without_javascript(&mut learner, &form).await;
    assert_eq!(made.status, StatusCode::FOUND, "{}", made.body);
    let deck_page = made.header("location").unwrap().to_owned();
    assert!(
        deck_page.starts_with("/decks/") && deck_page != "/decks/new",
        "{deck_page}"
    );
    assert!(learner.get(&deck_page).await.body.contains("Market words"));
}

/// "New subdeck" on a deck's page is the same form: refused without
/// JavaScript, it comes back to the parent's page filled in, and the page's
/// other settings form ("Edit deck") keeps the deck as stored.
#[tokio::test]
async fn a_new_subdeck_posted_without_javascript_comes_back_to_its_parents_page_filled_in() {
    let pool = support::fresh_database().await;
    let mut learner = TestApp::new(pool.clone()).await;
    learner.register("deck-maker@example.org", "Deck Maker").await;
    let parent = create_deck(&mut learner, "Market words", "private").await;
    let form = [
        ("input[title]", "   "),
        ("input[description]", "Stalls & prices"),
        ("input[language]", "fr"),
        ("input[visibility]", "private"),
        ("input[parent_id]", parent.as_str()),
    ];
    let sent = post_deck_form_without_javascript(&mut learner, &form).await;
    assert_eq!(sent.status, StatusCode::FOUND, "{}", sent.body);
    let back = sent.header("location").unwrap().to_owned();
    assert!(back.starts_with(&format!("/decks/{parent}?")), "{back}");
    let page = learner.get(&back).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Give the deck a title."), "{}", page.body);
    // The subdeck form holds what was sent; "Edit deck" the stored deck.
    let subdeck_form = &page.body[page.body.find(r#"data-testid="new-subdeck""#).unwrap()..];
    assert!(
        subdeck_form.contains("Stalls &amp; prices</textarea>"),
        "{subdeck_form}"
    );
    assert!(subdeck_form.contains(r#"value="fr""#), "{subdeck_form}");
    let edit_form = &page.body[page.body.find(r#"data-testid="edit-deck""#).unwrap()..];
    let edit_form = &edit_form[..edit_form.find(r#"data-testid="new-subdeck""#).unwrap()];
    assert!(edit_form.contains(r#"value="Market words""#), "{edit_form}");
    assert!(!edit_form.contains("Stalls"), "{edit_form}");
    let decks: i64 = sqlx::query_scalar("select count(*) from decks where parent_id = $1::uuid")
        .bind(&parent)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(decks, 0);
}
