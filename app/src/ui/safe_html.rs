//! The only places where user text reaches HTML outside tachys' normal
//! escaped text path.
//!
//! tachys escapes text children and attribute values, with two exceptions
//! that matter here:
//! - the text children of `<textarea>` are written raw (it treats them like
//!   `<script>`), so `</textarea>` in a description closed the field and the
//!   rest of the description became live markup in the edit form;
//! - `leptos_meta`'s `<Title>` writes its text raw into `<title>`, so a deck
//!   title could end the title and add `<meta http-equiv="refresh">`.
//!
//! Every textarea and every page title goes through this module, and a test
//! below searches `app/src` to keep it that way.

use leptos::prelude::*;
use leptos_meta::Title;

/// Escapes text for an HTML text context (element content, including the
/// raw-text content of `<textarea>` and `<title>`).
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The initial content of a `<textarea>` as markup: escaped, and with the
/// newline the HTML parser drops after `<textarea>` put back in front, so a
/// value that starts with a blank line survives a form post without
/// JavaScript.
fn textarea_markup(value: &str) -> String {
    let escaped = escape_html(value);
    if value.starts_with('\n') {
        format!("\n{escaped}")
    } else {
        escaped
    }
}

/// A multi-line text field. The initial value is written as escaped markup
/// (`inner_html`, which hydration leaves alone) for the page without
/// JavaScript, and kept in the `value` property once the page is live; it is
/// never a text child, which tachys would not escape.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    /// The field's content; the textarea follows it when it changes.
    #[prop(into)]
    value: Signal<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(into, default = "field-input".to_owned())] class: String,
    #[prop(into, optional)] described_by: Option<String>,
    /// Whether the message that describes it says what is wrong with it.
    #[prop(into, optional)]
    invalid: Signal<bool>,
    #[prop(into, optional)] placeholder: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional_no_strip)] maxlength: Option<usize>,
    /// Called with the new content on every edit.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
    /// The most the server takes: a count shows under the field as the
    /// text nears it (`maxlength` would cut a paste short without a word).
    #[prop(optional_no_strip)]
    limit: Option<super::TextLimit>,
) -> impl IntoView {
    let initial_markup = textarea_markup(&value.get_untracked());
    let count_id = format!("{id}-count");
    // What the field holds as typed, which `value` may not follow.
    let used = RwSignal::new(limit.map_or(0, |limit| limit.used_by(&value.get_untracked())));
    if let Some(limit) = limit {
        Effect::new(move |_| used.set(value.with(|text| limit.used_by(text))));
    }
    let count = Memo::new(move |_| limit.and_then(|limit| limit.count(used.get())));
    let described_by = match (described_by, limit) {
        (Some(message_id), Some(_)) => Some(format!("{message_id} {count_id}")),
        (None, Some(_)) => Some(count_id.clone()),
        (described_by, None) => described_by,
    };
    view! {
        <textarea
            id=id
            name=name
            rows=rows
            class=class
            aria-describedby=described_by
            aria-invalid=move || invalid.get().to_string()
            placeholder=placeholder
            required=required
            maxlength=maxlength
            inner_html=initial_markup
            prop:value=move || value.get()
            on:input=move |event| {
                let text = event_target_value(&event);
                if let Some(limit) = limit {
                    used.set(limit.used_by(&text));
                }
                if let Some(on_input) = on_input {
                    on_input.run(text);
                }
            }
        />
        {limit
            .map(|_| {
                view! {
                    <p
                        id=count_id
                        class=move || {
                            if count.with(|count| count.as_ref().is_some_and(|(_, over)| *over)) {
                                "text-right text-xs font-semibold tabular-nums text-red-600 dark:text-red-400"
                            } else {
                                "text-right text-xs tabular-nums text-slate-500 dark:text-slate-400"
                            }
                        }
                        data-testid="text-count"
                    >
                        {move || count.get().map(|(text, _)| text)}
                    </p>
                }
            })}
    }
}

/// Sets the document title. The server writes it escaped; in the browser it
/// is set as text through the DOM, which needs no escaping.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let text = if cfg!(feature = "ssr") {
        escape_html(&text)
    } else {
        text
    };
    view! { <Title text /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape_html(r#"</textarea><form action="/x">'&"#),
            "&lt;/textarea&gt;&lt;form action=&quot;/x&quot;&gt;&#39;&amp;"
        );
    }

    #[test]
    fn a_leading_newline_survives_the_parser() {
        assert_eq!(textarea_markup("\nindented"), "\n\nindented");
        assert_eq!(textarea_markup("plain"), "plain");
    }

    /// Every `.rs` file under `app/src`, with its path.
    fn app_sources() -> Vec<(std::path::PathBuf, String)> {
        fn walk(folder: &std::path::Path, files: &mut Vec<(std::path::PathBuf, String)>) {
            for entry in std::fs::read_dir(folder).expect("app/src is readable") {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    walk(&path, files);
                } else if path.extension().is_some_and(|extension| extension == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                    files.push((path, text));
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        files
    }

    /// `path:line: text` of each line outside this file that `offends`.
    fn lines_elsewhere(offends: impl Fn(&str) -> bool) -> Vec<String> {
        let this_file = std::path::Path::new(file!()).file_name().unwrap();
        app_sources()
            .into_iter()
            .filter(|(path, _)| path.file_name() != Some(this_file))
            .flat_map(|(path, text)| {
                text.lines()
                    .enumerate()
                    .filter(|(_, line)| offends(line))
                    .map(|(number, line)| format!("{}:{}: {}", path.display(), number + 1, line.trim()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn no_view_writes_a_textarea_or_a_title_except_through_this_module() {
        let offenders = lines_elsewhere(|line| {
            line.contains("<textarea") || line.replace("PageTitle", "").contains("Title text")
        });
        assert!(
            offenders.is_empty(),
            "use ui::TextArea and ui::PageTitle instead:\n{}",
            offenders.join("\n")
        );
    }

    #[test]
    fn raw_html_is_set_only_from_sanitised_fields() {
        // `inner_html` bypasses escaping. Outside this module it may only
        // take HTML that `content::sanitise` produced, which by convention
        // lives in fields named `*_html`.
        let offenders = lines_elsewhere(|line| {
            let Some((_, value)) = line.split_once("inner_html=") else {
                return false;
            };
            let expression: String = value
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '(' | ')'))
                .collect();
            !expression.trim_end_matches(".clone()").ends_with("_html")
        });
        assert!(
            offenders.is_empty(),
            "unsanitised inner_html:\n{}",
            offenders.join("\n")
        );
    }
}
