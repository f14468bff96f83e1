//! The optimisation itself, pure: a learner's review histories become FSRS
//! training items, the most recent fifth is held out, new parameters are
//! fitted on the rest and both sets are measured on the held-out items.
//! CPU-heavy; the job runs it on the blocking pool.
//!
//! Items are built as Anki builds them for training
//! (`rslib/src/scheduler/fsrs/params.rs`): for each card, every review on a
//! later day than the one before it is an item whose history is all the
//! card's earlier reviews, with the days between reviews counted in the
//! learner's own days. Engram's log is complete from a card's first answer
//! (no resets, no reviews imported from SM-2), so no card is left out.

use std::sync::{Arc, Mutex};

use fsrs::{
    compute_parameters, CombinedProgressState, ComputeParametersInput, FSRSError, FSRSItem, FSRSReview,
    TrainingConfig, FSRS,
};

use super::{adopts, Fit, HELD_OUT_SHARE};
use crate::study::scheduler::{DayClock, Rating};

/// Epochs over the training items; Anki uses 8 too.
const EPOCHS: usize = 8;

/// A review to predict: the card's reviews up to and including it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedItem {
    /// When the predicted review happened (Unix seconds).
    pub at: i64,
    /// Which card it is, numbered within this learner's reviews.
    pub card: i64,
    pub item: FSRSItem,
}

/// Training items from each card's standing reviews `(time, rating)`, in
/// time order of the review each predicts.
pub fn items(histories: &[Vec<(i64, Rating)>], clock: DayClock) -> Vec<TimedItem> {
    let mut items = Vec::new();
    for (card, history) in histories.iter().enumerate() {
        let mut history = history.clone();
        history.sort_by_key(|(at, _)| *at);
        let mut reviews = Vec::with_capacity(history.len());
        let mut previous_day = None;
        for (index, (at, rating)) in history.iter().enumerate() {
            let day = clock.day_number(*at);
            let delta_t = previous_day.map_or(0, |previous| u32::try_from(day - previous).unwrap_or(0));
            previous_day = Some(day);
            reviews.push(FSRSReview {
                rating: *rating as u32,
                delta_t,
            });
            if index >= 1 && delta_t > 0 {
                items.push(TimedItem {
                    at: *at,
                    card: card as i64,
                    item: FSRSItem {
                        reviews: reviews.clone(),
                    },
                });
            }
        }
    }
    items.sort_by_key(|item| (item.at, item.card));
    items
}

/// The items to fit on and the most recent ones to measure on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    pub train: Vec<TimedItem>,
    pub held_out: Vec<TimedItem>,
}

/// Holds out the most recent [`HELD_OUT_SHARE`] of `items` (which are in
/// time order): the parameters are judged on reviews that came after every
/// review they were fitted on, as they will be used.
pub fn split(mut items: Vec<TimedItem>) -> Split {
    let held_out = (items.len() as f64 * HELD_OUT_SHARE).ceil() as usize;
    let held_out = items.split_off(items.len() - held_out.min(items.len()));
    Split {
        train: items,
        held_out,
    }
}

/// What an optimisation found.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The fitted parameters (21).
    pub parameters: Vec<f32>,
    /// The current parameters on the held-out items.
    pub before: Fit,
    /// The fitted parameters on the held-out items.
    pub after: Fit,
    pub adopted: bool,
    pub held_out: usize,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// Too few reviews on different days to fit or to measure.
    #[error("There are not yet enough reviews on different days to fit and test new parameters.")]
    NotEnoughData,
    /// Stopped through the progress state (the server is shutting down).
    #[error("The optimisation was interrupted.")]
    Interrupted,
    #[error("The optimiser failed: {0}")]
    Failed(String),
}

impl From<FSRSError> for TrainError {
    fn from(error: FSRSError) -> Self {
        match error {
            FSRSError::NotEnoughData => TrainError::NotEnoughData,
            FSRSError::Interrupted => TrainError::Interrupted,
            other => TrainError::Failed(format!("{other:?}")),
        }
    }
}

/// The share of the fit done so far, 0 to 1 (0 until the optimiser starts
/// counting).
pub fn share_done(progress: &Mutex<CombinedProgressState>) -> f32 {
    let state = progress.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if state.finished() {
        1.0
    } else if state.total() == 0 {
        0.0
    } else {
        state.current() as f32 / state.total() as f32
    }
}

