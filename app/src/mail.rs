//! Email, sent over SMTP with lettre: the links that reset a password and
//! confirm a new address, and the notices that an account's address or
//! password changed (`auth::emails`). Each is sent in the background and
//! tried again while the relay fails for now.

use std::time::Duration;

use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

/// Where mail goes out, and whom it is from: made once at start-up from
/// `ENGRAM_SMTP_URL` and `ENGRAM_MAIL_FROM`. lettre keeps a small pool of
/// connections to the relay.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `ENGRAM_PUBLIC_URL` without its last `/`: where a link in a message
    /// takes its reader.
    site_url: String,
}

/// A relay that does not answer within this long fails the attempt; nobody
/// waits on it (see `auth::api::request_password_reset`).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to wait before each new attempt at a message that the relay
/// did not take for now (it was down, did not answer, or said "try again
/// later", as a busy or greylisting relay does): five attempts over about
/// half an hour, well within a reset link's hour. Kept in memory only, so
/// that the link in a message is never written down anywhere but in the
/// message: a server that stops in the meantime loses it, and the person
/// can ask again.
const RETRY_AFTER: [Duration; 4] = [
    Duration::from_secs(5),
    Duration::from_secs(60),
    Duration::from_secs(5 * 60),
    Duration::from_secs(25 * 60),
];

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtps://user:pass@host` (TLS from the
    /// start), `smtp://user:pass@host:587?tls=required` (STARTTLS), or
    /// `smtp://host:25` for a relay on the same machine, unencrypted.
    /// `from` is a mailbox such as `Engram <no-reply@example.org>`, and
    /// `site_url` the address people reach Engram at.
    pub fn new(smtp_url: &str, from: &str, site_url: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|error| format!("the SMTP address cannot be used: {error}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from
            .parse()
            .map_err(|error| format!("the sender address \"{from}\" cannot be used: {error}"))?;
        Ok(Mailer {
            transport,
            from,
            site_url: site_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The whole address of one of Engram's pages (`path` starts with `/`),
    /// for a link in a message.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.site_url)
    }

    /// Sends a plain-text message to one address in the background: the
    /// request that asked for it answers at once, whether the relay is quick,
    /// slow or down, and so its timing tells nothing of the message. A
    /// failure for now is tried again (`RETRY_AFTER`) with the same message,
    /// Message-ID and all, so that a relay that took an attempt whose answer
    /// was lost sees the same message again; what is still not sent after
    /// that, or refused for good, is logged with `what` the message was.
    pub fn send_later(&self, to: String, subject: &'static str, body: String, what: &'static str) {
        let message = match self.message(&to, subject, body) {
            Ok(message) => message,
            Err(error) => {
                tracing::error!(what, error, "email not written; not sent");
                return;
            }
        };
        let transport = self.transport.clone();
        tokio::spawn(async move {
            let mut waits = RETRY_AFTER.iter();
            let mut attempts = 1;
            loop {
                match transport.send(message.clone()).await {
                    Ok(_) => {
                        tracing::info!(what, attempts, "email sent");
                        return;
                    }
                    // A 5xx answer, or a relay that cannot take this message
                    // as it is configured: another attempt would fare the same.
                    Err(error) if error.is_permanent() || error.is_client() => {
                        tracing::error!(what, attempts, ?error, "email refused; not tried again");
                        return;
                    }
                    Err(error) => match waits.next() {
                        Some(wait) => {
                            tracing::warn!(what, attempts, ?error, retry_in = ?wait, "email not sent yet; trying again");
                            tokio::time::sleep(*wait).await;
                            attempts += 1;
                        }
                        None => {
                            tracing::error!(what, attempts, ?error, "email could not be sent; gave up");
                            return;
                        }
                    },
                }
            }
        });
    }

    /// A plain-text message to one address.
    fn message(&self, to: &str, subject: &str, body: String) -> Result<Message, String> {
        Message::builder()
            .from(self.from.clone())
            .to(to
                .parse()
                .map_err(|error| format!("the address cannot be used: {error}"))?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|error| format!("the message cannot be written: {error}"))
    }
}
