use super::common::preview_suffix;
use crate::courses::{api::MoveLesson, LessonSummary};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;

#[component]
pub(crate) fn LessonRow(
    lesson: LessonSummary,
    slug: String,
    can_edit: bool,
    preview: bool,
    is_first: bool,
    is_last: bool,
    move_lesson: FormAction<MoveLesson>,
) -> impl IntoView {
    let lesson_id = lesson.id.to_string();
    let mover = move |earlier: bool, label: &'static str, symbol: &'static str, disabled: bool| {
        let lesson_id = lesson_id.clone();
        view! {
            <PostForm action=move_lesson>
                <input type="hidden" name="lesson_id" value=lesson_id />
                <input type="hidden" name="earlier" value=earlier.to_string() />
                <button
                    type="submit"
                    aria-label=label
                    title=label
                    disabled=disabled
                    class="rounded-md px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-30 dark:hover:bg-slate-800"
                >
                    {symbol}
                </button>
            </PostForm>
        }
    };
    view! {
        <li class="panel flex items-center justify-between gap-3 py-3">
            <div class="flex min-w-0 items-center gap-3">
                <span
                    class=if lesson.completed {
                        "flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-emerald-500 text-sm font-bold text-white"
                    } else {
                        "flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-slate-200 text-sm font-semibold dark:bg-slate-800"
                    }
                    aria-label=if lesson.completed { "Complete" } else { "Not complete" }
                >
                    {if lesson.completed { "✓".to_owned() } else { lesson.position.to_string() }}
                </span>
                <a
                    href=format!("/courses/{slug}/lessons/{}{}", lesson.id, preview_suffix(preview))
                    class="user-text truncate font-medium hover:underline"
                >
                    {lesson.title}
                </a>
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <div class="flex shrink-0 items-center">
                            {mover(true, "Move earlier", "↑", is_first)}
                            {mover(false, "Move later", "↓", is_last)}
                        </div>
                    }
                })}
        </li>
    }
}
