//! The statistics server function.

use leptos::prelude::*;
use uuid::Uuid;

use super::Statistics;
use crate::error::AppError;

/// The signed-in learner's statistics: for all their reviews, or for one
/// deck they study (with its subdecks); any other deck is `NotFound`, so
/// the page reveals nothing of decks they cannot see.
#[server(endpoint = "stats", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_statistics(deck_id: Option<Uuid>) -> Result<Statistics, AppError> {
    use crate::{auth::session, state::app_state, study};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    if let Some(deck_id) = deck_id {
        if !study::access::studies_deck(&state.pool, learner.id, deck_id).await? {
            return Err(AppError::NotFound);
        }
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let clock = study::db::learner_clock(&state.pool, learner.id, now).await?;
    super::db::statistics(&state.pool, learner.id, deck_id, now, clock).await
}
