//! The settings page and its parts.

mod optimise_section;
mod settings_page;
mod study_days_form;

pub use settings_page::SettingsPage;
