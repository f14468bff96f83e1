//! A study session as the learner goes through it: which card comes next,
//! what a rating does to the queue, and how undo takes it back. Pure and
//! shared by both targets: the browser runs it on every key press (no
//! network in that path), and the server runs it to render the page without
//! JavaScript, so both pick the same card from the same queue.

use std::collections::HashMap;

use uuid::Uuid;

use super::{
    preset::StudyPreset,
    scheduler::{is_leech, CardState, DayClock, Phase, Rating, Scheduler, SchedulingError},
    CardHold, QueueCounts, ReviewInput, StudyCard, StudyQueue,
};

/// How long before it is due a (re)learning card may be shown when nothing
/// else is left (Anki's "learn ahead limit").
pub const LEARN_AHEAD_SECONDS: i64 = 20 * 60;

/// A card just rated: as it was, its new state, whether it comes back
/// today, the siblings buried (with where they stood) and when the rating
/// is dated.
struct Rated {
    card_before: StudyCard,
    state: CardState,
    requeued: bool,
    buried: Vec<(usize, StudyCard)>,
    reviewed_at_ms: i64,
}

/// One rating in this session, kept so that it can be undone.
struct Answered {
    review_id: Uuid,
    rating: Rating,
    /// The card as it was before the rating, and where it stood in the queue.
    card_before: StudyCard,
    position: usize,
    /// Whether the card came back into today's queue (a (re)learning step).
    requeued: bool,
    /// Other cards of its note sent to tomorrow, with where each stood.
    buried: Vec<(usize, StudyCard)>,
    duration_ms: i64,
    /// When it was answered, by the browser's clock (Unix milliseconds).
    answered_at_ms: i64,
}

/// A card buried or suspended by hand in this session, and where it stood,
/// kept so that the hold can be undone.
struct Held {
    card: StudyCard,
    position: usize,
    hold: CardHold,
}

/// What the learner did in this session, most recent last: undo takes back
/// the last, whichever it was.
enum Step {
    Rated(Answered),
    Held(Held),
}

/// What undo would take back now, for its button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undoable {
    Rating,
    Hold(CardHold),
}

/// What the learner sees now.
#[derive(Debug, Clone, PartialEq)]
pub enum Next<'a> {
    Card(&'a StudyCard),
    /// Only (re)learning cards are left, and the first is due at this time
    /// (Unix seconds), beyond the learn-ahead limit.
    WaitUntil(i64),
    /// Nothing is left for today.
    Done,
}

impl Next<'_> {
    /// The card to show, if one is.
    pub fn card_id(&self) -> Option<Uuid> {
        match self {
            Next::Card(card) => Some(card.id),
            _ => None,
        }
    }
}

/// How a session (or a day in a deck) went, for its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionSummary {
    pub answers: usize,
    /// Answers other than Again.
    pub remembered: usize,
    pub time_ms: i64,
}

impl SessionSummary {
    /// Both summaries together: the day's answers before a page, and the page's.
    pub fn plus(self, other: SessionSummary) -> SessionSummary {
        SessionSummary {
            answers: self.answers.saturating_add(other.answers),
            remembered: self.remembered.saturating_add(other.remembered),
            time_ms: self.time_ms.saturating_add(other.time_ms),
        }
    }

    /// Remembered answers as a whole percentage, if there were any answers.
    pub fn remembered_percent(&self) -> Option<u32> {
        (self.answers > 0).then(|| ((self.remembered * 100 + self.answers / 2) / self.answers) as u32)
    }
}

pub struct StudySession {
    scheduler: Scheduler,
    preset: StudyPreset,
    clock: DayClock,
    /// The cards still to study today, in study order.
    waiting: Vec<StudyCard>,
    steps: Vec<Step>,
    /// For each card answered here: the last record sent for it (a review
    /// or an undo) and the state the server's replay must then arrive at.
    expected: HashMap<Uuid, (Uuid, Option<CardState>)>,
    /// Cards buried or suspended by hand: an undo of a rating made before
    /// the hold does not bring one back.
    held: Vec<Uuid>,
}

impl StudySession {
    pub fn new(queue: &StudyQueue) -> Result<StudySession, SchedulingError> {
        Ok(StudySession {
            scheduler: Scheduler::new(queue.preset.scheduling.clone())?,
            preset: queue.preset.clone(),
            clock: queue.clock,
            waiting: queue.cards.clone(),
            steps: Vec::new(),
            expected: HashMap::new(),
            held: Vec::new(),
        })
    }

    /// Where the card to show now stands in `waiting`: a (re)learning card
    /// that is due comes first, then the reviews and new cards in their
    /// order, then a (re)learning card due within the learn-ahead limit.
    fn next_position(&self, now: i64) -> Result<usize, Option<i64>> {
        let is_learning = |card: &StudyCard| matches!(card.state.phase, Phase::Learning | Phase::Relearning);
        let earliest_learning = self
            .waiting
            .iter()
            .enumerate()
            .filter(|(_, card)| is_learning(card))
            .min_by_key(|(_, card)| card.state.due);
        if let Some((position, card)) = earliest_learning {
            if card.state.due <= now {
                return Ok(position);
            }
        }
        if let Some(position) = self.waiting.iter().position(|card| !is_learning(card)) {
            return Ok(position);
        }
        match earliest_learning {
            Some((position, card)) if card.state.due <= now + LEARN_AHEAD_SECONDS => Ok(position),
            Some((_, card)) => Err(Some(card.state.due)),
            None => Err(None),
        }
    }

