//! Decks kept for offline study, in the browser's IndexedDB.
//!
//! Each record is a study queue as the learner left it (the cards still to
//! study today and their states), under the learner's id and the deck's, so
//! someone else who signs in on this browser never sees it. The learner last
//! signed in here is kept too: the offline app, which cannot ask the server
//! who is signed in, opens only that learner's decks.

use indexed_db_futures::{
    database::Database,
    prelude::*,
    transaction::{TransactionDurability, TransactionMode, TransactionOptions},
    KeyPath, KeyRange,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::study::StudyQueue;

const DATABASE: &str = "engram";
const VERSION: u32 = 1;
const DECKS: &str = "decks";
const BY_LEARNER: &str = "by_learner";
const SETTINGS: &str = "settings";
const SIGNED_IN: &str = "signed_in";

/// One deck kept for offline study.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfflineDeck {
    pub learner_id: String,
    pub deck_id: String,
    pub deck_title: String,
    /// When the record was last written, in Unix milliseconds.
    pub saved_at_ms: f64,
    /// The queue as JSON: its size is what the learner sees as the deck's size.
    pub queue_json: String,
}

impl OfflineDeck {
    pub fn new(queue: &StudyQueue, saved_at_ms: f64) -> Result<OfflineDeck, String> {
        Ok(OfflineDeck {
            learner_id: queue.learner_id.to_string(),
            deck_id: queue.deck_id.to_string(),
            deck_title: queue.deck_title.clone(),
            saved_at_ms,
            queue_json: serde_json::to_string(queue).map_err(|error| error.to_string())?,
        })
    }

    pub fn queue(&self) -> Result<StudyQueue, String> {
        serde_json::from_str(&self.queue_json).map_err(|error| error.to_string())
    }

    pub fn size_bytes(&self) -> usize {
        self.queue_json.len()
    }
}

#[derive(Serialize, Deserialize)]
struct SignedIn {
    key: String,
    learner_id: String,
}

fn failed(error: impl std::fmt::Display) -> String {
    format!("This browser's storage failed: {error}")
}

async fn open() -> Result<Database, String> {
    Database::open(DATABASE)
        .with_version(VERSION)
        .with_on_upgrade_needed(|event, database| {
            // One step per version, so a browser on any older version walks
            // through each.
            if event.old_version() < 1.0 {
                database
                    .create_object_store(DECKS)
                    .with_key_path(KeyPath::from(["learner_id", "deck_id"]))
                    .build()?
                    .create_index(BY_LEARNER, "learner_id".into())
                    .build()?;
                database
                    .create_object_store(SETTINGS)
                    .with_key_path("key".into())
                    .build()?;
            }
            Ok(())
        })
        .await
        .map_err(failed)
}

/// Writes a deck, durably (flushed to disk before this returns).
pub async fn save_deck(deck: &OfflineDeck) -> Result<(), String> {
    let database = open().await?;
    let transaction = database
        .transaction(DECKS)
        .with_mode(TransactionMode::Readwrite)
        .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
        .build()
        .map_err(failed)?;
    transaction
        .object_store(DECKS)
        .map_err(failed)?
        .put(deck)
        .serde()
        .map_err(failed)?
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}

pub async fn load_deck(learner_id: Uuid, deck_id: Uuid) -> Result<Option<OfflineDeck>, String> {
    let database = open().await?;
    let transaction = database.transaction(DECKS).build().map_err(failed)?;
    let (learner_id, deck_id) = (learner_id.to_string(), deck_id.to_string());
    transaction
        .object_store(DECKS)
        .map_err(failed)?
        .get::<OfflineDeck, [&str; 2], _>(KeyRange::Only([learner_id.as_str(), deck_id.as_str()]))
        .serde()
        .map_err(failed)?
        .await
        .map_err(failed)
}

/// The learner's offline decks, by title.
pub async fn list_decks(learner_id: Uuid) -> Result<Vec<OfflineDeck>, String> {
    let database = open().await?;
    let transaction = database.transaction(DECKS).build().map_err(failed)?;
    let mut decks: Vec<OfflineDeck> = transaction
        .object_store(DECKS)
        .map_err(failed)?
        .index(BY_LEARNER)
        .map_err(failed)?
        .get_all()
        .with_query(learner_id.to_string().as_str())
        .serde()
        .map_err(failed)?
        .await
        .map_err(failed)?
        .collect::<Result<_, _>>()
        .map_err(failed)?;
    decks.sort_by_key(|deck| deck.deck_title.to_lowercase());
    Ok(decks)
}

pub async fn remove_deck(learner_id: Uuid, deck_id: Uuid) -> Result<(), String> {
    let database = open().await?;
    let transaction = database
        .transaction(DECKS)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(failed)?;
    let (learner_id, deck_id) = (learner_id.to_string(), deck_id.to_string());
    transaction
        .object_store(DECKS)
        .map_err(failed)?
        .delete::<[&str; 2], _>(KeyRange::Only([learner_id.as_str(), deck_id.as_str()]))
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}

/// Removes every deck of the learner (at sign-out).
pub async fn remove_learner(learner_id: Uuid) -> Result<(), String> {
    for deck in list_decks(learner_id).await? {
        if let Ok(deck_id) = deck.deck_id.parse() {
            remove_deck(learner_id, deck_id).await?;
        }
    }
    forget_signed_in(learner_id).await
}

/// Records who is signed in on this browser, for the offline app.
pub async fn remember_signed_in(learner_id: Uuid) -> Result<(), String> {
    let database = open().await?;
    let transaction = database
        .transaction(SETTINGS)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(failed)?;
    let record = SignedIn {
        key: SIGNED_IN.into(),
        learner_id: learner_id.to_string(),
    };
    transaction
        .object_store(SETTINGS)
        .map_err(failed)?
        .put(&record)
        .serde()
        .map_err(failed)?
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}

/// Who was last signed in on this browser, if they have not signed out.
pub async fn signed_in() -> Result<Option<Uuid>, String> {
    let database = open().await?;
    let transaction = database.transaction(SETTINGS).build().map_err(failed)?;
    let record: Option<SignedIn> = transaction
        .object_store(SETTINGS)
        .map_err(failed)?
        .get::<SignedIn, &str, _>(SIGNED_IN)
        .serde()
        .map_err(failed)?
        .await
        .map_err(failed)?;
    Ok(record.and_then(|record| record.learner_id.parse().ok()))
}

async fn forget_signed_in(learner_id: Uuid) -> Result<(), String> {
    if signed_in().await? != Some(learner_id) {
        return Ok(());
    }
    let database = open().await?;
    let transaction = database
        .transaction(SETTINGS)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(failed)?;
    transaction
        .object_store(SETTINGS)
        .map_err(failed)?
        .delete(SIGNED_IN)
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}
