use super::common::lessons_text;
use crate::courses::Progress;
use leptos::prelude::*;

/// A bar and a sentence: "2 of 3 lessons complete · 66%".
#[component]
pub fn ProgressBar(progress: Progress) -> impl IntoView {
    let percent = progress.percent();
    view! {
        <div data-testid="course-progress">
            // A native bar: the page's CSP (`style-src 'self'`) refuses inline
            // widths, and `value` draws the fill with no style attribute.
            <progress value=percent max="100" aria-label="Course progress" class="progress-bar">
                {format!("{percent}%")}
            </progress>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {format!(
                    "{} of {} complete · {percent}%",
                    progress.completed_lessons,
                    lessons_text(progress.total_lessons as usize),
                )}
            </p>
        </div>
    }
}