    pub fn next(&self, now: i64) -> Next<'_> {
        match self.next_position(now) {
            Ok(position) => Next::Card(&self.waiting[position]),
            Err(Some(due)) => Next::WaitUntil(due),
            Err(None) => Next::Done,
        }
    }

    /// The state each rating would give the card shown now, for the buttons.
    pub fn preview(&self, card: &StudyCard, now: i64) -> Result<[CardState; 4], SchedulingError> {
        self.scheduler.preview(&card.state, card.id, now, self.clock)
    }

    /// Rates the card the learner was shown, `card_id`, and answers the
    /// review to record (the caller sends it to the server in the
    /// background). The card is named rather than taken as the next one
    /// now: a learning card that fell due while another was shown would
    /// come first, and be rated unseen. `None` when the card has left the
    /// session (set aside, or answered and not back today). A card answered
    /// and back in its steps keeps its id: the page takes no second rating
    /// before it shows the next card.
    pub fn answer(
        &mut self,
        card_id: Uuid,
        rating: Rating,
        review_id: Uuid,
        now_ms: i64,
        duration_ms: i64,
    ) -> Result<Option<ReviewInput>, SchedulingError> {
        let Some(position) = self.waiting.iter().position(|card| card.id == card_id) else {
            return Ok(None);
        };
        let Rated {
            card_before,
            state,
            requeued,
            buried,
            reviewed_at_ms: now_ms,
        } = self.rate(position, rating, now_ms, self.preset.bury_siblings)?;
        self.expected.insert(card_before.id, (review_id, Some(state)));
        let review = ReviewInput {
            id: review_id,
            card_id: card_before.id,
            rating: Some(rating as i64),
            cancels: None,
            hold: None,
            reviewed_at_ms: now_ms,
            duration_ms,
        };
        self.steps.push(Step::Rated(Answered {
            review_id,
            rating,
            card_before,
            position,
            requeued,
            buried,
            duration_ms,
            answered_at_ms: now_ms,
        }));
        Ok(Some(review))
    }

    /// Rates the card at `position` in `waiting` at `now_ms`: it comes back
    /// today in its new state if it is still in its steps, and with
    /// `bury_siblings` the other cards of its note wait for tomorrow.
    fn rate(
        &mut self,
        position: usize,
        rating: Rating,
        now_ms: i64,
        bury_siblings: bool,
    ) -> Result<Rated, SchedulingError> {
        let now = now_ms.div_euclid(1000);
        let card_before = self.waiting.remove(position);
        // The server replays a card's reviews in time order, by the second,
        // so two ratings of one card within a second (Again, and the card
        // back at once as the last one left) could be replayed the wrong way
        // round: the later one is dated a second after the earlier.
        let now_ms = match card_before.state.last_review {
            Some(last_review) if now <= last_review => (last_review + 1) * 1000,
            _ => now_ms,
        };
        let now = now_ms.div_euclid(1000);
        let state = self
            .scheduler
            .answer(&card_before.state, card_before.id, rating, now, self.clock)?;
        // A card still in its steps comes back today; anything else is done
        // until its next due day. A leech that its preset suspends is done
        // for good (the server suspends it too).
        let tomorrow = self.clock.day_start(self.clock.day_number(now) + 1);
        let became_leech =
            state.lapses > card_before.state.lapses && is_leech(state.lapses, self.preset.leech_threshold);
        let suspended = became_leech && self.preset.leech_suspends;
        let requeued =
            matches!(state.phase, Phase::Learning | Phase::Relearning) && state.due < tomorrow && !suspended;
        // The other new and review cards of the note wait for tomorrow, as
        // the server buries them.
        let mut buried = Vec::new();
        if bury_siblings {
            let mut position = 0;
            while position < self.waiting.len() {
                let sibling = &self.waiting[position];
                if sibling.note_id == card_before.note_id
                    && sibling.id != card_before.id
                    && matches!(sibling.state.phase, Phase::New | Phase::Review)
                {
                    buried.push((position + buried.len(), self.waiting.remove(position)));
                } else {
                    position += 1;
                }
            }
        }
        if requeued {
            self.waiting.push(StudyCard {
                state: state.clone(),
                ..card_before.clone()
            });
        }
        Ok(Rated {
            card_before,
            state,
            requeued,
            buried,
            reviewed_at_ms: now_ms,
        })
    }

    /// Applies the ratings (and holds) this browser made elsewhere (in another tab, in
    /// the offline app, on a page closed before they were sent) that the
    /// server has not stored yet, and so did not count when it made this
    /// queue: a card studied offline an hour ago is not shown again as if
    /// it had not been. `waiting` is the outbox, in the order its reviews
    /// were made. A rating the server already has is not applied twice: the
    /// card's last review, as the server sent it, is not older than it.
    /// Left as they are: a rating undone, a card whose waiting records undo
    /// a rating the server has (what that returns it to is in the server's
    /// log, not here), and a card answered here (its records are this
    /// session's own). Siblings are buried only by a rating made today, as
    /// of `now_ms`. A card suspended there, or buried there today, is set
    /// aside.
    pub fn apply_ratings_made_elsewhere(
        &mut self,
        waiting: &[ReviewInput],
        now_ms: i64,
    ) -> Result<(), SchedulingError> {
        let today = self.clock.day_number(now_ms.div_euclid(1000));
        for (index, record) in waiting.iter().enumerate() {
            if let Some(hold) = record.hold {
                let holds_today = match hold {
                    CardHold::Suspend => true,
                    CardHold::Bury => self.clock.day_number(record.reviewed_at_ms.div_euclid(1000)) == today,
                    CardHold::Unsuspend | CardHold::Unbury => false,
                };
                // A hold taken back there (undone, or lifted) holds nothing.
                let taken_back = waiting[index + 1..]
                    .iter()
                    .any(|later| later.card_id == record.card_id && later.hold.is_some());
                if holds_today && !taken_back && !self.expected.contains_key(&record.card_id) {
                    self.set_aside(record.card_id);
                }
                continue;
            }
            let rating = record.rating.and_then(Rating::from_number);
            let position = self.waiting.iter().position(|card| card.id == record.card_id);
            let (Some(rating), Some(position)) = (rating, position) else {
                continue;
            };
            let reviewed_at = record.reviewed_at_ms.div_euclid(1000);
            let already_stored = self.waiting[position]
                .state
                .last_review
                .is_some_and(|last_review| reviewed_at <= last_review);
            let left_alone = self.expected.contains_key(&record.card_id)
                || waiting.iter().any(|other| {
                    other.card_id == record.card_id
                        && other.cancels.is_some_and(|cancels| {
                            cancels == record.id || !waiting.iter().any(|rated| rated.id == cancels)
                        })
                });
            if !already_stored && !left_alone {
                let made_today = self.clock.day_number(reviewed_at) == today;
                self.rate(
                    position,
                    rating,
                    record.reviewed_at_ms,
                    self.preset.bury_siblings && made_today,
                )?;
            }
        }
        Ok(())
    }

    /// Takes back the last thing done in this session, a rating or a card
    /// set aside by hand, and answers the record that says so (the undo of
    /// the rating, or the hold lifted).
    pub fn undo(&mut self, undo_id: Uuid, now_ms: i64) -> Option<ReviewInput> {
        Some(match self.steps.pop()? {
            Step::Rated(answered) => self.undo_rating(answered, undo_id, now_ms),
            Step::Held(held) => self.undo_hold(held, undo_id, now_ms),
        })
    }

    /// A rating taken back: the card returns to where it was, in the state
    /// it had, with the siblings it buried.
    fn undo_rating(&mut self, answered: Answered, undo_id: Uuid, now_ms: i64) -> ReviewInput {
        if answered.requeued {
            if let Some(position) = self
                .waiting
                .iter()
                .rposition(|card| card.id == answered.card_before.id)
            {
                self.waiting.remove(position);
            }
        }
        let position = answered.position.min(self.waiting.len());
        let card_id = answered.card_before.id;
        let state_before = &answered.card_before.state;
        let expected = (state_before.phase != Phase::New).then(|| state_before.clone());
        self.expected.insert(card_id, (undo_id, expected));
        let card_returns = !self.held.contains(&card_id);
        if card_returns {
            self.waiting.insert(position, answered.card_before);
        }
        // Buried siblings return to where they stood (their positions were
        // taken with the answered card already out of the queue).
        for (sibling_position, sibling) in answered.buried {
            let sibling_position = if card_returns && sibling_position >= position {
                sibling_position + 1
            } else {
                sibling_position
            };
            self.waiting
                .insert(sibling_position.min(self.waiting.len()), sibling);
        }
        ReviewInput {
            id: undo_id,
            card_id,
            rating: None,
            cancels: Some(answered.review_id),
            hold: None,
            reviewed_at_ms: now_ms,
            duration_ms: 0,
        }
    }

    /// A hold taken back: the card returns to where it stood, as it was.
    fn undo_hold(&mut self, held: Held, record_id: Uuid, now_ms: i64) -> ReviewInput {
        let card_id = held.card.id;
        if let Some(index) = self.held.iter().rposition(|id| *id == card_id) {
            self.held.remove(index);
        }
        self.waiting
            .insert(held.position.min(self.waiting.len()), held.card);
        ReviewInput {
            id: record_id,
            card_id,
            rating: None,
            cancels: None,
            hold: held.hold.undone(),
            reviewed_at_ms: now_ms,
            duration_ms: 0,
        }
    }

    /// The state the server must answer for `card_id` once it has `record`
    /// (a review or undo sent from here): `None` when `record` is not the
    /// last one this session sent for the card, since the server's answer
    /// then describes an older moment. `Some(None)` means a new card.
    pub fn expected_state(&self, card_id: Uuid, record: Uuid) -> Option<Option<&CardState>> {
        self.expected
            .get(&card_id)
            .filter(|(last, _)| *last == record)
            .map(|(_, state)| state.as_ref())
    }

    /// Buries or suspends the card `card_id` by hand: it leaves today's
    /// session until the hold is undone, and the answer is the hold to
    /// record. `None` for a card no longer in the session, or a hold that
    /// sets nothing aside.
    pub fn hold(
        &mut self,
        card_id: Uuid,
        hold: CardHold,
        record_id: Uuid,
        now_ms: i64,
    ) -> Option<ReviewInput> {
        hold.undone()?;
        let position = self.waiting.iter().position(|card| card.id == card_id)?;
        let card = self.waiting[position].clone();
        self.set_aside(card_id);
        self.steps.push(Step::Held(Held { card, position, hold }));
        Some(ReviewInput {
            id: record_id,
            card_id,
            rating: None,
            cancels: None,
            hold: Some(hold),
            reviewed_at_ms: now_ms,
            duration_ms: 0,
        })
    }

    /// Takes a card out of today's session (held by hand, here or in
    /// another tab; the server records that).
    fn set_aside(&mut self, card_id: Uuid) {
        self.waiting.retain(|card| card.id != card_id);
        self.held.push(card_id);
    }

    /// The cards still to study, with their states as of now: what a copy
    /// kept for offline study starts from.
    pub fn remaining_cards(&self) -> &[StudyCard] {
        &self.waiting
    }

    pub fn can_undo(&self) -> bool {
        !self.steps.is_empty()
    }

    /// What undo would take back now.
    pub fn undoable(&self) -> Option<Undoable> {
        self.steps.last().map(|step| match step {
            Step::Rated(_) => Undoable::Rating,
            Step::Held(held) => Undoable::Hold(held.hold),
        })
    }

    /// The cards left, by kind, as the progress bar shows them.
    pub fn counts(&self) -> QueueCounts {
        QueueCounts::of(&self.waiting)
    }

    /// How many answers standing in this session were made at or after
    /// `since_ms` (Unix milliseconds): those of a study day, when a session
    /// stays open past the day's start.
    /// The answers given here from `since_ms` on (Unix milliseconds).
    pub fn summary_since(&self, since_ms: i64) -> SessionSummary {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::Rated(answered) => Some(answered),
                Step::Held(_) => None,
            })
            .filter(|answered| answered.answered_at_ms >= since_ms)
            .fold(SessionSummary::default(), |mut summary, answered| {
                summary.answers += 1;
                summary.remembered += usize::from(answered.rating != Rating::Again);
                summary.time_ms += answered.duration_ms;
                summary
            })
    }
}

