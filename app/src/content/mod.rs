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
/// its rendered symbols (`H2O`), never as its LaTeX source, which MathML
/// keeps in an `<annotation>`.
pub fn plain_text(html: &str) -> String {
    const BLOCKS: [&str; 16] = [
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
        "math",
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_annotation = false;
    while let Some(start) = rest.find('<') {
        if !in_annotation {
            text.push_str(&rest[..start]);
        }
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "annotation" {
            in_annotation = !tag.starts_with('/');
        } else if BLOCKS.contains(&name.as_str()) || name.starts_with('h') && name.len() == 2 {
            text.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    if !in_annotation {
        text.push_str(rest);
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
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
        assert_eq!(text, "Water is H2O & more one two");
        assert!(!text.contains('$') && !text.contains('*') && !text.contains('<'));
    }

    #[test]
    fn plain_text_decodes_entities_once() {
        assert_eq!(plain_text("<p>a &lt;b&gt; &amp;lt;</p><p>c</p>"), "a <b> &lt; c");
    }
}
