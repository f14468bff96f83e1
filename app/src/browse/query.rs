//! Parses what a learner types into the card browser's search box.
//!
//! The syntax is a deliberately small subset of Anki's search language, so
//! learners arriving from Anki can keep their habits while we only have to
//! support (and explain) a handful of forms:
//!
//! * `gato perro` — every word must appear on the card (terms are ANDed).
//! * `"buenos días"` — a quoted phrase is one term, spaces included.
//! * `deck:Spanish`, `deck:"Spanish words"`, `deck:Span*` — deck title;
//!   `*` matches any run of characters.
//! * `tag:verbs`, `tag:verb*` — tag; `*` matches any run of characters.
//! * `is:new`, `is:due` — card state; `is:suspended`, `is:buried` — cards
//!   the viewer set aside by hand (or a leech suspended), as in Anki.
//! * `-` in front of any of the above negates it: `-tag:verbs`, `-"a phrase"`.
//!
//! Left out on purpose, to keep the language small: `or`, parentheses, field
//! search (`front:...`) and backslash escapes outside quotes. `or` and
//! parentheses are therefore ordinary text.
//!
//! The parser only produces a [`CardQuery`]; matching happens later in SQL
//! with `ILIKE`, which is why values keep their original case and why
//! [`wildcard_to_like`] and [`contains_like`] live here next to the syntax
//! they translate.

use std::fmt;
use std::iter::Peekable;
use std::str::Chars;

/// Longer searches are almost certainly pasted by accident, and capping the
/// size keeps the generated SQL small.
const MAX_QUERY_CHARS: usize = 500;

/// Each term becomes one SQL condition; the cap keeps queries cheap.
const MAX_QUERY_TERMS: usize = 20;

/// What a single search term matches on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// The card's text contains this, ignoring case (see [`contains_like`]).
    Text(String),
    /// The deck title matches this pattern; `*` is any run of characters
    /// (see [`wildcard_to_like`]).
    Deck(String),
    /// One of the card's tags matches this pattern; `*` is any run of
    /// characters (see [`wildcard_to_like`]).
    Tag(String),
    /// The card has never been studied.
    IsNew,
    /// The card is due for review.
    IsDue,
    /// The viewer suspended the card (or it was suspended as a leech).
    IsSuspended,
    /// The viewer's card is buried until their next day.
    IsBuried,
}

/// One search term; a negated term keeps only cards that do *not* match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    pub filter: Filter,
}

/// A parsed search: a card is shown when it satisfies every term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardQuery {
    pub terms: Vec<Term>,
}

/// Why a search could not be understood, as a sentence for the learner; it is
/// shown next to the search box, so it says how to fix the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

/// Parses a search such as `gato -tag:verbs deck:"Spanish words" is:due`.
///
/// Never panics; every malformed input is reported as a [`QueryError`].
pub fn parse_card_query(input: &str) -> Result<CardQuery, QueryError> {
    let char_count = input.chars().count();
    if char_count > MAX_QUERY_CHARS {
        return Err(QueryError(format!(
            "This search is {char_count} characters long; please keep it to {MAX_QUERY_CHARS} characters or fewer."
        )));
    }

    let mut chars = input.chars().peekable();
    let mut terms = Vec::new();
    while let Some(raw_term) = read_raw_term(&mut chars)? {
        let Some(term) = interpret_raw_term(raw_term)? else {
            continue;
        };
        if terms.len() == MAX_QUERY_TERMS {
            return Err(QueryError(format!(
                "This search has more than {MAX_QUERY_TERMS} terms; please remove a few."
            )));
        }
        terms.push(term);
    }
    Ok(CardQuery { terms })
}

/// Turns an Anki wildcard pattern (`*` = any run) into a SQL ILIKE pattern, escaping `%`, `_` and `\` with backslash.
///
/// Backslash is PostgreSQL's default `LIKE` escape character, so the result
/// can be bound directly as the right-hand side of `ILIKE`. The pattern is
/// anchored: `Span*` matches `Spanish` but not `Old Spanish`, as in Anki.
pub fn wildcard_to_like(pattern: &str) -> String {
    let mut like = String::with_capacity(pattern.len());
    for character in pattern.chars() {
        if character == '*' {
            like.push('%');
        } else {
            push_like_escaped(&mut like, character);
        }
    }
    like
}