/// Fits parameters on `split.train` and measures them and `current` (empty
/// for FSRS's defaults) on `split.held_out`. `progress` reports the fit and
/// stops it when `want_abort` is set. Deterministic: the same items give the
/// same parameters.
pub fn fit_and_compare(
    split: Split,
    current: &[f32],
    relearning_steps: usize,
    progress: Arc<Mutex<CombinedProgressState>>,
) -> Result<Outcome, TrainError> {
    if split.train.is_empty() || split.held_out.is_empty() {
        return Err(TrainError::NotEnoughData);
    }
    let (train_set, card_ids): (Vec<FSRSItem>, Vec<i64>) = split
        .train
        .into_iter()
        .map(|timed| (timed.item, timed.card))
        .unzip();
    let parameters = compute_parameters(ComputeParametersInput {
        train_set,
        card_ids: Some(card_ids),
        progress: Some(progress),
        enable_short_term: true,
        num_relearning_steps: Some(relearning_steps),
        training_config: Some(TrainingConfig {
            num_epochs: EPOCHS,
            ..TrainingConfig::default()
        }),
    })?;
    let held_out: Vec<FSRSItem> = split.held_out.into_iter().map(|timed| timed.item).collect();
    let held_out_count = held_out.len();
    // Parameters the scheduler would refuse are measured as the defaults.
    let current = FSRS::new(current).or_else(|_| FSRS::new(&[]))?;
    let fitted = FSRS::new(&parameters)?;
    let measure = |fsrs: &FSRS| -> Result<Fit, TrainError> {
        let evaluation = fsrs.evaluate(held_out.clone(), |_| true)?;
        Ok(Fit {
            log_loss: evaluation.log_loss,
            rmse: evaluation.rmse_bins,
        })
    };
    let before = measure(&current)?;
    let after = measure(&fitted)?;
    Ok(Outcome {
        adopted: parameters.len() == fsrs::DEFAULT_PARAMETERS.len() && adopts(before, after),
        parameters,
        before,
        after,
        held_out: held_out_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const START: i64 = 1_767_261_600; // 2026-01-01 10:00 UTC

    fn rating(number: i64) -> Rating {
        Rating::from_number(number).unwrap()
    }

    #[test]
    fn each_review_on_a_later_day_is_an_item_with_the_cards_history_before_it() {
        // Again, Good ten minutes later (same day), Good after 1 day, Hard after 3.
        let card = vec![
            (START + DAY, rating(3)),
            (START, rating(1)),
            (START + 600, rating(3)),
            (START + 4 * DAY, rating(2)),
        ];
        let other = vec![(START + 2 * DAY, rating(3)), (START + 2 * DAY + 60, rating(3))];
        let items = items(&[card, other], DayClock::UTC);
        let shapes: Vec<(i64, Vec<(u32, u32)>)> = items
            .iter()
            .map(|timed| {
                (
                    timed.card,
                    timed
                        .item
                        .reviews
                        .iter()
                        .map(|review| (review.rating, review.delta_t))
                        .collect(),
                )
            })
            .collect();
        // The other card was only reviewed on one day: no item.
        assert_eq!(
            shapes,
            [
                (0, vec![(1, 0), (3, 0), (3, 1)]),
                (0, vec![(1, 0), (3, 0), (3, 1), (2, 3)]),
            ]
        );
        assert_eq!(items[0].at, START + DAY);
    }

    #[test]
    fn days_are_the_learners_own() {
        // 03:00 and 05:00 UTC are two days for a learner whose day starts at 4.
        let night = START - 7 * 3600;
        let card = vec![(night, rating(3)), (night + 2 * 3600, rating(3))];
        assert_eq!(items(std::slice::from_ref(&card), DayClock::UTC).len(), 1);
        let midnight_learner = DayClock {
            utc_offset_seconds: 0,
            rollover_hour: 0,
        };
        assert!(items(&[card], midnight_learner).is_empty());
    }

    #[test]
    fn the_most_recent_fifth_is_held_out() {
        let item = |at| TimedItem {
            at,
            card: 0,
            item: FSRSItem::default(),
        };
        let split = split((0..11).map(item).collect());
        assert_eq!(split.train.len(), 8);
        assert_eq!(
            split.held_out.iter().map(|item| item.at).collect::<Vec<_>>(),
            [8, 9, 10]
        );
        assert_eq!(super::split(vec![]), Split::default());
    }

    #[test]
    fn nothing_is_fitted_without_held_out_reviews() {
        let progress = CombinedProgressState::new_shared();
        assert_eq!(
            fit_and_compare(Split::default(), &[], 1, progress),
            Err(TrainError::NotEnoughData)
        );
    }
}
