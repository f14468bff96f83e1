//! Deck pages: a deck with its notes, the note editor, and the new-deck form.

mod deck_page;
mod deck_settings_fields;
mod deck_view;
mod edit_deck_form;
mod new_deck_form;
mod note_page_links;

pub use deck_page::DeckPage;
pub use new_deck_form::NewDeckForm;
