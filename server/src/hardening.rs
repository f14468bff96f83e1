//! Request and response rules that hold for every route, so that no single
//! server function or page has to remember them.

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::error::{AppError, NUL_REFUSED, REQUEST_TOO_LARGE};

/// Refuses any request that carries a NUL character in its path, its query
/// or its body, with 400 and a clear message (file uploads go to the media
/// routes, which this layer does not wrap).
///
/// PostgreSQL `text` cannot hold NUL, so such input used to fail deep inside
/// a query and answer 500. Checking here, once, covers every text input of
/// every server function and page, including ones added later. Bodies are
/// read through the request body limit that wraps this layer.
pub async fn reject_nul_in_text_input(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if has_encoded_nul(uri.path().as_bytes())
        || uri.query().is_some_and(|query| has_encoded_nul(query.as_bytes()))
    {
        return nul_refusal(request.uri().path(), request.headers());
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Uploads go to the media routes, outside this layer, so every body
    // here is text that a server function or a page may read, whatever its
    // Content-Type says: a server function that takes a form decodes any
    // body as one, `multipart/form-data` and `application/json` included.
    // So only a body sent as a form is checked in one encoding, and every
    // other in both. (The one server function that takes JSON carries ids
    // and numbers, where a literal `%00` cannot stand.)
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return request_too_large(parts.uri.path(), &parts.headers),
    };
    let json_nul = || {
        bytes.contains(&0)
            || bytes
                .windows(6)
                .any(|window| window.eq_ignore_ascii_case(br"\u0000"))
    };
    let carries_nul = has_encoded_nul(&bytes) || (!is_form && json_nul());
    if carries_nul {
        return nul_refusal(parts.uri.path(), &parts.headers);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The longest name a file system gives a file (Linux's `NAME_MAX`).
const MAX_PATH_SEGMENT_BYTES: usize = 255;

/// Answers 404 for an address with a part longer than any file name can
/// be. The static files' service would ask the file system for it, which
/// answers "file name too long": a 500, and an error in the log that anyone
/// could write. No page or file of Engram has such a name (a course's
/// address is at most 80 characters), so nothing it serves is lost.
pub async fn refuse_overlong_path_segments(request: Request, next: Next) -> Response {
    let overlong = request
        .uri()
        .path()
        .split('/')
        .any(|segment| segment.len() > MAX_PATH_SEGMENT_BYTES);
    if overlong {
        return (StatusCode::NOT_FOUND, "That page or item does not exist.").into_response();
    }
    next.run(request).await
}

/// A raw NUL, or `%00` as URL and form encoding write it. (`%2500` is the
/// text "%00", which is harmless and does not match.)
fn has_encoded_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|window| window == b"%00")
}

/// A NUL's refusal, answered as `refusal` says.
fn nul_refusal(path: &str, headers: &HeaderMap) -> Response {
    refusal(path, headers, StatusCode::BAD_REQUEST, NUL_REFUSED)
}

fn request_too_large(path: &str, headers: &HeaderMap) -> Response {
    refusal(path, headers, StatusCode::PAYLOAD_TOO_LARGE, REQUEST_TOO_LARGE)
}

/// A request refused before any server function or page read it. The
/// hydrated app gets the app's JSON error, which its form shows. A form
/// posted without JavaScript goes back to the page it was on (its
/// `Referer`, when that is a page of this site) with the error in the
/// address, as leptos sends back a refusal by the server function itself,
/// so the form shows the sentence beside it rather than the browser a page
/// of JSON. Anything else that wants a page gets a page that says it.
fn refusal(path: &str, headers: &HeaderMap, status: StatusCode, message: &str) -> Response {
    let error = AppError::BadRequest(message.to_owned());
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if path.starts_with("/api/") {
        if !wants_html {
            return app_error_response(status, error);
        }
        let form_page =
            form_page_of(headers).and_then(|page| app::plain_post::page_with_the_error(path, &page, &error));
        if let Some(location) = form_page {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
        }
    }
    refusal_page(status, message)
}

/// The path and query of the page a form was posted from, when it is a page
/// of this site.
fn form_page_of(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok());
    // A browser names the form's origin in a post, which the cross-site
    // check has already found to be this site's.
    let from_origin = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|origin| referer == origin || referer.starts_with(&format!("{origin}/")));
    if !from_origin && !is_on_site(referer, host) {
        return None;
    }
    let after_host = match referer.split_once("://") {
        Some((_, rest)) => &rest[rest.find('/').unwrap_or(rest.len())..],
        None => referer,
    };
    let page = after_host.split('#').next().unwrap_or_default();
    Some(if page.is_empty() {
        "/".to_owned()
    } else {
        page.to_owned()
    })
}

