use super::note_editor::NoteEditor;
use crate::decks::api::load_note_editor;
use crate::error::AppError;
use crate::routes;
use crate::ui::Loaded;
use crate::unsaved::{self, take_waiting, waiting_form};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Adds notes to a deck, with a live preview of the cards they make.
/// Ctrl+Enter (⌘+Enter) saves and starts the next note.
#[component]
pub fn NoteEditorPage() -> impl IntoView {
    let deck_id = routes::id_param();
    let query = use_query_map();
    let page = crate::ui::page_data(
        move || {
            let deck_id = deck_id.get();
            let form = waiting_form(&query.read(), |query| {
                Some(unsaved::adding_note(
                    deck_id?,
                    &query.get("type").unwrap_or_default(),
                ))
            });
            (deck_id, form)
        },
        |(deck_id, form)| async move {
            let unsaved = take_waiting(form).await;
            let page = load_note_editor(deck_id.ok_or(AppError::NotFound)?).await?;
            Ok((page, unsaved))
        },
    );
    view! {
        <Loaded data=page loading="Loading the editor…" let:loaded>
            <NoteEditor page=loaded.0 unsaved=loaded.1 />
        </Loaded>
    }
}
