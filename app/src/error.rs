//! The one error type that crosses the wire between server functions and the UI.
//!
//! Variants are things a user can act on. Anything else becomes `Internal`,
//! whose details are logged on the server and never sent to the client.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// A validation message attached to one input of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name without its argument prefix, such as `email`.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("Please log in to continue.")]
    Unauthenticated,
    /// Deliberately the same for an unknown email and a wrong password.
    #[error("That email and password do not match an account.")]
    InvalidCredentials,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("That page or item does not exist.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Please wait {} before trying again.", human_wait(*retry_after_secs))]
    TooManyRequests { retry_after_secs: u64 },
    /// A batch with more items than one request may carry.
    #[error("Send at most {limit} at once.")]
    BatchTooLarge { limit: u32 },
    /// The request could not be read (malformed arguments and similar).
    #[error("{}", bad_request_sentence(.0))]
    BadRequest(String),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// The answer of two checks of one form: when both found fields wrong,
    /// every field's message at once, so that a form posted without
    /// JavaScript shows them all in one go; any other error as it is.
    pub fn with_field_errors_of(self, other: AppError) -> AppError {
        match (self, other) {
            (AppError::Validation(mut first), AppError::Validation(second)) => {
                first.extend(second);
                AppError::Validation(first)
            }
            (AppError::Validation(_), other) => other,
            (first, _) => first,
        }
    }

    /// A validation error for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// What the error says where no field shows it: its fields' messages,
    /// one after another, when it is about fields, and its own sentence
    /// otherwise.
    pub fn sentence(&self) -> String {
        match self {
            AppError::Validation(fields) if !fields.is_empty() => fields
                .iter()
                .map(|field| field.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        }
    }

    /// The message to show next to `field`, if this error concerns it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|error| error.field == field)
                .map(|error| error.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::BatchTooLarge { .. } => 413,
            AppError::BadRequest(_) => 400,
            AppError::Internal => 500,
        }
    }

    /// Logs an unexpected failure with its full chain and returns the opaque
    /// `Internal` variant, so internals never reach the client.
    #[track_caller]
    pub fn internal(error: impl std::fmt::Display) -> Self {
        let location = std::panic::Location::caller();
        tracing::error!(%location, "internal error: {error:#}");
        AppError::Internal
    }
}

