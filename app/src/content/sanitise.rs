//! The allow-list every piece of user HTML passes before it is stored.
//!
//! Anything not listed here is removed: scripts, event handlers, inline
//! styles, frames, forms, and URLs with schemes other than https and mailto.
//!
//! Images and sound come only from Engram's own media store (`/media/…`):
//! an external source would let a card's author see who studies it, and
//! when (the request leaks the learner's address and timing), and change
//! what a stored card shows after it was checked. The page policy agrees
//! (`img-src 'self'; media-src 'self'`, see `crate::security`). Links may
//! go anywhere over https, and open without referrer or opener.

use std::{borrow::Cow, collections::HashSet, sync::LazyLock};

use ammonia::{Builder, Url, UrlRelative};

const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "audio",
    "source",
];

/// MathML Core, as produced by the formula renderer.
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msup",
    "msub",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "munder",
    "mover",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "mmultiscripts",
    "mprescripts",
    "none",
    "merror",
];

const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "accent",
    "accentunder",
    "linethickness",
    "columnalign",
    "rowalign",
    "displaystyle",
    "scriptlevel",
    "width",
    "height",
    "depth",
    "voffset",
    "movablelimits",
    "form",
    "largeop",
    "symmetric",
    "minsize",
    "maxsize",
    "notation",
    "encoding",
];

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .add_tags(HTML_TAGS)
        .add_tags(MATHML_TAGS)
        .add_generic_attributes(["class"])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("abbr", ["title"])
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .add_tag_attributes("audio", ["src", "controls"])
        .add_tag_attributes("source", ["src", "type"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan"])
        .url_schemes(HashSet::from(["https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        // `nofollow`: a shared deck must not lend Engram's standing to links.
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true)
        // Runs after ammonia's own scheme check, on the attributes it kept.
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            (_, "class") => {
                let allowed = value
                    .split_whitespace()
                    .filter(|class| is_allowed_class(class))
                    .collect::<Vec<_>>();
                if allowed.is_empty() {
                    None
                } else {
                    Some(allowed.join(" ").into())
                }
            }
            ("img" | "audio" | "source", "src") => own_media_path(value).map(Cow::Owned),
            ("a", "href") => link_target(value),
            _ => Some(value.into()),
        });
    for tag in MATHML_TAGS {
        builder.add_tag_attributes(tag, MATHML_ATTRIBUTES);
    }
    builder
});

/// Classes the app's own CSS gives meaning to; any other class is dropped so
/// content cannot borrow the app's layout classes to spoof its interface.
fn is_allowed_class(class: &str) -> bool {
    class.starts_with("hl-")
        || class.starts_with("language-")
        || matches!(class, "code" | "cloze" | "type-answer")
}

/// Stands in for the page a card is shown on, to resolve relative URLs as a
/// browser would. `.invalid` names no real host (RFC 2606).
static PAGE: LazyLock<Url> = LazyLock::new(|| Url::parse("https://engram.invalid/").expect("a valid URL"));

/// Whether `src` names a file in Engram's media store: anything else is
/// dropped from the content when it is shown (see [`own_media_path`]).
pub fn is_own_media(src: &str) -> bool {
    own_media_path(src).is_some()
}

/// The path of a file in Engram's media store that `src` names, or `None`
/// for anything else: another host, including protocol-relative `//host`
/// and its backslash forms (`/\host`), which browsers read as a host too.
/// The media file then has no source and loads nothing.
fn own_media_path(src: &str) -> Option<String> {
    let url = PAGE.join(src).ok()?;
    (url.origin() == PAGE.origin() && url.path().starts_with("/media/") && url.path().len() > "/media/".len())
        .then(|| url.path().to_owned())
}

/// Where a link may point: https and mailto URLs (ammonia has refused other
/// schemes already) and paths on Engram itself, as written. A
/// protocol-relative link (`//host`, `/\host`, …) is written out as the
/// https URL a browser would follow, so that it cannot pass for a path.
fn link_target(href: &str) -> Option<Cow<'static, str>> {
    if Url::parse(href).is_ok() {
        return Some(href.to_owned().into());
    }
    let url = PAGE.join(href).ok()?;
    if url.origin() == PAGE.origin() {
        Some(href.to_owned().into())
    } else if url.scheme() == "https" {
        Some(url.to_string().into())
    } else {
        None
    }
}

