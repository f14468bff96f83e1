//! A form that failed to save from a post without JavaScript: a note, a
//! lesson, or a deck's study options; and any other form whose address,
//! filled in with what was typed, would be too long to travel.
//!
//! The hydrated page keeps what the author typed when a save fails, since
//! the page stays as it is. A plain form post is answered with a redirect,
//! and these forms hold too much text to carry in the address (shorter forms
//! are, see `plain_post::back_to_the_filled_form`), so what was typed and
//! its error are kept in the session for the one page view that follows, and
//! the form starts from them. The error is kept with the text because it is
//! our own: the copy in the address can be forged, so it may only show
//! generic text (see `ui::form::as_read_from_url`).

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the author had typed (a note's fields and tags; a lesson's title
/// and text, as two fields; study options, one field each), and why it was
/// not saved: an error, or a notice
/// (a file uploaded without JavaScript was added to a field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsavedForm {
    pub fields: Vec<String>,
    pub tags: String,
    pub error: Option<AppError>,
    pub notice: Option<String>,
}

/// Which form kept text belongs to: adding a note of one type to a deck,
/// editing one note, editing one lesson, or a deck's study options. It is
/// given back only to the form it came from.
pub fn adding_note(deck_id: uuid::Uuid, note_type_key: &str) -> String {
    format!("add:{deck_id}:{note_type_key}")
}

pub fn editing_note(note_id: uuid::Uuid) -> String {
    format!("edit:{note_id}")
}

pub fn editing_lesson(lesson_id: uuid::Uuid) -> String {
    format!("lesson:{lesson_id}")
}

pub fn deck_study_options(deck_id: uuid::Uuid) -> String {
    format!("preset:{deck_id}")
}

/// The settings page's account form named `form` (`name` or `email`, never
/// a password), whose name the address carries in `ACCOUNT_FORM_PARAMETER`.
pub fn account_form(form: &str) -> String {
    format!("account:{form}")
}

/// The query parameter that names which of the settings page's account
/// forms has what was typed waiting for it.
pub const ACCOUNT_FORM_PARAMETER: &str = "form";

/// The query parameter that tells a form that what was typed is waiting for it.
pub const WAITING_PARAMETER: &str = "unsaved";

/// The form whose unsaved text the address says is waiting; `form` names the
/// form asking.
pub fn waiting_form(
    query: &leptos_router::params::ParamsMap,
    form: impl FnOnce(&leptos_router::params::ParamsMap) -> Option<String>,
) -> Option<String> {
    query.get(WAITING_PARAMETER).and_then(|_| form(query))
}

/// What a plain form post failed to save, if `form` has it waiting. It is
/// read with the page's own data, so the page waits on one load.
pub async fn take_waiting(form: Option<String>) -> Option<UnsavedForm> {
    match form {
        Some(form) => take_unsaved_form(form).await.ok().flatten(),
        None => None,
    }
}

/// Hands what was kept for `form` to it, once, and forgets it.
#[leptos::server(endpoint = "forms/unsaved", input = leptos::server_fn::codec::GetUrl)]
pub async fn take_unsaved_form(form: String) -> Result<Option<UnsavedForm>, AppError> {
    let session = crate::auth::session::current().await?;
    let kept: Option<Kept> = session.remove(SESSION_KEY).await?;
    Ok(kept.filter(|kept| kept.form == form).map(|kept| kept.typed))
}

#[cfg(feature = "ssr")]
const SESSION_KEY: &str = "unsaved_form";

/// The most kept text may add to the session record, which is read on every
/// request. A note's field may hold 64 KiB (`MAX_FIELD_BYTES`), and so may a
/// lesson; a form larger than this still gets its error shown, only not its
/// text back.
#[cfg(feature = "ssr")]
const MAX_KEPT_BYTES: usize = 256 * 1024;

#[cfg(feature = "ssr")]
#[derive(Serialize, Deserialize)]
struct Kept {
    form: String,
    typed: UnsavedForm,
}

