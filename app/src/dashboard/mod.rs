//! The signed-in home page: a greeting, where to continue studying, the
//! courses the person teaches or follows, and their decks.

use crate::ui::{plural, PageTitle};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{Role, User},
    courses::{pages::ProgressBar, CourseListItem},
    decks::{pages::NewDeckForm, DeckSummary},
    error::AppError,
    ui::ErrorNotice,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub user: User,
    pub decks: Vec<DeckSummary>,
    /// Courses the person authors (teachers and admins).
    pub teaching: Vec<CourseListItem>,
    /// Courses the person is enrolled in, most recently studied first.
    pub studying: Vec<CourseListItem>,
}

#[server(endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::{auth::session, courses::db as courses, decks::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let decks = db::list_owned_decks(&state.pool, user.id).await?;
    let teaching = if user.role >= Role::Teacher {
        courses::list_owned_courses(&state.pool, user.id).await?
    } else {
        Vec::new()
    };
    let studying = courses::list_enrolled_courses(&state.pool, user.id).await?;
    Ok(Dashboard {
        user,
        decks,
        teaching,
        studying,
    })
}

fn role_description(role: Role) -> &'static str {
    match role {
        Role::Learner => "You make decks of flashcards and follow the courses you enrol in.",
        Role::Teacher => "You author decks and courses and follow your classes.",
        Role::Admin => "You manage this Engram instance and its accounts.",
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| load_dashboard());
    view! {
        <PageTitle text="Dashboard · Engram" />
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading your dashboard…"</p> }
        }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        user,
        decks,
        teaching,
        studying,
    } = dashboard;
    let deck_count = decks.len();
    let can_share = user.role >= Role::Teacher;
    let resume = studying
        .iter()
        .find(|course| course.resume_lesson_id.is_some())
        .cloned();
    view! {
        <section class="mb-8 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div>
                <h1 class="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="greeting">
                    {format!("Hello, {}", user.display_name)}
                </h1>
                <p class="mt-1 text-slate-600 dark:text-slate-400">{role_description(user.role)}</p>
            </div>
            <span
                data-testid="role"
                class="inline-flex w-fit items-center rounded-full bg-indigo-100 px-3 py-1 text-sm font-semibold text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
            >
                {user.role.label()}
            </span>
        </section>
        {resume
            .map(|course| {
                view! { <ContinueCard course /> }
            })}
        <CourseSection
            heading="Courses you follow"
            test_id="studying-list"
            courses=studying
            show_progress=true
            empty="You are not enrolled in a course yet."
            empty_link=("/catalogue", "Find one in the catalogue")
        />
        {can_share
            .then(|| {
                view! {
                    <div class="mb-3 flex justify-end">
                        <A
                            href="/courses/new"
                            attr:class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
                        >
                            "New course"
                        </A>
                    </div>
                    <CourseSection
                        heading="Courses you teach"
                        test_id="teaching-list"
                        courses=teaching
                        show_progress=false
                        empty="You have not created a course yet."
                        empty_link=("/courses/new", "Create your first course")
                    />
                }
            })}
        <NewDeckForm can_share />
        <section aria-labelledby="decks-heading">
            <h2 id="decks-heading" class="mb-3 text-lg font-semibold">
                {format!("Your decks ({deck_count})")}
            </h2>
            {if decks.is_empty() {
                view! {
                    <div class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        <p class="font-medium">"You have no decks yet."</p>
                        <p class="mt-1 text-sm">
                            "Create one above: its cards are yours to write. Public decks from other people are in the "
                            <A href="/catalogue" attr:class="text-indigo-700 underline dark:text-indigo-300">
                                "catalogue"
                            </A> "."
                        </p>
                    </div>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="grid gap-4 sm:grid-cols-2" data-testid="deck-list">
                        {decks
                            .into_iter()
                            .map(|deck| {
                                view! {
                                    <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                                        <h3 class="font-semibold">
                                            <A
                                                href=format!("/decks/{}", deck.id)
                                                attr:class="hover:underline"
                                            >
                                                {deck.title}
                                            </A>
                                        </h3>
                                        <p class="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">
                                            {deck.description}
                                        </p>
                                        <p class="mt-3 text-sm font-medium text-indigo-700 dark:text-indigo-300">
                                            {plural(deck.card_count_with_subdecks, "card", "cards")}
                                        </p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// "Continue where you left off": the lesson last opened in the course
/// studied most recently.
#[component]
fn ContinueCard(course: CourseListItem) -> impl IntoView {
    let progress = course.progress();
    let href = course
        .resume_lesson_id
        .map(|lesson_id| format!("/courses/{}/lessons/{lesson_id}", course.slug))
        .unwrap_or_else(|| format!("/courses/{}", course.slug));
    view! {
        <section
            class="mb-8 rounded-xl border border-indigo-200 bg-indigo-50 p-5 dark:border-indigo-900 dark:bg-indigo-950"
            data-testid="continue"
        >
            <p class="text-sm font-semibold text-indigo-800 dark:text-indigo-200">
                "Continue where you left off"
            </p>
            <A href=href attr:class="mt-1 block text-lg font-bold hover:underline">
                {format!("{} — {}", course.title, course.resume_lesson_title.clone().unwrap_or_default())}
            </A>
            <div class="mt-3 max-w-sm">
                <ProgressBar progress />
            </div>
        </section>
    }
}

#[component]
fn CourseSection(
    heading: &'static str,
    /// Names the list for tests and its heading for screen readers.
    test_id: &'static str,
    courses: Vec<CourseListItem>,
    show_progress: bool,
    empty: &'static str,
    /// Where to go from the empty state, and the link's text.
    empty_link: (&'static str, &'static str),
) -> impl IntoView {
    let heading_id = format!("{test_id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by class="mb-8">
            <h2 id=heading_id class="mb-3 text-lg font-semibold">
                {format!("{heading} ({})", courses.len())}
            </h2>
            {if courses.is_empty() {
                view! {
                    <p class="rounded-xl border border-dashed border-slate-300 p-5 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        {empty} " "
                        <A href=empty_link.0 attr:class="text-indigo-700 underline dark:text-indigo-300">
                            {empty_link.1}
                        </A>
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="grid gap-4 sm:grid-cols-2" data-testid=test_id>
                        {courses
                            .into_iter()
                            .map(|course| {
                                let progress = course.progress();
                                let lessons = plural(course.lesson_count, "lesson", "lessons");
                                view! {
                                    <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                                        <h3 class="font-semibold">
                                            <A
                                                href=format!("/courses/{}", course.slug)
                                                attr:class="hover:underline"
                                            >
                                                {course.title}
                                            </A>
                                        </h3>
                                        <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                                            {format!("{} · {lessons}", course.status.label())}
                                        </p>
                                        {show_progress
                                            .then(|| {
                                                view! {
                                                    <div class="mt-3">
                                                        <ProgressBar progress />
                                                    </div>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
