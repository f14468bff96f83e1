//! The scheduler: a card's state and a rating give its next state. Pure (no
//! clock, database or randomness of its own), and compiled into both the
//! server and the browser, so that the browser can show the next card at
//! once and the server, which has the last word, computes the same thing.
//!
//! Memory (stability and difficulty) comes from FSRS-6 through the `fsrs`
//! crate on every answer. Learning and relearning steps, graduation, lapses
//! and fuzz follow Anki's `rslib/src/scheduler/states`: FSRS decides the
//! interval only when a card leaves its steps or is reviewed.
//!
//! Floating-point functions (`powf`, `exp`) may differ in the last bit
//! between targets, so an interval right at a rounding edge can differ by a
//! day between the browser's preview and the server. The server's result is
//! the one stored.

use fsrs::{MemoryState, FSRS};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::fuzz::{fuzz_factor, fuzzed_interval};

const SECONDS_PER_DAY: i64 = 86_400;

/// How well the learner remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The rating for a button or key number (1–4).
    pub fn from_number(number: i64) -> Option<Rating> {
        Rating::ALL.into_iter().find(|rating| *rating as i64 == number)
    }

    fn index(self) -> usize {
        self as usize - 1
    }
}

/// Where a card is in its life. Its lowercase name is how `card_states`
/// stores it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Phase {
    New,
    Learning,
    Review,
    Relearning,
}

/// FSRS's model of how well a card is remembered.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// Days until recall probability falls to 90%.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
}

impl From<MemoryState> for Memory {
    fn from(state: MemoryState) -> Memory {
        Memory {
            stability: state.stability,
            difficulty: state.difficulty,
        }
    }
}

impl From<Memory> for MemoryState {
    fn from(memory: Memory) -> MemoryState {
        MemoryState {
            stability: memory.stability,
            difficulty: memory.difficulty,
        }
    }
}

/// One learner's scheduling state for one card. Times are Unix seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub phase: Phase,
    /// The (re)learning step the card is on, counted from 0.
    pub step: u8,
    /// `None` until the first answer.
    pub memory: Option<Memory>,
    pub due: i64,
    pub last_review: Option<i64>,
    /// The interval, in days, the last answer gave (0 while in steps).
    pub scheduled_days: u32,
    pub reps: u32,
    pub lapses: u32,
}

impl CardState {
    /// A card never studied, available from `available_at`.
    pub fn new_card(available_at: i64) -> CardState {
        CardState {
            phase: Phase::New,
            step: 0,
            memory: None,
            due: available_at,
            last_review: None,
            scheduled_days: 0,
            reps: 0,
            lapses: 0,
        }
    }
}

/// Where a learner's days begin: an hour (4 a.m. by default, so that a late
/// night still counts as the same day) in their own time zone, given as its
/// offset from UTC at the time of the review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayClock {
    pub utc_offset_seconds: i32,
    pub rollover_hour: u8,
}

impl DayClock {
    pub const UTC: DayClock = DayClock {
        utc_offset_seconds: 0,
        rollover_hour: DEFAULT_ROLLOVER_HOUR,
    };

    fn shift(&self) -> i64 {
        i64::from(self.utc_offset_seconds) - i64::from(self.rollover_hour) * 3600
    }

    /// The learner's day that `at` falls in, counted from an arbitrary start.
    pub fn day_number(&self, at: i64) -> i64 {
        (at + self.shift()).div_euclid(SECONDS_PER_DAY)
    }

    /// When the learner's day `day` begins.
    pub fn day_start(&self, day: i64) -> i64 {
        day * SECONDS_PER_DAY - self.shift()
    }
}

pub const DEFAULT_ROLLOVER_HOUR: u8 = 4;

/// Raise it with any change to what [`Scheduler::answer`] gives: the server
/// then replays every card's whole log again at its next review, rather
/// than carrying forward a state the old rules made (see `replay_key` in
/// `study::db`).
pub const SCHEDULER_REVISION: u32 = 1;
pub const DEFAULT_DESIRED_RETENTION: f32 = 0.9;
pub const DEFAULT_MAXIMUM_INTERVAL_DAYS: u32 = 36_500;
pub const DEFAULT_LEARNING_STEPS_SECONDS: [u32; 2] = [60, 600];
pub const DEFAULT_RELEARNING_STEPS_SECONDS: [u32; 1] = [600];

