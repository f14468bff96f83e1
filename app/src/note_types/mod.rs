//! Note types: the built-in ones (Basic, Cloze, …) and those a teacher
//! defines, with named fields and card templates that use `{{Field}}`.

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod builtin;
pub mod cloze;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod template;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use self::{
    builtin::BuiltinNoteType,
    template::{CardSide, NoteKind, NoteShape},
};

/// Which note type a note is written with, as it travels in forms and
/// addresses: a built-in key such as `cloze`, or a custom type's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum NoteTypeChoice {
    Builtin(BuiltinNoteType),
    Custom(Uuid),
}

impl NoteTypeChoice {
    pub fn key(self) -> String {
        match self {
            NoteTypeChoice::Builtin(builtin) => builtin.key().to_owned(),
            NoteTypeChoice::Custom(id) => id.to_string(),
        }
    }

    pub fn parse(key: &str) -> Option<NoteTypeChoice> {
        BuiltinNoteType::from_key(key)
            .map(NoteTypeChoice::Builtin)
            .or_else(|| Uuid::parse_str(key).ok().map(NoteTypeChoice::Custom))
    }
}

impl TryFrom<String> for NoteTypeChoice {
    type Error = String;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        NoteTypeChoice::parse(&key).ok_or_else(|| format!("unknown note type `{key}`"))
    }
}

impl From<NoteTypeChoice> for String {
    fn from(choice: NoteTypeChoice) -> String {
        choice.key()
    }
}

/// A note type the editor can offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteTypeOption {
    pub choice: NoteTypeChoice,
    pub name: String,
    pub shape: NoteShape,
}

impl NoteTypeOption {
    pub fn builtin(builtin: BuiltinNoteType) -> NoteTypeOption {
        NoteTypeOption {
            choice: NoteTypeChoice::Builtin(builtin),
            name: builtin.name().to_owned(),
            shape: builtin.shape(),
        }
    }
}

/// One of a teacher's own note types, as the note-types page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomNoteType {
    pub id: Uuid,
    pub name: String,
    pub shape: NoteShape,
    pub note_count: i64,
}

/// Limits that keep a note type readable and its cards cheap to render.
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_FIELDS: usize = 32;
pub const MAX_FIELD_NAME_CHARS: usize = 64;

/// A name is one of a kind among a person's types and the built-in ones,
/// which the note editor lists beside them by name.
/// Why a change to a type whose notes' cards learners have studied waits,
/// under `notes::DELETE_STUDIED_CARDS`: fixed text, so that a form posted
/// without JavaScript shows it from its address.
pub const NOTE_TYPE_DELETES_STUDIED_CARDS: &str = "This change leaves cards that learners have studied with nothing to show, so they would be deleted, and with them the learners' schedules of them. Keep what they show, or tick the box to delete them anyway.";

pub const NAME_TAKEN: &str = "You already have a note type of this name. Choose another.";
pub const NAME_OF_A_BUILT_IN: &str = "A built-in note type has this name. Choose another.";
pub const NAME_MISSING: &str = "Give the note type a name.";

/// The `saved` value of the note-types page after a type was created by a
/// form posted without JavaScript (`routes::saying_saved`).
pub const NOTE_TYPE_CREATED: &str = "note-type";

/// The `saved` value of the note-types page after the type its `editing`
/// names was saved by a form posted without JavaScript.
pub const NOTE_TYPE_SAVED: &str = "note-type-changes";

