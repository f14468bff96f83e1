//! Course server functions. Only teachers (and admins) create courses; only
//! a course's author or an admin changes it; a draft is not found by anyone
//! else, so unpublished work does not leak.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::access;
use super::{AttachableDeck, Course, CourseInput, CourseStatus, LessonSummary, Progress};
use crate::{decks::DeckSummary, error::AppError};

/// Suggestions for the category field; authors may type their own.
pub const SUGGESTED_CATEGORIES: [&str; 8] = [
    "Languages",
    "Mathematics",
    "Science",
    "Programming",
    "History",
    "Medicine",
    "Arts",
    "Exam preparation",
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonInput {
    pub title: String,
    /// Markdown, with math and code like cards.
    pub body: String,
}

/// Everything a course's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursePageData {
    pub course: Course,
    /// The course's language as people read it ("Spanish" for `es`).
    pub language_name: String,
    pub lessons: Vec<LessonSummary>,
    /// The viewer's progress, when they are enrolled.
    pub progress: Option<Progress>,
    pub can_edit: bool,
    pub signed_in: bool,
    /// Learners enrolled; shown to the author.
    pub enrolment_count: i64,
    /// The decks of the course's lessons, for an enrolled learner to study
    /// from the course's page; empty for everyone else.
    pub decks: Vec<DeckSummary>,
}

/// A lesson as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonView {
    pub id: Uuid,
    pub position: i32,
    pub title: String,
    pub body_html: String,
    /// The Markdown source, for the author's editor; empty for learners.
    pub body_markdown: String,
}

/// Everything a lesson's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonPageData {
    pub course: Course,
    pub lesson: LessonView,
    pub lessons: Vec<LessonSummary>,
    pub decks: Vec<DeckSummary>,
    pub progress: Option<Progress>,
    pub can_edit: bool,
    /// The author's decks, to attach (private ones after unlisting them);
    /// editors only.
    pub attachable_decks: Vec<AttachableDeck>,
}

impl LessonPageData {
    pub fn completed(&self) -> bool {
        self.lessons
            .iter()
            .any(|lesson| lesson.id == self.lesson.id && lesson.completed)
    }

    /// The lessons before and after this one.
    pub fn neighbours(&self) -> (Option<&LessonSummary>, Option<&LessonSummary>) {
        let index = self.lessons.iter().position(|lesson| lesson.id == self.lesson.id);
        match index {
            Some(index) => (
                index.checked_sub(1).and_then(|before| self.lessons.get(before)),
                self.lessons.get(index + 1),
            ),
            None => (None, None),
        }
    }
}

#[cfg(feature = "ssr")]
fn course_address(course: &Course) -> String {
    crate::routes::course(&course.slug)
}

#[cfg(feature = "ssr")]
fn lesson_address(course: &Course, lesson_id: Uuid) -> String {
    crate::routes::lesson(&course.slug, lesson_id)
}

/// Starts a draft course. Learners may not: they get 403.
#[server(endpoint = "courses/create")]
pub async fn create_course(input: CourseInput) -> Result<String, AppError> {
    use crate::{auth::session, auth::Role, courses::db, state::app_state};

    let result = async {
        let state = app_state()?;
        let user = session::require_role(&state, Role::Teacher).await?;
        let course = input.parse()?;
        let (_, slug) = db::create_course(&state.pool, user.id, &course).await?;
        tracing::info!(user_id = %user.id, %slug, "course created");
        Ok(slug)
    }
    .await;
    match &result {
        Ok(slug) => leptos_axum::redirect(&crate::routes::course(slug)),
        // Posted without JavaScript, the new-course page comes back with the
        // form filled in as it was sent, beside its error.
        Err(error) => {
            crate::plain_post::back_to_the_filled_form::<CreateCourse>(
                &crate::routes::course_settings_filled_in(crate::routes::NEW_COURSE, &input),
                crate::routes::NEW_COURSE,
                error,
            )
            .await
        }
    }
    result
}

#[server(endpoint = "courses/update")]
pub async fn update_course(course_id: Uuid, input: CourseInput) -> Result<String, AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let current = access::editable_course(&state, &user, course_id).await?;
    let saved = async {
        let course = input.parse()?;
        db::update_course(&state.pool, course_id, &course).await?;
        Ok(course)
    }
    .await;
    let course = match saved {
        Ok(course) => course,
        Err(error) => {
            // Posted without JavaScript, the course's page comes back with the
            // form filled in as it was sent, beside its error.
            let page = crate::routes::course(&current.slug);
            crate::plain_post::back_to_the_filled_form::<UpdateCourse>(
                &crate::routes::course_settings_filled_in(&page, &input),
                &page,
                &error,
            )
            .await;
            return Err(error);
        }
    };
    let page = crate::routes::course(&course.slug);
    if course.slug != current.slug {
        // The page's address changed with the slug.
        leptos_axum::redirect(&page);
        crate::plain_post::on_to_the_saved_page(&crate::routes::saying_saved(
            &page,
            super::COURSE_DETAILS_SAVED,
        ));
    } else {
        crate::plain_post::back_saying_saved(super::COURSE_DETAILS_SAVED, &page);
    }
    Ok(course.slug)
}

