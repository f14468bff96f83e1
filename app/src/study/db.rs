//! Study queries. Recording reviews is one transaction: the access check,
//! the log inserts and the replayed states commit together.

use std::collections::HashMap;

use sqlx::PgPool;
use uuid::Uuid;

use super::{
    access, left_today,
    preset::StudyPreset,
    scheduler::{
        is_leech, replay_after, CardState, DayClock, Memory, Phase, Rating, Scheduler, SchedulingError,
        SchedulingOptions, SCHEDULER_REVISION,
    },
    session::SessionSummary,
    study_order, CardHold, CardStateAfter, QueueCounts, ReviewKind, StudiedDeck, StudyCard, StudyQueue,
    ValidHold, ValidReview, ALLOWED_CLOCK_SKEW_SECONDS, REVIEW_DATED_AHEAD, REVIEW_OLDER_THAN_ITS_CARD,
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

/// One learner's batch of reviews, as one request sent it.
#[derive(Debug, Clone)]
pub struct Submission {
    pub learner_id: Uuid,
    pub reviews: Vec<ValidReview>,
}

/// Stores batches of reviews, of one learner or many, in one transaction:
/// each review once, however often it is sent. Answers, for each
/// submission in order, the state of every card it touches: the state
/// replaying the learner's whole log of the card in time order gives. When
/// the new reviews are ratings after everything already replayed, with the
/// same parameters, options and clock, that is the stored state carried
/// forward through them alone (see [`carries_forward`]). A review of a card
/// the learner does not study is `NotFound`; one dated in the future is a
/// `Conflict` (refused for now), one before its card existed a
/// `BadRequest` (for good). Nothing is stored unless
/// every submission is (`study::writer` then writes each on its own, so
/// that one bad request fails alone).
///
/// However many reviews and learners, this is five round trips: begin; the
/// locks and the inserts; one read of all the replay needs; one write of the
/// replayed states; commit. Cards whose whole log must be replayed (an undo,
/// a review dated before the last one, new options) add one read for all of
/// them; sibling burials add one per submission, and each card that became
/// a leech, or had the lapse that suspended it undone, one more.
pub async fn record_submissions(
    pool: &PgPool,
    submissions: &[Submission],
    now: i64,
) -> Result<Vec<Vec<CardStateAfter>>, AppError> {
    let reviews: Vec<(Uuid, &ValidReview)> = submissions
        .iter()
        .flat_map(|submission| {
            submission
                .reviews
                .iter()
                .map(|review| (submission.learner_id, review))
        })
        .collect();
    if reviews
        .iter()
        .any(|(_, review)| review.reviewed_at > now + ALLOWED_CLOCK_SKEW_SECONDS)
    {
        // Refused for now, not for good: the same review is stored once the
        // server's clock has caught up, so the browser keeps it and sends
        // it again (`study::outbox`), where it lets go of one refused for good.
        return Err(AppError::Conflict(REVIEW_DATED_AHEAD.into()));
    }
    // A fixed order of locks (by learner, then card), so two transactions
    // never wait on each other.
    let mut learner_cards: Vec<(Uuid, Uuid)> = reviews
        .iter()
        .map(|(learner_id, review)| (*learner_id, review.card_id))
        .collect();
    learner_cards.sort_unstable();
    learner_cards.dedup();

    let mut tx = pool.begin().await?;
    let (inserted, inputs) = record_and_read(&mut tx, &learner_cards, &reviews, now).await?;
    for &(learner_id, review) in &reviews {
        let card = inputs.card(learner_id, review.card_id)?;
        if review.reviewed_at < card.created - ALLOWED_CLOCK_SKEW_SECONDS {
            return Err(AppError::BadRequest(REVIEW_OLDER_THAN_ITS_CARD.into()));
        }
    }

    // The reviews this transaction stored, by learner and card: with the
    // stored states, all that changed in each card's log since its replay.
    let mut stored_now: HashMap<(Uuid, Uuid), Vec<&ValidReview>> = HashMap::new();
    for &(learner_id, review) in &reviews {
        if inserted.contains(&review.id) {
            stored_now
                .entry((learner_id, review.card_id))
                .or_default()
                .push(review);
        }
    }

    // One scheduler per learner and preset: the learner's parameters with
    // the preset's options, and the digest of what its replays depend on.
    let mut schedulers: HashMap<(Uuid, Option<Uuid>), (Scheduler, i64)> = HashMap::new();
    let mut replays = Vec::with_capacity(learner_cards.len());
    let mut whole_logs_needed = Vec::new();
    for &(learner_id, card_id) in &learner_cards {
        let learner = inputs.learner(learner_id)?;
        let card = inputs.card(learner_id, card_id)?;
        let digest = match schedulers.entry((learner_id, card.preset_deck)) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.get().1,
            std::collections::hash_map::Entry::Vacant(entry) => {
                let scheduler = Scheduler::new(SchedulingOptions {
                    parameters: learner.parameters.clone(),
                    ..card.preset.scheduling.clone()
                })?;
                let digest = replay_key(scheduler.options(), learner.clock);
                entry.insert((scheduler, digest)).1
            }
        };
        let new_reviews = stored_now
            .get(&(learner_id, card_id))
            .map_or(&[][..], Vec::as_slice);
        let start = match &card.stored {
            // Never replayed: what was read is the whole log.
            None => Some(CardState::new_card(0)),
            Some(stored) => carries_forward(stored, digest, new_reviews, &card.later_reviews),
        };
        if start.is_none() {
            whole_logs_needed.push((learner_id, card_id));
        }
        replays.push((learner_id, card_id, start));
    }
    let whole_logs = if whole_logs_needed.is_empty() {
        ReplayInputs::default()
    } else {
        whole_logs_of(&mut tx, &whole_logs_needed, now).await?
    };

    let mut states: HashMap<(Uuid, Uuid), Option<CardState>> = HashMap::with_capacity(learner_cards.len());
    let mut replayed_with = HashMap::with_capacity(learner_cards.len());
    let mut leeches = Vec::new();
    let mut lapses_undone = Vec::new();
    for (learner_id, card_id, start) in replays {
        let learner = inputs.learner(learner_id)?;
        let card = inputs.card(learner_id, card_id)?;
        let (scheduler, digest) = &schedulers[&(learner_id, card.preset_deck)];
        let (start, later_reviews) = match start {
            Some(start) => (start, &card.later_reviews),
            None => (
                CardState::new_card(0),
                &whole_logs.card(learner_id, card_id)?.later_reviews,
            ),
        };
        let mut replayed = replay_after(scheduler, card_id, start.clone(), later_reviews, learner.clock)?;
        // The last review that made the card a leech (again), if any did:
        // when its preset's suspension happens.
        let lapsed_into_leech = replayed
            .iter()
            .rev()
            .find(|state| {
                state.lapses > card.lapses_before && is_leech(state.lapses, card.preset.leech_threshold)
            })
            .and_then(|state| {
                Some(Leech {
                    suspends: card.preset.leech_suspends,
                    // A device clock ahead of the server's does not make
                    // the suspension later than a change by hand after it.
                    at: state.last_review?.min(now),
                    lapses: state.lapses,
                })
            });
        let state = match replayed.pop() {
            Some(state) => Some(state),
            // No review after the start: a state carried forward stays as
            // it is, and a card with no standing review is new.
            None if start.phase != Phase::New => Some(start),
            None => None,
        };
        if let Some(leech) = lapsed_into_leech {
            leeches.push((learner_id, card_id, leech));
        }
        // An undo in this batch that took lapses back may lift a leech's
        // suspension. (Lapses are counted again, up or down, when the
        // options change or a review arrives dated before others; that
        // alone lifts nothing.)
        let lapses_now = state.as_ref().map_or(0, |state| state.lapses);
        let undone_here = stored_now.get(&(learner_id, card_id)).is_some_and(|reviews| {
            reviews
                .iter()
                .any(|review| matches!(review.kind, ReviewKind::Undo { .. }))
        });
        if undone_here && lapses_now < card.lapses_before {
            lapses_undone.push((learner_id, card_id, lapses_now, card.preset.leech_threshold));
        }
        states.insert((learner_id, card_id), state);
        replayed_with.insert((learner_id, card_id), *digest);
    }
    save_card_states(&mut tx, &states, &replayed_with).await?;
    for (learner_id, card_id, lapses, threshold) in lapses_undone {
        unmark_undone_leech(&mut tx, learner_id, card_id, lapses, threshold).await?;
    }
    for (learner_id, card_id, leech) in leeches {
        mark_leech(&mut tx, learner_id, &card_id, &leech).await?;
    }

    // A rating new in this batch buries its card's siblings (if the preset
    // says so) until the day after the one it was made on: a rating sent a
    // day late buries nothing. An undo new in this batch brings back what
    // its rating buried.
    for submission in submissions {
        let learner_id = submission.learner_id;
        let clock = inputs.learner(learner_id)?.clock;
        let mut burying = Vec::new();
        let mut undone = Vec::new();
        for review in submission
            .reviews
            .iter()
            .filter(|review| inserted.contains(&review.id))
        {
            match review.kind {
                ReviewKind::Rated(_) if inputs.card(learner_id, review.card_id)?.preset.bury_siblings => {
                    // A device clock ahead of the server's past the day's
                    // start does not bury for a day more.
                    let until = clock.day_start(clock.day_number(review.reviewed_at.min(now)) + 1);
                    if until > now {
                        burying.push(SiblingBurial {
                            answered_card: review.card_id,
                            review_id: review.id,
                            until,
                        });
                    }
                }
                ReviewKind::Rated(_) => {}
                ReviewKind::Undo { cancels } => undone.push(cancels),
            }
        }
        if !burying.is_empty() || !undone.is_empty() {
            // Every card of the learner's in this transaction is answered, not buried.
            let batch_cards: Vec<Uuid> = learner_cards
                .iter()
                .filter(|(learner, _)| *learner == learner_id)
                .map(|(_, card_id)| *card_id)
                .collect();
            update_sibling_burials(&mut tx, learner_id, &batch_cards, &burying, &undone).await?;
        }
    }
    tx.commit().await?;

    // Each submission hears of its own cards, each once, in card order.
    Ok(submissions
        .iter()
        .map(|submission| {
            let mut card_ids: Vec<Uuid> = submission.reviews.iter().map(|review| review.card_id).collect();
            card_ids.sort_unstable();
            card_ids.dedup();
            card_ids
                .into_iter()
                .map(|card_id| CardStateAfter {
                    card_id,
                    state: states.get(&(submission.learner_id, card_id)).cloned().flatten(),
                })
                .collect()
        })
        .collect())
}

