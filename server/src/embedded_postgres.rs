//! A private PostgreSQL cluster run from the PostgreSQL server binaries
//! installed on the machine, used when no `DATABASE_URL` is given.
//!
//! The cluster lives in `<data dir>/postgres/data` and listens only on a Unix
//! socket in `<data dir>/postgres/run`, so it takes no TCP port. PostgreSQL
//! refuses to run as root; when Engram is root, the cluster's files belong to
//! the `postgres` system user and the tools run as that user.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Output,
};

use anyhow::{bail, Context, Result};
use sqlx::{postgres::PgConnectOptions, ConnectOptions, Connection};
use tokio::process::Command;

/// The superuser the cluster is created with. Access is by socket only, so
/// `trust` authentication leaves it reachable from this machine's users alone.
const SUPERUSER: &str = "app";
/// The system user that owns the cluster when Engram runs as root.
const ROOT_RUN_AS: &str = "postgres";
/// Unix socket paths are limited to 107 bytes (`sun_path`).
const MAX_SOCKET_PATH_BYTES: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit reaches the disk: for anyone's real data.
    Full,
    /// fsync off: for throw-away test clusters only.
    UnsafeFast,
}

#[derive(Debug)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    log_file: PathBuf,
    run_as: Option<&'static str>,
    /// Whether this process started the cluster (and so should stop it), or
    /// found it already running for another process, such as a running
    /// server when `create-admin` is run beside it.
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Creates the cluster on first use, starts it (or adopts one this data
    /// folder already runs), and waits until it accepts connections.
    pub async fn start(data_dir: &Path, durability: Durability) -> Result<Self> {
        let bin_dir = find_bin_dir().await?;
        let run_as = if is_root() { Some(ROOT_RUN_AS) } else { None };
        let root = cluster_root(data_dir, run_as.is_some())?;
        let cluster_dir = root.join("data");
        let mut socket_dir = root.join("run");
        if socket_dir.join(".s.PGSQL.5432").as_os_str().len() > MAX_SOCKET_PATH_BYTES {
            socket_dir = std::env::temp_dir().join(format!("engram-pg-{:016x}", path_hash(&root)));
        }
        std::fs::create_dir_all(&socket_dir)
            .with_context(|| format!("could not create {}", socket_dir.display()))?;
        for private in [&root, &socket_dir] {
            std::fs::set_permissions(private, std::fs::Permissions::from_mode(0o700))?;
        }
        let mut postgres = EmbeddedPostgres {
            bin_dir,
            log_file: root.join("postgres.log"),
            cluster_dir,
            socket_dir,
            run_as,
            started_here: false,
        };
        if let Some(user) = run_as {
            postgres.hand_over_to(user, &root).await?;
            postgres.hand_over_to(user, &postgres.socket_dir).await?;
        }
        if !postgres.cluster_dir.join("PG_VERSION").exists() {
            postgres.init_cluster().await?;
        }
        postgres.started_here = postgres.start_cluster(durability).await?;
        Ok(postgres)
    }

    /// The folder holding the cluster's files.
    pub fn cluster_dir(&self) -> &Path {
        &self.cluster_dir
    }

    /// A connection URL for `database` over the cluster's socket.
    pub fn database_url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost/{database}?host={}",
            self.socket_dir.display()
        )
    }

    fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .username(SUPERUSER)
            .database(database)
            .disable_statement_logging()
    }

    /// Creates `database` unless it exists.
    pub async fn ensure_database(&self, database: &str) -> Result<()> {
        let mut connection = self.connect_options("postgres").connect().await?;
        let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(database)
            .fetch_one(&mut connection)
            .await?;
        if !exists {
            // Identifiers cannot be bound; quote it the way PostgreSQL does.
            let quoted = format!("\"{}\"", database.replace('"', "\"\""));
            sqlx::query(&format!("create database {quoted}"))
                .execute(&mut connection)
                .await?;
        }
        connection.close().await?;
        Ok(())
    }

    /// Drops every database whose name matches the LIKE `pattern` (the
    /// per-test databases of an earlier run).
    pub async fn drop_databases_like(&self, pattern: &str) -> Result<()> {
        let mut connection = self.connect_options("postgres").connect().await?;
        let names: Vec<String> = sqlx::query_scalar("select datname from pg_database where datname like $1")
            .bind(pattern)
            .fetch_all(&mut connection)
            .await?;
        for name in names {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            sqlx::query(&format!("drop database if exists {quoted} with (force)"))
                .execute(&mut connection)
                .await?;
        }
        connection.close().await?;
        Ok(())
    }

    /// Drops `database` if it exists and creates it empty.
    pub async fn recreate_database(&self, database: &str) -> Result<()> {
        let mut connection = self.connect_options("postgres").connect().await?;
        let quoted = format!("\"{}\"", database.replace('"', "\"\""));
        sqlx::query(&format!("drop database if exists {quoted} with (force)"))
            .execute(&mut connection)
            .await?;
        connection.close().await?;
        self.ensure_database(database).await
    }

    /// Stops the cluster if this process started it, letting running
    /// queries finish quickly. A cluster that was already running is left
    /// to the process that started it.
    pub async fn stop(&self) -> Result<()> {
        if !self.started_here {
            return Ok(());
        }
        let output = self
            .tool("pg_ctl")
            .arg("-D")
            .arg(&self.cluster_dir)
            .args(["-m", "fast", "-w", "stop"])
            .output()
            .await?;
        self.check("pg_ctl stop", output)?;
        Ok(())
    }

    async fn init_cluster(&self) -> Result<()> {
        tracing::info!(cluster = %self.cluster_dir.display(), "creating the database cluster");
        let output = self
            .tool("initdb")
            .arg("-D")
            .arg(&self.cluster_dir)
            .args(["-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale"])
            .output()
            .await?;
        self.check("initdb", output)
    }

    /// Starts the cluster unless it is already running; returns whether it
    /// started it.
    async fn start_cluster(&self, durability: Durability) -> Result<bool> {
        if self.is_accepting_connections().await {
            tracing::info!(cluster = %self.cluster_dir.display(), "database already running; using it");
            return Ok(false);
        }
        let pid_file = self.cluster_dir.join("postmaster.pid");
        if pid_file.exists() {
            if self.postmaster_is_alive(&pid_file) {
                // Still starting up or recovering from a crash: wait for it.
                return self
                    .wait_until_accepting(std::time::Duration::from_secs(60))
                    .await
                    .map(|()| false);
            }
            // Left by a crash, naming a process that is gone or (after a
            // reboot) an unrelated one.
            tracing::warn!("removing stale {}", pid_file.display());
            std::fs::remove_file(&pid_file)?;
        }
        // Only the cluster's owner (and root) may use the socket: the
        // superuser authenticates by `trust`, so the socket is the boundary.
        let mut server_options = format!(
            "-c listen_addresses='' -c unix_socket_permissions=0700 -k '{}'",
            self.socket_dir.display()
        );
        if durability == Durability::UnsafeFast {
            server_options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let output = self
            .tool("pg_ctl")
            .arg("-D")
            .arg(&self.cluster_dir)
            .arg("-l")
            .arg(&self.log_file)
            .args(["-w", "-t", "60", "-o"])
            .arg(server_options)
            .arg("start")
            .output()
            .await?;
        self.check("pg_ctl start", output)?;
        if !self.is_accepting_connections().await {
            bail!(
                "PostgreSQL started but does not accept connections; see {}",
                self.log_file.display()
            );
        }
        tracing::info!(socket = %self.socket_dir.display(), "database started");
        Ok(true)
    }

    async fn is_accepting_connections(&self) -> bool {
        match self.connect_options("postgres").connect().await {
            Ok(connection) => {
                let _ = connection.close().await;
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `pid_file` names a live postgres serving this cluster, rather
    /// than a pid that is gone or now belongs to another program.
    fn postmaster_is_alive(&self, pid_file: &Path) -> bool {
        let pid = std::fs::read_to_string(pid_file)
            .ok()
            .and_then(|text| text.lines().next()?.trim().parse::<u32>().ok());
        let Some(command_line) = pid.and_then(|pid| std::fs::read(format!("/proc/{pid}/cmdline")).ok())
        else {
            return false;
        };
        let command_line = String::from_utf8_lossy(&command_line);
        command_line.contains("postgres") && command_line.contains(&*self.cluster_dir.to_string_lossy())
    }

    async fn wait_until_accepting(&self, limit: std::time::Duration) -> Result<()> {
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            if self.is_accepting_connections().await {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        bail!(
            "PostgreSQL is running for {} but does not accept connections; see {}",
            self.cluster_dir.display(),
            self.log_file.display()
        )
    }

    async fn hand_over_to(&self, user: &str, path: &Path) -> Result<()> {
        let output = Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:"))
            .arg(path)
            .output()
            .await
            .context("could not run chown")?;
        self.check("chown", output)
    }

    /// A command for one of the PostgreSQL tools, run as the cluster's owner.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin_dir.join(name);
        let mut command = match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        };
        command.kill_on_drop(true).env("LC_ALL", "C");
        command
    }

    fn check(&self, what: &str, output: Output) -> Result<()> {
        if output.status.success() {
            return Ok(());
        }
        let log_tail = std::fs::read_to_string(&self.log_file)
            .map(|log| {
                log.lines()
                    .rev()
                    .take(10)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        bail!(
            "{what} failed ({}):\n{}{}\n{log_tail}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        )
    }
}

/// The folder holding the cluster. As root, every folder above it must be
/// traversable by the `postgres` user; when the chosen data folder is not
/// (say, under /root), a folder under /var/tmp named after it is used instead.
fn cluster_root(data_dir: &Path, runs_as_other_user: bool) -> Result<PathBuf> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("could not create the data folder {}", data_dir.display()))?;
    let data_dir = data_dir.canonicalize()?;
    let preferred = data_dir.join("postgres");
    if !runs_as_other_user || is_traversable_by_others(&data_dir) {
        std::fs::create_dir_all(&preferred)?;
        return Ok(preferred);
    }
    let fallback = Path::new("/var/tmp").join(format!("engram-postgres-{:016x}", path_hash(&data_dir)));
    tracing::warn!(
        data_dir = %data_dir.display(),
        fallback = %fallback.display(),
        "the data folder is not reachable by the `postgres` user, so the database lives in the fallback folder; \
         set ENGRAM_DATA_DIR to a folder outside /root to keep it with the app"
    );
    std::fs::create_dir_all(&fallback)?;
    Ok(fallback)
}

/// Whether every folder from `/` down to `path` lets other users pass through.
fn is_traversable_by_others(path: &Path) -> bool {
    path.ancestors().all(|folder| {
        std::fs::metadata(folder).is_ok_and(|metadata| metadata.permissions().mode() & 0o001 != 0)
    })
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// FNV-1a: a stable short name for a folder, the same on every run.
fn path_hash(path: &Path) -> u64 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The folder holding `initdb` and `pg_ctl`: `pg_config --bindir` if it has
/// them, otherwise the newest `/usr/lib/postgresql/<version>/bin`.
async fn find_bin_dir() -> Result<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output().await {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if output.status.success() && has_tools(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, dir)) => Ok(dir),
        None => bail!(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with \
             `sudo apt install postgresql` on Debian or Ubuntu (`postgresql-server` on Fedora), \
             or set DATABASE_URL to use an existing PostgreSQL server."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_hash_is_stable() {
        assert_eq!(
            path_hash(Path::new("/srv/engram")),
            path_hash(Path::new("/srv/engram"))
        );
        assert_ne!(
            path_hash(Path::new("/srv/engram")),
            path_hash(Path::new("/srv/engram2"))
        );
    }

    #[test]
    fn a_folder_under_a_private_parent_is_not_traversable() {
        let parent = std::env::temp_dir().join(format!("engram-private-{}", std::process::id()));
        let child = parent.join("data");
        std::fs::create_dir_all(&child).unwrap();
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(!is_traversable_by_others(&child));
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(is_traversable_by_others(&child));
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
