//! Custom note types through the real router: who may define and use them,
//! notes written with them, and edits that regenerate every note's cards
//! without losing the cards that survive.

mod support;

use axum::{body::Body, http::Request, http::StatusCode};
use sqlx::PgPool;
use support::{admin, create_deck, member, TestApp, TestResponse};
use uuid::Uuid;

/// `templates` are (name, front, back).
async fn save_type(
    app: &mut TestApp,
    existing: Option<&str>,
    name: &str,
    fields: &str,
    templates: &[(&str, &str, &str)],
) -> TestResponse {
    let mut form: Vec<(String, String)> = vec![
        ("input[name]".into(), name.into()),
        ("input[kind]".into(), "standard".into()),
        ("input[fields]".into(), fields.into()),
    ];
    for (index, (template_name, front, back)) in templates.iter().enumerate() {
        form.push((
            format!("input[templates][{index}][name]"),
            (*template_name).into(),
        ));
        form.push((format!("input[templates][{index}][front]"), (*front).into()));
        form.push((format!("input[templates][{index}][back]"), (*back).into()));
    }
    let endpoint = match existing {
        Some(id) => {
            form.push(("note_type_id".into(), id.into()));
            "note-types/update"
        }
        None => "note-types/create",
    };
    let pairs: Vec<(&str, &str)> = form
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    app.call(endpoint, &pairs).await
}

async fn add_note(app: &mut TestApp, deck_id: &str, note_type: &str, fields: &[&str]) -> TestResponse {
    let mut form: Vec<(String, &str)> = vec![
        ("input[deck_id]".into(), deck_id),
        ("input[note_type]".into(), note_type),
    ];
    for (index, value) in fields.iter().enumerate() {
        form.push((format!("input[fields][{index}]"), value));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(key, value)| (key.as_str(), *value)).collect();
    app.call("notes/create", &pairs).await
}

/// (ordinal, card id, front, back) of a note's cards.
async fn cards_of(pool: &PgPool, note_id: &str) -> Vec<(i16, Uuid, String, String)> {
    sqlx::query_as(
        "select ordinal, id, front_html, back_html from cards where note_id = $1::uuid order by ordinal",
    )
    .bind(note_id)
    .fetch_all(pool)
    .await
    .unwrap()
}

const WORD: &str = "{{Word}}";
const MEANING_BACK: &str = "{{FrontSide}}<hr>{{Meaning}}";

