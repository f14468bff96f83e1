use super::note_edit_form::NoteEditForm;
use crate::routes;
use crate::ui::Loaded;
use crate::unsaved::{take_waiting, waiting_form};
use crate::{error::AppError, notes::api::load_note, unsaved};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Edits one note; saving regenerates its cards and returns to the deck.
#[component]
pub fn NoteEditPage() -> impl IntoView {
    let note_id = routes::id_param();
    let query = use_query_map();
    let page = crate::ui::page_data(
        move || {
            let note_id = note_id.get();
            let form = waiting_form(&query.read(), |_| Some(unsaved::editing_note(note_id?)));
            (note_id, form)
        },
        |(note_id, form)| async move {
            let unsaved = take_waiting(form).await;
            let note = load_note(note_id.ok_or(AppError::NotFound)?).await?;
            Ok((note, unsaved))
        },
    );
    view! {
        <Loaded data=page loading="Loading the note…" let:loaded>
            <NoteEditForm note=loaded.0 unsaved=loaded.1 />
        </Loaded>
    }
}
