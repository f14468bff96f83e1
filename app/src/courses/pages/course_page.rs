use super::common::{learner_preview, route_param, CourseActions};
use super::course_view::CourseView;
use crate::courses::api::{load_course_page, Enrol, LeaveCourse, MoveLesson, SetCourseStatus, UpdateCourse};
use crate::ui::ErrorNotice;
use leptos::prelude::*;

/// `/courses/:slug`.
#[component]
pub fn CoursePage() -> impl IntoView {
    let slug = route_param("slug");
    let preview = learner_preview();
    let enrol = ServerAction::<Enrol>::new();
    let leave = ServerAction::<LeaveCourse>::new();
    let set_status = ServerAction::<SetCourseStatus>::new();
    let update = ServerAction::<UpdateCourse>::new();
    let move_lesson = ServerAction::<MoveLesson>::new();
    let page = Resource::new(
        move || {
            (
                slug.get(),
                enrol.version().get(),
                leave.version().get(),
                set_status.version().get(),
                update.version().get(),
                move_lesson.version().get(),
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
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the course…"</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CourseView page actions preview=preview.get() /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