/// The lowest and highest desired retention accepted (as Anki's options do):
/// outside it, intervals become absurd, and at 1.0 they become zero.
pub const DESIRED_RETENTION_RANGE: std::ops::RangeInclusive<f32> = 0.70..=0.99;

/// How a deck's cards are scheduled (the scheduling half of a preset).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchedulingOptions {
    pub desired_retention: f32,
    pub maximum_interval_days: u32,
    pub learning_steps_seconds: Vec<u32>,
    pub relearning_steps_seconds: Vec<u32>,
    /// FSRS-6's 21 parameters, or empty for its defaults.
    pub parameters: Vec<f32>,
    pub fuzz: bool,
}

impl Default for SchedulingOptions {
    fn default() -> Self {
        SchedulingOptions {
            desired_retention: DEFAULT_DESIRED_RETENTION,
            maximum_interval_days: DEFAULT_MAXIMUM_INTERVAL_DAYS,
            learning_steps_seconds: DEFAULT_LEARNING_STEPS_SECONDS.to_vec(),
            relearning_steps_seconds: DEFAULT_RELEARNING_STEPS_SECONDS.to_vec(),
            parameters: Vec::new(),
            fuzz: true,
        }
    }
}

/// Why options or a state cannot be scheduled.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SchedulingError {
    #[error("Desired retention must be between 0.70 and 0.99.")]
    DesiredRetention,
    #[error("The maximum interval must be at least one day.")]
    MaximumInterval,
    #[error("A step must be between one second and one day long.")]
    Step,
    #[error("These FSRS parameters are not valid.")]
    Parameters,
    #[error("This card's memory state is not valid.")]
    Memory,
}

/// The longest (re)learning step: longer than a day is a review interval.
const MAX_STEP_SECONDS: u32 = 86_400;

pub struct Scheduler {
    fsrs: FSRS,
    options: SchedulingOptions,
}

impl Scheduler {
    pub fn new(options: SchedulingOptions) -> Result<Scheduler, SchedulingError> {
        if !DESIRED_RETENTION_RANGE.contains(&options.desired_retention) {
            return Err(SchedulingError::DesiredRetention);
        }
        if options.maximum_interval_days == 0 {
            return Err(SchedulingError::MaximumInterval);
        }
        let steps = options
            .learning_steps_seconds
            .iter()
            .chain(&options.relearning_steps_seconds);
        if steps.clone().any(|step| *step == 0 || *step > MAX_STEP_SECONDS) {
            return Err(SchedulingError::Step);
        }
        let fsrs = FSRS::new(&options.parameters).map_err(|_| SchedulingError::Parameters)?;
        Ok(Scheduler { fsrs, options })
    }

    pub fn options(&self) -> &SchedulingOptions {
        &self.options
    }

