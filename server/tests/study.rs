//! Recording reviews: each stored once, in any order, from any device, and
//! replayed into each learner's own schedule. Through the real router and
//! PostgreSQL.

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use support::{admin, create_deck, member, TestApp};
use uuid::Uuid;

/// Cards are made as the test runs, so reviews are dated from now.
fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
}

const MINUTE_MS: i64 = 60_000;

async fn add_card(app: &mut TestApp, pool: &PgPool, deck_id: &str, front: &str) -> Uuid {
    support::add_basic_note(app, deck_id, front, "back", "").await;
    // Made a day ago, so that the tests can date reviews in the last hours.
    sqlx::query_scalar(
        "update cards c set created_at = now() - interval '1 day' from notes n
         where n.id = c.note_id and n.fields[1] = $1 returning c.id",
    )
    .bind(front)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// How long each answer of `rating` took.
const REVIEW_DURATION_MS: i64 = 3000;

fn rating(card_id: Uuid, rating: i64, at_ms: i64) -> Value {
    json!({ "id": Uuid::new_v4(), "card_id": card_id, "rating": rating, "reviewed_at_ms": at_ms, "duration_ms": REVIEW_DURATION_MS })
}

async fn submit(app: &mut TestApp, reviews: &[Value]) -> support::TestResponse {
    let body = json!({ "reviews": reviews }).to_string();
    app.post("/api/study/reviews", "application/json", "application/json", body)
        .await
}

/// The state the server answered for `card_id`.
fn state_of(response: &support::TestResponse, card_id: Uuid) -> Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|after| after["card_id"] == card_id.to_string())
        .unwrap()["state"]
        .clone()
}

