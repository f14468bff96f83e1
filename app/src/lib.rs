//! Engram's application: routes, components and server functions, shared by
//! the server (feature `ssr`) and the browser (feature `hydrate`).

pub mod admin;
pub mod auth;
pub mod browse;
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod content;
pub mod courses;
pub mod dashboard;
pub mod decks;
pub mod error;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod media;
pub mod note_types;
pub mod notes;
pub mod offline;
pub mod paging;
#[cfg(feature = "ssr")]
pub mod plain_post;
pub mod profile;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod security;
mod site_files;
#[cfg(feature = "ssr")]
pub mod state;
pub mod stats;
pub mod study;
pub mod ui;
pub mod unsaved;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, LazyRoute, SsrMode,
};

use crate::{
    admin::pages::AdminPage,
    auth::pages::{
        provide_auth, use_auth, ConfirmEmailPage, ForgotPasswordPage, LoginPage, RegisterPage,
        ResetPasswordPage,
    },
    browse::pages::BrowseCardsPage,
    catalogue::pages::CatalogueSearchPage,
    courses::pages::{CoursePage, LessonPage, NewCoursePage},
    dashboard::pages::DashboardPage,
    decks::pages::{DeckPage, NewDeckPage},
    note_types::pages::NoteTypesPage,
    notes::pages::{NoteEditPage, NoteEditorPage},
    offline::pages::{ConnectionBanner, UpdateBanner},
    profile::pages::SettingsPage,
    site_files::{card_stylesheet_href, stylesheet_href, HydrationScripts},
    stats::pages::StatisticsPage,
    study::pages::StudyPage,
    ui::{AppNav, NotFoundPage, PageTitle, SendToLogin},
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::set_page_content_security_policy();
    let runs_app_code = page_runs_app_code();
    // Nothing on a page without the app's code hydrates, so the data the app
    // would read back (every resource, serialised into the page) and the
    // hydration ids are left out: the page is its HTML alone.
    if !runs_app_code {
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    // A page with cards links the card stylesheet (`ui::card_styles`); the
    // app in the browser reads its address from the page, for the pages
    // with cards that it shows itself.
    let card_stylesheet = card_stylesheet_href(&options);
    let card_stylesheet_link = card_stylesheet
        .clone()
        .filter(|_| ui::shows_cards(&request_path()));
    let card_stylesheet_meta = card_stylesheet.filter(|_| runs_app_code);
    view! {
        <!DOCTYPE html>
        <html lang="en" data-page-code=(!runs_app_code).then_some("none")>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
                // The installed app: its manifest, the colour of its window,
                // and the same on iOS, which reads its own tags.
                <link rel="manifest" href="/manifest.webmanifest" />
                <meta name="theme-color" content="#4f46e5" />
                <meta name="mobile-web-app-capable" content="yes" />
                <meta name="apple-mobile-web-app-capable" content="yes" />
                <meta name="apple-mobile-web-app-title" content="Engram" />
                <meta name="apple-mobile-web-app-status-bar-style" content="default" />
                <link id="leptos" rel="stylesheet" href=stylesheet_href(&options) />
                {card_stylesheet_link.map(|href| view! { <link rel="stylesheet" href=href /> })}
                {card_stylesheet_meta
                    .map(|href| view! { <meta name=ui::CARD_STYLESHEET_META content=href /> })}
                <AutoReload options=options.clone() />
                {if runs_app_code {
                    view! { <HydrationScripts options /> }.into_any()
                } else {
                    view! { <script nonce=leptos::nonce::use_nonce()>{REGISTER_SERVICE_WORKER}</script> }
                        .into_any()
                }}
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App />
            </body>
        </html>
    }
}

/// Whether the page being rendered loads the app's code (WebAssembly) and
/// hydrates. The pages a signed-out visitor lands on and reads (the home
/// page, log in and sign up, the catalogue, a public deck, a course) are
/// text, links and at most a form: they work in full without JavaScript, as
/// the browser tests show, so a first visit to them downloads no app code
/// (the app shell alone is 252 KB as served). The catalogue's suggestions
/// as one types are a small script of their own (public/catalogue-search.js),
/// which serves the app's catalogue too. The app's code comes with the
/// dashboard once signed in. The same pages, reached by a link inside a
/// hydrated page, are rendered by the app as before.
///
/// A request that carries a session cookie hydrates: its session may be
/// live (the pages then offer to study, enrol and edit, and the nav guards
/// reviews that have not been sent), and an expired cookie costs only the
/// download the page had before.
#[cfg(feature = "ssr")]
fn page_runs_app_code() -> bool {
    let Some(request) = use_context::<http::request::Parts>() else {
        return true;
    };
    // The session layer has already read the cookie: a session id is there
    // when the request carries a well-formed one.
    let has_session_cookie = request
        .extensions
        .get::<tower_sessions::Session>()
        .is_some_and(|session| session.id().is_some());
    has_session_cookie || !routes::is_read_without_code(request.uri.path())
}

#[cfg(not(feature = "ssr"))]
fn page_runs_app_code() -> bool {
    true
}

/// The path of the page being rendered.
#[cfg(feature = "ssr")]
fn request_path() -> String {
    use_context::<http::request::Parts>()
        .map(|request| request.uri.path().to_owned())
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn request_path() -> String {
    String::new()
}

/// A page without the app's code still installs the service worker, as the
/// app does once it runs (`offline::browser`): the installed app and its
/// offline study start from any page. Written as the script's text, which
/// Leptos does not escape inside `<script>`.
const REGISTER_SERVICE_WORKER: &str = r#"if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { updateViaCache: "none" }).catch(() => {});"#;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Meta
            name="description"
            content="Engram: write flashcards with formulas, code and images, share decks and follow courses."
        />
        <PageTitle text="Engram" />
        <Router>
            <AppFrame />
        </Router>
    }
}

