//! The session store: tower-sessions' PostgreSQL store, except that saving
//! can only update a session that still exists.
//!
//! The session layer saves on every request (so the idle timeout slides),
//! and `PostgresStore::save` is an upsert. A request that loaded the session
//! before a logout, or before `cycle_id` at login, and finished after it
//! would write the deleted session back, and the old cookie would work
//! again. Here `save` is an `update`, so only `create` (a new, random id)
//! ever inserts, and a deleted or expired session stays gone.

use async_trait::async_trait;
use sqlx::PgPool;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};
use tower_sessions_sqlx_store::PostgresStore;

#[derive(Clone, Debug)]
pub struct EngramSessionStore {
    inner: PostgresStore,
    pool: PgPool,
}

impl EngramSessionStore {
    pub fn new(pool: PgPool) -> Self {
        EngramSessionStore {
            inner: PostgresStore::new(pool.clone()),
            pool,
        }
    }

    /// Creates the store's table if it is missing.
    pub async fn migrate(&self) -> sqlx::Result<()> {
        self.inner.migrate().await
    }
}

#[async_trait]
impl SessionStore for EngramSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.inner.create(record).await
    }

    /// Writes the record only if its session still exists and has not
    /// expired; otherwise does nothing. (An error would turn the late
    /// request into a 500; the session is gone either way.)
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data =
            rmp_serde::to_vec(record).map_err(|error| session_store::Error::Encode(error.to_string()))?;
        // `query`, not `query!`: the table is created by `PostgresStore::migrate`
        // at start-up rather than by our migrations, so the offline cache
        // cannot describe it. Same encoding (MessagePack) as the inner store.
        sqlx::query(
            "update tower_sessions.session set data = $2, expiry_date = $3
             where id = $1 and expiry_date > now()",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date)
        .execute(&self.pool)
        .await
        .map_err(|error| session_store::Error::Backend(error.to_string()))?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        self.inner.load(session_id).await
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.inner.delete(session_id).await
    }
}

#[async_trait]
impl ExpiredDeletion for EngramSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.inner.delete_expired().await
    }
}
