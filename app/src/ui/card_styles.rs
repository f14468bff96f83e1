//! The stylesheet of rendered card content (`style/cards.css`): the
//! typography of cards and lessons and the colours of highlighted code.
//!
//! Most pages show no card (the dashboard, the catalogue, log in), so it is
//! not part of the stylesheet every page loads. The server links it in the
//! head of a page that shows cards (`shell`); in the browser, the app frame
//! links it on the first navigation within the app to such a page (or as
//! someone points at a link to one), and leaves it linked: it styles
//! nothing on other pages, and the next card page needs it again. The browser reads its address (named by content, so
//! it changes with each build that changes it) from a `<meta>` that `shell`
//! writes into every page that runs the app; the offline app's page, which
//! shows cards, links it itself.
//!
//! All of it is the app shell's code, which every group of pages shares,
//! rather than a line in each page that shows cards (README,
//! "Performance": about the same size either way).

/// The `<meta>` name under which a page gives the card stylesheet's address.
pub const CARD_STYLESHEET_META: &str = "card-stylesheet";

/// Whether the page at `path` (an address's path) shows cards or a lesson:
/// a study page, a deck's page, the note editor and a lesson.
pub fn shows_cards(path: &str) -> bool {
    matches!(
        crate::lazy_route_of(path).map(|(pattern, _)| *pattern),
        Some(
            "study/:id"
                | "decks/:id"
                | "decks/:id/add"
                | "notes/:id/edit"
                | "courses/:slug/lessons/:lesson_id"
        )
    )
}

/// Links the card stylesheet whenever the app shows a page with cards.
#[cfg(feature = "hydrate")]
pub fn link_card_styles_on_card_pages() {
    use leptos::prelude::*;

    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        if location.pathname.with(|path| shows_cards(path)) {
            link_card_styles();
        }
    });
}

/// Links the card stylesheet into the page's head, unless it is linked
/// already (by the server, or earlier in the app). Also called when someone
/// points at, touches or tabs to a link to a page with cards: the
/// stylesheet styles nothing but card content, so linking it before that
/// page comes changes nothing on the page being left, and the cards then
/// show styled at once rather than after their stylesheet has come.
#[cfg(feature = "hydrate")]
pub fn link_card_styles() {
    let document = leptos::prelude::document();
    let href = document
        .query_selector(&format!("meta[name={CARD_STYLESHEET_META}]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    let Some(href) = href else {
        return;
    };
    let linked = document
        .query_selector(&format!("link[rel=stylesheet][href=\"{href}\"]"))
        .ok()
        .flatten()
        .is_some();
    if linked {
        return;
    }
    let (Some(head), Ok(link)) = (document.head(), document.create_element("link")) else {
        return;
    };
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &href);
    let _ = head.append_child(&link);
}

#[cfg(test)]
mod tests {
    use super::shows_cards;

    #[test]
    fn the_pages_that_show_cards_are_study_a_deck_the_note_editor_and_a_lesson() {
        for path in [
            "/study/5a1c",
            "/decks/5a1c",
            "/decks/5a1c/add",
            "/notes/5a1c/edit",
            "/courses/chemistry-essentials/lessons/5a1c",
        ] {
            assert!(shows_cards(path), "{path}");
        }
        for path in [
            "/",
            "/dashboard",
            "/catalogue",
            "/decks/new",
            "/courses/chemistry-essentials",
            "/courses/new",
            "/browse",
            "/login",
        ] {
            assert!(!shows_cards(path), "{path}");
        }
    }
}
