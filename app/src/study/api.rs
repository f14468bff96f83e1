//! Study server functions.

use leptos::{prelude::*, server_fn::codec::Json};

use super::{CardStateAfter, ReviewInput};
use crate::error::AppError;

/// Records a batch of reviews (and undos) made on a device, each stored once
/// however often it is sent, and answers the authoritative state of every
/// card in the batch. Order does not matter: a card's state is always the
/// replay of its whole log in time order.
#[server(endpoint = "study/reviews", input = Json)]
pub async fn submit_reviews(reviews: Vec<ReviewInput>) -> Result<Vec<CardStateAfter>, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    let reviews = super::parse_batch(&reviews)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    super::db::record_reviews(&state.pool, learner.id, &reviews, now).await
}

/// Starts studying a public or unlisted deck (and its subdecks). One's own
/// decks and one's courses' decks are studied without this.
#[server(endpoint = "study/start")]
pub async fn start_studying(deck_id: uuid::Uuid) -> Result<(), AppError> {
    use crate::{auth::session, decks::access, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    access::visible_deck(&state, Some(&learner), deck_id).await?;
    super::db::start_studying(&state.pool, learner.id, deck_id).await
}

/// Stops studying a deck chosen with [`start_studying`]. The learner's
/// reviews stay, and come back into use if they start again.
#[server(endpoint = "study/stop")]
pub async fn stop_studying(deck_id: uuid::Uuid) -> Result<(), AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    super::db::stop_studying(&state.pool, learner.id, deck_id).await
}

/// Today's cards of a deck the learner studies, with what the browser needs
/// to schedule them without asking the server again.
#[server(endpoint = "study/queue", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_study_queue(deck_id: uuid::Uuid) -> Result<super::StudyQueue, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    if !super::access::studies_deck(&state.pool, learner.id, deck_id).await? {
        return Err(AppError::NotFound);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    super::db::todays_queue(
        &state.pool,
        learner.id,
        deck_id,
        now,
        super::scheduler::DayClock::UTC,
    )
    .await
}

/// Suspends, unsuspends or buries one of the learner's cards.
#[server(endpoint = "study/hold")]
pub async fn hold_card(card_id: uuid::Uuid, hold: super::CardHold) -> Result<(), AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    super::db::hold_card(
        &state.pool,
        learner.id,
        card_id,
        hold,
        now,
        super::scheduler::DayClock::UTC,
    )
    .await
}
