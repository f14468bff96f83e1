//! Study queries. Recording reviews is one transaction: the access check,
//! the log inserts and the replayed states commit together.

use std::collections::HashMap;

use sqlx::PgPool;
use uuid::Uuid;

use super::{
    access, left_today,
    preset::StudyPreset,
    scheduler::{
        is_leech, replay, CardState, DayClock, Memory, Phase, Rating, Scheduler, SchedulingError,
        SchedulingOptions,
    },
    study_order, CardHold, CardStateAfter, QueueCounts, ReviewKind, StudiedDeck, StudyCard, StudyQueue,
    ValidReview, ALLOWED_CLOCK_SKEW_SECONDS,
};
use crate::error::AppError;

impl From<SchedulingError> for AppError {
    #[track_caller]
    fn from(error: SchedulingError) -> Self {
        AppError::internal(error)
    }
}

/// A preset as stored.
struct PresetRow {
    deck_id: Uuid,
    desired_retention: f32,
    maximum_interval_days: i32,
    new_cards_per_day: i32,
    reviews_per_day: i32,
    learning_steps_seconds: Vec<i32>,
    relearning_steps_seconds: Vec<i32>,
    bury_siblings: bool,
    leech_threshold: i32,
    leech_suspends: bool,
}

impl From<PresetRow> for StudyPreset {
    fn from(row: PresetRow) -> StudyPreset {
        let seconds = |steps: Vec<i32>| {
            steps
                .into_iter()
                .filter_map(|step| u32::try_from(step).ok())
                .collect()
        };
        StudyPreset {
            scheduling: SchedulingOptions {
                desired_retention: row.desired_retention,
                maximum_interval_days: u32::try_from(row.maximum_interval_days).unwrap_or(1),
                learning_steps_seconds: seconds(row.learning_steps_seconds),
                relearning_steps_seconds: seconds(row.relearning_steps_seconds),
                ..SchedulingOptions::default()
            },
            new_cards_per_day: u32::try_from(row.new_cards_per_day).unwrap_or(0),
            reviews_per_day: u32::try_from(row.reviews_per_day).unwrap_or(0),
            bury_siblings: row.bury_siblings,
            leech_threshold: u32::try_from(row.leech_threshold).unwrap_or(0),
            leech_suspends: row.leech_suspends,
        }
    }
}

/// The presets of the given top-level decks; a deck without one is absent
/// (it uses the defaults).
async fn presets_of(
    executor: impl sqlx::PgExecutor<'_>,
    top_level_decks: &[Uuid],
) -> Result<HashMap<Uuid, StudyPreset>, AppError> {
    let rows = sqlx::query_as!(
        PresetRow,
        "select deck_id, desired_retention, maximum_interval_days, new_cards_per_day, reviews_per_day,
                learning_steps_seconds, relearning_steps_seconds, bury_siblings, leech_threshold,
                leech_suspends
         from deck_presets where deck_id = any($1)",
        top_level_decks,
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|row| (row.deck_id, row.into())).collect())
}

