//! Catalogue search against a real database: ranking, typo tolerance,
//! filters, what is never listed, and keyset pagination without gaps or
//! duplicates.

mod support;

use std::collections::HashSet;

use axum::{body::Body, http::Request, http::StatusCode};
use sqlx::PgPool;
use support::{admin, create_deck, encode_form, member, TestApp, TestResponse};

async fn search(app: &mut TestApp, params: &[(&str, &str)]) -> TestResponse {
    let pairs: Vec<(String, &str)> = params
        .iter()
        .map(|(name, value)| (format!("query[{name}]"), *value))
        .collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    let request = Request::get(format!("/api/catalogue/search?{}", encode_form(&pairs)))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

fn titles(response: &TestResponse) -> Vec<String> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn describe_deck(app: &mut TestApp, deck_id: &str, title: &str, description: &str, language: &str) {
    let response = app
        .call(
            "decks/update",
            &[
                ("deck_id", deck_id),
                ("input[title]", title),
                ("input[description]", description),
                ("input[language]", language),
                ("input[visibility]", "public"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

/// A published course, made through the server functions.
async fn publish_course(app: &mut TestApp, pool: &PgPool, title: &str, category: &str, level: &str) {
    let response = app
        .call(
            "courses/create",
            &[
                ("input[title]", title),
                ("input[description]", ""),
                ("input[category]", category),
                ("input[level]", level),
                ("input[language]", "es"),
                ("input[slug]", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let slug = response.json().as_str().unwrap().to_owned();
    let id: uuid::Uuid = sqlx::query_scalar("select id from courses where slug = $1")
        .bind(&slug)
        .fetch_one(pool)
        .await
        .unwrap();
    let id = id.to_string();
    app.call("courses/lessons/create", &[("course_id", &id), ("title", "One")])
        .await;
    let published = app
        .call("courses/status", &[("course_id", &id), ("status", "published")])
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
}

#[tokio::test]
async fn the_title_ranks_over_the_description_over_card_text() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let in_cards = create_deck(&mut admin, "Geology drills", "public").await;
    support::add_basic_note(&mut admin, &in_cards, "What erupts from a volcano?", "Lava", "").await;
    let in_description = create_deck(&mut admin, "Earth science", "public").await;
    describe_deck(
        &mut admin,
        &in_description,
        "Earth science",
        "Plates, quakes and the volcano.",
        "",
    )
    .await;
    create_deck(&mut admin, "Volcano basics", "public").await;
    create_deck(&mut admin, "Unrelated", "public").await;

    let mut visitor = TestApp::new(pool).await;
    let found = titles(&search(&mut visitor, &[("q", "volcano")]).await);
    assert_eq!(found, ["Volcano basics", "Earth science", "Geology drills"]);
}

#[tokio::test]
async fn a_misspelled_search_still_finds_the_course() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    publish_course(&mut teacher, &pool, "Spanish basics", "Languages", "beginner").await;
    publish_course(&mut teacher, &pool, "Organic chemistry", "Science", "advanced").await;

    let mut visitor = TestApp::new(pool).await;
    assert_eq!(
        titles(&search(&mut visitor, &[("q", "spansh basics")]).await),
        ["Spanish basics"]
    );
    assert_eq!(
        titles(&search(&mut visitor, &[("q", "chemstry")]).await),
        ["Organic chemistry"]
    );
    assert!(titles(&search(&mut visitor, &[("q", "quantum")]).await).is_empty());

    let request = Request::get("/api/catalogue/suggest?typed=spansh")
        .body(Body::empty())
        .unwrap();
    let suggestions = visitor.send(request).await.json();
    assert_eq!(suggestions[0]["title"], "Spanish basics");
    assert_eq!(suggestions[0]["href"], "/courses/spanish-basics");
}

#[tokio::test]
async fn only_public_decks_and_published_courses_are_listed() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    create_deck(&mut admin, "Hidden verbs", "private").await;
    create_deck(&mut admin, "Linked verbs", "unlisted").await;
    create_deck(&mut admin, "Listed verbs", "public").await;
    let draft = admin
        .call(
            "courses/create",
            &[
                ("input[title]", "Draft verbs"),
                ("input[description]", ""),
                ("input[category]", ""),
                ("input[level]", "beginner"),
                ("input[language]", ""),
                ("input[slug]", ""),
            ],
        )
        .await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);

    let mut visitor = TestApp::new(pool).await;
    assert_eq!(
        titles(&search(&mut visitor, &[("q", "verbs")]).await),
        ["Listed verbs"]
    );
    assert_eq!(titles(&search(&mut visitor, &[]).await), ["Listed verbs"]);
}

#[tokio::test]
async fn filters_narrow_by_language_category_level_and_tag() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let spanish = create_deck(&mut admin, "Colores", "public").await;
    describe_deck(&mut admin, &spanish, "Colores", "", "es").await;
    support::add_basic_note(&mut admin, &spanish, "rojo", "red", "colours adjectives").await;
    let french = create_deck(&mut admin, "Couleurs", "public").await;
    describe_deck(&mut admin, &french, "Couleurs", "", "fr").await;
    support::add_basic_note(&mut admin, &french, "rouge", "red", "colours").await;
    publish_course(&mut admin, &pool, "Spanish grammar", "Languages", "intermediate").await;
    publish_course(&mut admin, &pool, "Algebra", "Mathematics", "beginner").await;

    let mut visitor = TestApp::new(pool).await;
    let sorted = |mut titles: Vec<String>| {
        titles.sort();
        titles
    };
    assert_eq!(
        sorted(titles(&search(&mut visitor, &[("language", "es")]).await)),
        ["Algebra", "Colores", "Spanish grammar"]
    );
    assert_eq!(
        titles(&search(&mut visitor, &[("category", "Mathematics")]).await),
        ["Algebra"]
    );
    assert_eq!(
        titles(&search(&mut visitor, &[("level", "intermediate")]).await),
        ["Spanish grammar"]
    );
    assert_eq!(
        sorted(titles(&search(&mut visitor, &[("tag", "colours")]).await)),
        ["Colores", "Couleurs"]
    );
    assert_eq!(
        titles(&search(&mut visitor, &[("tag", "adjectives"), ("q", "red")]).await),
        ["Colores"]
    );
    let page = search(&mut visitor, &[]).await.json();
    // Languages by name, each with the tag the filter sends.
    assert_eq!(
        page["languages"],
        serde_json::json!([{"tag": "fr", "name": "French"}, {"tag": "es", "name": "Spanish"}])
    );
    let spanish = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["title"] == "Colores")
        .unwrap();
    assert_eq!(spanish["language_name"], "Spanish");
    // The pages say it too: the filter, the result and the deck's page.
    let catalogue = visitor.get("/catalogue").await;
    assert!(
        catalogue.body.contains(r#"<option value="es">Spanish</option>"#),
        "{}",
        catalogue.body
    );
    assert!(catalogue.body.contains(" · Spanish</p>"), "{}", catalogue.body);
    let deck_page = visitor
        .get(&format!("/decks/{}", spanish["id"].as_str().unwrap()))
        .await;
    assert!(deck_page.body.contains("· Spanish"), "{}", deck_page.body);
    assert_eq!(
        page["categories"],
        serde_json::json!(["Languages", "Mathematics"])
    );

    let bad = search(&mut visitor, &[("level", "expert"), ("sort", "random")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let broken_cursor = search(&mut visitor, &[("after", "not-a-cursor")]).await;
    assert_eq!(broken_cursor.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_sort_pages_through_everything_without_gaps_or_duplicates() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let owner: uuid::Uuid = sqlx::query_scalar("select id from users limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    // 47 decks with clashing titles and creation times, so that ties must
    // be broken by id for the pages to fit together.
    sqlx::query(
        "insert into decks (owner_id, title, description, visibility, created_at)
         select $1, 'Tied deck ' || (i % 5), 'about rivers', 'public',
                timestamptz '2026-01-01' + (i % 3) * interval '1 day'
         from generate_series(1, 47) as i",
    )
    .bind(owner)
    .execute(&pool)
    .await
    .unwrap();
    let all: HashSet<String> = sqlx::query_scalar::<_, uuid::Uuid>("select id from decks")
        .fetch_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|id| id.to_string())
        .collect();

    for (sort, q) in [
        ("relevance", "rivers"),
        ("relevance", "tied deck"),
        ("newest", ""),
        ("title", ""),
    ] {
        let mut seen = Vec::new();
        let mut after = String::new();
        let mut pages = 0;
        loop {
            let response = search(&mut admin, &[("q", q), ("sort", sort), ("after", &after)]).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.body);
            let page = response.json();
            let entries = page["entries"].as_array().unwrap();
            assert!(entries.len() <= 20);
            seen.extend(
                entries
                    .iter()
                    .map(|entry| entry["id"].as_str().unwrap().to_owned()),
            );
            pages += 1;
            match page["next"].as_str() {
                Some(next) => after = next.to_owned(),
                None => break,
            }
            assert!(pages < 10, "pagination must end");
        }
        assert_eq!(pages, 3, "{sort}");
        let unique: HashSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "{sort} {q}: duplicates");
        assert_eq!(unique, all, "{sort} {q}: gaps");
    }
}

/// Decks and courses saved before the forms wrote language tags in their
/// usual case are rewritten by a migration, with the forms' own rule: the
/// migration's SQL run again over tags written any old way gives what
/// `ui::validate::language` gives, and leaves `updated_at` alone.
#[tokio::test]
async fn old_language_tags_are_rewritten_as_the_forms_write_them() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let tags = [
        "ES",
        "es",
        "pt-br",
        "PT-BR",
        "ZH-HANT-TW",
        "sr-latn-rs",
        "en-GB-oxendict",
        "x-klingon",
        "",
    ];
    let mut decks = Vec::new();
    for (number, tag) in tags.iter().enumerate() {
        let deck = create_deck(&mut admin, &format!("Deck {number}"), "public").await;
        sqlx::query("update decks set language = $2, updated_at = 'epoch' where id = $1::uuid")
            .bind(&deck)
            .bind(tag)
            .execute(&pool)
            .await
            .unwrap();
        decks.push(deck);
    }
    publish_course(&mut admin, &pool, "Old course", "Languages", "beginner").await;
    sqlx::query("update courses set language = 'PT-br' where title = 'Old course'")
        .execute(&pool)
        .await
        .unwrap();

    sqlx::raw_sql(include_str!(
        "../../migrations/20261201000082_language_tags_in_their_usual_case.sql"
    ))
    .execute(&pool)
    .await
    .unwrap();

    for (deck, tag) in decks.iter().zip(tags) {
        let (stored, untouched): (String, bool) =
            sqlx::query_as("select language, updated_at = 'epoch' from decks where id = $1::uuid")
                .bind(deck)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(stored, app::ui::validate::language(tag).unwrap(), "{tag:?}");
        assert!(untouched, "{tag:?}: updated_at changed");
    }
    let course: String = sqlx::query_scalar("select language from courses where title = 'Old course'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(course, "pt-BR");
    let languages = search(&mut TestApp::new(pool).await, &[]).await.json()["languages"].clone();
    let tags: Vec<&str> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|language| language["tag"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = tags.iter().copied().collect();
    assert_eq!(tags.len(), unique.len(), "one choice per language: {languages}");
}

/// A search the server turns down is said on the catalogue's own page, under
/// its form, which keeps what was typed, with a way on: a new search, or,
/// for a damaged "Next page" link, the same search from its first page. The
/// page is never replaced by an error that leads away from it.
/// A search that finds nothing is quoted back isolated from the sentence
/// around it: a right-to-left override in it turned the closing quote and
/// full stop around ("Nothing matches “.”cba").
#[tokio::test]
async fn a_search_that_finds_nothing_is_quoted_back_isolated() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool).await;
    let page = visitor.get("/catalogue?q=%E2%80%AEabc").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Nothing matches “<bdi>\u{202E}abc</bdi>”."),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_refused_search_is_said_under_the_form_with_a_way_on() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool).await;
    let alert = |message: &str, href: &str, label: &str| {
        format!(
            r#"<div role="alert" data-testid="form-error" class="alert-error text-sm">{message} <a href="{href}" class="font-semibold underline">{label}</a></div>"#
        )
    };

    let too_long = "a".repeat(201);
    let page = visitor.get(&format!("/catalogue?q={too_long}")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(&format!(r#"value="{too_long}""#)),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&alert(
            "Search for at most 200 characters.",
            "/catalogue",
            "Start a new search"
        )),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Back to the start page"), "{}", page.body);

    // Each message names what it is about: a typed tag is told its length, a
    // list's value to choose from the list.
    let page = visitor
        .get(&format!(
            "/catalogue?q=verbs&tag={}&sort=random&language=xx{}",
            "t".repeat(101),
            "y".repeat(100)
        ))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(&alert(
            "Choose an order from the list. Choose a language from the list. A tag has at most 100 characters.",
            "/catalogue",
            "Start a new search"
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="verbs""#), "{}", page.body);

    let page = visitor.get("/catalogue?q=verbs&after=not-a-cursor").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains(&alert(
            "This results link is broken; start the search again.",
            "/catalogue?q=verbs",
            "Show the first page of results"
        )),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Back to the start page"), "{}", page.body);
}
