//! A note that failed to save from a form posted without JavaScript.
//!
//! The hydrated editor keeps what the author typed when a save fails, since
//! the page stays as it is. A plain form post is answered with a redirect, so
//! the note and its error are kept in the session for the one page view that
//! follows, and the editor starts from them. The error is kept with the note
//! because it is our own text: the copy in the address can be forged, so it
//! may only show generic text (see `ui::form::as_read_from_url`).

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the author had typed, and why it was not saved: an error, or a
/// notice (a file uploaded without JavaScript was added to a field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsavedNote {
    pub fields: Vec<String>,
    pub tags: String,
    pub error: Option<AppError>,
    pub notice: Option<String>,
}

/// Which form a kept note belongs to: adding a note of one type to a deck,
/// or editing one note. A note is given back only to the form it came from.
pub fn adding_form(deck_id: uuid::Uuid, note_type_key: &str) -> String {
    format!("add:{deck_id}:{note_type_key}")
}

pub fn editing_form(note_id: uuid::Uuid) -> String {
    format!("edit:{note_id}")
}

/// The query parameter that tells the editor a note is waiting for it.
pub const WAITING_PARAMETER: &str = "unsaved";

/// Hands the note kept for `form` to its editor, once, and forgets it.
#[leptos::server(endpoint = "notes/unsaved", input = leptos::server_fn::codec::GetUrl)]
pub async fn take_unsaved_note(form: String) -> Result<Option<UnsavedNote>, AppError> {
    let session = crate::auth::session::current().await?;
    let kept: Option<Kept> = session.remove(SESSION_KEY).await?;
    Ok(kept.filter(|kept| kept.form == form).map(|kept| kept.note))
}

#[cfg(feature = "ssr")]
const SESSION_KEY: &str = "unsaved_note";

/// The most a kept note may add to the session record, which is read on
/// every request. A field may hold 64 KiB (`MAX_FIELD_BYTES`); a note larger
/// than this still gets its error shown, only not its text back.
#[cfg(feature = "ssr")]
const MAX_KEPT_BYTES: usize = 256 * 1024;

#[cfg(feature = "ssr")]
#[derive(Serialize, Deserialize)]
struct Kept {
    form: String,
    note: UnsavedNote,
}

/// Keeps a note that failed to save from a plain form post, and sends the
/// browser back to `form_address` to find it there with its error.
#[cfg(feature = "ssr")]
pub async fn keep_for_the_form<F: leptos::server_fn::ServerFn>(
    form: String,
    form_address: &str,
    fields: Vec<String>,
    tags: String,
    error: &AppError,
) {
    if !crate::plain_post::posted_without_javascript() {
        return;
    }
    // Only a note its author can fix and send again is worth keeping.
    let worth_keeping = !matches!(
        error,
        AppError::Unauthenticated | AppError::Forbidden | AppError::NotFound
    );
    let note = UnsavedNote {
        fields,
        tags,
        error: Some(error.clone()),
        notice: None,
    };
    let kept = worth_keeping
        && match crate::auth::session::current().await {
            Ok(session) => keep(&session, form, note).await,
            Err(_) => false,
        };
    if kept {
        // The error travels with the note, not in the address.
        leptos_axum::redirect(&waiting_at(form_address));
    } else {
        crate::plain_post::back_to_the_form::<F>(form_address, error);
    }
}

/// The editor's address, saying that a note is waiting for it.
pub fn waiting_at(form_address: &str) -> String {
    let separator = if form_address.contains('?') { '&' } else { '?' };
    format!("{form_address}{separator}{WAITING_PARAMETER}=1")
}

/// Keeps `note` for `form`'s next page view. Only one note is kept per
/// session: the latest replaces any earlier one. Answers whether it was kept
/// (a note too large for the session is not).
#[cfg(feature = "ssr")]
pub async fn keep(session: &tower_sessions::Session, form: String, note: UnsavedNote) -> bool {
    let kept = Kept { form, note };
    if !serde_json::to_vec(&kept).is_ok_and(|encoded| encoded.len() <= MAX_KEPT_BYTES) {
        return false;
    }
    match session.insert(SESSION_KEY, kept).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "could not keep an unsaved note in the session");
            false
        }
    }
}