async fn stored_reviews(pool: &PgPool, card_id: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from reviews where card_id = $1")
        .bind(card_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A learner with a deck of their own holding one card.
async fn learner_with_a_card() -> (PgPool, TestApp, Uuid) {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let card = add_card(&mut learner, &pool, &deck, "hablar").await;
    (pool, learner, card)
}

#[tokio::test]
async fn a_batch_sent_twice_is_stored_once() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let start = now_ms() - 20 * MINUTE_MS;
    let batch = [rating(card, 3, start), rating(card, 3, start + 10 * MINUTE_MS)];
    let first = state_of(&submit(&mut learner, &batch).await, card);
    assert_eq!(first["phase"], "review", "Good on both steps graduates: {first}");
    assert_eq!(first["reps"], 2);
    let again = state_of(&submit(&mut learner, &batch).await, card);
    assert_eq!(again, first);
    assert_eq!(stored_reviews(&pool, card).await, 2);
}

/// A browser names the learner who made a batch: kept while one account was
/// signed in, it is refused when another account's session sends it, and
/// stored when its own does.
#[tokio::test]
async fn a_batch_made_by_another_learner_is_refused_and_stores_nothing() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let learner_id: Uuid = sqlx::query_scalar("select id from users where email = 'learner@example.org'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let batch = [rating(card, 3, now_ms() - MINUTE_MS)];
    let send = |made_by: Uuid| json!({ "made_by": made_by, "reviews": batch }).to_string();

    let refused = learner
        .post(
            "/api/study/reviews",
            "application/json",
            "application/json",
            send(Uuid::new_v4()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(stored_reviews(&pool, card).await, 0);

    let stored = learner
        .post(
            "/api/study/reviews",
            "application/json",
            "application/json",
            send(learner_id),
        )
        .await;
    assert_eq!(state_of(&stored, card)["reps"], 1);
    assert_eq!(stored_reviews(&pool, card).await, 1);
}

/// Posts `form` from `page` as a browser without JavaScript does.
async fn post_plain(
    app: &mut TestApp,
    page: &str,
    path: &str,
    form: &[(&str, String)],
) -> support::TestResponse {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(name, value)| (*name, value.as_str())).collect();
    app.post_form_from(page, path, &pairs).await
}

/// The study page's plain forms (a rating, its undo, a hold) name the
/// learner the page was written for: one posted after another account
/// signed in on the same browser is refused, not recorded as theirs.
#[tokio::test]
async fn a_plain_form_written_for_another_learner_is_refused_and_changes_nothing() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let learner_id: Uuid = sqlx::query_scalar("select id from users where email = 'learner@example.org'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let deck_id: Uuid = sqlx::query_scalar("select deck_id from cards where id = $1")
        .bind(card)
        .fetch_one(&pool)
        .await
        .unwrap();
    let study_page = format!("/study/{deck_id}");
    let (deck, card_id) = (deck_id.to_string(), card.to_string());
    let shown_at = (now_ms() - 5_000).to_string();
    let rate = |review: Uuid, made_by: Uuid| {
        vec![
            ("deck_id", deck.clone()),
            ("card_id", card_id.clone()),
            ("review_id", review.to_string()),
            ("rating", "3".to_owned()),
            ("shown_at_ms", shown_at.clone()),
            ("made_by", made_by.to_string()),
        ]
    };
    let someone_else = Uuid::new_v4();

    // Every plain form of the page names the learner it was written for:
    // the holds under the front, the ratings under the back, the undo after
    // a rating.
    let names_the_learner = format!(r#"name="made_by" value="{learner_id}""#);
    let front = learner.get(&study_page).await;
    assert_eq!(
        front.body.matches(&names_the_learner).count(),
        2,
        "bury and suspend: {}",
        front.body
    );
    let back = learner.get(&format!("{study_page}?show={card}")).await;
    assert_eq!(
        back.body.matches(&names_the_learner).count(),
        6,
        "four ratings, bury and suspend: {}",
        back.body
    );

    let refused = post_plain(
        &mut learner,
        &study_page,
        "/api/study/answer",
        &rate(Uuid::new_v4(), someone_else),
    )
    .await;
    let back = refused.location_path().unwrap_or_default().to_owned();
    assert!(back.starts_with(&format!("{study_page}?")), "{back}");
    let page = learner.get(&back).await;
    assert!(
        page.body.contains("Your answer was not saved. Another account signed in on this browser after this page was opened."),
        "{}",
        page.body
    );
    assert_eq!(stored_reviews(&pool, card).await, 0);
    let held = post_plain(
        &mut learner,
        &study_page,
        "/api/study/hold",
        &[
            ("card_id", card_id.clone()),
            ("hold", "Suspend".to_owned()),
            ("made_by", someone_else.to_string()),
        ],
    )
    .await;
    let page = learner.get(held.location_path().unwrap()).await;
    assert!(
        page.body.contains(
            "The card was not set aside. Another account signed in on this browser after this page was opened."
        ),
        "{}",
        page.body
    );
    let suspended: bool =
        sqlx::query_scalar("select exists (select 1 from card_flags where card_id = $1 and suspended)")
            .bind(card)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!suspended, "a refused hold holds nothing");

    // The page's own learner: stored, and the undo is refused for another.
    let review = Uuid::new_v4();
    let stored = post_plain(
        &mut learner,
        &study_page,
        "/api/study/answer",
        &rate(review, learner_id),
    )
    .await;
    assert!(
        stored.header("location").is_some_and(|to| !to.contains("__err")),
        "{:?}",
        stored.header("location")
    );
    assert_eq!(stored_reviews(&pool, card).await, 1);
    let after = learner.get(stored.location_path().unwrap()).await;
    let undo_form = after
        .body
        .split(r#"action="/api/study/undo""#)
        .nth(1)
        .unwrap_or_default();
    assert!(
        undo_form
            .split("</form>")
            .next()
            .unwrap_or_default()
            .contains(&names_the_learner),
        "{}",
        after.body
    );
    let undo = |made_by: Uuid| {
        vec![
            ("deck_id", deck.clone()),
            ("review_id", review.to_string()),
            ("made_by", made_by.to_string()),
        ]
    };
    let refused = post_plain(&mut learner, &study_page, "/api/study/undo", &undo(someone_else)).await;
    let page = learner.get(refused.location_path().unwrap()).await;
    assert!(
        page.body.contains(
            "The rating was not taken back. Another account signed in on this browser after this page was opened."
        ),
        "{}",
        page.body
    );
    assert_eq!(
        stored_reviews(&pool, card).await,
        1,
        "the refused undo stores nothing"
    );
    let undone = post_plain(&mut learner, &study_page, "/api/study/undo", &undo(learner_id)).await;
    assert!(undone.header("location").is_some_and(|to| !to.contains("__err")));
    assert_eq!(
        stored_reviews(&pool, card).await,
        2,
        "the undo is a record of its own"
    );
}

#[tokio::test]
async fn reviews_arriving_out_of_order_give_the_same_state_as_in_order() {
    let (_pool, mut learner, card) = learner_with_a_card().await;
    let start = now_ms() - 30 * MINUTE_MS;
    let reviews = [
        rating(card, 1, start),
        rating(card, 3, start + MINUTE_MS),
        rating(card, 3, start + 11 * MINUTE_MS),
    ];
    // The last review arrives first, then the first two.
    submit(&mut learner, &reviews[2..]).await;
    let out_of_order = state_of(&submit(&mut learner, &reviews[..2]).await, card);

    let (_pool, mut other, other_card) = learner_with_a_card().await;
    let in_order: Vec<Value> = reviews
        .iter()
        .map(|review| {
            let mut review = review.clone();
            review["card_id"] = json!(other_card);
            review["id"] = json!(Uuid::new_v4());
            review
        })
        .collect();
    let in_order = state_of(&submit(&mut other, &in_order).await, other_card);
    for field in [
        "phase",
        "step",
        "memory",
        "due",
        "reps",
        "lapses",
        "scheduled_days",
    ] {
        assert_eq!(out_of_order[field], in_order[field], "{field}");
    }
    assert_eq!(out_of_order["reps"], 3);
}

#[tokio::test]
async fn reviews_of_one_card_from_two_devices_both_survive() {
    let (pool, mut phone, card) = learner_with_a_card().await;
    // The same account on a laptop.
    let mut laptop = TestApp::new(pool.clone()).await;
    laptop.login("learner@example.org", support::PASSWORD).await;
    let start = now_ms() - 40 * MINUTE_MS;
    submit(&mut phone, &[rating(card, 3, start)]).await;
    let both = state_of(
        &submit(&mut laptop, &[rating(card, 3, start + 10 * MINUTE_MS)]).await,
        card,
    );
    assert_eq!(stored_reviews(&pool, card).await, 2);
    assert_eq!(both["reps"], 2);
    assert_eq!(both["phase"], "review");
}

#[tokio::test]
async fn an_undo_takes_a_review_back_and_the_log_keeps_both() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let start = now_ms() - 5 * MINUTE_MS;
    let first = rating(card, 3, start);
    let second = rating(card, 1, start + MINUTE_MS);
    submit(&mut learner, &[first.clone(), second.clone()]).await;
    let undo = json!({ "id": Uuid::new_v4(), "card_id": card, "cancels": second["id"], "reviewed_at_ms": start + 2 * MINUTE_MS });
    let after_undo = state_of(&submit(&mut learner, &[undo]).await, card);
    assert_eq!(
        after_undo["reps"], 1,
        "only the first review stands: {after_undo}"
    );
    assert_eq!(after_undo["phase"], "learning");
    assert_eq!(after_undo["step"], 1);
    assert_eq!(stored_reviews(&pool, card).await, 3);

    // Undoing the only review left makes the card new again for this learner.
    let undo_first = json!({ "id": Uuid::new_v4(), "card_id": card, "cancels": first["id"], "reviewed_at_ms": start + 3 * MINUTE_MS });
    assert_eq!(
        state_of(&submit(&mut learner, &[undo_first]).await, card),
        Value::Null
    );
    let states: i64 = sqlx::query_scalar("select count(*) from card_states where card_id = $1")
        .bind(card)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(states, 0);
}

#[tokio::test]
async fn two_learners_of_one_public_deck_keep_separate_schedules() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Capitals", "public").await;
    let card = add_card(&mut teacher, &pool, &deck, "Capital of Peru?").await;
    let mut ana = member(&pool, &mut admin, "ana@example.org", "learner").await;
    let mut ben = member(&pool, &mut admin, "ben@example.org", "learner").await;

    // Not studying it yet: a study link to the deck (one someone shared)
    // opens the deck's page, which offers to study it.
    let study_page = ana.get(&format!("/study/{deck}")).await;
    assert_eq!(study_page.status, StatusCode::FOUND, "{}", study_page.body);
    assert_eq!(
        study_page.header("location"),
        Some(format!("/decks/{deck}").as_str())
    );
    let start = now_ms() - MINUTE_MS;
    for learner in [&mut ana, &mut ben] {
        let response = learner.call("study/start", &[("deck_id", &deck)]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    let ana_state = state_of(&submit(&mut ana, &[rating(card, 4, start)]).await, card);
    let ben_state = state_of(&submit(&mut ben, &[rating(card, 1, start)]).await, card);
    assert_eq!(ana_state["phase"], "review");
    assert_eq!(ben_state["phase"], "learning");
    let rows: Vec<(String,)> =
        sqlx::query_as("select phase from card_states where card_id = $1 order by phase")
            .bind(card)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows, [("learning".to_owned(),), ("review".to_owned(),)]);

    // Stopping keeps the history, and a review made before it on another
    // device, arriving after it, joins that history rather than being lost:
    // the deck is still shared with the learner. It does not bring the deck
    // back to the dashboard.
    assert_eq!(
        ana.call("study/stop", &[("deck_id", &deck)]).await.status,
        StatusCode::OK
    );
    let late = submit(&mut ana, &[rating(card, 3, start + 1000)]).await;
    assert_eq!(state_of(&late, card)["reps"], 2, "{}", late.body);
    assert_eq!(stored_reviews(&pool, card).await, 3);
    let dashboard = ana.get_json("/api/dashboard").await.json();
    let studied = dashboard["studied"].as_array().unwrap();
    assert!(
        !studied.iter().any(|listed| listed["deck_id"] == deck.as_str()),
        "{dashboard}"
    );
    // Once its owner makes the deck private, it is no longer shared: a
    // review of it is refused, and nothing is stored.
    sqlx::query("update decks set visibility = 'private' where id = $1::uuid")
        .bind(&deck)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        submit(&mut ana, &[rating(card, 3, start + 2000)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(stored_reviews(&pool, card).await, 3);
    sqlx::query("update decks set visibility = 'public' where id = $1::uuid")
        .bind(&deck)
        .execute(&pool)
        .await
        .unwrap();

    // A private deck cannot be chosen, and its study page is not found.
    let private = create_deck(&mut teacher, "Drafts", "private").await;
    assert_eq!(
        ben.call("study/start", &[("deck_id", &private)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ben.get(&format!("/study/{private}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn reviews_arriving_together_share_a_transaction_and_a_bad_one_fails_alone() {
    use app::study::{scheduler::Phase, writer::ReviewWriter, ReviewInput};

    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Capitals", "public").await;
    let peru = add_card(&mut teacher, &pool, &deck, "Capital of Peru?").await;
    let chile = add_card(&mut teacher, &pool, &deck, "Capital of Chile?").await;
    let drafts = create_deck(&mut teacher, "Drafts", "private").await;
    let draft = add_card(&mut teacher, &pool, &drafts, "Capital of Bhutan?").await;
    let mut learners = Vec::new();
    for name in ["ana", "ben", "cy"] {
        let email = format!("{name}@example.org");
        let mut learner = member(&pool, &mut admin, &email, "learner").await;
        let response = learner.call("study/start", &[("deck_id", &deck)]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        let id: Uuid = sqlx::query_scalar("select id from users where email = $1")
            .bind(&email)
            .fetch_one(&pool)
            .await
            .unwrap();
        learners.push(id);
    }
    let now = now_ms() / 1000;
    let review = |card_id: Uuid, rating: i64| {
        ReviewInput {
            id: Uuid::new_v4(),
            card_id,
            rating: Some(rating),
            cancels: None,
            hold: None,
            reviewed_at_ms: (now - 60) * 1000,
            duration_ms: 3000,
        }
        .parse()
        .unwrap()
    };

    // Six requests at once, one review each: Ana answers Easy, the others
    // Again. They are all queued before a writer runs (this test's runtime
    // has one thread), so one transaction writes them all.
    let writer = ReviewWriter::start(pool.clone(), 4);
    let batch: Vec<(Uuid, Uuid, i64)> = learners
        .iter()
        .enumerate()
        .flat_map(|(index, &learner)| {
            let rating = if index == 0 { 4 } else { 1 };
            [(learner, peru, rating), (learner, chile, rating)]
        })
        .collect();
    let outcomes = futures::future::join_all(
        batch
            .iter()
            .map(|&(learner, card, rating)| writer.record(learner, vec![review(card, rating)], now)),
    )
    .await;
    assert_eq!(writer.transactions_committed(), 1);
    for (&(learner, card, rating), outcome) in batch.iter().zip(&outcomes) {
        let states = outcome.as_ref().unwrap();
        assert_eq!(states.len(), 1, "each request hears of its own card only");
        assert_eq!(states[0].card_id, card);
        let expected = if rating == 4 {
            Phase::Review
        } else {
            Phase::Learning
        };
        assert_eq!(
            states[0].state.as_ref().unwrap().phase,
            expected,
            "learner {learner}"
        );
    }
    let stored: Vec<(Uuid, String)> =
        sqlx::query_as("select learner_id, phase from card_states order by learner_id, card_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(stored.len(), 6);
    for (learner, phase) in stored {
        let expected = if learner == learners[0] {
            "review"
        } else {
            "learning"
        };
        assert_eq!(phase, expected);
    }

    // Ben's review of a card he cannot see arrives with three good ones:
    // the shared transaction fails, each is written alone, and only his
    // request hears of it. Nothing of his is stored.
    let burst = [
        (learners[0], peru),
        (learners[1], draft),
        (learners[2], peru),
        (learners[2], chile),
    ];
    let outcomes = futures::future::join_all(
        burst
            .iter()
            .map(|&(learner, card)| writer.record(learner, vec![review(card, 3)], now)),
    )
    .await;
    assert!(
        matches!(outcomes[1], Err(app::error::AppError::NotFound)),
        "{:?}",
        outcomes[1]
    );
    for index in [0, 2, 3] {
        assert!(outcomes[index].is_ok(), "{:?}", outcomes[index]);
    }
    assert_eq!(writer.transactions_committed(), 1 + 3);
    assert_eq!(stored_reviews(&pool, draft).await, 0);
    assert_eq!(stored_reviews(&pool, peru).await, 3 + 2);
}

/// A review that arrives while another device's transaction holds the
/// learner's lock on the card waits for it, and its replay then reads the
/// review that transaction stored: the read comes after the locks, in a
/// snapshot of its own (`record_reviews_and_read`), and not from a snapshot
/// taken before the wait, which would replay one review where there are two.
#[tokio::test]
async fn a_review_waiting_on_another_devices_lock_replays_what_that_device_stored() {
    use app::study::{scheduler::Phase, writer::ReviewWriter, ReviewInput};

    let (pool, mut learner, card) = learner_with_a_card().await;
    let learner_id: Uuid = learner.me().await["id"].as_str().unwrap().parse().unwrap();
    let now = now_ms() / 1000;

    // The other device: the lock, and a first answer (Good, ten minutes
    // ago), not yet committed.
    let mut phone = pool.begin().await.unwrap();
    sqlx::query("select pg_advisory_xact_lock(hashtextextended($1::text || $2::text, 0))")
        .bind(learner_id)
        .bind(card)
        .execute(&mut *phone)
        .await
        .unwrap();
    sqlx::query(
        "insert into reviews (id, learner_id, card_id, rating, reviewed_at, duration_ms)
         values ($1, $2, $3, 3, to_timestamp($4), 3000)",
    )
    .bind(Uuid::new_v4())
    .bind(learner_id)
    .bind(card)
    .bind((now - 600) as f64)
    .execute(&mut *phone)
    .await
    .unwrap();

    // This device answers Good a minute ago, and waits for the lock.
    let writer = ReviewWriter::start(pool.clone(), 1);
    let review = ReviewInput {
        id: Uuid::new_v4(),
        card_id: card,
        rating: Some(3),
        cancels: None,
        hold: None,
        reviewed_at_ms: (now - 60) * 1000,
        duration_ms: 3000,
    }
    .parse()
    .unwrap();
    let laptop = tokio::spawn(async move { writer.record(learner_id, vec![review], now).await });
    finished_or_waiting(&pool, &laptop).await;
    assert!(
        !laptop.is_finished(),
        "the review must wait for the other device's lock"
    );
    phone.commit().await.unwrap();

    let states = laptop.await.unwrap().unwrap();
    let state = states[0].state.as_ref().unwrap();
    assert_eq!(state.reps, 2, "both answers replayed: {state:?}");
    // Good twice, ten minutes apart: through both learning steps.
    assert_eq!(state.phase, Phase::Review, "{state:?}");
    let stored: i32 =
        sqlx::query_scalar("select reps from card_states where learner_id = $1 and card_id = $2")
            .bind(learner_id)
            .bind(card)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 2);
}

#[tokio::test]
async fn bad_reviews_are_refused_with_a_reason_and_nothing_is_stored() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let now = now_ms();
    let mut cases = vec![
        (vec![rating(card, 5, now)], StatusCode::BAD_REQUEST, "1 to 4"),
        (
            vec![rating(Uuid::new_v4(), 3, now)],
            StatusCode::NOT_FOUND,
            "NotFound",
        ),
        // Refused for now: stored once the server's clock has caught up.
        (
            vec![rating(card, 3, now + 3_600_000)],
            StatusCode::CONFLICT,
            "later than the server's time",
        ),
        // Refused for good, with reasons the study page shows as they are.
        (
            vec![rating(card, 3, now - 2 * 86_400_000)],
            StatusCode::BAD_REQUEST,
            "dated before its card was made",
        ),
        (
            vec![rating(card, 3, 900_000_000_000)],
            StatusCode::BAD_REQUEST,
            "dated before the year 2000",
        ),
        (
            vec![rating(card, 3, now), rating(card, 9, now)],
            StatusCode::BAD_REQUEST,
            "1 to 4",
        ),
    ];
    cases.push((
        vec![rating(card, 3, now); 501],
        StatusCode::PAYLOAD_TOO_LARGE,
        r#""limit":500"#,
    ));
    for (batch, status, reason) in cases {
        let response = submit(&mut learner, &batch).await;
        assert_eq!(response.status, status, "{}", response.body);
        assert!(response.body.contains(reason), "{reason}: {}", response.body);
    }
    assert_eq!(
        stored_reviews(&pool, card).await,
        0,
        "a refused batch stores nothing"
    );

    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(
        submit(&mut visitor, &[rating(card, 3, now)]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn queue(app: &mut TestApp, deck_id: &str) -> support::TestResponse {
    app.get_json(&format!("/api/study/queue?deck_id={deck_id}")).await
}

/// The fronts of the queue's cards, in order, and each card's phase.
fn queued(response: &support::TestResponse) -> Vec<(String, String)> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| {
            let front = card["front_html"].as_str().unwrap();
            let text = front
                .trim_start_matches("<p>")
                .trim_end()
                .trim_end_matches("</p>");
            (
                text.to_owned(),
                card["state"]["phase"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn todays_queue_puts_learning_cards_first_and_keeps_to_the_new_card_limit() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let mut cards = Vec::new();
    for number in 1..=22 {
        cards.push(add_card(&mut learner, &pool, &deck, &format!("word {number:02}")).await);
    }
    // A subdeck's cards are part of the deck's session.
    let subdeck = support::create_subdeck(&mut learner, &deck, "Verbs").await;
    add_card(&mut learner, &pool, &subdeck, "comer").await;

    let first = queued(&queue(&mut learner, &deck).await);
    assert_eq!(first.len(), 20, "twenty new cards a day");
    assert!(first.iter().all(|(_, phase)| phase == "new"));
    assert_eq!(first[0].0, "word 01");

    // Two cards answered: one Again (learning, due in a minute), one Easy
    // (a review days away). The learning card comes first; the day's new
    // limit counts the two cards met today.
    let now = now_ms();
    submit(
        &mut learner,
        &[
            rating(cards[0], 1, now - 120_000),
            rating(cards[1], 4, now - 60_000),
        ],
    )
    .await;
    let second = queued(&queue(&mut learner, &deck).await);
    assert_eq!(second[0], ("word 01".to_owned(), "learning".to_owned()));
    assert!(
        !second.iter().any(|(front, _)| front == "word 02"),
        "the review is not due today"
    );
    assert_eq!(second.iter().filter(|(_, phase)| phase == "new").count(), 18);
}

/// New cards come in the order they were written across a deck and its
/// subdecks, each deck read from the front of its range: the day's limit
/// is taken from all of them together, after suspended cards are left out.
#[tokio::test]
async fn new_cards_come_in_the_order_they_were_written_across_subdecks() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let subdeck = support::create_subdeck(&mut learner, &deck, "Verbs").await;
    // Written in turn: the deck, its subdeck, the deck, and so on.
    let mut cards = Vec::new();
    for (number, into) in [&deck, &subdeck, &deck, &subdeck, &deck].into_iter().enumerate() {
        cards.push(add_card(&mut learner, &pool, into, &format!("card {}", number + 1)).await);
    }
    let new_fronts = async |learner: &mut TestApp| -> Vec<String> {
        queued(&queue(learner, &deck).await)
            .into_iter()
            .map(|(front, phase)| {
                assert_eq!(phase, "new");
                front
            })
            .collect()
    };
    assert_eq!(
        new_fronts(&mut learner).await,
        ["card 1", "card 2", "card 3", "card 4", "card 5"]
    );

    let saved = learner.call("study/preset", &preset_form(&deck, "3", &[])).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(new_fronts(&mut learner).await, ["card 1", "card 2", "card 3"]);
    assert_eq!(
        hold(&mut learner, cards[0], "Suspend").await.status,
        StatusCode::OK
    );
    assert_eq!(new_fronts(&mut learner).await, ["card 2", "card 3", "card 4"]);
}

#[tokio::test]
async fn a_queue_is_only_for_decks_the_learner_studies() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let public = create_deck(&mut teacher, "Capitals", "public").await;
    add_card(&mut teacher, &pool, &public, "Capital of Peru?").await;
    let private = create_deck(&mut teacher, "Drafts", "private").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;

    assert_eq!(queue(&mut learner, &public).await.status, StatusCode::NOT_FOUND);
    assert_eq!(queue(&mut learner, &private).await.status, StatusCode::NOT_FOUND);
    learner.call("study/start", &[("deck_id", &public)]).await;
    assert_eq!(
        queued(&queue(&mut learner, &public).await),
        [("Capital of Peru?".to_owned(), "new".to_owned())]
    );
    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(
        queue(&mut visitor, &public).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A published course, made by `teacher`, whose one lesson holds `deck`.
/// Answers the course's id.
async fn published_course_with_lesson_deck(
    teacher: &mut TestApp,
    pool: &PgPool,
    slug: &str,
    deck: &str,
) -> String {
    let created = support::create_course(teacher, "A course", slug).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let course = support::course_id(pool, slug).await;
    let lesson = teacher
        .call(
            "courses/lessons/create",
            &[("course_id", &course), ("title", "One")],
        )
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    let attached = teacher
        .call(
            "courses/lessons/attach",
            &[("lesson_id", &lesson), ("deck_id", deck)],
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let published = teacher
        .call(
            "courses/status",
            &[("course_id", &course), ("status", "published")],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    course
}

#[tokio::test]
async fn an_enrolled_learner_studies_the_decks_of_the_course() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Greetings deck", "unlisted").await;
    let card = add_card(&mut teacher, &pool, &deck, "hola").await;
    let course = published_course_with_lesson_deck(&mut teacher, &pool, "spanish-basics", &deck).await;

    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let now = now_ms();
    assert_eq!(queue(&mut learner, &deck).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        learner
            .call("courses/enrol", &[("course_id", &course)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        queued(&queue(&mut learner, &deck).await),
        [("hola".to_owned(), "new".to_owned())]
    );
    let state = state_of(&submit(&mut learner, &[rating(card, 3, now)]).await, card);
    assert_eq!(state["phase"], "learning");
}

/// The id of the deck `card` is in.
async fn deck_of(pool: &PgPool, card: Uuid) -> String {
    sqlx::query_scalar("select deck_id::text from cards where id = $1")
        .bind(card)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn hold(app: &mut TestApp, card: Uuid, hold: &str) -> support::TestResponse {
    app.call("study/hold", &[("card_id", &card.to_string()), ("hold", hold)])
        .await
}

#[tokio::test]
async fn a_learner_suspends_and_buries_cards_of_their_own_queue() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let deck = deck_of(&pool, card).await;
    assert_eq!(queued(&queue(&mut learner, &deck).await).len(), 1);

    assert_eq!(hold(&mut learner, card, "Suspend").await.status, StatusCode::OK);
    assert!(
        queued(&queue(&mut learner, &deck).await).is_empty(),
        "a suspended card waits"
    );
    assert_eq!(hold(&mut learner, card, "Unsuspend").await.status, StatusCode::OK);
    assert_eq!(queued(&queue(&mut learner, &deck).await).len(), 1);

    assert_eq!(hold(&mut learner, card, "Bury").await.status, StatusCode::OK);
    assert!(
        queued(&queue(&mut learner, &deck).await).is_empty(),
        "buried for today"
    );
    // Buried until the learner's next day begins (in UTC: they have no zone).
    let (until, day_starts_at): (time::OffsetDateTime, i16) = sqlx::query_as(
        "select f.buried_until, u.day_starts_at
         from card_flags f join users u on u.id = f.learner_id where f.card_id = $1",
    )
    .bind(card)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((until.hour(), until.minute()), (day_starts_at as u8, 0));
    assert!(until > time::OffsetDateTime::now_utc());
    assert!(until - time::OffsetDateTime::now_utc() <= time::Duration::days(1));

    // Another learner's card cannot be held.
    let mut admin = admin(&pool).await;
    let mut other = member(&pool, &mut admin, "other@example.org", "learner").await;
    assert_eq!(
        hold(&mut other, card, "Suspend").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A card held by hand at `at_ms`, as a browser's outbox sends it.
fn held(card_id: Uuid, hold: &str, at_ms: i64) -> Value {
    json!({ "id": Uuid::new_v4(), "card_id": card_id, "hold": hold, "reviewed_at_ms": at_ms })
}

#[tokio::test]
async fn cards_held_without_a_connection_are_held_when_the_outbox_sends_them() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let mut cards = Vec::new();
    for front in ["uno", "dos", "tres"] {
        cards.push(add_card(&mut learner, &pool, &deck, front).await);
    }
    let fronts = |response: &support::TestResponse| -> Vec<String> {
        queued(response).into_iter().map(|(front, _)| front).collect()
    };
    let now = now_ms();
    // Rated, suspended, and buried two days ago (that day is over), in one
    // batch, as an outbox sends what waited while offline; sent twice.
    let batch = [
        rating(cards[0], 3, now - 60_000),
        held(cards[1], "Suspend", now - 120_000),
        held(cards[2], "Bury", now - 2 * 86_400_000),
    ];
    for _ in 0..2 {
        let response = submit(&mut learner, &batch).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        // A hold changes no card's state: only the rated card's is answered.
        assert_eq!(response.json().as_array().unwrap().len(), 1);
        assert_eq!(state_of(&response, cards[0])["phase"], "learning");
    }
    assert_eq!(fronts(&queue(&mut learner, &deck).await), ["uno", "tres"]);

    // Buried today: until the next day begins; a burial from a day that has
    // ended, arriving later, does not shorten it.
    submit_ok(&mut learner, &[held(cards[2], "Bury", now)]).await;
    submit_ok(&mut learner, &[held(cards[2], "Bury", now - 2 * 86_400_000)]).await;
    assert_eq!(fronts(&queue(&mut learner, &deck).await), ["uno"]);
    let until: time::OffsetDateTime =
        sqlx::query_scalar("select buried_until from card_flags where card_id = $1")
            .bind(cards[2])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(until > time::OffsetDateTime::now_utc());

    // A hold is no rating; and a batch holding another learner's card is
    // refused whole, holding nothing.
    let rated_hold = json!({ "id": Uuid::new_v4(), "card_id": cards[0], "rating": 3, "hold": "Bury", "reviewed_at_ms": now });
    assert_eq!(
        submit(&mut learner, &[rated_hold]).await.status,
        StatusCode::BAD_REQUEST
    );
    let mut other = member(&pool, &mut admin, "other@example.org", "learner").await;
    let other_deck = create_deck(&mut other, "French", "private").await;
    let theirs = add_card(&mut other, &pool, &other_deck, "un").await;
    let response = submit(
        &mut other,
        &[held(theirs, "Suspend", now), held(cards[0], "Suspend", now)],
    )
    .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.body);
    assert_eq!(fronts(&queue(&mut other, &other_deck).await), ["un"]);
    assert_eq!(fronts(&queue(&mut learner, &deck).await), ["uno"]);
}

/// The dashboard's counts for `deck_id`: (new, learning, review).
async fn dashboard_counts(app: &mut TestApp, deck_id: &str) -> (u64, u64, u64) {
    let response = app.get_json("/api/dashboard").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let dashboard = response.json();
    let deck = dashboard["studied"]
        .as_array()
        .unwrap()
        .iter()
        .find(|deck| deck["deck_id"] == deck_id)
        .unwrap_or_else(|| panic!("{deck_id} is not on the dashboard: {dashboard}"))
        .clone();
    let count = |kind: &str| deck["counts"][kind].as_u64().unwrap();
    (count("new"), count("learning"), count("review"))
}

/// The queue's counts, as the study page starts with them.
fn queue_counts(response: &support::TestResponse) -> (u64, u64, u64) {
    let cards = queued(response);
    let count = |phases: &[&str]| {
        cards
            .iter()
            .filter(|(_, phase)| phases.contains(&phase.as_str()))
            .count() as u64
    };
    (
        count(&["new"]),
        count(&["learning", "relearning"]),
        count(&["review"]),
    )
}

#[tokio::test]
async fn the_dashboard_counts_what_the_study_queue_holds_and_an_undone_first_answer_frees_the_new_card() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let mut cards = Vec::new();
    for number in 1..=22 {
        cards.push(add_card(&mut learner, &pool, &deck, &format!("word {number:02}")).await);
    }
    assert_eq!(dashboard_counts(&mut learner, &deck).await, (20, 0, 0));
    assert_eq!(queue_counts(&queue(&mut learner, &deck).await), (20, 0, 0));

    let now = now_ms();
    let easy = rating(cards[1], 4, now - 60_000);
    submit(&mut learner, &[rating(cards[0], 1, now - 120_000), easy.clone()]).await;
    // Two cards met today: eighteen new ones left, one in its steps.
    assert_eq!(dashboard_counts(&mut learner, &deck).await, (18, 1, 0));
    assert_eq!(queue_counts(&queue(&mut learner, &deck).await), (18, 1, 0));
    // The queue says what stands today, for the day's progress and summary:
    // two answers, one of them remembered, and the time they took.
    assert_eq!(
        queue(&mut learner, &deck).await.json()["studied_today"],
        json!({ "answers": 2, "remembered": 1, "time_ms": 2 * REVIEW_DURATION_MS })
    );

    // Undoing the Easy makes that card new again, and it no longer counts
    // against the day's new cards.
    let undo =
        json!({ "id": Uuid::new_v4(), "card_id": cards[1], "cancels": easy["id"], "reviewed_at_ms": now });
    submit(&mut learner, &[undo]).await;
    assert_eq!(dashboard_counts(&mut learner, &deck).await, (19, 1, 0));
    assert_eq!(queue_counts(&queue(&mut learner, &deck).await), (19, 1, 0));
    assert_eq!(
        queue(&mut learner, &deck).await.json()["studied_today"],
        json!({ "answers": 1, "remembered": 0, "time_ms": REVIEW_DURATION_MS })
    );

    // Someone else's public deck shows only once chosen, and stopping keeps
    // the reviews.
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let public = create_deck(&mut teacher, "Public words", "public").await;
    let public_card = add_card(&mut teacher, &pool, &public, "palabra").await;
    let listed = |dashboard: Value| {
        dashboard["studied"]
            .as_array()
            .unwrap()
            .iter()
            .any(|deck| deck["deck_id"] == public.as_str())
    };
    assert!(!listed(learner.get_json("/api/dashboard").await.json()));
    learner.call("study/start", &[("deck_id", &public)]).await;
    assert!(listed(learner.get_json("/api/dashboard").await.json()));
    assert_eq!(dashboard_counts(&mut learner, &public).await, (1, 0, 0));
    submit(&mut learner, &[rating(public_card, 3, now)]).await;
    learner.call("study/stop", &[("deck_id", &public)]).await;
    assert!(!listed(learner.get_json("/api/dashboard").await.json()));
    assert_eq!(stored_reviews(&pool, public_card).await, 1);
}

/// The dashboard counts a deck only as far as the day's limits (the rest
/// would not be shown), and still agrees with the study queue: suspended
/// cards are left out before the limit is reached, today's answers use it
/// up, and a deck's own preset sets it.
#[tokio::test]
async fn the_dashboard_counts_a_deck_up_to_the_days_limits_as_the_queue_does() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Big deck", "private").await;
    let mut cards = Vec::new();
    for number in 1..=12 {
        cards.push(add_card(&mut learner, &pool, &deck, &format!("word {number:02}")).await);
    }
    sqlx::query("update cards set created_at = now() - interval '30 days' where deck_id = $1::uuid")
        .bind(&deck)
        .execute(&pool)
        .await
        .unwrap();
    // Five cards answered Easy twenty days ago: reviews, due again by now.
    let long_ago = now_ms() - 20 * 86_400_000;
    let easy: Vec<Value> = cards[..5].iter().map(|&card| rating(card, 4, long_ago)).collect();
    assert_eq!(submit(&mut learner, &easy).await.status, StatusCode::OK);
    // One of the seven new cards suspended.
    assert_eq!(
        hold(&mut learner, cards[5], "Suspend").await.status,
        StatusCode::OK
    );

    let both = async |learner: &mut TestApp| {
        let dashboard = dashboard_counts(learner, &deck).await;
        let queue = queue_counts(&queue(learner, &deck).await);
        assert_eq!(dashboard, queue, "the dashboard and the queue disagree");
        dashboard
    };
    assert_eq!(both(&mut learner).await, (6, 0, 5), "within the default limits");

    // Two new cards and three reviews a day.
    let saved = learner
        .call(
            "study/preset",
            &preset_form(&deck, "2", &[("input[reviews_per_day]", "3")]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(both(&mut learner).await, (2, 0, 3), "the deck's own limits");

    // A review answered today uses one of the three.
    submit(&mut learner, &[rating(cards[0], 3, now_ms())]).await;
    assert_eq!(both(&mut learner).await, (2, 0, 2));
    // A new card met today uses one of the two.
    submit(&mut learner, &[rating(cards[6], 4, now_ms())]).await;
    assert_eq!(both(&mut learner).await, (1, 0, 2));
}

/// A phone suspends a card without a connection; meanwhile the learner
/// unsuspends it on their laptop. When the phone's outbox sends its older
/// suspension, the later choice stands.
#[tokio::test]
async fn a_suspension_sent_after_a_later_change_made_elsewhere_changes_nothing() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let deck = deck_of(&pool, card).await;
    let now = now_ms();
    submit_ok(&mut learner, &[held(card, "Suspend", now - 20 * MINUTE_MS)]).await;
    assert!(queued(&queue(&mut learner, &deck).await).is_empty());
    // The laptop: unsuspended five minutes ago.
    submit_ok(&mut learner, &[held(card, "Unsuspend", now - 5 * MINUTE_MS)]).await;
    assert_eq!(queued(&queue(&mut learner, &deck).await).len(), 1);
    // The phone's suspension from ten minutes ago arrives now, twice.
    for _ in 0..2 {
        submit_ok(&mut learner, &[held(card, "Suspend", now - 10 * MINUTE_MS)]).await;
        assert_eq!(
            queued(&queue(&mut learner, &deck).await).len(),
            1,
            "an older suspension does not undo a later unsuspension"
        );
    }
    // Two changes in one batch: the later one stands, in whatever order
    // they come.
    submit_ok(
        &mut learner,
        &[
            held(card, "Suspend", now - 2 * MINUTE_MS),
            held(card, "Unsuspend", now - 3 * MINUTE_MS),
        ],
    )
    .await;
    assert!(queued(&queue(&mut learner, &deck).await).is_empty());
    // A change made now, online, stands over all of them.
    assert_eq!(hold(&mut learner, card, "Unsuspend").await.status, StatusCode::OK);
    assert_eq!(queued(&queue(&mut learner, &deck).await).len(), 1);
}

/// Posts a form as a browser without JavaScript does (it asks for a page).
async fn post_form(app: &mut TestApp, path: &str, form: &[(&str, &str)]) -> support::TestResponse {
    app.post(
        path,
        "application/x-www-form-urlencoded",
        "text/html",
        support::encode_form(form),
    )
    .await
}

#[tokio::test]
async fn a_rating_posted_without_javascript_is_recorded_once_and_can_be_undone() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let deck = deck_of(&pool, card).await;
    let review_id = Uuid::new_v4().to_string();
    let shown_at = (now_ms() - 5_000).to_string();
    let form = [
        ("deck_id", deck.as_str()),
        ("card_id", &card.to_string()),
        ("review_id", &review_id),
        ("rating", "3"),
        ("shown_at_ms", &shown_at),
    ];
    for _ in 0..2 {
        let response = post_form(&mut learner, "/api/study/answer", &form).await;
        assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
        assert_eq!(
            response.header("location"),
            Some(format!("/study/{deck}?undo={review_id}").as_str())
        );
    }
    assert_eq!(
        stored_reviews(&pool, card).await,
        1,
        "a form sent twice is one review"
    );
    let duration: i32 = sqlx::query_scalar("select duration_ms from reviews where id = $1::uuid")
        .bind(&review_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!((5_000..60_000).contains(&duration), "{duration}");
    assert_eq!(queue_counts(&queue(&mut learner, &deck).await), (0, 1, 0));

    // Another learner can neither undo it nor learn that it exists.
    let mut admin = admin(&pool).await;
    let mut other = member(&pool, &mut admin, "other@example.org", "learner").await;
    let response = other
        .call("study/undo", &[("deck_id", &deck), ("review_id", &review_id)])
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.body);
    assert_eq!(stored_reviews(&pool, card).await, 1);

    let response = post_form(
        &mut learner,
        "/api/study/undo",
        &[("deck_id", &deck), ("review_id", &review_id)],
    )
    .await;
    assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
    assert_eq!(
        response.header("location"),
        Some(format!("/study/{deck}").as_str())
    );
    assert_eq!(
        queue_counts(&queue(&mut learner, &deck).await),
        (1, 0, 0),
        "the card is new again"
    );

    // A rating outside 1–4 is refused, and nothing is stored.
    let bad_id = Uuid::new_v4().to_string();
    let response = learner
        .call(
            "study/answer",
            &[
                ("deck_id", &deck),
                ("card_id", &card.to_string()),
                ("review_id", &bad_id),
                ("rating", "7"),
                ("shown_at_ms", &shown_at),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(response.body.contains("a rating is 1 to 4"), "{}", response.body);
    assert_eq!(
        stored_reviews(&pool, card).await,
        2,
        "the rating and its undo, nothing more"
    );
}

/// Without JavaScript, a card buried or suspended from the study page goes
/// back to a page that offers to take the hold back, as the hydrated page
/// does with `u`.
#[tokio::test]
async fn a_card_held_without_javascript_can_be_taken_back_from_the_page_it_returns_to() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let deck = deck_of(&pool, card).await;
    let card_id = card.to_string();
    for (hold, undone, label) in [
        ("Bury", "Unbury", "Undo bury"),
        ("Suspend", "Unsuspend", "Undo suspend"),
    ] {
        let form = [("card_id", card_id.as_str()), ("hold", hold), ("deck_id", &deck)];
        let response = post_form(&mut learner, "/api/study/hold", &form).await;
        assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
        let back = format!("/study/{deck}?held={card}&hold={hold}");
        assert_eq!(response.header("location"), Some(back.as_str()));
        assert_eq!(
            queue_counts(&queue(&mut learner, &deck).await),
            (0, 0, 0),
            "{hold}"
        );

        let page = learner.get(&back).await;
        assert!(page.body.contains(label), "{}", page.body);
        assert!(
            page.body.contains(&format!(r#"name="hold" value="{undone}""#)),
            "{}",
            page.body
        );
        let form = [
            ("card_id", card_id.as_str()),
            ("hold", undone),
            ("deck_id", &deck),
        ];
        let response = post_form(&mut learner, "/api/study/hold", &form).await;
        assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
        assert_eq!(
            response.header("location"),
            Some(format!("/study/{deck}").as_str())
        );
        assert_eq!(
            queue_counts(&queue(&mut learner, &deck).await),
            (1, 0, 0),
            "{hold} taken back"
        );
    }
    // Brought back from the deck's page (no study page named), the post goes
    // back to the page it came from, without an empty query's `?`.
    post_form(
        &mut learner,
        "/api/study/hold",
        &[("card_id", card_id.as_str()), ("hold", "Suspend")],
    )
    .await;
    let from_deck_page = post_plain(
        &mut learner,
        &format!("/decks/{deck}?"),
        "/api/study/hold",
        &[("card_id", card_id.clone()), ("hold", "Unsuspend".to_owned())],
    )
    .await;
    assert_eq!(
        from_deck_page.header("location"),
        Some(format!("http://127.0.0.1:3000/decks/{deck}").as_str())
    );
    assert_eq!(queue_counts(&queue(&mut learner, &deck).await), (1, 0, 0));

    // An address naming no hold that sets a card aside offers no undo.
    let page = learner
        .get(&format!("/study/{deck}?held={card}&hold=Unbury"))
        .await;
    assert!(!page.body.contains("Undo"), "{}", page.body);
}

#[tokio::test]
async fn a_study_form_refused_without_javascript_says_why_above_the_card() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let deck = deck_of(&pool, card).await;
    let study_page = format!("/study/{deck}");
    let refused_page = |response: support::TestResponse| {
        assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
        let page = response.location_path().unwrap();
        assert!(page.starts_with(&format!("{study_page}?")), "{page}");
        page.to_owned()
    };

    // A rating the page never offers (its form was changed).
    let shown_at = now_ms().to_string();
    let tampered = [
        ("deck_id", deck.as_str()),
        ("card_id", &card.to_string()),
        ("review_id", &Uuid::new_v4().to_string()),
        ("rating", "7"),
        ("shown_at_ms", &shown_at),
    ];
    let location = refused_page(
        learner
            .post_form_from(&study_page, "/api/study/answer", &tampered)
            .await,
    );
    let page = learner.get(&location).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(
            "Your answer was not saved. The form sent was not one this page offers; answer the card below."
        ),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("data-card-id=\"{card}\"")),
        "the card is still there to answer"
    );
    assert_eq!(stored_reviews(&pool, card).await, 0);

    // Taking back a rating that is not there (undone already, from another tab).
    let undo = [
        ("deck_id", deck.as_str()),
        ("review_id", &Uuid::new_v4().to_string()),
    ];
    let location = refused_page(
        learner
            .post_form_from(&study_page, "/api/study/undo", &undo)
            .await,
    );
    let page = learner.get(&location).await;
    assert!(
        page.body
            .contains("The rating was not taken back. That card or rating is no longer there."),
        "{}",
        page.body
    );

    // The page itself says nothing of the kind.
    let page = learner.get(&study_page).await;
    assert!(!page.body.contains("refused-post"), "{}", page.body);
}

/// The dashboard finds the learner's day in SQL (`learner_day_start`); the
/// study queue finds it in Rust (`DayClock`). Both must put every instant in
/// the same day, in zones east and west, with half and quarter hours and
/// summer time, at the day's first and last second.
#[tokio::test]
async fn the_database_and_the_scheduler_agree_on_when_a_learners_day_begins() {
    use app::study::scheduler::DayClock;

    let pool = support::fresh_database().await;
    let zones = [
        "UTC",
        "America/New_York",
        "Asia/Kolkata",
        "Pacific/Chatham",
        "Pacific/Kiritimati",
        "America/St_Johns",
    ];
    // Around a summer-time change in New York (2026-03-08) and the rest of the year.
    let instants = [
        1_772_953_200_i64,
        1_772_960_399,
        1_772_960_400,
        1_796_011_199,
        1_796_011_200,
        1_796_065_236,
    ];
    for zone in zones {
        for hour in [0_i16, 4, 23] {
            for at in instants {
                let (start, offset): (i64, i32) = sqlx::query_as(
                    "select extract(epoch from learner_day_start($1, $2, to_timestamp($3)))::bigint,
                            learner_utc_offset($1, to_timestamp($3))",
                )
                .bind(zone)
                .bind(hour)
                .bind(at as f64)
                .fetch_one(&pool)
                .await
                .unwrap();
                let clock = DayClock {
                    utc_offset_seconds: offset,
                    rollover_hour: hour as u8,
                };
                let expected = clock.day_start(clock.day_number(at));
                assert_eq!(start, expected, "{zone}, day from {hour}h, at {at}");
                assert!(start <= at && at < start + 86_400, "{zone}, {hour}h, {at}");
            }
        }
    }
}

#[tokio::test]
async fn a_learners_days_begin_at_their_own_hour_in_their_own_time_zone() {
    let (pool, mut learner, card) = learner_with_a_card().await;
    let deck = deck_of(&pool, card).await;
    // The browser's zone is taken while the learner has none…
    let adopted = learner
        .call("settings/adopt-time-zone", &[("zone", "Asia/Kolkata")])
        .await;
    assert_eq!(adopted.json(), json!(true), "{}", adopted.body);
    // …but never over one they have, and an unknown one is ignored.
    let again = learner
        .call("settings/adopt-time-zone", &[("zone", "Europe/Madrid")])
        .await;
    assert_eq!(again.json(), json!(false));
    let unknown = learner
        .call("settings/adopt-time-zone", &[("zone", "Mars/Olympus_Mons")])
        .await;
    assert_eq!(unknown.json(), json!(false));
    let day_starts_at: i16 =
        sqlx::query_scalar("select day_starts_at from users where email = 'learner@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let clock = queue(&mut learner, &deck).await.json()["clock"].clone();
    assert_eq!(
        clock,
        json!({ "utc_offset_seconds": 19_800, "rollover_hour": day_starts_at })
    );

    // A choice in the settings: an unknown zone or hour is refused next to its field.
    let refused = learner
        .call(
            "settings/study-days",
            &[
                ("input[time_zone]", "Mars/Olympus_Mons"),
                ("input[day_starts_at]", "3"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("time_zone"), "{}", refused.body);
    let refused = learner
        .call(
            "settings/study-days",
            &[("input[time_zone]", "UTC"), ("input[day_starts_at]", "24")],
        )
        .await;
    assert!(refused.body.contains("day_starts_at"), "{}", refused.body);
    // Both at once are both said, each next to its field.
    let refused = learner
        .call(
            "settings/study-days",
            &[
                ("input[time_zone]", "Mars/Olympus_Mons"),
                ("input[day_starts_at]", "24"),
            ],
        )
        .await;
    assert!(
        refused.body.contains("That is not a time zone we know.")
            && refused.body.contains("Choose an hour from 0 to 23."),
        "{}",
        refused.body
    );
    let saved = learner
        .call(
            "settings/study-days",
            &[
                ("input[time_zone]", "Pacific/Kiritimati"),
                ("input[day_starts_at]", "6"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // A card rated Easy is due at the start of a learner's day: 6 a.m. at UTC+14.
    let state = state_of(&submit(&mut learner, &[rating(card, 4, now_ms())]).await, card);
    let due = state["due"].as_i64().unwrap();
    assert_eq!((due + 14 * 3_600).rem_euclid(86_400), 6 * 3_600, "{state}");
}

#[tokio::test]
async fn study_options_refused_without_javascript_come_back_as_typed_with_their_messages() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Spanish", "private").await;
    let deck_page = format!("/decks/{deck}");
    let hostile = r#"abc"><script>alert(1)</script></title>"#;
    let form = preset_form(&deck, "-5", &[("input[desired_retention]", hostile)]);
    let response = teacher
        .post_form_from(&deck_page, "/api/study/preset", &form)
        .await;
    assert_eq!(response.status, StatusCode::FOUND, "{}", response.body);
    let waiting = response.header("location").unwrap().to_owned();
    assert_eq!(waiting, format!("{deck_page}?unsaved=1"));

    // The form as typed, each message beside its field in full.
    let page = teacher.get(&waiting).await.body;
    // What was typed comes back escaped, never as markup.
    assert!(
        page.contains(r#"value="abc&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/title&gt;""#)
            && page.contains(r#"value="-5""#),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        page.contains("Desired retention must be between 0.70 and 0.99.")
            && page.contains("New cards a day must be a whole number from 0 to"),
        "{page}"
    );
    // Kept for that one view: the stored options show next time.
    let page = teacher.get(&waiting).await.body;
    assert!(!page.contains("alert(1)"), "{page}");
    assert!(page.contains(r#"value="0.90""#), "{page}");
}

fn preset_form<'a>(
    deck_id: &'a str,
    new_per_day: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("deck_id", deck_id),
        ("input[desired_retention]", "0.90"),
        ("input[maximum_interval_days]", "36500"),
        ("input[new_cards_per_day]", new_per_day),
        ("input[reviews_per_day]", "200"),
        ("input[learning_steps]", "1m 10m"),
        ("input[relearning_steps]", "10m"),
        ("input[leech_threshold]", "2"),
        ("input[leech_action]", "suspend"),
    ];
    for &(key, value) in extra {
        match form.iter_mut().find(|(existing, _)| *existing == key) {
            Some(field) => field.1 = value,
            None => form.push((key, value)),
        }
    }
    form
}

#[tokio::test]
async fn a_decks_author_sets_its_study_options_and_every_learner_follows_them() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Public words", "public").await;
    for front in ["uno", "dos", "tres"] {
        add_card(&mut teacher, &pool, &deck, front).await;
    }
    // A reversed note: two cards, siblings.
    let response = teacher
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck),
                ("input[note_type]", "basic_reversed"),
                ("input[fields][0]", "perro"),
                ("input[fields][1]", "dog"),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);

    // Bad values are named next to their fields; nothing is saved.
    let refused = teacher
        .call(
            "study/preset",
            &preset_form(&deck, "ten", &[("input[learning_steps]", "1x")]),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("new_cards_per_day") && refused.body.contains("learning_steps"));

    // Two new cards a day, buried siblings, leeches suspended after two lapses.
    let saved = teacher
        .call(
            "study/preset",
            &preset_form(&deck, "2", &[("input[bury_siblings]", "on")]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // Only the author may; a learner is refused and changes nothing.
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let refused = learner.call("study/preset", &preset_form(&deck, "50", &[])).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    learner.call("study/start", &[("deck_id", &deck)]).await;
    let first = queue(&mut learner, &deck).await;
    assert_eq!(queue_counts(&first), (2, 0, 0), "the deck's own new-card limit");
    assert_eq!(first.json()["preset"]["new_cards_per_day"], 2);
    assert_eq!(first.json()["preset"]["bury_siblings"], true);

    // Answering one card of the reversed note buries the other until tomorrow.
    let perro: Vec<Uuid> = sqlx::query_scalar(
        "select c.id from cards c join notes n on n.id = c.note_id where n.fields[1] = 'perro' order by c.ordinal",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let answer = rating(perro[0], 3, now_ms());
    submit(&mut learner, std::slice::from_ref(&answer)).await;
    let sibling_buried = async || -> bool {
        sqlx::query_scalar(
            "select coalesce(buried_until > now(), false) from card_flags
             where learner_id = (select id from users where email = 'learner@example.org') and card_id = $1",
        )
        .bind(perro[1])
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert!(sibling_buried().await);

    // Undoing that answer brings the sibling back today.
    let undo = |answer: &Value| json!({ "id": Uuid::new_v4(), "card_id": perro[0], "cancels": answer["id"], "reviewed_at_ms": now_ms() });
    state_of(&submit(&mut learner, &[undo(&answer)]).await, perro[0]);
    assert!(!sibling_buried().await, "the undo left the sibling buried");

    // A rating undone in its own batch (both made offline) buries nothing.
    let taken_back = rating(perro[0], 3, now_ms());
    state_of(
        &submit(&mut learner, &[taken_back.clone(), undo(&taken_back)]).await,
        perro[0],
    );
    assert!(
        !sibling_buried().await,
        "a rating undone in its own batch buried the sibling"
    );
    // Nor does a rating that reaches the server after its day has ended.
    sqlx::query("update cards set created_at = now() - interval '30 days' where note_id = (select note_id from cards where id = $1)")
        .bind(perro[0])
        .execute(&pool)
        .await
        .unwrap();
    let sent_late = rating(perro[0], 3, now_ms() - 26 * 3_600_000);
    state_of(
        &submit(&mut learner, std::slice::from_ref(&sent_late)).await,
        perro[0],
    );
    assert!(
        !sibling_buried().await,
        "a rating made on a day now over buried the sibling"
    );
    state_of(&submit(&mut learner, &[undo(&sent_late)]).await, perro[0]);

    // A burial by hand is the learner's own: no undo lifts it.
    assert_eq!(hold(&mut learner, perro[1], "Bury").await.status, StatusCode::OK);
    let again = rating(perro[0], 3, now_ms());
    state_of(
        &submit(&mut learner, std::slice::from_ref(&again)).await,
        perro[0],
    );
    state_of(&submit(&mut learner, &[undo(&again)]).await, perro[0]);
    assert!(sibling_buried().await, "the undo lifted a burial made by hand");
    // The learner takes their burial back (undo on the study page): lifted.
    // An unburial lifts no burial that came with a sibling's rating, which
    // lasts until that rating is undone.
    assert_eq!(
        hold(&mut learner, perro[1], "Unbury").await.status,
        StatusCode::OK
    );
    assert!(!sibling_buried().await, "the unburial left the card buried");
    let buries = rating(perro[0], 3, now_ms());
    state_of(
        &submit(&mut learner, std::slice::from_ref(&buries)).await,
        perro[0],
    );
    assert!(sibling_buried().await);
    assert_eq!(
        hold(&mut learner, perro[1], "Unbury").await.status,
        StatusCode::OK
    );
    assert!(sibling_buried().await, "an unburial lifted a sibling's burial");
    state_of(&submit(&mut learner, &[undo(&buries)]).await, perro[0]);
    assert!(!sibling_buried().await);

    // The second lapse makes a leech: marked and, as the preset says, suspended.
    let card = perro[0];
    let start = now_ms() - 20 * 86_400_000;
    sqlx::query("update cards set created_at = now() - interval '30 days' where id = $1")
        .bind(card)
        .execute(&pool)
        .await
        .unwrap();
    let history: Vec<Value> = [(0, 4), (5, 1), (6, 4), (12, 1)]
        .into_iter()
        .map(|(day, grade)| rating(card, grade, start + day * 86_400_000))
        .collect();
    let state = state_of(&submit(&mut learner, &history).await, card);
    assert_eq!(state["lapses"], 2, "{state}");
    let flags = async || -> (bool, bool) {
        sqlx::query_as(
            "select leech, suspended from card_flags where card_id = $1 and learner_id = (select id from users where email = 'learner@example.org')",
        )
        .bind(card)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(flags().await, (true, true));

    // The learner takes it back by hand. A lapse made before that on
    // another device, sent only now, leaves it unsuspended…
    assert_eq!(hold(&mut learner, card, "Unsuspend").await.status, StatusCode::OK);
    let made_before = [
        rating(card, 3, start + 13 * 86_400_000),
        rating(card, 1, now_ms() - 2 * MINUTE_MS),
    ];
    let state = state_of(&submit(&mut learner, &made_before).await, card);
    assert_eq!(state["lapses"], 3, "{state}");
    assert_eq!(
        flags().await,
        (true, false),
        "a lapse older than the unsuspension suspended the card"
    );
    // …and one made after it suspends the card again.
    let made_after = [
        rating(card, 3, now_ms() + 1_000),
        rating(card, 1, now_ms() + 2_000),
    ];
    let state = state_of(&submit(&mut learner, &made_after).await, card);
    assert_eq!(state["lapses"], 4, "{state}");
    assert_eq!(flags().await, (true, true));
    // Undoing that lapse lifts the suspension it brought; the card, with
    // three lapses, is still a leech.
    let state = state_of(&submit(&mut learner, &[undo(&made_after[1])]).await, card);
    assert_eq!(state["lapses"], 3, "{state}");
    assert_eq!(
        flags().await,
        (true, false),
        "undoing the lapse that suspended the leech left it suspended"
    );
    // A suspension by hand is the learner's own: undoing a lapse made
    // before it leaves it.
    let lapse = rating(card, 1, now_ms() + 3_000);
    state_of(&submit(&mut learner, std::slice::from_ref(&lapse)).await, card);
    assert_eq!(flags().await, (true, true));
    assert_eq!(hold(&mut learner, card, "Unsuspend").await.status, StatusCode::OK);
    assert_eq!(hold(&mut learner, card, "Suspend").await.status, StatusCode::OK);
    state_of(&submit(&mut learner, &[undo(&lapse)]).await, card);
    assert_eq!(
        flags().await,
        (true, true),
        "an undo lifted a suspension made by hand"
    );
    // The teacher's note is not tagged for one learner's trouble.
    let tags: Vec<String> =
        sqlx::query_scalar("select n.tags from notes n join cards c on c.note_id = n.id where c.id = $1")
            .bind(card)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(tags.is_empty(), "{tags:?}");
}

/// Review submissions check access with one walk up the deck tree for the
/// whole batch (`review_replay_inputs_of`); the queue, statistics and
/// access rules use `studied_decks`. Every card studied must be accepted by
/// both, with the same preset deck as `top_level_deck`; submissions also
/// accept a card still shared with the learner that they do not study (a
/// review made before they stopped, on another device), and nothing else.
#[tokio::test]
async fn review_submissions_accept_the_cards_a_learner_studies_and_those_still_shared_with_them() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    // The learner's own deck, and a subdeck under it.
    let own = create_deck(&mut learner, "Own", "private").await;
    let own_sub = create_deck(&mut learner, "Own sub", "private").await;
    support::make_subdeck(&pool, &own_sub, &own).await;
    // A teacher's public deck the learner studies, with a private subdeck
    // (studied through its parent) and a grandchild.
    let public = create_deck(&mut teacher, "Public", "public").await;
    let public_sub = create_deck(&mut teacher, "Public sub", "private").await;
    let public_grandchild = create_deck(&mut teacher, "Public grandchild", "private").await;
    support::make_subdeck(&pool, &public_sub, &public).await;
    support::make_subdeck(&pool, &public_grandchild, &public_sub).await;
    let started = learner.call("study/start", &[("deck_id", &public)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    // A deck once studied and since made private: no longer studied.
    let gone_private = create_deck(&mut teacher, "Gone private", "public").await;
    let started = learner.call("study/start", &[("deck_id", &gone_private)]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    sqlx::query("update decks set visibility = 'private' where id = $1::uuid")
        .bind(&gone_private)
        .execute(&pool)
        .await
        .unwrap();
    // A public deck nobody chose to study.
    let unstudied = create_deck(&mut teacher, "Unstudied", "public").await;
    // A course's lesson holds a subdeck; its parent is not in the course.
    let course_parent = create_deck(&mut teacher, "Course parent", "unlisted").await;
    let course_deck = create_deck(&mut teacher, "Course deck", "unlisted").await;
    let course_deck_child = create_deck(&mut teacher, "Course deck child", "unlisted").await;
    support::make_subdeck(&pool, &course_deck, &course_parent).await;
    support::make_subdeck(&pool, &course_deck_child, &course_deck).await;
    let course = published_course_with_lesson_deck(&mut teacher, &pool, "course", &course_deck).await;
    let enrolled = learner.call("courses/enrol", &[("course_id", &course)]).await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);

    // Two of the trees have study options of their own, set at their top.
    for deck in [&public, &course_parent] {
        let preset = teacher.call("study/preset", &preset_form(deck, "10", &[])).await;
        assert_eq!(preset.status, StatusCode::OK, "{}", preset.body);
    }

    let mut cards = Vec::new();
    for deck in [&own, &own_sub] {
        cards.push(add_card(&mut learner, &pool, deck, &format!("card of {deck}")).await);
    }
    for deck in [
        &public,
        &public_sub,
        &public_grandchild,
        &gone_private,
        &unstudied,
        &course_parent,
        &course_deck,
        &course_deck_child,
    ] {
        cards.push(add_card(&mut teacher, &pool, deck, &format!("card of {deck}")).await);
    }

    let studied_by_rule = |learner: &'static str| {
        let pool = pool.clone();
        let cards = cards.clone();
        async move {
            sqlx::query_as::<_, (Uuid, bool, Option<Uuid>)>(
                "select c.id, c.deck_id in (select deck_id from studied_decks(u.id)),
                        (select p.deck_id from deck_presets p where p.deck_id = top_level_deck(c.deck_id))
                 from cards c, users u where c.id = any($1) and u.email = $2 order by c.id",
            )
            .bind(&cards)
            .bind(learner)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    for email in ["learner@example.org", "teacher@example.org"] {
        let expected = studied_by_rule(email).await;
        let learner_id: Uuid = sqlx::query_scalar("select id from users where email = $1")
            .bind(email)
            .fetch_one(&pool)
            .await
            .unwrap();
        // The writer asks for all of a batch's cards at once.
        let answered: Vec<(Uuid, Option<Uuid>)> = sqlx::query_as(
            "select card_id, preset_deck from review_replay_inputs_of($1, $2, now(), false)
             where card_id is not null order by card_id",
        )
        .bind(vec![learner_id; cards.len()])
        .bind(&cards)
        .fetch_all(&pool)
        .await
        .unwrap();
        // Shared with the learner but not studied: the public deck nobody
        // chose, and the unlisted parent of the course's deck. (The teacher
        // owns every deck of theirs, and the learner's are private.)
        let shared_not_studied: Vec<Uuid> = if email == "learner@example.org" {
            vec![cards[6], cards[7]]
        } else {
            Vec::new()
        };
        let by_rule: Vec<(Uuid, Option<Uuid>)> = expected
            .iter()
            .filter(|(card, studied, _)| *studied || shared_not_studied.contains(card))
            .map(|(card, _, top)| (*card, *top))
            .collect();
        assert_eq!(answered, by_rule, "{email}");
        if email == "learner@example.org" {
            // Own (2), the public tree (3), the unstudied public deck (1) and
            // the course's tree (3); not the deck made private.
            assert_eq!(answered.len(), 9, "{answered:?}");
            assert!(
                !answered.iter().any(|(card, _)| *card == cards[5]),
                "{answered:?}"
            );
            let with_preset = answered.iter().filter(|(_, preset)| preset.is_some()).count();
            assert_eq!(with_preset, 6, "{answered:?}");
        }
    }
}

/// The fronts of the new cards in `deck_id`'s queue, in order.
async fn new_fronts(app: &mut TestApp, deck_id: &str) -> Vec<String> {
    queued(&queue(app, deck_id).await)
        .into_iter()
        .filter(|(_, phase)| phase == "new")
        .map(|(front, _)| front)
        .collect()
}

/// Where the learner's new cards begin in `deck_id`: the front of the card
/// there, "front" or "end" (past the last card), or none without a frontier.
async fn frontier(pool: &PgPool, learner: &mut TestApp, deck_id: &str) -> Option<String> {
    let learner_id = learner.me().await["id"].as_str().unwrap().to_owned();
    sqlx::query_scalar(
        "select case when f.created_at = '-infinity' then 'front'
                     when f.created_at = 'infinity' then 'end'
                     else n.fields[1] end
         from new_card_frontiers f
         left join cards c on c.id = f.card_id
         left join notes n on n.id = c.note_id
         where f.learner_id = $1::uuid and f.deck_id = $2::uuid",
    )
    .bind(learner_id)
    .bind(deck_id)
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// New cards are read from where the learner's new cards begin in a deck,
/// so that a year of study costs no more than a day. Whatever makes a card
/// new to them again brings it back there, in its place: an undone first
/// answer, a suspension lifted, a card moved in from another deck, a card
/// written into a deck they have finished.
#[tokio::test]
async fn new_cards_start_where_the_learner_left_off_and_a_card_new_again_comes_back() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let mut cards = Vec::new();
    for number in 1..=8 {
        cards.push(add_card(&mut learner, &pool, &deck, &format!("word {number:02}")).await);
    }
    let words = |range: std::ops::RangeInclusive<usize>| -> Vec<String> {
        range.map(|number| format!("word {number:02}")).collect()
    };
    assert_eq!(frontier(&pool, &mut learner, &deck).await, None);
    assert_eq!(new_fronts(&mut learner, &deck).await, words(1..=8));

    let now = now_ms();
    let third = rating(cards[2], 3, now - 50 * MINUTE_MS);
    let answered = submit(
        &mut learner,
        &[
            rating(cards[0], 3, now - 52 * MINUTE_MS),
            rating(cards[1], 3, now - 51 * MINUTE_MS),
            third.clone(),
        ],
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(
        frontier(&pool, &mut learner, &deck).await.as_deref(),
        Some("word 04")
    );
    assert_eq!(new_fronts(&mut learner, &deck).await, words(4..=8));

    // Undoing the first answer of word 03 makes it new again, before word 04.
    let undo = json!({ "id": Uuid::new_v4(), "card_id": cards[2], "cancels": third["id"], "reviewed_at_ms": now - 49 * MINUTE_MS });
    assert_eq!(submit(&mut learner, &[undo]).await.status, StatusCode::OK);
    assert_eq!(
        frontier(&pool, &mut learner, &deck).await.as_deref(),
        Some("word 03")
    );
    assert_eq!(new_fronts(&mut learner, &deck).await, words(3..=8));

    // A suspended card is passed over; lifting the suspension brings it back.
    assert_eq!(
        hold(&mut learner, cards[3], "Suspend").await.status,
        StatusCode::OK
    );
    submit(&mut learner, &[rating(cards[2], 3, now - 48 * MINUTE_MS)]).await;
    assert_eq!(
        frontier(&pool, &mut learner, &deck).await.as_deref(),
        Some("word 05")
    );
    assert_eq!(new_fronts(&mut learner, &deck).await, words(5..=8));
    assert_eq!(
        hold(&mut learner, cards[3], "Unsuspend").await.status,
        StatusCode::OK
    );
    assert_eq!(new_fronts(&mut learner, &deck).await, words(4..=8));

    // A card moved in from another deck keeps its age, so it comes first.
    let other = create_deck(&mut learner, "Other", "private").await;
    let old_card = add_card(&mut learner, &pool, &other, "old word").await;
    sqlx::query("update cards set created_at = now() - interval '2 days' where id = $1")
        .bind(old_card)
        .execute(&pool)
        .await
        .unwrap();
    let old_card_text = old_card.to_string();
    let moved = learner
        .call(
            "browse/bulk",
            &[
                ("input[action]", "move"),
                ("input[card_ids][]", &old_card_text),
                ("input[deck_id]", &deck),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let mut expected = vec!["old word".to_owned()];
    expected.extend(words(4..=8));
    assert_eq!(new_fronts(&mut learner, &deck).await, expected);

    // Every card met: past the end, and a card written since is new.
    let rest: Vec<Value> = [old_card, cards[3], cards[4], cards[5], cards[6], cards[7]]
        .into_iter()
        .enumerate()
        .map(|(minute, card)| rating(card, 4, now - (40 - minute as i64) * MINUTE_MS))
        .collect();
    assert_eq!(submit(&mut learner, &rest).await.status, StatusCode::OK);
    assert_eq!(frontier(&pool, &mut learner, &deck).await.as_deref(), Some("end"));
    assert!(new_fronts(&mut learner, &deck).await.is_empty());
    assert_eq!(dashboard_counts(&mut learner, &deck).await.0, 0);
    support::add_basic_note(&mut learner, &deck, "word 09", "back", "").await;
    assert_eq!(new_fronts(&mut learner, &deck).await, words(9..=9));
    assert_eq!(dashboard_counts(&mut learner, &deck).await.0, 1);
}

/// Whatever happens to a deck's cards and a learner's hold on them, in any
/// order, the new cards read from the frontier are exactly those a full
/// reading of the deck finds. Random steps from a fixed seed, so that a
/// failure happens again the same way.
#[tokio::test]
async fn the_new_cards_read_from_a_frontier_are_those_a_full_reading_finds() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let decks = [
        create_deck(&mut teacher, "First", "public").await,
        create_deck(&mut teacher, "Second", "public").await,
        create_deck(&mut teacher, "Reserve", "public").await,
    ];
    for (index, deck) in decks.iter().enumerate() {
        for number in 0..12 {
            support::add_basic_note(&mut teacher, deck, &format!("card {index}-{number}"), "back", "").await;
        }
    }
    let learners: Vec<Uuid> = sqlx::query_scalar("select id from users order by email")
        .fetch_all(&pool)
        .await
        .unwrap();
    let cards: Vec<Uuid> = sqlx::query_scalar("select id from cards order by id")
        .fetch_all(&pool)
        .await
        .unwrap();

    // xorshift64: enough randomness for picking steps, and reproducible.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |below: usize| -> usize {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    };
    for step in 0..400 {
        let learner = learners[next(learners.len())];
        let card = cards[next(cards.len())];
        let (what, statement) = match next(8) {
            // As a learner studies: the first card they have not met and
            // not suspended, in the deck of the card picked.
            0 | 1 => (
                "meet the next",
                "insert into card_states (learner_id, card_id, phase, step, stability, difficulty,
                                          due_at, last_review_at, scheduled_days, reps, lapses)
                 select $1, c.id, 'review', 0, 3, 5, now() + interval '3 days', now(), 3, 1, 0
                 from cards c
                 where c.deck_id = (select deck_id from cards where id = $2)
                   and not exists (select 1 from card_states s where s.learner_id = $1 and s.card_id = c.id)
                   and not exists (select 1 from card_flags f where f.learner_id = $1 and f.card_id = c.id
                                     and f.suspended)
                 order by c.created_at, c.ordinal, c.id
                 limit 1",
            ),
            2 => (
                "meet",
                "insert into card_states (learner_id, card_id, phase, step, stability, difficulty,
                                          due_at, last_review_at, scheduled_days, reps, lapses)
                 values ($1, $2, 'review', 0, 3, 5, now() + interval '3 days', now(), 3, 1, 0)
                 on conflict do nothing",
            ),
            3 => ("forget", "delete from card_states where learner_id = $1 and card_id = $2"),
            4 => (
                "suspend or lift",
                "insert into card_flags (learner_id, card_id, suspended) values ($1, $2, true)
                 on conflict (learner_id, card_id) do update set suspended = not card_flags.suspended",
            ),
            5 => (
                "bury or lift",
                "insert into card_flags (learner_id, card_id, buried_until) values ($1, $2, now() + interval '1 day')
                 on conflict (learner_id, card_id) do update set buried_until =
                     case when card_flags.buried_until is null then now() + interval '1 day' end",
            ),
            6 => (
                "move",
                "update cards set deck_id = (select d.id from decks d where d.id <> cards.deck_id
                                             order by d.id offset ($1::text < $2::text)::int limit 1)
                 where id = $2",
            ),
            _ => (
                "re-date",
                "update cards set created_at = created_at - interval '1 minute' * (length($1::text) % 7 + 1)
                 where id = $2",
            ),
        };
        sqlx::query(statement)
            .bind(learner)
            .bind(card)
            .execute(&pool)
            .await
            .unwrap_or_else(|error| panic!("step {step} ({what}): {error}"));

        for learner in &learners {
            for deck in &decks {
                let (from_frontier, full_reading) = new_cards_both_ways(&pool, *learner, deck).await;
                assert_eq!(
                    from_frontier, full_reading,
                    "after step {step} ({what} {card} by {learner})"
                );
            }
        }
    }
    // The steps did move frontiers forward, or the test proves little.
    let moved: i64 =
        sqlx::query_scalar("select count(*) from new_card_frontiers where created_at <> '-infinity'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(moved > 0);

    // An account goes with its states, holds and frontiers.
    for learner in &learners {
        sqlx::query("delete from users where id = $1")
            .bind(learner)
            .execute(&pool)
            .await
            .unwrap();
    }
    let left: i64 = sqlx::query_scalar("select count(*) from new_card_frontiers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

/// A card moved into a deck is invisible to a learner until the move
/// commits. Had the learner's frontier moved past its place meanwhile, the
/// card would never be new to them: so a learner's transaction leaves the
/// frontier where it is while cards are being written into that deck.
#[tokio::test]
async fn a_card_arriving_while_the_learner_studies_the_deck_is_not_passed_over() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let other = create_deck(&mut learner, "Other", "private").await;
    let mut cards = Vec::new();
    for number in 1..=4 {
        cards.push(add_card(&mut learner, &pool, &deck, &format!("word {number}")).await);
    }
    let arriving = add_card(&mut learner, &pool, &other, "arriving").await;
    let now = now_ms();
    submit(
        &mut learner,
        &[
            rating(cards[0], 3, now - 2 * MINUTE_MS),
            rating(cards[1], 3, now - MINUTE_MS),
        ],
    )
    .await;
    assert_eq!(
        frontier(&pool, &mut learner, &deck).await.as_deref(),
        Some("word 3")
    );

    // The move, left open: the card's place is between word 3 and word 4.
    let mut moving = pool.begin().await.unwrap();
    sqlx::query(
        "update cards set deck_id = $2::uuid,
                          created_at = (select created_at + interval '1 millisecond' from cards where id = $3)
         where id = $1",
    )
    .bind(arriving)
    .bind(&deck)
    .bind(cards[2])
    .execute(&mut *moving)
    .await
    .unwrap();
    // Meanwhile the learner meets word 3.
    let answered = submit(&mut learner, &[rating(cards[2], 3, now)]).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    moving.commit().await.unwrap();

    assert_eq!(new_fronts(&mut learner, &deck).await, ["arriving", "word 4"]);
    // The next card met moves the frontier on.
    submit(&mut learner, &[rating(arriving, 3, now)]).await;
    assert_eq!(
        frontier(&pool, &mut learner, &deck).await.as_deref(),
        Some("word 4")
    );
}

/// The dashboard's functions keep one plan for every learner. With one
/// account owning nearly every deck (a large public catalogue), a plan made
/// from the average owner would read the whole table to find a learner's
/// own decks; the planner is told to expect a few decks per owner.
#[tokio::test]
async fn a_kept_plan_reads_one_owners_decks_through_the_owner_index_when_one_account_owns_most_decks() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    create_deck(&mut learner, "Spanish", "private").await;
    let mut catalogue = member(&pool, &mut admin, "catalogue@example.org", "teacher").await;
    let catalogue_id = catalogue.me().await["id"].as_str().unwrap().to_owned();
    sqlx::query(
        "insert into decks (owner_id, title, visibility)
         select $1::uuid, 'Deck ' || number, 'public' from generate_series(1, 1000) as number",
    )
    .bind(&catalogue_id)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("analyze decks").execute(&pool).await.unwrap();

    let mut connection = pool.acquire().await.unwrap();
    for statement in [
        "set plan_cache_mode = force_generic_plan",
        "prepare owned (uuid) as select d.id from decks d where d.owner_id = $1 and d.parent_id is null",
    ] {
        sqlx::query(statement).execute(&mut *connection).await.unwrap();
    }
    let learner_id = learner.me().await["id"].as_str().unwrap().to_owned();
    let plan: Vec<String> = sqlx::query_scalar(&format!("explain execute owned('{learner_id}')"))
        .fetch_all(&mut *connection)
        .await
        .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("decks_owner_idx"), "{plan}");
}

/// Waits until `task` has finished or a statement in this test's database
/// waits for a lock, so that a test can interleave transactions in a known
/// order.
async fn finished_or_waiting<T>(pool: &PgPool, task: &tokio::task::JoinHandle<T>) {
    for _ in 0..500 {
        let waiting: bool = sqlx::query_scalar(
            "select exists (select 1 from pg_stat_activity
                            where datname = current_database() and wait_event_type = 'Lock')",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if waiting || task.is_finished() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the statement neither finished nor waited");
}

/// Meets `card` for `learner`, as a first answer's saved state does.
const MEET: &str = "insert into card_states (learner_id, card_id, phase, step, stability, difficulty,
                                             due_at, last_review_at, scheduled_days, reps, lapses)
                    values ($1, $2, 'review', 0, 3, 5, now() + interval '3 days', now(), 3, 1, 0)";

/// The learner's new cards in `deck`, read from the frontier, and read in
/// full.
async fn new_cards_both_ways(pool: &PgPool, learner: Uuid, deck: &str) -> (Vec<Uuid>, Vec<Uuid>) {
    let from_frontier =
        sqlx::query_scalar("select card_id from new_cards_waiting($1, $2::uuid, now(), 1000)")
            .bind(learner)
            .bind(deck)
            .fetch_all(pool)
            .await
            .unwrap();
    let full_reading = sqlx::query_scalar(
        "select c.id from cards c
         where c.deck_id = $2::uuid
           and not exists (select 1 from card_states s where s.learner_id = $1 and s.card_id = c.id)
           and not exists (select 1 from card_flags f where f.learner_id = $1 and f.card_id = c.id
                             and (f.suspended or f.buried_until > now()))
         order by c.created_at, c.ordinal, c.id",
    )
    .bind(learner)
    .bind(deck)
    .fetch_all(pool)
    .await
    .unwrap();
    (from_frontier, full_reading)
}

/// A card made new again (its first answer undone) while it moves to
/// another deck is new in the deck it lands in, even when the learner's
/// other device meets cards of that deck meanwhile.
#[tokio::test]
async fn a_card_made_new_while_it_moves_to_another_deck_is_new_there() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let learner_id: Uuid = learner.me().await["id"].as_str().unwrap().parse().unwrap();
    let first = create_deck(&mut learner, "First", "private").await;
    let second = create_deck(&mut learner, "Second", "private").await;
    let mut words = Vec::new();
    for number in 1..=3 {
        words.push(add_card(&mut learner, &pool, &second, &format!("word {number}")).await);
    }
    // Its place, once moved, is between word 1 and word 2.
    let moving = add_card(&mut learner, &pool, &first, "moving").await;
    sqlx::query("update cards set created_at = (select created_at + interval '1 millisecond' from cards where id = $2) where id = $1")
        .bind(moving)
        .bind(words[0])
        .execute(&pool)
        .await
        .unwrap();
    for card in [words[0], moving] {
        sqlx::query(MEET)
            .bind(learner_id)
            .bind(card)
            .execute(&pool)
            .await
            .unwrap();
    }
    assert_eq!(
        frontier(&pool, &mut learner, &second).await.as_deref(),
        Some("word 2")
    );

    // The undo, left open.
    let mut undo = pool.begin().await.unwrap();
    sqlx::query("delete from card_states where learner_id = $1 and card_id = $2")
        .bind(learner_id)
        .bind(moving)
        .execute(&mut *undo)
        .await
        .unwrap();
    // The move, and a first answer in the deck it goes to.
    let move_pool = pool.clone();
    let second_deck = second.clone();
    let move_card = tokio::spawn(async move {
        sqlx::query("update cards set deck_id = $2::uuid where id = $1")
            .bind(moving)
            .bind(second_deck)
            .execute(&move_pool)
            .await
    });
    finished_or_waiting(&pool, &move_card).await;
    sqlx::query(MEET)
        .bind(learner_id)
        .bind(words[1])
        .execute(&pool)
        .await
        .unwrap();
    undo.commit().await.unwrap();
    move_card.await.unwrap().unwrap();

    let (from_frontier, full_reading) = new_cards_both_ways(&pool, learner_id, &second).await;
    assert_eq!(full_reading, [moving, words[2]]);
    assert_eq!(from_frontier, full_reading);
}

/// Two transactions of one learner meeting first cards in two decks in
/// opposite orders (two devices) neither wait on each other nor fail: a
/// frontier another transaction is moving stays where it is.
#[tokio::test]
async fn a_learners_two_devices_meeting_cards_of_two_decks_do_not_wait_on_each_other() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let learner_id: Uuid = learner.me().await["id"].as_str().unwrap().parse().unwrap();
    let decks = [
        create_deck(&mut learner, "First", "private").await,
        create_deck(&mut learner, "Second", "private").await,
    ];
    let mut cards = Vec::new();
    for (index, deck) in decks.iter().enumerate() {
        for number in 1..=3 {
            cards.push(add_card(&mut learner, &pool, deck, &format!("card {index}-{number}")).await);
        }
    }
    let (first, second) = (&cards[..3], &cards[3..]);

    let mut phone = pool.begin().await.unwrap();
    let mut laptop = pool.begin().await.unwrap();
    sqlx::query(MEET)
        .bind(learner_id)
        .bind(first[0])
        .execute(&mut *phone)
        .await
        .unwrap();
    sqlx::query(MEET)
        .bind(learner_id)
        .bind(second[0])
        .execute(&mut *laptop)
        .await
        .unwrap();
    let phone_second = second[1];
    let phone_meets = tokio::spawn(async move {
        let result = sqlx::query(MEET)
            .bind(learner_id)
            .bind(phone_second)
            .execute(&mut *phone)
            .await;
        (phone, result)
    });
    finished_or_waiting(&pool, &phone_meets).await;
    let laptop_meets = sqlx::query(MEET)
        .bind(learner_id)
        .bind(first[1])
        .execute(&mut *laptop)
        .await;
    assert!(laptop_meets.is_ok(), "{laptop_meets:?}");
    laptop.commit().await.unwrap();
    let (phone, phone_result) = phone_meets.await.unwrap();
    assert!(phone_result.is_ok(), "{phone_result:?}");
    phone.commit().await.unwrap();

    for deck in &decks {
        let (from_frontier, full_reading) = new_cards_both_ways(&pool, learner_id, deck).await;
        assert_eq!(full_reading.len(), 1);
        assert_eq!(from_frontier, full_reading);
    }
}

/// Saving a note that adds a card, and moving notes into a deck, wait for a
/// learner's transaction that is meeting cards of that deck before locking
/// anything it might need, so neither fails: here the learner's other
/// device tags the note (as a leech is tagged) and undoes the first answer
/// of the card being moved.
#[tokio::test]
async fn writing_cards_into_a_deck_waits_for_a_learner_meeting_its_cards_and_neither_fails() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let learner_id: Uuid = learner.me().await["id"].as_str().unwrap().parse().unwrap();
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let other = create_deck(&mut learner, "Other", "private").await;
    let word = add_card(&mut learner, &pool, &deck, "word").await;
    let created = learner
        .call(
            "notes/create",
            &[
                ("input[deck_id]", deck.as_str()),
                ("input[note_type]", "cloze"),
                ("input[fields][0]", "{{c1::Madrid}} is in Spain"),
                ("input[fields][1]", ""),
                ("input[tags]", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let cloze_note: Uuid = sqlx::query_scalar("select id from notes where fields[1] like '%Madrid%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let moving = add_card(&mut learner, &pool, &other, "moving").await;
    sqlx::query(MEET)
        .bind(learner_id)
        .bind(moving)
        .execute(&pool)
        .await
        .unwrap();

    // A note edit that adds a card, while the learner's other device meets
    // a card of the deck and then tags the note.
    let mut device = pool.begin().await.unwrap();
    sqlx::query(MEET)
        .bind(learner_id)
        .bind(word)
        .execute(&mut *device)
        .await
        .unwrap();
    // The same account, editing on its laptop.
    let mut editor = learner;
    let note_id = cloze_note.to_string();
    let edit = tokio::spawn(async move {
        let saved = editor
            .call(
                "notes/update",
                &[
                    ("note_id", note_id.as_str()),
                    ("input[fields][0]", "{{c1::Madrid}} is in {{c2::Spain}}"),
                    ("input[fields][1]", ""),
                    ("input[tags]", ""),
                ],
            )
            .await;
        (editor, saved)
    });
    finished_or_waiting(&pool, &edit).await;
    let tagged = sqlx::query("update notes set tags = array_append(tags, 'leech') where id = $1")
        .bind(cloze_note)
        .execute(&mut *device)
        .await;
    assert!(tagged.is_ok(), "{tagged:?}");
    device.commit().await.unwrap();
    let (mut editor, saved) = edit.await.unwrap();
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // Notes moved into the deck, while the other device meets a card of it
    // and undoes the first answer of the card being moved.
    let mut device = pool.begin().await.unwrap();
    let second_word = add_card(&mut editor, &pool, &deck, "second word").await;
    sqlx::query(MEET)
        .bind(learner_id)
        .bind(second_word)
        .execute(&mut *device)
        .await
        .unwrap();
    let moving_text = moving.to_string();
    let deck_for_move = deck.clone();
    let move_notes = tokio::spawn(async move {
        editor
            .call(
                "browse/bulk",
                &[
                    ("input[action]", "move"),
                    ("input[card_ids][]", moving_text.as_str()),
                    ("input[deck_id]", deck_for_move.as_str()),
                ],
            )
            .await
    });
    finished_or_waiting(&pool, &move_notes).await;
    let undone = sqlx::query("delete from card_states where learner_id = $1 and card_id = $2")
        .bind(learner_id)
        .bind(moving)
        .execute(&mut *device)
        .await;
    assert!(undone.is_ok(), "{undone:?}");
    device.commit().await.unwrap();
    let moved = move_notes.await.unwrap();
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

    let (from_frontier, full_reading) = new_cards_both_ways(&pool, learner_id, &deck).await;
    assert!(full_reading.contains(&moving), "{full_reading:?}");
    assert_eq!(from_frontier, full_reading);
}

/// Sends reviews that must be stored.
async fn submit_ok(app: &mut TestApp, reviews: &[Value]) {
    let response = submit(app, reviews).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

/// The state replaying `card`'s whole standing log gives `learner` today,
/// computed here from the log with the scheduler itself, and the state
/// stored for them: the two must always be equal.
async fn stored_and_whole_replay(pool: &PgPool, learner: Uuid, deck: Uuid, card: Uuid) -> (Value, Value) {
    use app::study::scheduler::{replay, Rating, Scheduler, SchedulingOptions};
    let now = now_ms() / 1000;
    let log: Vec<(i64, i16)> = sqlx::query_as(
        "select extract(epoch from r.reviewed_at)::bigint, r.rating from reviews r
         where r.learner_id = $1 and r.card_id = $2 and r.rating is not null
           and not exists (select 1 from reviews undo where undo.learner_id = r.learner_id
                             and undo.cancels = r.id and undo.card_id = r.card_id)
         order by r.reviewed_at, r.id",
    )
    .bind(learner)
    .bind(card)
    .fetch_all(pool)
    .await
    .unwrap();
    let log: Vec<(i64, Rating)> = log
        .into_iter()
        .map(|(at, rating)| (at, Rating::from_number(i64::from(rating)).unwrap()))
        .collect();
    let parameters: Vec<f32> =
        sqlx::query_scalar("select parameters from fsrs_parameters where learner_id = $1")
            .bind(learner)
            .fetch_optional(pool)
            .await
            .unwrap()
            .unwrap_or_default();
    let preset = app::study::db::deck_preset(pool, deck).await.unwrap();
    let clock = app::study::db::learner_clock(pool, learner, now).await.unwrap();
    let scheduler = Scheduler::new(SchedulingOptions {
        parameters,
        ..preset.scheduling
    })
    .unwrap();
    let whole = replay(&scheduler, card, &log, clock).unwrap().pop().map(|state| {
        let memory = state.memory.unwrap();
        json!([
            <&str>::from(state.phase),
            state.step,
            memory.stability,
            memory.difficulty,
            state.due,
            state.last_review,
            state.scheduled_days,
            state.reps,
            state.lapses
        ])
    });
    // Phase, step, stability, difficulty, due, last review, interval, reps, lapses.
    type Row = (String, i16, f32, f32, i64, i64, i32, i32, i32);
    let stored: Option<Row> = sqlx::query_as(
        "select phase, step, stability, difficulty, extract(epoch from due_at)::bigint,
                extract(epoch from last_review_at)::bigint, scheduled_days, reps, lapses
         from card_states where learner_id = $1 and card_id = $2",
    )
    .bind(learner)
    .bind(card)
    .fetch_optional(pool)
    .await
    .unwrap();
    let stored = stored.map(|row| json!([row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8]));
    (stored.unwrap_or(Value::Null), whole.unwrap_or(Value::Null))
}

/// A learner with a deck of their own of `count` cards, made a year ago so
/// that reviews can be dated over months.
async fn learner_with_old_cards(count: usize) -> (PgPool, TestApp, Uuid, Uuid, Vec<Uuid>) {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let mut cards = Vec::new();
    for index in 0..count {
        cards.push(add_card(&mut learner, &pool, &deck, &format!("word {index}")).await);
    }
    sqlx::query("update cards set created_at = now() - interval '400 days'")
        .execute(&pool)
        .await
        .unwrap();
    let learner_id = sqlx::query_scalar("select id from users where email = 'learner@example.org'")
        .fetch_one(&pool)
        .await
        .unwrap();
    (pool, learner, learner_id, deck.parse().unwrap(), cards)
}

fn undo(card_id: Uuid, cancels: &Value, at_ms: i64) -> Value {
    json!({ "id": Uuid::new_v4(), "card_id": card_id, "cancels": cancels, "reviewed_at_ms": at_ms })
}

/// Whatever arrives, in whatever order (ratings after the last one, ratings
/// dated between earlier ones, batches sent again, undos, an undo naming
/// another card's review) and whatever changes meanwhile (the deck's
/// options, the learner's parameters and time zone), every stored state is
/// the one replaying the card's whole log gives, with the options of the
/// card's latest review (a card not reviewed since the options changed
/// keeps its state until it is). The server carries most states forward
/// from the stored one; this is what makes that sound. Random steps from a
/// fixed seed, so that a failure happens again the same way.
#[tokio::test]
async fn every_stored_state_is_what_replaying_the_whole_log_gives() {
    let (pool, mut learner, learner_id, deck, cards) = learner_with_old_cards(4).await;
    let deck_text = deck.to_string();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: usize| -> usize {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    };
    let start = now_ms() - 300 * 24 * 60 * MINUTE_MS;
    let mut clock = start;
    let mut sent: Vec<Vec<Value>> = Vec::new();
    let mut ratings: Vec<Value> = Vec::new();
    // Cards not sent since the options last changed.
    let mut replayed_under_older_options = std::collections::HashSet::new();
    let mut checked = 0;
    for step in 0..160 {
        let card = cards[next(cards.len())];
        let (what, batch) = match next(12) {
            0..=4 => {
                // Ratings after the last one: minutes to weeks later.
                let mut batch = Vec::new();
                for _ in 0..=next(3) {
                    clock += [MINUTE_MS, 10 * MINUTE_MS, 1440 * MINUTE_MS, 10_000 * MINUTE_MS][next(4)];
                    batch.push(rating(cards[next(cards.len())], next(4) as i64 + 1, clock));
                }
                ratings.extend(batch.iter().cloned());
                ("rate", batch)
            }
            5 => {
                let at = start + (next(1_000_000) as i64 * (clock - start).max(1)) / 1_000_000;
                let batch = vec![rating(card, next(4) as i64 + 1, at)];
                ratings.extend(batch.iter().cloned());
                ("rate between earlier ratings", batch)
            }
            6 if !sent.is_empty() => ("send a batch again", sent[next(sent.len())].clone()),
            7 if !ratings.is_empty() => {
                let cancelled = &ratings[next(ratings.len())];
                let cancelled_card: Uuid = cancelled["card_id"].as_str().unwrap().parse().unwrap();
                // Now and then an undo names another card's review: it
                // cancels nothing.
                let undo_card = if next(4) == 0 { card } else { cancelled_card };
                ("undo", vec![undo(undo_card, &cancelled["id"], clock)])
            }
            8 => {
                let retention = ["0.85", "0.90", "0.95"][next(3)];
                let steps = ["1m 10m", "10m", "1m 10m 1h"][next(3)];
                let saved = learner
                    .call(
                        "study/preset",
                        &preset_form(
                            &deck_text,
                            "20",
                            &[
                                ("input[desired_retention]", retention),
                                ("input[learning_steps]", steps),
                                ("input[leech_threshold]", "8"),
                            ],
                        ),
                    )
                    .await;
                assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
                ("change the deck's options", Vec::new())
            }
            9 => {
                let zone = ["UTC", "America/New_York", "Asia/Kolkata"][next(3)];
                sqlx::query("update users set time_zone = $2, day_starts_at = $3 where id = $1")
                    .bind(learner_id)
                    .bind(zone)
                    .bind(next(6) as i16)
                    .execute(&pool)
                    .await
                    .unwrap();
                ("change the time zone", Vec::new())
            }
            10 => {
                let mut parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
                parameters[next(4)] *= [0.5, 1.0, 1.5][next(3)];
                sqlx::query(
                    "insert into fsrs_parameters (learner_id, parameters, status, requested_by)
                     values ($1, $2, 'done', 'manual')
                     on conflict (learner_id) do update set parameters = excluded.parameters",
                )
                .bind(learner_id)
                .bind(&parameters)
                .execute(&pool)
                .await
                .unwrap();
                ("change the parameters", Vec::new())
            }
            _ => ("nothing", Vec::new()),
        };
        if what.starts_with("change") {
            replayed_under_older_options.extend(cards.iter().copied());
        }
        if !batch.is_empty() {
            submit_ok(&mut learner, &batch).await;
            for review in &batch {
                let card: Uuid = review["card_id"].as_str().unwrap().parse().unwrap();
                replayed_under_older_options.remove(&card);
            }
            sent.push(batch);
        }
        for card in cards
            .iter()
            .filter(|card| !replayed_under_older_options.contains(card))
        {
            let (stored, whole) = stored_and_whole_replay(&pool, learner_id, deck, *card).await;
            assert_eq!(stored, whole, "after step {step} ({what}), card {card}");
            checked += 1;
        }
    }
    assert!(checked > 300, "the checks ran: {checked}");
    let stored: i64 = sqlx::query_scalar("select count(*) from card_states")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, cards.len() as i64, "every card was reviewed");
}

/// A card's state is carried forward from the stored one when only later
/// ratings arrive, and its whole log is replayed when anything else does:
/// shown by altering the stored state by hand, which a state carried
/// forward keeps and a whole replay undoes.
#[tokio::test]
async fn a_state_is_carried_forward_only_while_nothing_before_it_changed() {
    let (pool, mut learner, learner_id, deck, cards) = learner_with_old_cards(1).await;
    let card = cards[0];
    let mut clock = now_ms() - 200 * 24 * 60 * MINUTE_MS;
    let mut later = |gap_days: i64| {
        clock += gap_days * 24 * 60 * MINUTE_MS;
        clock
    };
    let first = rating(card, 3, later(0));
    submit_ok(&mut learner, &[first.clone(), rating(card, 3, later(1))]).await;
    let alter = "update card_states set stability = stability * 3 where card_id = $1";
    let altered = || async {
        sqlx::query(alter).bind(card).execute(&pool).await.unwrap();
    };
    let agree = || async {
        let (stored, whole) = stored_and_whole_replay(&pool, learner_id, deck, card).await;
        stored == whole
    };
    assert!(agree().await);

    // Only a later rating: carried forward from the altered state.
    altered().await;
    submit_ok(&mut learner, &[rating(card, 3, later(3))]).await;
    assert!(!agree().await, "the state was carried forward, not replayed");

    // Each of these makes the whole log replay, which undoes the alteration.
    let between = rating(card, 2, later(0) - 2 * 24 * 60 * MINUTE_MS);
    submit_ok(&mut learner, &[between]).await;
    assert!(agree().await, "a rating dated before the last one");

    altered().await;
    submit_ok(&mut learner, &[undo(card, &first["id"], later(1))]).await;
    assert!(agree().await, "an undo");

    // An undo can arrive before the rating it takes back (sent from
    // another device's outbox): the rating then never stands.
    altered().await;
    let taken_back = rating(card, 1, later(2));
    submit_ok(&mut learner, &[undo(card, &taken_back["id"], later(0))]).await;
    assert!(agree().await, "an undo of a rating not yet here");
    altered().await;
    submit_ok(&mut learner, &[taken_back]).await;
    assert!(agree().await, "a rating already undone");

    altered().await;
    let deck_text = deck.to_string();
    let saved = learner
        .call(
            "study/preset",
            &preset_form(&deck_text, "20", &[("input[desired_retention]", "0.85")]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    submit_ok(&mut learner, &[rating(card, 3, later(5))]).await;
    assert!(agree().await, "new deck options");

    altered().await;
    sqlx::query("update users set time_zone = 'Asia/Tokyo' where id = $1")
        .bind(learner_id)
        .execute(&pool)
        .await
        .unwrap();
    submit_ok(&mut learner, &[rating(card, 3, later(5))]).await;
    assert!(agree().await, "a new time zone");

    altered().await;
    sqlx::query("update card_states set replayed_with = null where card_id = $1")
        .bind(card)
        .execute(&pool)
        .await
        .unwrap();
    submit_ok(&mut learner, &[rating(card, 4, later(5))]).await;
    assert!(agree().await, "a state stored before its key was");

    // And a later rating again carries forward.
    altered().await;
    submit_ok(&mut learner, &[rating(card, 3, later(9))]).await;
    assert!(!agree().await);
}

/// A card suspended by hand is listed on its deck's page (the deck's own
/// cards and its subdecks'), for the learner who suspended it only, and is
/// brought back from there into their queue.
#[tokio::test]
async fn a_suspended_card_is_listed_for_its_learner_and_brought_back() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Capitals", "public").await;
    let americas = create_deck(&mut teacher, "Americas", "public").await;
    support::make_subdeck(&pool, &americas, &deck).await;
    add_card(&mut teacher, &pool, &deck, "Capital of Japan?").await;
    let peru = add_card(&mut teacher, &pool, &americas, "Capital of <b>Peru</b>?").await;
    let drafts = create_deck(&mut teacher, "Drafts", "private").await;
    let mut ana = member(&pool, &mut admin, "ana@example.org", "learner").await;
    let mut ben = member(&pool, &mut admin, "ben@example.org", "learner").await;
    for learner in [&mut ana, &mut ben] {
        let started = learner.call("study/start", &[("deck_id", &deck)]).await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    }
    let suspended = |response: support::TestResponse| {
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response.json()["suspended"].clone()
    };
    let listed = suspended(ana.get_json(&format!("/api/decks/page?deck_id={deck}")).await);
    assert_eq!(listed, json!({ "cards": [], "total": 0 }));

    let held = hold(&mut ana, peru, "Suspend").await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.body);
    let listed = suspended(ana.get_json(&format!("/api/decks/page?deck_id={deck}")).await);
    assert_eq!(
        listed,
        json!({ "cards": [{ "card_id": peru, "text": "Capital of Peru?" }], "total": 1 })
    );
    // Ben's list is his own; a deck Ana may not see is not found.
    let listed = suspended(ben.get_json(&format!("/api/decks/page?deck_id={deck}")).await);
    assert_eq!(listed["total"], 0);
    // The teacher, who studies it as its owner, suspended none; a deck Ana
    // may not see is not found.
    let teacher_view = teacher.get_json(&format!("/api/decks/page?deck_id={deck}")).await;
    assert_eq!(suspended(teacher_view)["total"], 0);
    let hidden = ana.get_json(&format!("/api/decks/page?deck_id={drafts}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.body);
    assert!(!queued(&queue(&mut ana, &deck).await)
        .iter()
        .any(|(front, _)| front.contains("Peru")));

    let brought_back = hold(&mut ana, peru, "Unsuspend").await;
    assert_eq!(brought_back.status, StatusCode::OK, "{}", brought_back.body);
    let listed = suspended(ana.get_json(&format!("/api/decks/page?deck_id={deck}")).await);
    assert_eq!(listed["total"], 0);
    assert!(queued(&queue(&mut ana, &deck).await)
        .iter()
        .any(|(front, _)| front.contains("Peru")));
}
