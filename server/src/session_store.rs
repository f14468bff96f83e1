//! The session store: tower-sessions' PostgreSQL store, with an in-memory
//! cache in front of it, writes only when they matter, and saving that can
//! only update a session that still exists.
//!
//! - **Cache.** Sessions read from PostgreSQL are kept in a `moka` cache, and
//!   signed-in accounts in another (`app::auth::signed_in`), so a signed-in
//!   request reads nothing. Every server listens on two channels, filled by
//!   triggers: `engram_session_changed` when a session row is deleted
//!   (logout, the id rotated at login) or its data changes, and
//!   `engram_account_changed` when an account's email, name or role changes.
//!   It drops its copy. A logout or a role change thus counts on every server
//!   as soon as the notice arrives, within milliseconds; we chose this over a
//!   query per request (which made every signed-in request pay a round trip,
//!   a quarter of its cost) and over a short TTL alone (seconds of a
//!   logged-out session still working). Entries also live at most a minute,
//!   in case a notice is lost while the listener reconnects (it then empties
//!   both caches). A read that raced a notice is not cached.
//! - **Lean writes.** The session layer saves on every request so that the
//!   idle timeout slides. A save whose data is unchanged and whose expiry
//!   moved by less than a tenth of the idle timeout is skipped: the stored
//!   expiry then lags by at most that tenth, so a session idle for the whole
//!   timeout may end up to a tenth early, and a busy one costs one write every
//!   few hours instead of one per request.
//! - **No revival.** `PostgresStore::save` is an upsert. A request that loaded
//!   the session before a logout, or before `cycle_id` at login, and finished
//!   after it would write the deleted session back, and the old cookie would
//!   work again. Here `save` is an `update`, so only `create` (a new, random
//!   id) ever inserts, and a deleted or expired session stays gone.

use std::time::Duration;

use app::auth::signed_in::{SignedInCache, ACCOUNT_CHANNEL, SESSION_CHANNEL};

use async_trait::async_trait;
use sqlx::{
    postgres::{PgListener, PgPoolOptions},
    PgPool,
};
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};
use tower_sessions_sqlx_store::PostgresStore;

/// A save that only moves the expiry is written once it has moved this part
/// of the idle timeout.
const EXPIRY_WRITE_FRACTION: f64 = 0.1;

#[derive(Clone, Debug)]
pub struct EngramSessionStore {
    inner: PostgresStore,
    pool: PgPool,
    /// This server's sessions and accounts, which the listener keeps current.
    cached: SignedInCache,
    /// A save moving only the expiry by less than this is skipped.
    expiry_write_step: time::Duration,
}

impl EngramSessionStore {
    pub fn new(pool: PgPool, idle_timeout: time::Duration, cached: SignedInCache) -> Self {
        EngramSessionStore {
            inner: PostgresStore::new(pool.clone()),
            pool,
            cached,
            expiry_write_step: idle_timeout * EXPIRY_WRITE_FRACTION,
        }
    }

    /// Starts listening for sessions and accounts that other servers (or this
    /// one) end or change, and drops them from the caches. Returns once the listener is
    /// connected, so no change made after that is missed; the listener runs
    /// until the runtime stops.
    pub async fn listen_for_changes(&self) -> sqlx::Result<()> {
        // A connection of its own, outside the request pool: it is held for
        // as long as the server runs, and closing the request pool (at
        // shutdown) must not wait for it.
        let own_pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with((*self.pool.connect_options()).clone());
        let mut listener = PgListener::connect_with(&own_pool).await?;
        listener.listen_all([SESSION_CHANNEL, ACCOUNT_CHANNEL]).await?;
        let cached = self.cached.clone();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(notice)) => cached.hear(notice.channel(), notice.payload()).await,
                    // The connection dropped and is re-established on the
                    // next call; anything said meanwhile was missed.
                    Ok(None) => cached.forget_all(),
                    Err(sqlx::Error::PoolClosed) => break,
                    Err(error) => {
                        tracing::warn!("session change listener: {error}");
                        cached.forget_all();
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    /// Whether saving `record` may be skipped: PostgreSQL already holds its
    /// data, and an expiry within one write step of it.
    async fn is_saved_closely_enough(&self, record: &Record) -> bool {
        let Some(stored) = self.cached.sessions.get(&record.id).await else {
            return false;
        };
        stored.data == record.data && record.expiry_date - stored.expiry_date < self.expiry_write_step
    }
}

#[async_trait]
impl SessionStore for EngramSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.inner.create(record).await?;
        self.cached.sessions.insert(record.id, record.clone()).await;
        Ok(())
    }

    /// Writes the record only if its session still exists and has not
    /// expired; otherwise does nothing. (An error would turn the late
    /// request into a 500; the session is gone either way.)
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        if self.is_saved_closely_enough(record).await {
            return Ok(());
        }
        let data =
            rmp_serde::to_vec(record).map_err(|error| session_store::Error::Encode(error.to_string()))?;
        // Same encoding (MessagePack, of the whole record) as the inner store.
        let updated = sqlx::query!(
            "update tower_sessions.session set data = $2, expiry_date = $3
             where id = $1 and expiry_date > now()",
            record.id.to_string(),
            data,
            record.expiry_date,
        )
        .execute(&self.pool)
        .await
        .map_err(|error| session_store::Error::Backend(error.to_string()))?;
        if updated.rows_affected() == 1 {
            self.cached.sessions.insert(record.id, record.clone()).await;
        } else {
            self.cached.sessions.forget(&record.id).await;
        }
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.cached.sessions.get(session_id).await {
            if record.expiry_date > OffsetDateTime::now_utc() {
                return Ok(Some(record));
            }
            self.cached.sessions.forget(session_id).await;
            return Ok(None);
        }
        let changes_before = self.cached.sessions.changes_heard();
        let record = self.inner.load(session_id).await?;
        if let Some(record) = &record {
            self.cached
                .sessions
                .insert_unless_changed_since(*session_id, record.clone(), changes_before)
                .await;
        }
        Ok(record)
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.cached.sessions.forget(session_id).await;
        self.inner.delete(session_id).await
    }
}

#[async_trait]
impl ExpiredDeletion for EngramSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.inner.delete_expired().await
    }
}