/// Removes everything from `html` that is not on the allow-list.
pub fn sanitise_html(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The first source in `html` that learners would not see (see
/// [`super::FromElsewhere`]): what [`sanitise_html`] drops from an `<img>`,
/// `<audio>` or `<source>` (the tags it keeps with a source, and their
/// `srcset`, which it never keeps), and any
/// `<video>`, `<iframe>`, `<embed>` or `<object>` with a source or poster
/// (tags it drops whole), found with the same HTML parser so that it reads
/// the tags and quotes as the sanitiser does.
pub fn media_from_elsewhere(html: &str) -> Option<super::FromElsewhere> {
    use std::sync::{Arc, Mutex};

    use super::FromElsewhere;

    let found = Arc::new(Mutex::new(None::<FromElsewhere>));
    let first = Arc::clone(&found);
    let mut finder = Builder::empty();
    finder
        .add_tags(["img", "audio", "source", "video", "iframe", "embed", "object"])
        .add_tag_attributes("img", ["src", "srcset"])
        .add_tag_attributes("audio", ["src"])
        .add_tag_attributes("source", ["src", "srcset"])
        .add_tag_attributes("video", ["src", "poster"])
        .add_tag_attributes("iframe", ["src"])
        .add_tag_attributes("embed", ["src"])
        .add_tag_attributes("object", ["data"])
        // Every scheme an image in pasted text may have, so that the filter
        // below sees it: ammonia drops a URL whose scheme is not listed
        // before then (`cid:` is an image inside an email, as mail programs
        // copy it).
        .url_schemes(HashSet::from([
            "http",
            "https",
            "data",
            "blob",
            "cid",
            "ftp",
            "ftps",
            "file",
            "ipfs",
            "ipns",
            "about",
            "ws",
            "wss",
            "javascript",
        ]))
        .url_relative(UrlRelative::PassThrough)
        // It may be called for attributes not listed above (an `alt`, say):
        // each arm names the attribute it reads.
        .attribute_filter(move |element, attribute, value| {
            let elsewhere = match (element, attribute) {
                ("img" | "audio" | "source", "src") if !is_own_media(value) => {
                    Some(FromElsewhere::Media(value.to_owned()))
                }
                // The sanitiser keeps no `srcset`: an image offered only
                // there (or in a `<picture>`'s sources) shows as nothing.
                ("img" | "source", "srcset") => value
                    .split(',')
                    .filter_map(|candidate| candidate.split_whitespace().next())
                    .find(|address| !is_own_media(address))
                    .map(|address| FromElsewhere::Media(address.to_owned())),
                ("video" | "iframe" | "embed", "src") | ("video", "poster") | ("object", "data") => {
                    Some(FromElsewhere::Embedded(value.to_owned()))
                }
                _ => None,
            };
            if let Some(elsewhere) = elsewhere {
                let mut first = first.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                first.get_or_insert(elsewhere);
            }
            Some(value.into())
        });
    // Only the filter's record is wanted, not the cleaned text.
    drop(finder.clean(html));
    let first = found
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take();
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::render_markdown;

    /// From the OWASP XSS Filter Evasion Cheat Sheet, plus mutation-XSS and
    /// Markdown-specific vectors.
    const XSS_VECTORS: &[&str] = &[
        "<script>alert('XSS')</script>",
        "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=javascript:alert('XSS')>",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
        "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
        "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
        "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
        "<IMG SRC=# onmouseover=\"alert('xxs')\">",
        "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
        "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
        "<IMG SRC=\"jav\tascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        "<SCRIPT/XSS SRC=\"https://xss.rocks/xss.js\"></SCRIPT>",
        "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
        "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
        "<SCRIPT SRC=https://xss.rocks/xss.js?< B >",
        "<iframe src=https://xss.rocks/scriptlet.html <",
        "<svg/onload=alert('XSS')>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<a href=\"javas&#99;ript:alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<STYLE>@import'https://xss.rocks/xss.css';</STYLE>",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
        "<DIV STYLE=\"width: expression(alert('XSS'));\">",
        "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://xss.rocks/scriptlet.html\"></OBJECT>",
        "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" type=\"image/svg+xml\">",
        "<FORM ACTION=\"javascript:alert(1)\"><INPUT TYPE=SUBMIT></FORM>",
        "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        "<audio src=x onerror=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
        "[click me](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "<span class=\"fixed inset-0 bg-white\">fake login</span>",
    ];

    /// Checks every tag left in sanitised output: no dangerous element, no
    /// event handler or style, no URL with a scheme other than https or
    /// mailto, and no class outside the allow-list. Text is inert, so an
    /// escaped `&lt;script&gt;` passes.
    fn assert_harmless(html: &str, vector: &str) {
        const FORBIDDEN_TAGS: &[&str] = &[
            "script", "iframe", "object", "embed", "style", "meta", "link", "base", "form", "input", "svg",
            "body", "details", "mglyph",
        ];
        for tag in html
            .split('<')
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
        {
            let mut parts = tag.split('"');
            let head = parts.next().unwrap_or_default().to_lowercase();
            let mut words = head.split_whitespace();
            let name = words.next().unwrap_or_default().trim_start_matches('/');
            assert!(
                !FORBIDDEN_TAGS.contains(&name),
                "<{name}> survived {vector:?}: {html}"
            );
            let mut attribute = words.last().unwrap_or_default().trim_end_matches('=').to_owned();
            while let Some(value) = parts.next() {
                let value = value.replace("&amp;", "&").replace("&quot;", "\"").to_lowercase();
                assert!(
                    !attribute.starts_with("on")
                        && !["style", "background", "xlink:href", "formaction"].contains(&attribute.as_str()),
                    "attribute `{attribute}` survived {vector:?}: {html}"
                );
                if attribute == "href" || attribute == "src" {
                    let scheme = value.trim().split_once(':').map(|(scheme, _)| scheme.to_owned());
                    if let Some(scheme) = scheme.filter(|scheme| {
                        scheme
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    }) {
                        assert!(
                            ["https", "mailto"].contains(&scheme.as_str()),
                            "`{scheme}:` URL survived {vector:?}: {html}"
                        );
                    }
                }
                if attribute == "class" {
                    assert!(
                        value.split_whitespace().all(is_allowed_class),
                        "class survived {vector:?}: {html}"
                    );
                }
                attribute = parts
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_end_matches('=')
                    .to_lowercase();
            }
        }
    }

    #[test]
    fn the_owasp_xss_vectors_are_neutralised() {
        for vector in XSS_VECTORS {
            assert_harmless(&sanitise_html(vector), vector);
        }
    }

    #[test]
    fn the_owasp_xss_vectors_are_neutralised_inside_markdown() {
        for vector in XSS_VECTORS {
            if let Ok(html) = render_markdown(vector) {
                assert_harmless(&html, vector);
            }
        }
    }

    #[test]
    #[should_panic(expected = "attribute `onerror` survived")]
    fn the_checker_catches_an_event_handler() {
        assert_harmless("<img src=\"x.png\" onerror=\"alert(1)\">", "unsanitised");
    }

    #[test]
    #[should_panic(expected = "`javascript:` URL survived")]
    fn the_checker_catches_a_script_url() {
        assert_harmless("<a href=\"JavaScript:alert(1)\">x</a>", "unsanitised");
    }

    #[test]
    fn mathml_survives_sanitising() {
        let html = "<math display=\"block\"><mfrac><mi>a</mi><mn>2</mn></mfrac></math>";
        assert_eq!(sanitise_html(html), html);
    }

    #[test]
    fn images_and_sound_from_other_hosts_lose_their_source() {
        for html in [
            "<img src=\"https://tracker.example/pixel.png\" alt=\"x\">",
            "<img src=\"//tracker.example/pixel.png\" alt=\"x\">",
            "<img src=\"/\\tracker.example/pixel.png\" alt=\"x\">",
            "<img src=\"\\\\tracker.example/pixel.png\" alt=\"x\">",
            "<img src=\"/\t/tracker.example/pixel.png\" alt=\"x\">",
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"x\">",
            "<img src=\"/media/../api/logout\" alt=\"x\">",
            "<img src=\"/decks/1\" alt=\"x\">",
            "<audio controls src=\"https://tracker.example/a.mp3\"></audio>",
            "<audio controls><source src=\"//tracker.example/a.mp3\" type=\"audio/mpeg\"></audio>",
            "<IMG SRC=\"HTTP://tracker.example/loud.png\">",
            "<img src=\"cid:image001.png@01D9\">",
            "<img src=\"&#x68;ttps://tracker.example/encoded.png\">",
            "<video controls src=\"https://tracker.example/v.mp4\"></video>",
            "<video poster=\"https://tracker.example/still.jpg\"><source src=\"https://tracker.example/v.webm\"></video>",
            "<iframe src=\"https://tracker.example/embed\"></iframe>",
            "<embed src=\"https://tracker.example/a.swf\">",
            "<object data=\"https://tracker.example/a.pdf\"></object>",
            "<img srcset=\"https://tracker.example/a.png 1x, https://tracker.example/b.png 2x\">",
            "<picture><source srcset=\"https://tracker.example/a.webp\"><img alt=\"x\"></picture>",
        ] {
            let clean = sanitise_html(html);
            assert!(!clean.contains("src="), "{html} became {clean}");
            assert!(!clean.contains("tracker"), "{html} became {clean}");
            // Each source the sanitiser drops is one its author is told of.
            assert!(
                media_from_elsewhere(html).is_some(),
                "{html} was dropped unreported"
            );
        }
        let own = format!(
            "<img src=\"/media/{sha}\" srcset=\"/media/{sha} 2x\"> <audio src=\"media/a.mp3\"></audio>",
            sha = "a".repeat(64)
        );
        assert_eq!(media_from_elsewhere(&own), None);
    }

    #[test]
    fn media_from_the_media_store_keeps_its_source() {
        let sha = "a".repeat(64);
        assert_eq!(
            sanitise_html(&format!("<img src=\"/media/{sha}\" alt=\"cell\">")),
            format!("<img src=\"/media/{sha}\" alt=\"cell\">")
        );
        assert_eq!(
            sanitise_html(&format!(
                "<audio controls><source src=\"/media/{sha}\" type=\"audio/mpeg\"></audio>"
            )),
            format!("<audio controls=\"\"><source src=\"/media/{sha}\" type=\"audio/mpeg\"></audio>")
        );
    }

    #[test]
    fn protocol_relative_links_become_https_links_to_that_host() {
        for href in [
            "//evil.example/login",
            "/\\evil.example/login",
            "\\\\evil.example/login",
        ] {
            let clean = sanitise_html(&format!("<a href=\"{href}\">x</a>"));
            assert!(
                clean.contains("href=\"https://evil.example/login\""),
                "{href} became {clean}"
            );
        }
    }

    #[test]
    fn links_to_engram_and_to_https_pages_are_kept_without_referrer_or_ranking() {
        for href in [
            "/decks/1",
            "#top",
            "https://example.org/page",
            "mailto:ada@example.org",
        ] {
            let clean = sanitise_html(&format!("<a href=\"{href}\">x</a>"));
            assert_eq!(
                clean,
                format!("<a href=\"{href}\" rel=\"noopener noreferrer nofollow\">x</a>")
            );
        }
        assert!(!sanitise_html("<a href=\"http://example.org\">x</a>").contains("href"));
    }

    #[test]
    fn only_known_classes_are_kept() {
        assert_eq!(
            sanitise_html("<span class=\"hl-keyword absolute cloze\">x</span>"),
            "<span class=\"hl-keyword cloze\">x</span>"
        );
    }
}
