//! Course pages: the new-course form, a course with its lessons (and, for
//! its learners, its decks to study), and a lesson with its text and decks.
//! Authors edit in place on the same pages.

mod add_lesson_form;
mod author_panel;
mod common;
mod course_decks;
mod course_page;
mod course_settings_fields;
mod course_view;
mod cover_picker;
mod enrolment_panel;
mod lesson_editor;
mod lesson_page;
mod lesson_row;
mod lesson_view;
mod new_course_page;
mod progress_bar;

pub use course_page::CoursePage;
pub use lesson_page::LessonPage;
pub use new_course_page::NewCoursePage;
pub use progress_bar::ProgressBar;
