//! Optimisation server functions, for the settings page.

use leptos::{prelude::*, server_fn::codec::GetUrl};

use super::OptimisationPage;
use crate::error::AppError;

/// The learner's reviews, their parameters and their latest optimisation.
/// The settings page asks again every second or two while one runs.
#[server(endpoint = "study/optimisation", input = GetUrl)]
pub async fn load_optimisation() -> Result<OptimisationPage, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    super::db::page(&state.pool, learner.id).await
}

/// "Optimise now": queues an optimisation of the learner's parameters.
/// Answers whether this request queued it (`false`: one was queued or
/// running already, and that one goes on). Refused with a sentence saying
/// why while the learner has too few reviews, and with `TooManyRequests`
/// (saying how long to wait) within `MANUAL_COOLDOWN_MINUTES` of the latest
/// optimisation finishing.
#[server(endpoint = "study/optimise")]
pub async fn optimise_now() -> Result<bool, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    let reviews = super::db::standing_review_count(&state.pool, learner.id).await?;
    if reviews < super::MIN_REVIEWS {
        return Err(AppError::Conflict(super::too_few_reviews(reviews)));
    }
    let queued = super::run::request(&state.pool, learner.id, super::RequestedBy::Manual).await?;
    if crate::plain_post::posted_without_javascript() {
        // Back to the settings page, which shows the progress.
        leptos_axum::redirect(crate::routes::SETTINGS);
    }
    Ok(queued)
}
