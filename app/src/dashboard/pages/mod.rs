//! The dashboard page and its parts.

mod continue_card;
mod course_section;
mod dashboard_page;
mod dashboard_view;
mod study_section;

pub use dashboard_page::DashboardPage;
