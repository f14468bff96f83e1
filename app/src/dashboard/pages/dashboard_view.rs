use super::continue_card::ContinueCard;
use super::course_section::CourseSection;
use super::study_section::StudySection;
use crate::auth::Role;
use crate::dashboard::Dashboard;
use crate::routes;
use crate::ui::plural;
use leptos::prelude::*;

fn role_description(role: Role) -> &'static str {
    match role {
        Role::Learner => "You make decks of flashcards and follow the courses you enrol in.",
        Role::Teacher => "You author decks and courses, and see how many learners enrol in each.",
        Role::Admin => "You manage this Engram instance and its accounts.",
    }
}

#[component]
pub(crate) fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        user,
        decks,
        studied,
        teaching,
        studying,
    } = dashboard;
    let deck_count = decks.len();
    // Their own decks with no card yet, which "Study today" offers to fill
    // rather than calling them done.
    let without_cards: Vec<uuid::Uuid> = decks
        .iter()
        .filter(|deck| deck.card_count_with_subdecks == 0)
        .map(|deck| deck.id)
        .collect();
    // A new learner's days begin at their own 4 a.m. from the first visit.
    Effect::new(crate::profile::api::report_browser_time_zone);
    let can_share = user.role >= Role::Teacher;
    let resume = studying
        .iter()
        .find(|course| course.resume_lesson_id.is_some())
        .cloned();
    view! {
        <section class="mb-8 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div>
                <h1 class="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="greeting">
                    "Hello, "
                    <span class="user-text">{user.display_name}</span>
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
        <StudySection decks=studied without_cards />
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
                    <CourseSection
                        heading="Courses you teach"
                        test_id="teaching-list"
                        courses=teaching
                        show_progress=false
                        empty="You have not created a course yet."
                        empty_link=(routes::NEW_COURSE, "Create your first course")
                        action=(routes::NEW_COURSE, "New course")
                    />
                }
            })}
        <section aria-labelledby="decks-heading">
            // A new deck is written on a page of its own, whose code comes
            // with the deck pages' (the deck opens there once made).
            <div class="mb-3 flex items-center justify-between gap-3">
                <h2 id="decks-heading" class="text-lg font-semibold">
                    {format!("Your decks ({deck_count})")}
                </h2>
                <a href=routes::NEW_DECK class="button-primary text-sm" data-testid="new-deck-link">
                    "New deck"
                </a>
            </div>
            {if decks.is_empty() {
                view! {
                    <div class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        <p class="font-medium">"You have no decks yet."</p>
                        <p class="mt-1 text-sm">
                            "Start one with “New deck”: its cards are yours to write. Public decks from other people are in the "
                            <a href=routes::CATALOGUE class="text-indigo-700 underline dark:text-indigo-300">
                                "catalogue"
                            </a> "."
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
                                        <h3 class="user-text font-semibold">
                                            <a href=routes::deck(deck.id) class="hover:underline">
                                                {deck.title}
                                            </a>
                                        </h3>
                                        <p class="user-text mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">
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
