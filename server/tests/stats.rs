//! The statistics page's numbers: reviews per learner day, undone reviews
//! left out, the streak, true retention, the forecast and the memory
//! distributions, each learner's alone, and only for decks they study.
//! Through the real router and PostgreSQL.

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use support::{admin, create_deck, TestApp};
use uuid::Uuid;

const DAY: i64 = 86_400;

/// A member on the default clock (days from 4:00 UTC), which these tests
/// place their reviews on (`minutes_into`, and days at noon): each holds at
/// any time of day.
async fn member(pool: &PgPool, admin: &mut TestApp, email: &str, role: &str) -> TestApp {
    let app = support::member(pool, admin, email, role).await;
    sqlx::query("update users set day_starts_at = 4 where email = $1")
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
    app
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Adds a card to `deck_id` made two years ago, so reviews can be dated
/// anywhere since.
async fn add_card(app: &mut TestApp, pool: &PgPool, deck_id: &str, front: &str) -> Uuid {
    support::add_basic_note(app, deck_id, front, "back", "").await;
    sqlx::query_scalar(
        "update cards c set created_at = now() - interval '2 years' from notes n
         where n.id = c.note_id and n.fields[1] = $1 returning c.id",
    )
    .bind(front)
    .fetch_one(pool)
    .await
    .unwrap()
}

fn rating(card_id: Uuid, rating: i64, at: i64) -> Value {
    json!({ "id": Uuid::new_v4(), "card_id": card_id, "rating": rating, "reviewed_at_ms": at * 1000, "duration_ms": 3000 })
}

async fn submit(app: &mut TestApp, reviews: &[Value]) {
    let body = json!({ "reviews": reviews }).to_string();
    let response = app
        .post("/api/study/reviews", "application/json", "application/json", body)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

async fn statistics_response(app: &mut TestApp, deck_id: Option<&str>) -> support::TestResponse {
    match deck_id {
        Some(deck_id) => app.get_json(&format!("/api/stats?deck_id={deck_id}")).await,
        None => app.get_json("/api/stats").await,
    }
}

async fn statistics(app: &mut TestApp, deck_id: Option<&str>) -> Value {
    let response = statistics_response(app, deck_id).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn learner_id(app: &mut TestApp) -> Uuid {
    app.me().await["id"].as_str().unwrap().parse().unwrap()
}

/// Writes a review straight into the log, dated `at` (Unix seconds).
async fn insert_review(
    pool: &PgPool,
    learner: Uuid,
    card: Uuid,
    rating: Option<i16>,
    cancels: Option<Uuid>,
    at: i64,
) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(
        "insert into reviews (id, learner_id, card_id, rating, cancels, reviewed_at, duration_ms)
         values ($1, $2, $3, $4, $5, to_timestamp($6), 2000)",
    )
    .bind(id)
    .bind(learner)
    .bind(card)
    .bind(rating)
    .bind(cancels)
    .bind(at as f64)
    .execute(pool)
    .await
    .unwrap();
    id
}

/// Sets a card's state for the learner, as a replay would have left it.
async fn insert_state(pool: &PgPool, learner: Uuid, card: Uuid, stability: f32, last_review: i64, due: i64) {
    sqlx::query(
        "insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at,
                                  last_review_at, scheduled_days, reps, lapses)
         values ($1, $2, 'review', 0, $3, 5, to_timestamp($5), to_timestamp($4), 10, 3, 0)
         on conflict (learner_id, card_id) do update set
             stability = excluded.stability, due_at = excluded.due_at, last_review_at = excluded.last_review_at",
    )
    .bind(learner)
    .bind(card)
    .bind(stability)
    .bind(last_review as f64)
    .bind(due as f64)
    .execute(pool)
    .await
    .unwrap();
}

/// The heatmap as (day, reviews) pairs.
fn heatmap(statistics: &Value) -> Vec<(i64, u64)> {
    statistics["heatmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|count| (count["day"].as_i64().unwrap(), count["reviews"].as_u64().unwrap()))
        .collect()
}

fn tally(value: &Value) -> (u64, u64) {
    (
        value["passed"].as_u64().unwrap(),
        value["total"].as_u64().unwrap(),
    )
}

/// When learner day `today` begins for a learner on the default clock
/// (4:00 UTC), plus `minutes`: today, and never more than the allowed clock
/// skew ahead of now however soon after 4:00 a test runs.
fn minutes_into(today: i64, minutes: i64) -> i64 {
    today * DAY + 4 * 3600 + minutes * 60
}

/// The text inside the element marked `data-testid="{test_id}"`, without
/// hydration markers.
fn text_of(body: &str, test_id: &str) -> String {
    let marker = format!(r#"data-testid="{test_id}""#);
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {test_id} in {body}"));
    let after = &body[start..];
    let content = &after[after.find('>').unwrap() + 1..];
    let content = &content[..content.find("</").unwrap()];
    let mut text = String::new();
    let mut rest = content;
    while let Some(open) = rest.find("<!") {
        text.push_str(&rest[..open]);
        rest = &rest[open + rest[open..].find('>').unwrap() + 1..];
    }
    text.push_str(rest);
    text.trim().to_owned()
}

/// A learner with a private deck of their own holding `cards` cards.
async fn learner_with_cards(cards: usize) -> (PgPool, TestApp, String, Vec<Uuid>) {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let deck = create_deck(&mut learner, "Spanish", "private").await;
    let mut ids = Vec::new();
    for number in 0..cards {
        ids.push(add_card(&mut learner, &pool, &deck, &format!("word {number}")).await);
    }
    (pool, learner, deck, ids)
}

#[tokio::test]
async fn todays_reviews_count_on_the_learners_own_day_and_undone_ones_do_not_count() {
    let (pool, mut learner, deck, cards) = learner_with_cards(3).await;
    // Fourteen hours ahead of UTC, days starting at midnight: the learner's
    // day begins at 10:00 UTC the day before.
    let id = learner_id(&mut learner).await;
    sqlx::query("update users set time_zone = 'Pacific/Kiritimati', day_starts_at = 0 where id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let now = now();
    let today = (now + 14 * 3600).div_euclid(DAY);
    let day_start = today * DAY - 14 * 3600;

    // Minutes into the learner's day (still the day before in UTC), so
    // never more than the allowed clock skew ahead of now.
    let undone = rating(cards[1], 1, day_start + 180);
    submit(
        &mut learner,
        &[
            rating(cards[0], 3, day_start + 60),
            rating(cards[2], 4, day_start + 120),
            undone.clone(),
            // A minute before the learner's day began: yesterday.
            rating(cards[1], 3, day_start - 60),
        ],
    )
    .await;
    let undo = json!({ "id": Uuid::new_v4(), "card_id": cards[1], "cancels": undone["id"], "reviewed_at_ms": now * 1000 - 60_000 });
    submit(&mut learner, &[undo]).await;

    let stats = statistics(&mut learner, None).await;
    assert_eq!(stats["today"], today);
    assert_eq!(stats["reviews_today"], 2, "{stats}");
    assert_eq!(stats["time_today_ms"], 6000);
    assert_eq!(stats["reviews_total"], 3);
    assert_eq!(stats["time_total_ms"], 9000);
    assert_eq!(heatmap(&stats), [(today - 1, 1), (today, 2)]);
    assert_eq!(stats["streak_days"], 2);
    assert!(stats["deck"].is_null());
    assert_eq!(stats["decks"][0]["title"], "Spanish");
    // Three cards have a state now; the undone answer's card keeps its
    // earlier review.
    assert_eq!(stats["memories"]["cards"], 3);

    // The deck's own statistics agree.
    let for_deck = statistics(&mut learner, Some(&deck)).await;
    assert_eq!(for_deck["deck"]["title"], "Spanish");
    assert_eq!(for_deck["reviews_today"], 2);
    assert_eq!(heatmap(&for_deck), heatmap(&stats));
}

#[tokio::test]
async fn the_streak_counts_days_in_a_row_up_to_today() {
    let (pool, mut learner, _deck, cards) = learner_with_cards(1).await;
    let id = learner_id(&mut learner).await;
    let today = statistics(&mut learner, None).await["today"].as_i64().unwrap();
    // The default day starts at 4:00 UTC; noon is well inside it.
    let noon = |day: i64| day * DAY + 12 * 3600;
    for day in [today - 2, today - 3, today - 4, today - 6] {
        insert_review(&pool, id, cards[0], Some(3), None, noon(day)).await;
    }
    let stats = statistics(&mut learner, None).await;
    assert_eq!(
        stats["streak_days"], 0,
        "nothing today or yesterday: the run ended"
    );
    let yesterday = insert_review(&pool, id, cards[0], Some(3), None, noon(today - 1)).await;
    let stats = statistics(&mut learner, None).await;
    assert_eq!(
        stats["streak_days"], 4,
        "today has no review yet, so the run up to yesterday stands"
    );
    // An undone review does not keep a streak alive.
    insert_review(&pool, id, cards[0], None, Some(yesterday), noon(today - 1) + 60).await;
    assert_eq!(statistics(&mut learner, None).await["streak_days"], 0);
}

#[tokio::test]
async fn true_retention_counts_review_answers_by_interval() {
    let (pool, mut learner, deck, cards) = learner_with_cards(2).await;
    let id = learner_id(&mut learner).await;
    let today = statistics(&mut learner, None).await["today"].as_i64().unwrap();
    let at = |day: i64, hour: i64| (today + day) * DAY + hour * 3600;
    let (a, b) = (cards[0], cards[1]);
    // Card a: first seen 100 days ago (not a review answer), then reviews
    // 40 days later (mature, Good), a day later (young, Again), again that
    // same day (a learning step: not counted), 39 days after that (mature,
    // Again) and 18 days after that (young, Good). An Again 40 days ago was
    // undone: it neither counts nor shortens the next interval.
    insert_review(&pool, id, a, Some(3), None, at(-100, 12)).await;
    insert_review(&pool, id, a, Some(3), None, at(-60, 12)).await;
    insert_review(&pool, id, a, Some(1), None, at(-59, 12)).await;
    insert_review(&pool, id, a, Some(3), None, at(-59, 13)).await;
    let undone = insert_review(&pool, id, a, Some(1), None, at(-40, 12)).await;
    insert_review(&pool, id, a, None, Some(undone), at(-40, 13)).await;
    insert_review(&pool, id, a, Some(1), None, at(-20, 12)).await;
    insert_review(&pool, id, a, Some(3), None, at(-2, 12)).await;
    // Card b: first seen 10 days ago, then Hard after 5 days and Good after 4.
    insert_review(&pool, id, b, Some(3), None, at(-10, 12)).await;
    insert_review(&pool, id, b, Some(2), None, at(-5, 12)).await;
    insert_review(&pool, id, b, Some(3), None, at(-1, 12)).await;
    insert_state(&pool, id, a, 20.0, at(-2, 12), at(16, 12)).await;
    insert_state(&pool, id, b, 4.0, at(-1, 12), at(3, 12)).await;

    let stats = statistics(&mut learner, Some(&deck)).await;
    let rows = stats["retention"].as_array().unwrap();
    let periods: Vec<&str> = rows.iter().map(|row| row["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["Week", "Month", "Year", "AllTime"]);
    let young_and_mature = |row: &Value| (tally(&row["young"]), tally(&row["mature"]));
    assert_eq!(young_and_mature(&rows[0]), ((3, 3), (0, 0)), "last 7 days");
    assert_eq!(young_and_mature(&rows[1]), ((3, 3), (0, 1)), "last 30 days");
    assert_eq!(young_and_mature(&rows[2]), ((3, 4), (1, 2)), "last 365 days");
    assert_eq!(young_and_mature(&rows[3]), ((3, 4), (1, 2)), "all time");
    assert_eq!(stats["reviews_total"], 9, "the undone review is not counted");
    assert_eq!(stats["streak_days"], 2, "yesterday and the day before");

    // Both cards' memory: stability 20 and 4 days (2 weeks to a month; 3 to 7 days).
    let stability = stats["memories"]["stability"]["counts"].as_array().unwrap();
    assert_eq!(stability[4], 1);
    assert_eq!(stability[2], 1);
    assert_eq!(stats["memories"]["stability"]["average"], 12.0);
    assert_eq!(stats["memories"]["cards"], 2);
}

#[tokio::test]
async fn the_forecast_counts_due_cards_per_day_from_today() {
    let (pool, mut learner, _deck, cards) = learner_with_cards(7).await;
    let id = learner_id(&mut learner).await;
    let today = statistics(&mut learner, None).await["today"].as_i64().unwrap();
    let at = |day: i64| (today + day) * DAY + 12 * 3600;
    // Overdue and due today (today's bar), two tomorrow (one suspended),
    // one on the forecast's last day and one just after it.
    for (card, due) in cards.iter().zip([-3, 0, 1, 1, 1, 29, 30]) {
        insert_review(&pool, id, *card, Some(3), None, at(-5)).await;
        insert_state(&pool, id, *card, 10.0, at(-5), at(due)).await;
    }
    sqlx::query("insert into card_flags (learner_id, card_id, suspended) values ($1, $2, true)")
        .bind(id)
        .bind(cards[4])
        .execute(&pool)
        .await
        .unwrap();
    let stats = statistics(&mut learner, None).await;
    let forecast: Vec<u64> = stats["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|count| count.as_u64().unwrap())
        .collect();
    assert_eq!(forecast.len(), 30);
    assert_eq!(forecast[0], 2);
    assert_eq!(forecast[1], 2);
    assert_eq!(forecast[29], 1);
    assert_eq!(forecast.iter().sum::<u64>(), 5);
    // Every studied card's memory counts, the suspended one too.
    assert_eq!(stats["memories"]["cards"], 7);
}

#[tokio::test]
async fn retrievability_follows_the_learners_own_forgetting_curve() {
    let (pool, mut learner, _deck, cards) = learner_with_cards(1).await;
    let id = learner_id(&mut learner).await;
    // Stability 10 days, last seen 100 days ago: about 69% with FSRS-6's
    // default decay (the 60–70% bar), about 55% with a decay of 0.5.
    let last = now() - 100 * DAY;
    insert_review(&pool, id, cards[0], Some(3), None, last).await;
    insert_state(&pool, id, cards[0], 10.0, last, last + 10 * DAY).await;
    let bar = |stats: &Value| {
        let counts = stats["memories"]["retrievability"]["counts"].as_array().unwrap();
        counts.iter().position(|count| *count == 1).unwrap()
    };
    assert_eq!(bar(&statistics(&mut learner, None).await), 6);
    // Only the last of the 21 parameters, the decay, matters here.
    let mut parameters = vec![1.0_f32; 21];
    parameters[20] = 0.5;
    sqlx::query(
        "insert into fsrs_parameters (learner_id, parameters, status, requested_by)
         values ($1, $2, 'done', 'manual')",
    )
    .bind(id)
    .bind(&parameters)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(bar(&statistics(&mut learner, None).await), 5);
}

#[tokio::test]
async fn a_deck_counts_its_subdecks_and_not_other_decks() {
    let (pool, mut learner, spanish, cards) = learner_with_cards(1).await;
    let verbs = create_deck(&mut learner, "Spanish verbs", "private").await;
    support::make_subdeck(&pool, &verbs, &spanish).await;
    let french = create_deck(&mut learner, "French", "private").await;
    let verb = add_card(&mut learner, &pool, &verbs, "hablar").await;
    let word = add_card(&mut learner, &pool, &french, "bonjour").await;
    let today = statistics(&mut learner, None).await["today"].as_i64().unwrap();
    submit(
        &mut learner,
        &[
            rating(cards[0], 3, minutes_into(today, 1)),
            rating(verb, 3, minutes_into(today, 2)),
            rating(word, 3, minutes_into(today, 3)),
        ],
    )
    .await;
    assert_eq!(statistics(&mut learner, None).await["reviews_today"], 3);
    let spanish_stats = statistics(&mut learner, Some(&spanish)).await;
    assert_eq!(spanish_stats["reviews_today"], 2);
    assert_eq!(spanish_stats["memories"]["cards"], 2);
    assert_eq!(statistics(&mut learner, Some(&verbs)).await["reviews_today"], 1);
    assert_eq!(statistics(&mut learner, Some(&french)).await["reviews_today"], 1);
    let titles: Vec<&str> = spanish_stats["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|deck| deck["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["French", "Spanish", "Spanish verbs"]);
}

#[tokio::test]
async fn another_learners_reviews_never_show() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck = create_deck(&mut teacher, "Capitals", "public").await;
    let peru = add_card(&mut teacher, &pool, &deck, "Capital of Peru?").await;
    let chile = add_card(&mut teacher, &pool, &deck, "Capital of Chile?").await;
    let mut ana = member(&pool, &mut admin, "ana@example.org", "learner").await;
    let mut ben = member(&pool, &mut admin, "ben@example.org", "learner").await;
    for learner in [&mut ana, &mut ben] {
        let response = learner.call("study/start", &[("deck_id", &deck)]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    let today = statistics(&mut ana, None).await["today"].as_i64().unwrap();
    submit(
        &mut ana,
        &[
            rating(peru, 3, minutes_into(today, 1)),
            rating(chile, 1, minutes_into(today, 2)),
        ],
    )
    .await;
    submit(&mut ben, &[rating(peru, 4, minutes_into(today, 1))]).await;

    let for_ana = statistics(&mut ana, Some(&deck)).await;
    let for_ben = statistics(&mut ben, Some(&deck)).await;
    assert_eq!(
        (for_ana["reviews_today"].clone(), for_ben["reviews_today"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(for_ben["reviews_total"], 1);
    assert_eq!(for_ben["memories"]["cards"], 1);
    assert_eq!(statistics(&mut ben, None).await["reviews_total"], 1);
    // The teacher studies their own deck but has reviewed nothing.
    let for_teacher = statistics(&mut teacher, Some(&deck)).await;
    assert_eq!(for_teacher["reviews_total"], 0);
    assert_eq!(for_teacher["memories"]["cards"], 0);
    assert_eq!(
        for_teacher["forecast"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| **c != 0)
            .count(),
        0
    );
}

#[tokio::test]
async fn statistics_are_for_signed_in_learners_and_the_decks_they_study() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let private = create_deck(&mut teacher, "Teacher's notes", "private").await;
    let public = create_deck(&mut teacher, "Capitals", "public").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;

    for deck in [private.as_str(), public.as_str(), &Uuid::new_v4().to_string()] {
        let response = statistics_response(&mut learner, Some(deck)).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{deck}: {}",
            response.body
        );
    }
    learner.call("study/start", &[("deck_id", &public)]).await;
    assert_eq!(
        statistics(&mut learner, Some(&public)).await["deck"]["title"],
        "Capitals"
    );
    // Stopping hides the deck's statistics again (the reviews stay).
    learner.call("study/stop", &[("deck_id", &public)]).await;
    assert_eq!(
        statistics_response(&mut learner, Some(&public)).await.status,
        StatusCode::NOT_FOUND
    );

    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(
        statistics_response(&mut visitor, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_page_renders_on_the_server_with_its_charts_or_a_friendly_sentence() {
    let (pool, mut learner, deck, cards) = learner_with_cards(1).await;
    let page = learner.get("/stats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"data-testid="stats-empty""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"href="/dashboard""#));

    let id = learner_id(&mut learner).await;
    let today = statistics(&mut learner, None).await["today"].as_i64().unwrap();
    insert_review(&pool, id, cards[0], Some(3), None, minutes_into(today, 1)).await;
    for address in ["/stats".to_owned(), format!("/stats?deck={deck}")] {
        let page = learner.get(&address).await;
        assert_eq!(page.status, StatusCode::OK, "{address}");
        assert_eq!(text_of(&page.body, "stats-reviews-today"), "1", "{address}");
        assert_eq!(text_of(&page.body, "stats-streak"), "1 day", "{address}");
        for part in [
            r#"data-testid="review-heatmap""#,
            r#"role="img""#,
            "<table",
            "True retention",
        ] {
            assert!(page.body.contains(part), "{address} lacks {part}");
        }
        assert!(
            !page.body.contains("style="),
            "{address}: the CSP allows no inline style"
        );
    }
    let page = learner.get(&format!("/stats?deck={deck}")).await;
    let option = &page.body[page.body.find(&format!(r#"<option value="{deck}""#)).unwrap()..];
    assert!(
        option[..option.find('>').unwrap()].contains("selected"),
        "{option}"
    );
    for address in [
        format!("/stats?deck={}", Uuid::new_v4()),
        "/stats?deck=spanish".to_owned(),
    ] {
        assert_eq!(
            learner.get(&address).await.status,
            StatusCode::NOT_FOUND,
            "{address}"
        );
    }
}
