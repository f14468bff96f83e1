//! Anki-compatible cloze deletions in note text.
//!
//! A cloze note hides parts of its text: `{{c1::Canberra}} is the capital of
//! {{c2::Australia::a country}}` produces one card per number. On card `N` the
//! deletions numbered `N` are hidden (shown as `[...]`, or `[hint]`) and every
//! other deletion shows its answer.
//!
//! The text is parsed once into a small tree and then rendered, instead of being
//! rewritten with regexes, so that nesting (`{{c1::a {{c2::b}}}}`) works and so
//! that malformed input is reported with a position rather than rendered oddly.
//! Everything here is pure (no I/O) so the same code runs on the server and in
//! the browser (wasm) to preview cards while a note is being edited.
//!
//! Parsing is a single left-to-right pass over the bytes. All the syntax
//! (`{`, `}`, `c`, digits, `:`) is ASCII, and an ASCII byte never occurs inside a
//! multi-byte UTF-8 sequence, so every slice boundary the parser takes is a char
//! boundary and slicing cannot panic. Positions in errors are converted to
//! character counts only when an error is produced.

use serde::{Deserialize, Serialize};

/// Deeper nesting than this is rejected: no real note needs it, and it keeps
/// rendering (which recurses once per level) bounded on hostile input.
const MAX_DEPTH: usize = 32;

/// The largest cloze number: a card's ordinal is stored as a `smallint`.
pub const MAX_CLOZE_NUMBER: u16 = i16::MAX as u16;

/// Why a note's cloze syntax could not be understood.
///
/// Every `position` is the 1-based number of the character (Unicode scalar
/// value, not byte) where the offending `{{` starts, exactly as shown in the
/// message, so the editor can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ClozeError {
    #[error("A cloze deletion starting at character {position} is never closed: add `}}}}`.")]
    Unclosed { position: usize },
    #[error("Cloze numbers start at 1: `{{{{c0::` is not allowed (at character {position}).")]
    ZeroNumber { position: usize },
    #[error(
        "The cloze number at character {position} is too large: the largest allowed is {}.",
        MAX_CLOZE_NUMBER
    )]
    NumberTooLarge { position: usize },
    #[error(
        "The cloze deletion starting at character {position} has an empty answer: \
         write the hidden text after `::`."
    )]
    EmptyAnswer { position: usize },
    #[error(
        "The cloze deletion starting at character {position} is nested too deeply: \
         at most {MAX_DEPTH} levels are allowed."
    )]
    TooDeep { position: usize },
    /// The hint is shown on the question side in place of the answer, so it
    /// cannot itself contain something to hide.
    #[error(
        "The hint of the cloze deletion starting at character {position} contains another \
         cloze deletion: a hint must be plain text."
    )]
    DeletionInHint { position: usize },
}

/// Parses text and returns the sorted, de-duplicated cloze numbers it contains.
///
/// Each number is one card. Errors on malformed input: an unclosed `{{cN::`, a
/// `c0`, a number that overflows `u16`, an empty answer `{{c1::}}`, nesting
/// deeper than 32 levels, or a deletion inside a hint. Text without any cloze
/// gives an empty list.
pub fn cloze_numbers(text: &str) -> Result<Vec<u16>, ClozeError> {
    fn collect(nodes: &[Node], out: &mut Vec<u16>) {
        for node in nodes {
            if let Node::Deletion(deletion) = node {
                out.push(deletion.number);
                collect(&deletion.answer, out);
            }
        }
    }
    let nodes = parse(text)?;
    let mut numbers = Vec::new();
    collect(&nodes, &mut numbers);
    numbers.sort_unstable();
    numbers.dedup();
    Ok(numbers)
}

