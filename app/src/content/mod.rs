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
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM;
    let mut events = Vec::new();
    let mut code_block: Option<(String, String)> = None;
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
                        &code, &language,
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
    Ok(sanitise_html(&html))
}

fn math(latex: &str, display: MathDisplay) -> Result<String, RenderError> {
    let converter = LATEX
        .as_ref()
        .ok_or_else(|| RenderError("Formulas cannot be rendered right now.".into()))?;
    converter
        .convert_with_local_state(latex, display)
        .map(|result| result.mathml)
        .map_err(|error| {
            RenderError(format!(
                "The formula `{}` could not be read: {error}.",
                latex.trim()
            ))
        })
}

/// Stored card HTML as one line of plain text, for places that list cards
/// rather than show them (the card browser): tags dropped, block elements
/// and line breaks become spaces, entities decoded, and a formula reads as
/// its rendered symbols (`H₂O`, `10²³`), never as its LaTeX source, which
/// MathML keeps in an `<annotation>`. A superscript or subscript that has
/// no Unicode form reads as `x^(n+1)` or `a_(ij)`, so that `10^(23)` never
/// reads as 1023.
pub fn plain_text(html: &str) -> String {
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
    let mut out = PlainText::default();
    let mut open: Vec<OpenElement> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_text(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if BLOCKS.contains(&name.as_str()) || name.starts_with('h') && name.len() == 2 {
            out.push_text(" ");
        }
        if closing {
            // Sanitised HTML is well formed; an element left open inside
            // the one closing ends with it.
            if let Some(at) = open.iter().rposition(|element| element.name == name) {
                for element in open.drain(at..).rev() {
                    out.close(element.kind);
                    if element.is_block_formula {
                        out.push_text(" ");
                    }
                }
            }
            continue;
        }
        // A formula on a line of its own stands apart; one in a sentence
        // sits in it, as in `H₂O, water`.
        let is_block_formula = name == "math" && tag.contains("display=\"block\"");
        if is_block_formula {
            out.push_text(" ");
        }
        // A script is HTML's `sup` or `sub`, or the second (and third)
        // child of MathML's `msup`, `msub` or `msubsup`.
        let script = match open.last_mut() {
            Some(parent) => {
                parent.children += 1;
                match (parent.name.as_str(), parent.children) {
                    ("msup", 2) | ("msubsup", 3) => Some(Script::Super),
                    ("msub", 2) | ("msubsup", 2) => Some(Script::Sub),
                    _ => None,
                }
            }
            None => None,
        }
        .or(match name.as_str() {
            "sup" => Some(Script::Super),
            "sub" => Some(Script::Sub),
            _ => None,
        });
        if tag.ends_with('/') || EMPTY.contains(&name.as_str()) {
            continue;
        }
        let kind = match script {
            Some(script) => ElementKind::Script(script),
            None if name == "annotation" => ElementKind::Hidden,
            None => ElementKind::Plain,
        };
        out.open(kind);
        open.push(OpenElement {
            name,
            children: 0,
            kind,
            is_block_formula,
        });
    }
    out.push_text(rest);
    for element in open.into_iter().rev() {
        out.close(element.kind);
    }
    out.text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Super,
    Sub,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ElementKind {
    Plain,
    Script(Script),
    /// A formula's LaTeX source, which is not what the card shows.
    Hidden,
}

struct OpenElement {
    name: String,
    /// Child elements opened so far.
    children: usize,
    kind: ElementKind,
    is_block_formula: bool,
}

/// The text being written: the line so far, and the scripts still open,
/// each written out when it closes, once its whole content is known.
#[derive(Default)]
struct PlainText {
    text: String,
    scripts: Vec<(Script, String)>,
    hidden: usize,
}

impl PlainText {
    fn push_text(&mut self, raw: &str) {
        if self.hidden > 0 || raw.is_empty() {
            return;
        }
        let decoded = raw
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&");
        match self.scripts.last_mut() {
            Some((_, content)) => content.push_str(&decoded),
            None => self.text.push_str(&decoded),
        }
    }

    fn open(&mut self, kind: ElementKind) {
        match kind {
            ElementKind::Plain => {}
            ElementKind::Script(script) => self.scripts.push((script, String::new())),
            ElementKind::Hidden => self.hidden += 1,
        }
    }

    fn close(&mut self, kind: ElementKind) {
        match kind {
            ElementKind::Plain => {}
            ElementKind::Script(_) => {
                if let Some((script, content)) = self.scripts.pop() {
                    let written = written_script(script, &content);
                    match self.scripts.last_mut() {
                        Some((_, outer)) => outer.push_str(&written),
                        None => self.text.push_str(&written),
                    }
                }
            }
            ElementKind::Hidden => self.hidden = self.hidden.saturating_sub(1),
        }
    }
}

/// A script in Unicode's superscript or subscript characters when each of
/// its characters has one, else after `^` or `_`, in brackets if longer
/// than one character.
fn written_script(script: Script, content: &str) -> String {
    let content: String = content.split_whitespace().collect();
    if content.is_empty() {
        return content;
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
        'n' => 'ⁿ',
        'i' => 'ⁱ',
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
    fn a_broken_formula_is_an_error_that_quotes_it() {
        let error = render_markdown(r"Oops: $\frac{1}$").unwrap_err();
        assert!(error.0.contains(r"\frac{1}"), "{error}");
        assert!(render_markdown(r"$\nosuchcommand{x}$").is_err());
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
            text("$e^{i\\pi}$ and $x^y$ and $x_{\\max}$"),
            "e^(iπ) and x^y and xₘₐₓ"
        );
        assert_eq!(text("$x_1^2$"), "x₁²");
        assert_eq!(
            text("Water, $H_2O$, and\n\n$$E = mc^2$$\nmore"),
            "Water, H₂O, and E=mc² more"
        );
        assert_eq!(
            plain_text("E = mc<sup>2</sup>, H<sub>2</sub>O, x<sup>a b</sup>"),
            "E = mc², H₂O, x^(ab)"
        );
    }

    #[test]
    fn plain_text_decodes_entities_once() {
        assert_eq!(plain_text("<p>a &lt;b&gt; &amp;lt;</p><p>c</p>"), "a <b> &lt; c");
    }
}
