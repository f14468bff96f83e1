//! Every text field of every form, found by reading the pages the way a
//! browser does, is submitted with markup that tries to escape its context
//! and with a NUL byte; then every page anyone can reach is read back, and
//! none may contain an element the submitted text created.
//!
//! Nothing here lists forms or fields: a form added to any page is probed
//! as soon as a page links to it, so this suite covers new features by
//! construction.

use std::collections::{BTreeSet, HashMap, VecDeque};

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use scraper::{ElementRef, Html, Selector};

use crate::support::{self, admin, create_deck, member, TestApp};

/// Text that breaks out of a textarea, a title, an attribute or a text
/// node if it is written unescaped anywhere. Each breakout creates an
/// element marked `data-probe`, which the read-back looks for.
const MARKUP: &str = concat!(
    "Probe </textarea></title><form data-probe=\"form\">",
    "<meta data-probe=\"meta\" http-equiv=\"refresh\" content=\"0;url=/\">",
    "\"'><svg data-probe=\"svg\" onload=\"alert(1)\">"
);
const NUL: &str = "Probe \u{0} text";

/// Actions that would end the crawl's own session or remove what it reads
/// back. They take no free text that a page shows.
const SKIPPED_ACTIONS: [&str; 4] = ["delete", "logout", "change-role", "remove"];

/// At most this many pages per crawl, so a link loop cannot run forever.
const MAX_PAGES: usize = 250;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

/// A form as the page renders it.
#[derive(Debug, Clone)]
struct PageForm {
    page: String,
    method_is_post: bool,
    action: String,
    /// Every successful control with its current value, in order.
    controls: Vec<(String, String)>,
    /// The names among `controls` a person types free text into.
    text_fields: Vec<String>,
}

fn forms_of(page: &str, html: &Html) -> Vec<PageForm> {
    let form_selector = selector("form");
    let control_selector = selector("input, textarea, select, button");
    let option_selector = selector("option");
    html.select(&form_selector)
        .filter_map(|form| {
            let action = form.value().attr("action")?.to_owned();
            if !action.starts_with('/') {
                return None;
            }
            let method_is_post = form
                .value()
                .attr("method")
                .is_some_and(|method| method.eq_ignore_ascii_case("post"));
            let mut controls = Vec::new();
            let mut text_fields = Vec::new();
            let mut submit_taken = false;
            for control in form.select(&control_selector) {
                let element = control.value();
                let Some(name) = element.attr("name").map(str::to_owned) else {
                    continue;
                };
                let value = element.attr("value").unwrap_or_default().to_owned();
                match element.name() {
                    "textarea" => {
                        text_fields.push(name.clone());
                        controls.push((name, control.text().collect()));
                    }
                    "select" => {
                        let options: Vec<ElementRef> = control.select(&option_selector).collect();
                        let chosen = options
                            .iter()
                            .find(|option| option.value().attr("selected").is_some())
                            .or(options.first());
                        if let Some(option) = chosen {
                            let value = option
                                .value()
                                .attr("value")
                                .map(str::to_owned)
                                .unwrap_or_else(|| option.text().collect());
                            controls.push((name, value));
                        }
                    }
                    "button" => {
                        if !submit_taken && element.attr("type").is_none_or(|kind| kind == "submit") {
                            submit_taken = true;
                            controls.push((name, value));
                        }
                    }
                    _ => match element
                        .attr("type")
                        .unwrap_or("text")
                        .to_ascii_lowercase()
                        .as_str()
                    {
                        "checkbox" | "radio" => {
                            if element.attr("checked").is_some() {
                                controls.push((name, if value.is_empty() { "on".into() } else { value }));
                            }
                        }
                        "submit" => {
                            if !submit_taken {
                                submit_taken = true;
                                controls.push((name, value));
                            }
                        }
                        "file" | "image" | "reset" | "button" => {}
                        "hidden" | "number" | "date" | "range" | "color" => controls.push((name, value)),
                        _ => {
                            text_fields.push(name.clone());
                            controls.push((name, value));
                        }
                    },
                }
            }
            Some(PageForm {
                page: page.to_owned(),
                method_is_post,
                action,
                controls,
                text_fields,
            })
        })
        .collect()
}

/// Same-site page links: paths only, without fragments, and not files or
/// server functions.
fn links_of(html: &Html) -> Vec<String> {
    html.select(&selector("a[href]"))
        .filter_map(|link| link.value().attr("href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| {
            !href.is_empty()
                && !["/api/", "/media/", "/pkg/"]
                    .iter()
                    .any(|prefix| href.starts_with(prefix))
        })
        .collect()
}

