//! Statistics queries. The review log is summed in SQL, one row per learner
//! day, so a learner with 100,000 reviews sends back a few hundred rows;
//! card states come back one row per card. Each query reads one index range
//! of the learner's rows, and they run at once on separate connections.
//!
//! A learner day is `floor((epoch + shift) / 86400)` with `shift` the
//! learner's UTC offset less their rollover hour (`DayClock::day_number`),
//! written in SQL as a date difference, which PostgreSQL computes in
//! integers.

use sqlx::PgPool;
use uuid::Uuid;

use super::{
    CardMemory, DayActivity, DeckChoice, Memories, Statistics, Tally, FORECAST_DAYS, MATURE_INTERVAL_DAYS,
};
use crate::{error::AppError, study::scheduler::DayClock};

const SECONDS_PER_DAY: f64 = 86_400.0;

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Seconds added to a Unix time before flooring it to the learner's day.
fn day_shift(clock: DayClock) -> f64 {
    -clock.day_start(0) as f64
}

/// Everything the statistics page shows, for all of `learner_id`'s reviews
/// (`deck_id` `None`) or for one deck and its subdecks. The caller has
/// checked that the learner studies the deck.
pub async fn statistics(
    pool: &PgPool,
    learner_id: Uuid,
    deck_id: Option<Uuid>,
    now: i64,
    clock: DayClock,
) -> Result<Statistics, AppError> {
    let today = clock.day_number(now);
    let (decks, days, due, cards, parameters) = tokio::try_join!(
        studied_deck_choices(pool, learner_id),
        daily_activity(pool, learner_id, deck_id, clock),
        due_per_day(pool, learner_id, deck_id, today, clock),
        card_memories(pool, learner_id, deck_id, now),
        crate::study::optimise::db::learner_parameters(pool, learner_id),
    )?;
    let deck = match deck_id {
        Some(id) => Some(
            decks
                .iter()
                .find(|deck| deck.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    Ok(Statistics::assemble(
        deck,
        decks,
        today,
        &days,
        &due,
        Memories::of(&cards, super::decay(&parameters)),
    ))
}

/// The decks `learner_id` studies (`studied_decks`, subdecks included), by title.
pub async fn studied_deck_choices(pool: &PgPool, learner_id: Uuid) -> Result<Vec<DeckChoice>, AppError> {
    let decks = sqlx::query_as!(
        DeckChoice,
        "select d.id, d.title from decks d
         where d.id in (select deck_id from studied_decks($1))
         order by lower(d.title), d.id",
        learner_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(decks)
}

/// Each learner day with standing reviews: how many, the time they took,
/// and the review-phase answers among them by interval, young or mature.
///
/// A review-phase answer is one whose previous standing review of the same
/// card was at least one learner day earlier; its interval is that gap in
/// days (so a first answer and a same-day learning step are not counted).
/// The previous review may be older than any period shown, so the window
/// runs over the learner's (or deck's) whole log: one pass over the
/// `(learner_id, reviewed_at)` range, sorted by card for `lag`.
pub async fn daily_activity(
    pool: &PgPool,
    learner_id: Uuid,
    deck_id: Option<Uuid>,
    clock: DayClock,
) -> Result<Vec<DayActivity>, AppError> {
    let rows = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select d.id from decks d where d.id = $2
            union
            select d.id from decks d join tree on d.parent_id = tree.id
        ),
        standing as (
            select r.card_id, r.reviewed_at, r.rating, r.duration_ms,
                   (r.reviewed_at at time zone 'UTC' + make_interval(secs => $3))::date - date '1970-01-01' as day
            from reviews r
            where r.learner_id = $1 and r.rating is not null
              and not exists (select 1 from reviews undo where undo.learner_id = $1 and undo.cancels = r.id
                                 and undo.card_id = r.card_id)
              and ($2::uuid is null or r.card_id in (select c.id from cards c where c.deck_id in (select id from tree)))
        ),
        -- Two answers to one card within a second are ordered by rating,
        -- so that the counts never depend on the plan.
        answers as (
            select day, rating, duration_ms,
                   day - lag(day) over (partition by card_id order by reviewed_at, rating) as interval_days
            from standing
        )
        select day as "day!",
               count(*) as "reviews!",
               sum(duration_ms)::bigint as "duration_ms!",
               count(*) filter (where interval_days between 1 and $4 - 1) as "young!",
               count(*) filter (where interval_days between 1 and $4 - 1 and rating > 1) as "young_passed!",
               count(*) filter (where interval_days >= $4) as "mature!",
               count(*) filter (where interval_days >= $4 and rating > 1) as "mature_passed!"
        from answers
        group by day
        "#,
        learner_id,
        deck_id,
        day_shift(clock),
        MATURE_INTERVAL_DAYS,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| DayActivity {
            day: i64::from(row.day),
            reviews: count(row.reviews),
            duration_ms: row.duration_ms,
            young: Tally {
                passed: count(row.young_passed),
                total: count(row.young),
            },
            mature: Tally {
                passed: count(row.mature_passed),
                total: count(row.mature),
            },
        })
        .collect())
}

/// Cards due per learner day from today to the forecast's end, overdue
/// cards counted today; suspended cards are left out (no queue shows them).
/// One range of `card_states (learner_id, due_at)`.
pub async fn due_per_day(
    pool: &PgPool,
    learner_id: Uuid,
    deck_id: Option<Uuid>,
    today: i64,
    clock: DayClock,
) -> Result<Vec<(i64, u32)>, AppError> {
    let end = clock.day_start(today + FORECAST_DAYS as i64);
    let rows = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select d.id from decks d where d.id = $2
            union
            select d.id from decks d join tree on d.parent_id = tree.id
        )
        select greatest((s.due_at at time zone 'UTC' + make_interval(secs => $3))::date - date '1970-01-01', $4::int)
                   as "day!",
               count(*) as "cards!"
        from card_states s
        where s.learner_id = $1 and s.due_at < to_timestamp($5)
          and ($2::uuid is null or s.card_id in (select c.id from cards c where c.deck_id in (select id from tree)))
          and not exists (
              select 1 from card_flags f where f.learner_id = $1 and f.card_id = s.card_id and f.suspended
          )
        group by 1
        "#,
        learner_id,
        deck_id,
        day_shift(clock),
        i32::try_from(today).unwrap_or(i32::MAX),
        end as f64,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (i64::from(row.day), count(row.cards)))
        .collect())
}

/// Stability, difficulty and the days since the last review of every card
/// the learner has studied (in the deck): one row per card, read from the
/// `card_states` primary key range.
pub async fn card_memories(
    pool: &PgPool,
    learner_id: Uuid,
    deck_id: Option<Uuid>,
    now: i64,
) -> Result<Vec<CardMemory>, AppError> {
    let rows = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select d.id from decks d where d.id = $2
            union
            select d.id from decks d join tree on d.parent_id = tree.id
        )
        select s.stability, s.difficulty, extract(epoch from s.last_review_at)::float8 as "last_review!"
        from card_states s
        where s.learner_id = $1
          and ($2::uuid is null or s.card_id in (select c.id from cards c where c.deck_id in (select id from tree)))
        "#,
        learner_id,
        deck_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| CardMemory {
            stability: row.stability,
            difficulty: row.difficulty,
            elapsed_days: ((now as f64 - row.last_review) / SECONDS_PER_DAY) as f32,
        })
        .collect())
}
