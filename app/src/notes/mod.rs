//! Notes: the facts a teacher or learner writes, from which cards are made.

pub mod api;
pub mod builtin;
pub mod cloze;
pub mod template;

#[cfg(feature = "ssr")]
pub mod db;

use uuid::Uuid;

/// A note as listed on its deck's page: the front of its first card.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoteListItem {
    pub id: Uuid,
    pub note_type_name: String,
    pub front_html: String,
    pub card_count: i64,
    pub tags: Vec<String>,
}

#[cfg(feature = "ssr")]
pub use self::render::{render_cards, render_note};

#[cfg(feature = "ssr")]
mod render {
    use super::{
        api::MAX_FIELD_BYTES,
        builtin::BuiltinNoteType,
        template::{generate_cards, GeneratedCard, NoteShape},
    };
    use crate::{
        content::{render_markdown, sanitise_html},
        error::AppError,
    };

    /// [`render_note`] for a built-in note type.
    pub fn render_cards(
        note_type: BuiltinNoteType,
        fields: &[String],
    ) -> Result<Vec<GeneratedCard>, AppError> {
        render_note(&note_type.shape(), fields)
    }

    /// Validates and renders a note's fields into its cards. Every problem
    /// is reported against the field that causes it.
    pub fn render_note(shape: &NoteShape, fields: &[String]) -> Result<Vec<GeneratedCard>, AppError> {
        if fields.len() != shape.fields.len() {
            return Err(AppError::BadRequest(format!(
                "this note type has {} fields, not {}",
                shape.fields.len(),
                fields.len()
            )));
        }
        // Each field is rendered once here; card generation reuses the result
        // (a highlighted code block costs a quarter of a millisecond).
        let mut rendered_fields = std::collections::HashMap::with_capacity(fields.len());
        for (name, value) in shape.fields.iter().zip(fields) {
            if value.contains('\0') {
                return Err(AppError::field(
                    name,
                    "This field contains a character that cannot be stored.",
                ));
            }
            if value.len() > MAX_FIELD_BYTES {
                return Err(AppError::field(
                    name,
                    format!("This field is too long: at most {} KiB.", MAX_FIELD_BYTES / 1024),
                ));
            }
            // Rendering each field first ties a broken formula to its field.
            let html = render_markdown(value).map_err(|error| AppError::field(name, error.0))?;
            rendered_fields.insert(value.as_str(), html);
        }
        let render = |text: &str| match rendered_fields.get(text) {
            Some(html) => Ok(html.clone()),
            None => render_markdown(text),
        };
        let first_field = &shape.fields[0];
        // Card-level problems (no card, malformed cloze) concern the first
        // field: the one that decides what is asked.
        let mut cards = generate_cards(shape, fields, render)
            .map_err(|error| AppError::field(first_field, error.to_string()))?;
        // Templates are text too: sanitise the filled result, not only the fields.
        for card in &mut cards {
            card.front_html = sanitise_html(&card.front_html);
            card.back_html = sanitise_html(&card.back_html);
        }
        Ok(cards)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_basic_note_renders_markdown_on_both_sides() {
            let cards = render_cards(BuiltinNoteType::Basic, &["**hola**".into(), "hello".into()]).unwrap();
            assert_eq!(cards.len(), 1);
            assert!(cards[0].front_html.contains("<strong>hola</strong>"));
            assert!(cards[0].back_html.contains("<hr>"));
        }

        #[test]
        fn a_cloze_with_a_formula_renders_mathml_and_hides_the_deletion() {
            let text = r"Energy: {{c1::$E = mc^2$}} (Einstein, {{c2::1905}})";
            let cards = render_cards(BuiltinNoteType::Cloze, &[text.into(), String::new()]).unwrap();
            assert_eq!(cards.len(), 2);
            assert!(cards[0].front_html.contains("[...]"), "{}", cards[0].front_html);
            assert!(cards[0].back_html.contains("<math"), "{}", cards[0].back_html);
            assert!(cards[1].front_html.contains("<math"), "{}", cards[1].front_html);
        }

        #[test]
        fn an_oversized_field_is_a_field_error() {
            let huge = "a".repeat(MAX_FIELD_BYTES + 1);
            let error = render_cards(BuiltinNoteType::Basic, &["ok".into(), huge]).unwrap_err();
            assert!(error.field_message("Back").unwrap().contains("64 KiB"));
        }

        #[test]
        fn malformed_cloze_is_reported_on_the_text_field() {
            let error = render_cards(
                BuiltinNoteType::Cloze,
                &["{{c1::never closed".into(), String::new()],
            )
            .unwrap_err();
            assert!(error.field_message("Text").unwrap().contains("never closed"));
        }

        #[test]
        fn a_broken_formula_is_reported_on_its_field() {
            let error =
                render_cards(BuiltinNoteType::Basic, &["fine".into(), r"$\frac{1}$".into()]).unwrap_err();
            assert!(error.field_message("Back").is_some());
        }

        #[test]
        fn an_empty_note_is_a_field_error() {
            let error = render_cards(BuiltinNoteType::Basic, &[String::new(), String::new()]).unwrap_err();
            assert!(error.field_message("Front").unwrap().contains("no card"));
        }

        #[test]
        fn a_note_with_too_many_cloze_numbers_is_refused() {
            let text: String = (1..=101).map(|n| format!("{{{{c{n}::x}}}} ")).collect();
            let error = render_cards(BuiltinNoteType::Cloze, &[text, String::new()]).unwrap_err();
            assert!(error.field_message("Text").unwrap().contains("at most 100 cards"));
        }

        #[test]
        fn a_nul_character_is_a_field_error() {
            let error = render_cards(BuiltinNoteType::Basic, &["a\0b".into(), "x".into()]).unwrap_err();
            assert!(error.field_message("Front").is_some());
        }

        #[test]
        fn script_in_a_field_is_removed() {
            let cards = render_cards(
                BuiltinNoteType::Basic,
                &["<script>alert(1)</script>Hi".into(), "x".into()],
            )
            .unwrap();
            assert!(!cards[0].front_html.contains("<script"));
        }
    }
}
