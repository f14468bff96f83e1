use crate::courses::api::{
    AttachDeck, DetachDeck, Enrol, LeaveCourse, MoveLesson, SetCourseStatus, SetLessonCompleted,
    UpdateCourse, UpdateLesson,
};
use crate::ui::plural;
use crate::ui::FormAction;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub(crate) fn lessons_text(count: usize) -> String {
    plural(count as i64, "lesson", "lessons")
}

/// Whether the address asks for the learner preview (`?preview=1`): the
/// author sees their course and lessons without the editing controls.
pub(crate) fn learner_preview() -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("preview").is_some())
}

#[derive(Clone, Copy)]
pub(crate) struct CourseActions {
    pub(crate) enrol: FormAction<Enrol>,
    pub(crate) leave: FormAction<LeaveCourse>,
    pub(crate) set_status: FormAction<SetCourseStatus>,
    pub(crate) update: FormAction<UpdateCourse>,
    pub(crate) move_lesson: FormAction<MoveLesson>,
}

/// The address suffix that keeps the learner preview on.
pub(crate) fn preview_suffix(preview: bool) -> &'static str {
    if preview {
        "?preview=1"
    } else {
        ""
    }
}

#[derive(Clone, Copy)]
pub(crate) struct LessonActions {
    pub(crate) complete: FormAction<SetLessonCompleted>,
    pub(crate) update: FormAction<UpdateLesson>,
    pub(crate) attach: FormAction<AttachDeck>,
    pub(crate) detach: FormAction<DetachDeck>,
}