    /// The state each rating would give, Again to Easy, for the buttons'
    /// labels. [`Scheduler::answer`] picks one of these, so a label always
    /// says what the button does.
    pub fn preview(
        &self,
        card: &CardState,
        card_id: Uuid,
        now: i64,
        clock: DayClock,
    ) -> Result<[CardState; 4], SchedulingError> {
        let today = clock.day_number(now);
        // Whole days crossed since the last review; 0 on the same day, which
        // makes FSRS use its short-term formula. A clock that went backwards
        // counts as the same day.
        let days_elapsed = card
            .last_review
            .map(|last| u32::try_from(today - clock.day_number(last)).unwrap_or(0))
            .unwrap_or(0);
        let next = self
            .fsrs
            .next_states(
                card.memory.map(MemoryState::from),
                self.options.desired_retention,
                days_elapsed,
            )
            .map_err(|_| SchedulingError::Memory)?;
        let states = [&next.again, &next.hard, &next.good, &next.easy];
        let memories = states.map(|state| Memory::from(state.memory));
        let intervals = states.map(|state| state.interval);
        let fuzz = self.options.fuzz.then(|| fuzz_factor(card_id, card.reps));
        let maximum = self.options.maximum_interval_days;
        let days = |interval: f32, minimum: u32| fuzzed_interval(fuzz, interval, minimum, maximum);

        let after = |rating: Rating, phase: Phase, step: u8, due: Due| {
            let (due, scheduled_days) = match due {
                Due::After(seconds) => (now + i64::from(seconds), 0),
                Due::InDays(days) => (clock.day_start(today + i64::from(days)), days),
            };
            CardState {
                phase,
                step,
                memory: Some(memories[rating.index()]),
                due,
                last_review: Some(now),
                scheduled_days,
                reps: card.reps.saturating_add(1),
                lapses: card.lapses,
            }
        };
        // Leaving the steps: Good graduates with FSRS's interval, Easy with a
        // longer one.
        let graduate_good = days(intervals[Rating::Good.index()], 1);
        let graduate_easy = days(intervals[Rating::Easy.index()], graduate_good + 1);

        let outcomes = match card.phase {
            Phase::New | Phase::Learning | Phase::Relearning => {
                let (steps, phase) = match card.phase {
                    Phase::Relearning => (&self.options.relearning_steps_seconds, Phase::Relearning),
                    _ => (&self.options.learning_steps_seconds, Phase::Learning),
                };
                let step = usize::from(card.step).min(steps.len().saturating_sub(1));
                let in_step = |rating, step: usize| after(rating, phase, step as u8, Due::After(steps[step]));
                let graduated = |rating, days| after(rating, Phase::Review, 0, Due::InDays(days));
                if steps.is_empty() {
                    // No steps: every answer goes straight to review.
                    let again = days(intervals[0], 1);
                    let hard = days(intervals[1], 1);
                    let good = days(intervals[2], hard + 1);
                    let easy = days(intervals[3], good + 1);
                    [
                        graduated(Rating::Again, again),
                        graduated(Rating::Hard, hard),
                        graduated(Rating::Good, good),
                        graduated(Rating::Easy, easy),
                    ]
                } else {
                    let hard_delay = if step == 0 {
                        first_step_hard_delay(steps)
                    } else {
                        steps[step]
                    };
                    let good = if step + 1 < steps.len() {
                        in_step(Rating::Good, step + 1)
                    } else {
                        graduated(Rating::Good, graduate_good)
                    };
                    [
                        in_step(Rating::Again, 0),
                        after(Rating::Hard, phase, step as u8, Due::After(hard_delay)),
                        good,
                        graduated(Rating::Easy, graduate_easy),
                    ]
                }
            }
            Phase::Review => {
                let hard = days(intervals[1], 1);
                let good = days(intervals[2], hard + 1);
                let easy = days(intervals[3], good + 1);
                let relearn = self.options.relearning_steps_seconds.first().copied();
                let mut again = match relearn {
                    Some(step) => after(Rating::Again, Phase::Relearning, 0, Due::After(step)),
                    None => after(
                        Rating::Again,
                        Phase::Review,
                        0,
                        Due::InDays(days(intervals[0], 1)),
                    ),
                };
                again.lapses = card.lapses.saturating_add(1);
                [
                    again,
                    after(Rating::Hard, Phase::Review, 0, Due::InDays(hard)),
                    after(Rating::Good, Phase::Review, 0, Due::InDays(good)),
                    after(Rating::Easy, Phase::Review, 0, Due::InDays(easy)),
                ]
            }
        };
        Ok(outcomes)
    }

    /// The card's state after `rating`.
    pub fn answer(
        &self,
        card: &CardState,
        card_id: Uuid,
        rating: Rating,
        now: i64,
        clock: DayClock,
    ) -> Result<CardState, SchedulingError> {
        let [again, hard, good, easy] = self.preview(card, card_id, now, clock)?;
        Ok(match rating {
            Rating::Again => again,
            Rating::Hard => hard,
            Rating::Good => good,
            Rating::Easy => easy,
        })
    }
}

enum Due {
    After(u32),
    InDays(u32),
}