/// The question side for card `number`: deletions with that number become
/// `[...]`, or `[hint]` when they have a hint, wrapped as
/// `<span class="cloze">[...]</span>`; all other deletions show their answer
/// text (with nested deletions resolved the same way).
///
/// A hidden deletion hides everything inside it, including nested deletions.
/// A `number` that does not occur in the text simply hides nothing.
pub fn render_front(text: &str, number: u16) -> Result<String, ClozeError> {
    let nodes = parse(text)?;
    let mut out = String::with_capacity(text.len());
    render(&nodes, number, Side::Front, &mut out);
    Ok(out)
}

/// The answer side for card `number`: deletions with that number show their
/// answer wrapped as `<span class="cloze">answer</span>`; other deletions show
/// their plain answer.
///
/// Answers are inserted verbatim (Markdown and HTML included), like the rest of
/// the note text; hints are not shown on the back.
pub fn render_back(text: &str, number: u16) -> Result<String, ClozeError> {
    let nodes = parse(text)?;
    let mut out = String::with_capacity(text.len() + 32);
    render(&nodes, number, Side::Back, &mut out);
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Text(String),
    Deletion(Deletion),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Deletion {
    number: u16,
    answer: Vec<Node>,
    /// `None` when there is no `::hint` or when the hint is blank, so that an
    /// accidental trailing `::` still shows the usual `[...]`.
    hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Front,
    Back,
}

fn render(nodes: &[Node], number: u16, side: Side, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Deletion(deletion) if deletion.number == number => {
                out.push_str(r#"<span class="cloze">"#);
                match side {
                    Side::Front => {
                        out.push('[');
                        out.push_str(deletion.hint.as_deref().unwrap_or("..."));
                        out.push(']');
                    }
                    Side::Back => render(&deletion.answer, number, side, out),
                }
                out.push_str("</span>");
            }
            Node::Deletion(deletion) => render(&deletion.answer, number, side, out),
        }
    }
}

/// What a deletion's body is made of before its closing `}}` is seen. The
/// top-level `::` separators are kept apart so that, once the body is
/// complete, the first one can split the answer from the hint.
enum Item {
    Node(Node),
    Separator,
}

/// A deletion whose `}}` has not been reached yet.
struct Open {
    number: u16,
    /// Byte offset of its `{{`, for error messages.
    start: usize,
    items: Vec<Item>,
}

/// The result of looking for `{{c<digits>::` at some byte offset.
enum Opener {
    /// Not an opener: the `{{` is ordinary text.
    None,
    /// A valid opener for `number`, `len` bytes long.
    Valid { number: u16, len: usize },
    /// Looks like an opener but the number is 0.
    Zero,
    /// Looks like an opener but the number does not fit in a `u16`.
    TooLarge,
}

