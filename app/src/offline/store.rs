//! Decks kept for offline study and reviews not yet sent, in the browser's
//! IndexedDB.
//!
//! Each deck record is a study queue as the learner left it (the cards still
//! to study today and their states), under the learner's id and the deck's,
//! so someone else who signs in on this browser never sees it. The learner
//! last signed in here is kept too: the offline app, which cannot ask the
//! server who is signed in, opens only that learner's decks.
//!
//! The outbox holds each rating until the server has stored it, under the
//! learner who made it. The service worker reads the same store to send it
//! by Background Sync (`public/sw-outbox.js`), so its shape is part of that
//! script's contract.

use indexed_db_futures::{
    database::Database,
    error::OpenDbError,
    prelude::*,
    transaction::{Transaction, TransactionDurability, TransactionMode, TransactionOptions},
    KeyPath, KeyRange,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::study::{ReviewInput, StudyQueue};

pub(crate) const DATABASE: &str = "engram";
/// 1: decks and settings. 2: the outbox.
const VERSION: u32 = 2;
const DECKS: &str = "decks";
const BY_LEARNER: &str = "by_learner";
const SETTINGS: &str = "settings";
const SIGNED_IN: &str = "signed_in";
const OUTBOX: &str = "outbox";

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
    /// What its cards' pictures and sound weigh, kept in the media cache.
    #[serde(default)]
    pub media_bytes: f64,
}

impl OfflineDeck {
    pub fn new(queue: &StudyQueue, saved_at_ms: f64) -> Result<OfflineDeck, String> {
        Ok(OfflineDeck {
            learner_id: queue.learner_id.to_string(),
            deck_id: queue.deck_id.to_string(),
            deck_title: queue.deck_title.clone(),
            saved_at_ms,
            queue_json: serde_json::to_string(queue).map_err(|error| error.to_string())?,
            media_bytes: 0.0,
        })
    }

    pub fn queue(&self) -> Result<StudyQueue, String> {
        serde_json::from_slice(self.queue_json.as_bytes()).map_err(|error| error.to_string())
    }

    pub fn size_bytes(&self) -> usize {
        self.queue_json.len() + self.media_bytes as usize
    }
}

#[derive(Serialize, Deserialize)]
struct SignedIn {
    key: String,
    learner_id: String,
}

/// One review waiting in the outbox. The review is kept as the JSON the
/// server takes, so the service worker sends it without knowing its fields.
#[derive(Serialize, Deserialize)]
struct WaitingReview {
    id: String,
    learner_id: String,
    /// When it was kept, in Unix milliseconds: batches go oldest first.
    kept_at_ms: f64,
    review_json: String,
}

fn failed(error: impl std::fmt::Display) -> String {
    format!("This browser's storage failed: {error}")
}

async fn open() -> Result<Database, String> {
    Database::open(DATABASE)
        .with_version(VERSION)
        .with_on_upgrade_needed(|_event, database| {
            // Each store is created when missing rather than by version
            // number alone, so a browser on any older version (or a database
            // opened empty) ends with all of them.
            let existing: Vec<String> = database.object_store_names().collect();
            let missing = |name: &str| !existing.iter().any(|store| store == name);
            if missing(DECKS) {
                database
                    .create_object_store(DECKS)
                    .with_key_path(KeyPath::from(["learner_id", "deck_id"]))
                    .build()?
                    .create_index(BY_LEARNER, "learner_id".into())
                    .build()?;
            }
            if missing(SETTINGS) {
                database
                    .create_object_store(SETTINGS)
                    .with_key_path("key".into())
                    .build()?;
            }
            if missing(OUTBOX) {
                database
                    .create_object_store(OUTBOX)
                    .with_key_path("id".into())
                    .build()?
                    .create_index(BY_LEARNER, "learner_id".into())
                    .build()?;
            }
            Ok(())
        })
        .await
        .map_err(|error| match error {
            OpenDbError::Base(error) => failed(error),
            // The library names any refusal to open, such as storage turned
            // off for the site, "Version cannot be zero".
            _ => "This browser keeps nothing for Engram (its storage is blocked or off)".to_owned(),
        })
}

/// A transaction that writes `store`, flushed to disk before its commit
/// returns: what the learner did must survive a closed tab or a crash.
fn writing<'db>(database: &'db Database, store: &str) -> Result<Transaction<'db>, String> {
    database
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
        .build()
        .map_err(failed)
}

fn reading<'db>(database: &'db Database, store: &str) -> Result<Transaction<'db>, String> {
    database.transaction(store).build().map_err(failed)
}