/// Whether two computations of a card's state agree: everything exactly,
/// except memory, where the browser's and the server's floating point may
/// differ in the last bits.
pub fn states_agree(browser: Option<&CardState>, server: Option<&CardState>) -> bool {
    match (browser, server) {
        (None, None) => true,
        (Some(browser), Some(server)) => {
            let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0);
            let memory_agrees = match (browser.memory, server.memory) {
                (None, None) => true,
                (Some(a), Some(b)) => close(a.stability, b.stability) && close(a.difficulty, b.difficulty),
                _ => false,
            };
            memory_agrees
                && CardState {
                    memory: None,
                    ..browser.clone()
                } == CardState {
                    memory: None,
                    ..server.clone()
                }
        }
        _ => false,
    }
}

/// A piece of a typed answer compared with the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerPart {
    /// Typed as expected.
    Right(String),
    /// Typed, but not in the answer.
    Wrong(String),
    /// In the answer, but not typed.
    Missing(String),
}

/// The longest answer compared character by character; past it the
/// comparison would cost more than it tells.
pub const MAX_COMPARED_CHARS: usize = 500;

/// Compares a typed answer with the expected one, character by character,
/// as Anki does: the typed line (right and wrong characters) and the
/// expected line (right and missing ones), from their longest common
/// subsequence. Surrounding spaces do not count.
pub fn compare_typed_answer(expected: &str, typed: &str) -> (Vec<AnswerPart>, Vec<AnswerPart>) {
    let expected: Vec<char> = expected.trim().chars().take(MAX_COMPARED_CHARS).collect();
    let typed: Vec<char> = typed.trim().chars().take(MAX_COMPARED_CHARS).collect();
    // lengths[i][j]: the common subsequence of typed[i..] and expected[j..].
    let mut lengths = vec![vec![0u16; expected.len() + 1]; typed.len() + 1];
    for i in (0..typed.len()).rev() {
        for j in (0..expected.len()).rev() {
            lengths[i][j] = if typed[i] == expected[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut typed_line, mut expected_line) = (Vec::new(), Vec::new());
    let push = |line: &mut Vec<AnswerPart>, part: AnswerPart| {
        let merged = match (line.last_mut(), &part) {
            (Some(AnswerPart::Right(text)), AnswerPart::Right(more))
            | (Some(AnswerPart::Wrong(text)), AnswerPart::Wrong(more))
            | (Some(AnswerPart::Missing(text)), AnswerPart::Missing(more)) => {
                text.push_str(more);
                true
            }
            _ => false,
        };
        if !merged {
            line.push(part);
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < typed.len() || j < expected.len() {
        if i < typed.len() && j < expected.len() && typed[i] == expected[j] {
            push(&mut typed_line, AnswerPart::Right(typed[i].to_string()));
            push(&mut expected_line, AnswerPart::Right(expected[j].to_string()));
            i += 1;
            j += 1;
        } else if j < expected.len() && (i == typed.len() || lengths[i][j + 1] >= lengths[i + 1][j]) {
            push(&mut expected_line, AnswerPart::Missing(expected[j].to_string()));
            j += 1;
        } else {
            push(&mut typed_line, AnswerPart::Wrong(typed[i].to_string()));
            i += 1;
        }
    }
    (typed_line, expected_line)
}

/// A wait or an interval as the rating buttons show it: "<1m", "10m", "3h",
/// "4d", "1.5mo", "2.1y".
pub fn interval_label(seconds: i64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 60.0 * MINUTE;
    const DAY: f64 = 24.0 * HOUR;
    const MONTH: f64 = 30.0 * DAY;
    const YEAR: f64 = 365.0 * DAY;
    let seconds = seconds.max(0) as f64;
    let rounded = |value: f64, unit: &str| {
        let value = (value * 10.0).round() / 10.0;
        if value.fract() == 0.0 {
            format!("{value:.0}{unit}")
        } else {
            format!("{value:.1}{unit}")
        }
    };
    if seconds < MINUTE {
        "<1m".to_owned()
    } else if seconds < HOUR {
        format!("{:.0}m", (seconds / MINUTE).round())
    } else if seconds < DAY {
        rounded(seconds / HOUR, "h")
    } else if seconds < MONTH {
        format!("{:.0}d", (seconds / DAY).round())
    } else if seconds < YEAR {
        rounded(seconds / MONTH, "mo")
    } else {
        rounded(seconds / YEAR, "y")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::scheduler::{SchedulingOptions, DEFAULT_LEARNING_STEPS_SECONDS};

    const NOW: i64 = 1_767_261_600; // 2026-01-01 10:00 UTC

    fn card(number: u128, phase: Phase, due: i64) -> StudyCard {
        let mut state = CardState::new_card(0);
        state.phase = phase;
        state.due = due;
        if phase != Phase::New {
            state.memory = Some(crate::study::scheduler::Memory {
                stability: 3.0,
                difficulty: 5.0,
            });
            state.last_review = Some(due - 86_400);
            state.reps = 2;
        }
        StudyCard {
            id: Uuid::from_u128(number),
            note_id: Uuid::from_u128(number),
            front_html: format!("<p>front {number}</p>"),
            back_html: format!("<p>back {number}</p>"),
            type_answer: None,
            state,
        }
    }

    fn session(cards: Vec<StudyCard>) -> StudySession {
        session_with(cards, StudyPreset::default())
    }

    fn session_with(cards: Vec<StudyCard>, preset: StudyPreset) -> StudySession {
        StudySession::new(&StudyQueue {
            deck_id: Uuid::nil(),
            deck_title: "Deck".into(),
            learner_id: Uuid::nil(),
            cards,
            studied_today: SessionSummary::default(),
            preset: StudyPreset {
                scheduling: SchedulingOptions {
                    fuzz: false,
                    ..preset.scheduling
                },
                ..preset
            },
            clock: DayClock::UTC,
            generated_at: NOW,
        })
        .unwrap()
    }

    impl StudySession {
        /// Rates the card shown at `now_ms`, as the page does.
        fn answer_shown(
            &mut self,
            rating: Rating,
            review_id: Uuid,
            now_ms: i64,
            duration_ms: i64,
        ) -> Result<Option<ReviewInput>, SchedulingError> {
            match self.next(now_ms.div_euclid(1000)).card_id() {
                Some(card_id) => self.answer(card_id, rating, review_id, now_ms, duration_ms),
                None => Ok(None),
            }
        }
    }

    fn shown(session: &StudySession, now: i64) -> Option<u128> {
        session.next(now).card_id().map(|id| id.as_u128())
    }

    #[test]
    fn a_card_rated_again_comes_back_after_the_other_cards_until_its_step_is_due() {
        let mut session = session(vec![card(1, Phase::New, 0), card(2, Phase::New, 0)]);
        assert_eq!(shown(&session, NOW), Some(1));
        let review = session
            .answer_shown(Rating::Again, Uuid::from_u128(100), NOW * 1000, 3_000)
            .unwrap()
            .unwrap();
        assert_eq!(review.card_id, Uuid::from_u128(1));
        assert_eq!(review.rating, Some(1));
        assert_eq!(review.reviewed_at_ms, NOW * 1000);
        // Card 1 waits a minute; card 2 is shown first.
        assert_eq!(
            session.counts(),
            QueueCounts {
                new: 1,
                learning: 1,
                review: 0
            }
        );
        assert_eq!(shown(&session, NOW + 5), Some(2));
        session
            .answer_shown(Rating::Good, Uuid::from_u128(101), (NOW + 5) * 1000, 1_000)
            .unwrap();
        // Only card 1 is left, due within the learn-ahead limit: shown now.
        assert_eq!(shown(&session, NOW + 10), Some(1));
        // Once its step is due it comes before a new card would.
        assert_eq!(
            shown(&session, NOW + i64::from(DEFAULT_LEARNING_STEPS_SECONDS[0])),
            Some(1)
        );
    }

    #[test]
    fn a_rating_goes_to_the_card_shown_even_when_a_learning_card_fell_due_meanwhile() {
        let step = i64::from(DEFAULT_LEARNING_STEPS_SECONDS[0]);
        let mut session = session(vec![card(1, Phase::Learning, NOW + step), card(2, Phase::New, 0)]);
        // Card 2 is shown; the learner thinks until card 1's step is due,
        // which would now be shown first.
        assert_eq!(shown(&session, NOW), Some(2));
        assert_eq!(shown(&session, NOW + step), Some(1));
        let review = session
            .answer(
                Uuid::from_u128(2),
                Rating::Easy,
                Uuid::from_u128(100),
                (NOW + step) * 1000,
                9_000,
            )
            .unwrap()
            .unwrap();
        assert_eq!(review.card_id, Uuid::from_u128(2));
        // Card 1 is still waiting, unrated.
        assert_eq!(shown(&session, NOW + step), Some(1));
        assert!(session
            .expected_state(Uuid::from_u128(1), Uuid::from_u128(100))
            .is_none());
        // A card no longer in the session (answered, and not back today)
        // is not rated again, nor is another rated in its place.
        let counts = session.counts();
        assert_eq!(
            session
                .answer(
                    Uuid::from_u128(2),
                    Rating::Good,
                    Uuid::from_u128(101),
                    (NOW + step) * 1000,
                    0
                )
                .unwrap(),
            None
        );
        assert_eq!(session.counts(), counts);
        assert!(session
            .expected_state(Uuid::from_u128(1), Uuid::from_u128(101))
            .is_none());
    }

    #[test]
    fn a_card_rated_twice_within_a_second_has_its_second_rating_dated_a_second_later() {
        let mut session = session(vec![card(1, Phase::New, 0)]);
        let first = session
            .answer_shown(Rating::Again, Uuid::from_u128(100), NOW * 1000 + 400, 0)
            .unwrap()
            .unwrap();
        // The only card left comes straight back; rated again in the same second.
        let second = session
            .answer_shown(Rating::Good, Uuid::from_u128(101), NOW * 1000 + 900, 0)
            .unwrap()
            .unwrap();
        assert_eq!(first.reviewed_at_ms, NOW * 1000 + 400);
        assert_eq!(second.reviewed_at_ms, (NOW + 1) * 1000);
        // A later rating keeps its own time.
        let third = session
            .answer_shown(Rating::Good, Uuid::from_u128(102), (NOW + 700) * 1000, 0)
            .unwrap()
            .unwrap();
        assert_eq!(third.reviewed_at_ms, (NOW + 700) * 1000);
    }

    fn rating_made_elsewhere(id: u128, card: u128, rating: Rating, at: i64) -> ReviewInput {
        ReviewInput {
            id: Uuid::from_u128(id),
            card_id: Uuid::from_u128(card),
            rating: Some(rating as i64),
            cancels: None,
            hold: None,
            reviewed_at_ms: at * 1000,
            duration_ms: 4_000,
        }
    }

    #[test]
    fn ratings_made_elsewhere_and_not_yet_stored_count_in_the_session() {
        let mut session = session(vec![
            card(1, Phase::New, 0),
            card(2, Phase::New, 0),
            card(3, Phase::Review, NOW - 60),
            card(4, Phase::New, 0),
        ]);
        // Offline, an hour ago: card 1 rated Easy, card 2 Again and then
        // (its step done) Good, card 3 Good.
        let waiting = [
            rating_made_elsewhere(10, 1, Rating::Easy, NOW - 3_600),
            rating_made_elsewhere(11, 2, Rating::Again, NOW - 3_590),
            rating_made_elsewhere(12, 3, Rating::Good, NOW - 3_500),
            rating_made_elsewhere(13, 2, Rating::Good, NOW - 3_000),
        ];
        session
            .apply_ratings_made_elsewhere(&waiting, NOW * 1000)
            .unwrap();
        // Only card 2, on its second learning step, comes back today; the
        // new card 4 is shown first, then card 2 once its step is due.
        let ids: Vec<u128> = session
            .remaining_cards()
            .iter()
            .map(|card| card.id.as_u128())
            .collect();
        assert_eq!(ids, vec![4, 2]);
        let card_2 = &session.remaining_cards()[1].state;
        assert_eq!(card_2.phase, Phase::Learning);
        assert_eq!(card_2.reps, 2);
        assert_eq!(card_2.last_review, Some(NOW - 3_000));
        // Nothing made elsewhere is this session's to undo or to count.
        assert!(!session.can_undo());
        assert_eq!(session.summary_since(i64::MIN).answers, 0);
        // The scheduler gave the same state the server's replay will give.
        let scheduler = Scheduler::new(SchedulingOptions {
            fuzz: false,
            ..StudyPreset::default().scheduling
        })
        .unwrap();
        let again = scheduler
            .answer(
                &CardState::new_card(0),
                Uuid::from_u128(2),
                Rating::Again,
                NOW - 3_590,
                DayClock::UTC,
            )
            .unwrap();
        let good = scheduler
            .answer(
                &again,
                Uuid::from_u128(2),
                Rating::Good,
                NOW - 3_000,
                DayClock::UTC,
            )
            .unwrap();
        assert_eq!(card_2, &good);
    }

    #[test]
    fn undoing_a_rating_made_before_a_hold_leaves_the_card_held() {
        let mut session = session(vec![card(1, Phase::New, 0), card(2, Phase::New, 0)]);
        // Card 1 rated Again comes back in a minute; another tab suspends it.
        let rated = session
            .answer_shown(Rating::Again, Uuid::from_u128(10), NOW * 1000, 4_000)
            .unwrap()
            .unwrap();
        assert_eq!(rated.card_id, Uuid::from_u128(1));
        session.set_aside(Uuid::from_u128(1));
        let undo = session.undo(Uuid::from_u128(11), (NOW + 5) * 1000).unwrap();
        // The rating is taken back; the card stays out of the session.
        assert_eq!(undo.cancels, Some(rated.id));
        let ids: Vec<u128> = session
            .remaining_cards()
            .iter()
            .map(|card| card.id.as_u128())
            .collect();
        assert_eq!(ids, vec![2]);
    }

    #[test]
    fn undo_takes_back_a_hold_and_then_the_rating_before_it() {
        let mut session = session((1..=3).map(|number| card(number, Phase::New, 0)).collect());
        let rated = session
            .answer_shown(Rating::Easy, Uuid::from_u128(10), NOW * 1000, 2_000)
            .unwrap()
            .unwrap();
        assert_eq!(session.undoable(), Some(Undoable::Rating));
        let ids = |session: &StudySession| -> Vec<u128> {
            session
                .remaining_cards()
                .iter()
                .map(|card| card.id.as_u128())
                .collect()
        };
        // A hold sets nothing aside unless it buries or suspends.
        assert_eq!(
            session.hold(
                Uuid::from_u128(2),
                CardHold::Unbury,
                Uuid::from_u128(19),
                NOW * 1000
            ),
            None
        );
        let buried = session
            .hold(
                Uuid::from_u128(2),
                CardHold::Bury,
                Uuid::from_u128(11),
                (NOW + 5) * 1000,
            )
            .unwrap();
        assert_eq!(
            (buried.card_id, buried.hold),
            (Uuid::from_u128(2), Some(CardHold::Bury))
        );
        assert_eq!(ids(&session), vec![3]);
        assert_eq!(session.undoable(), Some(Undoable::Hold(CardHold::Bury)));
        // A card no longer in the session is not held again.
        assert_eq!(
            session.hold(
                Uuid::from_u128(2),
                CardHold::Suspend,
                Uuid::from_u128(18),
                NOW * 1000
            ),
            None
        );

        let unburied = session.undo(Uuid::from_u128(12), (NOW + 6) * 1000).unwrap();
        assert_eq!(
            (unburied.card_id, unburied.hold, unburied.cancels, unburied.rating),
            (Uuid::from_u128(2), Some(CardHold::Unbury), None, None)
        );
        assert_eq!(ids(&session), vec![2, 3]);
        // Only ratings count in the summary.
        assert_eq!(session.summary_since(i64::MIN).answers, 1);
        let undone = session.undo(Uuid::from_u128(13), (NOW + 7) * 1000).unwrap();
        assert_eq!(undone.cancels, Some(rated.id));
        assert_eq!(ids(&session), vec![1, 2, 3]);
        assert_eq!(session.undoable(), None);

        let suspended = session
            .hold(
                Uuid::from_u128(3),
                CardHold::Suspend,
                Uuid::from_u128(14),
                (NOW + 8) * 1000,
            )
            .unwrap();
        assert_eq!(suspended.hold, Some(CardHold::Suspend));
        let lifted = session.undo(Uuid::from_u128(15), (NOW + 9) * 1000).unwrap();
        assert_eq!(lifted.hold, Some(CardHold::Unsuspend));
        assert_eq!(ids(&session), vec![1, 2, 3]);
    }

    #[test]
    fn a_card_suspended_elsewhere_or_buried_there_today_is_set_aside() {
        let mut session = session((1..=5).map(|number| card(number, Phase::New, 0)).collect());
        let held = |id: u128, card: u128, hold: CardHold, at: i64| ReviewInput {
            hold: Some(hold),
            rating: None,
            ..rating_made_elsewhere(id, card, Rating::Good, at)
        };
        let waiting = [
            held(10, 1, CardHold::Suspend, NOW - 3 * 86_400),
            held(11, 2, CardHold::Bury, NOW - 600),
            // Buried on a day that has ended: back today.
            held(12, 3, CardHold::Bury, NOW - 86_400),
            // Buried and the burial undone there: not held; suspended
            // again after a suspension was lifted: held.
            held(13, 4, CardHold::Bury, NOW - 60),
            held(14, 5, CardHold::Unsuspend, NOW - 50),
            held(15, 4, CardHold::Unbury, NOW - 40),
            held(16, 5, CardHold::Suspend, NOW - 30),
        ];
        session
            .apply_ratings_made_elsewhere(&waiting, NOW * 1000)
            .unwrap();
        let ids: Vec<u128> = session
            .remaining_cards()
            .iter()
            .map(|card| card.id.as_u128())
            .collect();
        assert_eq!(ids, vec![3, 4]);
    }

    #[test]
    fn a_rating_the_server_already_has_is_not_applied_twice() {
        // The server stored card 1's rating of a minute ago: its last review.
        let mut stored = card(1, Phase::Learning, NOW + 540);
        stored.state.last_review = Some(NOW - 60);
        let mut session = session(vec![stored.clone()]);
        session
            .apply_ratings_made_elsewhere(
                &[rating_made_elsewhere(10, 1, Rating::Good, NOW - 60)],
                NOW * 1000,
            )
            .unwrap();
        assert_eq!(session.remaining_cards(), &[stored]);
    }

    #[test]
    fn an_undone_rating_is_not_applied_and_an_undo_of_a_stored_one_leaves_the_card_as_the_server_sent_it() {
        let cards = vec![card(1, Phase::New, 0), card(2, Phase::Review, NOW - 60)];
        let mut session = session(cards.clone());
        let undo = |id: u128, card: u128, cancels: u128| ReviewInput {
            id: Uuid::from_u128(id),
            card_id: Uuid::from_u128(card),
            rating: None,
            cancels: Some(Uuid::from_u128(cancels)),
            hold: None,
            reviewed_at_ms: (NOW - 100) * 1000,
            duration_ms: 0,
        };
        let waiting = [
            // Card 1 rated and undone, both waiting.
            rating_made_elsewhere(10, 1, Rating::Easy, NOW - 200),
            undo(11, 1, 10),
            // Card 2: the undo of a rating the server has, then a rating.
            undo(12, 2, 99),
            rating_made_elsewhere(13, 2, Rating::Easy, NOW - 50),
        ];
        session
            .apply_ratings_made_elsewhere(&waiting, NOW * 1000)
            .unwrap();
        assert_eq!(session.remaining_cards(), cards.as_slice());
    }

    #[test]
    fn a_card_answered_in_this_session_is_not_rated_again_by_what_waits() {
        let mut session = session(vec![card(1, Phase::New, 0), card(2, Phase::New, 0)]);
        let mine = session
            .answer_shown(Rating::Again, Uuid::from_u128(10), NOW * 1000, 0)
            .unwrap()
            .unwrap();
        // The outbox holds this session's own rating too.
        session
            .apply_ratings_made_elsewhere(&[mine], (NOW + 1) * 1000)
            .unwrap();
        assert_eq!(session.remaining_cards().len(), 2);
        assert_eq!(session.summary_since(i64::MIN).answers, 1);
    }

    #[test]
    fn a_rating_made_elsewhere_on_an_earlier_day_buries_no_sibling_today() {
        let preset = StudyPreset {
            bury_siblings: true,
            ..StudyPreset::default()
        };
        let sibling = |number: u128| StudyCard {
            note_id: Uuid::from_u128(7),
            ..card(number, Phase::New, 0)
        };
        let mut yesterday = session_with(vec![sibling(1), sibling(2)], preset.clone());
        yesterday
            .apply_ratings_made_elsewhere(
                &[rating_made_elsewhere(10, 1, Rating::Easy, NOW - 86_400)],
                NOW * 1000,
            )
            .unwrap();
        assert_eq!(yesterday.remaining_cards().len(), 1);
        let mut today = session_with(vec![sibling(1), sibling(2)], preset);
        today
            .apply_ratings_made_elsewhere(
                &[rating_made_elsewhere(10, 1, Rating::Easy, NOW - 600)],
                NOW * 1000,
            )
            .unwrap();
        assert!(today.remaining_cards().is_empty());
    }

    #[test]
    fn a_learning_card_due_later_than_the_limit_makes_the_session_wait() {
        let mut session = session(vec![card(1, Phase::New, 0)]);
        // Good moves a new card to the 10-minute step; Hard on that step waits 10 minutes.
        session
            .answer_shown(Rating::Good, Uuid::from_u128(100), NOW * 1000, 0)
            .unwrap();
        assert_eq!(shown(&session, NOW), Some(1));
        // Easy graduates it: nothing is left today.
        session
            .answer_shown(Rating::Easy, Uuid::from_u128(101), NOW * 1000, 0)
            .unwrap();
        assert_eq!(session.next(NOW), Next::Done);

        let mut later = session_with_learning_due(NOW + 3_600);
        assert_eq!(later.next(NOW), Next::WaitUntil(NOW + 3_600));
        assert_eq!(
            later
                .answer_shown(Rating::Good, Uuid::from_u128(1), NOW * 1000, 0)
                .unwrap(),
            None,
            "nothing is rated while the session waits"
        );
    }

    fn session_with_learning_due(due: i64) -> StudySession {
        session(vec![card(7, Phase::Learning, due)])
    }

    #[test]
    fn undo_puts_the_card_back_where_it_was_in_the_state_it_had() {
        let cards = vec![
            card(1, Phase::Review, NOW - 10),
            card(2, Phase::New, 0),
            card(3, Phase::New, 0),
        ];
        let mut session = session(cards.clone());
        session
            .answer_shown(Rating::Good, Uuid::from_u128(100), NOW * 1000, 0)
            .unwrap();
        session
            .answer_shown(Rating::Again, Uuid::from_u128(101), NOW * 1000, 0)
            .unwrap();
        assert_eq!(session.summary_since(i64::MIN).answers, 2);
        let undo = session.undo(Uuid::from_u128(200), (NOW + 1) * 1000).unwrap();
        assert_eq!(undo.cancels, Some(Uuid::from_u128(101)));
        assert_eq!(undo.card_id, Uuid::from_u128(2));
        assert_eq!(undo.rating, None);
        assert_eq!(shown(&session, NOW), Some(2));
        assert_eq!(
            session.counts(),
            QueueCounts {
                new: 2,
                learning: 0,
                review: 0
            }
        );
        session.undo(Uuid::from_u128(201), (NOW + 2) * 1000).unwrap();
        assert_eq!(session.waiting, cards);
        assert!(!session.can_undo());
        assert_eq!(session.undo(Uuid::from_u128(202), NOW * 1000), None);
    }

    fn sibling(number: u128, note: u128, phase: Phase) -> StudyCard {
        StudyCard {
            note_id: Uuid::from_u128(note),
            ..card(number, phase, NOW - 10)
        }
    }

    #[test]
    fn with_bury_siblings_the_other_cards_of_a_note_wait_for_tomorrow_until_undone() {
        let cards = vec![
            sibling(1, 100, Phase::New),
            sibling(2, 200, Phase::New),
            sibling(3, 100, Phase::New),
            sibling(4, 100, Phase::Review),
        ];
        let preset = StudyPreset {
            bury_siblings: true,
            ..StudyPreset::default()
        };
        let mut with_burial = session_with(cards.clone(), preset);
        with_burial
            .answer_shown(Rating::Easy, Uuid::from_u128(9), NOW * 1000, 0)
            .unwrap();
        assert_eq!(
            with_burial
                .waiting
                .iter()
                .map(|card| card.id.as_u128())
                .collect::<Vec<_>>(),
            [2]
        );
        with_burial.undo(Uuid::from_u128(10), NOW * 1000);
        assert_eq!(with_burial.waiting, cards);
        // Without the option, siblings stay.
        let mut without = session(cards);
        without
            .answer_shown(Rating::Easy, Uuid::from_u128(9), NOW * 1000, 0)
            .unwrap();
        assert_eq!(without.waiting.len(), 3);
    }

    #[test]
    fn a_leech_its_preset_suspends_leaves_the_session() {
        let mut leech = card(1, Phase::Review, NOW - 10);
        leech.state.lapses = 7;
        let suspends = StudyPreset {
            leech_suspends: true,
            ..StudyPreset::default()
        };
        let mut suspended = session_with(vec![leech.clone()], suspends);
        suspended
            .answer_shown(Rating::Again, Uuid::from_u128(9), NOW * 1000, 0)
            .unwrap();
        assert_eq!(
            suspended.next(NOW + 3_600),
            Next::Done,
            "the eighth lapse suspends it"
        );
        // Marked only: it relearns as usual.
        let mut marked = session(vec![leech]);
        marked
            .answer_shown(Rating::Again, Uuid::from_u128(9), NOW * 1000, 0)
            .unwrap();
        assert_eq!(shown(&marked, NOW + 3_600), Some(1));
    }

    #[test]
    fn the_summary_counts_answers_remembered_and_time() {
        let mut session = session(vec![card(1, Phase::Review, NOW), card(2, Phase::Review, NOW)]);
        session
            .answer_shown(Rating::Again, Uuid::from_u128(100), NOW * 1000, 4_000)
            .unwrap();
        session
            .answer_shown(Rating::Good, Uuid::from_u128(101), NOW * 1000, 6_000)
            .unwrap();
        let summary = session.summary_since(i64::MIN);
        assert_eq!(
            (summary.answers, summary.remembered, summary.time_ms),
            (2, 1, 10_000)
        );
        assert_eq!(summary.remembered_percent(), Some(50));
        assert_eq!(SessionSummary::default().remembered_percent(), None);
        // The day's answers before the page, with the page's.
        let before = SessionSummary {
            answers: 3,
            remembered: 3,
            time_ms: 5_000,
        };
        assert_eq!(
            before.plus(summary),
            SessionSummary {
                answers: 5,
                remembered: 4,
                time_ms: 15_000
            }
        );
        assert_eq!(before.plus(summary).remembered_percent(), Some(80));
    }

    #[test]
    fn answers_are_counted_from_a_moment_and_an_undo_takes_one_back() {
        let mut session = session(vec![card(1, Phase::Review, NOW), card(2, Phase::Review, NOW)]);
        session
            .answer_shown(Rating::Good, Uuid::from_u128(100), NOW * 1000, 0)
            .unwrap();
        session
            .answer_shown(Rating::Good, Uuid::from_u128(101), (NOW + 60) * 1000, 0)
            .unwrap();
        assert_eq!(session.summary_since(NOW * 1000).answers, 2);
        // A day that began between the two answers holds only the second.
        assert_eq!(session.summary_since((NOW + 30) * 1000).answers, 1);
        session.undo(Uuid::from_u128(102), (NOW + 90) * 1000);
        assert_eq!(session.summary_since((NOW + 30) * 1000).answers, 0);
        assert_eq!(session.summary_since(NOW * 1000).answers, 1);
    }

    #[test]
    fn the_session_knows_what_the_server_must_answer_after_each_record() {
        let mut session = session(vec![card(1, Phase::New, 0), card(2, Phase::New, 0)]);
        let review = session
            .answer_shown(Rating::Good, Uuid::from_u128(100), NOW * 1000, 0)
            .unwrap()
            .unwrap();
        let expected = session
            .expected_state(review.card_id, review.id)
            .unwrap()
            .cloned();
        assert_eq!(expected.as_ref().map(|state| state.phase), Some(Phase::Learning));
        assert!(session
            .expected_state(review.card_id, Uuid::from_u128(5))
            .is_none());
        let undo = session.undo(Uuid::from_u128(101), NOW * 1000).unwrap();
        assert_eq!(
            session.expected_state(undo.card_id, undo.id),
            Some(None),
            "new again"
        );
        assert!(
            session.expected_state(review.card_id, review.id).is_none(),
            "superseded"
        );

        let state = expected.unwrap();
        assert!(states_agree(Some(&state), Some(&state)));
        let mut nudged = state.clone();
        nudged.memory = nudged.memory.map(|memory| crate::study::scheduler::Memory {
            stability: memory.stability * (1.0 + 1e-6),
            ..memory
        });
        assert!(states_agree(Some(&state), Some(&nudged)), "last-bit differences");
        nudged.due += 1;
        assert!(!states_agree(Some(&state), Some(&nudged)));
        assert!(!states_agree(Some(&state), None));
    }

    #[test]
    fn a_typed_answer_is_compared_character_by_character() {
        use AnswerPart::{Missing, Right, Wrong};
        let (typed, expected) = compare_typed_answer("el amigo", " el amgio ");
        assert_eq!(
            typed,
            [Right("el amg".into()), Wrong("i".into()), Right("o".into())]
        );
        assert_eq!(
            expected,
            [Right("el am".into()), Missing("i".into()), Right("go".into())]
        );
        let (typed, expected) = compare_typed_answer("hola", "hola");
        assert_eq!(
            (typed, expected),
            (vec![Right("hola".into())], vec![Right("hola".into())])
        );
        let (typed, expected) = compare_typed_answer("hola", "");
        assert_eq!((typed, expected), (vec![], vec![Missing("hola".into())]));
        let long = "a".repeat(MAX_COMPARED_CHARS * 3);
        let (typed, _) = compare_typed_answer(&long, &long);
        assert_eq!(typed, [Right("a".repeat(MAX_COMPARED_CHARS))]);
    }

    #[test]
    fn intervals_read_as_anki_shows_them() {
        let labels: Vec<String> = [
            0,
            59,
            60,
            600,
            5_400,
            86_400,
            4 * 86_400,
            45 * 86_400,
            800 * 86_400,
        ]
        .into_iter()
        .map(interval_label)
        .collect();
        assert_eq!(
            labels,
            ["<1m", "<1m", "1m", "10m", "1.5h", "1d", "4d", "1.5mo", "2.2y"]
        );
    }
}
