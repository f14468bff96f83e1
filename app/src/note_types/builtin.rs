//! The note types every account has, matching Anki's stock types so that
//! decks move between the two without surprises.

use serde::{Deserialize, Serialize};

use super::template::{CardTemplate, NoteKind, NoteShape};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinNoteType {
    Basic,
    BasicReversed,
    Cloze,
    TypeAnswer,
}

impl BuiltinNoteType {
    pub const ALL: [BuiltinNoteType; 4] = [
        BuiltinNoteType::Basic,
        BuiltinNoteType::BasicReversed,
        BuiltinNoteType::Cloze,
        BuiltinNoteType::TypeAnswer,
    ];

    /// The stable key stored in `note_types.builtin`.
    pub fn key(self) -> &'static str {
        match self {
            BuiltinNoteType::Basic => "basic",
            BuiltinNoteType::BasicReversed => "basic_reversed",
            BuiltinNoteType::Cloze => "cloze",
            BuiltinNoteType::TypeAnswer => "type_answer",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|note_type| note_type.key() == key)
    }

    pub fn name(self) -> &'static str {
        match self {
            BuiltinNoteType::Basic => "Basic",
            BuiltinNoteType::BasicReversed => "Basic (and reversed card)",
            BuiltinNoteType::Cloze => "Cloze",
            BuiltinNoteType::TypeAnswer => "Basic (type in the answer)",
        }
    }

    pub fn shape(self) -> NoteShape {
        let template = |name: &str, front: &str, back: &str| CardTemplate {
            name: name.to_owned(),
            front: front.to_owned(),
            back: back.to_owned(),
        };
        let front_back = vec!["Front".to_owned(), "Back".to_owned()];
        match self {
            BuiltinNoteType::Basic => NoteShape {
                kind: NoteKind::Standard,
                fields: front_back,
                templates: vec![template("Card 1", "{{Front}}", "{{FrontSide}}<hr>{{Back}}")],
            },
            BuiltinNoteType::BasicReversed => NoteShape {
                kind: NoteKind::Standard,
                fields: front_back,
                templates: vec![
                    template("Card 1", "{{Front}}", "{{FrontSide}}<hr>{{Back}}"),
                    template("Card 2", "{{Back}}", "{{FrontSide}}<hr>{{Front}}"),
                ],
            },
            BuiltinNoteType::Cloze => NoteShape {
                kind: NoteKind::Cloze,
                fields: vec!["Text".to_owned(), "Back Extra".to_owned()],
                templates: vec![template(
                    "Cloze",
                    "{{cloze:Text}}",
                    "{{cloze:Text}}<br>{{Back Extra}}",
                )],
            },
            BuiltinNoteType::TypeAnswer => NoteShape {
                kind: NoteKind::Standard,
                fields: front_back,
                templates: vec![template(
                    "Card 1",
                    "{{Front}}<br>{{type:Back}}",
                    "{{FrontSide}}<hr>{{Back}}",
                )],
            },
        }
    }
}