/// Everything inside the router. Pages are rendered completely before the
/// response starts (`SsrMode::Async`), so they work without JavaScript and
/// a page can still answer with a redirect or an error status.
#[component]
fn AppFrame() -> impl IntoView {
    let auth = provide_auth();
    offline::provide_app_status(true);
    #[cfg(feature = "hydrate")]
    prefetch_study_code_on_intent();
    #[cfg(feature = "hydrate")]
    ui::link_card_styles_on_card_pages();
    offline::follow_signed_in_learner(
        Signal::derive(move || {
            auth.user
                .get()
                .and_then(|user| user.ok())
                .map(|user| user.map(|user| user.id))
        }),
        auth.logouts_done,
    );
    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
            "Skip to content"
        </a>
        <AppNav />
        <ConnectionBanner />
        <main id="main" class="mx-auto max-w-5xl px-4 py-8 sm:py-12">
            <Routes fallback=NotFoundPage>
                // The pages a visitor sees first, and the two a learner opens
                // every day, are in the app shell; every other page is a lazy
                // route, whose group of pages the browser fetches the first
                // time one of them is shown (`cargo leptos build --split`).
                // Signed-in pages send a visitor to the login page.
                <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("login") view=LoginRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("register") view=RegisterRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("forgot-password") view=ForgotPasswordRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("reset-password") view=ResetPasswordRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("confirm-email") view=ConfirmEmailRoute::lazy() ssr=SsrMode::Async />
                <Route
                    path=path!("dashboard")
                    view=|| view! { <SignedInOnly>{|| view! { <DashboardPage /> }}</SignedInOnly> }
                    ssr=SsrMode::Async
                />
                <Route path=path!("admin") view=AdminRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("decks/new") view=NewDeckRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("decks/:id") view=DeckRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("decks/:id/add") view=NoteEditorRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("notes/:id/edit") view=NoteEditRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("study/:id") view=StudyRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("settings") view=SettingsRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("catalogue") view=CatalogueRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("browse") view=BrowseRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("stats") view=StatsRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("note-types") view=NoteTypesRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("courses/new") view=NewCourseRoute::lazy() ssr=SsrMode::Async />
                <Route path=path!("courses/:slug") view=CourseRoute::lazy() ssr=SsrMode::Async />
                <Route
                    path=path!("courses/:slug/lessons/:lesson_id")
                    view=LessonRoute::lazy()
                    ssr=SsrMode::Async
                />
            </Routes>
        </main>
        <UpdateBanner />
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let button = "rounded-lg px-5 py-3 font-semibold shadow-sm";
    view! {
        <section class="py-10 text-center sm:py-20">
            <h1 class="text-4xl font-extrabold tracking-tight sm:text-6xl">
                "Flashcards and courses, written together."
            </h1>
            <p class="mx-auto mt-6 max-w-2xl text-lg text-slate-600 dark:text-slate-400">
                "Write flashcards with formulas, highlighted code, images and sound. Share your decks, find others in the catalogue, and follow courses lesson by lesson. Study with spaced repetition (FSRS), in the browser or as an installed app, online or offline."
            </p>
            <div class="mt-10 flex flex-wrap justify-center gap-3">
                <Transition strict=true fallback=|| ()>
                    {move || Suspend::new(async move {
                        if matches!(auth.user.await, Ok(Some(_))) {
                            view! {
                                <a
                                    href=routes::DASHBOARD
                                    class=format!("{button} bg-indigo-600 text-white hover:bg-indigo-500")
                                >
                                    "Go to your dashboard"
                                </a>
                            }
                                .into_any()
                        } else {
                            view! {
                                <a
                                    href=routes::REGISTER
                                    class=format!("{button} bg-indigo-600 text-white hover:bg-indigo-500")
                                >
                                    "Create a free account"
                                </a>
                                <a
                                    href=routes::LOGIN
                                    class=format!(
                                        "{button} border border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800",
                                    )
                                >
                                    "Log in"
                                </a>
                            }
                                .into_any()
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

/// The pages whose code comes in a chunk, by group: the browser fetches a
/// group's code the first time one of its pages is shown. The groups follow
/// what people do: a learner studies (the study page, and the offline app,
/// which is a study page), now and then looks back (statistics, settings),
/// searches the catalogue, reads decks and courses; an author writes, and an
/// admin administers with the authors' tools. Few groups make few chunks:
/// wasm-split makes one shared chunk per set of groups that share code, and
/// every page of its own made hundreds, fetched in a slow queue. The
/// dashboard stays in the shell: a learner opens it every day, and fetching
/// and starting chunks made it twice as slow to hydrate.
#[derive(Clone, Copy)]
enum ProgressPage {
    Statistics,
    Settings,
}

#[derive(Clone, Copy)]
enum ReaderPage {
    Login,
    Register,
    ForgotPassword,
    ResetPassword,
    ConfirmEmail,
    NewDeck,
    Deck,
    Course,
    Lesson,
}

#[derive(Clone, Copy)]
enum AuthorPage {
    NoteEditor,
    NoteEdit,
    NoteTypes,
    NewCourse,
    Cards,
    Admin,
}

/// What the study group's chunk starts: a study page in the app; in a
/// browser that holds decks or reviews, following who is signed in
/// (`offline::AppOutbox`), which reads and writes what the study page keeps;
/// or sending the reviews that wait, asked from outside a study page.
#[derive(Clone)]
pub enum StudyEntry {
    StudyPage,
    /// The learner signed in now, and whether the one before signed out here.
    FollowLearner(offline::AppOutbox, Option<uuid::Uuid>, bool),
    SendWaitingReviews(offline::AppOutbox),
    /// What is said under the header about the reviews this browser keeps,
    /// which only a browser that kept reviews (with this group's code) has
    /// to say: the question asked before signing out while reviews wait
    /// (open while the signal is set), and the reviews let go of outside a
    /// study page (while the memo says so).
    HeaderNotices(RwSignal<bool>, Memo<bool>),
}

// Each group's view is a lazy function, so its pages' code (and the code
// only they use) is a split point of its own. A group names only its own
// pages: code a group reaches is fetched with it.
#[lazy]
fn progress_page(page: ProgressPage) -> AnyView {
    let page = move || match page {
        ProgressPage::Statistics => view! { <StatisticsPage /> }.into_any(),
        ProgressPage::Settings => view! { <SettingsPage /> }.into_any(),
    };
    view! { <SignedInOnly>{page}</SignedInOnly> }.into_any()
}

#[lazy]
fn reader_page(page: ReaderPage) -> AnyView {
    match page {
        ReaderPage::Login => view! { <LoginPage /> }.into_any(),
        ReaderPage::Register => view! { <RegisterPage /> }.into_any(),
        ReaderPage::ForgotPassword => view! { <ForgotPasswordPage /> }.into_any(),
        ReaderPage::ResetPassword => view! { <ResetPasswordPage /> }.into_any(),
        ReaderPage::ConfirmEmail => view! { <ConfirmEmailPage /> }.into_any(),
        ReaderPage::NewDeck => {
            view! { <SignedInOnly>{|| view! { <NewDeckPage /> }}</SignedInOnly> }.into_any()
        }
        ReaderPage::Deck => view! { <DeckPage /> }.into_any(),
        ReaderPage::Course => view! { <CoursePage /> }.into_any(),
        ReaderPage::Lesson => view! { <LessonPage /> }.into_any(),
    }
}

/// The catalogue is a group of its own: opened signed in from an empty
/// cache, it downloads its search page and not the readers' deck and course
/// pages, which kept its first visit over 300 KB (README, "Performance").
#[lazy]
fn catalogue_page() -> AnyView {
    view! { <CatalogueSearchPage /> }.into_any()
}

#[lazy]
fn author_page(page: AuthorPage) -> AnyView {
    let page = move || match page {
        AuthorPage::NoteEditor => view! { <NoteEditorPage /> }.into_any(),
        AuthorPage::NoteEdit => view! { <NoteEditPage /> }.into_any(),
        AuthorPage::NoteTypes => view! { <NoteTypesPage /> }.into_any(),
        AuthorPage::NewCourse => view! { <NewCoursePage /> }.into_any(),
        AuthorPage::Cards => view! { <BrowseCardsPage /> }.into_any(),
        AuthorPage::Admin => view! { <AdminPage /> }.into_any(),
    };
    view! { <SignedInOnly>{page}</SignedInOnly> }.into_any()
}

#[lazy]
pub fn study_group(entry: StudyEntry) -> AnyView {
    match entry {
        StudyEntry::StudyPage => {
            view! { <SignedInOnly>{|| view! { <StudyPage /> }}</SignedInOnly> }.into_any()
        }
        StudyEntry::FollowLearner(app_outbox, learner, signed_out) => {
            app_outbox.follow(learner, signed_out);
            ().into_any()
        }
        StudyEntry::SendWaitingReviews(app_outbox) => {
            if let Some(outbox) = app_outbox.get_untracked() {
                outbox.retry();
            }
            ().into_any()
        }
        StudyEntry::HeaderNotices(open, let_go_shown) => view! {
            <offline::pages::UnsentReviewsWarning open />
            <offline::pages::LetGoNotice shown=let_go_shown />
        }
        .into_any(),
    }
}

/// The offline app, which studies the decks kept on this device, is a group
/// of its own: it is a whole app, with its own router, which a study page
/// in the app never runs, so a first study page does not download it (the
/// service worker precaches every group). Mounted here, under an owner of
/// its own, rather than returned.
#[lazy]
pub fn offline_app() {
    #[cfg(feature = "hydrate")]
    leptos::mount::mount_to_body(offline::pages::OfflineApp);
}

/// Fetches the study group's code as soon as someone points at, touches or
/// tabs to a link to a study page, before they have clicked it: the page then
/// starts without waiting for its chunk, and no one who only looks at a page
/// downloads it. One listener on the document sees every such link, on every
/// page; the chunk loader fetches the code once, however often it is asked.
/// A link to any page that shows cards links the card stylesheet the same
/// way (`ui::link_card_styles`).
#[cfg(feature = "hydrate")]
fn prefetch_study_code_on_intent() {
    use std::cell::Cell;
    use wasm_bindgen::{closure::Closure, JsCast};

    thread_local!(static ASKED: Cell<bool> = const { Cell::new(false) });
    thread_local!(static CARD_STYLES_ASKED: Cell<bool> = const { Cell::new(false) });
    let study_link = format!("a[href^='{}']", routes::STUDY_PREFIX);
    let on_intent = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let link = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten());
        let Some(link) = link else {
            return;
        };
        if link.matches(&study_link).unwrap_or(false) && !ASKED.replace(true) {
            leptos::task::spawn_local(__preload_study_group());
        }
        // The app's own links are paths (`/study/…`), never other sites'.
        let shows_cards = || {
            link.get_attribute("href").is_some_and(|href| {
                let path = href.split(['?', '#']).next().unwrap_or_default();
                path.starts_with('/') && !path.starts_with("//") && ui::shows_cards(path)
            })
        };
        if !CARD_STYLES_ASKED.get() && shows_cards() {
            CARD_STYLES_ASKED.set(true);
            ui::link_card_styles();
        }
    });
    let document = document();
    for intent in ["pointerover", "touchstart", "focusin"] {
        let _ = document.add_event_listener_with_callback(intent, on_intent.as_ref().unchecked_ref());
    }
    // The listener lasts as long as the page.
    on_intent.forget();
}

/// One route per page, whose view is its group's lazy function. Preloading
/// fetches the group's chunk (what `#[lazy_route]` does for a route of its
/// own), so a page hydrates once its code is in.
macro_rules! lazy_routes {
    ($($path:literal: $route:ident => $group:ident($($page:expr)?), $preload:ident;)*) => {
        /// Each lazy route's path, as `<Route path=…>` has it, and a loader
        /// of its group's code.
        const LAZY_ROUTES: &[LazyRoutePath] = &[$(($path, || Box::pin($route::preload()))),*];
        $(lazy_route!($route => $group($($page)?), $preload);)*
    };
}

macro_rules! lazy_route {
    ($route:ident => $group:ident($($page:expr)?), $preload:ident) => {
        struct $route;

        impl $route {
            /// The route's view, for `<Route view=…>`.
            fn lazy() -> Lazy<Self> {
                Lazy::new()
            }
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $group($($page)?).await
            }

            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }
        }
    };
}

/// A lazy route's group of pages, loading.
type LoadCode = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// A lazy route's path, as `<Route path=…>` has it, and a loader of its code.
type LazyRoutePath = (&'static str, fn() -> LoadCode);

// Where a path has both a word and a parameter (`courses/new` and
// `courses/:slug`), the word comes first: the router prefers it too.
lazy_routes! {
    "login": LoginRoute => reader_page(ReaderPage::Login), __preload_reader_page;
    "register": RegisterRoute => reader_page(ReaderPage::Register), __preload_reader_page;
    "forgot-password": ForgotPasswordRoute => reader_page(ReaderPage::ForgotPassword), __preload_reader_page;
    "reset-password": ResetPasswordRoute => reader_page(ReaderPage::ResetPassword), __preload_reader_page;
    "confirm-email": ConfirmEmailRoute => reader_page(ReaderPage::ConfirmEmail), __preload_reader_page;
    "admin": AdminRoute => author_page(AuthorPage::Admin), __preload_author_page;
    "decks/new": NewDeckRoute => reader_page(ReaderPage::NewDeck), __preload_reader_page;
    "decks/:id": DeckRoute => reader_page(ReaderPage::Deck), __preload_reader_page;
    "decks/:id/add": NoteEditorRoute => author_page(AuthorPage::NoteEditor), __preload_author_page;
    "notes/:id/edit": NoteEditRoute => author_page(AuthorPage::NoteEdit), __preload_author_page;
    "study/:id": StudyRoute => study_group(StudyEntry::StudyPage), __preload_study_group;
    "settings": SettingsRoute => progress_page(ProgressPage::Settings), __preload_progress_page;
    "browse": BrowseRoute => author_page(AuthorPage::Cards), __preload_author_page;
    "catalogue": CatalogueRoute => catalogue_page(), __preload_catalogue_page;
    "stats": StatsRoute => progress_page(ProgressPage::Statistics), __preload_progress_page;
    "note-types": NoteTypesRoute => author_page(AuthorPage::NoteTypes), __preload_author_page;
    "courses/new": NewCourseRoute => author_page(AuthorPage::NewCourse), __preload_author_page;
    "courses/:slug": CourseRoute => reader_page(ReaderPage::Course), __preload_reader_page;
    "courses/:slug/lessons/:lesson_id": LessonRoute => reader_page(ReaderPage::Lesson), __preload_reader_page;
}

/// The lazy route that `path` (an address's path) opens, as `LAZY_ROUTES`
/// has it, or none for a page of the app shell.
fn lazy_route_of(path: &str) -> Option<&'static LazyRoutePath> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    LAZY_ROUTES.iter().find(|(pattern, _)| {
        let pattern: Vec<&str> = pattern.split('/').collect();
        pattern.len() == segments.len()
            && pattern.iter().zip(&segments).all(|(word, segment)| {
                word.strip_prefix(':')
                    .map_or(word == segment, |_| !segment.is_empty())
            })
    })
}