/// The preset `deck_id` follows: its top-level deck's, or the defaults.
pub async fn deck_preset(pool: &PgPool, deck_id: Uuid) -> Result<StudyPreset, AppError> {
    let top = sqlx::query_scalar!(r#"select top_level_deck($1) as "top""#, deck_id)
        .fetch_one(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(presets_of(pool, &[top]).await?.remove(&top).unwrap_or_default())
}

/// Sets the preset of a top-level deck (the caller checked that it is one,
/// and that the caller may edit it).
pub async fn save_deck_preset(pool: &PgPool, deck_id: Uuid, preset: &StudyPreset) -> Result<(), AppError> {
    let steps = |steps: &[u32]| steps.iter().map(|&step| step as i32).collect::<Vec<i32>>();
    sqlx::query!(
        "insert into deck_presets (deck_id, desired_retention, maximum_interval_days, new_cards_per_day,
                                   reviews_per_day, learning_steps_seconds, relearning_steps_seconds,
                                   bury_siblings, leech_threshold, leech_suspends)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (deck_id) do update set
             desired_retention = excluded.desired_retention,
             maximum_interval_days = excluded.maximum_interval_days,
             new_cards_per_day = excluded.new_cards_per_day,
             reviews_per_day = excluded.reviews_per_day,
             learning_steps_seconds = excluded.learning_steps_seconds,
             relearning_steps_seconds = excluded.relearning_steps_seconds,
             bury_siblings = excluded.bury_siblings,
             leech_threshold = excluded.leech_threshold,
             leech_suspends = excluded.leech_suspends,
             updated_at = now()",
        deck_id,
        preset.scheduling.desired_retention,
        preset.scheduling.maximum_interval_days as i32,
        preset.new_cards_per_day as i32,
        preset.reviews_per_day as i32,
        &steps(&preset.scheduling.learning_steps_seconds),
        &steps(&preset.scheduling.relearning_steps_seconds),
        preset.bury_siblings,
        preset.leech_threshold as i32,
        preset.leech_suspends,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Where `learner_id`'s days begin, with their time zone's offset at `now`.
pub async fn learner_clock(
    executor: impl sqlx::PgExecutor<'_>,
    learner_id: Uuid,
    now: i64,
) -> Result<DayClock, AppError> {
    let row = sqlx::query!(
        r#"select learner_utc_offset(time_zone, to_timestamp($2)) as "offset!", day_starts_at
           from users where id = $1"#,
        learner_id,
        now as f64,
    )
    .fetch_optional(executor)
    .await?
    .ok_or(AppError::Unauthenticated)?;
    Ok(DayClock {
        utc_offset_seconds: row.offset,
        rollover_hour: u8::try_from(row.day_starts_at).unwrap_or(super::scheduler::DEFAULT_ROLLOVER_HOUR),
    })
}

/// Stores a batch of reviews by `learner_id` (each once, however often it
/// is sent) and answers the state of every card they touch, replayed from
/// the card's whole log in time order. A review of a card the learner does
/// not study is `NotFound`; one dated in the future or before its card
/// existed is a `BadRequest`. Nothing is stored unless the whole batch is.
pub async fn record_reviews(
    pool: &PgPool,
    learner_id: Uuid,
    reviews: &[ValidReview],
    now: i64,
) -> Result<Vec<CardStateAfter>, AppError> {
    let mut card_ids: Vec<Uuid> = reviews.iter().map(|review| review.card_id).collect();
    // A fixed order of locks, so two batches never wait on each other.
    card_ids.sort_unstable();
    card_ids.dedup();

    let mut tx = pool.begin().await?;
    let clock = learner_clock(&mut *tx, learner_id, now).await?;
    let studied = access::studied_cards(&mut *tx, learner_id, &card_ids).await?;
    for review in reviews {
        let created = studied.get(&review.card_id).ok_or(AppError::NotFound)?;
        if review.reviewed_at > now + ALLOWED_CLOCK_SKEW_SECONDS {
            return Err(AppError::BadRequest(
                "a review cannot be dated in the future".into(),
            ));
        }
        if review.reviewed_at < created - ALLOWED_CLOCK_SKEW_SECONDS {
            return Err(AppError::BadRequest(
                "a review cannot be older than its card".into(),
            ));
        }
    }
    for card_id in &card_ids {
        // One replay per learner and card at a time.
        sqlx::query!(
            "select pg_advisory_xact_lock(hashtextextended($1::text || $2::text, 0))",
            learner_id.to_string(),
            card_id.to_string(),
        )
        .execute(&mut *tx)
        .await?;
    }
    // Cards whose answer is new in this batch: their siblings are buried.
    let mut newly_answered = Vec::new();
    for review in reviews {
        let (rating, cancels) = match review.kind {
            ReviewKind::Rated(rating) => (Some(rating as i16), None),
            ReviewKind::Undo { cancels } => (None, Some(cancels)),
        };
        let inserted = sqlx::query!(
            "insert into reviews (id, learner_id, card_id, rating, cancels, reviewed_at, duration_ms)
             values ($1, $2, $3, $4, $5, to_timestamp($6), $7)
             on conflict (id) do nothing",
            review.id,
            learner_id,
            review.card_id,
            rating,
            cancels,
            review.reviewed_at as f64,
            review.duration_ms,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted > 0 && rating.is_some() {
            newly_answered.push(review.card_id);
        }
    }

    // Each card follows its top-level deck's preset.
    let tops = sqlx::query!(
        r#"select id, top_level_deck(deck_id) as "top!" from cards where id = any($1)"#,
        &card_ids,
    )
    .fetch_all(&mut *tx)
    .await?;
    let top_of: HashMap<Uuid, Uuid> = tops.into_iter().map(|row| (row.id, row.top)).collect();
    let top_ids: Vec<Uuid> = top_of.values().copied().collect();
    let presets = presets_of(&mut *tx, &top_ids).await?;
    let default_preset = StudyPreset::default();
    let preset_of = |card_id: &Uuid| {
        top_of
            .get(card_id)
            .and_then(|top| presets.get(top))
            .unwrap_or(&default_preset)
    };
    let mut schedulers: HashMap<Option<Uuid>, Scheduler> = HashMap::new();
    let parameters = super::optimise::db::learner_parameters(&mut *tx, learner_id).await?;

    let mut states = Vec::with_capacity(card_ids.len());
    for card_id in &card_ids {
        let preset = preset_of(card_id);
        let key = top_of
            .get(card_id)
            .copied()
            .filter(|top| presets.contains_key(top));
        let scheduler = match schedulers.entry(key) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(Scheduler::new(SchedulingOptions {
                    parameters: parameters.clone(),
                    ..preset.scheduling.clone()
                })?)
            }
        };
        let lapses_before = sqlx::query_scalar!(
            "select lapses from card_states where learner_id = $1 and card_id = $2",
            learner_id,
            card_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or(0);
        let history = standing_reviews(&mut tx, learner_id, *card_id).await?;
        let state = replay(scheduler, *card_id, &history, clock)?.pop();
        save_card_state(&mut tx, learner_id, *card_id, state.as_ref()).await?;
        let lapses_after = state.as_ref().map_or(0, |state| state.lapses);
        let lapsed_into_leech = (u32::try_from(lapses_before).unwrap_or(0) + 1..=lapses_after)
            .any(|lapses| is_leech(lapses, preset.leech_threshold));
        if lapsed_into_leech {
            mark_leech(&mut tx, learner_id, card_id, preset.leech_suspends).await?;
        }
        states.push(CardStateAfter {
            card_id: *card_id,
            state,
        });
    }
    let bury: Vec<Uuid> = newly_answered
        .into_iter()
        .filter(|card_id| preset_of(card_id).bury_siblings)
        .collect();
    if !bury.is_empty() {
        let tomorrow = clock.day_start(clock.day_number(now) + 1);
        bury_siblings(&mut tx, learner_id, &bury, tomorrow).await?;
    }
    tx.commit().await?;
    Ok(states)
}

/// Marks a card that lapsed too often as a leech for the learner (and
/// suspends it if its preset says so). On a note of their own deck, the
/// note is tagged `leech` too, where the card browser finds it.
async fn mark_leech(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: &Uuid,
    suspend: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into card_flags (learner_id, card_id, leech, suspended) values ($1, $2, true, $3)
         on conflict (learner_id, card_id) do update
             set leech = true, suspended = card_flags.suspended or excluded.suspended",
        learner_id,
        card_id,
        suspend,
    )
    .execute(&mut *tx)
    .await?;
    let tagged_deck = sqlx::query_scalar!(
        "update notes n set tags = array_append(n.tags, 'leech'), updated_at = now()
         from cards c join decks d on d.id = c.deck_id
         where c.id = $2 and n.id = c.note_id and d.owner_id = $1 and not ('leech' = any(n.tags))
         returning d.id",
        learner_id,
        card_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(deck_id) = tagged_deck {
        sqlx::query!("select refresh_deck_search($1)", &[deck_id][..])
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Sends the other new and review cards of each answered card's note to the
/// learner's next day. Cards in their (re)learning steps stay.
async fn bury_siblings(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    answered: &[Uuid],
    until: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into card_flags (learner_id, card_id, buried_until)
         select $1, sibling.id, to_timestamp($3)
         from cards answered
         join cards sibling on sibling.note_id = answered.note_id and sibling.id <> answered.id
         left join card_states s on s.learner_id = $1 and s.card_id = sibling.id
         where answered.id = any($2) and sibling.id <> all($2)
           and (s.phase is null or s.phase = 'review')
         on conflict (learner_id, card_id) do update
             set buried_until = greatest(card_flags.buried_until, excluded.buried_until)",
        learner_id,
        answered,
        until as f64,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The card's ratings by the learner that no undo has taken back.
async fn standing_reviews(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: Uuid,
) -> Result<Vec<(i64, Rating)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select extract(epoch from r.reviewed_at)::bigint as "reviewed_at!", r.rating as "rating!"
        from reviews r
        where r.learner_id = $1 and r.card_id = $2 and r.rating is not null
          and not exists (select 1 from reviews undo where undo.learner_id = $1 and undo.cancels = r.id)
        order by r.reviewed_at, r.id
        "#,
        learner_id,
        card_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|row| {
            Rating::from_number(i64::from(row.rating))
                .map(|rating| (row.reviewed_at, rating))
                .ok_or_else(|| AppError::internal(format!("stored rating {} is not 1 to 4", row.rating)))
        })
        .collect()
}

async fn save_card_state(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: Uuid,
    state: Option<&CardState>,
) -> Result<(), AppError> {
    let Some(state) = state else {
        sqlx::query!(
            "delete from card_states where learner_id = $1 and card_id = $2",
            learner_id,
            card_id
        )
        .execute(&mut *tx)
        .await?;
        return Ok(());
    };
    let phase = match state.phase {
        Phase::Learning => "learning",
        Phase::Review => "review",
        Phase::Relearning => "relearning",
        Phase::New => return Err(AppError::internal("a reviewed card cannot be new")),
    };
    let Memory {
        stability,
        difficulty,
    } = state
        .memory
        .ok_or_else(|| AppError::internal("a reviewed card has a memory state"))?;
    let last_review = state
        .last_review
        .ok_or_else(|| AppError::internal("a reviewed card has a last review"))?;
    sqlx::query!(
        "insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at,
                                  last_review_at, scheduled_days, reps, lapses)
         values ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), $9, $10, $11)
         on conflict (learner_id, card_id) do update set
             phase = excluded.phase, step = excluded.step, stability = excluded.stability,
             difficulty = excluded.difficulty, due_at = excluded.due_at,
             last_review_at = excluded.last_review_at, scheduled_days = excluded.scheduled_days,
             reps = excluded.reps, lapses = excluded.lapses",
        learner_id,
        card_id,
        phase,
        i16::from(state.step),
        stability,
        difficulty,
        state.due as f64,
        last_review as f64,
        i32::try_from(state.scheduled_days).unwrap_or(i32::MAX),
        i32::try_from(state.reps).unwrap_or(i32::MAX),
        i32::try_from(state.lapses).unwrap_or(i32::MAX),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn start_studying(pool: &PgPool, learner_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "insert into deck_studies (learner_id, deck_id) values ($1, $2) on conflict do nothing",
        learner_id,
        deck_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn stop_studying(pool: &PgPool, learner_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "delete from deck_studies where learner_id = $1 and deck_id = $2",
        learner_id,
        deck_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The deck's cards `learner_id` should study today, within the day's
/// limits, in study order (see `study_order`). The caller has checked that
/// they study the deck.
pub async fn todays_queue(
    pool: &PgPool,
    learner_id: Uuid,
    deck_id: Uuid,
    now: i64,
    clock: DayClock,
) -> Result<StudyQueue, AppError> {
    let today = clock.day_number(now);
    let (day_start, day_end) = (clock.day_start(today), clock.day_start(today + 1));
    let deck_title = sqlx::query_scalar!("select title from decks where id = $1", deck_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;

    // What was already studied today counts against the day's limits.
    let done = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select $2::uuid union select d.id from decks d join tree on d.parent_id = tree.id
        )
        select count(distinct t.card_id) filter (where t.new_today) as "new_today!",
               count(*) filter (where not t.new_today) as "reviews_today!"
        from standing_reviews_since($1, to_timestamp($3)) t
        join cards c on c.id = t.card_id
        where c.deck_id in (select id from tree)
        "#,
        learner_id,
        deck_id,
        day_start as f64,
    )
    .fetch_one(pool)
    .await?;
    let mut preset = deck_preset(pool, deck_id).await?;
    preset.scheduling.parameters = super::optimise::db::learner_parameters(pool, learner_id).await?;
    let new_left = left_today(preset.new_cards_per_day, done.new_today);
    let reviews_left = left_today(preset.reviews_per_day, done.reviews_today);

    let studied = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select $2::uuid union select d.id from decks d join tree on d.parent_id = tree.id
        )
        select c.id, c.note_id, c.front_html, c.back_html, s.phase, s.step, s.stability, s.difficulty,
               extract(epoch from s.due_at)::bigint as "due!",
               extract(epoch from s.last_review_at)::bigint as "last_review!",
               s.scheduled_days, s.reps, s.lapses
        from card_states s join cards c on c.id = s.card_id
        where s.learner_id = $1 and c.deck_id in (select id from tree) and s.due_at < to_timestamp($3)
          and not exists (
              select 1 from card_flags f
              where f.learner_id = $1 and f.card_id = c.id
                and (f.suspended or f.buried_until > to_timestamp($4))
          )
        order by s.due_at, c.id
        "#,
        learner_id,
        deck_id,
        day_end as f64,
        now as f64,
    )
    .fetch_all(pool)
    .await?;
    let (mut learning, mut reviews) = (Vec::new(), Vec::new());
    for row in studied {
        let phase = match row.phase.as_str() {
            "learning" => Phase::Learning,
            "relearning" => Phase::Relearning,
            "review" => Phase::Review,
            other => return Err(AppError::internal(format!("unknown card phase {other:?}"))),
        };
        let card = StudyCard {
            id: row.id,
            note_id: row.note_id,
            front_html: row.front_html,
            back_html: row.back_html,
            type_answer: None,
            state: CardState {
                phase,
                step: u8::try_from(row.step).unwrap_or(0),
                memory: Some(Memory {
                    stability: row.stability,
                    difficulty: row.difficulty,
                }),
                due: row.due,
                last_review: Some(row.last_review),
                scheduled_days: u32::try_from(row.scheduled_days).unwrap_or(0),
                reps: u32::try_from(row.reps).unwrap_or(0),
                lapses: u32::try_from(row.lapses).unwrap_or(0),
            },
        };
        if phase == Phase::Review {
            reviews.push(card);
        } else {
            learning.push(card);
        }
    }
    reviews.truncate(reviews_left);

    let new = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select $2::uuid union select d.id from decks d join tree on d.parent_id = tree.id
        )
        select c.id, c.note_id, c.front_html, c.back_html, extract(epoch from c.created_at)::bigint as "created!"
        from cards c
        where c.deck_id in (select id from tree)
          and not exists (select 1 from card_states s where s.learner_id = $1 and s.card_id = c.id)
          and not exists (
              select 1 from card_flags f
              where f.learner_id = $1 and f.card_id = c.id
                and (f.suspended or f.buried_until > to_timestamp($4))
          )
        order by c.created_at, c.ordinal, c.id
        limit $3
        "#,
        learner_id,
        deck_id,
        i64::try_from(new_left).unwrap_or(0),
        now as f64,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| StudyCard {
        id: row.id,
        note_id: row.note_id,
        front_html: row.front_html,
        back_html: row.back_html,
        type_answer: None,
        state: CardState::new_card(row.created),
    })
    .collect();

    let mut cards = study_order(learning, reviews, new);
    add_type_answers(pool, &mut cards).await?;
    Ok(StudyQueue {
        deck_id,
        deck_title,
        learner_id,
        generated_at: now,
        cards,
        preset,
        clock,
    })
}

