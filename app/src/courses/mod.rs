//! Courses: a teacher's ordered lessons, each with text and decks to study,
//! that learners enrol in and work through.

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{Role, User};
#[cfg(feature = "ssr")]
use crate::{
    error::AppError,
    ui::validate::{self, FieldErrors},
};

/// One of the author's decks, as a lesson's editor offers it. A private
/// deck cannot be attached until learners can open it, so the editor lists
/// it with the action that makes it unlisted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachableDeck {
    pub id: Uuid,
    pub title: String,
    pub private: bool,
}

/// Where a course is in its life: drafts are private to their author,
/// published courses are open to everyone, archived ones only to the
/// learners who enrolled before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "course_status", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum CourseStatus {
    #[default]
    Draft,
    Published,
    Archived,
}

impl CourseStatus {
    /// The name used in forms, addresses and the database.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            CourseStatus::Draft => "Draft",
            CourseStatus::Published => "Published",
            CourseStatus::Archived => "Archived",
        }
    }

    /// The workflow is draft → published → archived; an archived course can
    /// be published again, and a published one taken back to draft while no
    /// one is enrolled (checked by the server function).
    /// Why a course with `lessons` and `enrolments` cannot move from this
    /// status to `next` now, or `None` when it can.
    pub fn refusal_to_become(self, next: CourseStatus, lessons: i64, enrolments: i64) -> Option<String> {
        if !self.can_become(next) {
            return Some(format!(
                "A {} course cannot become {}.",
                self.as_str(),
                next.as_str()
            ));
        }
        if next == CourseStatus::Published && lessons == 0 {
            return Some("Add at least one lesson before publishing.".to_owned());
        }
        if next == CourseStatus::Draft && enrolments > 0 {
            return Some(
                "Learners are enrolled, so the course cannot go back to draft. Archive it instead."
                    .to_owned(),
            );
        }
        None
    }

    pub fn can_become(self, next: CourseStatus) -> bool {
        matches!(
            (self, next),
            (CourseStatus::Draft, CourseStatus::Published)
                | (CourseStatus::Published, CourseStatus::Archived)
                | (CourseStatus::Published, CourseStatus::Draft)
                | (CourseStatus::Archived, CourseStatus::Published)
        )
    }
}

/// How much a learner should know before starting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "course_level", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum CourseLevel {
    #[default]
    Beginner,
    Intermediate,
    Advanced,
}

impl CourseLevel {
    /// The name used in forms, addresses and the database.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            CourseLevel::Beginner => "Beginner",
            CourseLevel::Intermediate => "Intermediate",
            CourseLevel::Advanced => "Advanced",
        }
    }
}

/// A course with what its page shows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub level: CourseLevel,
    pub language: String,
    pub status: CourseStatus,
    /// The sha256 of the cover image, served at `/media/<sha256>`.
    pub cover_sha256: Option<String>,
}

impl Course {
    /// Its author while a teacher, and admins. An author made a learner
    /// again can no longer change, publish or share through it (a role
    /// change applies at once), but still sees it.
    pub fn is_editable_by(&self, user: &User) -> bool {
        (self.owner_id == user.id && user.role >= Role::Teacher) || user.role == Role::Admin
    }

    /// Drafts are seen by their author (whatever their role now) and
    /// admins only, archived courses also by the learners enrolled in them;
    /// to anyone else the course does not exist.
    pub fn is_visible_to(&self, viewer: Option<&User>, viewer_is_enrolled: bool) -> bool {
        match self.status {
            CourseStatus::Published => true,
            CourseStatus::Archived if viewer_is_enrolled => true,
            _ => viewer.is_some_and(|viewer| self.owner_id == viewer.id || viewer.role == Role::Admin),
        }
    }
}

/// A lesson as listed on its course's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonSummary {
    pub id: Uuid,
    pub position: i32,
    pub title: String,
    /// Whether the viewer has marked it complete.
    pub completed: bool,
}

/// A learner's place in a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub last_lesson_id: Option<Uuid>,
}

impl Progress {
    /// Completed lessons as a whole percentage, rounded down so that 100 %
    /// means every lesson is done.
    pub fn percent(&self) -> i64 {
        if self.total_lessons <= 0 {
            0
        } else {
            (self.completed_lessons.min(self.total_lessons) * 100) / self.total_lessons
        }
    }
}

