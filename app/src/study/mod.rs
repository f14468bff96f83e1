//! Study: each learner reviews cards on their own schedule, computed by
//! FSRS-6 in the browser (for an instant next card) and on the server (which
//! keeps the authoritative state, rebuilt from an append-only review log).
//!
//! The feature's shape: this file holds the types and validation both
//! targets share; `scheduler` and `fuzz` are pure; `access` (who studies
//! which cards), `db` (queries) and `writer` (which writes the submissions
//! that arrive together in one transaction) are server-only; `api` holds
//! the thin server functions.

pub mod api;
pub mod fuzz;
pub mod optimise;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub mod outbox;
pub mod pages;
pub mod preset;
pub mod scheduler;
pub mod server_clock;
pub mod session;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod writer;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use self::scheduler::{CardState, Rating};
use crate::error::AppError;

/// The `saved` value in a deck page's address after its study options were
/// saved by a form posted without JavaScript.
pub const STUDY_OPTIONS_SAVED: &str = "study-options";

/// The most reviews one request may carry (an offline session flushes in
/// batches of at most this many).
pub const MAX_REVIEWS_PER_BATCH: usize = 500;

/// How far ahead of the server's clock a device's clock may run.
pub const ALLOWED_CLOCK_SKEW_SECONDS: i64 = 300;

/// Why a review dated more than [`ALLOWED_CLOCK_SKEW_SECONDS`] ahead of the
/// server's clock waits (a `Conflict`: it is stored once the clock catches
/// up), as the study page's sync line shows it.
pub const REVIEW_DATED_AHEAD: &str = "dated later than the server's time (check this device's clock)";

/// Why a review dated before its card was made can never be stored (a
/// `BadRequest`, which the browser lets go of).
pub const REVIEW_OLDER_THAN_ITS_CARD: &str =
    "dated before its card was made, so this device's clock was wrong";

/// The longest a device may say a single review took.
pub const MAX_REVIEW_DURATION_MS: i64 = 24 * 60 * 60 * 1000;

/// The most one answer counts for in study time, however long its card was
/// on screen: a learner who showed the answer and went to lunch did not
/// study for an hour. Anki's "maximum answer seconds" is 60 by default too.
pub const MAX_COUNTED_ANSWER_MS: i32 = 60_000;

/// One rating, the undo of one, or a card buried or suspended by hand, as a
/// device keeps it and sends it: a hold waits in the outbox with the
/// ratings, so that one made without a connection is not lost either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    /// Made by the device, so that a batch sent again is stored once.
    pub id: Uuid,
    pub card_id: Uuid,
    /// 1 again, 2 hard, 3 good, 4 easy. Absent for an undo or a hold.
    #[serde(default)]
    pub rating: Option<i64>,
    /// The review an undo takes back.
    #[serde(default)]
    pub cancels: Option<Uuid>,
    /// The hold the learner put on the card.
    #[serde(default)]
    pub hold: Option<CardHold>,
    /// When the learner answered (or held the card), by the device's clock
    /// (Unix milliseconds).
    pub reviewed_at_ms: i64,
    #[serde(default)]
    pub duration_ms: i64,
}

/// What a review is: a rating, or the undo of an earlier review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    Rated(Rating),
    Undo { cancels: Uuid },
}

/// A review whose fields have been checked on their own (the server also
/// checks the card and the time against what it knows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReview {
    pub id: Uuid,
    pub card_id: Uuid,
    pub kind: ReviewKind,
    pub reviewed_at: i64,
    pub duration_ms: i32,
}

/// A hold put on a card on a device, whose fields have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHold {
    pub card_id: Uuid,
    pub hold: CardHold,
    /// When the learner held the card (Unix seconds): a card buried is
    /// buried until the learner's day after that one, and a suspension set
    /// or lifted stands unless a later change to it has arrived first.
    pub made_at: i64,
}

/// A batch as the server records it: the reviews in the review log, the
/// holds on the cards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidBatch {
    pub reviews: Vec<ValidReview>,
    pub holds: Vec<ValidHold>,
}

/// 2000-01-01 and the end of 9999, in Unix milliseconds.
const EARLIEST_REVIEW_MS: i64 = 946_684_800_000;
const LATEST_REVIEW_MS: i64 = 253_402_300_799_999;

