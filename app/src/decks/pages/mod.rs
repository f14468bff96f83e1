//! Deck pages: a deck with its settings and notes, and the new-deck page.

mod deck_page;
mod deck_settings_fields;
mod deck_view;
mod edit_deck_form;
mod new_deck_form;
mod new_deck_page;
mod note_page_links;

pub use deck_page::DeckPage;
pub use new_deck_page::NewDeckPage;