/// Moves a course along its workflow.
#[server(endpoint = "courses/status")]
pub async fn set_course_status(course_id: Uuid, status: CourseStatus) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    access::editable_course(&state, &user, course_id).await?;
    db::change_status(&state.pool, course_id, status).await?;
    tracing::info!(user_id = %user.id, %course_id, status = status.as_str(), "course status changed");
    Ok(())
}

/// Sets the course's cover to an uploaded image, or removes it when
/// `sha256` is empty. The browser uploads the file first (`POST /api/media`);
/// without JavaScript, the file comes with the form instead, to
/// `media::http::set_course_cover_without_javascript`.
#[server(endpoint = "courses/cover")]
pub async fn set_course_cover(course_id: Uuid, sha256: String) -> Result<(), AppError> {
    use crate::{
        auth::session,
        courses::db,
        media::{is_sha256_hex, store::MediaStore},
        state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    access::editable_course(&state, &user, course_id).await?;
    let sha256 = sha256.trim();
    if sha256.is_empty() {
        return db::set_cover(&state.pool, course_id, None).await;
    }
    let content_type = if is_sha256_hex(sha256) {
        MediaStore::content_type(&state.pool, sha256).await?
    } else {
        None
    };
    match content_type {
        Some(content_type) if content_type.starts_with("image/") => {
            db::set_cover(&state.pool, course_id, Some(sha256)).await
        }
        Some(_) => Err(AppError::field(super::COVER_FIELD, super::COVER_NOT_AN_IMAGE)),
        None => Err(AppError::field(super::COVER_FIELD, super::COVER_NOT_FOUND)),
    }
}

/// Deletes a course with its lessons and everyone's progress in it.
#[server(endpoint = "courses/delete")]
pub async fn delete_course(course_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    access::editable_course(&state, &user, course_id).await?;
    db::delete_course(&state.pool, course_id).await?;
    tracing::info!(user_id = %user.id, %course_id, "course deleted");
    leptos_axum::redirect(crate::routes::DASHBOARD);
    Ok(())
}

#[server(endpoint = "courses/page", input = GetUrl)]
pub async fn load_course_page(slug: String) -> Result<CoursePageData, AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let viewer = session::current_user(&state).await?;
    let course = db::find_course_by_slug(&state.pool, slug.trim(), viewer.as_ref()).await?;
    let (course, enrolled) = access::visible_course(&state, viewer.as_ref(), course).await?;
    let viewer_id = viewer.as_ref().map(|viewer| viewer.id);
    let lessons = db::list_lessons(&state.pool, course.id, viewer_id).await?;
    let progress = match (&viewer, enrolled) {
        (Some(viewer), true) => db::progress(&state.pool, viewer.id, course.id).await?,
        _ => None,
    };
    let can_edit = viewer
        .as_ref()
        .is_some_and(|viewer| course.is_editable_by(viewer));
    let enrolment_count = if can_edit {
        db::count_enrolments(&state.pool, course.id).await?
    } else {
        0
    };
    let decks = if progress.is_some() {
        db::course_decks(&state.pool, course.id).await?
    } else {
        Vec::new()
    };
    Ok(CoursePageData {
        language_name: crate::ui::language_name(&course.language),
        course,
        lessons,
        progress,
        can_edit,
        signed_in: viewer.is_some(),
        enrolment_count,
        decks,
    })
}

/// Appends a lesson and opens it for editing.
#[server(endpoint = "courses/lessons/create")]
pub async fn add_lesson(course_id: Uuid, title: String) -> Result<Uuid, AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let course = access::editable_course(&state, &user, course_id).await?;
    let title = super::parse_lesson_title(&title)?;
    let lesson_id = db::insert_lesson(&state.pool, course_id, &title).await?;
    leptos_axum::redirect(&lesson_address(&course, lesson_id));
    Ok(lesson_id)
}