/// Reads every page reachable from `starts` by links, as `app`'s user.
async fn crawl(app: &mut TestApp, starts: &[&str]) -> Vec<(String, StatusCode, String)> {
    let mut queue: VecDeque<String> = starts.iter().map(|start| (*start).to_owned()).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    // Search and filter links multiply; a few variants of each path suffice.
    let mut variants_per_path: HashMap<String, usize> = HashMap::new();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= MAX_PAGES {
            break;
        }
        let response = app.get(&path).await;
        let html = Html::parse_document(&response.body);
        for link in links_of(&html) {
            let bare_path = link.split('?').next().unwrap_or_default().to_owned();
            let variants = variants_per_path.entry(bare_path).or_default();
            if *variants < 3 && seen.insert(link.clone()) {
                *variants += 1;
                queue.push_back(link);
            }
        }
        pages.push((path, response.status, response.body));
    }
    pages
}

/// `form` with `probe` in `field` and every other control as the page had
/// it, required empty text filled in so the probe is not refused for them.
fn filled(form: &PageForm, field: &str, probe: &str) -> Vec<(String, String)> {
    form.controls
        .iter()
        .map(|(name, value)| {
            if name == field {
                (name.clone(), probe.to_owned())
            } else if form.text_fields.contains(name) && value.is_empty() {
                (name.clone(), "Probe".to_owned())
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect()
}

async fn submit(app: &mut TestApp, form: &PageForm, pairs: &[(String, String)]) -> (StatusCode, String) {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let body = support::encode_form(&pairs);
    let request = if form.method_is_post {
        Request::post(&form.action)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, app.origin)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    } else {
        Request::get(format!("{}?{body}", form.action))
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap()
    };
    let response = app.send(request).await;
    (response.status, response.body)
}

/// Elements that submitted text created, and `<title>`s beyond the one.
fn injected_markup(html: &Html) -> Vec<String> {
    let mut found: Vec<String> = html
        .select(&selector("[data-probe], meta[http-equiv], svg[onload]"))
        .map(|element| element.html().chars().take(120).collect())
        .collect();
    let titles = html.select(&selector("title")).count();
    if titles > 1 {
        found.push(format!("{titles} <title> elements"));
    }
    found
}

struct Probed {
    forms: BTreeSet<String>,
    fields: usize,
}

/// Submits every text field of every form on `pages` with both probes, as
/// `app`'s user. A form already probed (same action and fields) is skipped.
async fn probe_forms(
    app: &mut TestApp,
    pages: &[(String, StatusCode, String)],
    probed: &mut Probed,
    failures: &mut Vec<String>,
) {
    let mut forms: Vec<PageForm> = Vec::new();
    for (page, _, body) in pages {
        for form in forms_of(page, &Html::parse_document(body)) {
            let key = format!("{} {}", form.action, form.text_fields.join(","));
            let is_skipped = SKIPPED_ACTIONS
                .iter()
                .any(|skipped| form.action.contains(skipped));
            if !form.text_fields.is_empty() && !is_skipped && probed.forms.insert(key) {
                forms.push(form);
            }
        }
    }
    for form in forms {
        for field in &form.text_fields {
            probed.fields += 1;
            let (status, body) = submit(app, &form, &filled(&form, field, MARKUP)).await;
            if status.is_server_error() {
                failures.push(format!(
                    "{} {} with markup in {field} (form on {}): {status} {body}",
                    if form.method_is_post { "POST" } else { "GET" },
                    form.action,
                    form.page
                ));
            }
            if !form.method_is_post {
                for element in injected_markup(&Html::parse_document(&body)) {
                    failures.push(format!("GET {} echoed {field} as markup: {element}", form.action));
                }
            }
            let (status, body) = submit(app, &form, &filled(&form, field, NUL)).await;
            if !status.is_client_error() {
                failures.push(format!(
                    "{} {} with NUL in {field} (form on {}): {status}, expected 4xx: {}",
                    if form.method_is_post { "POST" } else { "GET" },
                    form.action,
                    form.page,
                    body.chars().take(200).collect::<String>()
                ));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitted_text_never_becomes_markup_on_any_page() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;

    // Something of each kind, so that edit forms exist: a public deck with a
    // note and a subdeck, a course with a lesson, a custom note type.
    let deck_id = create_deck(&mut teacher, "Spanish verbs", "public").await;
    let note = teacher
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck_id),
                ("input[note_type]", "basic"),
                ("input[fields][0]", "hablar"),
                ("input[fields][1]", "to speak"),
                ("input[tags]", "verbs"),
            ],
        )
        .await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.body);
    let course = teacher
        .call(
            "courses/create",
            &[
                ("input[title]", "Spanish in a week"),
                ("input[description]", "Everyday words."),
                ("input[category]", "Languages"),
                ("input[level]", "beginner"),
                ("input[language]", "es"),
                ("input[slug]", "spanish-in-a-week"),
            ],
        )
        .await;
    assert_eq!(course.status, StatusCode::OK, "{}", course.body);
    let course_id: String = sqlx::query_scalar::<_, uuid::Uuid>("select id from courses")
        .fetch_one(&pool)
        .await
        .unwrap()
        .to_string();
    let lesson = teacher
        .call(
            "courses/lessons/create",
            &[("course_id", &course_id), ("title", "Greetings")],
        )
        .await;
    assert_eq!(lesson.status, StatusCode::OK, "{}", lesson.body);
    let published = teacher
        .call(
            "courses/status",
            &[("course_id", &course_id), ("status", "published")],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    learner.call("courses/enrol", &[("course_id", &course_id)]).await;

    let teacher_starts = [
        "/",
        "/dashboard",
        "/note-types",
        "/browse",
        "/catalogue",
        "/courses/new",
    ];
    let mut probed = Probed {
        forms: BTreeSet::new(),
        fields: 0,
    };
    let mut failures = Vec::new();

    // Forms that sign someone in are probed by visitors, each a new one.
    let visitor_pages = crawl(&mut TestApp::new(pool.clone()).await, &["/login", "/register"]).await;
    for page in &visitor_pages {
        let mut visitor = TestApp::new(pool.clone()).await;
        probe_forms(
            &mut visitor,
            std::slice::from_ref(page),
            &mut probed,
            &mut failures,
        )
        .await;
    }
    // A second round reaches the edit forms of what the first one created.
    for _ in 0..2 {
        let pages = crawl(&mut teacher, &teacher_starts).await;
        let pages: Vec<_> = pages
            .into_iter()
            .filter(|(page, _, _)| page != "/login" && page != "/register")
            .collect();
        probe_forms(&mut teacher, &pages, &mut probed, &mut failures).await;
    }
    let admin_pages = crawl(&mut admin, &["/admin"]).await;
    probe_forms(&mut admin, &admin_pages, &mut probed, &mut failures).await;

    // Read everything back, as everyone who could see it.
    let mut pages_read = 0;
    let mut pages_showing_the_probe = 0;
    let mut visitor = TestApp::new(pool.clone()).await;
    let readers: [(&str, &mut TestApp, &[&str]); 4] = [
        ("teacher", &mut teacher, &teacher_starts),
        ("learner", &mut learner, &["/dashboard", "/catalogue"]),
        ("admin", &mut admin, &["/admin", "/dashboard", "/catalogue"]),
        ("visitor", &mut visitor, &["/", "/catalogue"]),
    ];
    for (reader, app, starts) in readers {
        for (page, status, body) in crawl(app, starts).await {
            pages_read += 1;
            if status.is_server_error() {
                failures.push(format!("{reader} read {page}: {status}"));
            }
            let html = Html::parse_document(&body);
            for element in injected_markup(&html) {
                failures.push(format!("{reader} read {page}: injected {element}"));
            }
            if html.root_element().text().any(|text| text.contains("data-probe")) {
                pages_showing_the_probe += 1;
            }
        }
    }

    // Proof that the suite saw what it should: the forms it found, and
    // pages that show the submitted text (escaped).
    let forms: Vec<&String> = probed.forms.iter().collect();
    assert!(
        probed.forms.len() >= 12 && probed.fields >= 25,
        "only {} forms and {} fields found: {forms:#?}",
        probed.forms.len(),
        probed.fields
    );
    for expected in [
        "/api/register",
        "/api/decks/create",
        "/api/decks/update",
        "/api/courses/update",
        "/api/courses/lessons/update",
        "/api/note-types/create",
        "/api/notes/create",
    ] {
        assert!(
            forms.iter().any(|form| form.starts_with(expected)),
            "no form posting to {expected} was found: {forms:#?}"
        );
    }
    assert!(
        pages_showing_the_probe >= 5,
        "the probe text shows on only {pages_showing_the_probe} of {pages_read} pages"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
