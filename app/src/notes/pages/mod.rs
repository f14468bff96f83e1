//! Note pages: the note editor for a new note and for an existing one.

mod card_previews;
mod note_edit_form;
mod note_edit_page;
mod note_editor;
mod note_editor_page;
mod note_fields;
mod studied_cards_question;
mod tag_suggestions;
mod upload_without_javascript;

pub use note_edit_page::NoteEditPage;
pub use note_editor_page::NoteEditorPage;
pub(crate) use studied_cards_question::StudiedCardsQuestion;
