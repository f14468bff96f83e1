use super::deck_view::DeckView;
use crate::decks::api::{load_deck_page, DeckPageData, UpdateDeck};
use crate::routes;
use crate::study::api::{StartStudying, StopStudying};
use crate::ui::FormAction;
use crate::ui::{saves, Loaded};
use crate::unsaved::{self, take_waiting, waiting_form, UnsavedForm};
use crate::{error::AppError, notes::api::DeleteNote};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

/// The deck's page, and what a refused save of its study options kept for
/// the form (without JavaScript).
async fn load_page(
    deck_id: Option<Uuid>,
    after: Option<String>,
    waiting: Option<String>,
) -> Result<(DeckPageData, Option<UnsavedForm>), AppError> {
    let unsaved = take_waiting(waiting).await;
    match deck_id {
        Some(deck_id) => Ok((load_deck_page(deck_id, after).await?, unsaved)),
        None => Err(AppError::NotFound),
    }
}

#[component]
pub fn DeckPage() -> impl IntoView {
    let deck_id = routes::id_param();
    let delete_note = FormAction::<DeleteNote>::new();
    let update_deck = FormAction::<UpdateDeck>::new();
    let start_studying = FormAction::<StartStudying>::new();
    let stop_studying = FormAction::<StopStudying>::new();
    let query = use_query_map();
    // Reloaded after a save, not after a refusal (`ui::saves`).
    let delete_note_saves = saves(delete_note);
    let update_deck_saves = saves(update_deck);
    let start_studying_saves = saves(start_studying);
    let stop_studying_saves = saves(stop_studying);
    // "Study this deck" opens the deck's first session once the learner
    // studies it (without JavaScript, the server's answer goes there).
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move || {
        if let Some(Ok(started)) = start_studying.value().get() {
            // Only from the deck's own page: the learner may have gone on
            // to another deck while the request was out.
            if deck_id.get_untracked() == Some(started) {
                navigate(&routes::study(started), Default::default());
            }
        }
    });
    let page = crate::ui::page_data(
        move || {
            (
                deck_id.get(),
                query.read().get("after"),
                delete_note_saves.get(),
                update_deck_saves.get(),
                start_studying_saves.get() + stop_studying_saves.get(),
                waiting_form(&query.read(), |_| deck_id.get().map(unsaved::deck_study_options)),
            )
        },
        |(id, after, _, _, _, waiting)| load_page(id, after, waiting),
    );
    view! {
        <Loaded data=page loading="Loading the deck…" let:loaded>
            <DeckView page=loaded.0 unsaved=loaded.1 delete_note update_deck start_studying stop_studying />
        </Loaded>
    }
}