/// Saves a lesson's title and text. A plain form post that is refused comes
/// back to the lesson with what was typed (`crate::unsaved`: a lesson may
/// hold 64 KiB, too much for an address).
#[server(endpoint = "courses/lessons/update")]
pub async fn update_lesson(lesson_id: Uuid, input: LessonInput) -> Result<(), AppError> {
    use crate::{auth::session, state::app_state, unsaved};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let (_, course) = access::editable_lesson(&state, &user, lesson_id).await?;
    let page = lesson_address(&course, lesson_id);
    match save_lesson(&state, lesson_id, &input).await {
        Ok(()) => {
            crate::plain_post::back_saying_saved(super::LESSON_SAVED, &page);
            Ok(())
        }
        Err(error) => {
            let typed = vec![input.title, input.body];
            let form = unsaved::editing_lesson(lesson_id);
            unsaved::keep_for_the_form::<UpdateLesson>(form, &page, typed, String::new(), &error).await;
            Err(error)
        }
    }
}

/// Checks a lesson's title and text, both at once, and stores them with the
/// text rendered. The caller has checked that the lesson may be edited.
#[cfg(feature = "ssr")]
async fn save_lesson(
    state: &crate::state::AppState,
    lesson_id: Uuid,
    input: &LessonInput,
) -> Result<(), AppError> {
    use crate::{content::render_markdown, courses::db};

    let title = super::parse_lesson_title(&input.title);
    let body = if input.body.len() > super::MAX_LESSON_BYTES {
        Err(AppError::field(
            "body",
            format!(
                "The lesson is too long: at most {} KiB.",
                super::MAX_LESSON_BYTES / 1024
            ),
        ))
    } else if input.body.contains('\0') {
        Err(AppError::field(
            "body",
            "The lesson contains a character that cannot be stored.",
        ))
    } else if let Some(elsewhere) = crate::content::from_elsewhere(&input.body) {
        Err(AppError::field(
            "body",
            elsewhere.message("Remove it, or link to it instead: [what it shows](its address)."),
        ))
    } else {
        // Off the async workers, within the same permits as notes: a long
        // lesson takes a while to render, and requests wait on none of it.
        let body = input.body.clone();
        state
            .rendering
            .run(move || render_markdown(&body))
            .await?
            .map_err(|error| AppError::field("body", error.0))
    };
    let (title, body_html) = match (title, body) {
        (Ok(title), Ok(html)) => (title, html),
        (Err(AppError::Validation(mut first)), Err(AppError::Validation(second))) => {
            first.extend(second);
            return Err(AppError::Validation(first));
        }
        (Err(error), _) | (_, Err(error)) => return Err(error),
    };
    db::update_lesson(&state.pool, lesson_id, &title, &input.body, &body_html).await
}

#[server(endpoint = "courses/lessons/move")]
pub async fn move_lesson(lesson_id: Uuid, earlier: bool) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let (lesson, _) = access::editable_lesson(&state, &user, lesson_id).await?;
    db::move_lesson(&state.pool, &lesson, earlier).await
}

#[server(endpoint = "courses/lessons/delete")]
pub async fn delete_lesson(lesson_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let (lesson, course) = access::editable_lesson(&state, &user, lesson_id).await?;
    db::delete_lesson(&state.pool, &lesson).await?;
    leptos_axum::redirect(&course_address(&course));
    Ok(())
}

