//! A real SMTP server for the tests that send email: `scripts/smtp-sink`
//! (aiosmtpd), which writes every message it is sent to a folder, and the
//! server under test pointed at it.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command},
    time::{Duration, Instant},
};

use super::TestApp;

/// An SMTP server of its own for one test, which keeps what it is sent.
pub struct MailSink {
    process: Child,
    folder: PathBuf,
    port: u16,
}

impl MailSink {
    pub fn start() -> MailSink {
        MailSink::deferring_first(0)
    }

    /// A relay that answers its first `count` messages "451, try again
    /// later", as a busy or greylisting relay does, and keeps the rest.
    pub fn deferring_first(count: usize) -> MailSink {
        let folder = std::env::temp_dir().join(format!("engram-mail-{}", uuid::Uuid::new_v4().simple()));
        let port_file = folder.join("port");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/smtp-sink");
        let process = Command::new(script)
            .arg("--dir")
            .arg(folder.join("messages"))
            .arg("--port-file")
            .arg(&port_file)
            .arg("--defer-first")
            .arg(count.to_string())
            .spawn()
            .expect("scripts/smtp-sink starts (make test-tools installs aiosmtpd)");
        let started = Instant::now();
        let port = loop {
            if let Ok(port) = std::fs::read_to_string(&port_file) {
                break port.trim().parse().expect("a port number");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the SMTP sink did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        MailSink {
            process,
            folder,
            port,
        }
    }

    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many messages the sink has answered "try again later".
    pub fn deferrals(&self) -> usize {
        std::fs::read_dir(self.folder.join("messages"))
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok())
                    .filter(|entry| entry.file_name().to_string_lossy().contains("-deferred-"))
                    .count()
            })
            .unwrap_or_default()
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.folder.join("messages"))
            .map(|entries| entries.filter_map(|entry| Some(entry.ok()?.path())).collect())
            .unwrap_or_default();
        paths.retain(|path| path.extension().is_some_and(|extension| extension == "json"));
        paths.sort();
        paths
            .iter()
            .map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
            .collect()
    }

    pub fn messages_to(&self, address: &str) -> Vec<serde_json::Value> {
        self.messages()
            .into_iter()
            .filter(|message| message["to"].as_array().unwrap().iter().any(|to| to == address))
            .collect()
    }

    /// Waits for the `count`th message to `address` with `subject`, and answers it.
    pub async fn wait_for_message(&self, address: &str, subject: &str, count: usize) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let messages = self.messages_to(address).into_iter();
            if let Some(message) = messages
                .filter(|message| message["subject"] == subject)
                .nth(count - 1)
            {
                return message;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "message {count} to {address} did not arrive; the sink has {:?}",
                self.messages()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The messages to `address` with `subject`, oldest first.
    pub fn messages_with(&self, address: &str, subject: &str) -> Vec<serde_json::Value> {
        self.messages_to(address)
            .into_iter()
            .filter(|message| message["subject"] == subject)
            .collect()
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// The token of the link to `path` in a message, checking the link's address.
pub fn link_token_in(message: &serde_json::Value, path: &str) -> String {
    let text = message["text"].as_str().unwrap();
    let prefix = format!("http://127.0.0.1:3000{path}?token=");
    let start = text.find(&prefix).unwrap_or_else(|| panic!("no link in {text}")) + prefix.len();
    text[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

pub async fn app_sending_mail(pool: &sqlx::PgPool, sink: &MailSink) -> TestApp {
    let smtp_url = sink.smtp_url();
    TestApp::from_cli(pool.clone(), ["server", "--smtp-url", &smtp_url]).await
}

/// The subject of the message that carries the link confirming a new address.
pub const CONFIRM_ADDRESS_SUBJECT: &str = "Confirm your new Engram email address";

/// Asks for the signed-in account to move to `new_email` (confirmed by
/// `password`), and answers the token of the link that then arrives there
/// (at the address as the server keeps it: trimmed, in lower case).
pub async fn ask_to_move(app: &mut TestApp, sink: &MailSink, new_email: &str, password: &str) -> String {
    let inbox = new_email.trim().to_lowercase();
    let links_before = sink.messages_with(&inbox, CONFIRM_ADDRESS_SUBJECT).len();
    let asked = app
        .call(
            "account/email",
            &[("input[email]", new_email), ("input[password]", password)],
        )
        .await;
    assert_eq!(asked.status, axum::http::StatusCode::OK, "{}", asked.body);
    let message = sink
        .wait_for_message(&inbox, CONFIRM_ADDRESS_SUBJECT, links_before + 1)
        .await;
    link_token_in(&message, "/confirm-email")
}

/// Opens a link confirming a new address: the page's button.
pub async fn confirm_address(app: &mut TestApp, token: &str) -> super::TestResponse {
    app.call("account/email/confirm", &[("token", token)]).await
}

/// Moves the signed-in account to `new_email`, through the link sent there.
pub async fn move_to(app: &mut TestApp, sink: &MailSink, new_email: &str, password: &str) {
    let token = ask_to_move(app, sink, new_email, password).await;
    let confirmed = confirm_address(app, &token).await;
    assert_eq!(confirmed.status, axum::http::StatusCode::OK, "{}", confirmed.body);
}
