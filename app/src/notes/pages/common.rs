use crate::notes::unsaved::{self, UnsavedNote};
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, params::ParamsMap};

/// The note a plain form post failed to save, when the address says one is
/// waiting (see `notes::unsaved`); `form` names the form asking.
pub(crate) fn unsaved_note_for(
    form: impl Fn(&ParamsMap) -> Option<String> + Send + Sync + 'static,
) -> Resource<Option<UnsavedNote>> {
    let query = use_query_map();
    Resource::new(
        move || {
            let query = query.read();
            query.get(unsaved::WAITING_PARAMETER).and_then(|_| form(&query))
        },
        |form| async move {
            match form {
                Some(form) => unsaved::take_unsaved_note(form).await.ok().flatten(),
                None => None,
            }
        },
    )
}
