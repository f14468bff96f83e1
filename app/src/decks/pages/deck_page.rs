use super::deck_view::DeckView;
use crate::decks::api::{load_deck_page, DeckPageData, UpdateDeck};
use crate::routes;
use crate::study::api::{StartStudying, StopStudying};
use crate::ui::Loaded;
use crate::{error::AppError, notes::api::DeleteNote};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

async fn load_page(deck_id: Option<Uuid>, after: Option<String>) -> Result<DeckPageData, AppError> {
    match deck_id {
        Some(deck_id) => load_deck_page(deck_id, after).await,
        None => Err(AppError::NotFound),
    }
}

#[component]
pub fn DeckPage() -> impl IntoView {
    let deck_id = routes::id_param();
    let delete_note = ServerAction::<DeleteNote>::new();
    let update_deck = ServerAction::<UpdateDeck>::new();
    let start_studying = ServerAction::<StartStudying>::new();
    let stop_studying = ServerAction::<StopStudying>::new();
    let query = use_query_map();
    let page = crate::ui::page_data(
        move || {
            (
                deck_id.get(),
                query.read().get("after"),
                delete_note.version().get(),
                update_deck.version().get(),
                start_studying.version().get() + stop_studying.version().get(),
            )
        },
        |(id, after, _, _, _)| load_page(id, after),
    );
    view! {
        <Loaded data=page loading="Loading the deck…" let:page>
            <DeckView page delete_note update_deck start_studying stop_studying />
        </Loaded>
    }
}