impl ReviewInput {
    pub fn parse(&self) -> Result<ValidReview, AppError> {
        let kind = match (self.rating, self.cancels, self.hold) {
            (Some(rating), None, None) => ReviewKind::Rated(
                Rating::from_number(rating)
                    .ok_or_else(|| AppError::BadRequest(format!("a rating is 1 to 4, not {rating}")))?,
            ),
            (None, Some(cancels), None) => ReviewKind::Undo { cancels },
            _ => {
                return Err(AppError::BadRequest(
                    "a review has either a rating or the review it cancels".into(),
                ))
            }
        };
        let duration_ms = i32::try_from(self.duration_ms)
            .ok()
            .filter(|duration| (0..=MAX_REVIEW_DURATION_MS).contains(&i64::from(*duration)))
            .ok_or_else(|| {
                AppError::BadRequest("a review's duration must be between 0 and 24 hours".into())
            })?;
        Ok(ValidReview {
            id: self.id,
            card_id: self.card_id,
            kind,
            reviewed_at: self.made_at()?,
            duration_ms: duration_ms.min(MAX_COUNTED_ANSWER_MS),
        })
    }

    /// The hold this record puts on its card, if it is one.
    pub fn parse_hold(&self) -> Result<Option<ValidHold>, AppError> {
        let Some(hold) = self.hold else {
            return Ok(None);
        };
        if self.rating.is_some() || self.cancels.is_some() {
            return Err(AppError::BadRequest(
                "a card held by hand is no rating and cancels no review".into(),
            ));
        }
        Ok(Some(ValidHold {
            card_id: self.card_id,
            hold,
            made_at: self.made_at()?,
        }))
    }

    /// When the record was made, in Unix seconds.
    fn made_at(&self) -> Result<i64, AppError> {
        // Engram's first review is much later than 2000, and any time
        // between then and now is checked against the card and the clock;
        // outside this span the number is no time PostgreSQL can store.
        if !(EARLIEST_REVIEW_MS..=LATEST_REVIEW_MS).contains(&self.reviewed_at_ms) {
            let year = if self.reviewed_at_ms < EARLIEST_REVIEW_MS {
                "before the year 2000"
            } else {
                "after the year 9999"
            };
            return Err(AppError::BadRequest(format!(
                "dated {year}, so this device's clock was wrong"
            )));
        }
        Ok(self.reviewed_at_ms.div_euclid(1000))
    }
}

/// Checks a whole batch: its size first, then every record in it.
pub fn parse_batch(records: &[ReviewInput]) -> Result<ValidBatch, AppError> {
    if records.len() > MAX_REVIEWS_PER_BATCH {
        return Err(AppError::BatchTooLarge {
            limit: MAX_REVIEWS_PER_BATCH as u32,
        });
    }
    let mut batch = ValidBatch::default();
    for record in records {
        match record.parse_hold()? {
            Some(hold) => batch.holds.push(hold),
            None => batch.reviews.push(record.parse()?),
        }
    }
    Ok(batch)
}

/// A card's authoritative state for the learner after a batch: `None` when
/// no review of it stands (every one was undone), so the card is new again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardStateAfter {
    pub card_id: Uuid,
    pub state: Option<CardState>,
}

/// A learner's own hold on a card, apart from its schedule. Named in forms
/// and addresses as the variant is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
pub enum CardHold {
    /// Out of every queue until taken back.
    Suspend,
    /// Back in the queues.
    Unsuspend,
    /// Out of today's queue; back when the learner's next day begins.
    Bury,
    /// Back in today's queue: a burial by hand taken back (one that came
    /// with a sibling's rating goes with that rating's undo).
    Unbury,
}

impl CardHold {
    /// The hold's name, as forms and addresses carry it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The hold that takes this one back, for one that sets a card aside.
    pub fn undone(self) -> Option<CardHold> {
        match self {
            CardHold::Suspend => Some(CardHold::Unsuspend),
            CardHold::Bury => Some(CardHold::Unbury),
            CardHold::Unsuspend | CardHold::Unbury => None,
        }
    }
}

/// A card as a study session shows and schedules it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyCard {
    pub id: Uuid,
    pub note_id: Uuid,
    /// Sanitised when the note was saved.
    pub front_html: String,
    pub back_html: String,
    pub state: CardState,
    /// For a type-the-answer card, the answer to compare with what the
    /// learner types (plain text of the field its template names).
    #[serde(default)]
    pub type_answer: Option<String>,
}