/// Hard on the first step waits between the first two steps; with a single
/// step, half as long again (at most a day more), as Anki does.
fn first_step_hard_delay(steps: &[u32]) -> u32 {
    match steps {
        [first, second, ..] => (first + second) / 2,
        [only] => (only.saturating_mul(3) / 2).min(only.saturating_add(86_400)),
        [] => 0,
    }
}

/// Whether a card that just lapsed for the `lapses`th time is a leech: at the
/// threshold, then every half threshold after it (Anki's rule).
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    threshold > 0 && lapses >= threshold && (lapses - threshold).is_multiple_of((threshold / 2).max(1))
}

/// The states a card goes through when `reviews` (time, rating) are applied
/// in time order to a new card: how the server rebuilds a card from its
/// review log, whatever order the reviews arrived in.
pub fn replay(
    scheduler: &Scheduler,
    card_id: Uuid,
    reviews: &[(i64, Rating)],
    clock: DayClock,
) -> Result<Vec<CardState>, SchedulingError> {
    let first = reviews.iter().map(|(at, _)| *at).min().unwrap_or(0);
    replay_after(scheduler, card_id, CardState::new_card(first), reviews, clock)
}

/// The states a card goes through when `reviews`, all later than the last
/// review `start` had, are applied in time order to `start`. An answer
/// depends only on the state before it, so a log replayed in two parts, the
/// second from the state the first ended in, ends where replaying it whole
/// does: this is how the server carries a card's state forward when new
/// reviews come after everything it has already replayed.
pub fn replay_after(
    scheduler: &Scheduler,
    card_id: Uuid,
    start: CardState,
    reviews: &[(i64, Rating)],
    clock: DayClock,
) -> Result<Vec<CardState>, SchedulingError> {
    let mut in_order = reviews.to_vec();
    in_order.sort_by_key(|(at, _)| *at);
    let mut card = start;
    let mut states = Vec::with_capacity(in_order.len());
    for (at, rating) in in_order {
        card = scheduler.answer(&card, card_id, rating, at, clock)?;
        states.push(card.clone());
    }
    Ok(states)
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_767_261_600; // 2026-01-01 10:00 UTC

    fn without_fuzz() -> Scheduler {
        Scheduler::new(SchedulingOptions {
            fuzz: false,
            ..SchedulingOptions::default()
        })
        .unwrap()
    }

    fn card() -> Uuid {
        Uuid::from_u128(42)
    }

    /// FSRS-6's reference vector: ratings Again, Good ×5 at day gaps 0, 0,
    /// 1, 3, 8, 21 end at stability 53.62691 and difficulty 6.3574867.
    #[test]
    fn memory_matches_the_fsrs_reference_vector() {
        let gaps = [0, 0, 1, 3, 8, 21];
        let ratings = [1, 3, 3, 3, 3, 3];
        let mut at = START;
        let reviews: Vec<(i64, Rating)> = gaps
            .iter()
            .zip(ratings)
            .map(|(gap, rating)| {
                at += gap * SECONDS_PER_DAY;
                (at, Rating::from_number(rating).unwrap())
            })
            .collect();
        let states = replay(&without_fuzz(), card(), &reviews, DayClock::UTC).unwrap();
        let memory = states.last().unwrap().memory.unwrap();
        assert!((memory.stability - 53.62691).abs() < 1e-4, "{memory:?}");
        assert!((memory.difficulty - 6.3574867).abs() < 1e-4, "{memory:?}");
    }

    /// FSRS-6's reference intervals for stability 1 at desired retention
    /// 0.1 to 1.0 (the scheduler itself accepts only 0.70 to 0.99).
    #[test]
    fn intervals_match_the_fsrs_reference_vector() {
        let fsrs = FSRS::new(&[]).unwrap();
        let intervals: Vec<u32> = (1..=10)
            .map(|tenths| {
                let retention = tenths as f32 / 10.0;
                fsrs.next_interval(Some(1.0), retention, 1).round().max(1.0) as u32
            })
            .collect();
        assert_eq!(intervals, [3_116_766, 34_793, 2_508, 387, 90, 27, 9, 3, 1, 1]);
    }

    fn minutes(card: &CardState) -> i64 {
        (card.due - START) / 60
    }

    #[test]
    fn a_new_card_walks_its_learning_steps_then_graduates() {
        let scheduler = without_fuzz();
        let new = CardState::new_card(START);
        let [again, hard, good, easy] = scheduler.preview(&new, card(), START, DayClock::UTC).unwrap();
        assert_eq!(
            (again.phase, again.step, minutes(&again)),
            (Phase::Learning, 0, 1)
        );
        // Hard on the first step waits between the two steps: 5½ minutes.
        assert_eq!((hard.phase, hard.due - START), (Phase::Learning, 330));
        assert_eq!((good.phase, good.step, minutes(&good)), (Phase::Learning, 1, 10));
        assert_eq!(easy.phase, Phase::Review);
        assert!(easy.scheduled_days >= 2);

        // Good on the last step graduates with FSRS's interval, from the
        // start of the learner's day.
        let later = START + 600;
        let graduated = scheduler
            .answer(&good, card(), Rating::Good, later, DayClock::UTC)
            .unwrap();
        assert_eq!(graduated.phase, Phase::Review);
        assert!(graduated.scheduled_days >= 1);
        let today = DayClock::UTC.day_number(later);
        assert_eq!(
            graduated.due,
            DayClock::UTC.day_start(today + i64::from(graduated.scheduled_days))
        );
        assert_eq!((graduated.reps, graduated.lapses), (2, 0));
        // Again on the last step goes back to the first.
        let again = scheduler
            .answer(&good, card(), Rating::Again, later, DayClock::UTC)
            .unwrap();
        assert_eq!(
            (again.phase, again.step, again.due - later),
            (Phase::Learning, 0, 60)
        );
    }

    #[test]
    fn a_lapse_relearns_then_returns_to_review() {
        let scheduler = without_fuzz();
        let reviews = [(START, Rating::Easy)];
        let review = replay(&scheduler, card(), &reviews, DayClock::UTC)
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(review.phase, Phase::Review);
        let at = review.due + 3600;
        let [again, hard, good, easy] = scheduler.preview(&review, card(), at, DayClock::UTC).unwrap();
        assert_eq!(
            (again.phase, again.due - at, again.lapses),
            (Phase::Relearning, 600, 1)
        );
        // Review intervals grow strictly from Hard to Easy.
        assert!(hard.scheduled_days < good.scheduled_days && good.scheduled_days < easy.scheduled_days);
        // Relearning: Hard on the only step waits 15 minutes; Good returns to review.
        let [_, hard, good, _] = scheduler
            .preview(&again, card(), at + 600, DayClock::UTC)
            .unwrap();
        assert_eq!((hard.phase, hard.due - (at + 600)), (Phase::Relearning, 900));
        assert_eq!((good.phase, good.lapses), (Phase::Review, 1));
    }

    #[test]
    fn the_answer_is_always_what_the_preview_said() {
        let scheduler = Scheduler::new(SchedulingOptions::default()).unwrap();
        let mut state = CardState::new_card(START);
        let mut at = START;
        for (index, rating) in [3, 3, 3, 1, 3, 4, 2, 3].into_iter().enumerate() {
            let rating = Rating::from_number(rating).unwrap();
            let preview = scheduler.preview(&state, card(), at, DayClock::UTC).unwrap();
            let answered = scheduler
                .answer(&state, card(), rating, at, DayClock::UTC)
                .unwrap();
            assert_eq!(preview[rating as usize - 1], answered, "review {index}");
            state = answered;
            at = state.due.max(at + 60);
        }
    }

    #[test]
    fn days_begin_at_the_rollover_hour_in_the_learners_zone() {
        // UTC+2, rollover at 4: 01:59 UTC is 03:59 local, still the day before.
        let clock = DayClock {
            utc_offset_seconds: 7200,
            rollover_hour: 4,
        };
        let midnight_utc = 1_767_225_600; // 2026-01-01 00:00 UTC
        assert_eq!(
            clock.day_number(midnight_utc + 3599 + 3600),
            clock.day_number(midnight_utc)
        );
        assert_eq!(
            clock.day_number(midnight_utc + 7200),
            clock.day_number(midnight_utc) + 1
        );
        let day = clock.day_number(midnight_utc + 7200);
        assert_eq!(clock.day_start(day), midnight_utc + 7200);
    }

    #[test]
    fn replay_does_not_depend_on_arrival_order() {
        let scheduler = Scheduler::new(SchedulingOptions::default()).unwrap();
        let reviews = [
            (START, Rating::Good),
            (START + 600, Rating::Good),
            (START + 3 * SECONDS_PER_DAY, Rating::Hard),
            (START + 9 * SECONDS_PER_DAY, Rating::Again),
        ];
        let mut shuffled = reviews;
        shuffled.reverse();
        assert_eq!(
            replay(&scheduler, card(), &reviews, DayClock::UTC),
            replay(&scheduler, card(), &shuffled, DayClock::UTC)
        );
    }

    /// A log replayed whole and the same log replayed in two parts (the
    /// second from where the first ended) agree at every cut, through
    /// lapses, relearning and fuzzed intervals, in a time zone of its own.
    #[test]
    fn a_log_continued_from_a_cut_ends_where_the_whole_replay_does() {
        let scheduler = Scheduler::new(SchedulingOptions::default()).unwrap();
        let clock = DayClock {
            utc_offset_seconds: -5 * 3600,
            rollover_hour: 4,
        };
        let ratings = [3, 3, 1, 2, 3, 4, 1, 1, 3, 3, 2, 4, 3];
        let gaps_minutes = [
            0, 10, 1_440, 12, 3_000, 9_000, 20_000, 10, 600, 2_880, 14_400, 30_000, 50,
        ];
        let mut at = START;
        let reviews: Vec<(i64, Rating)> = ratings
            .iter()
            .zip(gaps_minutes)
            .map(|(&rating, gap)| {
                at += gap * 60;
                (at, Rating::from_number(rating).unwrap())
            })
            .collect();
        let whole = replay(&scheduler, card(), &reviews, clock).unwrap();
        for cut in 1..reviews.len() {
            let start = whole[cut - 1].clone();
            let rest = replay_after(&scheduler, card(), start, &reviews[cut..], clock).unwrap();
            assert_eq!(rest, whole[cut..], "cut after review {cut}");
        }
        assert!(whole.iter().any(|state| state.lapses > 0), "the log lapses");
    }

    #[test]
    fn options_outside_their_bounds_are_refused() {
        let with = |change: fn(&mut SchedulingOptions)| {
            let mut options = SchedulingOptions::default();
            change(&mut options);
            Scheduler::new(options).err()
        };
        assert_eq!(
            with(|o| o.desired_retention = 1.0),
            Some(SchedulingError::DesiredRetention)
        );
        assert_eq!(
            with(|o| o.desired_retention = f32::NAN),
            Some(SchedulingError::DesiredRetention)
        );
        assert_eq!(
            with(|o| o.maximum_interval_days = 0),
            Some(SchedulingError::MaximumInterval)
        );
        assert_eq!(
            with(|o| o.learning_steps_seconds = vec![0]),
            Some(SchedulingError::Step)
        );
        assert_eq!(
            with(|o| o.parameters = vec![1.0; 5]),
            Some(SchedulingError::Parameters)
        );
        let broken = CardState {
            memory: Some(Memory {
                stability: f32::NAN,
                difficulty: 5.0,
            }),
            phase: Phase::Review,
            ..CardState::new_card(START)
        };
        assert_eq!(
            without_fuzz()
                .preview(&broken, card(), START, DayClock::UTC)
                .err(),
            Some(SchedulingError::Memory)
        );
    }

    #[test]
    fn leeches_are_flagged_at_the_threshold_then_every_half_threshold() {
        let flagged: Vec<u32> = (1..=20).filter(|lapses| is_leech(*lapses, 8)).collect();
        assert_eq!(flagged, [8, 12, 16, 20]);
    }
}