/// Loads the code of the page at `path`, if it is a lazy route, so that the
/// page can hydrate at once. The browser hydrates a page synchronously (the
/// async hydration path is left out of the wasm: see vendor/README.md), and
/// the router can only hydrate a lazy route whose group is already loaded.
/// The server has named the group's chunks in `<link rel="preload">` tags,
/// so this mostly waits for files already on their way.
pub async fn load_code_of_page(path: &str) {
    if let Some((_, load)) = lazy_route_of(path) {
        load().await;
    }
}

/// Shows its page to a signed-in user and sends a visitor to the login page.
/// While the account loads, nothing is shown; an error in loading it is not
/// a reason to send anyone away, so the page itself shows it. Someone who
/// signs out on the page is on their way home (the logout's own redirect):
/// they are not sent to log in again, which would also fetch the login
/// page's chunk on the way.
#[component]
fn SignedInOnly(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let logouts_before = auth.logout.version().get_untracked();
    let signed_in = move || auth.user.get().map(|user| !matches!(user, Ok(None)));
    view! {
        <Transition strict=true fallback=|| ()>
            {move || {
                let signed_in = signed_in();
                let signed_out_here = auth.logout.version().get_untracked() != logouts_before;
                let children = children.clone();
                Unsuspend::new(move || match signed_in {
                    Some(true) => Some(children().into_any()),
                    Some(false) if signed_out_here => None,
                    Some(false) => {
                        Some(
                            // The page's own loads are its own `Suspense`'s to wait for.
                            view! { <SendToLogin /> }
                                .into_any(),
                        )
                    }
                    None => None,
                })
            }}
        </Transition>
    }
}

