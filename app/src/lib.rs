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
#[cfg(feature = "ssr")]
pub mod state;
pub mod stats;
pub mod study;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags};
use leptos_router::{
    components::{ProtectedRoute, Route, Router, Routes, A},
    path, SsrMode,
};

use crate::{
    admin::pages::AdminPage,
    auth::pages::{provide_auth, use_auth, LoginPage, RegisterPage},
    browse::pages::BrowseCardsPage,
    catalogue::pages::CatalogueSearchPage,
    courses::pages::{CoursePage, LessonPage, NewCoursePage},
    dashboard::pages::DashboardPage,
    decks::pages::DeckPage,
    note_types::pages::NoteTypesPage,
    notes::pages::{NoteEditPage, NoteEditorPage},
    offline::pages::{ConnectionBanner, UpdateBanner},
    profile::pages::SettingsPage,
    stats::pages::StatisticsPage,
    study::pages::StudyPage,
    ui::{AppNav, NotFoundPage, PageTitle},
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::set_page_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
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
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App />
            </body>
        </html>
    }
}

/// The stylesheet's address, with the content hash that cargo-leptos writes
/// to a file beside the server binary. leptos_meta's `HashedStylesheet`
/// reads that file on every request; the name cannot change while the
/// process runs, so it is read once.
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let mut file_name = options.output_name.to_string();
        if options.hash_files {
            let hash_file = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|folder| folder.join(options.hash_file.as_ref())));
            let hashes = hash_file.and_then(|path| std::fs::read_to_string(path).ok());
            let css_hash = hashes.as_deref().and_then(|hashes| {
                hashes
                    .lines()
                    .filter_map(|line| line.trim().split_once(':'))
                    .find(|(kind, _)| *kind == "css")
                    .map(|(_, hash)| hash.trim().to_owned())
            });
            if let Some(hash) = css_hash {
                file_name = format!("{file_name}.{hash}");
            }
        }
        format!("/{}/{file_name}.css", options.site_pkg_dir)
    })
    .clone()
}

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
    offline::follow_signed_in_learner(Signal::derive(move || {
        auth.user
            .get()
            .and_then(|user| user.ok())
            .map(|user| user.map(|user| user.id))
    }));
    // `None` while the account loads; an error in loading it is not a
    // reason to send anyone to the login page, so the page shows it.
    let signed_in = move || auth.user.get().map(|user| !matches!(user, Ok(None)));
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
                // Signed-in pages are ProtectedRoutes: a visitor goes to the login page.
                <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                <ProtectedRoute
                    path=path!("dashboard")
                    view=DashboardPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("admin")
                    view=AdminPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <Route path=path!("decks/:id") view=DeckPage ssr=SsrMode::Async />
                <ProtectedRoute
                    path=path!("decks/:id/add")
                    view=NoteEditorPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("notes/:id/edit")
                    view=NoteEditPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("study/:id")
                    view=StudyPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("settings")
                    view=SettingsPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <Route path=path!("catalogue") view=CatalogueSearchPage ssr=SsrMode::Async />
                <ProtectedRoute
                    path=path!("browse")
                    view=BrowseCardsPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("stats")
                    view=StatisticsPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("note-types")
                    view=NoteTypesPage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <ProtectedRoute
                    path=path!("courses/new")
                    view=NewCoursePage
                    condition=signed_in
                    redirect_path=|| routes::LOGIN
                    ssr=SsrMode::Async
                />
                <Route path=path!("courses/:slug") view=CoursePage ssr=SsrMode::Async />
                <Route path=path!("courses/:slug/lessons/:lesson_id") view=LessonPage ssr=SsrMode::Async />
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
                "Write flashcards with formulas, highlighted code, images and sound. Share your decks, find others in the catalogue, and follow courses lesson by lesson. Spaced-repetition study is on its way."
            </p>
            <div class="mt-10 flex flex-wrap justify-center gap-3">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        if matches!(auth.user.await, Ok(Some(_))) {
                            view! {
                                <A
                                    href=routes::DASHBOARD
                                    attr:class=format!(
                                        "{button} bg-indigo-600 text-white hover:bg-indigo-500",
                                    )
                                >
                                    "Go to your dashboard"
                                </A>
                            }
                                .into_any()
                        } else {
                            view! {
                                <A
                                    href=routes::REGISTER
                                    attr:class=format!(
                                        "{button} bg-indigo-600 text-white hover:bg-indigo-500",
                                    )
                                >
                                    "Create a free account"
                                </A>
                                <A
                                    href=routes::LOGIN
                                    attr:class=format!(
                                        "{button} border border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800",
                                    )
                                >
                                    "Log in"
                                </A>
                            }
                                .into_any()
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}
