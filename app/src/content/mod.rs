//! Card content: Markdown with LaTeX math and highlighted code, rendered to
//! sanitised HTML when a note is written.
//!
//! Rendering happens once, on the server, and the result is stored with the
//! card. Review (online or offline) then only displays stored HTML, and the
//! browser bundle carries no Markdown, math or highlighting engine.

pub mod highlight;
mod sanitise;

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

pub use sanitise::sanitise_html;

/// The Markdown Engram reads: CommonMark with tables, strikethrough, task
/// lists, math and GitHub's extensions, the same wherever it is parsed.
const MARKDOWN: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_MATH)
    .union(Options::ENABLE_GFM);

/// Something in a piece of content that learners' browsers would show as
/// nothing, with its address. Learners' browsers load media only from
/// Engram (the pages' content security policy), and the sanitiser drops any
/// other source, and every video and embedded page: its author is told when
/// saving, rather than learning of it from a blank card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromElsewhere {
    /// An image or a sound that is not a file in Engram's media store.
    Media(String),
    /// A video (`<video>`), or a page or plugin embedded with `<iframe>`,
    /// `<embed>` or `<object>`: Engram keeps none of these.
    Embedded(String),
}

impl FromElsewhere {
    pub fn address(&self) -> &str {
        match self {
            FromElsewhere::Media(address) | FromElsewhere::Embedded(address) => address,
        }
    }

    /// What its author is told, with `what_to_do_with_media` (which depends
    /// on the editor) for an image or a sound. A video or an embedded page
    /// can only be linked to.
    pub fn message(&self, what_to_do_with_media: &str) -> String {
        const SHOWN: usize = 80;
        let address = self.address();
        let shown: String = address.chars().take(SHOWN).collect();
        let cut = if address.chars().count() > SHOWN {
            "…"
        } else {
            ""
        };
        match self {
            FromElsewhere::Media(_) => format!(
                "Images from other sites cannot be shown to learners ({shown}{cut}). {what_to_do_with_media}"
            ),
            FromElsewhere::Embedded(_) => format!(
                "Videos and embedded pages cannot be shown to learners ({shown}{cut}). Link to it instead: [what it shows](its address)."
            ),
        }
    }
}

/// The first thing in `source` that learners would not see (see
/// [`FromElsewhere`]): an image in its Markdown (`![alt](address)`), or in
/// HTML written into it (an `<img>`, `<audio>`, `<source>`, `<video>`,
/// `<iframe>`, `<embed>` or `<object>`, as text pasted from elsewhere
/// carries it).
pub fn from_elsewhere(source: &str) -> Option<FromElsewhere> {
    let mut html = String::new();
    let mut in_image = 0_usize;
    for event in Parser::new_ext(source, MARKDOWN) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                if !sanitise::is_own_media(&dest_url) {
                    return Some(FromElsewhere::Media(dest_url.to_string()));
                }
                in_image += 1;
            }
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            // Raw HTML comes in pieces (a block line by line, an inline tag
            // by itself): read together, as the sanitiser reads them. In an
            // image's alt text it is only text.
            Event::Html(piece) | Event::InlineHtml(piece) if in_image == 0 => html.push_str(&piece),
            _ => {}
        }
    }
    // The HTML parser's time grows with the square of the depth: HTML nested
    // deeper than any content may be is refused by the rendering, with its
    // own message, and is not parsed here.
    if html.is_empty() || check_nesting(&html).is_err() {
        None
    } else {
        sanitise::media_from_elsewhere(&html)
    }
}

/// Why a piece of content could not be rendered, in words for its author.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RenderError(pub String);

static LATEX: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());

/// Renders Markdown (CommonMark with tables, strikethrough, task lists,
/// `$…$` and `$$…$$` math) to sanitised HTML.
///
/// # Errors
/// A formula that is not valid LaTeX, so that its author can fix it rather
/// than find a broken card during review.
pub fn render_markdown(source: &str) -> Result<String, RenderError> {
    let options = MARKDOWN;
    let mut events = Vec::new();
    let mut code_block: Option<(String, String)> = None;
    // The time all of this content's code blocks may take to highlight,
    // shared with the rest of the note when a note is being rendered.
    let highlight_deadline = SHARED_HIGHLIGHT_DEADLINE
        .get()
        .unwrap_or_else(|| std::time::Instant::now() + HIGHLIGHT_BUDGET);
    for event in Parser::new_ext(source, options) {
        match (event, &mut code_block) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                code_block = Some((language, String::new()));
            }
            (Event::Text(text), Some((_, code))) => code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                if let Some((language, code)) = code_block.take() {
                    events.push(Event::Html(CowStr::from(highlight::highlight_code(
                        &code,
                        &language,
                        highlight_deadline,
                    ))));
                }
            }
            (Event::InlineMath(latex), _) => {
                events.push(Event::InlineHtml(math(&latex, MathDisplay::Inline)?.into()))
            }
            (Event::DisplayMath(latex), _) => {
                events.push(Event::Html(math(&latex, MathDisplay::Block)?.into()))
            }
            (event, _) => events.push(event),
        }
    }
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    check_nesting(&html)?;
    let clean = sanitise_html(&html);
    // The sanitised HTML is what is stored and shown: hold it to the bound
    // too, whatever the count above misjudged.
    check_nesting(&clean)?;
    Ok(clean)
}