/// Leptos marks route-list generation with a process-wide flag, and a
/// resource first polled while that flag is set waits forever
/// (leptos-rs/leptos#4773; `server/tests/support` has the same lock). The
/// unit test that lists the routes holds this for writing, and a test that
/// renders a page with a resource holds it for reading, so that they never
/// overlap in the test binary's threads.
#[cfg(all(test, feature = "ssr"))]
pub(crate) static ROUTE_GENERATION: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

#[cfg(test)]
mod tests {
    use super::{lazy_route_of, LAZY_ROUTES};

    /// The paths of the shell's own pages, which hydrate with no code to load.
    const SHELL_ROUTES: [&str; 2] = ["", "dashboard"];

    /// The browser loads a lazy route's code before it hydrates the page: a
    /// lazy route missing from `LAZY_ROUTES` would stop the page from
    /// hydrating. The router's own list of routes is the reference.
    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn every_route_is_a_page_of_the_shell_or_a_lazy_route_whose_code_loads_first() {
        let _ = any_spawner::Executor::init_tokio();
        let generating = super::ROUTE_GENERATION.write().await;
        let mut listed: Vec<String> = leptos_axum::generate_route_list(super::App)
            .iter()
            .map(|route| {
                // axum writes a parameter `{id}`; `<Route>` and `LAZY_ROUTES` write `:id`.
                route
                    .path()
                    .trim_start_matches('/')
                    .replace('{', ":")
                    .replace('}', "")
            })
            .collect();
        drop(generating);
        listed.sort();
        let mut known: Vec<String> = SHELL_ROUTES
            .iter()
            .chain(LAZY_ROUTES.iter().map(|(path, _)| path))
            .map(|path| path.to_string())
            .collect();
        known.sort();
        assert_eq!(listed, known);
    }

