//! Decks: named collections of cards owned by one account.

#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A deck as listed on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckSummary {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub card_count: i64,
}
