//! Fitting FSRS parameters to a learner's own reviews: requested from the
//! settings page or by the hourly round, queued once, run by the job queue's
//! worker, adopted only when they beat the current parameters on held-out
//! reviews, and then used by the study queue and the server's replay.
//! Through the real router, the real queue and PostgreSQL, with synthetic
//! review histories written straight into the log.

mod support;

use app::study::{
    optimise::{self, RequestedBy},
    scheduler::{replay, DayClock, Rating, Scheduler, SchedulingOptions},
};
use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use support::{admin, create_deck, member, TestApp};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

const DAY: i64 = 86_400;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A small deterministic random source (xorshift), so every run writes the
/// same histories.
struct Random(u64);

impl Random {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes the standing reviews of `cards` cards (not cards of any deck: a
/// deleted card's history stays in the log) for `learner_id`, as a learner
/// who forgets faster than FSRS's defaults expect would leave them: two
/// learning steps on the first day, then reviews at roughly the interval
/// their memory supports, recalled with probability 0.9^(days / stability).
/// Answers how many reviews it wrote.
async fn write_history(pool: &PgPool, learner_id: Uuid, cards: usize, seed: u64) -> usize {
    let mut random = Random(seed);
    let end = now() - 3600;
    let start = end - 150 * DAY;
    let (mut ids, mut card_ids, mut ratings, mut times) = (vec![], vec![], vec![], vec![]);
    for card in 0..cards {
        let card_id = Uuid::new_v4();
        let mut at = start + (card as i64 * 120 * DAY) / cards as i64 + (random.next() * 8.0 * 3600.0) as i64;
        let mut push = |at: i64, rating: i16| {
            ids.push(Uuid::new_v4());
            card_ids.push(card_id);
            ratings.push(rating);
            times.push(at as f64);
        };
        // First day: Again or Good, then Good ten minutes later.
        push(at, if random.next() < 0.3 { 1 } else { 3 });
        at += 600;
        push(at, 3);
        let mut stability: f64 = 0.4;
        loop {
            let days = (stability * (0.6 + 0.8 * random.next())).max(1.0).round();
            at += days as i64 * DAY;
            if at > end {
                break;
            }
            let recall = 0.9f64.powf(days / stability);
            if random.next() < recall {
                let rating = if recall > 0.95 && random.next() < 0.3 {
                    4
                } else if recall < 0.8 && random.next() < 0.4 {
                    2
                } else {
                    3
                };
                push(at, rating);
                stability *= if rating == 4 {
                    3.2
                } else {
                    1.6 + 1.2 * random.next()
                };
            } else {
                push(at, 1);
                push(at + 600, 3);
                stability = (stability * 0.25).max(0.3);
            }
        }
    }
    sqlx::query(
        "insert into reviews (id, learner_id, card_id, rating, reviewed_at, duration_ms)
         select id, $2, card_id, rating, to_timestamp(at), 5000
         from unnest($1::uuid[], $3::uuid[], $4::smallint[], $5::float8[]) as r(id, card_id, rating, at)",
    )
    .bind(&ids)
    .bind(learner_id)
    .bind(&card_ids)
    .bind(&ratings)
    .bind(&times)
    .execute(pool)
    .await
    .unwrap();
    ids.len()
}

/// Ratings that an undo took back: they are in the log but never count.
async fn write_undone_reviews(pool: &PgPool, learner_id: Uuid, count: usize) {
    for _ in 0..count {
        let (rating, undo) = (Uuid::new_v4(), Uuid::new_v4());
        sqlx::query(
            "insert into reviews (id, learner_id, card_id, rating, cancels, reviewed_at, duration_ms)
             values ($1, $3, $4, 3, null, now() - interval '2 days', 1000),
                    ($2, $3, $4, null, $1, now() - interval '2 days', 0)",
        )
        .bind(rating)
        .bind(undo)
        .bind(learner_id)
        .bind(Uuid::new_v4())
        .execute(pool)
        .await
        .unwrap();
    }
}

struct Learner {
    pool: PgPool,
    app: TestApp,
    id: Uuid,
    deck: String,
}

/// A signed-in learner with a deck of one card, on a database whose job
/// queue is set up as `serve` sets it up.
async fn learner(email: &str) -> Learner {
    let pool = support::fresh_database().await;
    server::jobs::migrate(&pool).await.unwrap();
    let mut admin = admin(&pool).await;
    learner_on(pool, &mut admin, email).await
}

async fn learner_on(pool: PgPool, admin: &mut TestApp, email: &str) -> Learner {
    let mut app = member(&pool, admin, email, "learner").await;
    let deck = create_deck(&mut app, "Spanish", "private").await;
    support::add_basic_note(&mut app, &deck, "hablar", "to speak", "").await;
    let id = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&pool)
        .await
        .unwrap();
    Learner { pool, app, id, deck }
}

async fn optimise_now(app: &mut TestApp) -> support::TestResponse {
    app.call("study/optimise", &[]).await
}

async fn optimisation(app: &mut TestApp) -> Value {
    let response = app.get_json("/api/study/optimisation").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn queued_jobs(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "select count(*) from underway.task where task_queue_name = 'engram' and state = 'pending'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn stored_parameters(pool: &PgPool, learner_id: Uuid) -> Vec<f32> {
    sqlx::query_scalar("select parameters from fsrs_parameters where learner_id = $1")
        .bind(learner_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Moves the end of the learner's latest optimisation into the past, as if
/// it had finished `seconds` ago.
async fn finished_secs_ago(pool: &PgPool, learner_id: Uuid, seconds: i64) {
    sqlx::query(
        "update fsrs_parameters set finished_at = now() - make_interval(secs => $2)
         where learner_id = $1 and finished_at is not null",
    )
    .bind(learner_id)
    .bind(seconds as f64)
    .execute(pool)
    .await
    .unwrap();
}

fn floats(value: &Value) -> Vec<f32> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|number| number.as_f64().unwrap() as f32)
        .collect()
}

#[tokio::test]
async fn too_few_reviews_are_refused_with_a_reason_and_nothing_is_queued() {
    let Learner {
        pool, mut app, id, ..
    } = learner("few@example.org").await;
    let written = write_history(&pool, id, 20, 7).await;
    write_undone_reviews(&pool, id, 5).await;
    assert!(written < optimise::MIN_REVIEWS as usize, "{written}");

    let page = optimisation(&mut app).await;
    assert_eq!(
        page["reviews"],
        json!(written),
        "undone reviews do not count: {page}"
    );
    assert_eq!(page["personal_parameters"], false);
    assert_eq!(page["latest"], Value::Null);

    let response = optimise_now(&mut app).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.body);
    assert!(
        response.body.contains("at least 400 reviews")
            && response.body.contains(&format!("you have {written}")),
        "{}",
        response.body
    );
    assert_eq!(queued_jobs(&pool).await, 0);

    // Signed out: no one's optimisation.
    app.logout().await;
    assert_eq!(optimise_now(&mut app).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get_json("/api/study/optimisation").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn asking_twice_or_at_once_queues_one_optimisation() {
    let Learner {
        pool, mut app, id, ..
    } = learner("twice@example.org").await;
    write_history(&pool, id, 80, 11).await;

    let first = optimise_now(&mut app).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json(), json!(true));
    let second = optimise_now(&mut app).await;
    assert_eq!(second.json(), json!(false), "already queued");
    assert_eq!(queued_jobs(&pool).await, 1);

    // The hourly round and the button at the same moment: still one.
    let (automatic, manual) = tokio::join!(
        optimise::run::request(&pool, id, RequestedBy::Automatic),
        optimise::run::request(&pool, id, RequestedBy::Manual),
    );
    assert_eq!((automatic.unwrap(), manual.unwrap()), (false, false));
    assert_eq!(queued_jobs(&pool).await, 1);

    let page = optimisation(&mut app).await;
    assert_eq!(page["latest"]["status"], "Queued");
    assert_eq!(page["latest"]["requested_by"], "Manual");
    // The settings page without JavaScript says so, with a way to look again.
    let html = app.get("/settings").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("Waiting for its turn"), "{}", html.body);
    assert!(html.body.contains("Optimising…"), "the button says it is busy");
}

#[tokio::test]
async fn optimise_now_is_refused_for_ten_minutes_after_the_last_optimisation_finished() {
    let Learner {
        pool, mut app, id, ..
    } = learner("eager@example.org").await;
    write_history(&pool, id, 80, 13).await;
    assert_eq!(optimise_now(&mut app).await.json(), json!(true));
    assert_eq!(server::jobs::run_pending(&pool).await.unwrap(), 1);
    let page = optimisation(&mut app).await;
    assert_eq!(page["latest"]["status"], "Done", "{page}");
    let wait = page["manual_wait_secs"].as_u64().unwrap_or_default();
    assert!((590..=600).contains(&wait), "{page}");

    // Three minutes and a bit later: refused, saying when to try again,
    // and nothing queued.
    finished_secs_ago(&pool, id, 200).await;
    let refused = optimise_now(&mut app).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    let error: app::error::AppError = serde_json::from_str(&refused.body).unwrap();
    assert!(
        matches!(error, app::error::AppError::TooManyRequests { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("wait 7 minutes before trying again"),
        "{error}"
    );
    let retry_after: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((395..=401).contains(&retry_after), "{retry_after}");
    assert_eq!(queued_jobs(&pool).await, 0);
    let page = optimisation(&mut app).await;
    assert_eq!(page["latest"]["status"], "Done", "unchanged: {page}");
    // The settings page says so next to the button, which waits.
    let html = app.get("/settings").await.body;
    assert!(html.contains("You can optimise again in 7 minutes"), "{html}");
    let button = html
        .split("<button")
        .find(|button| button.contains("Optimise now"))
        .and_then(|button| button.split('>').next())
        .unwrap_or_else(|| panic!("no button in {html}"));
    assert!(
        button
            .split_whitespace()
            .any(|attribute| attribute == "disabled" || attribute.starts_with("disabled=")),
        "{button}"
    );

    // The hourly round keeps its own rule.
    assert_eq!(optimise::run::request_due(&pool).await.unwrap(), 0);

    // Past the ten minutes: allowed again.
    finished_secs_ago(&pool, id, (optimise::MANUAL_COOLDOWN_MINUTES + 1) * 60).await;
    let page = optimisation(&mut app).await;
    assert_eq!(page["manual_wait_secs"], Value::Null, "{page}");
    let html = app.get("/settings").await.body;
    assert!(!html.contains("You can optimise again"), "{html}");
    assert_eq!(optimise_now(&mut app).await.json(), json!(true));
    assert_eq!(queued_jobs(&pool).await, 1);
    // While it is queued, asking again is no error and queues nothing.
    let again = optimise_now(&mut app).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json(), json!(false));
    assert_eq!(queued_jobs(&pool).await, 1);
}

#[tokio::test]
async fn the_job_fits_adopts_better_parameters_and_the_queue_and_replay_use_them() {
    let Learner {
        pool,
        mut app,
        id,
        deck,
    } = learner("fits@example.org").await;
    let written = write_history(&pool, id, 160, 42).await;
    write_undone_reviews(&pool, id, 5).await;
    assert!(written >= 1000, "{written}");

    // "Optimise now" posted without JavaScript: back to the settings page,
    // which shows the job waiting.
    let posted = app
        .post(
            "/api/study/optimise",
            "application/x-www-form-urlencoded",
            "text/html",
            "",
        )
        .await;
    assert_eq!(posted.status, StatusCode::FOUND, "{}", posted.body);
    assert_eq!(posted.header("location"), Some("/settings"));
    assert!(app.get("/settings").await.body.contains("Waiting for its turn"));
    let started = std::time::Instant::now();
    assert_eq!(server::jobs::run_pending(&pool).await.unwrap(), 1);
    eprintln!("optimised {written} reviews in {:?}", started.elapsed());
    assert_eq!(queued_jobs(&pool).await, 0);

    let page = optimisation(&mut app).await;
    let latest = &page["latest"];
    assert_eq!(latest["status"], "Done", "{page}");
    assert_eq!(latest["progress"], 1.0);
    assert_eq!(latest["review_count"], json!(written), "standing reviews only");
    let (before, after) = (&latest["before"], &latest["after"]);
    for fit in [before, after] {
        for measure in ["log_loss", "rmse"] {
            assert!(fit[measure].as_f64().is_some_and(|value| value > 0.0), "{page}");
        }
    }
    assert!(latest["held_out_count"].as_i64().unwrap() > 100, "{page}");
    // This learner forgets faster than the defaults expect: fitted
    // parameters predict their latest reviews better.
    assert!(after["log_loss"].as_f64() < before["log_loss"].as_f64(), "{page}");
    assert_eq!(latest["adopted"], true, "{page}");
    assert_eq!(page["personal_parameters"], true);
    let parameters = stored_parameters(&pool, id).await;
    assert_eq!(parameters.len(), 21);

    // The settings page shows the figures and the verdict.
    let html = app.get("/settings").await.body;
    assert!(html.contains("Log loss") && html.contains("RMSE"), "{html}");
    assert!(html.contains("Adopted: the new parameters predicted"), "{html}");
    assert!(
        html.contains(&format!("{:.4}", after["log_loss"].as_f64().unwrap())),
        "{html}"
    );

    // The study queue hands the browser the learner's own parameters.
    let queue = app.get_json(&format!("/api/study/queue?deck_id={deck}")).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(
        floats(&queue.json()["preset"]["scheduling"]["parameters"]),
        parameters
    );

    // The server's replay uses them too: a first Good gives the stability
    // these parameters give, not the defaults'.
    let card: Uuid = sqlx::query_scalar("select id from cards limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let at = now() - 60;
    let body = json!({ "reviews": [{ "id": Uuid::new_v4(), "card_id": card, "rating": 3, "reviewed_at_ms": at * 1000, "duration_ms": 3000 }] });
    let response = app
        .post(
            "/api/study/reviews",
            "application/json",
            "application/json",
            body.to_string(),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let stability = response.json()[0]["state"]["memory"]["stability"]
        .as_f64()
        .unwrap() as f32;
    let expected = |parameters: Vec<f32>| {
        let scheduler = Scheduler::new(SchedulingOptions {
            parameters,
            ..SchedulingOptions::default()
        })
        .unwrap();
        replay(&scheduler, card, &[(at, Rating::Good)], DayClock::UTC).unwrap()[0]
            .memory
            .unwrap()
            .stability
    };
    assert!(
        (stability - expected(parameters.clone())).abs() < 1e-4,
        "{stability}"
    );
    assert!(
        (stability - expected(vec![])).abs() > 1e-2,
        "{stability}: the defaults' stability"
    );

    // Fitted again on the same reviews (once "Optimise now" has waited out
    // its cooldown), the result is the same parameters: no better than the
    // current ones on the held-out reviews, so not adopted.
    sqlx::query("delete from reviews where card_id = $1")
        .bind(card)
        .execute(&pool)
        .await
        .unwrap();
    finished_secs_ago(&pool, id, (optimise::MANUAL_COOLDOWN_MINUTES + 1) * 60).await;
    assert_eq!(optimise_now(&mut app).await.json(), json!(true));
    assert_eq!(server::jobs::run_pending(&pool).await.unwrap(), 1);
    let page = optimisation(&mut app).await;
    let latest = &page["latest"];
    assert_eq!(latest["status"], "Done", "{page}");
    assert_eq!(latest["adopted"], false, "{page}");
    assert!(
        latest["after"]["log_loss"].as_f64() >= latest["before"]["log_loss"].as_f64(),
        "{page}"
    );
    assert_eq!(stored_parameters(&pool, id).await, parameters, "kept");
    assert_eq!(page["personal_parameters"], true);
    let html = app.get("/settings").await.body;
    assert!(html.contains("Not adopted"), "{html}");
}

#[tokio::test]
async fn a_server_stopping_mid_optimisation_queues_it_again() {
    let Learner { pool, id, .. } = learner("stopping@example.org").await;
    write_history(&pool, id, 160, 3).await;
    assert!(optimise::run::request(&pool, id, RequestedBy::Manual)
        .await
        .unwrap());
    sqlx::query("delete from underway.task")
        .execute(&pool)
        .await
        .unwrap();
    let stopping = CancellationToken::new();
    stopping.cancel();
    let ended = optimise::run::optimise(&pool, id, &stopping).await.unwrap();
    assert!(matches!(ended, optimise::run::Ended::Requeued), "{ended:?}");
    let status: String = sqlx::query_scalar("select status from fsrs_parameters where learner_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "queued");
    assert_eq!(queued_jobs(&pool).await, 1, "a new job for the next start");
    assert!(stored_parameters(&pool, id).await.is_empty(), "nothing adopted");
    // The next server runs it to the end.
    assert_eq!(server::jobs::run_pending(&pool).await.unwrap(), 1);
    assert_eq!(stored_parameters(&pool, id).await.len(), 21);
}

#[tokio::test]
async fn the_hourly_round_queues_learners_with_enough_new_reviews_once_a_month() {
    let Learner { pool, id: keen, .. } = learner("keen@example.org").await;
    let mut admin = TestApp::new(pool.clone()).await;
    admin.login("admin@example.org", support::PASSWORD).await;
    let Learner { id: new, .. } = learner_on(pool.clone(), &mut admin, "new@example.org").await;
    write_history(&pool, keen, 80, 9).await;
    write_history(&pool, new, 10, 9).await;

    let round = || optimise::run::request_due(&pool);
    assert_eq!(round().await.unwrap(), 1, "only the learner with enough reviews");
    let requested_by: String =
        sqlx::query_scalar("select requested_by from fsrs_parameters where learner_id = $1")
            .bind(keen)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(requested_by, "automatic");
    assert_eq!(round().await.unwrap(), 0, "already queued");
    assert_eq!(server::jobs::run_pending(&pool).await.unwrap(), 1);
    assert_eq!(round().await.unwrap(), 0, "optimised today");

    // A month later with no new review: nothing to learn from.
    sqlx::query("update fsrs_parameters set finished_at = now() - interval '31 days'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(round().await.unwrap(), 0);
    // A month later with new reviews: again.
    write_history(&pool, keen, 3, 10).await;
    assert_eq!(round().await.unwrap(), 1);

    // The hourly round is itself a job on the queue.
    sqlx::query("delete from underway.task")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("update fsrs_parameters set status = 'done', finished_at = now() - interval '31 days'")
        .execute(&pool)
        .await
        .unwrap();
    app::jobs::enqueue(&mut pool.acquire().await.unwrap(), &pool, &app::jobs::Job::Hourly)
        .await
        .unwrap();
    assert_eq!(
        server::jobs::run_pending(&pool).await.unwrap(),
        2,
        "the round, then the optimisation it queued"
    );
}