    #[test]
    fn an_address_finds_its_lazy_route_and_a_word_wins_over_a_parameter() {
        let route_of = |path: &str| lazy_route_of(path).map(|(pattern, _)| *pattern);
        assert_eq!(route_of("/courses/new"), Some("courses/new"));
        assert_eq!(route_of("/courses/chemistry-essentials"), Some("courses/:slug"));
        assert_eq!(
            route_of("/courses/chemistry-essentials/lessons/5a1c"),
            Some("courses/:slug/lessons/:lesson_id")
        );
        assert_eq!(route_of("/decks/new"), Some("decks/new"));
        assert_eq!(route_of("/decks/5a1c/"), Some("decks/:id"));
        assert_eq!(route_of("/decks/5a1c/add"), Some("decks/:id/add"));
        assert_eq!(route_of("/study/5a1c"), Some("study/:id"));
        for shell_page in ["/", "/dashboard", "/no-such-page", "/decks//add"] {
            assert_eq!(route_of(shell_page), None, "{shell_page}");
        }
    }

    #[test]
    fn a_page_without_the_app_code_registers_the_apps_service_worker() {
        assert!(super::REGISTER_SERVICE_WORKER
            .contains(&format!("register(\"{}\"", crate::offline::SERVICE_WORKER_URL)));
    }
}
