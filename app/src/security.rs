//! The Content-Security-Policy of rendered pages.
//!
//! Leptos puts inline scripts in every page (hydration bootstrap, resolved
//! resources), so pages carry a per-response nonce instead of allowing
//! `'unsafe-inline'`. `'wasm-unsafe-eval'` lets the browser compile the app's
//! WebAssembly and nothing else.

use leptos::{nonce::use_nonce, prelude::*};

/// The policy for a page whose inline scripts carry `nonce`.
pub fn page_content_security_policy(nonce: &str) -> String {
    // The development auto-reload script talks to its own websocket port.
    let connect_src = if cfg!(debug_assertions) {
        "'self' ws:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; \
         connect-src {connect_src}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The policy for every response that is not a rendered page.
pub const DEFAULT_CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Sets the page policy on the response being rendered.
pub fn set_page_content_security_policy() {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_content_security_policy(&nonce.to_string())) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