/// A wait in words, rounded up to whole minutes past the first: "a second",
/// "40 seconds", "a minute", "7 minutes".
pub fn human_wait(seconds: u64) -> String {
    match seconds {
        0..=1 => "a second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        60..=119 => "a minute".to_owned(),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

/// A refused request's message as a sentence: one that is a sentence of its
/// own (it starts with a capital, "This request could not be read. …") as
/// it is; a fragment ("a rating is 1 to 4, not 7") after "The request could
/// not be understood:". Engram's messages are its own English, so an ASCII
/// capital is the test (Unicode's case tables would add kilobytes to the
/// browser's code for no message).
fn bad_request_sentence(message: &str) -> String {
    if message.starts_with(|c: char| c.is_ascii_uppercase()) {
        message.to_owned()
    } else {
        format!("The request could not be understood: {message}")
    }
}

/// What a request that never reached the server (or whose answer never
/// came back) says.
pub const SERVER_UNREACHABLE: &str = "the server could not be reached; check your connection";

impl AppError {
    /// Whether the request failed for want of a connection rather than for
    /// anything the server said.
    pub fn is_connection_failure(&self) -> bool {
        matches!(self, AppError::BadRequest(message) if message == SERVER_UNREACHABLE)
    }
}

/// What a request carrying a NUL character (U+0000), which no text field
/// may hold, is refused with, before any server function reads it.
pub const NUL_REFUSED: &str = "Text cannot contain the NUL character (U+0000). Remove it and try again.";

/// What a request larger than the server accepts is refused with, before
/// any server function reads it.
pub const REQUEST_TOO_LARGE: &str =
    "The request is larger than Engram accepts. Shorten the text and try again.";

/// The refusals the server makes before reading a request: text of our own,
/// which a form posted without JavaScript may show when it comes back in
/// the form's address (`ui::form::as_read_from_url`).
pub const REFUSED_BEFORE_READING: [&str; 2] = [NUL_REFUSED, REQUEST_TOO_LARGE];

/// What a request whose arguments could not be read says. Engram's own
/// pages send only what its server functions read, so this is most often a
/// page opened before an update changed a form; the parser's own wording
/// ("unknown variant `…`", "UUID parsing failed") helps no one who sees it.
pub const UNREADABLE_REQUEST: &str = "This request could not be read. Reload the page and try again.";

/// The most of a parser's message that is logged: it can quote the input
/// ("unknown variant `…`"), which may be as long as the request.
#[cfg(feature = "ssr")]
const MAX_LOGGED_PARSER_MESSAGE_CHARS: usize = 300;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // In the browser, what could not be read is the server's
            // answer: a proxy's error page while the server restarts, say.
            // It is the server failing for a while, not a refusal of what
            // was sent, and the same request may be sent again.
            ServerFnErrorErr::Deserialization(_) if cfg!(not(feature = "ssr")) => AppError::Internal,
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::Deserialization(message)
            | ServerFnErrorErr::MissingArg(message) => {
                // For whoever sends requests by hand, the parser's words are
                // in the server's log (at debug: anyone can write them).
                #[cfg(feature = "ssr")]
                tracing::debug!(
                    "unreadable request: {}",
                    crate::ui::shortened(&message, MAX_LOGGED_PARSER_MESSAGE_CHARS)
                );
                #[cfg(not(feature = "ssr"))]
                let _ = message;
                AppError::BadRequest(UNREADABLE_REQUEST.into())
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::BadRequest(SERVER_UNREACHABLE.into())
            }
            other => AppError::internal(other),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(error: sqlx::Error) -> Self {
        if is_simultaneous_change(&error) {
            let location = std::panic::Location::caller();
            tracing::warn!(%location, "two requests changed the same rows at once: {error}");
            return AppError::Conflict(SIMULTANEOUS_CHANGE.into());
        }
        AppError::internal(error)
    }
}

/// What a request that PostgreSQL ended to untangle it from another says.
#[cfg(feature = "ssr")]
pub const SIMULTANEOUS_CHANGE: &str =
    "Someone changed the same thing at the same moment, so nothing was saved. Please try again.";

/// Whether PostgreSQL ended the transaction because another one held what it
/// needed while waiting on it (a deadlock: a deck deleted while a learner
/// answers one of its cards, say), or because a serializable transaction
/// could not be ordered with another. Nothing of it was written, and the
/// same request sent again succeeds: not a failure of the server.
#[cfg(feature = "ssr")]
fn is_simultaneous_change(error: &sqlx::Error) -> bool {
    const DEADLOCK_DETECTED: &str = "40P01";
    const SERIALIZATION_FAILURE: &str = "40001";
    matches!(
        error,
        sqlx::Error::Database(database_error)
            if matches!(database_error.code().as_deref(), Some(DEADLOCK_DETECTED | SERIALIZATION_FAILURE))
    )
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    #[track_caller]
    fn from(error: tower_sessions::session::Error) -> Self {
        AppError::internal(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_message_is_found_only_for_its_field() {
        let error = AppError::field("email", "Enter an email address.");
        assert_eq!(
            error.field_message("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(error.field_message("password"), None);
    }

    #[test]
    fn a_refused_request_reads_as_one_sentence() {
        assert_eq!(
            AppError::BadRequest(REQUEST_TOO_LARGE.into()).to_string(),
            REQUEST_TOO_LARGE
        );
        assert_eq!(
            AppError::BadRequest(UNREADABLE_REQUEST.into()).to_string(),
            UNREADABLE_REQUEST
        );
        assert_eq!(
            AppError::BadRequest("a rating is 1 to 4, not 7".into()).to_string(),
            "The request could not be understood: a rating is 1 to 4, not 7"
        );
    }

    #[test]
    fn throttling_tells_the_user_how_long_to_wait() {
        let error = AppError::TooManyRequests {
            retry_after_secs: 600,
        };
        assert_eq!(
            error.to_string(),
            "Too many attempts. Please wait 10 minutes before trying again."
        );
        assert_eq!(error.status_code(), 429);
    }

    #[test]
    fn errors_survive_the_json_round_trip() {
        let error = AppError::field("display_name", "Too long.");
        let bytes = error.ser();
        assert_eq!(AppError::de(bytes), error);
    }
}
