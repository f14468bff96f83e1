//! Study server functions.

use leptos::{prelude::*, server_fn::codec::Json};

use super::{CardStateAfter, ReviewInput};
use crate::error::AppError;

/// Records a batch of reviews (and undos, and cards held by hand) made on a
/// device, each stored once
/// however often it is sent, and answers the authoritative state of every
/// card in the batch. Order does not matter: a card's state is always the
/// replay of its whole log in time order.
///
/// `made_by` is the learner whose device kept the reviews. A browser always
/// names them: reviews kept while one account was signed in are refused
/// when another's session sends them (a tab left open across a change of
/// account, or the service worker sending after one), and wait for their
/// own learner instead.
#[server(endpoint = "study/reviews", input = Json)]
pub async fn submit_reviews(
    made_by: Option<uuid::Uuid>,
    reviews: Vec<ReviewInput>,
) -> Result<Vec<CardStateAfter>, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    made_by_the_signed_in(made_by, learner.id)?;
    let count = reviews.len();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let recorded = match super::parse_batch(&reviews) {
        Ok(batch) => {
            state
                .reviews
                .record_batch(&state.pool, learner.id, batch, now)
                .await
        }
        Err(error) => Err(error),
    };
    // A refused batch is a learner's reviews not stored yet, which the
    // browser keeps and may in the end let go: worth an operator's eye, where
    // other refused requests are logged as routine (a failure of the
    // server's own is logged where it happens).
    if let Err(error) = &recorded {
        if *error != AppError::Internal {
            tracing::warn!(learner = %learner.id, reviews = count, ?error, "a batch of reviews was refused");
        }
    }
    recorded
}

