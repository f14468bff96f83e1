//! Signed-in sessions and accounts, cached in memory so that a signed-in
//! request reads nothing from PostgreSQL.
//!
//! Every server listens on two channels that triggers fill:
//! `engram_session_changed` when a session row is deleted (logout, the id
//! rotated at login) or its data changes, and `engram_account_changed` when
//! an account's email, name, role or session generation changes or the account is deleted
//! (`server::session_store` runs the listener). It drops its copy. A logout
//! or a role change therefore counts on every server as soon as the notice
//! arrives, within milliseconds. Entries also live at most a minute, in case
//! a notice is lost while the listener reconnects (it then empties both
//! caches).

use std::{
    hash::Hash,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use moka::future::Cache;
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use uuid::Uuid;

use super::db::{self, Account};
use crate::error::AppError;

/// The channel the session triggers notify, with the session's id.
pub const SESSION_CHANNEL: &str = "engram_session_changed";
/// The channel the account triggers notify, with the account's id.
pub const ACCOUNT_CHANNEL: &str = "engram_account_changed";
/// How long a cached entry is trusted without hearing from PostgreSQL.
const TIME_TO_LIVE: Duration = Duration::from_secs(60);
const CAPACITY: u64 = 100_000;

/// One server's copies of sessions and accounts.
#[derive(Clone, Default)]
pub struct SignedInCache {
    /// Each session as it was last read from or written to PostgreSQL.
    pub sessions: NoticedCache<Id, Record>,
    pub accounts: NoticedCache<Uuid, Account>,
}

impl std::fmt::Debug for SignedInCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SignedInCache")
            .field("sessions", &self.sessions.entries.entry_count())
            .field("accounts", &self.accounts.entries.entry_count())
            .finish()
    }
}

impl SignedInCache {
    /// The account `user_id`, from memory or else from PostgreSQL.
    pub async fn account(&self, pool: &PgPool, user_id: Uuid) -> Result<Option<Account>, AppError> {
        if let Some(account) = self.accounts.get(&user_id).await {
            return Ok(Some(account));
        }
        let changes_before = self.accounts.changes_heard();
        let account = db::find_account(pool, user_id).await?;
        if let Some(account) = &account {
            self.accounts
                .insert_unless_changed_since(user_id, account.clone(), changes_before)
                .await;
        }
        Ok(account)
    }

    /// A notice from one of the two channels.
    pub async fn hear(&self, channel: &str, payload: &str) {
        match channel {
            ACCOUNT_CHANNEL => {
                if let Ok(user_id) = payload.parse() {
                    self.accounts.forget(&user_id).await;
                }
            }
            SESSION_CHANNEL => {
                if let Ok(id) = payload.parse() {
                    self.sessions.forget(&id).await;
                }
            }
            _ => {}
        }
    }

    /// Notices may have been missed (the listener reconnected).
    pub fn forget_all(&self) {
        self.sessions.forget_all();
        self.accounts.forget_all();
    }
}

/// A cache whose entries go when a notice says they changed.
#[derive(Clone)]
pub struct NoticedCache<K, V> {
    entries: Cache<K, V>,
    /// Counts the notices heard. A read from PostgreSQL that raced a notice
    /// (the count moved while it read) is not cached: it may hold what the
    /// change replaced, and the notice came before the copy was stored.
    changes_heard: Arc<AtomicU64>,
}

impl<K, V> Default for NoticedCache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        NoticedCache {
            entries: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TIME_TO_LIVE)
                .build(),
            changes_heard: Arc::default(),
        }
    }
}

impl<K, V> NoticedCache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub async fn get(&self, key: &K) -> Option<V> {
        self.entries.get(key).await
    }

    /// How many notices were heard so far: read it before reading
    /// PostgreSQL, and hand it to `insert_unless_changed_since`.
    pub fn changes_heard(&self) -> u64 {
        self.changes_heard.load(Ordering::Acquire)
    }

    pub async fn insert_unless_changed_since(&self, key: K, value: V, changes_heard: u64) {
        if self.changes_heard() == changes_heard {
            self.entries.insert(key, value).await;
        }
    }

    /// Stores what this server itself just wrote.
    pub async fn insert(&self, key: K, value: V) {
        self.entries.insert(key, value).await;
    }

    pub async fn forget(&self, key: &K) {
        self.changes_heard.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate(key).await;
    }

    pub fn forget_all(&self) {
        self.changes_heard.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate_all();
    }
}
