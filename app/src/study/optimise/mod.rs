//! Fitting FSRS to one learner's own reviews: a background job (on the job
//! queue, `crate::jobs`) reads their standing reviews, fits new parameters
//! with the `fsrs` crate's optimiser on most of them, and measures the
//! current and the new parameters on the most recent reviews it held out.
//! The new ones are adopted only if they predict those better; every queue
//! and replay of the learner then uses them.
//!
//! The feature's shape: this file holds what both targets share (what the
//! settings page shows, the thresholds, the adoption rule); `train` (pure,
//! the optimiser itself), `db` and `run` (the job) are server-only; `api`
//! holds the server functions.

pub mod api;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod train;

use serde::{Deserialize, Serialize};

/// Standing reviews a learner needs before their parameters are fitted.
/// Anki asks for 400 too: with fewer, a fit follows the noise, and the
/// held-out fifth (at most 80 reviews) is too small to tell two fits apart.
pub const MIN_REVIEWS: i64 = 400;

/// An automatic optimisation runs at most this often per learner (Anki
/// suggests re-optimising about once a month), and only once they have
/// reviewed more since the last one.
pub const AUTOMATIC_EVERY_DAYS: i32 = 30;

/// "Optimise now" may be pressed again this long after the latest
/// optimisation (the learner's or the hourly round's) finished. A fit keeps
/// a job worker busy for seconds to a minute, and on the same reviews it
/// gives the same parameters again; ten minutes is enough to study a little
/// more, or to retry after a failure, without one learner pressing
/// repeatedly queueing fits back to back.
pub const MANUAL_COOLDOWN_MINUTES: i64 = 10;

/// Seconds until "Optimise now" may be pressed again, given when the latest
/// optimisation finished (Unix seconds; `None` while one is queued or
/// running, or before the first) and the time now; `None` when it may be
/// pressed now.
pub fn manual_wait_secs(finished_at: Option<i64>, now: i64) -> Option<u64> {
    let cooldown_secs = MANUAL_COOLDOWN_MINUTES * 60;
    // Clamped: a finish stamped ahead of this clock never makes the wait
    // longer than the cooldown.
    let wait = (finished_at? + cooldown_secs - now).min(cooldown_secs);
    u64::try_from(wait).ok().filter(|&wait| wait > 0)
}

/// The share of a learner's reviews, the most recent ones, kept out of the
/// fit to compare the current and the new parameters on.
pub const HELD_OUT_SHARE: f64 = 0.2;

/// Where the latest optimisation is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum OptimisationStatus {
    Queued,
    Running,
    Done,
    Failed,
}

/// Who asked for an optimisation.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum RequestedBy {
    /// The learner, with "Optimise now".
    Manual,
    /// The hourly round, once they had enough new reviews.
    Automatic,
}

/// How well a set of parameters predicts the held-out reviews: FSRS's log
/// loss (lower is better) and its binned RMSE of recall probability.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    pub log_loss: f32,
    pub rmse: f32,
}

/// Whether new parameters replace the current ones: only when they predict
/// the held-out reviews strictly better (a lower log loss, the measure the
/// optimiser minimises). A tie keeps what the learner has.
pub fn adopts(before: Fit, after: Fit) -> bool {
    after.log_loss.is_finite() && after.rmse.is_finite() && after.log_loss < before.log_loss
}

/// The learner's latest optimisation, as the settings page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Optimisation {
    pub status: OptimisationStatus,
    pub requested_by: RequestedBy,
    /// 0 to 1.
    pub progress: f32,
    pub review_count: Option<i64>,
    pub held_out_count: Option<i64>,
    /// The current parameters on the held-out reviews.
    pub before: Option<Fit>,
    /// The new parameters on the held-out reviews.
    pub after: Option<Fit>,
    pub adopted: Option<bool>,
    /// Our own sentence, for a learner to read.
    pub error: Option<String>,
    /// Unix seconds.
    pub finished_at: Option<i64>,
}

impl Optimisation {
    /// Queued or running: the page looks again until it ends.
    pub fn in_progress(&self) -> bool {
        matches!(
            self.status,
            OptimisationStatus::Queued | OptimisationStatus::Running
        )
    }

    /// The progress as a whole percentage.
    pub fn percent(&self) -> u32 {
        (self.progress.clamp(0.0, 1.0) * 100.0).round() as u32
    }
}

/// The "Optimise my scheduling" section of the settings page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimisationPage {
    /// The learner's standing reviews (undone ones do not count).
    pub reviews: i64,
    /// Whether the learner's scheduling uses parameters fitted to them.
    pub personal_parameters: bool,
    pub latest: Option<Optimisation>,
    /// Seconds until "Optimise now" may be pressed again
    /// ([`MANUAL_COOLDOWN_MINUTES`] after the latest one finished); `None`
    /// when it may be pressed now.
    pub manual_wait_secs: Option<u64>,
}

impl OptimisationPage {
    pub fn enough_reviews(&self) -> bool {
        self.reviews >= MIN_REVIEWS
    }

    pub fn in_progress(&self) -> bool {
        self.latest.as_ref().is_some_and(Optimisation::in_progress)
    }
}

/// Why "Optimise now" was refused for too few reviews.
pub fn too_few_reviews(reviews: i64) -> String {
    format!(
        "Optimising needs at least {MIN_REVIEWS} reviews and you have {reviews}. Keep studying: it runs by itself once you have enough."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(log_loss: f32, rmse: f32) -> Fit {
        Fit { log_loss, rmse }
    }

    #[test]
    fn new_parameters_are_adopted_only_when_they_predict_held_out_reviews_better() {
        assert!(adopts(fit(0.40, 0.05), fit(0.35, 0.06)));
        // A tie or a worse log loss keeps the current parameters, whatever
        // the RMSE says.
        assert!(!adopts(fit(0.40, 0.05), fit(0.40, 0.01)));
        assert!(!adopts(fit(0.40, 0.05), fit(0.41, 0.01)));
        // A broken measurement never wins.
        assert!(!adopts(fit(0.40, 0.05), fit(f32::NAN, 0.01)));
        assert!(!adopts(fit(0.40, 0.05), fit(0.30, f32::INFINITY)));
    }

    #[test]
    fn optimise_now_waits_ten_minutes_after_the_latest_optimisation_finished() {
        let finished = 1_000_000;
        assert_eq!(manual_wait_secs(None, finished), None, "never, or still running");
        assert_eq!(manual_wait_secs(Some(finished), finished), Some(600));
        assert_eq!(manual_wait_secs(Some(finished), finished + 180), Some(420));
        assert_eq!(manual_wait_secs(Some(finished), finished + 599), Some(1));
        assert_eq!(manual_wait_secs(Some(finished), finished + 600), None);
        assert_eq!(manual_wait_secs(Some(finished), finished + 86_400), None);
        // A finish stamped ahead of this server's clock waits no longer than
        // the cooldown from now.
        assert_eq!(manual_wait_secs(Some(finished + 30), finished), Some(600));
    }

    #[test]
    fn statuses_are_stored_by_their_lowercase_names() {
        for status in [
            OptimisationStatus::Queued,
            OptimisationStatus::Running,
            OptimisationStatus::Done,
            OptimisationStatus::Failed,
        ] {
            let name: &'static str = status.into();
            assert_eq!(name.parse::<OptimisationStatus>(), Ok(status));
        }
        assert_eq!("automatic".parse::<RequestedBy>(), Ok(RequestedBy::Automatic));
    }
}
