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

/// The most HTML one side of a card may come to. A template can repeat a
/// field or `{{FrontSide}}`, so without a cap a 64 KiB field (which Markdown
/// and MathML can grow several times over) multiplies without bound: one
/// preview once asked for 1.7 GB. 256 KiB holds every field of a note shown
/// twice over with room to spare; a side larger than that is not a card
/// anyone can review, and it is what the review screen has to load at once.
pub const MAX_CARD_SIDE_BYTES: usize = 256 * 1024;

/// The most HTML all of a note's cards may come to together: a cloze note
/// with 100 deletions of a 5 KiB text stays well inside it. It bounds the
/// rendering work of one preview or save (a cloze note renders its text
/// again for every card) and the rows one note stores, and matches the
/// 2 MiB request body limit a preview's answer mirrors.
pub const MAX_NOTE_HTML_BYTES: usize = 2 * 1024 * 1024;

/// The most placeholders one side of a template may hold: each of the 32
/// fields a type may have, twice. Checked when a type is saved; the size
/// caps above still bound types saved before it.
pub const MAX_PLACEHOLDERS_PER_TEMPLATE: usize = 64;

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

/// A side of a card, as named in the note-type form (`template_0_front`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSide {
    Front,
    Back,
}

impl CardSide {
    pub fn as_str(self) -> &'static str {
        match self {
            CardSide::Front => "front",
            CardSide::Back => "back",
        }
    }
}

/// Which card grew past [`MAX_CARD_SIDE_BYTES`]: enough to name it to a note's
/// author and to put the message on the template that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OversizedCard {
    /// Index of the template in `NoteShape::templates`.
    pub template_index: usize,
    pub template_name: String,
    /// The cloze number, for a cloze note.
    pub cloze: Option<u16>,
    pub side: CardSide,
}

impl std::fmt::Display for OversizedCard {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let card = match self.cloze {
            Some(number) => format!("The card for c{number}"),
            None => format!("Card “{}”", self.template_name),
        };
        write!(
            formatter,
            "{card} would be too large: its {} comes to more than {} KiB. \
             Shorten the fields it shows, or show them fewer times.",
            self.side.as_str(),
            MAX_CARD_SIDE_BYTES / 1024
        )
    }
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
    #[error("{0}")]
    CardTooLarge(OversizedCard),
    #[error(
        "This note's cards would come to more than {} MiB together; split it into several notes.",
        MAX_NOTE_HTML_BYTES / (1024 * 1024)
    )]
    NoteTooLarge,
}

/// The cards a note makes.
///
/// `sources` are the fields as written (cloze syntax is read from them) and
/// `render` turns Markdown into sanitised HTML; both are indexed like
/// `shape.fields`.
///
/// # Errors
/// Besides a note that makes no card or malformed cloze syntax, a card side
/// past [`MAX_CARD_SIDE_BYTES`] or cards past [`MAX_NOTE_HTML_BYTES`] in all.
/// Both are detected while a side is being filled in, before the oversized
/// text exists, and no further card is rendered.
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
    let mut budget = NoteBudget {
        remaining_bytes: MAX_NOTE_HTML_BYTES,
    };
    match shape.kind {
        NoteKind::Standard => standard_cards(shape, &rendered, &mut budget),
        NoteKind::Cloze => cloze_cards(shape, sources, &rendered, render, &mut budget),
    }
}

/// What is left of [`MAX_NOTE_HTML_BYTES`] while a note's cards are filled in.
struct NoteBudget {
    remaining_bytes: usize,
}

impl NoteBudget {
    /// The most bytes the next side may take.
    fn side_limit(&self) -> usize {
        MAX_CARD_SIDE_BYTES.min(self.remaining_bytes)
    }

    /// Accounts for a side that was filled in, or says which cap it passed.
    fn spend(
        &mut self,
        filled: Result<String, LimitReached>,
        card: impl FnOnce() -> OversizedCard,
    ) -> Result<String, CardGenerationError> {
        match filled {
            Ok(html) => {
                self.remaining_bytes -= html.len();
                Ok(html)
            }
            // The side itself may be within its cap, but the note is not.
            Err(LimitReached) if self.remaining_bytes < MAX_CARD_SIDE_BYTES => {
                Err(CardGenerationError::NoteTooLarge)
            }
            Err(LimitReached) => Err(CardGenerationError::CardTooLarge(card())),
        }
    }
}