/// The marker a `{{type:Field}}` placeholder leaves in a card's HTML.
const TYPE_ANSWER_MARKER: &str = "class=\"type-answer\"";

/// Gives each type-the-answer card the answer to compare with: the plain
/// text of the field its template's `{{type:Field}}` names. One query for
/// all of them; a cloze's typed answer is not compared.
async fn add_type_answers(pool: &PgPool, cards: &mut [StudyCard]) -> Result<(), AppError> {
    let ids: Vec<Uuid> = cards
        .iter()
        .filter(|card| card.front_html.contains(TYPE_ANSWER_MARKER))
        .map(|card| card.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let rows = sqlx::query!(
        r#"select c.id, n.fields as "values", t.fields as "names",
                  t.templates -> coalesce(c.ordinal, 0)::int ->> 'front' as "front_template"
           from cards c join notes n on n.id = c.note_id join note_types t on t.id = n.note_type_id
           where c.id = any($1)"#,
        &ids,
    )
    .fetch_all(pool)
    .await?;
    let answers: HashMap<Uuid, String> = rows
        .into_iter()
        .filter_map(|row| {
            let template = row.front_template?;
            let start = template.find("{{type:")? + "{{type:".len();
            let name = template[start..].split("}}").next()?.trim();
            let index = row.names.iter().position(|field| field == name)?;
            Some((row.id, plain_text(row.values.get(index)?)))
        })
        .collect();
    for card in cards {
        card.type_answer = answers.get(&card.id).cloned();
    }
    Ok(())
}

/// A field's Markdown as the plain text a learner would type.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// Suspends, unsuspends or buries a card the learner studies (`NotFound`
/// for any other card). A burial lasts until the learner's next day begins.
pub async fn hold_card(
    pool: &PgPool,
    learner_id: Uuid,
    card_id: Uuid,
    hold: CardHold,
    now: i64,
    clock: DayClock,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if access::studied_cards(&mut *tx, learner_id, &[card_id])
        .await?
        .is_empty()
    {
        return Err(AppError::NotFound);
    }
    let (suspended, buried_until) = match hold {
        CardHold::Suspend => (Some(true), None),
        CardHold::Unsuspend => (Some(false), None),
        CardHold::Bury => (None, Some(clock.day_start(clock.day_number(now) + 1))),
    };
    sqlx::query!(
        "insert into card_flags (learner_id, card_id, suspended, buried_until)
         values ($1, $2, coalesce($3, false), to_timestamp($4))
         on conflict (learner_id, card_id) do update set
             suspended = coalesce($3, card_flags.suspended),
             buried_until = coalesce(to_timestamp($4), card_flags.buried_until)",
        learner_id,
        card_id,
        suspended,
        buried_until.map(|at| at as f64),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The decks `learner_id` studies, each with its subdecks, and how many new,
/// learning and review cards each has for today within the day's limits
/// (the counts its study queue would start with). Their own top-level decks
/// first, then the decks they chose, then their courses' decks.
pub async fn studied_decks_today(
    pool: &PgPool,
    learner_id: Uuid,
    now: i64,
    clock: DayClock,
) -> Result<Vec<StudiedDeck>, AppError> {
    let today = clock.day_number(now);
    let (day_start, day_end) = (clock.day_start(today), clock.day_start(today + 1));
    let rows = sqlx::query!(
        r#"
        with recursive roots (id, why) as (
            select d.id, 1 from decks d where d.owner_id = $1 and d.parent_id is null
            union all
            select s.deck_id, 2 from deck_studies s join decks d on d.id = s.deck_id
            where s.learner_id = $1 and d.visibility <> 'private' and d.owner_id <> $1
            union all
            select distinct ld.deck_id, 3 from enrolments e
            join lessons l on l.course_id = e.course_id
            join lesson_decks ld on ld.lesson_id = l.id
            join decks d on d.id = ld.deck_id
            where e.user_id = $1 and d.owner_id <> $1
        ),
        first_roots as (select distinct on (id) id, why from roots order by id, why),
        tree (root_id, id) as (
            select id, id from first_roots
            union
            select tree.root_id, d.id from decks d join tree on d.parent_id = tree.id
        ),
        today as (select * from standing_reviews_since($1, to_timestamp($2))),
        counts as (
            select tree.root_id,
                   count(*) filter (where s.card_id is null) as new_available,
                   count(*) filter (where s.phase in ('learning', 'relearning') and s.due_at < to_timestamp($3)) as learning,
                   count(*) filter (where s.phase = 'review' and s.due_at < to_timestamp($3)) as review_due
            from tree
            join cards c on c.deck_id = tree.id
            left join card_states s on s.learner_id = $1 and s.card_id = c.id
            where not exists (
                select 1 from card_flags f
                where f.learner_id = $1 and f.card_id = c.id
                  and (f.suspended or f.buried_until > to_timestamp($4))
            )
            group by tree.root_id
        ),
        done as (
            select tree.root_id,
                   count(distinct today.card_id) filter (where today.new_today) as new_today,
                   count(*) filter (where not today.new_today) as reviews_today
            from today join cards c on c.id = today.card_id join tree on tree.id = c.deck_id
            group by tree.root_id
        )
        select d.id, d.title, r.why as "why!", top_level_deck(d.id) as "top!",
               coalesce(counts.new_available, 0) as "new_available!",
               coalesce(counts.learning, 0) as "learning!",
               coalesce(counts.review_due, 0) as "review_due!",
               coalesce(done.new_today, 0) as "new_today!",
               coalesce(done.reviews_today, 0) as "reviews_today!"
        from first_roots r
        join decks d on d.id = r.id
        left join counts on counts.root_id = r.id
        left join done on done.root_id = r.id
        order by r.why, lower(d.title), d.id
        "#,
        learner_id,
        day_start as f64,
        day_end as f64,
        now as f64,
    )
    .fetch_all(pool)
    .await?;
    let tops: Vec<Uuid> = rows.iter().map(|row| row.top).collect();
    let presets = presets_of(pool, &tops).await?;
    let default_preset = StudyPreset::default();
    Ok(rows
        .into_iter()
        .map(|row| {
            let preset = presets.get(&row.top).unwrap_or(&default_preset);
            let new_left = left_today(preset.new_cards_per_day, row.new_today);
            let reviews_left = left_today(preset.reviews_per_day, row.reviews_today);
            StudiedDeck {
                deck_id: row.id,
                title: row.title,
                chosen: row.why == 2,
                counts: QueueCounts {
                    new: new_left.min(usize::try_from(row.new_available).unwrap_or(0)),
                    learning: usize::try_from(row.learning).unwrap_or(0),
                    review: reviews_left.min(usize::try_from(row.review_due).unwrap_or(0)),
                },
            }
        })
        .collect())
}

/// The card an undo of `review_id` would take back: one of the learner's
/// own ratings. `NotFound` for anything else, so that no one learns of
/// another learner's reviews.
pub async fn rated_card(pool: &PgPool, learner_id: Uuid, review_id: Uuid) -> Result<Uuid, AppError> {
    sqlx::query_scalar!(
        "select card_id from reviews where id = $1 and learner_id = $2 and rating is not null",
        review_id,
        learner_id,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}
