//! Card templates: how a note's fields become the front and back of its cards.
//!
//! Templates use Anki's placeholders: `{{Field}}`, `{{FrontSide}}` on the
//! back, `{{cloze:Field}}` for cloze notes and `{{type:Field}}` for a
//! type-the-answer box. Field values arrive already rendered and sanitised;
//! templates come from note types, whose text is sanitised again after
//! substitution.

use serde::{Deserialize, Serialize};

use super::cloze::{self, ClozeError};

/// Each card renders the whole note, so the number of cards bounds the work
/// one note can cause.
pub const MAX_CARDS_PER_NOTE: usize = 100;

/// Whether a note type makes one card per template or one per cloze number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "note_kind", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    Standard,
    Cloze,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTemplate {
    pub name: String,
    pub front: String,
    pub back: String,
}

/// The shape of a note: its named fields and the templates of its cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteShape {
    pub kind: NoteKind,
    pub fields: Vec<String>,
    pub templates: Vec<CardTemplate>,
}

/// One card to store: `ordinal` is the template index for standard notes and
/// the cloze number for cloze notes, so an edit can match a card to the
/// card it replaces and keep that card's review history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCard {
    pub ordinal: i16,
    pub front_html: String,
    pub back_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardGenerationError {
    #[error("This note would make no card: fill in the fields its cards ask about.")]
    NoCards,
    #[error("This cloze note has no deletion: mark text to hide like {{{{c1::this}}}}.")]
    NoClozeDeletions,
    #[error(transparent)]
    Cloze(#[from] ClozeError),
    #[error("One note can make at most {MAX_CARDS_PER_NOTE} cards; split it into several notes.")]
    TooManyCards,
    #[error("Cloze numbers go up to 32767: c{0} is too large.")]
    ClozeNumberTooLarge(u16),
    /// A field's content could not be rendered (for example a broken formula).
    #[error("{0}")]
    Render(String),
}

/// The cards a note makes.
///
/// `sources` are the fields as written (cloze syntax is read from them) and
/// `render` turns Markdown into sanitised HTML; both are indexed like
/// `shape.fields`.
pub fn generate_cards<E: std::fmt::Display>(
    shape: &NoteShape,
    sources: &[String],
    render: impl Fn(&str) -> Result<String, E>,
) -> Result<Vec<GeneratedCard>, CardGenerationError> {
    let render = |text: &str| render(text).map_err(|error| CardGenerationError::Render(error.to_string()));
    let rendered = sources
        .iter()
        .map(|source| render(source))
        .collect::<Result<Vec<_>, _>>()?;
    match shape.kind {
        NoteKind::Standard => standard_cards(shape, &rendered),
        NoteKind::Cloze => cloze_cards(shape, sources, &rendered, render),
    }
}

fn standard_cards(shape: &NoteShape, rendered: &[String]) -> Result<Vec<GeneratedCard>, CardGenerationError> {
    let mut cards = Vec::new();
    for (index, template) in shape.templates.iter().enumerate() {
        // As in Anki, a card whose front asks about nothing is not made.
        let front_fields_filled = referenced_fields(&template.front)
            .filter_map(|name| field_value(shape, rendered, name))
            .any(|value| !value.trim().is_empty());
        if !front_fields_filled {
            continue;
        }
        let front = fill(&template.front, shape, rendered, "");
        let back = fill(&template.back, shape, rendered, &front);
        cards.push(GeneratedCard {
            ordinal: index as i16,
            front_html: front,
            back_html: back,
        });
    }
    if cards.is_empty() {
        Err(CardGenerationError::NoCards)
    } else {
        Ok(cards)
    }
}

fn cloze_cards(
    shape: &NoteShape,
    sources: &[String],
    rendered: &[String],
    render: impl Fn(&str) -> Result<String, CardGenerationError>,
) -> Result<Vec<GeneratedCard>, CardGenerationError> {
    let Some(template) = shape.templates.first() else {
        return Err(CardGenerationError::NoCards);
    };
    // The field whose deletions make the cards: the first `{{cloze:…}}`.
    let Some(cloze_field) = referenced_placeholders(&template.front).find_map(|p| p.strip_prefix("cloze:"))
    else {
        return Err(CardGenerationError::NoCards);
    };
    let Some(cloze_index) = shape.fields.iter().position(|name| name == cloze_field) else {
        return Err(CardGenerationError::NoCards);
    };
    let source = &sources[cloze_index];
    let numbers = cloze::cloze_numbers(source)?;
    if numbers.is_empty() {
        return Err(CardGenerationError::NoClozeDeletions);
    }
    // Checked before rendering: each card renders the whole note.
    if numbers.len() > MAX_CARDS_PER_NOTE {
        return Err(CardGenerationError::TooManyCards);
    }
    let mut cards = Vec::new();
    for number in numbers {
        let front_text = cloze::render_front(source, number)?;
        let back_text = cloze::render_back(source, number)?;
        let cloze_front = render(&front_text)?;
        let cloze_back = render(&back_text)?;
        let front = fill_with_cloze(&template.front, shape, rendered, "", cloze_field, &cloze_front);
        let back = fill_with_cloze(&template.back, shape, rendered, &front, cloze_field, &cloze_back);
        let ordinal = i16::try_from(number).map_err(|_| CardGenerationError::ClozeNumberTooLarge(number))?;
        cards.push(GeneratedCard {
            ordinal,
            front_html: front,
            back_html: back,
        });
    }
    Ok(cards)
}

/// The text inside each `{{…}}` of a template, trimmed.
pub fn referenced_placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(inside, _)| inside.trim()))
}