/// A page of its own for a refusal no form can show: the sentence, and a way
/// back into Engram. Its words are Engram's, never the request's.
fn refusal_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>Not accepted · Engram</title></head>\
         <body><main><h1>Not accepted</h1><p role=\"alert\">{message}</p>\
         <p><a href=\"/\">Back to Engram</a></p></main></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// An error in the encoding server functions use, so the hydrated app can
/// read it like any other `AppError`.
fn app_error_response(status: StatusCode, error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The body limit layer answers in plain text; server function callers get
/// the app's JSON error instead, so the form can say what happened.
pub async fn explain_oversized_requests(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        request_too_large(&path, &headers)
    } else {
        response
    }
}

/// Keeps redirects on this site.
///
/// A server function called from a form without JavaScript answers with a
/// redirect back to the `Referer`, which a foreign page chooses: a 302 to
/// `http://evil.example/landing` was seen. A redirect whose target is not a
/// path on this host goes to the home page instead.
pub async fn keep_redirects_on_site(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    if !response.status().is_redirection() {
        return response;
    }
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok());
    if let Some(location) = location {
        if !is_on_site(location, host.as_deref()) {
            tracing::warn!(location, "replaced an off-site redirect");
            response
                .headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/"));
        }
    }
    response
}

/// A path on this site (`/decks/1`), or an absolute URL whose host is ours.
/// `//evil.example` and `/\evil.example` are other sites to a browser.
fn is_on_site(location: &str, host: Option<&str>) -> bool {
    if location.starts_with('/') {
        return !location.starts_with("//") && !location.starts_with("/\\");
    }
    let Some((scheme, rest)) = location.split_once("://") else {
        // `javascript:…`, `data:…` and bare words are never a redirect we make.
        return false;
    };
    let location_host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    matches!(scheme, "http" | "https")
        && host.is_some_and(|host| !location_host.contains('@') && location_host.eq_ignore_ascii_case(host))
}

/// Answers a HEAD to a server function as its GET is answered, without the
/// body. HTTP asks that of every GET resource, and uptime monitors and link
/// checkers send HEAD, but a server function matches its method exactly and
/// refused it with 400. A GET server function never writes, so running it
/// for a HEAD is safe; a HEAD to one that takes a POST is still refused
/// (405), as before.
pub async fn answer_head_like_get(mut request: Request, next: Next) -> Response {
    if request.method() != Method::HEAD || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    *request.method_mut() = Method::GET;
    let (parts, _body) = next.run(request).await.into_parts();
    Response::from_parts(parts, Body::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_raw_and_percent_encoded() {
        assert!(has_encoded_nul(b"q=a%00b"));
        assert!(has_encoded_nul(b"a\0b"));
        assert!(!has_encoded_nul(b"q=100%25"));
        assert!(!has_encoded_nul(b"q=%2500"));
        assert!(!has_encoded_nul(b"q=%0A%20"));
    }

    #[test]
    fn only_paths_on_this_host_are_on_site() {
        let host = Some("cards.test:3000");
        assert!(is_on_site("/dashboard", host));
        assert!(is_on_site("/decks/1?x=2", host));
        assert!(is_on_site("http://cards.test:3000/login", host));
        assert!(!is_on_site("http://evil.example/landing", host));
        assert!(!is_on_site("//evil.example/landing", host));
        assert!(!is_on_site("/\\evil.example", host));
        assert!(!is_on_site("http://cards.test:3000@evil.example/", host));
        assert!(!is_on_site("javascript:alert(1)", host));
        assert!(!is_on_site("http://cards.test:3000/", None));
    }
}
