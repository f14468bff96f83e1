use super::common::CourseActions;
use super::progress_bar::ProgressBar;
use crate::courses::{Course, CourseStatus, Progress};
use crate::routes;
use crate::ui::PostForm;
use crate::ui::{refuse_while_pending, FormError};
use leptos::prelude::*;
use uuid::Uuid;

/// Enrol, continue, progress, or leave, depending on who is looking. The
/// author is offered a preview of what learners see instead of enrolling.
#[component]
pub(crate) fn EnrolmentPanel(
    course: Course,
    progress: Option<Progress>,
    signed_in: bool,
    is_author: bool,
    preview: bool,
    first_lesson: Option<Uuid>,
    actions: CourseActions,
) -> impl IntoView {
    let course_id = course.id.to_string();
    let enrol_error = Signal::derive(move || actions.enrol.value().get().and_then(Result::err));
    let leave_error = Signal::derive(move || actions.leave.value().get().and_then(Result::err));
    match progress {
        Some(progress) => {
            let resume = progress.last_lesson_id.or(first_lesson);
            view! {
                <div class="panel space-y-3" data-testid="enrolment">
                    <p class="text-sm font-semibold text-emerald-700 dark:text-emerald-300">
                        "You are enrolled"
                    </p>
                    <ProgressBar progress />
                    {resume
                        .map(|lesson_id| {
                            view! {
                                <a href=routes::lesson(&course.slug, lesson_id) class="button-primary w-full">
                                    "Continue"
                                </a>
                            }
                        })}
                    // Asked first, as deleting is: a tap meant for "Continue"
                    // must not take the course off the dashboard.
                    <details open=move || leave_error.get().is_some()>
                        <summary class="cursor-pointer py-0.5 text-sm text-slate-500 dark:text-slate-400 hover:underline">
                            "Leave this course"
                        </summary>
                        <p class="mt-2 text-sm" data-testid="leave-course-warning">
                            "Leave this course? It goes from your dashboard; the lessons you completed stay completed if you enrol again."
                        </p>
                        <PostForm action=actions.leave attr:class="mt-3 space-y-2">
                            <input type="hidden" name="course_id" value=course_id />
                            <FormError error=leave_error />
                            <button
                                type="submit"
                                class="button-secondary w-full"
                                aria-disabled=move || actions.leave.pending().get().to_string()
                                on:click=refuse_while_pending(actions.leave.pending())
                            >
                                "Yes, leave"
                            </button>
                        </PostForm>
                    </details>
                </div>
            }
            .into_any()
        }
        None if is_author && preview => view! {
            <div class="panel space-y-3" data-testid="learner-preview">
                <p class="text-sm">
                    "This is your course as learners see it. They enrol here, then continue from lesson to lesson."
                </p>
                <a href=routes::course(&course.slug) class="button-secondary w-full">
                    "Back to editing"
                </a>
            </div>
        }
        .into_any(),
        None if is_author => view! {
            <div class="panel space-y-3" data-testid="learner-preview">
                <p class="text-sm">"You teach this course."</p>
                <a href=format!("/courses/{}?preview=1", course.slug) class="button-secondary w-full">
                    "Preview as a learner"
                </a>
            </div>
        }
        .into_any(),
        None if course.status != CourseStatus::Published => ().into_any(),
        None if !signed_in => view! {
            <div class="panel">
                <a href=routes::login_then(&routes::course(&course.slug)) class="button-primary w-full">
                    "Log in to enrol"
                </a>
            </div>
        }
        .into_any(),
        None => view! {
            <PostForm action=actions.enrol attr:class="panel space-y-2">
                <input type="hidden" name="course_id" value=course_id />
                <FormError error=enrol_error />
                <button
                    type="submit"
                    class="button-primary w-full"
                    disabled=move || actions.enrol.pending().get()
                    data-testid="enrol"
                >
                    "Enrol"
                </button>
                <p class="text-xs text-slate-500 dark:text-slate-400">"Free. Leave whenever you like."</p>
            </PostForm>
        }
        .into_any(),
    }
}