#[tokio::test]
async fn a_teacher_defines_a_type_and_writes_notes_with_it() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;

    let refused = save_type(
        &mut learner,
        None,
        "Mine",
        "Word\nMeaning",
        &[("Card", WORD, MEANING_BACK)],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "learners use the built-in types"
    );

    let invalid = save_type(
        &mut teacher,
        None,
        "Vocabulary",
        "Word\nMeaning",
        &[("", "{{Wrod}}", MEANING_BACK)],
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid.body.contains("template_0_front") && invalid.body.contains("names no field"),
        "{}",
        invalid.body
    );

    let created = save_type(
        &mut teacher,
        None,
        "Vocabulary",
        "Word\nMeaning",
        &[
            ("Recognise", WORD, MEANING_BACK),
            ("Recall", "{{Meaning}}", "{{FrontSide}}<hr>{{Word}}"),
            ("", "", ""),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let type_id = created.json().as_str().unwrap().to_owned();

    let deck = create_deck(&mut teacher, "Spanish", "private").await;
    let note = add_note(&mut teacher, &deck, &type_id, &["**gato**", "cat"]).await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.body);
    let note_id = note.json().as_str().unwrap().to_owned();
    let cards = cards_of(&pool, &note_id).await;
    assert_eq!(cards.len(), 2);
    assert!(cards[0].2.contains("<strong>gato</strong>"));
    assert!(cards[1].2.contains("cat") && cards[1].3.contains("<strong>gato</strong>"));

    let empty = add_note(&mut teacher, &deck, &type_id, &["", ""]).await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a note that makes no card"
    );

    // The note's page offers the type, and the note can be edited.
    let loaded = teacher
        .send(
            Request::get(format!("/api/notes/load?note_id={note_id}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    assert_eq!(loaded.json()["note_type"]["name"], "Vocabulary");
    let edited = teacher
        .call(
            "notes/update",
            &[
                ("note_id", &note_id),
                ("input[fields][0]", "perro"),
                ("input[fields][1]", "dog"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let after_edit = cards_of(&pool, &note_id).await;
    assert_eq!(after_edit[0].1, cards[0].1, "the card keeps its id");
    assert!(after_edit[0].2.contains("perro"));

    // Someone else's type does not exist for another teacher.
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;
    let other_deck = create_deck(&mut other, "Theirs", "private").await;
    let borrowed = add_note(&mut other, &other_deck, &type_id, &["a", "b"]).await;
    assert_eq!(borrowed.status, StatusCode::NOT_FOUND);
    let hijacked = save_type(
        &mut other,
        Some(&type_id),
        "Stolen",
        "Word\nMeaning",
        &[("", WORD, MEANING_BACK)],
    )
    .await;
    assert_eq!(hijacked.status, StatusCode::NOT_FOUND);
    let listed = other
        .send(Request::get("/api/note-types/list").body(Body::empty()).unwrap())
        .await;
    assert_eq!(listed.json().as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn editing_a_type_regenerates_its_notes_or_changes_nothing() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let two_cards = [
        ("Recognise", WORD, MEANING_BACK),
        ("Recall", "{{Meaning}}", "{{FrontSide}}<hr>{{Word}}"),
    ];
    let type_id = save_type(&mut teacher, None, "Vocabulary", "Word\nMeaning", &two_cards)
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    let deck = create_deck(&mut teacher, "Spanish", "private").await;
    let note_id = add_note(&mut teacher, &deck, &type_id, &["gato", "cat"])
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    let before = cards_of(&pool, &note_id).await;

    // Renaming a field, adding one and changing a template: the notes follow.
    let renamed = save_type(
        &mut teacher,
        Some(&type_id),
        "Vocabulary",
        "Term\nMeaning\nExample",
        &[(
            "Recognise",
            "{{Term}}",
            "{{FrontSide}}<hr>{{Meaning}}<br>{{Example}}",
        )],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let after = cards_of(&pool, &note_id).await;
    assert_eq!(after.len(), 1, "the dropped template's card is gone");
    assert_eq!(
        after[0].1, before[0].1,
        "the surviving card keeps its id and history"
    );
    assert!(after[0].3.contains("cat"));
    let fields: Vec<String> = sqlx::query_scalar("select fields from notes where id = $1::uuid")
        .bind(&note_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(fields, ["gato", "cat", ""]);

    // Removing a field that notes use, or templates a note cannot fill,
    // is refused and nothing changes.
    let fewer = save_type(
        &mut teacher,
        Some(&type_id),
        "Vocabulary",
        "Term",
        &[("", "{{Term}}", "{{Term}}")],
    )
    .await;
    assert_eq!(fewer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fewer.body.contains("\"fields\""), "{}", fewer.body);
    let breaking = save_type(
        &mut teacher,
        Some(&type_id),
        "Vocabulary",
        "Term\nMeaning\nExample",
        &[("Only examples", "{{Example}}", "{{Term}}")],
    )
    .await;
    assert_eq!(
        breaking.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        breaking.body
    );
    assert!(breaking.body.contains("would break"), "{}", breaking.body);
    assert_eq!(cards_of(&pool, &note_id).await, after, "nothing half-saved");
    let name: String = sqlx::query_scalar("select fields[1] from note_types where id = $1::uuid")
        .bind(&type_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Term");

    // A type in use cannot be deleted; once unused it can.
    let in_use = teacher
        .call("note-types/delete", &[("note_type_id", &type_id)])
        .await;
    assert_eq!(in_use.status, StatusCode::CONFLICT);
    assert!(in_use.body.contains("1 note uses this type"), "{}", in_use.body);
    let deleted_note = teacher.call("notes/delete", &[("note_id", &note_id)]).await;
    assert_eq!(deleted_note.status, StatusCode::OK);
    let deleted = teacher
        .call("note-types/delete", &[("note_type_id", &type_id)])
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let remaining: i64 = sqlx::query_scalar("select count(*) from note_types where owner_id is not null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(remaining, 0);
}

/// A person's types each have a name of their own, and none is a built-in
/// type's: the note editor offers them as tabs by name. Case and spaces
/// around a name do not make it another; someone else may use the same one.
#[tokio::test]
async fn a_name_is_one_of_a_kind_among_a_persons_types_and_the_built_in_ones() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut colleague = member(&pool, &mut admin, "colleague@example.org", "teacher").await;
    let templates = [("Recognition", WORD, MEANING_BACK)];
    let name_message = |response: &TestResponse| {
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            response.body
        );
        let errors = response.json()["Validation"].clone();
        assert_eq!(errors[0]["field"], "name", "{errors}");
        errors[0]["message"].as_str().unwrap().to_owned()
    };

    let first = save_type(&mut teacher, None, "Vocabulary", "Word\nMeaning", &templates).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let again = save_type(&mut teacher, None, "  vocabulary ", "Word\nMeaning", &templates).await;
    assert_eq!(
        name_message(&again),
        "You already have a note type of this name. Choose another."
    );
    let built_in = save_type(&mut teacher, None, "cloze", "Word\nMeaning", &templates).await;
    assert_eq!(
        name_message(&built_in),
        "A built-in note type has this name. Choose another."
    );

    // A rename onto another of one's names is refused too, and changes nothing.
    let verbs = save_type(&mut teacher, None, "Verbs", "Word\nMeaning", &templates).await;
    let verbs_id = verbs.json().as_str().unwrap().to_owned();
    let rename = save_type(
        &mut teacher,
        Some(&verbs_id),
        "VOCABULARY",
        "Word\nMeaning",
        &templates,
    )
    .await;
    assert_eq!(
        name_message(&rename),
        "You already have a note type of this name. Choose another."
    );
    let names: Vec<String> =
        sqlx::query_scalar("select name from note_types where owner_id is not null order by name")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(names, ["Verbs", "Vocabulary"]);

    let theirs = save_type(&mut colleague, None, "Vocabulary", "Word\nMeaning", &templates).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
}

/// A NUL in a template is refused with a message, however the form says it
/// is encoded: a server function reads a body labelled as multipart or JSON
/// as a form too, and such a NUL once reached PostgreSQL and answered 500.
/// Any other control character, which that check lets through, is refused
/// by the template's own validation, on its side of the card.
#[tokio::test]
async fn a_nul_in_a_template_is_refused_whatever_the_body_claims_to_be() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let body = support::encode_form(&[
        ("input[name]", "With a NUL"),
        ("input[kind]", "standard"),
        ("input[fields]", "Word"),
        ("input[templates][0][name]", "Card"),
        ("input[templates][0][front]", "{{Word}}\u{0}"),
        ("input[templates][0][back]", "{{Word}}"),
    ]);
    for content_type in [
        "multipart/form-data; boundary=x",
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let refused = teacher
            .post(
                "/api/note-types/create",
                content_type,
                "application/json",
                body.clone(),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{content_type}: {}",
            refused.body
        );
        assert!(
            refused.body.contains("cannot contain the NUL character"),
            "{}",
            refused.body
        );
    }
    let other_control = save_type(
        &mut teacher,
        None,
        "With a bell",
        "Word",
        &[("Card", "{{Word}}\u{7}", "{{Word}}")],
    )
    .await;
    assert_eq!(
        other_control.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        other_control.body
    );
    let errors = other_control.json()["Validation"].clone();
    assert_eq!(errors[0]["field"], "template_0_front", "{errors}");
    let kept: i64 = sqlx::query_scalar("select count(*) from note_types where owner_id is not null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);
}

/// Types that shared a name before names were one of a kind keep the oldest
/// under it, and the others get the first free " (n)" after it.
#[tokio::test]
async fn the_migration_renames_types_that_shared_a_name() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let _teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    sqlx::raw_sql(
        "drop index note_types_owner_name_key;
         insert into note_types (owner_id, name, kind, fields, templates, created_at)
         select u.id, v.name, 'standard', '{Front,Back}',
                '[{\"name\": \"Card 1\", \"front\": \"{{Front}}\", \"back\": \"{{Back}}\"}]', v.at
         from users u,
              (values ('Vocabulary', timestamptz '2026-01-01'), ('vocabulary ', timestamptz '2026-01-02'),
                      ('Vocabulary (2)', timestamptz '2026-01-03'), ('VOCABULARY', timestamptz '2026-01-04'),
                      ('Verbs', timestamptz '2026-01-05')) as v (name, at)
         where u.email = 'teacher@example.org'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let migration = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../migrations/20261204000092_note_type_names_unique.sql"
    ))
    .unwrap();
    sqlx::raw_sql(&migration).execute(&pool).await.unwrap();
    let names: Vec<String> =
        sqlx::query_scalar("select name from note_types where owner_id is not null order by created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        names,
        [
            "Vocabulary",
            "vocabulary (3)",
            "Vocabulary (2)",
            "VOCABULARY (4)",
            "Verbs"
        ]
    );
}

/// A change to a type that would delete cards learners have rated (a
/// template taken out) waits for its author to say so, and changes nothing
/// until then; the question is fixed text, so a form posted without
/// JavaScript shows it from its address.
#[tokio::test]
async fn a_change_that_would_delete_studied_cards_asks_first() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let two_cards = [
        ("Recognise", WORD, MEANING_BACK),
        ("Recall", "{{Meaning}}", "{{FrontSide}}<hr>{{Word}}"),
    ];
    let type_id = save_type(&mut teacher, None, "Vocabulary", "Word\nMeaning", &two_cards)
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    let deck = create_deck(&mut teacher, "Spanish", "private").await;
    let note_id = add_note(&mut teacher, &deck, &type_id, &["gato", "cat"])
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    let recall = cards_of(&pool, &note_id).await[1].1;
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let review = serde_json::json!([{
        "id": Uuid::new_v4(), "card_id": recall, "rating": 3,
        "reviewed_at_ms": now_ms, "duration_ms": 2000,
    }]);
    support::submit_reviews(&mut teacher, review).await;
    let before = cards_of(&pool, &note_id).await;

    let one_card = [("Recognise", WORD, MEANING_BACK)];
    let refused = save_type(
        &mut teacher,
        Some(&type_id),
        "Vocabulary",
        "Word\nMeaning",
        &one_card,
    )
    .await;
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
                .contains(app::note_types::NOTE_TYPE_DELETES_STUDIED_CARDS),
        "{}",
        refused.body
    );
    assert_eq!(cards_of(&pool, &note_id).await, before, "nothing changed");
    let templates: i64 = sqlx::query_scalar(
        "select jsonb_array_length(templates)::bigint from note_types where id = $1::uuid",
    )
    .bind(&type_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(templates, 2, "the type is as it was");

    // Without JavaScript the page shows the question from its address.
    let mut form: Vec<(String, String)> = vec![
        ("note_type_id".into(), type_id.clone()),
        ("input[name]".into(), "Vocabulary".into()),
        ("input[kind]".into(), "standard".into()),
        ("input[fields]".into(), "Word\nMeaning".into()),
        ("input[templates][0][name]".into(), "Recognise".into()),
        ("input[templates][0][front]".into(), WORD.into()),
        ("input[templates][0][back]".into(), MEANING_BACK.into()),
    ];
    let pairs: Vec<(&str, &str)> = form
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    let back = teacher
        .post_form_from("/note-types", "/api/note-types/update", &pairs)
        .await;
    let page = teacher.get(back.location_path().unwrap()).await;
    assert!(
        page.body
            .contains(app::note_types::NOTE_TYPE_DELETES_STUDIED_CARDS)
            && page.body.contains(r#"name="input[delete_studied_cards]""#),
        "{}",
        page.body
    );

    // Agreed, the template and its card go.
    form.push(("input[delete_studied_cards]".into(), "true".into()));
    let pairs: Vec<(&str, &str)> = form
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    let agreed = teacher.call("note-types/update", &pairs).await;
    assert_eq!(agreed.status, StatusCode::OK, "{}", agreed.body);
    let after = cards_of(&pool, &note_id).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].1, before[0].1, "the card that stays keeps its id");
}