/// How long the code blocks of one piece of content may take to highlight;
/// those left after it are shown as plain code.
const HIGHLIGHT_BUDGET: std::time::Duration = std::time::Duration::from_millis(200);

thread_local! {
    static SHARED_HIGHLIGHT_DEADLINE: std::cell::Cell<Option<std::time::Instant>> =
        const { std::cell::Cell::new(None) };
}

/// Runs `render` with one highlighting budget for all the content it
/// renders on this thread: a note renders each field, and each card again,
/// and 32 fields of code had 32 budgets (16 seconds).
pub fn with_one_highlight_budget<T>(render: impl FnOnce() -> T) -> T {
    SHARED_HIGHLIGHT_DEADLINE.set(Some(std::time::Instant::now() + HIGHLIGHT_BUDGET));
    let rendered = render();
    SHARED_HIGHLIGHT_DEADLINE.set(None);
    rendered
}

/// How deep quotes, lists and HTML elements may nest in one piece of
/// content. Real cards and lessons nest a few levels; the sanitiser's HTML
/// parser takes time that grows with the square of the depth (a field of
/// 65,000 `>` took 20 seconds of a rendering worker).
pub const MAX_NESTING: usize = 100;

/// Refuses HTML whose elements nest deeper than [`MAX_NESTING`], before it
/// reaches the sanitiser. Counted as an HTML parser nests them: a start tag
/// opens a level unless its element is void (`<b/>` opens one too: the
/// slash means nothing on a non-void element), an end tag closes the levels
/// down to the element it names and is ignored when none is open, and a
/// `>` or `</` inside a quoted attribute value is no tag.
pub fn check_nesting(html: &str) -> Result<(), RenderError> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let name_at = |from: usize| {
        let length = bytes[from..]
            .iter()
            .take_while(|byte| byte.is_ascii_alphanumeric() || **byte == b'-')
            .count();
        html[from..from + length].to_ascii_lowercase()
    };
    let mut open: Vec<String> = Vec::new();
    let mut deepest = 0;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        at += offset + 1;
        let Some(&next) = bytes.get(at) else { break };
        if next == b'!' {
            // A comment or a doctype: to its end.
            let end = if html[at..].starts_with("!--") { "-->" } else { ">" };
            at = html[at..]
                .find(end)
                .map_or(bytes.len(), |found| at + found + end.len());
        } else if next == b'/' && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic) {
            let name = name_at(at + 1);
            if let Some(position) = open.iter().rposition(|element| *element == name) {
                open.truncate(position);
            }
        } else if next.is_ascii_alphabetic() {
            let name = name_at(at);
            // The tag's end, past its quoted attribute values.
            let mut quote = None;
            while let Some(&byte) = bytes.get(at) {
                match (quote, byte) {
                    (None, b'"' | b'\'') => quote = Some(byte),
                    (Some(open_quote), _) if byte == open_quote => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                at += 1;
            }
            if !VOID.contains(&name.as_str()) {
                open.push(name);
                deepest = deepest.max(open.len());
            }
        }
    }
    if deepest > MAX_NESTING {
        return Err(RenderError(format!(
            "This nests quotes, lists or tags {deepest} levels deep; at most {MAX_NESTING} can be shown."
        )));
    }
    Ok(())
}

/// The most commands, braces, `^` and `_` one formula may hold. The formula
/// converter goes one call deeper for each level a formula nests, so a
/// formula nested some 600 levels deep would overflow a thread's stack and
/// take the whole server down; a bound on these tokens bounds the depth.
/// Long equations hold a few dozen.
pub const MAX_FORMULA_TOKENS: usize = 300;

/// How much of a formula its error quotes: enough to find it.
const MAX_QUOTED_FORMULA_CHARS: usize = 80;