/// Takes each learner's lock on each card (so one replay per learner and
/// card runs at a time), stores the reviews not stored before, and reads
/// what replaying the cards needs: one call, `record_reviews_and_read`,
/// whose read comes after the locks and so sees every review committed by
/// whoever held one before. Answers the ids it stored, and the inputs.
async fn record_and_read(
    tx: &mut sqlx::PgConnection,
    learner_cards: &[(Uuid, Uuid)],
    reviews: &[(Uuid, &ValidReview)],
    now: i64,
) -> Result<(std::collections::HashSet<Uuid>, ReplayInputs), AppError> {
    let (lock_learners, lock_cards): (Vec<Uuid>, Vec<Uuid>) = learner_cards.iter().copied().unzip();
    let mut ids = Vec::new();
    let mut learners = Vec::new();
    let mut cards = Vec::new();
    let mut ratings = Vec::new();
    let mut cancels = Vec::new();
    let mut reviewed_at = Vec::new();
    let mut durations = Vec::new();
    for &(learner_id, review) in reviews {
        ids.push(review.id);
        learners.push(learner_id);
        cards.push(review.card_id);
        let (rating, cancelled) = match review.kind {
            ReviewKind::Rated(rating) => (Some(rating as i16), None),
            ReviewKind::Undo { cancels } => (None, Some(cancels)),
        };
        ratings.push(rating);
        cancels.push(cancelled);
        reviewed_at.push(review.reviewed_at as f64);
        durations.push(review.duration_ms);
    }
    let rows = sqlx::query_as!(
        ReplayRow,
        r#"
        select * from record_reviews_and_read($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10))
        "#,
        &lock_learners,
        &lock_cards,
        &ids,
        &learners,
        &cards,
        &ratings as &[Option<i16>],
        &cancels as &[Option<Uuid>],
        &reviewed_at,
        &durations,
        now as f64,
    )
    .fetch_all(&mut *tx)
    .await?;
    let inserted = rows
        .iter()
        .flat_map(|row| row.stored_now.iter().flatten().copied())
        .collect();
    Ok((inserted, ReplayInputs::from_rows(rows)?))
}