/// Field names a template shows, including through `cloze:` and `type:`.
fn referenced_fields(template: &str) -> impl Iterator<Item = &str> {
    referenced_placeholders(template).map(|placeholder| {
        placeholder
            .strip_prefix("cloze:")
            .or_else(|| placeholder.strip_prefix("type:"))
            .unwrap_or(placeholder)
    })
}

fn field_value<'a>(shape: &NoteShape, rendered: &'a [String], name: &str) -> Option<&'a str> {
    shape
        .fields
        .iter()
        .position(|field| field == name)
        .and_then(|index| rendered.get(index))
        .map(String::as_str)
}

fn fill(template: &str, shape: &NoteShape, rendered: &[String], front_side: &str) -> String {
    fill_with_cloze(template, shape, rendered, front_side, "", "")
}

fn fill_with_cloze(
    template: &str,
    shape: &NoteShape,
    rendered: &[String],
    front_side: &str,
    cloze_field: &str,
    cloze_html: &str,
) -> String {
    let mut output = String::with_capacity(template.len() + rendered.iter().map(String::len).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        output.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            output.push_str(&rest[start..]);
            return output;
        };
        let placeholder = after[..end].trim();
        match placeholder {
            "FrontSide" => output.push_str(front_side),
            _ if placeholder.strip_prefix("cloze:") == Some(cloze_field) && !cloze_field.is_empty() => {
                output.push_str(cloze_html)
            }
            _ if placeholder.starts_with("type:") => {
                // A marker the review screen turns into an answer box.
                output.push_str("<span class=\"type-answer\"></span>")
            }
            name => output.push_str(field_value(shape, rendered, name).unwrap_or_default()),
        }
        rest = &after[end + 2..];
    }
    output.push_str(rest);
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(text: &str) -> Result<String, std::convert::Infallible> {
        Ok(format!("<p>{text}</p>"))
    }

    fn basic_and_reversed() -> NoteShape {
        NoteShape {
            kind: NoteKind::Standard,
            fields: vec!["Front".into(), "Back".into()],
            templates: vec![
                CardTemplate {
                    name: "Card 1".into(),
                    front: "{{Front}}".into(),
                    back: "{{FrontSide}}<hr>{{Back}}".into(),
                },
                CardTemplate {
                    name: "Card 2".into(),
                    front: "{{Back}}".into(),
                    back: "{{FrontSide}}<hr>{{Front}}".into(),
                },
            ],
        }
    }

    fn cloze_shape() -> NoteShape {
        NoteShape {
            kind: NoteKind::Cloze,
            fields: vec!["Text".into(), "Extra".into()],
            templates: vec![CardTemplate {
                name: "Cloze".into(),
                front: "{{cloze:Text}}".into(),
                back: "{{cloze:Text}}<br>{{Extra}}".into(),
            }],
        }
    }

    #[test]
    fn a_reversed_note_makes_one_card_each_way() {
        let cards =
            generate_cards(&basic_and_reversed(), &["hola".into(), "hello".into()], identity).unwrap();
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].front_html, "<p>hola</p>");
        assert_eq!(cards[0].back_html, "<p>hola</p><hr><p>hello</p>");
        assert_eq!(cards[1].ordinal, 1);
        assert_eq!(cards[1].front_html, "<p>hello</p>");
    }

    #[test]
    fn a_card_whose_front_is_empty_is_not_made() {
        let render = |text: &str| -> Result<String, std::convert::Infallible> { Ok(text.to_owned()) };
        let cards = generate_cards(&basic_and_reversed(), &["hola".into(), "  ".into()], render).unwrap();
        assert_eq!(cards.iter().map(|card| card.ordinal).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn a_note_that_would_make_no_card_is_an_error() {
        let render = |text: &str| -> Result<String, std::convert::Infallible> { Ok(text.to_owned()) };
        let outcome = generate_cards(&basic_and_reversed(), &["".into(), "".into()], render);
        assert_eq!(outcome, Err(CardGenerationError::NoCards));
    }

    #[test]
    fn a_cloze_note_makes_one_card_per_number() {
        let sources = [
            "{{c1::Canberra}} is the capital of {{c2::Australia}}".into(),
            "Since 1913".into(),
        ];
        let cards = generate_cards(&cloze_shape(), &sources, identity).unwrap();
        assert_eq!(cards.iter().map(|card| card.ordinal).collect::<Vec<_>>(), [1, 2]);
        assert!(cards[0].front_html.contains("[...]") && cards[0].front_html.contains("Australia"));
        assert!(cards[1].back_html.contains("Since 1913"));
    }

    #[test]
    fn a_cloze_note_without_deletions_is_an_error() {
        let outcome = generate_cards(&cloze_shape(), &["plain".into(), "".into()], identity);
        assert_eq!(outcome, Err(CardGenerationError::NoClozeDeletions));
    }

    #[test]
    fn malformed_cloze_is_reported() {
        let outcome = generate_cards(&cloze_shape(), &["{{c1::open".into(), "".into()], identity);
        assert!(matches!(
            outcome,
            Err(CardGenerationError::Cloze(ClozeError::Unclosed { position: 1 }))
        ));
    }

    #[test]
    fn a_type_in_placeholder_becomes_an_answer_box_marker() {
        let shape = NoteShape {
            kind: NoteKind::Standard,
            fields: vec!["Front".into(), "Back".into()],
            templates: vec![CardTemplate {
                name: "Card 1".into(),
                front: "{{Front}}{{type:Back}}".into(),
                back: "{{FrontSide}}<hr>{{Back}}".into(),
            }],
        };
        let cards = generate_cards(&shape, &["2 + 2".into(), "4".into()], identity).unwrap();
        assert!(cards[0]
            .front_html
            .contains("<span class=\"type-answer\"></span>"));
    }
}
