use std::{io::BufRead, net::SocketAddr, process::ExitCode, time::Duration};

use anyhow::{bail, Context, Result};
use app::auth::{db as accounts, password, DisplayName, Email, Password, Role};
use clap::Parser;
use leptos::config::get_configuration;
use server::{
    config::{Cli, Command, Config, FsrsCommand},
    connect_and_migrate,
    embedded_postgres::{Durability, EmbeddedPostgres},
    fsrs_replay, seed, telemetry,
};
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions_sqlx_store::PostgresStore;

// glibc's allocator spent a fifth of a page render in malloc and free and
// made worker threads wait on its arena locks (`make bench`, perf); mimalloc
// keeps per-thread heaps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DATABASE_NAME: &str = "engram";

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.config.log_format);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            with_database(&cli.config, Durability::Full, false, |url| {
                serve(&cli.config, url)
            })
            .await
        }
        Command::CreateAdmin { email, name } => {
            with_database(&cli.config, Durability::Full, false, |url| {
                create_admin(&cli.config, url, email, name)
            })
            .await
        }
        Command::SeedLarge => {
            with_database(&cli.config, Durability::Full, false, |url| {
                seed_large(&cli.config, url)
            })
            .await
        }
        Command::Fsrs {
            command: FsrsCommand::Replay { file },
        } => fsrs_replay::run(&file),
        Command::WithDatabase {
            unsafe_fast,
            fresh_database,
            command,
        } => {
            let durability = if unsafe_fast {
                Durability::UnsafeFast
            } else {
                Durability::Full
            };
            with_database(&cli.config, durability, fresh_database, |url| {
                run_with_database_url(url, command)
            })
            .await
        }
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `work` with a database URL: `DATABASE_URL` if set, otherwise the
/// embedded cluster, which is stopped afterwards whatever `work` returned.
async fn with_database<F, Fut>(
    config: &Config,
    durability: Durability,
    fresh_database: bool,
    work: F,
) -> Result<ExitCode>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<ExitCode>>,
{
    if let Some(url) = &config.database_url {
        return work(url.clone()).await;
    }
    let postgres = EmbeddedPostgres::start(&config.data_dir, durability).await?;
    let prepared = if fresh_database {
        match postgres.drop_databases_like("engram\\_test\\_%").await {
            Ok(()) => postgres.recreate_database(DATABASE_NAME).await,
            Err(error) => Err(error),
        }
    } else {
        postgres.ensure_database(DATABASE_NAME).await
    };
    let outcome = match prepared {
        Ok(()) => work(postgres.database_url(DATABASE_NAME)).await,
        Err(error) => Err(error),
    };
    if let Err(error) = postgres.stop().await {
        tracing::error!("could not stop the embedded database: {error:#}");
    }
    outcome
}

async fn serve(config: &Config, database_url: String) -> Result<ExitCode> {
    let pool = connect_and_migrate(&database_url, config.db_max_connections).await?;

    let mut leptos_options = get_configuration(None)
        .context("could not read the Leptos settings; start the server with `make run`")?
        .leptos_options;
    if let Some(addr) = config.addr {
        leptos_options.site_addr = addr;
    }
    let addr = leptos_options.site_addr;
    let state = config.app_state(pool.clone(), leptos_options)?;
    if config.seed_demo && seed::seed_demo(&pool, &state.media).await? {
        tracing::info!("created the demo accounts, decks and course");
    }
    let router = server::build_router(state.clone(), &config.http_settings()).await?;
    spawn_housekeeping(state);
    let jobs = server::jobs::start(pool.clone()).await?;

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}; set ENGRAM_ADDR to use another address"))?;
    print_welcome(config, addr);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shutting down");
    jobs.stop().await;
    pool.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn seed_large(config: &Config, database_url: String) -> Result<ExitCode> {
    let pool = connect_and_migrate(&database_url, config.db_max_connections).await?;
    server::seed_large::seed_large(&pool).await?;
    pool.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Deletes expired sessions and forgotten throttle counts in the background.
fn spawn_housekeeping(state: app::state::AppState) {
    let sessions = PostgresStore::new(state.pool.clone());
    tokio::spawn(async move {
        if let Err(error) = sessions
            .continuously_delete_expired(Duration::from_secs(15 * 60))
            .await
        {
            tracing::error!("expired-session cleanup stopped: {error}");
        }
    });
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(60 * 60));
        loop {
            every_hour.tick().await;
            if let Err(error) = app::auth::throttle::prune(&state.pool, &state.auth.throttle).await {
                tracing::error!("throttle cleanup failed: {error}");
            }
        }
    });
}

fn print_welcome(config: &Config, addr: SocketAddr) {
    let mut message = format!("\n  Engram is running at http://{addr}\n");
    if config.seed_demo {
        message.push_str("\n  Demo logins:\n");
        for login in &seed::DEMO_LOGINS {
            message.push_str(&format!(
                "    {:<8} {:<22} password: {}\n",
                login.role.as_str(),
                login.email,
                login.password
            ));
        }
    }
    // Sign-up only ever makes learners, so say where admins come from.
    message.push_str(
        "\n  Accounts you register are learners. To make an admin, run\n    \
         target/release/server create-admin --email you@example.org\n",
    );
    println!("{message}");
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

async fn create_admin(
    config: &Config,
    database_url: String,
    email: String,
    name: String,
) -> Result<ExitCode> {
    let email = Email::parse(&email)
        .map_err(anyhow::Error::msg)
        .context("--email")?;
    let name = DisplayName::parse(&name)
        .map_err(anyhow::Error::msg)
        .context("--name")?;
    let password = match std::env::var("ENGRAM_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!("Password for {} (then press Enter):", email.as_str());
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password = Password::parse(&password)
        .map_err(anyhow::Error::msg)
        .context("password")?;
    let pool = connect_and_migrate(&database_url, config.db_max_connections.min(2)).await?;
    let hash = password::hash_password(&password).await?;
    let user = accounts::upsert_account_with_role(&pool, &email, &name, &hash, Role::Admin).await?;
    println!("{} is now an admin.", user.email);
    Ok(ExitCode::SUCCESS)
}

async fn run_with_database_url(database_url: String, command: Vec<String>) -> Result<ExitCode> {
    connect_and_migrate(&database_url, 2).await?.close().await;
    let Some((program, args)) = command.split_first() else {
        bail!("no command given");
    };
    let status = tokio::process::Command::new(program)
        .args(args)
        .env("DATABASE_URL", &database_url)
        .status()
        .await
        .with_context(|| format!("could not run {program}"))?;
    Ok(ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8))
}