/// For free text: a substring ILIKE pattern `%text%` with `%`, `_`, `\` escaped.
///
/// `*` stays literal here: free text is plain substring search, so a learner
/// typing `50%` or `a_b` finds exactly that text.
pub fn contains_like(text: &str) -> String {
    let mut like = String::with_capacity(text.len() + 2);
    like.push('%');
    for character in text.chars() {
        push_like_escaped(&mut like, character);
    }
    like.push('%');
    like
}

/// Appends one character, escaped so that `LIKE` treats it literally.
fn push_like_escaped(like: &mut String, character: char) {
    if matches!(character, '%' | '_' | '\\') {
        like.push('\\');
    }
    like.push(character);
}

/// A term as written, before we decide what its prefix means.
struct RawTerm {
    negated: bool,
    /// The text before the first colon, when the term has the `prefix:value`
    /// shape (for example `deck` in `deck:"Spanish words"`).
    prefix: Option<String>,
    /// The rest of the term with quotes removed and escapes resolved.
    body: String,
}

/// Reads the next whitespace-separated term, or `None` at the end of input.
///
/// Quoted sections may appear anywhere in a term and are glued to their
/// neighbours, so `deck:"Spanish words"` is one term with the value
/// `Spanish words`. A colon only introduces a prefix when it comes before
/// any quote; this is what lets a learner search for literal text such as
/// `"is:new"` or `"10:30"`. (Anki would still read `"deck:a b"` as a deck
/// search; we prefer giving learners a way to search text containing colons.)
fn read_raw_term(chars: &mut Peekable<Chars<'_>>) -> Result<Option<RawTerm>, QueryError> {
    skip_whitespace(chars);
    if chars.peek().is_none() {
        return Ok(None);
    }

    let negated = chars.next_if_eq(&'-').is_some();
    let mut prefix = None;
    let mut body = String::new();
    let mut prefix_still_possible = true;
    while let Some(character) = chars.next_if(|character| !character.is_whitespace()) {
        match character {
            '"' => {
                prefix_still_possible = false;
                read_quoted_into(chars, &mut body)?;
            }
            ':' if prefix_still_possible => {
                prefix_still_possible = false;
                if body.is_empty() {
                    // `:x` has no prefix name, so the colon is just text.
                    body.push(':');
                } else {
                    prefix = Some(std::mem::take(&mut body));
                }
            }
            _ => body.push(character),
        }
    }
    Ok(Some(RawTerm {
        negated,
        prefix,
        body,
    }))
}

fn skip_whitespace(chars: &mut Peekable<Chars<'_>>) {
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
}

/// Reads the inside of a quoted section up to and including its closing
/// quote. `\"` stands for a quote and `\\` for a backslash (so a phrase can
/// end in a backslash); any other backslash is kept as typed.
fn read_quoted_into(chars: &mut Peekable<Chars<'_>>, body: &mut String) -> Result<(), QueryError> {
    while let Some(character) = chars.next() {
        match character {
            '"' => return Ok(()),
            '\\' => {
                let escaped = chars.next_if(|next| matches!(next, '"' | '\\'));
                body.push(escaped.unwrap_or('\\'));
            }
            _ => body.push(character),
        }
    }
    Err(QueryError(
        "A quote is missing its closing \"; add a \" at the end of the phrase.".to_string(),
    ))
}

/// Gives a raw term its meaning. Returns `None` for terms that carry nothing
/// to search for — a lone `-` or an empty `""` — so they are simply ignored
/// rather than reported, since they cannot change the result.
fn interpret_raw_term(raw_term: RawTerm) -> Result<Option<Term>, QueryError> {
    let RawTerm {
        negated,
        prefix,
        body,
    } = raw_term;
    let filter = match prefix {
        None if body.is_empty() => return Ok(None),
        None => Filter::Text(body),
        // Prefixes are case-insensitive, as in Anki (`Deck:`, `IS:NEW`).
        Some(prefix) => match prefix.to_lowercase().as_str() {
            "deck" => Filter::Deck(require_value(body, "deck: needs a deck name, e.g. deck:Spanish")?),
            "tag" => Filter::Tag(require_value(body, "tag: needs a tag name, e.g. tag:verbs")?),
            "is" => parse_card_state(&body)?,
            // Anki reads `word:value` as "field `word` contains value". We have
            // no field search, and rejecting or dropping the term would break
            // ordinary searches such as `10:30` or `https://example.com`, so
            // the whole term, prefix and colon included, is searched as text.
            _ => Filter::Text(format!("{prefix}:{body}")),
        },
    };
    Ok(Some(Term { negated, filter }))
}