/// Whether the learner a browser named (`made_by`) is the one signed in: a
/// page, and what it kept, belong to the account it was opened for.
#[cfg(feature = "ssr")]
fn made_by_the_signed_in(made_by: Option<uuid::Uuid>, learner_id: uuid::Uuid) -> Result<(), AppError> {
    match made_by {
        Some(made_by) if made_by != learner_id => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// Rates a card from the study page without JavaScript: the review is
/// dated by the server's clock, and the browser goes back to the study page,
/// which offers to undo it. `review_id` was written into the page, so a form
/// sent twice records one review; `made_by` names the learner it was
/// written for, so that one sent after another account signed in on the
/// browser is refused rather than recorded as theirs.
#[server(endpoint = "study/answer")]
pub async fn answer_card(
    deck_id: uuid::Uuid,
    card_id: uuid::Uuid,
    review_id: uuid::Uuid,
    rating: i64,
    shown_at_ms: i64,
    made_by: Option<uuid::Uuid>,
) -> Result<(), AppError> {
    use crate::{auth::session, routes, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    made_by_the_signed_in(made_by, learner.id)?;
    let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let review = ReviewInput {
        id: review_id,
        card_id,
        rating: Some(rating),
        cancels: None,
        hold: None,
        reviewed_at_ms: now_ms,
        // The page wrote `shown_at_ms`, but a post can carry any number.
        duration_ms: now_ms
            .saturating_sub(shown_at_ms)
            .clamp(0, i64::from(super::MAX_COUNTED_ANSWER_MS)),
    }
    .parse()?;
    state
        .reviews
        .record(learner.id, vec![review], now_ms.div_euclid(1000))
        .await?;
    if crate::plain_post::posted_without_javascript() {
        leptos_axum::redirect(&routes::study_after_rating(deck_id, review_id));
    }
    Ok(())
}

/// Takes back one of the learner's ratings from the study page without
/// JavaScript (the hydrated page undoes locally and sends the same record
/// through [`submit_reviews`]). `made_by` as for [`answer_card`].
#[server(endpoint = "study/undo")]
pub async fn undo_rating(
    deck_id: uuid::Uuid,
    review_id: uuid::Uuid,
    made_by: Option<uuid::Uuid>,
) -> Result<(), AppError> {
    use crate::{auth::session, routes, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    made_by_the_signed_in(made_by, learner.id)?;
    let card_id = super::db::rated_card(&state.pool, learner.id, review_id).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let undo = super::ValidReview {
        id: uuid::Uuid::new_v4(),
        card_id,
        kind: super::ReviewKind::Undo { cancels: review_id },
        reviewed_at: now,
        duration_ms: 0,
    };
    state.reviews.record(learner.id, vec![undo], now).await?;
    if crate::plain_post::posted_without_javascript() {
        leptos_axum::redirect(&routes::study(deck_id));
    }
    Ok(())
}

/// Sets how a top-level deck (and its subdecks) is studied, for everyone who
/// studies it. Only its author (or an admin) may.
#[server(endpoint = "study/preset")]
pub async fn save_deck_preset(
    deck_id: uuid::Uuid,
    input: super::preset::PresetInput,
) -> Result<(), AppError> {
    use crate::{auth::session, decks::access, state::app_state, unsaved};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let deck = access::editable_deck(&state, &user, deck_id).await?;
    if deck.parent_id.is_some() {
        return Err(AppError::Conflict(
            "A subdeck is studied with its top-level deck's options; change them there.".into(),
        ));
    }
    let deck_page = crate::routes::deck(deck_id);
    let preset = match input.parse() {
        Ok(preset) => preset,
        Err(error) => {
            // Without JavaScript the form comes back as typed, with the
            // messages themselves (ours, kept in the session: from the
            // address they could only be generic).
            let form = unsaved::deck_study_options(deck_id);
            unsaved::keep_for_the_form::<SaveDeckPreset>(
                form,
                &deck_page,
                input.typed_fields(),
                String::new(),
                &error,
            )
            .await;
            return Err(error);
        }
    };
    super::db::save_deck_preset(&state.pool, deck_id, &preset).await?;
    crate::plain_post::back_saying_saved(super::STUDY_OPTIONS_SAVED, &deck_page);
    Ok(())
}

/// Starts studying a public or unlisted deck (and its subdecks), and opens
/// its first session; answers the deck, whose study page the hydrated deck
/// page then opens (another deck's page may be showing by the time the
/// answer comes). One's own decks and one's courses' decks are studied
/// without this.
#[server(endpoint = "study/start")]
pub async fn start_studying(deck_id: uuid::Uuid) -> Result<uuid::Uuid, AppError> {
    use crate::{auth::session, decks::access, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    access::visible_deck(&state, Some(&learner), deck_id).await?;
    super::db::start_studying(&state.pool, learner.id, deck_id).await?;
    // The hydrated deck page goes there itself.
    if crate::plain_post::posted_without_javascript() {
        leptos_axum::redirect(&crate::routes::study(deck_id));
    }
    Ok(deck_id)
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
        // A deck one may see but does not study yet (a study link someone
        // shared) opens on its page, which offers "Study this deck"; any
        // other is not found.
        crate::decks::access::visible_deck(&state, Some(&learner), deck_id).await?;
        leptos_axum::redirect(&crate::routes::deck(deck_id));
        return Err(AppError::NotFound);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let clock = super::db::learner_clock(&state.pool, learner.id, now).await?;
    super::db::todays_queue(&state.pool, learner.id, deck_id, now, clock).await
}

/// Suspends, unsuspends, buries or unburies one of the learner's cards.
/// `made_by` as for [`answer_card`]. Posted without JavaScript from the
/// study page of `deck_id`, a card set aside goes back to that page, which
/// offers to take the hold back, and one brought back to the plain page.
#[server(endpoint = "study/hold")]
pub async fn hold_card(
    card_id: uuid::Uuid,
    hold: super::CardHold,
    made_by: Option<uuid::Uuid>,
    deck_id: Option<uuid::Uuid>,
) -> Result<(), AppError> {
    use crate::{auth::session, routes, state::app_state};

    let state = app_state()?;
    let learner = session::require_user(&state).await?;
    made_by_the_signed_in(made_by, learner.id)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let clock = super::db::learner_clock(&state.pool, learner.id, now).await?;
    let valid_hold = super::ValidHold {
        card_id,
        hold,
        made_at: now,
    };
    super::db::hold_cards(&state.pool, learner.id, &[valid_hold], now, clock).await?;
    if let Some(deck_id) = deck_id.filter(|_| crate::plain_post::posted_without_javascript()) {
        let back = match hold.undone() {
            Some(_) => routes::study_after_hold(deck_id, card_id, hold),
            None => routes::study(deck_id),
        };
        leptos_axum::redirect(&back);
    }
    Ok(())
}
