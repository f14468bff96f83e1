use crate::courses::{pages::ProgressBar, CourseListItem};
use crate::routes;
use crate::ui::plural;
use leptos::prelude::*;

#[component]
pub(crate) fn CourseSection(
    heading: &'static str,
    /// Names the list for tests and its heading for screen readers.
    test_id: &'static str,
    courses: Vec<CourseListItem>,
    show_progress: bool,
    empty: &'static str,
    /// Where to go from the empty state, and the link's text.
    empty_link: (&'static str, &'static str),
    /// A button beside the heading (its address and text), as "New deck"
    /// stands beside "Your decks".
    #[prop(optional)]
    action: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let heading_id = format!("{test_id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by class="mb-8">
            <div class="mb-3 flex items-center justify-between gap-3">
                <h2 id=heading_id class="text-lg font-semibold">
                    {format!("{heading} ({})", courses.len())}
                </h2>
                {action
                    .map(|(href, label)| {
                        view! {
                            <a href=href class="button-primary text-sm">
                                {label}
                            </a>
                        }
                    })}
            </div>
            {if courses.is_empty() {
                view! {
                    <p class="rounded-xl border border-dashed border-slate-300 p-5 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        {empty} " "
                        <a href=empty_link.0 class="text-indigo-700 underline dark:text-indigo-300">
                            {empty_link.1}
                        </a>
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
                                        <h3 class="user-text font-semibold">
                                            <a href=routes::course(&course.slug) class="hover:underline">
                                                {course.title}
                                            </a>
                                        </h3>
                                        // A teacher sees where each course stands; a
                                        // learner only ever follows published ones.
                                        <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                                            {if show_progress {
                                                lessons
                                            } else {
                                                format!("{} · {lessons}", course.status.label())
                                            }}
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