/// What replaying learners' cards needs, read in one statement.
#[derive(Default)]
struct ReplayInputs {
    learners: HashMap<Uuid, ReplayLearner>,
    /// Each card shared with a learner, of those asked for, by learner and card.
    cards: HashMap<(Uuid, Uuid), ReplayCard>,
}

struct ReplayLearner {
    clock: DayClock,
    /// The learner's own FSRS parameters, or none for the defaults.
    parameters: Vec<f32>,
}

struct ReplayCard {
    /// When the card was made (Unix seconds): no review of it can be older.
    created: i64,
    /// The top-level deck whose preset the card follows, if it has one.
    preset_deck: Option<Uuid>,
    preset: StudyPreset,
    /// The learner's state of the card as the last replay stored it, if
    /// there is one.
    stored: Option<StoredState>,
    /// Lapses in the stored state, before this batch.
    lapses_before: u32,
    /// The learner's standing ratings of the card (this batch's included),
    /// in time order: those after the stored state's last review, or the
    /// whole log when there is no stored state or it was asked for.
    later_reviews: Vec<(i64, Rating)>,
}

struct StoredState {
    /// `None` if the stored row does not read as a state, which then
    /// cannot be carried forward.
    state: Option<CardState>,
    /// The [`replay_key`] of the replay that stored it; `None` for a state
    /// stored before the key was.
    replayed_with: Option<i64>,
}

/// Where the replay of a card may start, given its stored state and the
/// reviews of it this transaction stored: the stored state itself, when
/// the log only grew by ratings after its last review (none of them
/// already undone: every one is among the standing later reviews) and the
/// replay would depend on the same things (`digest`). `None` means the
/// whole log must be replayed: an undo, a review dated at or before the
/// last one, new parameters, options, clock or scheduler rules.
///
/// Sound because every change to a card's log is made here, under the
/// learner's lock on the card, in the transaction that stores the state the
/// whole log then gives: so the stored state is the replay of the log as it
/// stood before this transaction.
fn carries_forward(
    stored: &StoredState,
    digest: i64,
    stored_now: &[&ValidReview],
    later_reviews: &[(i64, Rating)],
) -> Option<CardState> {
    let state = stored.state.as_ref()?;
    let last_review = state.last_review?;
    let only_later_ratings = stored_now
        .iter()
        .all(|review| matches!(review.kind, ReviewKind::Rated(_)) && review.reviewed_at > last_review);
    (stored.replayed_with == Some(digest) && only_later_ratings && later_reviews.len() == stored_now.len())
        .then(|| state.clone())
}

