//! The signed-in home page: a greeting, where to continue studying, the
//! courses the person teaches or follows, and their decks.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use serde::{Deserialize, Serialize};

use crate::{auth::User, courses::CourseListItem, decks::DeckSummary, study::StudiedDeck};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub user: User,
    pub decks: Vec<DeckSummary>,
    /// Every deck the person studies, with what is left for today.
    pub studied: Vec<StudiedDeck>,
    /// Courses the person authors (teachers and admins).
    pub teaching: Vec<CourseListItem>,
    /// Courses the person is enrolled in, most recently studied first.
    pub studying: Vec<CourseListItem>,
}
