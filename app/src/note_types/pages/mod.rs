//! `/note-types`: a teacher's own note types, with a form to define a new
//! one and to edit each. Built-in types are listed for reference.

mod builtin_types;
mod new_note_type_form;
mod note_type_fields;
mod note_types_page;
mod own_note_type;

pub use note_types_page::NoteTypesPage;
