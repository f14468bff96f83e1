//! The card browser through the real router: the Anki-style search, paging
//! in every order without gaps or duplicates, bulk move, tag and delete,
//! and that nobody sees or changes anyone else's cards.

mod support;

use std::collections::HashSet;

use axum::{body::Body, http::Request, http::StatusCode};
use sqlx::PgPool;
use support::{admin, create_deck, create_subdeck, encode_form, member, TestApp, TestResponse};
use uuid::Uuid;

async fn browse(app: &mut TestApp, params: &[(&str, &str)]) -> TestResponse {
    let pairs: Vec<(String, &str)> = params
        .iter()
        .map(|(name, value)| (format!("query[{name}]"), *value))
        .collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    let request = Request::get(format!("/api/browse/search?{}", encode_form(&pairs)))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

/// The first field of each row, in order.
async fn texts(app: &mut TestApp, q: &str) -> Vec<String> {
    let response = browse(app, &[("q", q), ("sort", "text")]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["text"].as_str().unwrap().to_owned())
        .collect()
}

async fn card_id_of(pool: &PgPool, front: &str) -> String {
    sqlx::query_scalar::<_, Uuid>(
        "select c.id from cards c join notes n on n.id = c.note_id where n.fields[1] = $1",
    )
    .bind(front)
    .fetch_one(pool)
    .await
    .unwrap()
    .to_string()
}

async fn bulk(app: &mut TestApp, action: &str, card_ids: &[&str], extra: &[(&str, &str)]) -> TestResponse {
    let mut form: Vec<(&str, &str)> = vec![("input[action]", action)];
    form.extend(card_ids.iter().map(|id| ("input[card_ids][]", *id)));
    form.extend_from_slice(extra);
    app.call("browse/bulk", &form).await
}

#[tokio::test]
async fn the_search_understands_anki_syntax_and_shows_only_your_own_cards() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let spanish = create_deck(&mut learner, "Spanish words", "private").await;
    let verbs = create_subdeck(&mut learner, &spanish, "Verbs").await;
    let french = create_deck(&mut learner, "French words", "private").await;
    support::add_basic_note(&mut learner, &spanish, "gato", "cat", "animals").await;
    support::add_basic_note(&mut learner, &spanish, "perro", "dog", "animals pets").await;
    support::add_basic_note(&mut learner, &spanish, "buenos días", "good morning", "greetings").await;
    support::add_basic_note(&mut learner, &verbs, "comer", "to eat", "verbs").await;
    support::add_basic_note(&mut learner, &french, "chat", "cat", "animals").await;
    // Someone else's card with the same words never shows up.
    let mut other = member(&pool, &mut admin, "other@example.org", "learner").await;
    let others = create_deck(&mut other, "Spanish words", "private").await;
    support::add_basic_note(&mut other, &others, "gato montés", "wildcat", "animals").await;

    assert_eq!(
        texts(&mut learner, "").await,
        ["buenos días", "chat", "comer", "gato", "perro"]
    );
    assert_eq!(
        texts(&mut learner, "cat").await,
        ["chat", "gato"],
        "back fields count too"
    );
    assert_eq!(texts(&mut learner, "GATO").await, ["gato"]);
    assert_eq!(texts(&mut learner, "\"buenos días\"").await, ["buenos días"]);
    assert_eq!(texts(&mut learner, "buenos tardes").await, Vec::<String>::new());
    assert_eq!(
        texts(&mut learner, "deck:spanish*").await,
        ["buenos días", "comer", "gato", "perro"],
        "a deck includes its subdecks"
    );
    assert_eq!(texts(&mut learner, "deck:Verbs").await, ["comer"]);
    assert_eq!(texts(&mut learner, "deck:\"French words\"").await, ["chat"]);
    assert_eq!(texts(&mut learner, "tag:animals -gato").await, ["chat", "perro"]);
    assert_eq!(texts(&mut learner, "tag:pet*").await, ["perro"]);
    assert_eq!(
        texts(&mut learner, "-tag:animals").await,
        ["buenos días", "comer"]
    );
    assert_eq!(texts(&mut learner, "is:new").await.len(), 5);
    assert_eq!(texts(&mut learner, "is:due").await, Vec::<String>::new());

    // One card studied and due yesterday, one studied and due next week.
    studied_by_owner(
        &pool,
        &card_id_of(&pool, "perro").await,
        "now() - interval '1 day'",
    )
    .await;
    studied_by_owner(
        &pool,
        &card_id_of(&pool, "gato").await,
        "now() + interval '7 days'",
    )
    .await;
    assert_eq!(texts(&mut learner, "is:due").await, ["perro"]);
    assert_eq!(
        texts(&mut learner, "-is:due").await,
        ["buenos días", "chat", "comer", "gato"]
    );
    assert_eq!(
        texts(&mut learner, "is:new").await,
        ["buenos días", "chat", "comer"]
    );
    // Cards the learner set aside by hand, as the study page does.
    for (card, hold) in [("comer", "Suspend"), ("chat", "Bury")] {
        let card_id = card_id_of(&pool, card).await;
        let response = learner
            .call("study/hold", &[("card_id", card_id.as_str()), ("hold", hold)])
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    assert_eq!(texts(&mut learner, "is:suspended").await, ["comer"]);
    assert_eq!(texts(&mut learner, "is:buried").await, ["chat"]);
    assert_eq!(
        texts(&mut learner, "-is:suspended -is:buried tag:animals").await,
        ["gato", "perro"]
    );
    let by_due = browse(&mut learner, &[("sort", "due")]).await.json();
    let due_order: Vec<&str> = by_due["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        &due_order[..2],
        ["perro", "gato"],
        "new cards come after every date"
    );

    let malformed = browse(&mut learner, &[("q", "deck:\"unclosed")]).await;
    assert_eq!(
        malformed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        malformed.body
    );
    assert!(malformed.body.contains("\"q\""), "{}", malformed.body);
    let bad_cursor = browse(&mut learner, &[("after", "not-a-cursor")]).await;
    assert_eq!(bad_cursor.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_sort = browse(&mut learner, &[("sort", "price")]).await;
    assert_eq!(bad_sort.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(browse(&mut visitor, &[]).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn paging_in_every_order_has_no_gaps_or_duplicates() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let first = create_deck(&mut learner, "Alpha", "private").await;
    let second = create_deck(&mut learner, "Beta", "private").await;
    // 130 cards, with many equal sort keys (the same text, deck, creation
    // time and due date), so that only the card id tells rows apart.
    sqlx::query(
        r#"
        with made as (
            insert into notes (deck_id, note_type_id, fields)
            select case when n % 2 = 0 then $1::uuid else $2::uuid end,
                   (select id from note_types where builtin = 'basic'),
                   array['word ' || (n % 7), 'back']
            from generate_series(1, 130) as n
            returning id, deck_id
        )
        , inserted as (
            insert into cards (deck_id, note_id, ordinal, front_html, back_html, created_at)
            select deck_id, id, 0, 'front', 'back', '2026-11-01T00:00:00Z' from made
            returning id, deck_id
        )
        insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at,
                                 last_review_at, scheduled_days, reps, lapses)
        select d.owner_id, i.id, 'review', 0, 10, 5, '2026-12-01T00:00:00Z', '2026-11-20T00:00:00Z', 11, 2, 0
        from inserted i join decks d on d.id = i.deck_id
        where random() < 0.5
        "#,
    )
    .bind(&first)
    .bind(&second)
    .execute(&pool)
    .await
    .unwrap();

    for sort in ["created", "edited", "text", "deck", "due"] {
        for dir in ["asc", "desc"] {
            let mut seen = Vec::new();
            let mut after = String::new();
            let mut pages = 0;
            loop {
                let response = browse(&mut learner, &[("sort", sort), ("dir", dir), ("after", &after)]).await;
                assert_eq!(response.status, StatusCode::OK, "{}", response.body);
                let page = response.json();
                assert_eq!(page["total"], 130);
                for row in page["rows"].as_array().unwrap() {
                    seen.push(row["card_id"].as_str().unwrap().to_owned());
                }
                pages += 1;
                match page["next"].as_str() {
                    Some(next) => after = next.to_owned(),
                    None => break,
                }
                assert!(pages < 10, "paging does not end");
            }
            assert_eq!(pages, 3, "{sort} {dir}");
            assert_eq!(seen.len(), 130, "{sort} {dir}: every card once");
            assert_eq!(
                seen.iter().collect::<HashSet<_>>().len(),
                130,
                "{sort} {dir}: no duplicates"
            );
        }
    }
}

#[tokio::test]
async fn a_bulk_action_without_javascript_says_what_it_did_or_why_not() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let inbox = create_deck(&mut learner, "Inbox", "private").await;
    let spanish = create_deck(&mut learner, "Spanish", "private").await;
    support::add_basic_note(&mut learner, &inbox, "gato", "cat", "").await;
    let gato = card_id_of(&pool, "gato").await;
    let page = "/browse?q=deck%3AInbox";
    let came_back_to = |response: &TestResponse| {
        assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
        response.location_path().unwrap().to_owned()
    };

    // Refused: no deck chosen. The page says so under the deck field.
    let form = [
        ("input[action]", "move"),
        ("input[card_ids][]", gato.as_str()),
        ("input[deck_id]", ""),
    ];
    let refused = learner.post_form_from(page, "/api/browse/bulk", &form).await;
    let location = came_back_to(&refused);
    assert!(location.starts_with("/browse?q=deck%3AInbox&"), "{location}");
    let body = learner.get(&location).await.body;
    assert!(body.contains("Choose the deck to move the cards to."), "{body}");

    // Done: the same search, saying what was done.
    let form = [
        ("input[action]", "move"),
        ("input[card_ids][]", gato.as_str()),
        ("input[deck_id]", spanish.as_str()),
    ];
    let moved = learner.post_form_from(page, "/api/browse/bulk", &form).await;
    let location = came_back_to(&moved);
    assert_eq!(location, "/browse?q=deck%3AInbox&saved=cards-moved");
    let body = learner.get(&location).await.body;
    assert!(body.contains("The selected cards were moved."), "{body}");
    assert!(!body.contains("Choose the deck"), "{body}");
    assert_eq!(texts(&mut learner, "deck:Spanish").await, ["gato"]);
}

#[tokio::test]
async fn bulk_actions_change_all_selected_notes_or_none() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let inbox = create_deck(&mut learner, "Inbox", "private").await;
    let spanish = create_deck(&mut learner, "Spanish", "private").await;
    support::add_basic_note(&mut learner, &inbox, "gato", "cat", "Animals").await;
    support::add_basic_note(&mut learner, &inbox, "perro", "dog", "").await;
    support::add_basic_note(&mut learner, &inbox, "casa", "house", "").await;
    let gato = card_id_of(&pool, "gato").await;
    let perro = card_id_of(&pool, "perro").await;
    let casa = card_id_of(&pool, "casa").await;
    let mut other = member(&pool, &mut admin, "other@example.org", "learner").await;
    let others_deck = create_deck(&mut other, "Theirs", "private").await;
    support::add_basic_note(&mut other, &others_deck, "theirs", "not yours", "").await;
    let theirs = card_id_of(&pool, "theirs").await;

    // Move two notes; their cards go with them.
    let moved = bulk(
        &mut learner,
        "move",
        &[gato.as_str(), perro.as_str()],
        &[("input[deck_id]", &spanish)],
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json()["message"], "Moved 2 cards to “Spanish”.");
    assert_eq!(texts(&mut learner, "deck:Spanish").await, ["gato", "perro"]);
    let note_decks: i64 = sqlx::query_scalar(
        "select count(*) from notes n join cards c on c.note_id = n.id where n.deck_id = c.deck_id and n.deck_id = $1::uuid",
    )
    .bind(&spanish)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(note_decks, 2, "notes and cards agree on the deck");

    // Nothing is moved into someone else's deck or from someone else's deck.
    let into_theirs = bulk(
        &mut learner,
        "move",
        &[casa.as_str()],
        &[("input[deck_id]", &others_deck)],
    )
    .await;
    assert_eq!(
        into_theirs.status,
        StatusCode::NOT_FOUND,
        "a private deck of someone else does not exist"
    );
    let with_theirs = bulk(
        &mut learner,
        "move",
        &[casa.as_str(), theirs.as_str()],
        &[("input[deck_id]", &spanish)],
    )
    .await;
    assert_eq!(with_theirs.status, StatusCode::CONFLICT, "{}", with_theirs.body);
    assert_eq!(
        texts(&mut learner, "deck:Inbox").await,
        ["casa"],
        "nothing half-done"
    );
    let no_deck = bulk(&mut learner, "move", &[casa.as_str()], &[("input[deck_id]", "")]).await;
    assert_eq!(no_deck.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_deck.body.contains("deck_id"), "{}", no_deck.body);

    // Tags are added once, whatever their case, and removed again.
    let tagged = bulk(
        &mut learner,
        "add-tags",
        &[gato.as_str(), casa.as_str()],
        &[("input[tags]", "animals nouns")],
    )
    .await;
    assert_eq!(tagged.status, StatusCode::OK, "{}", tagged.body);
    let gato_tags: Vec<String> = sqlx::query_scalar("select tags from notes where fields[1] = 'gato'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(gato_tags, ["Animals", "nouns"]);
    assert_eq!(texts(&mut learner, "tag:nouns").await, ["casa", "gato"]);
    let untagged = bulk(
        &mut learner,
        "remove-tags",
        &[gato.as_str(), casa.as_str()],
        &[("input[tags]", "ANIMALS")],
    )
    .await;
    assert_eq!(untagged.status, StatusCode::OK, "{}", untagged.body);
    assert_eq!(untagged.json()["message"], "Removed the tags from 2 notes.");
    assert_eq!(texts(&mut learner, "tag:animals").await, Vec::<String>::new());
    let bad_tags = bulk(
        &mut learner,
        "add-tags",
        &[gato.as_str()],
        &[("input[tags]", "<script>")],
    )
    .await;
    assert_eq!(bad_tags.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_tags.body.contains("tags"), "{}", bad_tags.body);
    let too_many: String = (0..60).map(|n| format!("t{n} ")).collect();
    let over_limit = bulk(
        &mut learner,
        "add-tags",
        &[gato.as_str()],
        &[("input[tags]", &too_many)],
    )
    .await;
    assert_eq!(over_limit.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing selected, or an unknown action, is refused.
    let nothing = bulk(&mut learner, "delete", &[], &[]).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nothing.body.contains("card_ids"), "{}", nothing.body);
    let unknown = bulk(&mut learner, "explode", &[gato.as_str()], &[]).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    // Someone else cannot delete my cards; I can.
    let stolen = bulk(&mut other, "delete", &[gato.as_str()], &[]).await;
    assert_eq!(stolen.status, StatusCode::CONFLICT);
    let deleted = bulk(&mut learner, "delete", &[gato.as_str(), perro.as_str()], &[]).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(deleted.json()["message"], "Deleted 2 notes and 2 cards.");
    assert_eq!(texts(&mut learner, "").await, ["casa"]);
    assert_eq!(texts(&mut other, "").await, ["theirs"]);
}

/// Gives the deck owner's state for a card a due date, as a review would.
async fn studied_by_owner(pool: &sqlx::PgPool, card_id: &str, due_at: &str) {
    sqlx::query(&format!(
        "insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at, \
                                  last_review_at, scheduled_days, reps, lapses) \
         select d.owner_id, c.id, 'review', 0, 3, 5, {due_at}, now() - interval '3 days', 3, 2, 0 \
         from cards c join decks d on d.id = c.deck_id where c.id = $1::uuid"
    ))
    .bind(card_id)
    .execute(pool)
    .await
    .unwrap();
}
