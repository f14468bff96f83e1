//! Who may see and change a course and its lessons.

use uuid::Uuid;

use crate::{
    auth::User,
    courses::{db, Course},
    error::AppError,
    state::AppState,
};

/// The course and whether `viewer` is enrolled, if they may see it;
/// `NotFound` otherwise.
pub async fn visible_course(
    state: &AppState,
    viewer: Option<&User>,
    course: Option<Course>,
) -> Result<(Course, bool), AppError> {
    let course = course.ok_or(AppError::NotFound)?;
    let enrolled = match viewer {
        Some(viewer) => db::is_enrolled(&state.pool, viewer.id, course.id).await?,
        None => false,
    };
    if course.is_visible_to(viewer, enrolled) {
        Ok((course, enrolled))
    } else {
        Err(AppError::NotFound)
    }
}

/// The course if `editor` may change it: `NotFound` when they cannot see
/// it, `Forbidden` when they can see but not change it.
pub async fn editable_course(state: &AppState, editor: &User, course_id: Uuid) -> Result<Course, AppError> {
    let course = db::find_course(&state.pool, course_id).await?;
    let (course, _) = visible_course(state, Some(editor), course).await?;
    if course.is_editable_by(editor) {
        Ok(course)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A lesson with its course and whether `viewer` is enrolled, if they may
/// see the course; `NotFound` otherwise.
pub async fn visible_lesson(
    state: &AppState,
    viewer: &User,
    lesson_id: Uuid,
) -> Result<(db::LessonRecord, Course, bool), AppError> {
    let lesson = db::find_lesson(&state.pool, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let course = db::find_course(&state.pool, lesson.course_id).await?;
    let (course, enrolled) = visible_course(state, Some(viewer), course).await?;
    Ok((lesson, course, enrolled))
}

/// A lesson with its course, if `editor` may change the course.
pub async fn editable_lesson(
    state: &AppState,
    editor: &User,
    lesson_id: Uuid,
) -> Result<(db::LessonRecord, Course), AppError> {
    let lesson = db::find_lesson(&state.pool, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let course = editable_course(state, editor, lesson.course_id).await?;
    Ok((lesson, course))
}