fn math(latex: &str, display: MathDisplay) -> Result<String, RenderError> {
    let tokens = latex
        .chars()
        .filter(|c| matches!(c, '\\' | '{' | '^' | '_'))
        .count();
    if tokens > MAX_FORMULA_TOKENS {
        return Err(RenderError(format!(
            "A formula holds {tokens} commands, braces and scripts; at most {MAX_FORMULA_TOKENS} can be shown. Split it into several formulas."
        )));
    }
    let converter = LATEX
        .as_ref()
        .ok_or_else(|| RenderError("Formulas cannot be rendered right now.".into()))?;
    converter
        .convert_with_local_state(latex, display)
        .map(|result| result.mathml)
        .map_err(|error| {
            // The parser's own message sometimes ends a sentence already.
            let error = error.to_string();
            RenderError(format!(
                "The formula `{}` could not be read: {}.",
                crate::ui::shortened(latex.trim(), MAX_QUOTED_FORMULA_CHARS),
                error.trim_end_matches('.')
            ))
        })
}

/// Stored card HTML as one line of plain text, for places that list cards
/// rather than show them (the card browser): tags dropped, block elements
/// and line breaks become spaces, entities decoded, and a formula reads as
/// its rendered symbols, never as its LaTeX source (which MathML keeps in an
/// `<annotation>`): `H₂O`, `10²³`, `∑ᵢ₌₁ⁿ`, `(a+b)/2`, `√2`, `f′(x)`. A
/// script with no Unicode form reads as `e^(iπ)` or `x_(max+1)`, so that
/// `10^(23)` never reads as 1023.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    write_plain(&parse_markup(html), &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Stored HTML as a tree: sanitised on the way in, so well formed.
enum Markup {
    Text(String),
    Element {
        name: String,
        /// Whether MathML marks it an accent (`\hat{x}`), not a script.
        is_accent: bool,
        is_block_formula: bool,
        children: Vec<Markup>,
    },
}