/// A digest of everything besides the log that a card's replay depends on:
/// the scheduler's revision, its options (the learner's FSRS parameters
/// included) and the learner's clock. Stored with each replayed state, so
/// that a state made under other options is never carried forward. The
/// first eight bytes of a SHA-256, stable across builds and replicas.
fn replay_key(options: &SchedulingOptions, clock: DayClock) -> i64 {
    use sha2::{Digest, Sha256};
    let SchedulingOptions {
        desired_retention,
        maximum_interval_days,
        learning_steps_seconds,
        relearning_steps_seconds,
        parameters,
        fuzz,
    } = options;
    let mut hasher = Sha256::new();
    hasher.update(SCHEDULER_REVISION.to_le_bytes());
    hasher.update(desired_retention.to_bits().to_le_bytes());
    hasher.update(maximum_interval_days.to_le_bytes());
    // Each list with its length first, so that no two lists read alike.
    for list in [learning_steps_seconds, relearning_steps_seconds] {
        hasher.update((list.len() as u32).to_le_bytes());
        for step in list {
            hasher.update(step.to_le_bytes());
        }
    }
    hasher.update((parameters.len() as u32).to_le_bytes());
    for parameter in parameters {
        hasher.update(parameter.to_bits().to_le_bytes());
    }
    hasher.update([u8::from(*fuzz), clock.rollover_hour]);
    hasher.update(clock.utc_offset_seconds.to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first)
}

impl ReplayInputs {
    /// An account that is gone has signed out.
    fn learner(&self, learner_id: Uuid) -> Result<&ReplayLearner, AppError> {
        self.learners.get(&learner_id).ok_or(AppError::Unauthenticated)
    }

    /// A card not shared with the learner is one they cannot see
    /// (`review_replay_inputs_of` says which are).
    fn card(&self, learner_id: Uuid, card_id: Uuid) -> Result<&ReplayCard, AppError> {
        self.cards.get(&(learner_id, card_id)).ok_or(AppError::NotFound)
    }
}

/// Reads what replaying `learner_cards` needs, with each card's whole log
/// rather than what came after its stored state: for the cards whose state
/// cannot be carried forward. Nothing is stored, so `stored_now` is empty.
async fn whole_logs_of(
    tx: &mut sqlx::PgConnection,
    learner_cards: &[(Uuid, Uuid)],
    now: i64,
) -> Result<ReplayInputs, AppError> {
    let (learners, card_ids): (Vec<Uuid>, Vec<Uuid>) = learner_cards.iter().copied().unzip();
    let rows = sqlx::query_as!(
        ReplayRow,
        r#"
        select *, '{}'::uuid[] as stored_now from review_replay_inputs_of($1, $2, to_timestamp($3), true)
        "#,
        &learners,
        &card_ids,
        now as f64,
    )
    .fetch_all(&mut *tx)
    .await?;
    ReplayInputs::from_rows(rows)
}

/// One row of `review_replay_inputs_of` (or `record_reviews_and_read`): a
/// learner and, if they study it, one of the cards asked for.
struct ReplayRow {
    learner_id: Option<Uuid>,
    utc_offset: Option<i32>,
    day_starts_at: Option<i16>,
    parameters: Option<Vec<f32>>,
    card_id: Option<Uuid>,
    created: Option<i64>,
    preset_deck: Option<Uuid>,
    desired_retention: Option<f32>,
    maximum_interval_days: Option<i32>,
    new_cards_per_day: Option<i32>,
    reviews_per_day: Option<i32>,
    learning_steps_seconds: Option<Vec<i32>>,
    relearning_steps_seconds: Option<Vec<i32>>,
    bury_siblings: Option<bool>,
    leech_threshold: Option<i32>,
    leech_suspends: Option<bool>,
    phase: Option<String>,
    step: Option<i16>,
    stability: Option<f32>,
    difficulty: Option<f32>,
    due_at: Option<i64>,
    last_review_at: Option<i64>,
    scheduled_days: Option<i32>,
    reps: Option<i32>,
    lapses: Option<i32>,
    replayed_with: Option<i64>,
    reviewed_at: Option<Vec<i64>>,
    ratings: Option<Vec<i16>>,
    /// The ids of the card's reviews that this call stored.
    stored_now: Option<Vec<Uuid>>,
}

