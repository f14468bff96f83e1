//! A test client that drives the real router against a fresh database, and
//! keeps the session cookie between requests like a browser would.

// Each test binary uses a different part of this helper.
#![allow(dead_code)]

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request, Response, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::{config::Cli, router::SESSION_COOKIE};
use sqlx::PgPool;
use std::net::{IpAddr, SocketAddr};
use tower::ServiceExt;

pub mod mail;

pub const PASSWORD: &str = "a sturdy passphrase";

/// Where a `TestApp`'s requests come from unless a test says otherwise.
pub const DEFAULT_CLIENT_IP: [u8; 4] = [203, 0, 113, 9];

/// A new, migrated database for one test, in the cluster `DATABASE_URL`
/// points at (`make test` provides one).
///
/// Each test opens its own connections inside its own runtime. (The shared
/// pool behind `#[sqlx::test]` outlives the per-test runtimes, and now and
/// then a test waited on it forever.) `server with-database
/// --fresh-database` drops these databases at the start of the next run.
pub async fn fresh_database() -> PgPool {
    use sqlx::{postgres::PgConnectOptions, postgres::PgPoolOptions, Connection, PgConnection};
    use std::str::FromStr;

    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL is set: run the tests with `make test`");
    let name = format!("engram_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url)
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("create database {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    admin.close().await.expect("close");
    let options = PgConnectOptions::from_str(&url)
        .expect("DATABASE_URL parses")
        .database(&name);
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .connect_with(options)
        .await
        .expect("connect");
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .expect("migrations apply");
    pool
}

/// Leptos marks route-list generation with a process-wide flag, and a
/// resource first polled while that flag is set waits forever
/// (leptos-rs/leptos#4773). A server generates its routes once, before it
/// serves; tests build routers while other tests render pages, and now and
/// then a page hung. So building a router takes this lock alone, and
/// requests share it.
static ROUTE_GENERATION: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// The sessions and accounts cache of each test database's one server.
fn shared_caches(pool: &PgPool) -> app::auth::signed_in::SignedInCache {
    static CACHES: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<String, app::auth::signed_in::SignedInCache>>,
    > = std::sync::LazyLock::new(Default::default);
    let database = pool
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_owned();
    CACHES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(database)
        .or_default()
        .clone()
}

pub struct TestApp {
    router: Router,
    /// The peer address every request comes from, as the server's listener
    /// would record it. (axum's `MockConnectInfo` only feeds the extractor,
    /// not the middleware that reads the client address.)
    client_addr: SocketAddr,
    pub session_cookie: Option<String>,
    /// Sent as `Origin` and `Sec-Fetch-Site: same-origin` unless changed.
    pub origin: &'static str,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    /// The message the answer gives for `field`, if any.
    pub fn field_message(&self, field: &str) -> Option<String> {
        self.json()["Validation"]
            .as_array()?
            .iter()
            .find(|error| error["field"] == field)
            .map(|error| error["message"].as_str().unwrap_or_default().to_owned())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Where a redirect sends the browser, as a path: leptos_axum writes the
    /// whole address when it sends a refused plain post back to its page.
    pub fn location_path(&self) -> Option<&str> {
        self.header("location")
            .map(|location| location.strip_prefix("http://127.0.0.1:3000").unwrap_or(location))
    }
}

impl TestApp {
    pub async fn new(pool: PgPool) -> TestApp {
        TestApp::from_cli(pool, ["server"]).await
    }

    /// An app whose requests come from `ip`.
    pub async fn with_client_ip(pool: PgPool, ip: [u8; 4]) -> TestApp {
        TestApp::build(pool, &["server"], ip.into()).await
    }

    /// An app configured as `server ARGS…` would be.
    pub async fn from_cli<const N: usize>(pool: PgPool, args: [&str; N]) -> TestApp {
        TestApp::build(pool, &args, DEFAULT_CLIENT_IP.into()).await
    }

    /// An app configured as `server ARGS…` whose requests come from `ip`
    /// (IPv4 or IPv6).
    pub async fn from_cli_with_client_ip<const N: usize>(pool: PgPool, args: [&str; N], ip: &str) -> TestApp {
        TestApp::build(pool, &args, ip.parse().expect("an IP address")).await
    }

    /// An app serving the built site in `site_root`, with hashed file names.
    pub async fn serving_site(pool: PgPool, site_root: &str) -> TestApp {
        let options = LeptosOptions::builder()
            .output_name("engram")
            .site_root(site_root)
            .hash_files(true)
            .build();
        TestApp::build_with_options(pool, &["server"], DEFAULT_CLIENT_IP.into(), options).await
    }

    /// A second server on the same database, with caches of its own: it
    /// hears of logouts and role changes only through PostgreSQL's notices,
    /// as another replica would. (Every other `TestApp` of a test shares one
    /// server's caches, so that what one does is seen at once by the next.)
    pub async fn separate_server(pool: PgPool) -> TestApp {
        let options = LeptosOptions::builder()
            .output_name("engram")
            .site_root("target/site")
            .build();
        TestApp::build_server(pool, &["server"], DEFAULT_CLIENT_IP.into(), options, false).await
    }

    async fn build(pool: PgPool, args: &[&str], ip: IpAddr) -> TestApp {
        let options = LeptosOptions::builder()
            .output_name("engram")
            .site_root("target/site")
            .build();
        TestApp::build_with_options(pool, args, ip, options).await
    }

    async fn build_with_options(
        pool: PgPool,
        args: &[&str],
        ip: IpAddr,
        leptos_options: LeptosOptions,
    ) -> TestApp {
        TestApp::build_server(pool, args, ip, leptos_options, true).await
    }

    async fn build_server(
        pool: PgPool,
        args: &[&str],
        ip: IpAddr,
        leptos_options: LeptosOptions,
        shares_caches: bool,
    ) -> TestApp {
        let mut config = <Cli as clap::Parser>::parse_from(args.iter().copied()).config;
        // Media files are named by their hash, so tests can share a folder.
        config.data_dir = std::env::temp_dir().join("engram-test-data");
        // What `connect_and_migrate` does after the migrations at start-up.
        app::notes::db::sync_builtin_note_types(&pool)
            .await
            .expect("built-in note types");
        let mut shared = config.shared_state(pool.clone(), leptos_options).unwrap();
        if shares_caches {
            shared.signed_in = shared_caches(&pool);
        }
        let state = app::state::AppState::new(shared);
        let building = ROUTE_GENERATION.write().await;
        let router = server::build_router(state, &config.http_settings())
            .await
            .expect("router builds");
        drop(building);
        TestApp {
            router,
            client_addr: SocketAddr::from((ip, 40000)),
            session_cookie: None,
            origin: "http://127.0.0.1:3000",
        }
    }

    /// A second browser on the same server: its own cookies, none yet.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            client_addr: self.client_addr,
            session_cookie: None,
            origin: self.origin,
        }
    }

    /// The router itself, for timing tests whose requests must not wait
    /// behind another test building its router. Only for requests that
    /// render no page (server functions, `/healthz`): see `ROUTE_GENERATION`.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> TestResponse {
        request.extensions_mut().insert(ConnectInfo(self.client_addr));
        let headers = request.headers_mut();
        if let Some(cookie) = &self.session_cookie {
            headers.insert(
                header::COOKIE,
                format!("{SESSION_COOKIE}={cookie}").parse().unwrap(),
            );
        }
        headers
            .entry(header::HOST)
            .or_insert("127.0.0.1:3000".parse().unwrap());
        // Held until the body is read: a page's resources resolve as it streams.
        let _serving = ROUTE_GENERATION.read().await;
        let response: Response<Body> = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        for set_cookie in headers.get_all(header::SET_COOKIE) {
            let set_cookie = set_cookie.to_str().unwrap();
            if let Some(rest) = set_cookie.strip_prefix(&format!("{SESSION_COOKIE}=")) {
                let value = rest.split(';').next().unwrap_or_default();
                let expired = set_cookie.contains("Max-Age=0") || value.is_empty();
                self.session_cookie = if expired { None } else { Some(value.to_owned()) };
            }
        }
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        let mut body = String::from_utf8_lossy(&bytes).into_owned();
        // A page's text and tags without the empty comments (`<!>`) that
        // Leptos's type-erased views write after a component's text for
        // hydration, so that tests read `>Teacher</span>` as a person does.
        // Text that a person wrote can never be one: it is escaped.
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
        if is_html {
            body = body.replace("<!>", "");
        }
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// Uploads `bytes` as a media file, as the note editor does.
    pub async fn upload(&mut self, bytes: &[u8]) -> TestResponse {
        let request = Request::post("/api/media")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header(header::CONTENT_LENGTH, bytes.len())
            .header(header::ORIGIN, self.origin)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(bytes.to_vec()))
            .unwrap();
        self.send(request).await
    }

    /// Calls a server function the way the hydrated app does.
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = encode_form(form);
        let request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, self.origin)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts `body` from this site's own pages, as a browser does: with its
    /// origin, so the cross-site check lets it through.
    /// Sends a form with a file as a browser does without JavaScript:
    /// multipart, with `text_parts` and then the file as `file_field`.
    pub async fn post_form_with_file(
        &mut self,
        path: &str,
        text_parts: &[(&str, &str)],
        (file_field, file_name, bytes): (&str, &str, &[u8]),
    ) -> TestResponse {
        let boundary = "engram-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, value) in text_parts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.post(path, &content_type, "text/html", body).await
    }

    pub async fn post(
        &mut self,
        path: &str,
        content_type: &str,
        accept: &str,
        body: impl Into<Vec<u8>>,
    ) -> TestResponse {
        let body = body.into();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::ACCEPT, accept)
            .header(header::ORIGIN, self.origin)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts `form` to `path` from the page at `page`, as a browser without
    /// JavaScript does: it asks for a page back and names the page it came
    /// from, where a refusal sends it back to.
    pub async fn post_form_from(&mut self, page: &str, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = encode_form(form);
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .header(header::REFERER, format!("http://127.0.0.1:3000{page}"))
            .header(header::ORIGIN, self.origin)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Calls a GET server function the way the hydrated app does.
    pub async fn get_json(&mut self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn me(&mut self) -> serde_json::Value {
        let request = Request::get("/api/me")
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap();
        let response = self.send(request).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response.json()
    }

    pub async fn register(&mut self, email: &str, name: &str) -> TestResponse {
        self.call(
            "register",
            &[
                ("input[email]", email),
                ("input[display_name]", name),
                ("input[password]", PASSWORD),
            ],
        )
        .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> TestResponse {
        self.call("login", &[("input[email]", email), ("input[password]", password)])
            .await
    }

    pub async fn logout(&mut self) -> TestResponse {
        self.call("logout", &[]).await
    }
}

pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The instance's admin, created as `server create-admin` does (sign-up never
/// makes an admin), with the password `PASSWORD`, and logged in.
pub async fn admin(pool: &PgPool) -> TestApp {
    create_admin(pool, "admin@example.org").await;
    let mut app = TestApp::new(pool.clone()).await;
    let response = app.login("admin@example.org", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    app
}

/// Creates (or promotes) an admin account with the password `PASSWORD`.
pub async fn create_admin(pool: &PgPool, email: &str) -> String {
    use app::auth::{db, password, DisplayName, Email, Password, Role};

    let hash = password::hash_password(&Password::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    let user = db::upsert_account_with_role(
        pool,
        &Email::parse(email).unwrap(),
        &DisplayName::parse("Admin").unwrap(),
        &hash,
        Role::Admin,
    )
    .await
    .unwrap();
    user.id.to_string()
}

/// Gives `user_id` a role as `admin`, confirming with `password` (the
/// admin's own) when one is given.
pub async fn change_role(
    admin: &mut TestApp,
    user_id: &str,
    role: &str,
    password: Option<&str>,
) -> TestResponse {
    let mut form = vec![("input[user_id]", user_id), ("input[role]", role)];
    if let Some(password) = password {
        form.push(("input[password]", password));
    }
    admin.call("admin/change-role", &form).await
}

/// Moves `user_id`'s study day boundary twelve hours away from the time now
/// (in UTC, their zone while they have none). A study day starts at 4 a.m.
/// by default, and a test run in the minutes before it saw a card it had
/// just answered (due again in minutes, in its learning steps) fall due the
/// next study day, which the tests do not expect. A test that sets a zone
/// of its own keeps the boundary at least a few hours away.
pub async fn keep_the_study_day_boundary_away(pool: &PgPool, user_id: &str) {
    sqlx::query(
        "update users set day_starts_at = (extract(hour from now() at time zone 'UTC')::smallint + 12) % 24
         where id = $1::uuid",
    )
    .bind(user_id)
    .execute(pool)
    .await
    .unwrap();
}

/// Registers `email` and gives them `role`; their study day begins twelve
/// hours from now (`keep_the_study_day_boundary_away`).
pub async fn member(pool: &PgPool, admin: &mut TestApp, email: &str, role: &str) -> TestApp {
    let mut app = TestApp::new(pool.clone()).await;
    let id = app.register(email, email).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    keep_the_study_day_boundary_away(pool, &id).await;
    if role != "learner" {
        let response = change_role(admin, &id, role, Some(PASSWORD)).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    app
}

pub async fn create_deck(app: &mut TestApp, title: &str, visibility: &str) -> String {
    submit_deck_form(app, title, "", visibility, None).await
}

/// A deck with a description, made through the deck form.
pub async fn create_described_deck(
    app: &mut TestApp,
    title: &str,
    description: &str,
    visibility: &str,
) -> String {
    submit_deck_form(app, title, description, visibility, None).await
}

/// A private subdeck of `parent_id`, made through the deck form.
pub async fn create_subdeck(app: &mut TestApp, parent_id: &str, title: &str) -> String {
    submit_deck_form(app, title, "", "private", Some(parent_id)).await
}

/// Sends the new-deck form and returns the new deck's id.
async fn submit_deck_form(
    app: &mut TestApp,
    title: &str,
    description: &str,
    visibility: &str,
    parent_id: Option<&str>,
) -> String {
    let mut form = vec![
        ("input[title]", title),
        ("input[description]", description),
        ("input[language]", "es"),
        ("input[visibility]", visibility),
    ];
    form.extend(parent_id.map(|parent_id| ("input[parent_id]", parent_id)));
    let response = app.call("decks/create", &form).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json().as_str().unwrap().to_owned()
}

/// Puts deck `child` under `parent`, straight in the database: a test's
/// tree may join decks of different owners, which the deck form refuses.
pub async fn make_subdeck(pool: &PgPool, child: &str, parent: &str) {
    sqlx::query("update decks set parent_id = $2::uuid where id = $1::uuid")
        .bind(child)
        .bind(parent)
        .execute(pool)
        .await
        .unwrap();
}

/// Starts a draft course titled `title` at `slug` (empty: made from the title).
pub async fn create_course(app: &mut TestApp, title: &str, slug: &str) -> TestResponse {
    app.call(
        "courses/create",
        &[
            ("input[title]", title),
            ("input[description]", "Everyday words and phrases."),
            ("input[category]", "Languages"),
            ("input[level]", "beginner"),
            ("input[language]", "es"),
            ("input[slug]", slug),
        ],
    )
    .await
}

/// The id of the course at `slug`.
pub async fn course_id(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select id from courses where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

/// Adds a Basic note through the note editor's server function; it must succeed.
pub async fn add_basic_note(app: &mut TestApp, deck_id: &str, front: &str, back: &str, tags: &str) {
    let response = app
        .call(
            "notes/create",
            &[
                ("input[deck_id]", deck_id),
                ("input[note_type]", "basic"),
                ("input[fields][0]", front),
                ("input[fields][1]", back),
                ("input[tags]", tags),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

/// Sends `reviews` (the JSON records a study page keeps) as the study page
/// does, and checks that the server stored them.
pub async fn submit_reviews(app: &mut TestApp, reviews: serde_json::Value) {
    let body = serde_json::json!({ "reviews": reviews }).to_string();
    let stored = app
        .post("/api/study/reviews", "application/json", "application/json", body)
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
}
