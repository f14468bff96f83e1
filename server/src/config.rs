//! Settings, read from command-line flags or the environment (flags win).
//! Each setting is documented here, in `.env.example` and in the README.

use std::{net::SocketAddr, path::PathBuf};

use app::notes::render::{NoteRenderer, RenderSettings};
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "server", about = "Engram: flashcards with spaced repetition", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app (the default when no command is given).
    Serve,
    /// Create an admin account, or make an existing account an admin and
    /// set its password. The password is read from ENGRAM_ADMIN_PASSWORD or,
    /// when that is unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Admin")]
        name: String,
    },
    /// Fill the database with 1,000 public decks and 1,000,000 cards for
    /// benchmarks (owned by bench-teacher@engram.test). Does nothing if
    /// they exist.
    SeedLarge,
    /// FSRS tools for tests and debugging.
    Fsrs {
        #[command(subcommand)]
        command: FsrsCommand,
    },
    /// Start the database (embedded unless DATABASE_URL is set), apply the
    /// migrations, run COMMAND with DATABASE_URL pointing at it, then stop the
    /// database. Used by `make test` for database tests and `sqlx prepare`.
    WithDatabase {
        /// Trade durability for speed: for throw-away test clusters only.
        #[arg(long)]
        unsafe_fast: bool,
        /// Drop and recreate the embedded `engram` database first, so the
        /// command starts from an empty schema. Ignored with DATABASE_URL.
        #[arg(long)]
        fresh_database: bool,
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FsrsCommand {
    /// Read review histories, one JSON object per line, such as
    /// `{"id": "h1", "reviews": [["2026-01-01T10:52:00+00:00", 3]]}`, and
    /// print each one's state after every review, scheduled with the default
    /// FSRS-6 parameters and steps, fuzz off, days starting at 4 a.m. UTC.
    /// FILE `-` reads standard input.
    Replay { file: PathBuf },
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL connection URL. When unset, Engram runs its own embedded
    /// PostgreSQL cluster in the data folder.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Folder for the embedded database and other local data.
    #[arg(long, env = "ENGRAM_DATA_DIR", default_value = ".engram")]
    pub data_dir: PathBuf,

    /// Address to listen on. Defaults to the `site-addr` of Cargo.toml
    /// (127.0.0.1:3000), which cargo-leptos passes as LEPTOS_SITE_ADDR.
    #[arg(long, env = "ENGRAM_ADDR")]
    pub addr: Option<SocketAddr>,

    /// The URL people use to reach Engram. Session cookies are marked
    /// Secure when it is https, and its origin is trusted for form posts.
    #[arg(long, env = "ENGRAM_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: String,

    /// A session ends after this many minutes without a request.
    #[arg(long, env = "ENGRAM_SESSION_IDLE_MINUTES", default_value_t = 7 * 24 * 60)]
    pub session_idle_minutes: i64,

    /// A session ends this many hours after login, however active.
    #[arg(long, env = "ENGRAM_SESSION_ABSOLUTE_HOURS", default_value_t = 30 * 24)]
    pub session_absolute_hours: i64,

    /// Failed logins of one account from one client address (IPv6: its /64)
    /// before each further attempt waits, a minute and then twice as long
    /// each time, up to the throttle window.
    #[arg(
        long,
        env = "ENGRAM_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP",
        default_value_t = 5
    )]
    pub login_max_failures_per_account_and_ip: i64,

    /// Failed logins of one account from all addresses together within the
    /// throttle window (not counted on the account's usual address).
    #[arg(long, env = "ENGRAM_LOGIN_MAX_FAILURES_PER_ACCOUNT", default_value_t = 100)]
    pub login_max_failures_per_account: i64,

    /// Failed logins from one client address across all accounts within the
    /// throttle window (not counted on an account's usual address).
    #[arg(long, env = "ENGRAM_LOGIN_MAX_FAILURES_PER_IP", default_value_t = 50)]
    pub login_max_failures_per_ip: i64,

    /// Sign-ups allowed from one client address (IPv6: its /64) per hour.
    #[arg(long, env = "ENGRAM_REGISTER_MAX_PER_IP", default_value_t = 30)]
    pub register_max_per_ip: i64,

    /// Length of the failed-login throttle window, in minutes.
    #[arg(long, env = "ENGRAM_LOGIN_THROTTLE_WINDOW_MINUTES", default_value_t = 15)]
    pub login_throttle_window_minutes: u64,

    /// Take the client address from the last X-Forwarded-For entry. Enable
    /// only behind a reverse proxy that sets that header.
    #[arg(long, env = "ENGRAM_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Largest accepted request body, in bytes (uploads have their own limit).
    #[arg(long, env = "ENGRAM_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Largest image or audio file accepted, in bytes.
    #[arg(long, env = "ENGRAM_MAX_UPLOAD_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_upload_bytes: usize,

    /// Total bytes of media one account may upload. A file someone else
    /// already uploaded costs nothing: it is stored once.
    #[arg(long, env = "ENGRAM_MEDIA_QUOTA_BYTES", default_value_t = 500 * 1024 * 1024)]
    pub media_quota_bytes: u64,

    /// Where uploaded media is kept: empty for `media/` under the data
    /// folder, or `s3://bucket` for an S3-compatible store configured by the
    /// usual `AWS_*` variables (`AWS_ENDPOINT` for MinIO, Garage or R2).
    #[arg(long, env = "ENGRAM_MEDIA_STORE", default_value = "")]
    pub media_store: String,

    /// Notes rendered at once (previews, saves, note-type edits), each on a
    /// blocking thread so that the async workers stay free. Defaults to the
    /// number of cores.
    #[arg(long, env = "ENGRAM_RENDER_THREADS")]
    pub render_threads: Option<usize>,

    /// Card previews one account may ask for per minute, on average.
    #[arg(long, env = "ENGRAM_PREVIEWS_PER_MINUTE", default_value_t = 60)]
    pub previews_per_minute: u32,

    /// Card previews one account may ask for in a quick burst.
    #[arg(long, env = "ENGRAM_PREVIEW_BURST", default_value_t = 10)]
    pub preview_burst: u32,

    /// Most database connections the server opens.
    #[arg(long, env = "ENGRAM_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,

    /// Review transactions written at once (each holds a database
    /// connection while it writes); submissions that arrive meanwhile share
    /// the next one. By default, one per core.
    #[arg(long, env = "ENGRAM_REVIEW_WRITERS")]
    pub review_writers: Option<usize>,

    /// The SMTP relay that email (password-reset links) goes out through:
    /// `smtps://user:password@smtp.example.org` (TLS),
    /// `smtp://user:password@smtp.example.org:587?tls=required` (STARTTLS),
    /// or `smtp://localhost:25` for a relay on this machine. Without it, a
    /// request for a reset link is refused with a message saying that this
    /// server cannot send email.
    #[arg(long, env = "ENGRAM_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of Engram's email, as a mailbox.
    #[arg(long, env = "ENGRAM_MAIL_FROM", default_value = "Engram <no-reply@localhost>")]
    pub mail_from: String,

    /// Create the demo accounts and decks on first start, and print the logins.
    #[arg(long, env = "ENGRAM_SEED_DEMO", default_value_t = false)]
    pub seed_demo: bool,

    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(long, env = "ENGRAM_LOG_FORMAT", default_value = "pretty")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Where note rendering runs, with the preview limit.
    pub fn note_renderer(&self) -> NoteRenderer {
        let defaults = RenderSettings::default();
        NoteRenderer::new(RenderSettings {
            concurrent_renders: self.render_threads.unwrap_or(defaults.concurrent_renders),
            previews_per_minute: self.previews_per_minute,
            preview_burst: self.preview_burst,
        })
    }

    /// `scheme://host[:port]` of the public URL.
    pub fn public_origin(&self) -> String {
        let url = self.public_url.trim_end_matches('/');
        match url.find("://") {
            Some(scheme_end) => match url[scheme_end + 3..].find('/') {
                Some(path_start) => url[..scheme_end + 3 + path_start].to_owned(),
                None => url.to_owned(),
            },
            None => url.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_with_public_url(public_url: &str) -> Config {
        let mut cli = Cli::parse_from(["server"]);
        cli.config.public_url = public_url.to_owned();
        cli.config
    }

    #[test]
    fn the_public_origin_drops_any_path() {
        let config = config_with_public_url("https://cards.example.org/engram/");
        assert_eq!(config.public_origin(), "https://cards.example.org");
        assert!(config.secure_cookies());
    }

    #[test]
    fn cookies_are_not_secure_on_plain_http() {
        assert!(!config_with_public_url("http://127.0.0.1:3000").secure_cookies());
    }
}
