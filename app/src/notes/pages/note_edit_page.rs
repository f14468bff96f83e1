use super::common::unsaved_note_for;
use super::note_edit_form::NoteEditForm;
use crate::routes;
use crate::{
    error::AppError,
    notes::{
        api::load_note,
        unsaved::{self},
    },
    ui::ErrorNotice,
};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_params_map};
use uuid::Uuid;

/// Edits one note; saving regenerates its cards and returns to the deck.
#[component]
pub fn NoteEditPage() -> impl IntoView {
    let params = use_params_map();
    let note_id = Memo::new(move |_| params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let note = Resource::new(
        move || note_id.get(),
        |note_id| async move {
            match note_id {
                Some(note_id) => load_note(note_id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let unsaved = unsaved_note_for(move |_| Some(unsaved::editing_form(note_id.get()?)));
    view! {
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the note…"</p> }
        }>
            {move || Suspend::new(async move {
                let unsaved = unsaved.await;
                match note.await {
                    Ok(note) => view! { <NoteEditForm note unsaved /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path=routes::LOGIN /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