impl NoteTypeInput {
    /// The query pairs that carry what was typed into a note type's form
    /// back to it, after a plain form post that failed: the form of the type
    /// `editing`, or the new-type form.
    pub fn typed_pairs(&self, editing: Option<uuid::Uuid>) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("name".to_owned(), self.name.clone()),
            ("kind".to_owned(), self.kind.clone()),
            ("fields".to_owned(), self.fields.clone()),
        ];
        if let Some(id) = editing {
            pairs.push(("editing".to_owned(), id.to_string()));
        }
        for (index, template) in self.templates.iter().enumerate() {
            pairs.push((format!("template_{index}_name"), template.name.clone()));
            pairs.push((format!("template_{index}_front"), template.front.clone()));
            pairs.push((format!("template_{index}_back"), template.back.clone()));
        }
        pairs
    }

    /// What [`Self::typed_pairs`] wrote, read back with `get` (a query's
    /// lookup): which form, and its values, less the empty card slots at
    /// the end (the form offers a spare one of its own).
    pub fn from_typed(get: impl Fn(&str) -> Option<String>) -> Option<(Option<uuid::Uuid>, NoteTypeInput)> {
        let editing = get("editing").and_then(|id| id.parse().ok());
        let mut templates: Vec<TemplateInput> = (0..MAX_TEMPLATES_TYPED)
            .map_while(|index| {
                Some(TemplateInput {
                    name: get(&format!("template_{index}_name"))?,
                    front: get(&format!("template_{index}_front")).unwrap_or_default(),
                    back: get(&format!("template_{index}_back")).unwrap_or_default(),
                })
            })
            .collect();
        while templates.last().is_some_and(|template| {
            template.name.is_empty() && template.front.is_empty() && template.back.is_empty()
        }) {
            templates.pop();
        }
        let input = NoteTypeInput {
            name: get("name")?,
            kind: get("kind").unwrap_or_default(),
            fields: get("fields").unwrap_or_default(),
            templates,
            // Asked again after a refusal: never carried back ticked.
            delete_studied_cards: false,
        };
        Some((editing, input))
    }
}

/// The most card slots read back from an address.
const MAX_TEMPLATES_TYPED: usize = 64;
pub const MAX_TEMPLATES: usize = 10;
pub const MAX_TEMPLATE_BYTES: usize = 16 * 1024;

/// A card template as typed into the form. Slots left entirely empty are
/// ignored, so the form can always offer a spare one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateInput {
    pub name: String,
    pub front: String,
    pub back: String,
}

/// The note-type form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteTypeInput {
    pub name: String,
    /// `standard` or `cloze`.
    pub kind: String,
    /// One field name per line.
    pub fields: String,
    pub templates: Vec<TemplateInput>,
    /// Whether the author agreed to delete cards learners have studied,
    /// which the change leaves with nothing to show (`NOTE_TYPE_DELETES_STUDIED_CARDS`).
    #[serde(default)]
    pub delete_studied_cards: bool,
}

/// What a message quotes of a name or placeholder the author wrote: the
/// first 40 characters, so that a name pasted by mistake (thousands of
/// characters) is not written back out in full.
fn excerpt(text: &str) -> String {
    crate::ui::shortened(text, 40)
}

impl NoteTypeInput {
    /// The templates that were filled in, with their slot in the form.
    fn filled_templates(&self) -> impl Iterator<Item = (usize, &TemplateInput)> {
        self.templates.iter().enumerate().filter(|(_, template)| {
            !(template.name.trim().is_empty()
                && template.front.trim().is_empty()
                && template.back.trim().is_empty())
        })
    }

    /// The form field of one side of the parsed shape's template
    /// `template_index` (`template_<slot>_front`), counting the slots left
    /// empty as `parse` does.
    pub fn template_field(&self, template_index: usize, side: CardSide) -> String {
        let slot = self
            .filled_templates()
            .nth(template_index)
            .map_or(template_index, |(slot, _)| slot);
        format!("template_{slot}_{}", side.as_str())
    }