/// Attaches one of the author's decks to a lesson. A private deck is
/// refused unless `make_unlisted` asks for it to be unlisted on the way.
#[server(endpoint = "courses/lessons/attach")]
pub async fn attach_deck(
    lesson_id: Uuid,
    deck_id: String,
    make_unlisted: Option<bool>,
) -> Result<(), AppError> {
    use crate::{
        auth::session,
        courses::db,
        decks::{access::editable_deck, Visibility},
        state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    access::editable_lesson(&state, &user, lesson_id).await?;
    let choose = || AppError::field("deck_id", "Choose one of your decks from the list.");
    let deck_id = Uuid::parse_str(deck_id.trim()).map_err(|_| choose())?;
    let deck = match editable_deck(&state, &user, deck_id).await {
        Ok(deck) => deck,
        Err(AppError::NotFound | AppError::Forbidden) => return Err(choose()),
        Err(other) => return Err(other),
    };
    if deck.visibility == Visibility::Private {
        if make_unlisted == Some(true) {
            return db::unlist_and_attach_deck(&state.pool, lesson_id, deck_id).await;
        }
        return Err(AppError::field(
            "deck_id",
            "Learners cannot open a private deck. Make it public or unlisted first.",
        ));
    }
    db::attach_deck(&state.pool, lesson_id, deck_id).await
}

#[server(endpoint = "courses/lessons/detach")]
pub async fn detach_deck(lesson_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    access::editable_lesson(&state, &user, lesson_id).await?;
    db::detach_deck(&state.pool, lesson_id, deck_id).await
}

/// Opens a lesson. Reads only: the lesson to continue from is remembered by
/// `record_lesson_opened`, which the page posts once it is in the browser.
#[server(endpoint = "courses/lessons/page", input = GetUrl)]
pub async fn load_lesson_page(slug: String, lesson_id: Uuid) -> Result<LessonPageData, AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let viewer = session::current_user(&state).await?;
    let course = db::find_course_by_slug(&state.pool, slug.trim(), viewer.as_ref()).await?;
    let (course, enrolled) = access::visible_course(&state, viewer.as_ref(), course).await?;
    let lesson = db::find_lesson(&state.pool, lesson_id)
        .await?
        .filter(|lesson| lesson.course_id == course.id)
        .ok_or(AppError::NotFound)?;
    let can_edit = viewer
        .as_ref()
        .is_some_and(|viewer| course.is_editable_by(viewer));
    let progress = match (&viewer, enrolled) {
        (Some(viewer), true) => db::progress(&state.pool, viewer.id, course.id).await?,
        _ => None,
    };
    let viewer_id = viewer.as_ref().map(|viewer| viewer.id);
    let lessons = db::list_lessons(&state.pool, course.id, viewer_id).await?;
    let decks = db::lesson_decks(&state.pool, lesson.id).await?;
    let attachable_decks = if can_edit {
        db::attachable_decks(&state.pool, course.owner_id).await?
    } else {
        Vec::new()
    };
    Ok(LessonPageData {
        lesson: LessonView {
            id: lesson.id,
            position: lesson.position,
            title: lesson.title,
            body_html: lesson.body_html,
            body_markdown: if can_edit {
                lesson.body_markdown
            } else {
                String::new()
            },
        },
        course,
        lessons,
        decks,
        progress,
        can_edit,
        attachable_decks,
    })
}

/// Remembers `lesson_id` as the lesson its enrolled learner continues from.
/// Does nothing for someone not enrolled.
#[server(endpoint = "courses/lessons/opened")]
pub async fn record_lesson_opened(lesson_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let (lesson, _, _) = access::visible_lesson(&state, &user, lesson_id).await?;
    db::record_lesson_opened(&state.pool, user.id, &lesson).await
}

/// Enrols the signed-in person in a published course.
#[server(endpoint = "courses/enrol")]
pub async fn enrol(course_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let course = db::find_course(&state.pool, course_id).await?;
    let (course, enrolled) = access::visible_course(&state, Some(&user), course).await?;
    if !enrolled {
        if !db::enrol_in_published(&state.pool, user.id, course_id).await? {
            return Err(AppError::Conflict(
                "This course is not taking new learners.".to_owned(),
            ));
        }
        tracing::info!(user_id = %user.id, %course_id, "enrolled");
    }
    leptos_axum::redirect(&course_address(&course));
    Ok(())
}

/// Leaves a course; lesson completions are kept in case the learner returns.
#[server(endpoint = "courses/leave")]
pub async fn leave_course(course_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let course = db::find_course(&state.pool, course_id).await?;
    let (course, _) = access::visible_course(&state, Some(&user), course).await?;
    db::unenrol(&state.pool, user.id, course_id).await?;
    leptos_axum::redirect(&course_address(&course));
    Ok(())
}

/// Marks a lesson complete (or not) for the enrolled learner.
#[server(endpoint = "courses/lessons/complete")]
pub async fn set_lesson_completed(lesson_id: Uuid, completed: bool) -> Result<(), AppError> {
    use crate::{auth::session, courses::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let (lesson, _, enrolled) = access::visible_lesson(&state, &user, lesson_id).await?;
    if !enrolled {
        return Err(AppError::Conflict(
            "Enrol in the course to keep track of your progress.".to_owned(),
        ));
    }
    // Without JavaScript the page cannot say it was opened; this is the
    // lesson's own progress action, so it remembers it too: before a
    // completion, which then moves "continue" on to the next lesson, and
    // after a lesson is taken back to not completed, so that it is where
    // the learner is.
    if completed {
        db::record_lesson_opened(&state.pool, user.id, &lesson).await?;
        db::set_lesson_completed(&state.pool, user.id, lesson_id, true).await
    } else {
        db::set_lesson_completed(&state.pool, user.id, lesson_id, false).await?;
        db::record_lesson_opened(&state.pool, user.id, &lesson).await
    }
}