fn match_opener(bytes: &[u8], at: usize) -> Opener {
    let rest = &bytes[at..];
    if !rest.starts_with(b"{{c") {
        return Opener::None;
    }
    let digits = rest[3..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || !rest[3 + digits..].starts_with(b"::") {
        return Opener::None;
    }
    // `None` once the value no longer fits; the digits are still all consumed
    // above, so a huge number costs one pass and is reported, not misread.
    let number = rest[3..3 + digits].iter().try_fold(0u16, |acc, digit| {
        acc.checked_mul(10)?.checked_add(u16::from(digit - b'0'))
    });
    match number {
        None => Opener::TooLarge,
        Some(number) if number > MAX_CLOZE_NUMBER => Opener::TooLarge,
        Some(0) => Opener::Zero,
        Some(number) => Opener::Valid {
            number,
            len: 3 + digits + 2,
        },
    }
}

/// 1-based character number of the character starting at byte `byte`.
fn char_position(text: &str, byte: usize) -> usize {
    text[..byte].chars().count() + 1
}

/// Parses `text` into a tree, in one pass with an explicit stack of open
/// deletions (no recursion, so input nesting cannot overflow the call stack).
///
/// Outside a deletion, `}}` and `::` are ordinary text. Inside one, the first
/// `}}` closes the innermost open deletion, as in Anki.
fn parse(text: &str) -> Result<Vec<Node>, ClozeError> {
    let bytes = text.as_bytes();
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // Start of the pending run of ordinary text.
    let mut text_start = 0;
    let mut i = 0;

    // Moves the pending text `text[text_start..end]` into the innermost open
    // deletion, or the root. `end` is always the offset of an ASCII syntax byte
    // or the end of the text, hence a char boundary.
    fn flush(text: &str, text_start: usize, end: usize, root: &mut Vec<Node>, stack: &mut [Open]) {
        if end > text_start {
            let node = Node::Text(text[text_start..end].to_owned());
            match stack.last_mut() {
                Some(open) => open.items.push(Item::Node(node)),
                None => root.push(node),
            }
        }
    }

    while i < bytes.len() {
        match bytes[i] {
            b'{' => match match_opener(bytes, i) {
                Opener::None => i += 1,
                Opener::Zero => {
                    return Err(ClozeError::ZeroNumber {
                        position: char_position(text, i),
                    })
                }
                Opener::TooLarge => {
                    return Err(ClozeError::NumberTooLarge {
                        position: char_position(text, i),
                    })
                }
                Opener::Valid { number, len } => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(ClozeError::TooDeep {
                            position: char_position(text, i),
                        });
                    }
                    flush(text, text_start, i, &mut root, &mut stack);
                    stack.push(Open {
                        number,
                        start: i,
                        items: Vec::new(),
                    });
                    i += len;
                    text_start = i;
                }
            },
            b'}' if !stack.is_empty() && bytes.get(i + 1) == Some(&b'}') => {
                flush(text, text_start, i, &mut root, &mut stack);
                if let Some(open) = stack.pop() {
                    let deletion = close(text, open)?;
                    match stack.last_mut() {
                        Some(parent) => parent.items.push(Item::Node(Node::Deletion(deletion))),
                        None => root.push(Node::Deletion(deletion)),
                    }
                }
                i += 2;
                text_start = i;
            }
            b':' if !stack.is_empty() && bytes.get(i + 1) == Some(&b':') => {
                flush(text, text_start, i, &mut root, &mut stack);
                if let Some(open) = stack.last_mut() {
                    open.items.push(Item::Separator);
                }
                i += 2;
                text_start = i;
            }
            _ => i += 1,
        }
    }

    // Report the outermost unclosed deletion: that is where the user's
    // deletion visibly begins, whatever happened inside it.
    if let Some(open) = stack.first() {
        return Err(ClozeError::Unclosed {
            position: char_position(text, open.start),
        });
    }
    flush(text, text_start, bytes.len(), &mut root, &mut stack);
    Ok(root)
}