/// Writes a deck.
pub async fn save_deck(deck: &OfflineDeck) -> Result<(), String> {
    let database = open().await?;
    let transaction = writing(&database, DECKS)?;
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
    let transaction = reading(&database, DECKS)?;
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

/// The learner's offline decks, by title, in the order of the browser's
/// language ("Ñandú" after "Nube" in Spanish, case aside): the browser's
/// collation rather than Rust's `to_lowercase`, whose Unicode tables would
/// add 5 KB to the study page's code.
pub async fn list_decks(learner_id: Uuid) -> Result<Vec<OfflineDeck>, String> {
    let mut decks = decks_where(Some(learner_id)).await?;
    let (locales, options) = (js_sys::Array::new(), js_sys::Object::new());
    decks.sort_by(|a, b| {
        js_sys::JsString::from(a.deck_title.as_str())
            .locale_compare(&b.deck_title, &locales, &options)
            .cmp(&0)
    });
    Ok(decks)
}

/// Every deck kept on this browser, whoever kept it: the media cache is
/// shared, so a file goes only when no deck uses it any more.
pub async fn all_decks() -> Result<Vec<OfflineDeck>, String> {
    decks_where(None).await
}

async fn decks_where(learner_id: Option<Uuid>) -> Result<Vec<OfflineDeck>, String> {
    records(DECKS, learner_id).await
}

/// Every record of `store_name`, or only the learner's (through the
/// store's `by_learner` index).
async fn records<T: serde::de::DeserializeOwned>(
    store_name: &str,
    learner_id: Option<Uuid>,
) -> Result<Vec<T>, String> {
    let database = open().await?;
    let transaction = reading(&database, store_name)?;
    let store = transaction.object_store(store_name).map_err(failed)?;
    let records = match learner_id {
        Some(learner_id) => store
            .index(BY_LEARNER)
            .map_err(failed)?
            .get_all()
            .with_query(learner_id.to_string().as_str())
            .serde()
            .map_err(failed)?
            .await
            .map_err(failed)?
            .collect::<Result<Vec<T>, _>>(),
        None => store
            .get_all()
            .serde()
            .map_err(failed)?
            .await
            .map_err(failed)?
            .collect::<Result<Vec<T>, _>>(),
    };
    records.map_err(failed)
}

pub async fn remove_deck(learner_id: Uuid, deck_id: Uuid) -> Result<(), String> {
    let database = open().await?;
    let transaction = writing(&database, DECKS)?;
    let (learner_id, deck_id) = (learner_id.to_string(), deck_id.to_string());
    transaction
        .object_store(DECKS)
        .map_err(failed)?
        .delete::<[&str; 2], _>(KeyRange::Only([learner_id.as_str(), deck_id.as_str()]))
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}

/// Removes every deck of the learner (at sign-out), in one transaction.
pub async fn remove_learner(learner_id: Uuid) -> Result<(), String> {
    let database = open().await?;
    let transaction = writing(&database, DECKS)?;
    let learner = learner_id.to_string();
    let store = transaction.object_store(DECKS).map_err(failed)?;
    // Every key whose first part is the learner: [learner] sorts before
    // [learner, anything], and [learner, []] after it (arrays sort last).
    let learner = JsValue::from_str(&learner);
    let lower = JsValue::from(js_sys::Array::of1(&learner));
    let upper = JsValue::from(js_sys::Array::of2(&learner, &js_sys::Array::new()));
    store
        .delete::<JsValue, _>(KeyRange::Bound(lower, false, upper, false))
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)?;
    forget_signed_in(learner_id).await
}

/// Records who is signed in on this browser, for the offline app.
pub async fn remember_signed_in(learner_id: Uuid) -> Result<(), String> {
    let database = open().await?;
    let transaction = writing(&database, SETTINGS)?;
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
    let transaction = reading(&database, SETTINGS)?;
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
    let transaction = writing(&database, SETTINGS)?;
    transaction
        .object_store(SETTINGS)
        .map_err(failed)?
        .delete(SIGNED_IN)
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}

/// Keeps a review of the learner's until the server has it.
pub async fn keep_review(learner_id: Uuid, review: &ReviewInput, kept_at_ms: f64) -> Result<(), String> {
    let record = WaitingReview {
        id: review.id.to_string(),
        learner_id: learner_id.to_string(),
        kept_at_ms,
        review_json: serde_json::to_string(review).map_err(failed)?,
    };
    let database = open().await?;
    let transaction = writing(&database, OUTBOX)?;
    transaction
        .object_store(OUTBOX)
        .map_err(failed)?
        .put(&record)
        .serde()
        .map_err(failed)?
        .await
        .map_err(failed)?;
    transaction.commit().await.map_err(failed)
}

/// The learner's waiting reviews, oldest first.
pub async fn waiting_reviews(learner_id: Uuid) -> Result<Vec<ReviewInput>, String> {
    let mut records: Vec<WaitingReview> = records(OUTBOX, Some(learner_id)).await?;
    records.sort_by(|a, b| a.kept_at_ms.total_cmp(&b.kept_at_ms));
    records
        .iter()
        .map(|record| serde_json::from_slice(record.review_json.as_bytes()).map_err(failed))
        .collect()
}

/// Drops the reviews the server has stored.
pub async fn forget_reviews(review_ids: &[Uuid]) -> Result<(), String> {
    let database = open().await?;
    let transaction = writing(&database, OUTBOX)?;
    let store = transaction.object_store(OUTBOX).map_err(failed)?;
    for review_id in review_ids {
        store
            .delete(review_id.to_string().as_str())
            .await
            .map_err(failed)?;
    }
    transaction.commit().await.map_err(failed)
}
