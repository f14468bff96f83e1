use super::common::unsaved_note_for;
use super::note_editor::NoteEditor;
use crate::decks::api::{load_note_editor, NoteEditorData};
use crate::decks::pages::deck_id_from_route;
use crate::routes;
use crate::{
    error::AppError,
    notes::unsaved::{self},
    ui::ErrorNotice,
};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use uuid::Uuid;

async fn load_editor(deck_id: Option<Uuid>) -> Result<NoteEditorData, AppError> {
    match deck_id {
        Some(deck_id) => load_note_editor(deck_id).await,
        None => Err(AppError::NotFound),
    }
}

/// Adds notes to a deck, with a live preview of the cards they make.
/// Ctrl+Enter (⌘+Enter) saves and starts the next note.
#[component]
pub fn NoteEditorPage() -> impl IntoView {
    let deck_id = deck_id_from_route();
    let page = Resource::new(move || deck_id.get(), load_editor);
    let unsaved = unsaved_note_for(move |query| {
        Some(unsaved::adding_form(
            deck_id.get()?,
            &query.get("type").unwrap_or_default(),
        ))
    });
    view! {
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the editor…"</p> }
        }>
            {move || Suspend::new(async move {
                let unsaved = unsaved.await;
                match page.await {
                    Ok(page) => view! { <NoteEditor page unsaved /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path=routes::LOGIN /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