impl ReplayInputs {
    fn from_rows(rows: Vec<ReplayRow>) -> Result<Self, AppError> {
        let mut inputs = ReplayInputs {
            learners: HashMap::new(),
            cards: HashMap::with_capacity(rows.len()),
        };
        for row in rows {
            // The function answers a row for each learner asked for, with
            // their clock, whether they study any of the cards or not.
            let (Some(learner_id), Some(utc_offset), Some(day_starts_at)) =
                (row.learner_id, row.utc_offset, row.day_starts_at)
            else {
                return Err(AppError::internal("a replay input row without its learner"));
            };
            inputs
                .learners
                .entry(learner_id)
                .or_insert_with(|| ReplayLearner {
                    clock: DayClock {
                        utc_offset_seconds: utc_offset,
                        rollover_hour: u8::try_from(day_starts_at)
                            .unwrap_or(super::scheduler::DEFAULT_ROLLOVER_HOUR),
                    },
                    parameters: row.parameters.clone().unwrap_or_default(),
                });
            let (Some(card_id), Some(created)) = (row.card_id, row.created) else {
                continue;
            };
            let preset = match row.preset_deck {
                Some(deck_id) => StudyPreset::from(PresetRow {
                    deck_id,
                    desired_retention: row.desired_retention.unwrap_or_default(),
                    maximum_interval_days: row.maximum_interval_days.unwrap_or_default(),
                    new_cards_per_day: row.new_cards_per_day.unwrap_or_default(),
                    reviews_per_day: row.reviews_per_day.unwrap_or_default(),
                    learning_steps_seconds: row.learning_steps_seconds.unwrap_or_default(),
                    relearning_steps_seconds: row.relearning_steps_seconds.unwrap_or_default(),
                    bury_siblings: row.bury_siblings.unwrap_or_default(),
                    leech_threshold: row.leech_threshold.unwrap_or_default(),
                    leech_suspends: row.leech_suspends.unwrap_or_default(),
                }),
                None => StudyPreset::default(),
            };
            let stored = row.phase.as_deref().map(|phase| StoredState {
                state: stored_state(
                    phase,
                    row.step,
                    row.stability.zip(row.difficulty),
                    row.due_at,
                    row.last_review_at,
                    [row.scheduled_days, row.reps, row.lapses],
                ),
                replayed_with: row.replayed_with,
            });
            let later_reviews = row
                .reviewed_at
                .unwrap_or_default()
                .into_iter()
                .zip(row.ratings.unwrap_or_default())
                .map(|(at, rating)| {
                    Rating::from_number(i64::from(rating))
                        .map(|rating| (at, rating))
                        .ok_or_else(|| AppError::internal(format!("stored rating {rating} is not 1 to 4")))
                })
                .collect::<Result<_, _>>()?;
            inputs.cards.insert(
                (learner_id, card_id),
                ReplayCard {
                    created,
                    preset_deck: row.preset_deck,
                    preset,
                    stored,
                    lapses_before: row
                        .lapses
                        .and_then(|lapses| u32::try_from(lapses).ok())
                        .unwrap_or(0),
                    later_reviews,
                },
            );
        }
        Ok(inputs)
    }
}

/// A state as `card_states` stores it, or `None` if a column is out of
/// range for one.
fn stored_state(
    phase: &str,
    step: Option<i16>,
    memory: Option<(f32, f32)>,
    due: Option<i64>,
    last_review: Option<i64>,
    [scheduled_days, reps, lapses]: [Option<i32>; 3],
) -> Option<CardState> {
    let count = |value: Option<i32>| value.and_then(|value| u32::try_from(value).ok());
    let (stability, difficulty) = memory?;
    Some(CardState {
        phase: phase.parse().ok().filter(|phase| *phase != Phase::New)?,
        step: u8::try_from(step?).ok()?,
        memory: Some(Memory {
            stability,
            difficulty,
        }),
        due: due?,
        last_review: Some(last_review?),
        scheduled_days: count(scheduled_days)?,
        reps: count(reps)?,
        lapses: count(lapses)?,
    })
}

