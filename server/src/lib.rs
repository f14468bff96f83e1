//! The Engram server process: configuration, the database (embedded or
//! external), HTTP layers and routing. The application itself is the `app`
//! crate.

pub mod config;
pub mod embedded_postgres;
pub mod fsrs_replay;
pub mod hardening;
pub mod jobs;
pub mod router;
pub mod security;
pub mod seed;
pub mod seed_large;
pub mod session_store;
pub mod telemetry;

use std::time::Duration;

use anyhow::{Context, Result};
use app::{
    auth::throttle::ThrottlePolicy,
    media::store::MediaStore,
    state::{AppState, AuthSettings, SharedState},
};
use leptos::config::LeptosOptions;
use sqlx::{postgres::PgPoolOptions, PgPool};

use crate::{config::Config, router::HttpSettings};

pub use router::build_router;

/// Opens a pool to `database_url` and brings the schema up to date.
pub async fn connect_and_migrate(database_url: &str, max_connections: u32) -> Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings a connection before lending it by default: a second
        // round trip for every query, a quarter of a signed-in page's time in
        // `scripts/bench-load`. A connection broken by a database restart now
        // fails the one request that meets it instead, and is replaced.
        .test_before_acquire(false)
        .connect(database_url)
        .await
        .context("could not connect to PostgreSQL")?;
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .context("could not apply the database migrations")?;
    jobs::migrate(&pool).await?;
    app::notes::db::sync_builtin_note_types(&pool)
        .await
        .context("could not write the built-in note types")?;
    Ok(pool)
}

impl Config {
    pub fn app_state(&self, pool: PgPool, leptos_options: LeptosOptions) -> Result<AppState> {
        self.shared_state(pool, leptos_options).map(AppState::new)
    }

    /// The parts of the state, for a caller that replaces one before sharing them.
    pub fn shared_state(&self, pool: PgPool, leptos_options: LeptosOptions) -> Result<SharedState> {
        let media = match self.media_store.strip_prefix("s3://") {
            Some(bucket) => MediaStore::s3(bucket, self.max_upload_bytes),
            None if self.media_store.is_empty() => {
                MediaStore::local(&self.data_dir.join("media"), self.max_upload_bytes)
            }
            None => anyhow::bail!("ENGRAM_MEDIA_STORE must be empty or s3://<bucket>"),
        }
        .map_err(|error| anyhow::anyhow!("could not open the media store: {error:?}"))?
        .with_quota_per_account(self.media_quota_bytes);
        let mail = self
            .smtp_url
            .as_deref()
            .map(|smtp_url| app::mail::Mailer::new(smtp_url, &self.mail_from, &self.public_url))
            .transpose()
            .map_err(|error| {
                anyhow::anyhow!("could not set up email (ENGRAM_SMTP_URL, ENGRAM_MAIL_FROM): {error}")
            })?;
        Ok(SharedState {
            mail,
            reviews: app::study::writer::ReviewWriter::start(pool.clone(), self.review_writers()),
            pool,
            leptos_options,
            auth: AuthSettings {
                absolute_session_timeout: time::Duration::hours(self.session_absolute_hours),
                throttle: ThrottlePolicy {
                    window: Duration::from_secs(self.login_throttle_window_minutes * 60),
                    max_failures_per_account_and_network: self.login_max_failures_per_account_and_ip,
                    max_failures_per_account: self.login_max_failures_per_account,
                    max_failures_per_network: self.login_max_failures_per_ip,
                    max_registrations_per_network: self.register_max_per_ip,
                    ..ThrottlePolicy::default()
                },
            },
            media,
            rendering: self.note_renderer(),
            signed_in: Default::default(),
        })
    }

    /// One review transaction per core: measured with `scripts/bench-reviews`
    /// on two cores, more writers wrote fewer reviews a second (each
    /// transaction then waits longer for a core), and fewer shared less.
    fn review_writers(&self) -> usize {
        self.review_writers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
            .max(1)
    }

    pub fn http_settings(&self) -> HttpSettings {
        HttpSettings {
            secure_cookies: self.secure_cookies(),
            session_idle_timeout: time::Duration::minutes(self.session_idle_minutes),
            trusted_origins: vec![self.public_origin()],
            trust_proxy: self.trust_proxy,
            max_body_bytes: self.max_body_bytes,
        }
    }
}