    /// The name and shape, or every problem found, each on its own field:
    /// `name`, `kind`, `fields`, `templates`, `template_<n>_front|back`.
    pub fn parse(&self) -> Result<(String, NoteShape), crate::error::AppError> {
        use crate::{
            error::FieldError,
            note_types::template::{
                placeholder_parts, referenced_placeholders, unclosed_placeholder,
                MAX_PLACEHOLDERS_PER_TEMPLATE,
            },
        };

        let mut errors: Vec<FieldError> = Vec::new();
        let mut problem = |field: String, message: String| {
            if !errors.iter().any(|error| error.field == field) {
                errors.push(FieldError { field, message });
            }
        };
        let name = self.name.trim();
        if name.is_empty() {
            problem("name".into(), NAME_MISSING.into());
        } else if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            problem(
                "name".into(),
                format!("Use at most {MAX_NAME_CHARS} characters, on one line."),
            );
        } else if builtin::BuiltinNoteType::ALL
            .iter()
            .any(|builtin| builtin.name().to_lowercase() == name.to_lowercase())
        {
            problem("name".into(), NAME_OF_A_BUILT_IN.into());
        }
        let kind = match self.kind.as_str() {
            "" | "standard" => NoteKind::Standard,
            "cloze" => NoteKind::Cloze,
            _ => {
                problem("kind".into(), "Choose standard or cloze.".into());
                NoteKind::Standard
            }
        };
        let fields: Vec<String> = self
            .fields
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        if fields.is_empty() {
            problem("fields".into(), "Name at least one field, one per line.".into());
        }
        if fields.len() > MAX_FIELDS {
            problem("fields".into(), format!("Use at most {MAX_FIELDS} fields."));
        }
        // Each name is compared with those before it, so only as many as
        // are allowed are read: a list of thousands is refused at once.
        for (index, field) in fields.iter().enumerate().take(MAX_FIELDS) {
            if field.chars().count() > MAX_FIELD_NAME_CHARS {
                problem(
                    "fields".into(),
                    format!(
                        "“{}” is too long: at most {MAX_FIELD_NAME_CHARS} characters.",
                        excerpt(field)
                    ),
                );
            } else if field
                .chars()
                .any(|c| c.is_control() || matches!(c, '{' | '}' | ':' | '"' | '<' | '>' | '#' | '^' | '/'))
            {
                problem(
                    "fields".into(),
                    format!("“{field}” cannot contain {{ }} : \" < > # ^ or /, which templates use."),
                );
            } else if field.eq_ignore_ascii_case("FrontSide") {
                problem(
                    "fields".into(),
                    "“FrontSide” is reserved for the front of the card.".into(),
                );
            } else if fields[..index]
                .iter()
                .any(|earlier| earlier.eq_ignore_ascii_case(field))
            {
                problem("fields".into(), format!("“{field}” is named twice."));
            }
        }
        let templates: Vec<(usize, &TemplateInput)> = self.filled_templates().collect();
        if templates.is_empty() {
            problem(
                "templates".into(),
                "Add at least one card with a front and a back.".into(),
            );
        }
        if templates.len() > MAX_TEMPLATES {
            problem("templates".into(), format!("Use at most {MAX_TEMPLATES} cards."));
        }
        if kind == NoteKind::Cloze && templates.len() > 1 {
            problem(
                "templates".into(),
                "A cloze type has one template: each {{c1::…}} makes its own card.".into(),
            );
        }
        let mut shaped = Vec::new();
        for (slot, template) in templates.into_iter().take(MAX_TEMPLATES) {
            for (side, text) in [("front", &template.front), ("back", &template.back)] {
                let field = format!("template_{slot}_{side}");
                if text.trim().is_empty() {
                    problem(field.clone(), format!("Write the {side} of this card."));
                }
                // PostgreSQL's text cannot hold NUL, and no other control
                // character means anything in a card's HTML.
                if text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                {
                    problem(
                        field.clone(),
                        "Remove the control characters (such as NUL) from it.".into(),
                    );
                }
                let too_long = text.len() > MAX_TEMPLATE_BYTES;
                if too_long {
                    problem(
                        field.clone(),
                        format!("Keep it under {} KiB.", MAX_TEMPLATE_BYTES / 1024),
                    );
                }
                // Each placeholder can pull in a whole field or front side.
                let too_many_placeholders = referenced_placeholders(text)
                    .nth(MAX_PLACEHOLDERS_PER_TEMPLATE)
                    .is_some();
                if too_many_placeholders {
                    problem(
                        field.clone(),
                        format!(
                            "Use at most {MAX_PLACEHOLDERS_PER_TEMPLATE} placeholders like {{{{Field}}}} on one side."
                        ),
                    );
                }
                // Each placeholder is looked up among the fields (and an
                // unknown one lists them all), so only a side within its
                // limits, of a type within its field limit, is read that far:
                // past them, the work would grow with the square of the
                // request, and the type is refused anyway.
                if too_long || too_many_placeholders || fields.len() > MAX_FIELDS {
                    continue;
                }
                // As Anki does: a `{{` that is never closed is a mistake,
                // not text to show.
                if let Some(unclosed) = unclosed_placeholder(text) {
                    problem(
                        field.clone(),
                        format!(
                            "“{}” is not closed: end the placeholder with }}}}.",
                            excerpt(unclosed)
                        ),
                    );
                }
                for placeholder in referenced_placeholders(text) {
                    let (prefix, field_name) = placeholder_parts(placeholder);
                    let known = fields.iter().any(|name| name == field_name);
                    let message = if placeholder == "FrontSide" {
                        (side == "front").then(|| "{{FrontSide}} can only be used on the back.".to_owned())
                    } else {
                        match prefix {
                            "" | "type" if known => None,
                            "cloze" if kind == NoteKind::Standard => {
                                Some("{{cloze:…}} needs a cloze note type.".to_owned())
                            }
                            "cloze" if known => None,
                            "" | "type" | "cloze" => Some(format!(
                                "{{{{{}}}}} names no field. The fields are: {}.",
                                excerpt(placeholder),
                                fields.join(", ")
                            )),
                            _ => Some(format!(
                                "{{{{{}}}}} is not a placeholder Engram knows.",
                                excerpt(placeholder)
                            )),
                        }
                    };
                    if let Some(message) = message {
                        problem(field.clone(), message);
                    }
                }
            }
            if kind == NoteKind::Cloze
                && !referenced_placeholders(&template.front).any(|p| placeholder_parts(p).0 == "cloze")
            {
                problem(
                    format!("template_{slot}_front"),
                    "A cloze front shows a field with {{cloze:Field}}.".into(),
                );
            }
            if referenced_placeholders(&template.front).next().is_none() {
                problem(
                    format!("template_{slot}_front"),
                    "The front must show at least one field, like {{Front}}.".into(),
                );
            }
            // A card's name is a label: control characters in it are dropped.
            let label: String = template
                .name
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .chars()
                .take(MAX_NAME_CHARS)
                .collect();
            let name = if label.is_empty() {
                format!("Card {}", shaped.len() + 1)
            } else {
                label
            };
            shaped.push(crate::note_types::template::CardTemplate {
                name,
                front: template.front.trim().to_owned(),
                back: template.back.trim().to_owned(),
            });
        }
        if errors.is_empty() {
            Ok((
                name.to_owned(),
                NoteShape {
                    kind,
                    fields,
                    templates: shaped,
                },
            ))
        } else {
            Err(crate::error::AppError::Validation(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note_types::template::MAX_PLACEHOLDERS_PER_TEMPLATE;

    fn input(fields: &str, front: &str, back: &str) -> NoteTypeInput {
        NoteTypeInput {
            name: "Vocabulary".into(),
            kind: "standard".into(),
            fields: fields.into(),
            templates: vec![
                TemplateInput {
                    name: "Recognise".into(),
                    front: front.into(),
                    back: back.into(),
                },
                TemplateInput::default(),
            ],
            delete_studied_cards: false,
        }
    }

    #[test]
    fn a_valid_type_is_parsed_and_the_spare_slot_ignored() {
        let (name, shape) = input(
            "Word\nMeaning\n\nExample\n",
            "{{Word}}",
            "{{FrontSide}}<hr>{{Meaning}}<br>{{Example}}",
        )
        .parse()
        .unwrap();
        assert_eq!(name, "Vocabulary");
        assert_eq!(shape.fields, ["Word", "Meaning", "Example"]);
        assert_eq!(shape.templates.len(), 1);
        assert_eq!(shape.templates[0].name, "Recognise");
    }

    #[test]
    fn an_unknown_field_in_a_template_is_named() {
        let error = input("Word\nMeaning", "{{Wrod}}", "{{Meaning}}")
            .parse()
            .unwrap_err();
        let message = error.field_message("template_0_front").unwrap();
        assert!(message.contains("{{Wrod}} names no field"), "{message}");
        assert!(message.contains("Word, Meaning"), "{message}");
    }

    #[test]
    fn a_placeholder_never_closed_is_refused_on_its_side() {
        // Filled in, `{{Word` is text: every note of the type would make no
        // card, and its fields would look filled in.
        for front in ["{{Word", "Q: {{Word", "{{Word}} and {{Meaning"] {
            let error = input("Word\nMeaning", front, "{{Meaning}}").parse().unwrap_err();
            let message = error.field_message("template_0_front").unwrap();
            assert!(
                message.contains("is not closed: end the placeholder with }}"),
                "{front}: {message}"
            );
            assert!(
                message.contains("“{{Word") || message.contains("“{{Meaning"),
                "{message}"
            );
        }
        let error = input("Word\nMeaning", "{{Word}}", "{{Meaning")
            .parse()
            .unwrap_err();
        assert!(error
            .field_message("template_0_back")
            .unwrap()
            .contains("“{{Meaning” is not closed"));
        assert!(error.field_message("template_0_front").is_none());
    }

    #[test]
    fn a_placeholder_is_checked_as_it_is_filled_in() {
        // Filled in, `{{{{Word}}}}` is the placeholder `{{Word` and then `}}`:
        // so it is checked as that, and named, not passed as `{{Word}}`.
        let error = input("Word\nMeaning", "{{{{Word}}}}", "{{Meaning}}")
            .parse()
            .unwrap_err();
        let message = error.field_message("template_0_front").unwrap();
        assert!(message.contains("{{{{Word}} names no field"), "{message}");
    }

    #[test]
    fn duplicate_and_reserved_field_names_are_refused() {
        assert!(input("Word\nword", "{{Word}}", "x")
            .parse()
            .unwrap_err()
            .field_message("fields")
            .unwrap()
            .contains("twice"));
        assert!(input("FrontSide", "{{FrontSide}}", "x")
            .parse()
            .unwrap_err()
            .field_message("fields")
            .is_some());
        assert!(input("Bad{{name", "{{x}}", "x")
            .parse()
            .unwrap_err()
            .field_message("fields")
            .is_some());
    }

    #[test]
    fn front_side_belongs_on_the_back_and_the_front_needs_a_field() {
        let error = input("Word", "{{FrontSide}}", "{{Word}}").parse().unwrap_err();
        assert!(error
            .field_message("template_0_front")
            .unwrap()
            .contains("only be used on the back"));
        let error = input("Word", "Just text", "{{Word}}").parse().unwrap_err();
        assert!(error.field_message("template_0_front").is_some());
    }

    #[test]
    fn a_cloze_type_needs_a_cloze_placeholder_and_one_template() {
        let mut cloze = input("Text\nExtra", "{{Text}}", "{{Extra}}");
        cloze.kind = "cloze".into();
        assert!(cloze
            .parse()
            .unwrap_err()
            .field_message("template_0_front")
            .is_some());
        cloze.templates[0].front = "{{cloze:Text}}".into();
        assert!(cloze.parse().is_ok());
        cloze.templates[1] = TemplateInput {
            name: String::new(),
            front: "{{cloze:Text}}".into(),
            back: "{{Extra}}".into(),
        };
        assert!(cloze.parse().unwrap_err().field_message("templates").is_some());
    }

    #[test]
    fn a_control_character_in_a_template_is_refused_on_its_side_and_dropped_from_its_name() {
        let refused = input("Word", "{{Word}}\u{0}", "{{Word}}").parse().unwrap_err();
        assert_eq!(
            refused.field_message("template_0_front").as_deref(),
            Some("Remove the control characters (such as NUL) from it.")
        );
        let mut named = input("Word", "{{Word}}", "{{Word}}\n<br>\t{{Word}}");
        named.templates[0].name = "Re\u{0}cognise".into();
        let (_, shape) = named.parse().unwrap();
        assert_eq!(shape.templates[0].name, "Recognise");
    }

    #[test]
    fn a_long_name_is_quoted_in_part() {
        let long_name = "Ä".repeat(3_000);
        let refused = input(&long_name, "{{F0}}", "{{F1}}").parse().unwrap_err();
        let message = refused.field_message("fields").unwrap();
        assert_eq!(
            message,
            format!(
                "“{}…” is too long: at most {MAX_FIELD_NAME_CHARS} characters.",
                "Ä".repeat(40)
            )
        );
        let unknown = format!("{{{{{}}}}}", "x".repeat(500));
        let refused = input("Word", &unknown, "{{Word}}").parse().unwrap_err();
        let message = refused.field_message("template_0_front").unwrap();
        assert!(message.len() < 200, "{message}");
    }

    /// Field names are compared pair by pair, so a list of 100,000 kept a
    /// server thread busy for seconds before the count was refused; only as
    /// many as are allowed are read now.
    #[test]
    fn a_list_of_100_000_fields_is_refused_without_reading_them_all() {
        let fields = (0..100_000)
            .map(|n| format!("F{n}"))
            .collect::<Vec<_>>()
            .join("\n");
        let refused = input(&fields, "{{F0}}", "{{F1}}").parse().unwrap_err();
        assert_eq!(
            refused.field_message("fields"),
            Some(format!("Use at most {MAX_FIELDS} fields."))
        );
    }

    /// 100,000 field names and a side of 100,000 unknown placeholders, in
    /// one request body: each placeholder was looked up among every field,
    /// and each listed all of them in its message.
    #[test]
    fn placeholders_past_the_limits_are_not_looked_up_among_the_fields() {
        let fields = (0..100_000)
            .map(|n| format!("F{n}"))
            .collect::<Vec<_>>()
            .join("\n");
        let refused = input(&fields, &"{{x}}".repeat(100_000), "{{F1}}")
            .parse()
            .unwrap_err();
        assert_eq!(
            refused.field_message("template_0_front"),
            Some(format!("Keep it under {} KiB.", MAX_TEMPLATE_BYTES / 1024))
        );
        assert_eq!(
            refused.field_message("fields"),
            Some(format!("Use at most {MAX_FIELDS} fields."))
        );
    }

    #[test]
    fn a_template_with_too_many_placeholders_is_refused_on_its_side() {
        let many = "{{Word}}".repeat(MAX_PLACEHOLDERS_PER_TEMPLATE + 1);
        let error = input("Word", "{{Word}}", &many).parse().unwrap_err();
        let message = error.field_message("template_0_back").unwrap();
        assert!(
            message.contains(&format!("at most {MAX_PLACEHOLDERS_PER_TEMPLATE} placeholders")),
            "{message}"
        );
        let enough = "{{Word}}".repeat(MAX_PLACEHOLDERS_PER_TEMPLATE);
        assert!(input("Word", "{{Word}}", &enough).parse().is_ok());
    }

    #[test]
    fn a_template_field_counts_the_slots_left_empty() {
        let mut form = input("Word", "{{Word}}", "{{Word}}");
        form.templates.insert(0, TemplateInput::default());
        assert_eq!(form.template_field(0, CardSide::Back), "template_1_back");
        assert_eq!(form.template_field(0, CardSide::Front), "template_1_front");
    }

    #[test]
    fn a_choice_travels_as_its_key() {
        let custom = NoteTypeChoice::Custom(Uuid::nil());
        assert_eq!(NoteTypeChoice::parse(&custom.key()), Some(custom));
        assert_eq!(
            NoteTypeChoice::parse("cloze"),
            Some(NoteTypeChoice::Builtin(BuiltinNoteType::Cloze))
        );
        assert_eq!(NoteTypeChoice::parse("nonsense"), None);
    }
}