/// A course on the dashboard: one the person teaches, or one they study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseListItem {
    pub slug: String,
    pub title: String,
    pub status: CourseStatus,
    pub lesson_count: i64,
    pub completed_lessons: i64,
    /// The lesson to continue with: the last one opened, else the first.
    pub resume_lesson_id: Option<Uuid>,
    pub resume_lesson_title: Option<String>,
}

impl CourseListItem {
    pub fn progress(&self) -> Progress {
        Progress {
            completed_lessons: self.completed_lessons,
            total_lessons: self.lesson_count,
            last_lesson_id: self.resume_lesson_id,
        }
    }
}

/// The most Markdown a lesson may hold.
pub const MAX_LESSON_BYTES: usize = 64 * 1024;

/// A course's address is its author's, among their courses, and everyone's
/// once published (the messages are fixed text, so a form posted without
/// JavaScript shows them from its address: `ui::validate::is_rule_message`).
pub const SLUG_MALFORMED: &str =
    "Use 3 to 80 lowercase letters, digits and single hyphens, such as “spanish-basics”.";
pub const SLUG_NOT_MADE_FROM_TITLE: &str =
    "Choose an address of 3 to 80 letters, digits and hyphens, such as “spanish-basics”.";
pub const SLUG_RESERVED: &str = "“new” is the address of the page that makes a course. Choose another.";
pub const SLUG_TAKEN_BY_YOU: &str = "You already have a course at this address. Choose another.";
pub const SLUG_TAKEN_PUBLICLY: &str = "A published course already uses this address. Choose another.";

/// The cover's field, where its refusals are shown.
pub const COVER_FIELD: &str = "cover";
/// The image's part in the cover's form without JavaScript.
pub const COVER_FILE_FIELD: &str = "cover_image";
pub const COVER_NOT_AN_IMAGE: &str = "A cover must be an image.";
pub const COVER_NOT_FOUND: &str = "Upload the image again: it was not found.";
pub const COVER_NOT_CHOSEN: &str = "Choose an image to upload first.";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    pub title: String,
    pub description: String,
    pub category: String,
    pub level: CourseLevel,
    pub language: String,
    /// The course's address; made from the title when left empty.
    pub slug: String,
}

/// A course's settings after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCourse {
    pub slug: String,
    /// Whether the address was made from the title (the author left it
    /// empty): a new course then takes the first free one of `slug`,
    /// `slug-2`, `slug-3`… rather than refusing the form.
    pub slug_from_title: bool,
    pub title: String,
    pub description: String,
    pub category: String,
    pub level: CourseLevel,
    pub language: String,
}

/// Makes an address from a title: `Español: Primeras palabras` becomes
/// `espanol-primeras-palabras`. Letters outside ASCII are transliterated so
/// that addresses stay easy to type and share; symbols and emoji are left
/// out (transliterated, 😀 would be the word "grinning").
#[cfg(feature = "ssr")]
pub fn slugify(text: &str) -> String {
    let words: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let ascii = deunicode::deunicode(&words).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for character in ascii.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() > 80 {
        slug.truncate(80);
        slug = slug.trim_end_matches('-').to_owned();
    }
    slug
}

/// The address of the new-course form, which no course can have.
#[cfg(feature = "ssr")]
const NEW_COURSE_SLUG: &str = "new";

/// The address a course titled `title` gets when its author gives none:
/// the title's words (`slugify`), followed by "course" where they alone
/// could not be an address (a title such as "Go", "AI" or "New").
#[cfg(feature = "ssr")]
fn address_from_title(title: &str) -> String {
    let slug = slugify(title);
    if !slug.is_empty() && (slug.len() < 3 || slug == NEW_COURSE_SLUG) {
        format!("{slug}-course")
    } else {
        slug
    }
}

#[cfg(feature = "ssr")]
fn is_valid_slug(slug: &str) -> bool {
    slug != NEW_COURSE_SLUG
        && (3..=80).contains(&slug.len())
        && slug.split('-').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(feature = "ssr")]
impl CourseInput {
    /// Checks every field, reporting all problems at once.
    pub fn parse(&self) -> Result<ValidCourse, AppError> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", validate::title(&self.title, "course"));
        let description = errors.check("description", validate::description(&self.description));
        let category = errors.check(
            "category",
            validate::short_text(&self.category, MAX_CATEGORY_CHARS, "category"),
        );
        let language = errors.check("language", validate::language(&self.language));
        let requested_slug = self.slug.trim();
        let slug = if requested_slug.is_empty() {
            address_from_title(&title)
        } else {
            requested_slug.to_owned()
        };
        if !is_valid_slug(&slug) {
            if requested_slug == NEW_COURSE_SLUG {
                errors.add("slug", SLUG_RESERVED);
            } else if !requested_slug.is_empty() {
                errors.add("slug", SLUG_MALFORMED);
            } else if !title.is_empty() {
                errors.add("slug", SLUG_NOT_MADE_FROM_TITLE);
            }
        }
        errors.into_result(ValidCourse {
            slug,
            slug_from_title: requested_slug.is_empty(),
            title,
            description,
            category,
            level: self.level,
            language,
        })
    }
}