fn standard_cards(
    shape: &NoteShape,
    rendered: &[String],
    budget: &mut NoteBudget,
) -> Result<Vec<GeneratedCard>, CardGenerationError> {
    let mut cards = Vec::new();
    for (index, template) in shape.templates.iter().enumerate() {
        // As in Anki, a card whose front asks about nothing is not made.
        let front_fields_filled = referenced_fields(&template.front)
            .filter_map(|name| field_value(shape, rendered, name))
            .any(|value| !value.trim().is_empty());
        if !front_fields_filled {
            continue;
        }
        let oversized = |side| OversizedCard {
            template_index: index,
            template_name: template.name.clone(),
            cloze: None,
            side,
        };
        let front = fill(&template.front, shape, rendered, "", budget.side_limit());
        let front = budget.spend(front, || oversized(CardSide::Front))?;
        let back = fill(&template.back, shape, rendered, &front, budget.side_limit());
        let back = budget.spend(back, || oversized(CardSide::Back))?;
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
    budget: &mut NoteBudget,
) -> Result<Vec<GeneratedCard>, CardGenerationError> {
    let Some(template) = shape.templates.first() else {
        return Err(CardGenerationError::NoCards);
    };
    // The field whose deletions make the cards: the first `{{cloze:…}}`.
    let Some(cloze_field) = cloze_field_of(&template.front) else {
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
        let oversized = |side| OversizedCard {
            template_index: 0,
            template_name: template.name.clone(),
            cloze: Some(number),
            side,
        };
        let front_text = cloze::render_front(source, number)?;
        let back_text = cloze::render_back(source, number)?;
        let cloze_front = render(&front_text)?;
        let front = fill_with_cloze(
            &template.front,
            shape,
            rendered,
            "",
            (cloze_field, &cloze_front),
            budget.side_limit(),
        );
        let front = budget.spend(front, || oversized(CardSide::Front))?;
        let cloze_back = render(&back_text)?;
        let back = fill_with_cloze(
            &template.back,
            shape,
            rendered,
            &front,
            (cloze_field, &cloze_back),
            budget.side_limit(),
        );
        let back = budget.spend(back, || oversized(CardSide::Back))?;
        let ordinal = i16::try_from(number).map_err(|_| CardGenerationError::ClozeNumberTooLarge(number))?;
        cards.push(GeneratedCard {
            ordinal,
            front_html: front,
            back_html: back,
        });
    }
    Ok(cards)
}

/// A template read as its text and its placeholders, in order. Checking a
/// template and filling it in both read it through this, so a template is
/// never accepted as naming one field and then filled in with another
/// (`{{{{Front}}}}` was checked as `{{Front}}` and filled in as `}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    /// The text inside a `{{…}}`, trimmed.
    Placeholder(&'a str),
}

/// Splits `template` into pieces: a placeholder runs from a `{{` to the
/// first `}}` after it; a `{{` with no `}}` after it is text.
fn pieces(template: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = template;
    let mut placeholder_next = None;
    std::iter::from_fn(move || {
        if let Some(placeholder) = placeholder_next.take() {
            return Some(Piece::Placeholder(placeholder));
        }
        if rest.is_empty() {
            return None;
        }
        let Some((text, placeholder, after)) = rest.find("{{").and_then(|start| {
            let inside = &rest[start + 2..];
            let end = inside.find("}}")?;
            Some((&rest[..start], inside[..end].trim(), &inside[end + 2..]))
        }) else {
            return Some(Piece::Text(std::mem::take(&mut rest)));
        };
        rest = after;
        if text.is_empty() {
            Some(Piece::Placeholder(placeholder))
        } else {
            placeholder_next = Some(placeholder);
            Some(Piece::Text(text))
        }
    })
}

/// The first `{{` with no `}}` after it, and what follows it (at most a
/// few words): filled in, it would be text, so a side meant to show a field
/// would show none.
pub fn unclosed_placeholder(template: &str) -> Option<&str> {
    pieces(template).find_map(|piece| match piece {
        Piece::Text(text) => text.find("{{").map(|start| {
            let rest = &text[start..];
            let end = rest.char_indices().nth(24).map_or(rest.len(), |(index, _)| index);
            rest[..end].trim_end()
        }),
        Piece::Placeholder(_) => None,
    })
}

/// The text inside each `{{…}}` of a template, trimmed.
pub fn referenced_placeholders(template: &str) -> impl Iterator<Item = &str> {
    pieces(template).filter_map(|piece| match piece {
        Piece::Placeholder(placeholder) => Some(placeholder),
        Piece::Text(_) => None,
    })
}

/// A placeholder's prefix (`cloze`, `type`, or none: "") and the name after
/// it, trimmed: `cloze: Text` is `("cloze", "Text")`, `Front` is `("", "Front")`.
pub fn placeholder_parts(placeholder: &str) -> (&str, &str) {
    match placeholder.split_once(':') {
        Some((prefix, name)) => (prefix, name.trim()),
        None => ("", placeholder),
    }
}

/// The field a template's `{{cloze:…}}` makes its deletions from, if any.
fn cloze_field_of(template: &str) -> Option<&str> {
    referenced_placeholders(template).find_map(|placeholder| match placeholder_parts(placeholder) {
        ("cloze", name) => Some(name),
        _ => None,
    })
}

/// Field names a template shows, including through `cloze:` and `type:`.
fn referenced_fields(template: &str) -> impl Iterator<Item = &str> {
    referenced_placeholders(template).map(|placeholder| match placeholder_parts(placeholder) {
        ("cloze" | "type", name) => name,
        _ => placeholder,
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

/// Filling in a side would pass `limit`; nothing past it was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LimitReached;

/// Text being built that refuses to grow past `limit` bytes.
struct CappedHtml {
    html: String,
    limit: usize,
}

impl CappedHtml {
    fn push(&mut self, text: &str) -> Result<(), LimitReached> {
        if self.html.len() + text.len() > self.limit {
            return Err(LimitReached);
        }
        self.html.push_str(text);
        Ok(())
    }
}

fn fill(
    template: &str,
    shape: &NoteShape,
    rendered: &[String],
    front_side: &str,
    limit: usize,
) -> Result<String, LimitReached> {
    fill_with_cloze(template, shape, rendered, front_side, ("", ""), limit)
}

/// `template` with its placeholders replaced, at most `limit` bytes long.
/// `cloze` is the cloze field's name and this card's rendering of it.
fn fill_with_cloze(
    template: &str,
    shape: &NoteShape,
    rendered: &[String],
    front_side: &str,
    (cloze_field, cloze_html): (&str, &str),
    limit: usize,
) -> Result<String, LimitReached> {
    let likely_len = template.len() + rendered.iter().map(String::len).sum::<usize>();
    let mut output = CappedHtml {
        html: String::with_capacity(likely_len.min(limit)),
        limit,
    };
    for piece in pieces(template) {
        let placeholder = match piece {
            Piece::Text(text) => {
                output.push(text)?;
                continue;
            }
            Piece::Placeholder(placeholder) => placeholder,
        };
        match placeholder_parts(placeholder) {
            _ if placeholder == "FrontSide" => output.push(front_side)?,
            ("cloze", name) if name == cloze_field && !cloze_field.is_empty() => output.push(cloze_html)?,
            // A marker the review screen turns into an answer box.
            ("type", _) => output.push("<span class=\"type-answer\"></span>")?,
            _ => output.push(field_value(shape, rendered, placeholder).unwrap_or_default())?,
        }
    }
    Ok(output.html)
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

    fn plain(text: &str) -> Result<String, std::convert::Infallible> {
        Ok(text.to_owned())
    }

    fn one_template(front: &str, back: &str) -> NoteShape {
        NoteShape {
            kind: NoteKind::Standard,
            fields: vec!["Front".into(), "Back".into()],
            templates: vec![
                CardTemplate {
                    name: "Small".into(),
                    front: "{{Front}}".into(),
                    back: "{{Back}}".into(),
                },
                CardTemplate {
                    name: "Echo".into(),
                    front: front.into(),
                    back: back.into(),
                },
            ],
        }
    }

    #[test]
    fn a_template_repeating_a_large_field_stops_at_the_side_cap() {
        // 64 KiB shown 1,000 times would be 64 MB; the cap stops it at 256 KiB.
        let shape = one_template(&"{{Front}}".repeat(1000), "{{Back}}");
        let field = "a".repeat(64 * 1024);
        let outcome = generate_cards(&shape, &[field, "b".into()], plain);
        let Err(CardGenerationError::CardTooLarge(card)) = outcome else {
            panic!("expected CardTooLarge, got {outcome:?}");
        };
        assert_eq!(
            (card.template_index, card.side, card.cloze),
            (1, CardSide::Front, None)
        );
        assert!(
            card.to_string()
                .starts_with("Card “Echo” would be too large: its front"),
            "{card}"
        );
    }

    #[test]
    fn a_back_repeating_the_front_side_stops_at_the_side_cap() {
        let shape = one_template("{{Front}}", &"{{FrontSide}}".repeat(20));
        let field = "a".repeat(20 * 1024);
        let outcome = generate_cards(&shape, &[field, "b".into()], plain);
        assert!(
            matches!(&outcome, Err(CardGenerationError::CardTooLarge(card)) if card.side == CardSide::Back),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_side_exactly_at_the_cap_is_made() {
        let shape = one_template("{{Front}}{{Front}}", "{{Back}}");
        let field = "a".repeat(MAX_CARD_SIDE_BYTES / 2);
        let cards = generate_cards(&shape, &[field, "b".into()], plain).unwrap();
        assert_eq!(cards[1].front_html.len(), MAX_CARD_SIDE_BYTES);
    }

    #[test]
    fn cards_past_the_note_cap_together_are_refused() {
        // 40 deletions of a 30 KiB text: each side is within its cap, but
        // 80 sides of 30 KiB pass the note's 2 MiB.
        let padding = "x".repeat(30 * 1024);
        let text: String = (1..=40).map(|n| format!("{{{{c{n}::a}}}} ")).collect::<String>() + &padding;
        let outcome = generate_cards(&cloze_shape(), &[text, String::new()], plain);
        assert_eq!(outcome, Err(CardGenerationError::NoteTooLarge));
    }

    #[test]
    fn an_oversized_cloze_card_is_named_by_its_number() {
        let text = format!("{{{{c7::{}}}}}", "a".repeat(MAX_CARD_SIDE_BYTES));
        let outcome = generate_cards(&cloze_shape(), &[text, String::new()], plain);
        let Err(CardGenerationError::CardTooLarge(card)) = outcome else {
            panic!("expected CardTooLarge, got {outcome:?}");
        };
        assert_eq!(card.cloze, Some(7));
        assert!(
            card.to_string().starts_with("The card for c7 would be too large"),
            "{card}"
        );
    }

    #[test]
    fn capped_text_refuses_to_grow_past_its_limit() {
        let mut html = CappedHtml {
            html: String::new(),
            limit: 4,
        };
        assert_eq!(html.push("abc"), Ok(()));
        assert_eq!(html.push("de"), Err(LimitReached));
        assert_eq!(html.html, "abc", "nothing past the limit was written");
        assert_eq!(html.push("d"), Ok(()));
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

    #[test]
    fn a_template_is_read_as_text_and_placeholders_in_order() {
        use Piece::{Placeholder, Text};
        let read = |template| pieces(template).collect::<Vec<_>>();
        assert_eq!(
            read("<b>{{ Front }}</b>{{FrontSide}}"),
            [
                Text("<b>"),
                Placeholder("Front"),
                Text("</b>"),
                Placeholder("FrontSide")
            ]
        );
        // Each `{{` runs to the first `}}` after it, whatever it holds.
        assert_eq!(read("{{{{Front}}}}"), [Placeholder("{{Front"), Text("}}")]);
        assert_eq!(read("a {{Front"), [Text("a {{Front")]);
        assert_eq!(read(""), []);
    }

    #[test]
    fn a_prefixed_placeholder_names_its_field_with_or_without_a_space() {
        let shape = NoteShape {
            kind: NoteKind::Cloze,
            fields: vec!["Text".into(), "Answer".into()],
            templates: vec![CardTemplate {
                name: "Cloze".into(),
                front: "{{cloze: Text}}{{type: Answer}}".into(),
                back: "{{cloze: Text}}".into(),
            }],
        };
        let cards = generate_cards(
            &shape,
            &["{{c1::Paris}} is in France".into(), "Paris".into()],
            identity,
        )
        .unwrap();
        assert_eq!(cards.len(), 1);
        assert!(cards[0].back_html.contains("Paris"), "{}", cards[0].back_html);

        let typed = NoteShape {
            kind: NoteKind::Standard,
            fields: vec!["Front".into(), "Back".into()],
            templates: vec![CardTemplate {
                name: "Card 1".into(),
                front: "{{type: Front}}".into(),
                back: "{{Back}}".into(),
            }],
        };
        // The front asks for Front through its answer box, so the card is made.
        assert_eq!(
            generate_cards(&typed, &["hola".into(), "hello".into()], identity)
                .unwrap()
                .len(),
            1
        );
    }
}
