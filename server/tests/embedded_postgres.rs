//! The embedded cluster: created on first use, socket-only, durable across
//! restarts, and able to start again after a crash left its pid file behind.

use server::embedded_postgres::{Durability, EmbeddedPostgres};
use sqlx::{Connection, PgConnection};

struct TempDataDir(std::path::PathBuf);

impl Drop for TempDataDir {
    fn drop(&mut self) {
        // If an assertion failed mid-test the cluster is still running;
        // stop it so it does not outlive the test run.
        let _ = std::process::Command::new("pkill")
            .arg("-f")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn the_cluster_keeps_its_data_across_a_crash_and_a_restart() {
    let data_dir = TempDataDir(std::env::temp_dir().join(format!("engram-embedded-{}", std::process::id())));

    let postgres = EmbeddedPostgres::start(&data_dir.0, Durability::UnsafeFast)
        .await
        .unwrap();
    postgres.ensure_database("notes").await.unwrap();
    let mut connection = PgConnection::connect(&postgres.database_url("notes"))
        .await
        .unwrap();
    let listen_addresses: String = sqlx::query_scalar("show listen_addresses")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(listen_addresses, "", "no TCP port is opened");
    sqlx::raw_sql("create table remembered (fact text); insert into remembered values ('kept')")
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
    postgres.stop().await.unwrap();

    // A crash leaves postmaster.pid behind; after a reboot its pid may
    // belong to an unrelated live process (here: this test).
    let pid_file = postgres.cluster_dir().join("postmaster.pid");
    std::fs::write(
        &pid_file,
        format!("{}\n{}\n", std::process::id(), postgres.cluster_dir().display()),
    )
    .unwrap();

    let postgres = EmbeddedPostgres::start(&data_dir.0, Durability::UnsafeFast)
        .await
        .unwrap();
    postgres.ensure_database("notes").await.unwrap();
    let mut connection = PgConnection::connect(&postgres.database_url("notes"))
        .await
        .unwrap();
    let fact: String = sqlx::query_scalar("select fact from remembered")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(fact, "kept");
    connection.close().await.unwrap();

    // A second start while it runs adopts the running cluster, and leaves
    // it running for the process that started it.
    let adopted = EmbeddedPostgres::start(&data_dir.0, Durability::UnsafeFast)
        .await
        .unwrap();
    adopted.stop().await.unwrap();
    assert!(
        PgConnection::connect(&postgres.database_url("notes"))
            .await
            .is_ok(),
        "still running after the borrower is done"
    );
    postgres.stop().await.unwrap();
    assert!(!pid_file.exists(), "a clean stop removes the pid file");
}