/// Keeps what a plain form post failed to save, and sends the browser back
/// to `form_address` to find it there with its error.
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
    // Only what its author can fix and send again is worth keeping.
    let worth_keeping = !matches!(
        error,
        AppError::Unauthenticated | AppError::Forbidden | AppError::NotFound
    );
    let typed = UnsavedForm {
        fields,
        tags,
        error: Some(error.clone()),
        notice: None,
    };
    let kept = worth_keeping
        && match crate::auth::session::current().await {
            Ok(session) => keep(&session, form, typed).await,
            Err(_) => false,
        };
    if kept {
        // The error travels with the text, not in the address.
        leptos_axum::redirect(&waiting_at(form_address));
    } else {
        crate::plain_post::back_to_the_form::<F>(form_address, error);
    }
}

/// Where the session keeps a refused form's address that was too long to
/// send the browser to (`plain_post::back_to_the_filled_form`).
#[cfg(feature = "ssr")]
const ADDRESS_KEY: &str = "unsaved_address";

/// Keeps `address` (a path, and a query holding what was typed into a form
/// and its error) for the next view of its page, in place of any kept
/// before. Answers whether it was kept: an address too large for the
/// session is not, nor one longer than a request's address may be (64 KB,
/// `http::Uri`), which the page could not be rendered at.
#[cfg(feature = "ssr")]
pub async fn keep_the_filled_in_address(address: String) -> bool {
    if address.len() > MAX_KEPT_BYTES || address.parse::<http::Uri>().is_err() {
        return false;
    }
    let Ok(session) = crate::auth::session::current().await else {
        return false;
    };
    match session.insert(ADDRESS_KEY, address).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "could not keep a refused form's address in the session");
            false
        }
    }
}

/// A layer for the pages: a page asked for with [`WAITING_PARAMETER`], whose
/// refused form's address the session kept, is rendered as if asked for at
/// that address, so the form comes back filled in as it was sent, beside its
/// error, exactly as from a short address. The kept address is used once.
///
/// Only a browser without JavaScript is sent here (a hydrated form keeps its
/// page as it was), and it renders what the server sends as it is.
#[cfg(feature = "ssr")]
pub async fn refill_a_refused_form(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let asks_for_a_kept_form = request.method() == http::Method::GET
        && request.uri().query().is_some_and(|query| {
            form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == WAITING_PARAMETER)
        });
    let session = asks_for_a_kept_form
        .then(|| request.extensions().get::<tower_sessions::Session>().cloned())
        .flatten();
    if let Some(session) = session {
        let kept = session.get::<String>(ADDRESS_KEY).await.ok().flatten();
        let for_this_page = kept
            .and_then(|address| address.parse::<http::Uri>().ok())
            .filter(|address| address.path() == request.uri().path());
        if let Some(address) = for_this_page {
            if let Err(error) = session.remove::<String>(ADDRESS_KEY).await {
                tracing::warn!(%error, "could not forget a refused form's address");
            }
            *request.uri_mut() = address;
        }
    }
    next.run(request).await
}

/// The form's address, saying that what was typed is waiting for it.
pub fn waiting_at(form_address: &str) -> String {
    let separator = if form_address.contains('?') { '&' } else { '?' };
    format!("{form_address}{separator}{WAITING_PARAMETER}=1")
}

/// Keeps `typed` for `form`'s next page view. Only one form is kept per
/// session: the latest replaces any earlier one. Answers whether it was kept
/// (text too large for the session is not).
#[cfg(feature = "ssr")]
pub async fn keep(session: &tower_sessions::Session, form: String, typed: UnsavedForm) -> bool {
    let kept = Kept { form, typed };
    if !serde_json::to_vec(&kept).is_ok_and(|encoded| encoded.len() <= MAX_KEPT_BYTES) {
        return false;
    }
    match session.insert(SESSION_KEY, kept).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "could not keep an unsaved form in the session");
            false
        }
    }
}