/// Today's cards of a deck (with its subdecks) for one learner, in the order
/// to study them, with what the browser needs to schedule them itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyQueue {
    pub deck_id: Uuid,
    pub deck_title: String,
    /// Whose queue this is: the browser keeps unsent reviews per learner.
    pub learner_id: Uuid,
    /// The server's clock when the queue was made (Unix seconds). The page
    /// first renders at this time on both sides, so hydration sees the same
    /// card the server rendered.
    pub generated_at: i64,
    pub cards: Vec<StudyCard>,
    /// The deck's answers that stand on the day of `generated_at`, made
    /// before the queue: with the cards left, the day's progress, and with
    /// the page's own answers, the day's summary (without JavaScript every
    /// answer is a page of its own). A copy kept offline from before this
    /// was kept reads as none.
    #[serde(default)]
    pub studied_today: session::SessionSummary,
    /// The preset of the deck's top-level deck, which every card follows.
    pub preset: preset::StudyPreset,
    pub clock: scheduler::DayClock,
}

/// How many of a day's `limit` are left once `done` were used.
pub fn left_today(limit: u32, done: i64) -> usize {
    (limit as usize).saturating_sub(usize::try_from(done).unwrap_or(usize::MAX))
}

/// The most suspended cards a deck's page lists at once.
pub const MAX_SUSPENDED_CARDS_LISTED: i64 = 100;

/// The cards of a deck that the learner suspended (at most
/// `MAX_SUSPENDED_CARDS_LISTED`), and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspendedCards {
    pub cards: Vec<SuspendedCard>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspendedCard {
    pub card_id: Uuid,
    /// The front as plain text, shortened.
    pub text: String,
}

/// Whether the viewer of a deck studies it, and so which study buttons the
/// deck page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeckStudy {
    /// Studied without choosing: their own deck, or a deck of their course.
    Studied,
    /// Someone else's deck they chose to study; they may stop.
    Chosen,
    /// A deck they may see but do not study; they may start.
    NotStudied,
}

/// A deck the learner studies (with its subdecks), as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudiedDeck {
    pub deck_id: Uuid,
    pub title: String,
    /// What is left for today, within the day's limits.
    pub counts: QueueCounts,
    /// Whether the learner chose to study it (someone else's public deck),
    /// rather than owning it or following a course that uses it.
    pub chosen: bool,
}

/// How many cards of each kind wait, as the progress bar shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

impl QueueCounts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }

    pub fn of(cards: &[StudyCard]) -> QueueCounts {
        cards.iter().fold(QueueCounts::default(), |mut counts, card| {
            match card.state.phase {
                scheduler::Phase::New => counts.new += 1,
                scheduler::Phase::Learning | scheduler::Phase::Relearning => counts.learning += 1,
                scheduler::Phase::Review => counts.review += 1,
            }
            counts
        })
    }
}