fn parse_markup(html: &str) -> Vec<Markup> {
    // Elements that never have an end tag, in HTML and in MathML.
    const EMPTY: [&str; 9] = [
        "br",
        "hr",
        "img",
        "wbr",
        "input",
        "mspace",
        "mglyph",
        "none",
        "mprescripts",
    ];
    let mut root: Vec<Markup> = Vec::new();
    // The elements open at this point, outermost first, each with the
    // children read so far.
    let mut open: Vec<Markup> = Vec::new();
    // Where the next node goes: into the innermost open element, or the root.
    fn add(node: Markup, open: &mut [Markup], root: &mut Vec<Markup>) {
        match open.last_mut() {
            Some(Markup::Element { children, .. }) => children.push(node),
            _ => root.push(node),
        }
    }
    fn close(open: &mut Vec<Markup>, root: &mut Vec<Markup>) {
        if let Some(element) = open.pop() {
            add(element, open, root);
        }
    }
    let mut rest = html;
    loop {
        let (text, tag) = match rest.find('<') {
            Some(start) => (&rest[..start], Some(start)),
            None => (rest, None),
        };
        if !text.is_empty() {
            add(Markup::Text(decode_entities(text)), &mut open, &mut root);
        }
        let Some(start) = tag else { break };
        let Some(end) = rest[start..].find('>') else { break };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if tag.starts_with('/') {
            if let Some(at) = open.iter().rposition(
                |element| matches!(element, Markup::Element { name: open_name, .. } if *open_name == name),
            ) {
                while open.len() > at {
                    close(&mut open, &mut root);
                }
            }
            continue;
        }
        let is_accent = tag.contains("accent=\"true\"") || tag.contains("accentunder=\"true\"");
        let is_block_formula = name == "math" && tag.contains("display=\"block\"");
        let is_empty = tag.ends_with('/') || EMPTY.contains(&name.as_str());
        open.push(Markup::Element {
            name,
            is_accent,
            is_block_formula,
            children: Vec::new(),
        });
        if is_empty {
            close(&mut open, &mut root);
        }
    }
    while !open.is_empty() {
        close(&mut open, &mut root);
    }
    root
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn write_plain(nodes: &[Markup], out: &mut String) {
    for node in nodes {
        write_node(node, out);
    }
}

fn write_node(node: &Markup, out: &mut String) {
    const BLOCKS: [&str; 15] = [
        "p",
        "br",
        "hr",
        "li",
        "ul",
        "ol",
        "div",
        "pre",
        "blockquote",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
    ];
    let (name, is_accent, is_block_formula, children) = match node {
        Markup::Text(text) => {
            out.push_str(text);
            return;
        }
        Markup::Element {
            name,
            is_accent,
            is_block_formula,
            children,
        } => (name.as_str(), *is_accent, *is_block_formula, children),
    };
    // MathML's layout elements place their children; whitespace between
    // them is not content.
    let parts: Vec<&Markup> = children
        .iter()
        .filter(|child| !matches!(child, Markup::Text(text) if text.trim().is_empty()))
        .collect();
    let part = |index: usize| {
        parts
            .get(index)
            .map(|&child| plain_of(std::slice::from_ref(child)))
            .unwrap_or_default()
    };
    let spaced = BLOCKS.contains(&name) || (name.starts_with('h') && name.len() == 2) || is_block_formula;
    if spaced {
        out.push(' ');
    }
    match name {
        "annotation" | "annotation-xml" => {}
        "sup" => out.push_str(&written_script(Script::Super, &plain_of(children))),
        "sub" => out.push_str(&written_script(Script::Sub, &plain_of(children))),
        "msup" => {
            out.push_str(&part(0));
            out.push_str(&written_script(Script::Super, &part(1)));
        }
        "msub" => {
            out.push_str(&part(0));
            out.push_str(&written_script(Script::Sub, &part(1)));
        }
        "msubsup" => {
            out.push_str(&part(0));
            out.push_str(&written_script(Script::Sub, &part(1)));
            out.push_str(&written_script(Script::Super, &part(2)));
        }
        // `\sum_{i=1}^n` and `\lim_{x\to0}` in a sentence; an accent on one
        // letter (`\hat{x}`, `\vec{v}`) is written on it, as x̂ and v⃗, where
        // the spacing form (xˆ) read as a separate sign; one over more
        // follows them as it is.
        "munder" | "mover" if is_accent => {
            let (base, accent) = (part(0), part(1));
            match (base.chars().count(), combining_accent(&accent, name == "munder")) {
                (1, Some(combining)) => {
                    out.push_str(&base);
                    out.push(combining);
                }
                _ => {
                    out.push_str(&base);
                    out.push_str(&accent);
                }
            }
        }
        "munder" => {
            out.push_str(&part(0));
            out.push_str(&written_script(Script::Sub, &part(1)));
        }
        "mover" => {
            out.push_str(&part(0));
            out.push_str(&written_script(Script::Super, &part(1)));
        }
        "munderover" => {
            out.push_str(&part(0));
            out.push_str(&written_script(Script::Sub, &part(1)));
            out.push_str(&written_script(Script::Super, &part(2)));
        }
        "mfrac" => {
            out.push_str(&grouped(&part(0)));
            out.push('/');
            out.push_str(&grouped(&part(1)));
        }
        "msqrt" => {
            out.push('√');
            out.push_str(&grouped(&plain_of(children)));
        }
        "mroot" => {
            out.push_str(&written_script(Script::Super, &part(1)));
            out.push('√');
            out.push_str(&grouped(&part(0)));
        }
        // A base, then pairs of sub- and superscripts after it, and after
        // `<mprescripts/>` pairs before it (`¹⁴₆C`).
        "mmultiscripts" => {
            let mut before = String::new();
            let mut after = String::new();
            let mut is_before = false;
            let mut scripts = parts.iter().skip(1);
            while let Some(sub) = scripts.next() {
                if matches!(sub, Markup::Element { name, .. } if name == "mprescripts") {
                    is_before = true;
                    continue;
                }
                let sup = scripts
                    .next()
                    .map(|&sup| plain_of(std::slice::from_ref(sup)))
                    .unwrap_or_default();
                let target = if is_before { &mut before } else { &mut after };
                target.push_str(&written_script(Script::Super, &sup));
                target.push_str(&written_script(
                    Script::Sub,
                    &plain_of(std::slice::from_ref(*sub)),
                ));
            }
            out.push_str(&before);
            out.push_str(&part(0));
            out.push_str(&after);
        }
        _ => write_plain(children, out),
    }
    if spaced {
        out.push(' ');
    }
}

/// The plain text of `nodes` on their own, to be placed by the caller.
fn plain_of(nodes: &[Markup]) -> String {
    let mut text = String::new();
    write_plain(nodes, &mut text);
    text
}

/// A numerator, denominator or root in brackets when it is more than one
/// character: `(a+b)/2`.
fn grouped(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 1 {
        format!("({text})")
    } else {
        text
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Super,
    Sub,
}

/// The combining mark that writes `accent` (as a formula shows it above
/// a letter, or below it when `under`) on the letter before it, if there
/// is one.
fn combining_accent(accent: &str, under: bool) -> Option<char> {
    let combining = match (accent.trim(), under) {
        ("^" | "ˆ" | "\u{302}", false) => '\u{302}',
        ("~" | "˜" | "\u{303}", false) => '\u{303}',
        ("¯" | "‾" | "―" | "−" | "-" | "\u{304}" | "\u{305}", false) => '\u{304}',
        ("˘" | "\u{306}", false) => '\u{306}',
        ("˙" | "." | "\u{307}", false) => '\u{307}',
        ("¨" | "\u{308}", false) => '\u{308}',
        ("˚" | "∘" | "\u{30a}", false) => '\u{30a}',
        ("ˇ" | "\u{30c}", false) => '\u{30c}',
        ("´" | "ˊ" | "\u{301}", false) => '\u{301}',
        ("`" | "ˋ" | "\u{300}", false) => '\u{300}',
        ("→" | "\u{20d7}", false) => '\u{20d7}',
        ("_" | "‾" | "¯" | "―" | "−" | "\u{332}", true) => '\u{332}',
        _ => return None,
    };
    Some(combining)
}

/// A script in Unicode's superscript or subscript characters when each of
/// its characters has one, else after `^` or `_`, in brackets if longer
/// than one character. Primes and daggers are raised already.
fn written_script(script: Script, content: &str) -> String {
    let content = content.split_whitespace().collect::<Vec<_>>().join(" ");
    if content.is_empty() {
        return content;
    }
    if script == Script::Super
        && content
            .chars()
            .all(|c| matches!(c, '′' | '″' | '‴' | '†' | '‡' | '*'))
    {
        return content;
    }
    if script == Script::Super && content == "∘" {
        return "°".to_owned();
    }
    let raised: Option<String> = content
        .chars()
        .map(|c| match script {
            Script::Super => superscript(c),
            Script::Sub => subscript(c),
        })
        .collect();
    raised.unwrap_or_else(|| {
        let mark = if script == Script::Super { '^' } else { '_' };
        if content.chars().count() == 1 {
            format!("{mark}{content}")
        } else {
            format!("{mark}({content})")
        }
    })
}

fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4'..='9' => char::from_u32(0x2074 + (c as u32 - '4' as u32))?,
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'a' => 'ᵃ',
        'b' => 'ᵇ',
        'c' => 'ᶜ',
        'd' => 'ᵈ',
        'e' => 'ᵉ',
        'f' => 'ᶠ',
        'g' => 'ᵍ',
        'h' => 'ʰ',
        'i' => 'ⁱ',
        'j' => 'ʲ',
        'k' => 'ᵏ',
        'l' => 'ˡ',
        'm' => 'ᵐ',
        'n' => 'ⁿ',
        'o' => 'ᵒ',
        'p' => 'ᵖ',
        'r' => 'ʳ',
        's' => 'ˢ',
        't' => 'ᵗ',
        'u' => 'ᵘ',
        'v' => 'ᵛ',
        'w' => 'ʷ',
        'x' => 'ˣ',
        'y' => 'ʸ',
        'z' => 'ᶻ',
        _ => return None,
    })
}

fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => char::from_u32(0x2080 + (c as u32 - '0' as u32))?,
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'o' => 'ₒ',
        'x' => 'ₓ',
        'h' => 'ₕ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'p' => 'ₚ',
        's' => 'ₛ',
        't' => 'ₜ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'r' => 'ᵣ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_from_another_site_is_found_and_engrams_own_are_not() {
        let own = format!("/media/{}", "a".repeat(64));
        assert_eq!(
            from_elsewhere(&format!(
                "A ![cell]({own}) and [a link](https://example.org/x.png)"
            )),
            None
        );
        assert_eq!(
            from_elsewhere("no images, `![not](https://x.example/code.png)`"),
            None
        );
        for (source, address) in [
            (
                "![cat](https://cats.example/cat.png)",
                "https://cats.example/cat.png",
            ),
            (
                "text\n\n![](//cdn.example/a.gif \"title\")",
                "//cdn.example/a.gif",
            ),
            (
                "| a |\n|---|\n| ![x](http://plain.example/x.jpg) |",
                "http://plain.example/x.jpg",
            ),
            (
                "![data](data:image/png;base64,iVBORw0KGgo=)",
                "data:image/png;base64,iVBORw0KGgo=",
            ),
            (
                "[ref image][r]\n\n![r]\n\n[r]: https://ref.example/r.png",
                "https://ref.example/r.png",
            ),
        ] {
            assert_eq!(
                from_elsewhere(source).as_ref().map(FromElsewhere::address),
                Some(address),
                "{source}"
            );
        }
        // Written as HTML, as notes from elsewhere carry it; not in code.
        for (source, address) in [
            (
                "A map: <img src=\"https://maps.example/france.png\" alt=\"France\">",
                "https://maps.example/france.png",
            ),
            (
                "<div>\n<img alt='x'\n     src='http://plain.example/x.jpg'>\n</div>",
                "http://plain.example/x.jpg",
            ),
            ("<IMG SRC=//cdn.example/a.gif>", "//cdn.example/a.gif"),
            (
                "<audio controls><source src=\"https://sounds.example/a.mp3\"></audio>",
                "https://sounds.example/a.mp3",
            ),
            (
                "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
                "data:image/png;base64,iVBORw0KGgo=",
            ),
            // An image of an email, as a mail program copies it.
            ("<img src=\"cid:image001.png@01D9\">", "cid:image001.png@01D9"),
        ] {
            assert_eq!(
                from_elsewhere(source).as_ref().map(FromElsewhere::address),
                Some(address),
                "{source}"
            );
        }
        for source in [
            format!("<img src=\"{own}\" alt=\"cell\"> and <b>bold</b>"),
            // HTML in an image's alt text is text: no image is made of it.
            format!("![<img src=\"https://x.example/alt.png\">]({own})"),
            // Deeper than any content may be: the rendering refuses it.
            format!(
                "{}<img src=\"https://x.example/deep.png\">",
                "<b>".repeat(MAX_NESTING + 1)
            ),
            "`<img src=\"https://x.example/code.png\">` in code".to_owned(),
            "```html\n<img src=\"https://x.example/block.png\">\n```".to_owned(),
            "<a href=\"https://example.org/x.png\">a link</a>".to_owned(),
        ] {
            assert_eq!(from_elsewhere(&source), None, "{source}");
        }
        let long = format!("https://example.org/{}", "x".repeat(200));
        let message = FromElsewhere::Media(long.clone()).message("Do this.");
        assert!(
            message.contains("https://example.org/xxx") && message.contains("…). Do this."),
            "{message}"
        );
        assert!(message.chars().count() < 200, "{message}");
        let message = FromElsewhere::Embedded(long).message("Do this.");
        assert!(message.starts_with("Videos and embedded pages"), "{message}");
        assert!(!message.contains("Do this."), "{message}");
        assert!(message.chars().count() < 250, "{message}");
    }

    #[test]
    fn a_video_or_an_embedded_page_is_found_as_such() {
        for (source, address) in [
            (
                "<video controls src=\"https://films.example/a.mp4\"></video>",
                "https://films.example/a.mp4",
            ),
            (
                "<video poster=\"https://films.example/still.jpg\"></video>",
                "https://films.example/still.jpg",
            ),
            (
                "Watch:\n\n<iframe width=\"560\" src=\"https://www.youtube.com/embed/abc\"></iframe>",
                "https://www.youtube.com/embed/abc",
            ),
            (
                "<EMBED SRC='https://plugins.example/a.swf'>",
                "https://plugins.example/a.swf",
            ),
            (
                "<object data=\"https://docs.example/a.pdf\"></object>",
                "https://docs.example/a.pdf",
            ),
            // Engram stores no video, so not even one named as if it did.
            (
                "<video src=\"/media/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"></video>",
                "/media/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ),
        ] {
            assert_eq!(
                from_elsewhere(source),
                Some(FromElsewhere::Embedded(address.to_owned())),
                "{source}"
            );
        }
        // An image offered only in `srcset` (which the sanitiser drops) is
        // an image from elsewhere, told by its first address not Engram's.
        let own = format!("/media/{}", "a".repeat(64));
        assert_eq!(
            from_elsewhere(&format!(
                "<img src=\"{own}\" srcset=\"{own} 1x, https://cdn.example/big.png 2x\">"
            )),
            Some(FromElsewhere::Media("https://cdn.example/big.png".to_owned()))
        );
        assert_eq!(
            from_elsewhere(&format!("<img src=\"{own}\" srcset=\"{own} 2x\">")),
            None
        );
        // In code it is only text.
        assert_eq!(
            from_elsewhere("`<iframe src=\"https://x.example/\"></iframe>`"),
            None
        );
    }

    #[test]
    fn markdown_emphasis_and_lists_become_html() {
        let html = render_markdown("**bold** and *soft*\n\n- one\n- two").unwrap();
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("<em>soft</em>"), "{html}");
        assert!(html.contains("<li>two</li>"), "{html}");
    }

    #[test]
    fn inline_math_becomes_mathml() {
        let html = render_markdown(r"Euler: $e^{i\pi} + 1 = 0$").unwrap();
        assert!(html.contains("<math"), "{html}");
        assert!(html.contains("<msup>"), "{html}");
        assert!(!html.contains('$'), "{html}");
    }

    #[test]
    fn display_math_is_a_block() {
        let html = render_markdown(r"$$x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}$$").unwrap();
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(html.contains("<msqrt>"), "{html}");
    }

    #[test]
    fn a_formula_nested_deep_enough_to_overflow_the_stack_is_refused() {
        // Each of these took the server down (a stack overflow aborts the
        // process; nothing can catch it).
        for latex in [
            format!("${}x{}$", "\\frac{1}{".repeat(5000), "}".repeat(5000)),
            format!("${}x$", "\\sqrt ".repeat(5000)),
            format!("${}1$", "\\frac1".repeat(5000)),
            format!("$${}x{}$$", "\\left(".repeat(5000), "\\right)".repeat(5000)),
        ] {
            let error = render_markdown(&latex).unwrap_err();
            assert!(error.0.contains("at most 300"), "{}", error.0);
        }
        // A formula of a realistic size renders.
        let long = format!("${}$", ["\\frac{a}{b}"; 60].join(" + "));
        assert!(render_markdown(&long).unwrap().contains("<math"));
    }

    #[test]
    fn content_nested_too_deep_is_refused_quickly() {
        let started = std::time::Instant::now();
        for source in [
            ">".repeat(65_000),
            "> - ".repeat(16_000),
            format!("{}x{}", "<div>".repeat(20_000), "</div>".repeat(20_000)),
            format!("{}x", "<span>".repeat(20_000)),
        ] {
            let error = render_markdown(&source).unwrap_err();
            assert!(error.0.contains("at most 100"), "{}", error.0);
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        // Nesting that people write, and void elements, pass.
        let nested_list: String = (0..8)
            .map(|level| format!("{}- item\n", "  ".repeat(level)))
            .collect();
        assert!(render_markdown(&nested_list).is_ok());
        assert!(render_markdown(&"a<br>".repeat(500)).is_ok());
        assert!(check_nesting(&format!("{}x{}", "<b>".repeat(100), "</b>".repeat(100))).is_ok());
        assert!(check_nesting(&format!("{}x{}", "<b>".repeat(101), "</b>".repeat(101))).is_err());
        // What a QA pass slipped past the first count: self-closed elements
        // the parser opens, end tags of elements never opened, and end
        // tags inside attribute values.
        assert!(check_nesting(&"<b/>".repeat(300)).is_err());
        assert!(check_nesting(&"<b></i>".repeat(300)).is_err());
        assert!(check_nesting(&"<abbr title=\"</x>\">".repeat(300)).is_err());
        assert!(check_nesting(&"<dl/>".repeat(300)).is_err());
        assert!(check_nesting(&format!("<!-- {} -->{}", "<b>".repeat(300), "<br/>".repeat(300))).is_ok());
    }

    // Checked by what is shown, not by how long it took: the same test timed
    // against a wall clock failed on a busy machine (3.4 s for a 3 s bound).
    #[test]
    fn code_that_would_take_long_to_highlight_is_shown_plain() {
        let ordinary = "```rust\nfn main() {}\n```";
        // The grammars load once, on first use, on the first block's time.
        render_markdown(ordinary).unwrap();
        assert!(render_markdown(ordinary).unwrap().contains("hl-"));

        // A line too long to highlight quickly (60,000 characters of R took 15 s).
        let long_line = render_markdown(&format!("```r\n{}\n```", "a.".repeat(30_000))).unwrap();
        assert!(long_line.contains("<pre class=\"code\">") && !long_line.contains("hl-"));

        // Many short lines (30,000 lines of reStructuredText took 16 s): the
        // budget is checked line by line, so a millisecond's budget, which
        // those lines would take far longer than, ends with the code plain.
        let many_lines = "a\n".repeat(30_000);
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(1);
        let shown = highlight::highlight_code(&many_lines, "rst", deadline);
        assert!(shown.contains("<pre class=\"code\">") && !shown.contains("hl-"));
        assert!(shown.contains(&many_lines));

        // One budget for everything rendered together, however many fields
        // (32 fields of heavy code took 16 s with a budget each): once it is
        // spent, the next field's code is plain, even ordinary code.
        with_one_highlight_budget(|| {
            std::thread::sleep(HIGHLIGHT_BUDGET);
            assert!(!render_markdown(ordinary).unwrap().contains("hl-"));
        });
        // Outside it, each piece of content has its own again.
        assert!(render_markdown(ordinary).unwrap().contains("hl-"));
    }

    #[test]
    fn a_broken_formula_is_an_error_that_quotes_it() {
        let error = render_markdown(r"Oops: $\frac{1}$").unwrap_err();
        assert!(error.0.contains(r"\frac{1}"), "{error}");
        let unknown = render_markdown(r"$\nosuchcommand{x}$").unwrap_err();
        assert!(
            unknown.0.ends_with('.') && !unknown.0.ends_with(".."),
            "{unknown}"
        );
    }

    #[test]
    fn fenced_code_is_highlighted_with_classes_not_inline_styles() {
        let html = render_markdown("```rust\nfn main() { let x = 1; }\n```").unwrap();
        assert!(html.contains("<pre class=\"code\">"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("main"), "{html}");
    }

    #[test]
    fn code_in_an_unknown_language_is_escaped_plain_text() {
        let html = render_markdown("```nosuchlang\n<script>alert(1)</script>\n```").unwrap();
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn images_and_audio_from_the_media_store_are_kept() {
        let html =
            render_markdown("![A cell](/media/ab12.png)\n\n<audio controls src=\"/media/cd34.mp3\"></audio>")
                .unwrap();
        assert!(
            html.contains("<img src=\"/media/ab12.png\" alt=\"A cell\""),
            "{html}"
        );
        assert!(
            html.contains("<audio controls=\"\" src=\"/media/cd34.mp3\">"),
            "{html}"
        );
    }

    #[test]
    fn an_image_from_another_host_loads_nothing() {
        let html =
            render_markdown("![pixel](https://tracker.example/p.png) ![x](//tracker.example/p.png)").unwrap();
        assert!(!html.contains("tracker"), "{html}");
        assert!(html.contains("alt=\"pixel\""), "{html}");
    }

    #[test]
    fn links_open_safely() {
        let html = render_markdown("[docs](https://example.org)").unwrap();
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    }

    #[test]
    fn plain_text_reads_markdown_and_formulas_as_rendered() {
        let html = render_markdown("**Water** is $H_2O$ &amp; more\n\n- one\n- two").unwrap();
        let text = plain_text(&html);
        assert_eq!(text, "Water is H₂O & more one two");
        assert!(!text.contains('$') && !text.contains('*') && !text.contains('<'));
    }

    #[test]
    fn plain_text_keeps_exponents_and_indices_apart_from_their_base() {
        let text = |markdown: &str| plain_text(&render_markdown(markdown).unwrap());
        assert_eq!(text("$6.022 \\times 10^{23}$ per mole"), "6.022×10²³ per mole");
        assert_eq!(text("$x^{n+1}$ and $a_{ij}$"), "xⁿ⁺¹ and aᵢⱼ");
        // No Unicode form: marked, in brackets when longer than one character.
        assert_eq!(
            text("$e^{i\\pi}$ and $x^Y$ and $x_{\\max}$"),
            "e^(iπ) and x^Y and xₘₐₓ"
        );
        assert_eq!(text("$x_1^2$"), "x₁²");
        assert_eq!(
            text("Water, $H_2O$, and\n\n$$E = mc^2$$\nmore"),
            "Water, H₂O, and E=mc² more"
        );
        // Limits, fractions, roots, primes, degrees and accents.
        assert_eq!(text("$\\sum_{i=1}^n i$"), "∑ᵢ₌₁ⁿi");
        assert_eq!(text("$\\frac{a+b}{2}$ and $\\sqrt{2}$"), "(a+b)/2 and √2");
        assert_eq!(text("$f'(x)$ at $90^\\circ$"), "f′(x) at 90°");
        assert_eq!(
            text("$\\hat{x}$, $\\vec{v}$, $\\tilde{n}$"),
            "x\u{302}, v\u{20d7}, n\u{303}"
        );
        assert_eq!(text("$\\bar{z}$ and $\\dot{q}$"), "z\u{304} and q\u{307}");
        // Over more than one letter, the accent follows them as the formula
        // gives it.
        assert_eq!(text("$\\widehat{AB}$"), "AB\u{302}");
        assert_eq!(
            plain_text(
                "<math><mover accent=\"true\"><mrow><mi>A</mi><mi>B</mi></mrow><mo>ˆ</mo></mover></math>"
            ),
            "ABˆ"
        );
        // Words in HTML scripts keep their spaces.
        assert_eq!(
            plain_text("E = mc<sup>2</sup>, H<sub>2</sub>O, the 1<sup>st</sup>, x<sup>see note</sup>"),
            "E = mc², H₂O, the 1ˢᵗ, x^(see note)"
        );
        assert_eq!(
            plain_text(
                "<math><mmultiscripts><mi>C</mi><mprescripts/><mn>6</mn><mn>14</mn></mmultiscripts></math>"
            ),
            "¹⁴₆C"
        );
    }

    #[test]
    fn plain_text_decodes_entities_once() {
        assert_eq!(plain_text("<p>a &lt;b&gt; &amp;lt;</p><p>c</p>"), "a <b> &lt; c");
    }
}
