//! Forms posted without JavaScript.
//!
//! When a server function called by a plain form post fails, leptos_axum
//! sends the browser back to the page it came from with the error in `__err`.
//! What the user typed is lost on the way. A form that must keep it sends the
//! browser to an address of its own choosing instead, one that says where to
//! find the values again (in the address, or in the session for a note).

use leptos::server_fn::{error::ServerFnUrlError, ServerFn};

use crate::error::AppError;

/// Whether this request is a plain HTML form post, which expects a page back,
/// rather than a call from the hydrated app.
pub fn posted_without_javascript() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|request| {
        request
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Sends a plain form post that failed back to `form_address` (a path with
/// an optional query), with the error written as leptos writes it, so that
/// the form's action starts out holding it. Does nothing for a call from the
/// hydrated app, which keeps its page as it is.
pub fn back_to_the_form<F: ServerFn>(form_address: &str, error: &AppError) {
    if !posted_without_javascript() {
        return;
    }
    // Values carried in the query (an email, a name) make an address of any
    // length that was typed: past the longest one that travels, the form
    // comes back empty rather than to a browser's "URI too long" page, with
    // its error beside the fields.
    let address = with_the_error::<F>(form_address, error)
        .filter(|address| address.len() <= MAX_FILLED_IN_ADDRESS_BYTES)
        .or_else(|| with_the_error::<F>(form_address.split('?').next().unwrap_or_default(), error));
    if let Some(address) = address {
        leptos_axum::redirect(&address);
    }
}

/// `form_address` with `error` in its query, as leptos writes it for the
/// form's action to read.
fn with_the_error<F: ServerFn>(form_address: &str, error: &AppError) -> Option<String> {
    address_with_the_error(F::PATH, &format!("http://engram{form_address}"), error)
}

/// `base` (an absolute URL) with the error of the server function at
/// `server_fn_path` in its query; only the path and query are kept.
fn address_with_the_error(server_fn_path: &str, base: &str, error: &AppError) -> Option<String> {
    // `to_url` needs an absolute base.
    let url = ServerFnUrlError::new(server_fn_path, error.clone())
        .to_url(base)
        .ok()?;
    Some(format!("{}?{}", url.path(), url.query().unwrap_or_default()))
}

/// `page` (a path with an optional query) with the error of the server
/// function at `server_fn_path` in its query, in place of any error it
/// already carried, so that the page's form for that function shows it: for
/// a refusal made before any server function ran (a body too large, a NUL),
/// which knows the function only by the path the form was posted to. None
/// past the longest address that travels.
pub fn page_with_the_error(server_fn_path: &str, page: &str, error: &AppError) -> Option<String> {
    let mut base = format!("http://engram{page}");
    ServerFnUrlError::<AppError>::strip_error_info(&mut base);
    address_with_the_error(server_fn_path, &base, error)
        .filter(|address| address.len() <= MAX_FILLED_IN_ADDRESS_BYTES)
}

/// The longest address a form is sent back to with what was typed in it.
/// Browsers take far longer ones, but a proxy in front of Engram may not
/// (nginx refuses a request line over 8 KB), and the server itself drops a
/// `Location` header of some hundred kilobytes, which left a blank page.
const MAX_FILLED_IN_ADDRESS_BYTES: usize = 8 * 1024;

/// Sends a plain form post that failed back to `filled_in`, the form's
/// address carrying what was typed. When that address would be too long to
/// travel, the session keeps it and the browser goes to `plain`, the same
/// form's address without the typed values, which the next view of it finds
/// filled in again (`unsaved::refill_a_refused_form`). Only if the session
/// cannot keep it either does the form come back without the long text, its
/// error still beside it.
pub async fn back_to_the_filled_form<F: ServerFn>(filled_in: &str, plain: &str, error: &AppError) {
    if !posted_without_javascript() {
        return;
    }
    let Some(address) = with_the_error::<F>(filled_in, error) else {
        return;
    };
    if address.len() <= MAX_FILLED_IN_ADDRESS_BYTES {
        leptos_axum::redirect(&address);
    } else if crate::unsaved::keep_the_filled_in_address(address).await {
        leptos_axum::redirect(&crate::unsaved::waiting_at(plain));
    } else {
        back_to_the_form::<F>(plain, error);
    }
}

/// The response header by which a plain form post that saved tells
/// [`say_saved_only_after_a_save`] to leave its "saved" address alone; the
/// layer removes it.
const SAVED_MARKER: &str = "x-engram-saved";

/// Sends a plain form post that succeeded on to `page_address`, whose query
/// tells the page what was saved (`routes::saying_saved`): the hydrated app
/// shows "Saved." from the action's answer, and a page loaded after a plain
/// post has only its address to go by. Does nothing for a call from the
/// hydrated app.
pub fn on_to_the_saved_page(page_address: &str) {
    if posted_without_javascript() {
        leptos_axum::redirect(page_address);
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                http::HeaderName::from_static(SAVED_MARKER),
                http::HeaderValue::from_static("1"),
            );
        }
    }
}

/// Sends a plain form post that succeeded back to the page that posted it,
/// with its query as it was (a deck's way back to a lesson, say), saying
/// that `form` saved. The page is `fallback_page`'s, the one page that form
/// is on: a browser that sends no Referer, or only the site's address, is
/// sent to `fallback_page` itself.
pub fn back_saying_saved(form: &str, fallback_page: &str) {
    if !posted_without_javascript() {
        return;
    }
    let fallback_path = fallback_page.split('?').next().unwrap_or_default();
    let posted_from = leptos::prelude::use_context::<http::request::Parts>().and_then(|request| {
        let referer = request.headers.get(http::header::REFERER)?.to_str().ok()?;
        let uri: http::Uri = referer.parse().ok()?;
        Some(uri.path_and_query()?.as_str().to_owned())
    });
    let page = posted_from
        .filter(|page| page.split('?').next() == Some(fallback_path))
        .filter(|page| crate::routes::is_page_to_return_to(page))
        .unwrap_or_else(|| fallback_page.to_owned());
    on_to_the_saved_page(&crate::routes::saying_saved(&page, form));
}

/// A layer for the server functions' responses. A plain form post that did
/// not save a form itself goes back to the page it came from (Leptos sends
/// it to the Referer), whose address may still say that an earlier form
/// saved; without this, that form would say "Saved." again after, say, a
/// course was published from the same page. An address left with an empty
/// query (a Referer of a GET form sent with nothing in it) loses its `?`.
pub async fn say_saved_only_after_a_save(mut response: axum::response::Response) -> axum::response::Response {
    if response.headers_mut().remove(SAVED_MARKER).is_some() || !response.status().is_redirection() {
        return response;
    }
    let location = response
        .headers()
        .get(http::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .filter(|location| location.contains(crate::routes::SAVED) || location.ends_with('?'))
        .map(crate::routes::without_saved_notice);
    if let Some(value) = location.and_then(|location| http::HeaderValue::from_str(&location).ok()) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}