/// A blank deck or tag value is almost always an unfinished search, so we
/// say what is missing instead of matching everything.
fn require_value(value: String, message_if_blank: &str) -> Result<String, QueryError> {
    if value.trim().is_empty() {
        Err(QueryError(message_if_blank.to_string()))
    } else {
        Ok(value)
    }
}

/// Reads the value of `is:`. Unknown states are errors rather than text,
/// because a typo like `is:nwe` would otherwise silently find nothing.
fn parse_card_state(value: &str) -> Result<Filter, QueryError> {
    match value.to_lowercase().as_str() {
        "new" => Ok(Filter::IsNew),
        "due" => Ok(Filter::IsDue),
        "suspended" => Ok(Filter::IsSuspended),
        "buried" => Ok(Filter::IsBuried),
        "" => Err(QueryError(
            "is: needs a card state, e.g. is:new or is:due".to_string(),
        )),
        _ => Err(QueryError(format!(
            "is:{value} is not something we can search for; use is:new, is:due, is:suspended or is:buried."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_terms(input: &str) -> Vec<Term> {
        match parse_card_query(input) {
            Ok(query) => query.terms,
            Err(error) => panic!("expected {input:?} to parse, got error: {error}"),
        }
    }

    fn parse_error(input: &str) -> String {
        match parse_card_query(input) {
            Ok(query) => panic!("expected {input:?} to fail, got {query:?}"),
            Err(QueryError(message)) => message,
        }
    }

    fn include(filter: Filter) -> Term {
        Term {
            negated: false,
            filter,
        }
    }

    fn exclude(filter: Filter) -> Term {
        Term {
            negated: true,
            filter,
        }
    }

    fn text(value: &str) -> Filter {
        Filter::Text(value.to_string())
    }

    fn deck(value: &str) -> Filter {
        Filter::Deck(value.to_string())
    }

    fn tag(value: &str) -> Filter {
        Filter::Tag(value.to_string())
    }

    const UNCLOSED_QUOTE: &str = "A quote is missing its closing \"; add a \" at the end of the phrase.";

    // --- empty input ---

    #[test]
    fn empty_input_yields_no_terms() {
        assert_eq!(parse_card_query(""), Ok(CardQuery { terms: vec![] }));
    }

    #[test]
    fn whitespace_only_input_yields_no_terms() {
        assert_eq!(parse_terms(" \t\n\u{3000}\u{a0} "), vec![]);
    }

    // --- free words ---

    #[test]
    fn single_word_is_text() {
        assert_eq!(parse_terms("gato"), vec![include(text("gato"))]);
    }

    #[test]
    fn several_words_are_separate_text_terms() {
        assert_eq!(
            parse_terms("gato perro"),
            vec![include(text("gato")), include(text("perro"))]
        );
    }

    #[test]
    fn words_keep_their_case() {
        assert_eq!(
            parse_terms("Gato PERRO"),
            vec![include(text("Gato")), include(text("PERRO"))]
        );
    }

    #[test]
    fn repeated_whitespace_between_words_is_ignored() {
        assert_eq!(
            parse_terms("  gato \t\n  perro  "),
            vec![include(text("gato")), include(text("perro"))]
        );
    }

    #[test]
    fn unicode_whitespace_separates_words() {
        assert_eq!(
            parse_terms("gato\u{3000}perro\u{a0}loro\u{2003}pez"),
            vec![
                include(text("gato")),
                include(text("perro")),
                include(text("loro")),
                include(text("pez")),
            ]
        );
    }

    #[test]
    fn or_is_plain_text() {
        assert_eq!(
            parse_terms("gato or perro OR loro"),
            vec![
                include(text("gato")),
                include(text("or")),
                include(text("perro")),
                include(text("OR")),
                include(text("loro")),
            ]
        );
    }

    #[test]
    fn parentheses_are_plain_text() {
        assert_eq!(
            parse_terms("(gato perro)"),
            vec![include(text("(gato")), include(text("perro)"))]
        );
    }

    #[test]
    fn hyphen_inside_a_word_is_not_negation() {
        assert_eq!(parse_terms("e-mail"), vec![include(text("e-mail"))]);
    }

    #[test]
    fn star_in_free_text_is_kept_as_typed() {
        assert_eq!(parse_terms("gat*"), vec![include(text("gat*"))]);
    }

    #[test]
    fn backslash_outside_quotes_is_literal() {
        assert_eq!(
            parse_terms(r"a\b a\"),
            vec![include(text(r"a\b")), include(text(r"a\"))]
        );
    }

    // --- quoted phrases ---

    #[test]
    fn quoted_phrase_is_one_term() {
        assert_eq!(parse_terms("\"buenos días\""), vec![include(text("buenos días"))]);
    }

    #[test]
    fn quoted_phrase_among_words() {
        assert_eq!(
            parse_terms("hola \"buenos días\" adiós"),
            vec![
                include(text("hola")),
                include(text("buenos días")),
                include(text("adiós")),
            ]
        );
    }

    #[test]
    fn quoted_phrase_keeps_inner_whitespace_exactly() {
        assert_eq!(parse_terms("\"  a \t b  \""), vec![include(text("  a \t b  "))]);
    }

    #[test]
    fn quoted_section_is_glued_to_adjacent_text() {
        assert_eq!(
            parse_terms("\"a b\"c\"d e\" f"),
            vec![include(text("a bcd e")), include(text("f"))]
        );
    }

    #[test]
    fn escaped_quote_inside_phrase_is_literal_quote() {
        assert_eq!(
            parse_terms(r#""say \"hola\" now""#),
            vec![include(text("say \"hola\" now"))]
        );
    }

    #[test]
    fn escaped_backslash_lets_phrase_end_in_backslash() {
        assert_eq!(
            parse_terms(r#""a\\" b"#),
            vec![include(text(r"a\")), include(text("b"))]
        );
    }

    #[test]
    fn other_backslashes_inside_quotes_are_kept() {
        assert_eq!(parse_terms(r#""a\b\*""#), vec![include(text(r"a\b\*"))]);
    }

    #[test]
    fn empty_quotes_are_ignored() {
        assert_eq!(parse_terms("\"\" gato -\"\""), vec![include(text("gato"))]);
    }

    #[test]
    fn quoted_prefix_is_searched_as_literal_text() {
        assert_eq!(
            parse_terms("\"is:foo\" \"deck:x y\""),
            vec![include(text("is:foo")), include(text("deck:x y"))]
        );
    }

    // --- unclosed quotes ---

    #[test]
    fn unclosed_phrase_is_an_error() {
        assert_eq!(parse_error("\"buenos días"), UNCLOSED_QUOTE);
    }

    #[test]
    fn unclosed_quote_after_prefix_is_an_error() {
        assert_eq!(parse_error("gato deck:\"Spanish words"), UNCLOSED_QUOTE);
    }

    #[test]
    fn escaped_quote_does_not_close_a_phrase() {
        assert_eq!(parse_error(r#""abc\""#), UNCLOSED_QUOTE);
    }

    #[test]
    fn lone_quote_is_an_error() {
        assert_eq!(parse_error("\""), UNCLOSED_QUOTE);
        assert_eq!(parse_error("-\""), UNCLOSED_QUOTE);
    }

    #[test]
    fn quote_in_middle_of_word_opens_a_phrase() {
        assert_eq!(parse_error("don\"t"), UNCLOSED_QUOTE);
        assert_eq!(parse_terms("don\"t\""), vec![include(text("dont"))]);
    }

    // --- deck: ---

    #[test]
    fn deck_prefix() {
        assert_eq!(parse_terms("deck:Spanish"), vec![include(deck("Spanish"))]);
    }

    #[test]
    fn deck_with_quoted_name() {
        assert_eq!(
            parse_terms("deck:\"Spanish words\""),
            vec![include(deck("Spanish words"))]
        );
    }

    #[test]
    fn deck_wildcard_is_kept_for_later_translation() {
        assert_eq!(parse_terms("deck:Span*"), vec![include(deck("Span*"))]);
        assert_eq!(wildcard_to_like("Span*"), "Span%");
    }

    #[test]
    fn deck_value_may_contain_colons() {
        assert_eq!(
            parse_terms("deck:Languages::Spanish"),
            vec![include(deck("Languages::Spanish"))]
        );
    }

    #[test]
    fn deck_prefix_is_case_insensitive_and_value_keeps_case() {
        assert_eq!(parse_terms("DECK:SpAnIsH"), vec![include(deck("SpAnIsH"))]);
    }

    #[test]
    fn empty_deck_is_an_error() {
        let message = "deck: needs a deck name, e.g. deck:Spanish";
        assert_eq!(parse_error("deck:"), message);
        assert_eq!(parse_error("gato deck: perro"), message);
        assert_eq!(parse_error("deck:\"\""), message);
        assert_eq!(parse_error("deck:\"   \""), message);
        assert_eq!(parse_error("-deck:"), message);
    }

    // --- tag: ---

    #[test]
    fn tag_prefix() {
        assert_eq!(parse_terms("tag:verbs"), vec![include(tag("verbs"))]);
    }

    #[test]
    fn tag_wildcard() {
        assert_eq!(parse_terms("tag:verb*"), vec![include(tag("verb*"))]);
        assert_eq!(wildcard_to_like("verb*"), "verb%");
    }

    #[test]
    fn tag_with_quoted_value() {
        assert_eq!(parse_terms("tag:\"a b\""), vec![include(tag("a b"))]);
    }

    #[test]
    fn tag_prefix_is_case_insensitive() {
        assert_eq!(parse_terms("Tag:Verbs"), vec![include(tag("Verbs"))]);
    }

    #[test]
    fn empty_tag_is_an_error() {
        let message = "tag: needs a tag name, e.g. tag:verbs";
        assert_eq!(parse_error("tag:"), message);
        assert_eq!(parse_error("tag:\"\""), message);
        assert_eq!(parse_error("-tag: gato"), message);
    }

    // --- is: ---

    #[test]
    fn is_new_and_is_due() {
        assert_eq!(
            parse_terms("is:new is:due"),
            vec![include(Filter::IsNew), include(Filter::IsDue)]
        );
    }

    #[test]
    fn is_is_case_insensitive() {
        assert_eq!(
            parse_terms("IS:NEW Is:Due"),
            vec![include(Filter::IsNew), include(Filter::IsDue)]
        );
    }

    #[test]
    fn is_value_may_be_quoted() {
        assert_eq!(parse_terms("is:\"due\""), vec![include(Filter::IsDue)]);
    }

    #[test]
    fn unknown_is_value_is_an_error() {
        assert_eq!(
            parse_error("is:foo"),
            "is:foo is not something we can search for; use is:new, is:due, is:suspended or is:buried."
        );
        assert_eq!(
            parse_terms("gato -is:Suspended is:buried"),
            vec![
                include(Filter::Text("gato".into())),
                Term {
                    negated: true,
                    filter: Filter::IsSuspended
                },
                include(Filter::IsBuried),
            ]
        );
    }

    #[test]
    fn empty_is_value_is_an_error() {
        assert_eq!(
            parse_error("is:"),
            "is: needs a card state, e.g. is:new or is:due"
        );
    }

    // --- negation ---

    #[test]
    fn negated_word() {
        assert_eq!(parse_terms("-gato"), vec![exclude(text("gato"))]);
    }

    #[test]
    fn negated_phrase() {
        assert_eq!(parse_terms("-\"a phrase\""), vec![exclude(text("a phrase"))]);
    }

    #[test]
    fn negated_deck() {
        assert_eq!(
            parse_terms("-deck:\"Spanish words\" -deck:Fr*"),
            vec![exclude(deck("Spanish words")), exclude(deck("Fr*"))]
        );
    }

    #[test]
    fn negated_tag() {
        assert_eq!(parse_terms("-tag:verbs"), vec![exclude(tag("verbs"))]);
    }

    #[test]
    fn negated_is() {
        assert_eq!(
            parse_terms("-is:new -is:due"),
            vec![exclude(Filter::IsNew), exclude(Filter::IsDue)]
        );
    }

    #[test]
    fn lone_dash_is_ignored() {
        assert_eq!(parse_terms("-"), vec![]);
        assert_eq!(
            parse_terms("gato - perro -"),
            vec![include(text("gato")), include(text("perro"))]
        );
    }

    #[test]
    fn only_the_first_dash_negates() {
        assert_eq!(parse_terms("--gato"), vec![exclude(text("-gato"))]);
    }

    #[test]
    fn mixed_query() {
        assert_eq!(
            parse_terms("gato -tag:verbs deck:\"Spanish words\" is:due -\"el perro\""),
            vec![
                include(text("gato")),
                exclude(tag("verbs")),
                include(deck("Spanish words")),
                include(Filter::IsDue),
                exclude(text("el perro")),
            ]
        );
    }

    // --- unknown prefixes ---

    #[test]
    fn unknown_prefix_is_text() {
        assert_eq!(parse_terms("flag:1"), vec![include(text("flag:1"))]);
    }

    #[test]
    fn negated_unknown_prefix_is_negated_text() {
        assert_eq!(parse_terms("-flag:1"), vec![exclude(text("flag:1"))]);
    }

    #[test]
    fn unknown_prefix_with_quoted_value_is_text_without_quotes() {
        assert_eq!(parse_terms("front:\"a b\""), vec![include(text("front:a b"))]);
    }

    #[test]
    fn times_and_urls_are_text() {
        assert_eq!(
            parse_terms("10:30 https://example.com/a:b"),
            vec![include(text("10:30")), include(text("https://example.com/a:b")),]
        );
    }

    #[test]
    fn leading_colon_is_text() {
        assert_eq!(
            parse_terms(": :x :a:b"),
            vec![include(text(":")), include(text(":x")), include(text(":a:b"))]
        );
    }

    // --- limits ---

    #[test]
    fn twenty_terms_are_allowed() {
        let input = vec!["w"; 20].join(" ");
        assert_eq!(parse_terms(&input).len(), 20);
    }

    #[test]
    fn twenty_one_terms_are_an_error() {
        let input = vec!["w"; 21].join(" ");
        assert_eq!(
            parse_error(&input),
            "This search has more than 20 terms; please remove a few."
        );
    }

    #[test]
    fn ignored_pieces_do_not_count_towards_the_term_limit() {
        let input = format!("{} - \"\" -", vec!["w"; 20].join(" "));
        assert_eq!(parse_terms(&input).len(), 20);
    }

    #[test]
    fn five_hundred_characters_are_allowed() {
        let input = "a".repeat(500);
        assert_eq!(parse_terms(&input), vec![include(text(&input))]);
    }

    #[test]
    fn more_than_five_hundred_characters_are_an_error() {
        assert_eq!(
            parse_error(&"a".repeat(501)),
            "This search is 501 characters long; please keep it to 500 characters or fewer."
        );
    }

    #[test]
    fn length_limit_counts_characters_not_bytes() {
        let five_hundred_accented = "é".repeat(500);
        assert_eq!(five_hundred_accented.len(), 1000);
        assert_eq!(
            parse_terms(&five_hundred_accented),
            vec![include(text(&five_hundred_accented))]
        );
        assert_eq!(
            parse_error(&"日".repeat(501)),
            "This search is 501 characters long; please keep it to 500 characters or fewer."
        );
    }

    // --- unicode ---

    #[test]
    fn unicode_terms_survive_intact() {
        assert_eq!(
            parse_terms("días 日本 -tag:日本語 deck:\"Español básico\" -\"¿qué tal?\" ñ:ü"),
            vec![
                include(text("días")),
                include(text("日本")),
                exclude(tag("日本語")),
                include(deck("Español básico")),
                exclude(text("¿qué tal?")),
                include(text("ñ:ü")),
            ]
        );
    }

    #[test]
    fn unicode_wildcards() {
        assert_eq!(parse_terms("deck:日本*"), vec![include(deck("日本*"))]);
        assert_eq!(wildcard_to_like("日本*語"), "日本%語");
    }

    // --- LIKE patterns ---

    #[test]
    fn wildcard_to_like_turns_each_star_into_percent() {
        assert_eq!(wildcard_to_like("*a*b**"), "%a%b%%");
        assert_eq!(wildcard_to_like("*"), "%");
        assert_eq!(wildcard_to_like(""), "");
    }

    #[test]
    fn wildcard_to_like_escapes_like_metacharacters() {
        assert_eq!(wildcard_to_like("50%_off"), r"50\%\_off");
        assert_eq!(wildcard_to_like(r"a\b"), r"a\\b");
        assert_eq!(wildcard_to_like(r"%_\*"), r"\%\_\\%");
    }

    #[test]
    fn wildcard_to_like_keeps_plain_names_unchanged() {
        assert_eq!(wildcard_to_like("Spanish words"), "Spanish words");
    }

    #[test]
    fn contains_like_wraps_in_percent() {
        assert_eq!(contains_like("gato"), "%gato%");
        assert_eq!(contains_like("buenos días"), "%buenos días%");
        assert_eq!(contains_like(""), "%%");
    }

    #[test]
    fn contains_like_escapes_like_metacharacters() {
        assert_eq!(contains_like("50%"), r"%50\%%");
        assert_eq!(contains_like("a_b"), r"%a\_b%");
        assert_eq!(contains_like(r"C:\dir"), r"%C:\\dir%");
    }

    #[test]
    fn contains_like_keeps_star_literal() {
        assert_eq!(contains_like("a*b"), "%a*b%");
    }

    // --- errors ---

    #[test]
    fn error_displays_its_sentence() {
        let error = QueryError("Something is wrong.".to_string());
        assert_eq!(error.to_string(), "Something is wrong.");
        let parsed = parse_card_query("is:foo").unwrap_err();
        assert_eq!(
            parsed.to_string(),
            "is:foo is not something we can search for; use is:new, is:due, is:suspended or is:buried."
        );
    }

    // --- robustness ---

    /// Deterministic pseudo-random inputs built from the characters that
    /// matter to the grammar; parsing must never panic, and successful
    /// results must respect the documented invariants.
    #[test]
    fn arbitrary_inputs_never_panic() {
        const ALPHABET: &[char] = &[
            '-', '"', ':', '\\', ' ', '*', 'a', 'é', '日', '\t', '\u{3000}', 'd', 'e', 'c', 'k', 't', 'g',
            'i', 's', 'n', 'w', 'u', '%', '_',
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next_random = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut successes = 0;
        let mut failures = 0;
        for round in 0..600 {
            // Mostly short inputs, with some long enough to hit the limits.
            let length = if round % 50 == 0 {
                490 + next_random() % 20
            } else {
                next_random() % 40
            };
            let input: String = (0..length)
                .map(|_| ALPHABET[next_random() % ALPHABET.len()])
                .collect();
            match parse_card_query(&input) {
                Ok(query) => {
                    successes += 1;
                    assert!(query.terms.len() <= MAX_QUERY_TERMS, "{input:?}");
                    for term in &query.terms {
                        match &term.filter {
                            Filter::Text(value) => assert!(!value.is_empty(), "{input:?}"),
                            Filter::Deck(value) | Filter::Tag(value) => {
                                assert!(!value.trim().is_empty(), "{input:?}")
                            }
                            Filter::IsNew | Filter::IsDue | Filter::IsSuspended | Filter::IsBuried => {}
                        }
                    }
                }
                Err(QueryError(message)) => {
                    failures += 1;
                    assert!(!message.is_empty(), "{input:?}");
                }
            }
            // The LIKE helpers must cope with anything, too.
            assert!(contains_like(&input).starts_with('%'));
            assert!(!wildcard_to_like(&input).contains('*'));
        }
        assert_eq!(successes + failures, 600);
        assert!(successes > 0 && failures > 0);
    }
}
