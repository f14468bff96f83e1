use crate::courses::{pages::ProgressBar, CourseListItem};
use crate::routes;
use leptos::prelude::*;

/// "Continue where you left off": the lesson last opened in the course
/// studied most recently.
#[component]
pub(crate) fn ContinueCard(course: CourseListItem) -> impl IntoView {
    let progress = course.progress();
    let href = course
        .resume_lesson_id
        .map(|lesson_id| routes::lesson(&course.slug, lesson_id))
        .unwrap_or_else(|| routes::course(&course.slug));
    view! {
        <section
            class="mb-8 rounded-xl border border-indigo-200 bg-indigo-50 p-5 dark:border-indigo-900 dark:bg-indigo-950"
            data-testid="continue"
        >
            <p class="text-sm font-semibold text-indigo-800 dark:text-indigo-200">
                "Continue where you left off"
            </p>
            <a href=href class="mt-1 block text-lg font-bold hover:underline">
                <span class="user-text">{course.title.clone()}</span>
                " — "
                <span class="user-text">{course.resume_lesson_title.clone().unwrap_or_default()}</span>
            </a>
            <div class="mt-3 max-w-sm">
                <ProgressBar progress />
            </div>
        </section>
    }
}
