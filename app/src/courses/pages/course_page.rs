use super::common::{learner_preview, CourseActions};
use super::course_view::CourseView;
use crate::courses::api::{load_course_page, Enrol, LeaveCourse, MoveLesson, SetCourseStatus, UpdateCourse};
use crate::routes;
use crate::ui::FormAction;
use crate::ui::{saves, Loaded};
use leptos::prelude::*;

/// `/courses/:slug`.
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = routes::course_params();
    let preview = learner_preview();
    let enrol = FormAction::<Enrol>::new();
    let leave = FormAction::<LeaveCourse>::new();
    let set_status = FormAction::<SetCourseStatus>::new();
    let update = FormAction::<UpdateCourse>::new();
    let move_lesson = FormAction::<MoveLesson>::new();
    // Reloaded after a save, not after a refusal (`ui::saves`).
    let enrol_saves = saves(enrol);
    let leave_saves = saves(leave);
    let set_status_saves = saves(set_status);
    let update_saves = saves(update);
    let move_lesson_saves = saves(move_lesson);
    let page = crate::ui::page_data(
        move || {
            (
                params.read().slug.clone().unwrap_or_default(),
                enrol_saves.get(),
                leave_saves.get(),
                set_status_saves.get(),
                update_saves.get(),
                move_lesson_saves.get(),
            )
        },
        |(slug, ..)| load_course_page(slug),
    );
    let actions = CourseActions {
        enrol,
        leave,
        set_status,
        update,
        move_lesson,
    };
    view! {
        <Loaded data=page loading="Loading the course…" let:page>
            <CourseView page actions preview=preview.get() />
        </Loaded>
    }
}
