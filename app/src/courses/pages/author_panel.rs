use super::common::{lessons_text, CourseActions};
use super::course_settings_fields::CourseSettingsFields;
use super::cover_picker::CoverPicker;
use crate::courses::{api::DeleteCourse, Course, CourseStatus};
use crate::ui::plural;
use crate::ui::DeleteButton;
use crate::ui::{field_message, ErrorOutsideFields, FieldMessage};
use crate::ui::{saved_by, SaveRow};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;

/// The author's controls: workflow, settings, deletion.
#[component]
pub(crate) fn AuthorPanel(
    course: Course,
    enrolment_count: i64,
    lesson_count: usize,
    actions: CourseActions,
) -> impl IntoView {
    let course_id = course.id;
    let delete_warning = format!(
        "Delete “{}”, its {} and the progress of {}? This cannot be undone.",
        course.title,
        lessons_text(lesson_count),
        plural(enrolment_count, "learner", "learners"),
    );
    let has_cover = course.cover_sha256.is_some();
    let status_error = Signal::derive(move || actions.set_status.value().get().and_then(Result::err));
    let update_error = Signal::derive(move || actions.update.value().get().and_then(Result::err));
    let saved = saved_by(actions.update, crate::courses::COURSE_DETAILS_SAVED);
    let delete = FormAction::<DeleteCourse>::new();
    let transitions: Vec<(CourseStatus, &'static str, bool)> = match course.status {
        CourseStatus::Draft => vec![(CourseStatus::Published, "Publish", true)],
        CourseStatus::Published => vec![
            (CourseStatus::Archived, "Archive", false),
            (CourseStatus::Draft, "Back to draft", false),
        ],
        CourseStatus::Archived => vec![(CourseStatus::Published, "Publish again", true)],
    };
    let status_help = match course.status {
        CourseStatus::Draft => "Only you can see this draft. Publishing lists it in the catalogue.",
        CourseStatus::Published => "Listed in the catalogue and open for enrolment.",
        CourseStatus::Archived => "Hidden from the catalogue; enrolled learners keep access.",
    };
    let enrolled_text = plural(enrolment_count, "learner enrolled", "learners enrolled");
    view! {
        <section class="panel mb-8 space-y-4" aria-label="Course settings" data-testid="author-panel">
            <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                <p class="text-sm text-slate-600 dark:text-slate-400">
                    {status_help} " " {enrolled_text} "."
                </p>
                <div class="flex flex-wrap gap-2">
                    {transitions
                        .into_iter()
                        .map(|(status, label, primary)| {
                            view! {
                                <PostForm action=actions.set_status>
                                    <input type="hidden" name="course_id" value=course_id.to_string() />
                                    <input type="hidden" name="status" value=status.as_str() />
                                    <button
                                        type="submit"
                                        class=if primary { "button-primary" } else { "button-secondary" }
                                        disabled=move || actions.set_status.pending().get()
                                    >
                                        {label}
                                    </button>
                                </PostForm>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <FieldMessage
                message=Signal::derive(field_message(status_error, "status"))
                id="status-message".to_owned()
            />
            <ErrorOutsideFields error=status_error />
            <details data-testid="edit-course" open=move || update_error.get().is_some() || saved.get()>
                <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                    "Edit course details"
                </summary>
                <PostForm
                    action=actions.update
                    attr:class="mt-4 grid gap-4 sm:grid-cols-2"
                    attr:novalidate=true
                >
                    <input type="hidden" name="course_id" value=course_id.to_string() />
                    <CourseSettingsFields prefix="edit" error=update_error current=course />
                    <SaveRow
                        label="Save changes"
                        pending=actions.update.pending()
                        saved
                        class="sm:col-span-2"
                    />
                </PostForm>
            </details>
            <CoverPicker course_id has_cover />
            <details>
                <summary class="cursor-pointer font-semibold text-red-700 dark:text-red-300">
                    "Delete course"
                </summary>
                <p class="mt-2 text-sm" data-testid="delete-course-warning">
                    {delete_warning}
                </p>
                <PostForm action=delete attr:class="mt-3">
                    <input type="hidden" name="course_id" value=course_id.to_string() />
                    <DeleteButton label="Yes, delete it" pending=delete.pending() />
                </PostForm>
            </details>
        </section>
    }
}
