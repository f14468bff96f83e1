//! The Content-Security-Policy of rendered pages.
//!
//! Leptos puts inline scripts in every page (hydration bootstrap, resolved
//! resources), so pages carry a per-response nonce instead of allowing
//! `'unsafe-inline'`. `'wasm-unsafe-eval'` lets the browser compile the app's
//! WebAssembly and nothing else.

use leptos::{nonce::use_nonce, prelude::*};

/// The policy for a page whose inline scripts carry `nonce`.
///
/// Images and sound load only from Engram itself (`/media/…` and static
/// files), matching the sanitiser, which keeps no other source in card HTML:
/// no `data:` or `blob:`, since nothing on a page needs them and a filter
/// slip would otherwise show a card's author whatever they like.
pub fn page_content_security_policy(nonce: &str) -> String {
    policy_with_scripts(&format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"))
}

/// The policy of the offline app's page (`offline.html`), which the service
/// worker keeps and serves as it is, so it cannot carry a nonce: it has no
/// inline script at all, only files from Engram itself and the app's
/// WebAssembly.
pub fn offline_page_content_security_policy() -> String {
    policy_with_scripts("'self' 'wasm-unsafe-eval'")
}

fn policy_with_scripts(script_src: &str) -> String {
    // The development auto-reload script talks to its own websocket port.
    let connect_src = if cfg!(debug_assertions) {
        "'self' ws:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src {script_src}; \
         style-src 'self'; img-src 'self'; media-src 'self'; font-src 'self'; \
         connect-src {connect_src}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The policy for every response that is not a rendered page. Its
/// `default-src 'self'` allows the same images and sound as the page policy.
pub const DEFAULT_CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The nonce the server chose for this request (`server::router` puts it in
/// the request's extensions and writes the page policy with it), given to
/// Leptos so that the page's inline scripts carry the same one. Called in
/// each page render's context, after Leptos has provided a nonce of its own.
pub fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Sets the page policy on the response being rendered. The server's page
/// layer also writes it, from the same nonce, on any page response that
/// comes back without it.
pub fn set_page_content_security_policy() {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_content_security_policy(&nonce.to_string())) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive<'a>(policy: &'a str, name: &str) -> Option<&'a str> {
        policy
            .split(';')
            .map(str::trim)
            .find_map(|directive| directive.strip_prefix(name)?.strip_prefix(' '))
    }

    #[test]
    fn pages_load_images_and_sound_only_from_engram() {
        let policy = page_content_security_policy("abc");
        assert_eq!(directive(&policy, "img-src"), Some("'self'"), "{policy}");
        assert_eq!(directive(&policy, "media-src"), Some("'self'"), "{policy}");
    }

    #[test]
    fn other_responses_fall_back_to_engram_alone() {
        let policy = DEFAULT_CONTENT_SECURITY_POLICY;
        assert_eq!(directive(policy, "default-src"), Some("'self'"));
        assert_eq!(directive(policy, "img-src"), None);
        assert_eq!(directive(policy, "media-src"), None);
    }
}
