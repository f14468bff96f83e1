//! Email, sent over SMTP with lettre. Engram sends one kind so far: the link
//! that lets someone who forgot their password choose a new one.

use std::time::Duration;

use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use crate::error::AppError;

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

/// A relay that does not answer within this long fails the message, which is
/// logged; nobody waits on it (see `auth::api::request_password_reset`).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

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
    /// failure is logged, with `what` the message was.
    pub fn send_later(&self, to: String, subject: &'static str, body: String, what: &'static str) {
        let mailer = self.clone();
        tokio::spawn(async move {
            match mailer.send(&to, subject, body).await {
                Ok(()) => tracing::info!(what, "email sent"),
                Err(error) => tracing::error!(what, ?error, "email could not be sent"),
            }
        });
    }

    /// Sends a plain-text message to one address.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), AppError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().map_err(AppError::internal)?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(AppError::internal)?;
        self.transport.send(message).await.map_err(AppError::internal)?;
        Ok(())
    }
}