/// Orders a day's cards: (re)learning cards first, by due time; then the
/// reviews with the new cards spread evenly among them, so a session mixes
/// them rather than ending with a block of new cards.
pub fn study_order(
    mut learning: Vec<StudyCard>,
    reviews: Vec<StudyCard>,
    new: Vec<StudyCard>,
) -> Vec<StudyCard> {
    learning.sort_by_key(|card| card.state.due);
    let total = reviews.len() + new.len();
    let mut ordered = learning;
    ordered.reserve(total);
    let new_count = new.len();
    let (mut reviews, mut new) = (reviews.into_iter().peekable(), new.into_iter());
    let mut new_taken = 0;
    for position in 0..total {
        // The i-th new card's place is i × total / new_count.
        let its_turn = position >= new_taken * total / new_count.max(1);
        if new_taken < new_count && (its_turn || reviews.peek().is_none()) {
            ordered.extend(new.next());
            new_taken += 1;
        } else {
            ordered.extend(reviews.next());
        }
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(rating: Option<i64>, cancels: Option<Uuid>) -> ReviewInput {
        ReviewInput {
            id: Uuid::from_u128(1),
            card_id: Uuid::from_u128(2),
            rating,
            cancels,
            hold: None,
            reviewed_at_ms: 1_767_261_600_123,
            duration_ms: 4_000,
        }
    }

    #[test]
    fn a_review_is_a_rating_from_one_to_four_or_an_undo() {
        let rated = review(Some(3), None).parse().unwrap();
        assert_eq!(rated.kind, ReviewKind::Rated(Rating::Good));
        assert_eq!(rated.reviewed_at, 1_767_261_600);
        let undo = review(None, Some(Uuid::from_u128(9))).parse().unwrap();
        assert_eq!(
            undo.kind,
            ReviewKind::Undo {
                cancels: Uuid::from_u128(9)
            }
        );
        for bad in [review(Some(5), None), review(Some(0), None), review(None, None)] {
            assert!(matches!(bad.parse(), Err(AppError::BadRequest(_))), "{bad:?}");
        }
        assert!(matches!(
            review(Some(1), Some(Uuid::from_u128(9))).parse(),
            Err(AppError::BadRequest(_))
        ));
        let mut slow = review(Some(3), None);
        slow.duration_ms = MAX_REVIEW_DURATION_MS + 1;
        assert!(matches!(slow.parse(), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn an_answer_counts_for_at_most_a_minute_of_study_time() {
        let mut left_open = review(Some(3), None);
        left_open.duration_ms = 2 * 60 * 60 * 1000;
        assert_eq!(left_open.parse().unwrap().duration_ms, MAX_COUNTED_ANSWER_MS);
        let mut quick = review(Some(3), None);
        quick.duration_ms = 4_200;
        assert_eq!(quick.parse().unwrap().duration_ms, 4_200);
    }

    #[test]
    fn a_hold_goes_with_the_reviews_and_is_recorded_apart() {
        let mut bury = review(None, None);
        bury.hold = Some(CardHold::Bury);
        let batch = parse_batch(&[review(Some(3), None), bury.clone()]).unwrap();
        assert_eq!(batch.reviews.len(), 1);
        assert_eq!(
            batch.holds,
            [ValidHold {
                card_id: Uuid::from_u128(2),
                hold: CardHold::Bury,
                made_at: 1_767_261_600,
            }]
        );
        // A hold is no rating and cancels no review.
        for mut bad in [review(Some(3), None), review(None, Some(Uuid::from_u128(9)))] {
            bad.hold = Some(CardHold::Suspend);
            assert!(matches!(parse_batch(&[bad]), Err(AppError::BadRequest(_))));
        }
        bury.reviewed_at_ms = 0;
        assert!(matches!(parse_batch(&[bury]), Err(AppError::BadRequest(_))));
    }

    fn card(number: u128, phase: scheduler::Phase, due: i64) -> StudyCard {
        StudyCard {
            id: Uuid::from_u128(number),
            note_id: Uuid::from_u128(number),
            front_html: String::new(),
            back_html: String::new(),
            type_answer: None,
            state: CardState {
                phase,
                due,
                ..CardState::new_card(0)
            },
        }
    }

    #[test]
    fn learning_comes_first_then_reviews_with_new_cards_spread_among_them() {
        use scheduler::Phase::{Learning, New, Relearning, Review};
        let learning = vec![card(1, Learning, 50), card(2, Relearning, 10)];
        let reviews = (10..16).map(|n| card(n, Review, 0)).collect();
        let new = (20..23).map(|n| card(n, New, 0)).collect();
        let order: Vec<u128> = study_order(learning, reviews, new)
            .iter()
            .map(|card| card.id.as_u128())
            .collect();
        assert_eq!(order, [2, 1, 20, 10, 11, 21, 12, 13, 22, 14, 15]);
        // Only new cards, or only reviews, keep their own order.
        let only_new: Vec<u128> = study_order(vec![], vec![], (20..23).map(|n| card(n, New, 0)).collect())
            .iter()
            .map(|card| card.id.as_u128())
            .collect();
        assert_eq!(only_new, [20, 21, 22]);
        let counts = QueueCounts::of(&study_order(
            vec![card(1, Learning, 0)],
            vec![card(2, Review, 0)],
            vec![card(3, New, 0)],
        ));
        assert_eq!(
            counts,
            QueueCounts {
                new: 1,
                learning: 1,
                review: 1
            }
        );
    }

    #[test]
    fn a_batch_over_the_limit_is_refused_whole() {
        let batch = vec![review(Some(3), None); MAX_REVIEWS_PER_BATCH + 1];
        assert_eq!(
            parse_batch(&batch),
            Err(AppError::BatchTooLarge {
                limit: MAX_REVIEWS_PER_BATCH as u32
            })
        );
        assert_eq!(
            parse_batch(&batch[..MAX_REVIEWS_PER_BATCH])
                .unwrap()
                .reviews
                .len(),
            MAX_REVIEWS_PER_BATCH
        );
    }
}
