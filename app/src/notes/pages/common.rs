use crate::notes::unsaved::{self, UnsavedNote};
use leptos_router::params::ParamsMap;

/// The form whose unsaved note the address says is waiting (see
/// `notes::unsaved`); `form` names the form asking.
pub(crate) fn waiting_form(
    query: &ParamsMap,
    form: impl FnOnce(&ParamsMap) -> Option<String>,
) -> Option<String> {
    query.get(unsaved::WAITING_PARAMETER).and_then(|_| form(query))
}

/// The note a plain form post failed to save, if `form` has one waiting. It
/// is read with the page's own data, so the page waits on one load.
pub(crate) async fn take_unsaved_note(form: Option<String>) -> Option<UnsavedNote> {
    match form {
        Some(form) => unsaved::take_unsaved_note(form).await.ok().flatten(),
        None => None,
    }
}