/// A lesson's title, by the rule every title follows.
#[cfg(feature = "ssr")]
pub fn parse_lesson_title(title: &str) -> Result<String, AppError> {
    validate::title(title, "lesson").map_err(|message| AppError::field("title", message))
}

/// The `saved` values in a course's and a lesson's addresses after their
/// editors saved by a form posted without JavaScript.
pub const COURSE_DETAILS_SAVED: &str = "course";
pub const LESSON_SAVED: &str = "lesson";

/// The longest course category, in characters.
pub const MAX_CATEGORY_CHARS: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_the_share_of_completed_lessons() {
        let progress = |completed, total| Progress {
            completed_lessons: completed,
            total_lessons: total,
            last_lesson_id: None,
        };
        assert_eq!(progress(0, 0).percent(), 0);
        assert_eq!(progress(1, 2).percent(), 50);
        assert_eq!(progress(2, 3).percent(), 66);
        assert_eq!(progress(3, 3).percent(), 100);
    }

    #[test]
    fn the_workflow_runs_from_draft_to_archived() {
        use CourseStatus::*;
        assert!(Draft.can_become(Published));
        assert!(Published.can_become(Archived));
        assert!(Archived.can_become(Published));
        assert!(!Draft.can_become(Archived));
        assert!(!Archived.can_become(Draft));
        assert!(!Published.can_become(Published));
    }
}

#[cfg(all(test, feature = "ssr"))]
mod input_tests {
    use super::*;

    #[test]
    fn a_slug_is_made_from_the_title() {
        assert_eq!(
            slugify("Español: Primeras palabras!"),
            "espanol-primeras-palabras"
        );
        assert_eq!(slugify("  C++ & Rust -- 101  "), "c-rust-101");
        assert_eq!(slugify("日本語"), "ri-ben-yu");
        assert_eq!(slugify("Ünïcödé 😀 course ✓"), "unicode-course");
    }

    #[test]
    fn a_given_slug_must_be_well_formed() {
        let input = CourseInput {
            title: "Spanish".into(),
            slug: "Spanish Basics".into(),
            ..Default::default()
        };
        assert!(input.parse().unwrap_err().field_message("slug").is_some());
        let input = CourseInput {
            title: "Spanish".into(),
            slug: "spanish-basics".into(),
            ..Default::default()
        };
        assert_eq!(input.parse().unwrap().slug, "spanish-basics");
    }

    #[test]
    fn a_title_too_short_or_reserved_for_an_address_gets_one_that_says_course() {
        let address_of = |title: &str| {
            CourseInput {
                title: title.into(),
                ..Default::default()
            }
            .parse()
            .map(|course| course.slug)
        };
        assert_eq!(address_of("Go").unwrap(), "go-course");
        assert_eq!(address_of("AI").unwrap(), "ai-course");
        assert_eq!(address_of("X").unwrap(), "x-course");
        assert_eq!(address_of("New").unwrap(), "new-course");
        assert_eq!(address_of("NEW!!").unwrap(), "new-course");
        assert_eq!(address_of("New words").unwrap(), "new-words");
        assert_eq!(address_of("Git").unwrap(), "git");
    }

    #[test]
    fn the_address_of_the_new_course_form_is_refused_by_name() {
        let input = CourseInput {
            title: "Anything".into(),
            slug: " new ".into(),
            ..Default::default()
        };
        assert_eq!(
            input.parse().unwrap_err().field_message("slug").as_deref(),
            Some(SLUG_RESERVED)
        );
    }

    #[test]
    fn a_title_without_letters_asks_for_a_slug() {
        let input = CourseInput {
            title: "!!".into(),
            ..Default::default()
        };
        assert!(input.parse().unwrap_err().field_message("slug").is_some());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = CourseInput {
            title: String::new(),
            language: "<script>".into(),
            category: "x".repeat(61),
            ..Default::default()
        };
        let error = input.parse().unwrap_err();
        for field in ["title", "language", "category"] {
            assert!(error.field_message(field).is_some(), "{field}");
        }
    }
}
