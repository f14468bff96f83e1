//! The stylesheet of rendered card content (`style/cards.css`): the
//! typography of cards and lessons and the colours of highlighted code.
//!
//! Most pages show no card (the dashboard, the catalogue, log in), so it is
//! not part of the stylesheet every page loads. Each page that shows cards
//! puts `<CardStyles />` in its view: a `<link>` in the page itself, which
//! HTML allows in the body for a stylesheet, so it comes and goes with the
//! page on a navigation within the app, and the browser holds back what
//! follows it until the stylesheet is in (no cards drawn unstyled first).
//! (leptos_meta's `Stylesheet`, which writes it into the head, brought
//! 1.4 KB of code to every page group that shows cards.) The browser reads
//! the stylesheet's address (named by content, so it changes with each
//! build that changes it) from the page: `shell` writes it into a `<meta>`
//! of every page that runs the app, and the offline app's page carries it
//! too.

use leptos::prelude::*;

/// The `<meta>` name under which a page gives the card stylesheet's address.
pub const CARD_STYLESHEET_META: &str = "card-stylesheet";

/// The card stylesheet's address, which `shell` provides to the server's
/// render of a page.
#[derive(Clone)]
pub struct CardStylesheetHref(pub Option<String>);

/// Links the card stylesheet from the page that shows this.
#[component]
pub fn CardStyles() -> impl IntoView {
    card_stylesheet_href().map(|href| view! { <link rel="stylesheet" href=href /> })
}

#[cfg(feature = "ssr")]
fn card_stylesheet_href() -> Option<String> {
    use_context::<CardStylesheetHref>().and_then(|href| href.0)
}

#[cfg(not(feature = "ssr"))]
fn card_stylesheet_href() -> Option<String> {
    document()
        .query_selector(&format!("meta[name='{CARD_STYLESHEET_META}']"))
        .ok()
        .flatten()?
        .get_attribute("content")
}

/// Fetches the card stylesheet into the browser's cache, so that a page
/// with cards opened next within the app shows them styled at once rather
/// than after its stylesheet has come. Called when someone points at,
/// touches or tabs to a link to such a page.
#[cfg(feature = "hydrate")]
pub fn prefetch_card_styles() {
    let Some(href) = card_stylesheet_href() else {
        return;
    };
    let document = document();
    let Ok(link) = document.create_element("link") else {
        return;
    };
    let _ = link.set_attribute("rel", "prefetch");
    let _ = link.set_attribute("as", "style");
    let _ = link.set_attribute("href", &href);
    if let Some(head) = document.head() {
        let _ = head.append_child(&link);
    }
}
