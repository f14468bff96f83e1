//! The study page and its parts, and the counts the dashboard shows.

mod card_counts;
mod deck_preset_form;
mod deck_study_buttons;
mod hold_buttons;
mod rating_forms;
mod session_done;
mod study_page;
mod study_session_view;
mod suspended_cards;
mod sync_status;
mod typed_answer;

pub use card_counts::CardCounts;
pub use deck_preset_form::DeckPresetForm;
pub use deck_study_buttons::DeckStudyButtons;
pub use study_page::StudyPage;
pub use study_session_view::StudySessionView;
pub use suspended_cards::SuspendedCardsPanel;
pub use sync_status::LetGoLines;