/// Marks a card that lapsed too often as a leech for the learner (and
/// suspends it if its preset says so, unless the learner changed its
/// suspension by hand after the lapse, `at`: a review sent late does not
/// suspend a card they took back since). The suspension remembers the
/// lapse count that brought it, `lapses`, so that an undo of that lapse
/// lifts it (`unmark_undone_leech`). On a note of their own deck, the note
/// is tagged `leech` too, where the card browser finds it.
async fn mark_leech(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: &Uuid,
    leech: &Leech,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into card_flags (learner_id, card_id, leech, suspended, suspension_changed_at, leech_suspended_at_lapses)
         values ($1, $2, true, $3, case when $3 then to_timestamp($4) end, case when $3 then $5::integer end)
         on conflict (learner_id, card_id) do update set
             leech = true,
             suspended = card_flags.suspended
                 or (excluded.suspended
                     and excluded.suspension_changed_at >= coalesce(card_flags.suspension_changed_at, '-infinity')),
             suspension_changed_at = case
                 when excluded.suspended
                      and excluded.suspension_changed_at >= coalesce(card_flags.suspension_changed_at, '-infinity')
                 then excluded.suspension_changed_at
                 else card_flags.suspension_changed_at end,
             -- A card suspended already (by hand, or by an earlier lapse)
             -- keeps what suspended it.
             leech_suspended_at_lapses = case
                 when not card_flags.suspended and excluded.suspended
                      and excluded.suspension_changed_at >= coalesce(card_flags.suspension_changed_at, '-infinity')
                 then excluded.leech_suspended_at_lapses
                 else card_flags.leech_suspended_at_lapses end",
        learner_id,
        card_id,
        leech.suspends,
        leech.at as f64,
        leech.lapses as i32,
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

/// Siblings that a rating buries: those of `answered_card`'s note, until
/// `until` (Unix seconds), the start of the learner's day after the rating's.
struct SiblingBurial {
    answered_card: Uuid,
    review_id: Uuid,
    until: i64,
}

/// A card that lapsed into a leech in a replay.
struct Leech {
    /// Whether its preset suspends it.
    suspends: bool,
    /// When: the last review of the replay that made it a leech (at the
    /// latest, the server's now).
    at: i64,
    /// Its lapses after that review.
    lapses: u32,
}

/// After an undo took a card's lapses back to `lapses`: a leech suspension
/// brought by a lapse now undone is lifted, and the card stays marked a
/// leech only if it has still lapsed `threshold` times (a note's `leech`
/// tag stays: the learner may have added it). A suspension by hand stays.
async fn unmark_undone_leech(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: Uuid,
    lapses: u32,
    threshold: u32,
) -> Result<(), AppError> {
    sqlx::query!(
        "update card_flags set
             suspended = suspended and not coalesce(leech_suspended_at_lapses > $3, false),
             -- Lifted, the suspension leaves no time behind: a change by
             -- hand sent late still applies.
             suspension_changed_at = case when leech_suspended_at_lapses > $3 then null
                                          else suspension_changed_at end,
             leech_suspended_at_lapses = case when leech_suspended_at_lapses > $3 then null
                                              else leech_suspended_at_lapses end,
             leech = leech and $3 >= $4
         where learner_id = $1 and card_id = $2",
        learner_id,
        card_id,
        lapses as i32,
        threshold as i32,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Sends the other new and review cards of each answered card's note to the
/// learner's next day, remembering which review buried them; cards in their
/// (re)learning steps stay, and so do the batch's own cards, and a rating
/// already undone (its undo arrived first, or in the same batch) buries
/// nothing. Then brings back what the undone reviews had buried. A burial by
/// hand is left alone.
async fn update_sibling_burials(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    batch_cards: &[Uuid],
    burying: &[SiblingBurial],
    undone_reviews: &[Uuid],
) -> Result<(), AppError> {
    // Two statements: one statement may not change a row twice, and an
    // offline batch can undo a rating and rate the same card again.
    if !undone_reviews.is_empty() {
        sqlx::query!(
            "update card_flags set buried_until = null, buried_by_review = null
             where learner_id = $1 and buried_by_review = any($2)",
            learner_id,
            undone_reviews,
        )
        .execute(&mut *tx)
        .await?;
    }
    if burying.is_empty() {
        return Ok(());
    }
    let answered_cards: Vec<Uuid> = burying.iter().map(|burial| burial.answered_card).collect();
    let burying_reviews: Vec<Uuid> = burying.iter().map(|burial| burial.review_id).collect();
    let until: Vec<f64> = burying.iter().map(|burial| burial.until as f64).collect();
    sqlx::query!(
        "insert into card_flags (learner_id, card_id, buried_until, buried_by_review)
         select distinct on (sibling.id) $1, sibling.id, to_timestamp(answered.until), answered.review_id
         from unnest($3::uuid[], $4::uuid[], $5::float8[]) as answered(card_id, review_id, until)
         join cards answered_card on answered_card.id = answered.card_id
         join cards sibling on sibling.note_id = answered_card.note_id
         left join card_states s on s.learner_id = $1 and s.card_id = sibling.id
         where sibling.id <> all($2) and (s.phase is null or s.phase = 'review')
           and not exists (select 1 from reviews undo
                           where undo.learner_id = $1 and undo.cancels = answered.review_id)
         order by sibling.id, answered.until desc
         on conflict (learner_id, card_id) do update set
             buried_until = greatest(card_flags.buried_until, excluded.buried_until),
             -- A burial by hand that is still on stays one: no undo lifts it.
             buried_by_review = case
                 when card_flags.buried_by_review is null
                      and card_flags.buried_until > now() then null
                 else excluded.buried_by_review
             end",
        learner_id,
        batch_cards,
        &answered_cards,
        &burying_reviews,
        &until,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Writes the replayed state of each learner's card, with the key of the
/// replay that made it; a card with no standing review left (its only
/// rating undone) has its state removed. One statement.
async fn save_card_states(
    tx: &mut sqlx::PgConnection,
    states: &HashMap<(Uuid, Uuid), Option<CardState>>,
    replayed_with: &HashMap<(Uuid, Uuid), i64>,
) -> Result<(), AppError> {
    let mut emptied_learners = Vec::new();
    let mut emptied = Vec::new();
    let mut learners = Vec::with_capacity(states.len());
    let mut cards = Vec::with_capacity(states.len());
    let mut phases = Vec::with_capacity(states.len());
    let mut steps = Vec::with_capacity(states.len());
    let mut stabilities = Vec::with_capacity(states.len());
    let mut difficulties = Vec::with_capacity(states.len());
    let mut dues = Vec::with_capacity(states.len());
    let mut last_reviews = Vec::with_capacity(states.len());
    let mut scheduled_days = Vec::with_capacity(states.len());
    let mut reps = Vec::with_capacity(states.len());
    let mut lapses = Vec::with_capacity(states.len());
    let mut keys = Vec::with_capacity(states.len());
    for (&(learner_id, card_id), state) in states {
        let Some(state) = state else {
            emptied_learners.push(learner_id);
            emptied.push(card_id);
            continue;
        };
        if state.phase == Phase::New {
            return Err(AppError::internal("a reviewed card cannot be new"));
        }
        let phase: &'static str = state.phase.into();
        let Memory {
            stability,
            difficulty,
        } = state
            .memory
            .ok_or_else(|| AppError::internal("a reviewed card has a memory state"))?;
        let last_review = state
            .last_review
            .ok_or_else(|| AppError::internal("a reviewed card has a last review"))?;
        learners.push(learner_id);
        cards.push(card_id);
        phases.push(phase.to_owned());
        steps.push(i16::from(state.step));
        stabilities.push(stability);
        difficulties.push(difficulty);
        dues.push(state.due as f64);
        last_reviews.push(last_review as f64);
        scheduled_days.push(i32::try_from(state.scheduled_days).unwrap_or(i32::MAX));
        reps.push(i32::try_from(state.reps).unwrap_or(i32::MAX));
        lapses.push(i32::try_from(state.lapses).unwrap_or(i32::MAX));
        keys.push(replayed_with.get(&(learner_id, card_id)).copied());
    }
    sqlx::query!(
        "with emptied as (
             delete from card_states s
             using unnest($1::uuid[], $2::uuid[]) as e(learner_id, card_id)
             where s.learner_id = e.learner_id and s.card_id = e.card_id
         )
         insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at,
                                  last_review_at, scheduled_days, reps, lapses, replayed_with)
         select s.learner_id, s.card_id, s.phase, s.step, s.stability, s.difficulty, to_timestamp(s.due),
                to_timestamp(s.last_review), s.scheduled_days, s.reps, s.lapses, s.replayed_with
         from unnest($3::uuid[], $4::uuid[], $5::text[], $6::int2[], $7::float4[], $8::float4[],
                     $9::float8[], $10::float8[], $11::int4[], $12::int4[], $13::int4[], $14::int8[])
             as s(learner_id, card_id, phase, step, stability, difficulty, due, last_review,
                  scheduled_days, reps, lapses, replayed_with)
         on conflict (learner_id, card_id) do update set
             phase = excluded.phase, step = excluded.step, stability = excluded.stability,
             difficulty = excluded.difficulty, due_at = excluded.due_at,
             last_review_at = excluded.last_review_at, scheduled_days = excluded.scheduled_days,
             reps = excluded.reps, lapses = excluded.lapses, replayed_with = excluded.replayed_with",
        &emptied_learners,
        &emptied,
        &learners,
        &cards,
        &phases,
        &steps,
        &stabilities,
        &difficulties,
        &dues,
        &last_reviews,
        &scheduled_days,
        &reps,
        &lapses,
        &keys as &[Option<i64>],
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
        r#"select new_today as "new_today!", reviews_today as "reviews_today!",
                  answered_today as "answered_today!", remembered_today as "remembered_today!",
                  time_today_ms as "time_today_ms!"
           from study_answered_today($1, $2, to_timestamp($3))"#,
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
        r#"select id as "id!", note_id as "note_id!", front_html as "front_html!",
                  back_html as "back_html!", phase as "phase!", step as "step!",
                  stability as "stability!", difficulty as "difficulty!", due as "due!",
                  last_review as "last_review!", scheduled_days as "scheduled_days!",
                  reps as "reps!", lapses as "lapses!"
           from study_cards_due($1, $2, to_timestamp($3), to_timestamp($4))"#,
        learner_id,
        deck_id,
        day_end as f64,
        now as f64,
    )
    .fetch_all(pool)
    .await?;
    let (mut learning, mut reviews) = (Vec::new(), Vec::new());
    for row in studied {
        let phase = match row.phase.parse() {
            Ok(phase) if phase != Phase::New => phase,
            _ => return Err(AppError::internal(format!("unknown card phase {:?}", row.phase))),
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

    // The first new cards of each deck in the tree, read from where the
    // learner's new cards begin in it, then the first of those: the work is
    // the day's new cards, not the size of the deck or how much of it the
    // learner has met. (The three reads are functions so that PostgreSQL
    // keeps their plans: see `migrations/*_study_queue_functions.sql`.)
    let new = sqlx::query!(
        r#"select id as "id!", note_id as "note_id!", front_html as "front_html!",
                  back_html as "back_html!", created as "created!"
           from study_new_cards($1, $2, to_timestamp($4), $3)"#,
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
        studied_today: SessionSummary {
            answers: usize::try_from(done.answered_today).unwrap_or(0),
            remembered: usize::try_from(done.remembered_today).unwrap_or(0),
            time_ms: done.time_today_ms,
        },
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

/// Suspends, unsuspends, buries or unburies cards the learner studies
/// (`NotFound`, and nothing held, when one is any other card). A card buried is buried
/// until the learner's next day after the one the hold was made in, so a
/// burial made offline on a day that has ended since does nothing (and
/// never shortens a burial made later).
pub async fn hold_cards(
    pool: &PgPool,
    learner_id: Uuid,
    holds: &[ValidHold],
    now: i64,
    clock: DayClock,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let card_ids: Vec<Uuid> = holds.iter().map(|hold| hold.card_id).collect();
    let studied = access::studied_cards(&mut *tx, learner_id, &card_ids).await?;
    if card_ids.iter().any(|card_id| !studied.contains_key(card_id)) {
        return Err(AppError::NotFound);
    }
    for hold in holds {
        // A device clock ahead of the server's does not make a hold later.
        let made_at = hold.made_at.min(now);
        let (suspended, buried_until) = match hold.hold {
            CardHold::Suspend => (Some(true), None),
            CardHold::Unsuspend => (Some(false), None),
            CardHold::Unbury => {
                // Lifts the learner's own burial only: one that came with
                // a sibling's rating lasts until that rating is undone.
                sqlx::query!(
                    "update card_flags set buried_until = null
                     where learner_id = $1 and card_id = $2 and buried_by_review is null",
                    learner_id,
                    hold.card_id,
                )
                .execute(&mut *tx)
                .await?;
                continue;
            }
            CardHold::Bury => {
                let day = clock.day_number(made_at);
                let until = clock.day_start(day + 1);
                if until <= now {
                    continue;
                }
                (None, Some(until))
            }
        };
        // A suspension set or lifted before the last change to it (made
        // elsewhere, sent later) changes nothing.
        sqlx::query!(
            "insert into card_flags (learner_id, card_id, suspended, buried_until, suspension_changed_at)
             values ($1, $2, coalesce($3, false), to_timestamp($4),
                     case when $3 is not null then to_timestamp($5) end)
             on conflict (learner_id, card_id) do update set
                 suspended = case when $3 is not null and to_timestamp($5)
                                       >= coalesce(card_flags.suspension_changed_at, '-infinity')
                                  then $3 else card_flags.suspended end,
                 suspension_changed_at = case when $3 is not null and to_timestamp($5)
                                                   >= coalesce(card_flags.suspension_changed_at, '-infinity')
                                              then to_timestamp($5)
                                              else card_flags.suspension_changed_at end,
                 -- A suspension set or lifted by hand is the learner's own:
                 -- no undo of a lapse lifts it.
                 leech_suspended_at_lapses = case when $3 is not null and to_timestamp($5)
                                                       >= coalesce(card_flags.suspension_changed_at, '-infinity')
                                                  then null
                                                  else card_flags.leech_suspended_at_lapses end,
                 buried_until = coalesce(to_timestamp($4), card_flags.buried_until),
                 -- Buried by hand: no undo of a sibling's rating lifts it.
                 buried_by_review = case when $4 is null then card_flags.buried_by_review end",
            learner_id,
            hold.card_id,
            suspended,
            buried_until.map(|at| at as f64),
            made_at as f64,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A deck `learner_id` studies, with its subdecks, as SQL
/// `studied_decks_today` counts it (the dashboard reads it through
/// `dashboard_of`): the cards waiting in it, and what they answered there
/// today. Their own top-level decks come first, then the decks they chose,
/// then their courses' decks.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct StudiedDeckCounts {
    pub deck_id: Uuid,
    pub title: String,
    /// 1: their own deck, 2: a deck they chose to study, 3: a course's deck.
    pub why: i32,
    /// The deck preset's limits, or none for the defaults.
    pub new_cards_per_day: Option<i32>,
    pub reviews_per_day: Option<i32>,
    /// New cards waiting, counted no further than the day's new cards left.
    pub new_available: i64,
    pub learning: i64,
    /// Reviews due today, counted no further than the day's reviews left.
    pub review_due: i64,
    pub new_today: i64,
    pub reviews_today: i64,
}

impl StudiedDeckCounts {
    /// How many new, learning and review cards are left for today within the
    /// day's limits: the counts its study queue would start with.
    pub fn left_today(self) -> StudiedDeck {
        let defaults = StudyPreset::default();
        let new_per_day = self
            .new_cards_per_day
            .map_or(defaults.new_cards_per_day, |limit| {
                u32::try_from(limit).unwrap_or(0)
            });
        let reviews_per_day = self.reviews_per_day.map_or(defaults.reviews_per_day, |limit| {
            u32::try_from(limit).unwrap_or(0)
        });
        let new_left = left_today(new_per_day, self.new_today);
        let reviews_left = left_today(reviews_per_day, self.reviews_today);
        StudiedDeck {
            deck_id: self.deck_id,
            title: self.title,
            chosen: self.why == 2,
            counts: QueueCounts {
                new: new_left.min(usize::try_from(self.new_available).unwrap_or(0)),
                learning: usize::try_from(self.learning).unwrap_or(0),
                review: reviews_left.min(usize::try_from(self.review_due).unwrap_or(0)),
            },
        }
    }
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

/// The cards of `deck_id` (with its subdecks) that `learner_id` suspended,
/// the latest suspended first: at most `limit` of them, and how many in all.
pub async fn suspended_cards(
    pool: &PgPool,
    learner_id: Uuid,
    deck_id: Uuid,
    limit: i64,
) -> Result<super::SuspendedCards, AppError> {
    let rows = sqlx::query!(
        r#"
        with recursive tree (id) as (
            select $2::uuid
            union all
            select d.id from decks d join tree on d.parent_id = tree.id
        )
        select c.id as "card_id!", c.front_html as "front_html!", count(*) over () as "total!"
        from card_flags f
        join cards c on c.id = f.card_id
        where f.learner_id = $1 and f.suspended and c.deck_id in (select id from tree)
        order by f.suspension_changed_at desc nulls last, c.id
        limit $3
        "#,
        learner_id,
        deck_id,
        limit,
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |row| row.total);
    let cards = rows
        .into_iter()
        .map(|row| super::SuspendedCard {
            card_id: row.card_id,
            text: crate::ui::shortened(
                &crate::content::plain_text(&row.front_html),
                SUSPENDED_CARD_TEXT_CHARS,
            ),
        })
        .collect();
    Ok(super::SuspendedCards { cards, total })
}

/// Characters of a suspended card's front shown in its list.
const SUSPENDED_CARD_TEXT_CHARS: usize = 120;