/// Turns a completed body into a deletion: everything after the first
/// top-level `::` is the hint, as in Anki (whose pattern is
/// `{{c(\d+)::(.*?)(::(.*?))?}}`), so notes imported from Anki split the same way.
fn close(text: &str, open: Open) -> Result<Deletion, ClozeError> {
    let position = || char_position(text, open.start);
    let first_separator = open.items.iter().position(|item| matches!(item, Item::Separator));

    let mut items = open.items;
    let hint_items = match first_separator {
        Some(index) => {
            let hint_items = items.split_off(index + 1);
            items.pop(); // the separator itself
            hint_items
        }
        None => Vec::new(),
    };

    let mut hint = String::new();
    for item in hint_items {
        match item {
            Item::Node(Node::Text(part)) => hint.push_str(&part),
            Item::Node(Node::Deletion(_)) => return Err(ClozeError::DeletionInHint { position: position() }),
            // Only the first separator splits; later ones belong to the hint.
            Item::Separator => hint.push_str("::"),
        }
    }

    let answer: Vec<Node> = items
        .into_iter()
        .map(|item| match item {
            Item::Node(node) => node,
            Item::Separator => Node::Text("::".to_owned()),
        })
        .collect();
    let answer_is_blank = answer
        .iter()
        .all(|node| matches!(node, Node::Text(t) if t.trim().is_empty()));
    if answer_is_blank {
        return Err(ClozeError::EmptyAnswer { position: position() });
    }

    Ok(Deletion {
        number: open.number,
        answer,
        hint: (!hint.trim().is_empty()).then_some(hint),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIDDEN: &str = r#"<span class="cloze">[...]</span>"#;

    fn shown(answer: &str) -> String {
        format!(r#"<span class="cloze">{answer}</span>"#)
    }

    #[test]
    fn a_single_deletion_is_hidden_on_the_front_and_revealed_on_the_back() {
        let text = "{{c1::Canberra}} is the capital of Australia.";
        assert_eq!(cloze_numbers(text).unwrap(), vec![1]);
        assert_eq!(
            render_front(text, 1).unwrap(),
            format!("{HIDDEN} is the capital of Australia.")
        );
        assert_eq!(
            render_back(text, 1).unwrap(),
            format!("{} is the capital of Australia.", shown("Canberra"))
        );
    }

    #[test]
    fn a_hint_replaces_the_ellipsis_on_the_front() {
        let text = "{{c1::Canberra::city}} is the capital.";
        assert_eq!(
            render_front(text, 1).unwrap(),
            r#"<span class="cloze">[city]</span> is the capital."#
        );
        assert_eq!(
            render_back(text, 1).unwrap(),
            format!("{} is the capital.", shown("Canberra"))
        );
    }

    #[test]
    fn the_hint_starts_after_the_first_double_colon_as_in_anki() {
        let text = "{{c1::std::vec::module}}";
        assert_eq!(
            render_front(text, 1).unwrap(),
            r#"<span class="cloze">[vec::module]</span>"#
        );
        assert_eq!(render_back(text, 1).unwrap(), shown("std"));
    }

    #[test]
    fn a_blank_hint_still_shows_the_ellipsis() {
        assert_eq!(render_front("{{c1::x::}}", 1).unwrap(), HIDDEN);
    }

    #[test]
    fn deletions_with_different_numbers_make_one_card_each() {
        let text = "{{c2::Paris}} is in {{c1::France}}.";
        assert_eq!(cloze_numbers(text).unwrap(), vec![1, 2]);
        assert_eq!(render_front(text, 1).unwrap(), format!("Paris is in {HIDDEN}."));
        assert_eq!(render_front(text, 2).unwrap(), format!("{HIDDEN} is in France."));
        assert_eq!(
            render_back(text, 2).unwrap(),
            format!("{} is in France.", shown("Paris"))
        );
    }

    #[test]
    fn two_deletions_sharing_a_number_are_both_hidden_on_that_card() {
        let text = "{{c1::H}} and {{c1::O}} make {{c2::water}}.";
        assert_eq!(cloze_numbers(text).unwrap(), vec![1, 2]);
        assert_eq!(
            render_front(text, 1).unwrap(),
            format!("{HIDDEN} and {HIDDEN} make water.")
        );
        assert_eq!(
            render_back(text, 1).unwrap(),
            format!("{} and {} make water.", shown("H"), shown("O"))
        );
    }

    #[test]
    fn nested_deletions_render_correctly_on_both_cards() {
        let text = "{{c1::Canberra is the capital of {{c2::Australia}}}}.";
        assert_eq!(cloze_numbers(text).unwrap(), vec![1, 2]);
        assert_eq!(render_front(text, 1).unwrap(), format!("{HIDDEN}."));
        assert_eq!(
            render_back(text, 1).unwrap(),
            format!("{}.", shown("Canberra is the capital of Australia"))
        );
        assert_eq!(
            render_front(text, 2).unwrap(),
            format!("Canberra is the capital of {HIDDEN}.")
        );
        assert_eq!(
            render_back(text, 2).unwrap(),
            format!("Canberra is the capital of {}.", shown("Australia"))
        );
    }

    #[test]
    fn a_double_brace_that_is_not_a_cloze_stays_literal() {
        for text in [
            "{{Field}}",
            "{{c::x}}",
            "{{c1:x}}",
            "{{C1::x}}",
            "{{{c",
            "a }} b :: c",
        ] {
            assert_eq!(cloze_numbers(text).unwrap(), Vec::<u16>::new(), "{text}");
            assert_eq!(render_front(text, 1).unwrap(), text);
            assert_eq!(render_back(text, 1).unwrap(), text);
        }
        assert_eq!(render_front("{{{c1::x}}}", 1).unwrap(), format!("{{{HIDDEN}}}"));
    }

    #[test]
    fn markdown_and_html_inside_an_answer_are_preserved_verbatim() {
        let text = r#"{{c1::**bold** <a href="x">link</a> `a: b`}}"#;
        assert_eq!(
            render_back(text, 1).unwrap(),
            shown(r#"**bold** <a href="x">link</a> `a: b`"#)
        );
        assert_eq!(
            render_front(text, 2).unwrap(),
            r#"**bold** <a href="x">link</a> `a: b`"#
        );
    }

    #[test]
    fn text_without_any_cloze_gives_an_empty_number_list() {
        assert_eq!(cloze_numbers("Just a plain note.").unwrap(), Vec::<u16>::new());
        assert_eq!(cloze_numbers("").unwrap(), Vec::<u16>::new());
    }

    #[test]
    fn an_unclosed_deletion_is_reported_with_its_position() {
        let error = cloze_numbers("The capital is {{c1::Canberra").unwrap_err();
        assert_eq!(error, ClozeError::Unclosed { position: 16 });
        assert_eq!(
            error.to_string(),
            "A cloze deletion starting at character 16 is never closed: add `}}`."
        );
    }

    #[test]
    fn an_outer_deletion_left_open_around_a_closed_one_is_reported() {
        assert_eq!(
            cloze_numbers("{{c1::{{c1::x}}"),
            Err(ClozeError::Unclosed { position: 1 })
        );
    }

    #[test]
    fn cloze_number_zero_is_rejected() {
        let error = render_front("ab{{c0::x}}", 1).unwrap_err();
        assert_eq!(error, ClozeError::ZeroNumber { position: 3 });
        assert_eq!(
            error.to_string(),
            "Cloze numbers start at 1: `{{c0::` is not allowed (at character 3)."
        );
        assert_eq!(
            cloze_numbers("{{c000::x}}"),
            Err(ClozeError::ZeroNumber { position: 1 })
        );
    }

    #[test]
    fn a_cloze_number_beyond_what_a_card_can_store_is_rejected() {
        assert_eq!(cloze_numbers("{{c32767::x}}").unwrap(), vec![32767]);
        // One message for every number too large (65535 used to pass here,
        // then fail later with another limit).
        for number in ["32768", "65535", "65536"] {
            assert_eq!(
                cloze_numbers(&format!("{{{{c{number}::x}}}}")),
                Err(ClozeError::NumberTooLarge { position: 1 })
            );
        }
        let huge = format!("{{{{c{}::x}}}}", "9".repeat(10_000));
        assert_eq!(
            cloze_numbers(&huge),
            Err(ClozeError::NumberTooLarge { position: 1 })
        );
        assert_eq!(cloze_numbers("{{c007::x}}").unwrap(), vec![7]);
    }

    #[test]
    fn an_empty_answer_is_rejected() {
        let error = cloze_numbers("x {{c1::}}").unwrap_err();
        assert_eq!(error, ClozeError::EmptyAnswer { position: 3 });
        assert!(error.to_string().contains("empty answer"));
        assert_eq!(
            cloze_numbers("{{c1::::hint}}"),
            Err(ClozeError::EmptyAnswer { position: 1 })
        );
        assert_eq!(
            cloze_numbers("{{c1::  }}"),
            Err(ClozeError::EmptyAnswer { position: 1 })
        );
    }

    #[test]
    fn a_deletion_inside_a_hint_is_rejected() {
        assert_eq!(
            cloze_numbers("{{c1::a::{{c2::b}}}}"),
            Err(ClozeError::DeletionInHint { position: 1 })
        );
    }

    #[test]
    fn unicode_text_before_a_deletion_gives_character_positions_not_byte_positions() {
        // "Éléphant 🐘 " is 11 characters but 16 bytes.
        let error = cloze_numbers("Éléphant 🐘 {{c1::trompe").unwrap_err();
        assert_eq!(error, ClozeError::Unclosed { position: 12 });
        assert_eq!(
            render_back("été {{c1::ça}}", 1).unwrap(),
            format!("été {}", shown("ça"))
        );
    }

    #[test]
    fn nesting_is_capped_at_thirty_two_levels() {
        let nested = |depth: usize| format!("{}x{}", "{{c1::".repeat(depth), "}}".repeat(depth));
        assert_eq!(cloze_numbers(&nested(MAX_DEPTH)).unwrap(), vec![1]);
        assert_eq!(
            cloze_numbers(&nested(MAX_DEPTH + 1)),
            Err(ClozeError::TooDeep {
                position: 6 * MAX_DEPTH + 1
            })
        );
        // Far deeper input must fail cleanly, not overflow the stack.
        assert!(cloze_numbers(&nested(20_000)).is_err());
    }

    #[test]
    fn unbalanced_closing_braces_are_ordinary_text() {
        let text = "}} {{c1::a}}}} ::";
        assert_eq!(render_front(text, 1).unwrap(), format!("}}}} {HIDDEN}}}}} ::"));
    }

    #[test]
    fn a_card_number_that_does_not_occur_hides_nothing() {
        assert_eq!(render_front("{{c1::a}} b", 9).unwrap(), "a b");
        assert_eq!(render_back("{{c1::a}} b", 9).unwrap(), "a b");
    }

    #[test]
    fn large_input_is_handled_without_trouble() {
        let text = "{{c1::word}} and {{c2::more}} ".repeat(2_200); // about 64 KiB
        assert!(text.len() >= 64 * 1024);
        assert_eq!(cloze_numbers(&text).unwrap(), vec![1, 2]);
        assert!(render_front(&text, 2).unwrap().contains("word and "));
    }

    #[test]
    fn pseudo_random_input_never_panics_and_all_functions_agree() {
        const ALPHABET: [char; 7] = ['{', '}', 'c', '1', ':', 'a', 'é'];
        // Runs of the same characters that form syntax, so that a fair share of
        // the strings contain real (and nested) deletions, not just noise.
        const FRAGMENTS: [&str; 5] = ["{{c1::", "{{c11::", "}}", "::", "{{"];
        // Knuth's MMIX LCG: deterministic, good enough to explore the syntax.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let (mut parsed, mut with_deletions) = (0, 0);
        for _ in 0..500 {
            let len = next() % 24;
            let mut text = String::new();
            for _ in 0..len {
                if next() % 3 == 0 {
                    text.push_str(FRAGMENTS[next() % FRAGMENTS.len()]);
                } else {
                    text.push(ALPHABET[next() % ALPHABET.len()]);
                }
            }
            let numbers = cloze_numbers(&text);
            for number in [0, 1, 11] {
                let front = render_front(&text, number);
                let back = render_back(&text, number);
                assert_eq!(front.is_ok(), numbers.is_ok(), "{text:?}");
                assert_eq!(back.is_ok(), numbers.is_ok(), "{text:?}");
            }
            if let Ok(numbers) = numbers {
                parsed += 1;
                with_deletions += usize::from(!numbers.is_empty());
                assert!(numbers.windows(2).all(|pair| pair[0] < pair[1]), "{text:?}");
                assert!(!numbers.contains(&0), "{text:?}");
                // For a card number with no deletion, both sides show every
                // answer plainly and no cloze markup appears from nowhere.
                let front = render_front(&text, 0).unwrap();
                assert_eq!(front, render_back(&text, 0).unwrap(), "{text:?}");
                assert!(!front.contains("<span"), "{text:?}");
            }
        }
        assert!(
            parsed >= 50 && with_deletions >= 20,
            "{parsed} parsed, {with_deletions} with deletions"
        );
    }
}
