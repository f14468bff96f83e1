//! Accounts: registration, login, sessions and roles.
//!
//! The validated input types here compile for both targets so they can be
//! unit-tested without a browser or database; storage and hashing are
//! server-only.

pub mod api;
mod common_passwords;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod confirm;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod emailed_link;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod signed_in;
#[cfg(feature = "ssr")]
pub mod throttle;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use uuid::Uuid;

/// What a person may do in Engram. Ordered by privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "user_role", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Role {
    Learner,
    Teacher,
    Admin,
}

impl Role {
    /// The name used in forms, addresses and the database.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Role> {
        text.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Learner => "Learner",
            Role::Teacher => "Teacher",
            Role::Admin => "Admin",
        }
    }
}

/// The messages the account forms show next to a field. They are constants
/// so that a message read back from a page address can be recognised as one
/// of ours (see `ui::form`); a message that is not one of them is never shown
/// from an address.
pub mod messages {
    pub const EMAIL_EMPTY: &str = "Enter your email address.";
    pub const EMAIL_TOO_LONG: &str = "That email address is too long.";
    pub const EMAIL_INVALID: &str = "Enter a valid email address, like name@example.com.";
    pub const EMAIL_TAKEN: &str = "An account with this email already exists. Try logging in.";
    pub const PASSWORD_TOO_SHORT: &str = "Use at least 8 characters.";
    pub const PASSWORD_TOO_LONG: &str = "Use at most 128 characters.";
    pub const PASSWORD_COMMON: &str = "That password is too common. Choose something harder to guess.";
    pub const NAME_EMPTY: &str = "Enter the name other people will see.";
    pub const NAME_TOO_LONG: &str = "Use at most 64 characters.";
    pub const NAME_UNPRINTABLE: &str = "The name contains characters that cannot be shown.";
    pub const CONFIRM_PASSWORD_EMPTY: &str = "Enter your password to confirm.";
    pub const CONFIRM_PASSWORD_WRONG: &str = "That is not your password.";
    pub const PASSWORD_EMPTY: &str = "Enter your password.";
    pub const EMAIL_UNCHANGED: &str = "That is your email address already.";
    pub const NEW_PASSWORD_UNCHANGED: &str = "That is your password already. Choose a new one.";
    pub const RESET_LINK_INVALID: &str = "This link no longer works: it has expired, it has been used, \
         or the password has changed since it was sent. Ask for a new one.";
    pub const MAIL_UNAVAILABLE: &str = "This Engram server is not set up to send email, so it cannot \
         send you a link. Ask the people who run it to help you into your account.";
    pub const EMAIL_LINK_INVALID: &str = "This link no longer works: it has expired, it has been used, \
         a newer one was sent, the password has changed, or another account now has that address. \
         Change the address again from your settings to get a new link.";
    pub const EMAIL_TAKEN_SINCE: &str = "Another account has started using this address since the link \
         was sent, so your account keeps its address.";
    pub const EMAIL_LINKS_ENOUGH: &str = "We have sent three links to confirm a new address within the \
         hour. Try again in an hour.";
    pub const EMAIL_IN_USE: &str = "Another account uses this address.";
    pub const NO_EMAIL_CHANGE_WAITING: &str = "There is no change of address waiting: it has been \
         confirmed, or it has ended. Reload the page to see your address.";

    /// Every message above.
    pub const ALL: [&str; 22] = [
        EMAIL_EMPTY,
        EMAIL_TOO_LONG,
        EMAIL_INVALID,
        EMAIL_TAKEN,
        PASSWORD_TOO_SHORT,
        PASSWORD_TOO_LONG,
        PASSWORD_COMMON,
        NAME_EMPTY,
        NAME_TOO_LONG,
        NAME_UNPRINTABLE,
        CONFIRM_PASSWORD_EMPTY,
        CONFIRM_PASSWORD_WRONG,
        PASSWORD_EMPTY,
        EMAIL_UNCHANGED,
        NEW_PASSWORD_UNCHANGED,
        RESET_LINK_INVALID,
        MAIL_UNAVAILABLE,
        EMAIL_LINK_INVALID,
        EMAIL_TAKEN_SINCE,
        EMAIL_LINKS_ENOUGH,
        EMAIL_IN_USE,
        NO_EMAIL_CHANGE_WAITING,
    ];
}

/// The signed-in account as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// A trimmed, lower-cased, syntactically valid email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LENGTH: usize = 254;

    pub fn parse(input: &str) -> Result<Self, String> {
        let normalised = input.trim().to_lowercase();
        if normalised.is_empty() {
            return Err(messages::EMAIL_EMPTY.into());
        }
        if normalised.len() > Self::MAX_LENGTH {
            return Err(messages::EMAIL_TOO_LONG.into());
        }
        // RFC 5321 also allows a quoted local part ("a b"@example.org) and
        // an IP address for a domain (a@[192.0.2.1]); no mail provider hands
        // such addresses out, and the SMTP client cannot send to them.
        let quoted_or_literal = normalised.starts_with('"') || normalised.ends_with(']');
        if normalised.contains('\0')
            || quoted_or_literal
            || !email_address::EmailAddress::is_valid(&normalised)
        {
            return Err(messages::EMAIL_INVALID.into());
        }
        Ok(Email(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy: 8 to 128 characters and not one of the
/// most common passwords. Never logged or serialised.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<Self, String> {
        let length = input.chars().count();
        if length < Self::MIN_CHARS {
            return Err(messages::PASSWORD_TOO_SHORT.into());
        }
        if length > Self::MAX_CHARS {
            return Err(messages::PASSWORD_TOO_LONG.into());
        }
        // Eight spaces, or one or two characters over and over, are
        // guessed as soon as anything on a list.
        let mut distinct: Vec<char> = input.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if common_passwords::is_common(input) || distinct.len() < 3 {
            return Err(messages::PASSWORD_COMMON.into());
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// The name shown to other people: 1 to 64 visible characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_GRAPHEMES: usize = 64;
    /// 256 characters of at most 4 bytes.
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(input: &str) -> Result<Self, String> {
        let trimmed = input.trim();
        if !crate::ui::validate::has_visible_text(trimmed) {
            return Err(messages::NAME_EMPTY.into());
        }
        // Combining marks can make 64 graphemes very long; 256 characters is
        // also what the database allows.
        if trimmed.graphemes(true).count() > Self::MAX_GRAPHEMES || trimmed.chars().count() > 256 {
            return Err(messages::NAME_TOO_LONG.into());
        }
        // A name also heads the account's email, whose text U+2028 and
        // U+2029 would break into lines of the name's choosing.
        let breaks_a_line = |c: char| matches!(c, '\u{2028}' | '\u{2029}');
        if trimmed
            .chars()
            .any(|c| crate::ui::validate::is_unshowable_in_a_line(c) || breaks_a_line(c))
        {
            return Err(messages::NAME_UNPRINTABLE.into());
        }
        Ok(DisplayName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `saved` value in the settings page's address after one of the
/// account's forms was saved without JavaScript.
pub const NAME_SAVED: &str = "name";
pub const EMAIL_SAVED: &str = "email";
pub const PASSWORD_SAVED: &str = "password";
/// The same, after a waiting change of address was withdrawn.
pub const EMAIL_CHANGE_CANCELLED: &str = "email-kept";

/// In the address-change link's page's address once the account has moved.
pub const EMAIL_CONFIRMED: &str = "confirmed";

/// The form that asks for a password-reset link by email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetRequestInput {
    pub email: String,
}

impl ResetRequestInput {
    pub fn parse(&self) -> Result<Email, crate::error::AppError> {
        Email::parse(&self.email).map_err(|message| crate::error::AppError::field("email", message))
    }
}

/// The form a reset link opens: the link's token, and the new password.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct PasswordResetInput {
    pub token: String,
    pub password: String,
}

impl std::fmt::Debug for PasswordResetInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordResetInput(<redacted>)")
    }
}

impl PasswordResetInput {
    /// The new password, checked against the sign-up policy. (The token is
    /// checked against the database, by the server.)
    pub fn parse(&self) -> Result<Password, crate::error::AppError> {
        Password::parse(&self.password).map_err(|message| crate::error::AppError::field("password", message))
    }
}

/// Whether `token` is short enough to carry back in a page's address: a
/// real one is 64 characters, and anything longer is not one.
pub fn link_token_fits(token: &str) -> bool {
    token.len() <= 64
}

/// In the forgotten-password page's address after its form was sent
/// without JavaScript: the page then says where the link went.
pub const RESET_LINK_SENT: &str = "sent";

/// The form that changes the name other people see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameInput {
    pub display_name: String,
}

impl RenameInput {
    pub fn parse(&self) -> Result<DisplayName, crate::error::AppError> {
        DisplayName::parse(&self.display_name)
            .map_err(|message| crate::error::AppError::field("display_name", message))
    }
}

/// The form that moves the account to another email address: what it logs
/// in with, so the password confirms it.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct EmailChangeInput {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for EmailChangeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChangeInput")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl EmailChangeInput {
    /// The new address, checked against `current` too; every field's
    /// problem at once (the password is only checked for being there: it is
    /// verified, and throttled, once the rest is in order).
    pub fn parse(&self, current: &str) -> Result<Email, crate::error::AppError> {
        let mut errors = crate::ui::validate::FieldErrors::new();
        let email = match Email::parse(&self.email) {
            Ok(email) if email.as_str() == current => {
                errors.add("email", messages::EMAIL_UNCHANGED);
                None
            }
            Ok(email) => Some(email),
            Err(message) => {
                errors.add("email", message);
                None
            }
        };
        if self.password.is_empty() {
            errors.add("password", messages::CONFIRM_PASSWORD_EMPTY);
        }
        errors.into_result(())?;
        email.ok_or_else(|| crate::error::AppError::field("email", messages::EMAIL_INVALID))
    }
}

/// The form that changes the password.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct PasswordChangeInput {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChangeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChangeInput(<redacted>)")
    }
}

impl PasswordChangeInput {
    /// The new password, checked against the policy and against the one it
    /// replaces; every field's problem at once (the current password is
    /// only checked for being there, as in [`EmailChangeInput::parse`]).
    pub fn parse(&self) -> Result<Password, crate::error::AppError> {
        let mut errors = crate::ui::validate::FieldErrors::new();
        if self.current_password.is_empty() {
            errors.add("current_password", messages::CONFIRM_PASSWORD_EMPTY);
        }
        let password = match Password::parse(&self.new_password) {
            Ok(_) if self.new_password == self.current_password => {
                errors.add("new_password", messages::NEW_PASSWORD_UNCHANGED);
                None
            }
            Ok(password) => Some(password),
            Err(message) => {
                errors.add("new_password", message);
                None
            }
        };
        errors.into_result(())?;
        password.ok_or_else(|| crate::error::AppError::field("new_password", messages::PASSWORD_TOO_SHORT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_no_mail_provider_hands_out_is_refused() {
        for address in ["\"a b\"@example.org", "\"a\\\"b\"@example.org", "lee@[192.0.2.1]"] {
            assert_eq!(
                Email::parse(address).err().as_deref(),
                Some(messages::EMAIL_INVALID),
                "{address}"
            );
        }
        assert!(Email::parse("lee.o'brien+cards@example.org").is_ok());
    }

    #[test]
    fn a_name_cannot_break_a_line() {
        for name in ["Lee\u{2028}Visit evil.example", "Lee\u{2029}Ann", "Lee\nAnn"] {
            assert_eq!(
                DisplayName::parse(name).err().as_deref(),
                Some(messages::NAME_UNPRINTABLE),
                "{name:?}"
            );
        }
    }

    #[test]
    fn a_rename_is_trimmed_and_checked_like_a_sign_up() {
        let rename = |name: &str| {
            RenameInput {
                display_name: name.into(),
            }
            .parse()
        };
        assert_eq!(rename("  Ada  ").unwrap().as_str(), "Ada");
        assert_eq!(
            rename(" ").unwrap_err().field_message("display_name").as_deref(),
            Some(messages::NAME_EMPTY)
        );
    }

    #[test]
    fn an_email_change_reports_the_address_and_a_missing_password_at_once() {
        let change = EmailChangeInput {
            email: "not an address".into(),
            password: String::new(),
        };
        let error = change.parse("ada@example.org").unwrap_err();
        assert_eq!(
            error.field_message("email").as_deref(),
            Some(messages::EMAIL_INVALID)
        );
        assert_eq!(
            error.field_message("password").as_deref(),
            Some(messages::CONFIRM_PASSWORD_EMPTY)
        );
    }

    #[test]
    fn an_email_change_to_the_same_address_in_other_case_is_refused() {
        let change = EmailChangeInput {
            email: " Ada@Example.org ".into(),
            password: "anything at all".into(),
        };
        let error = change.parse("ada@example.org").unwrap_err();
        assert_eq!(
            error.field_message("email").as_deref(),
            Some(messages::EMAIL_UNCHANGED)
        );
        let change = EmailChangeInput {
            email: "ada.l@example.org".into(),
            password: "anything at all".into(),
        };
        assert_eq!(
            change.parse("ada@example.org").unwrap().as_str(),
            "ada.l@example.org"
        );
    }

    #[test]
    fn a_new_password_meets_the_policy_and_differs_from_the_current_one() {
        let change = |current: &str, new: &str| {
            PasswordChangeInput {
                current_password: current.into(),
                new_password: new.into(),
            }
            .parse()
        };
        let error = change("", "short").unwrap_err();
        assert_eq!(
            error.field_message("current_password").as_deref(),
            Some(messages::CONFIRM_PASSWORD_EMPTY)
        );
        assert_eq!(
            error.field_message("new_password").as_deref(),
            Some(messages::PASSWORD_TOO_SHORT)
        );
        assert_eq!(
            change("a sturdy passphrase", "a sturdy passphrase")
                .unwrap_err()
                .field_message("new_password")
                .as_deref(),
            Some(messages::NEW_PASSWORD_UNCHANGED)
        );
        assert!(change("a sturdy passphrase", "another sturdy one").is_ok());
        assert!(!format!(
            "{:?}",
            PasswordChangeInput {
                current_password: "hunter2hunter2".into(),
                new_password: "hunter3hunter3".into(),
            }
        )
        .contains("hunter"));
    }

    #[test]
    fn an_email_is_trimmed_and_lowercased() {
        let email = Email::parse("  Ada.Lovelace@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace@example.com");
    }

    #[test]
    fn an_empty_email_is_rejected() {
        assert!(Email::parse("   ").is_err());
    }

    #[test]
    fn an_email_without_an_at_sign_is_rejected() {
        assert!(Email::parse("ada.example.com").is_err());
    }

    #[test]
    fn an_email_without_a_local_part_is_rejected() {
        assert!(Email::parse("@example.com").is_err());
    }

    #[test]
    fn an_email_longer_than_254_bytes_is_rejected() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            Email::parse(&long).unwrap_err(),
            "That email address is too long."
        );
    }

    #[test]
    fn a_password_of_eight_characters_is_accepted() {
        assert!(Password::parse("kq8#vZ2m").is_ok());
    }

    #[test]
    fn a_password_shorter_than_eight_characters_is_rejected() {
        assert!(Password::parse("kq8#vZ2").is_err());
    }

    #[test]
    fn a_password_is_measured_in_characters_not_bytes() {
        // Seven characters, but more than eight bytes.
        assert!(Password::parse("ééééééé").is_err());
        assert!(Password::parse("éèêéèêéè").is_ok());
    }

    #[test]
    fn a_password_longer_than_128_characters_is_rejected() {
        assert!(Password::parse(&"x7!".repeat(42)).is_ok());
        assert!(Password::parse(&format!("{}kq", "x7!".repeat(42))).is_ok());
        assert!(Password::parse(&"x7!".repeat(43)).is_err());
    }

    #[test]
    fn a_common_password_is_rejected_whatever_its_case() {
        assert!(Password::parse("password123").is_err());
        assert!(Password::parse("PassWord123").is_err());
        assert!(Password::parse("qwertyuiop").is_err());
    }

    #[test]
    fn a_password_of_one_or_two_characters_repeated_is_rejected() {
        for weak in [
            "        ",
            "zzzzzzzzzz",
            "xyxyxyxyxy",
            "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}",
        ] {
            assert_eq!(
                Password::parse(weak).err().as_deref(),
                Some(messages::PASSWORD_COMMON),
                "{weak:?}"
            );
        }
        assert!(Password::parse("xyzxyzxyz").is_ok());
    }

    #[test]
    fn a_password_never_appears_in_debug_output() {
        let password = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn a_display_name_is_trimmed() {
        assert_eq!(DisplayName::parse("  Ada ").unwrap().as_str(), "Ada");
    }

    #[test]
    fn a_blank_display_name_is_rejected() {
        assert!(DisplayName::parse(" \t ").is_err());
        assert!(DisplayName::parse("\u{200B}\u{200B}\u{200B}").is_err());
        assert!(DisplayName::parse(" \u{2060}\u{FE0F} ").is_err());
    }

    #[test]
    fn a_display_name_longer_than_64_graphemes_is_rejected() {
        assert!(DisplayName::parse(&"é".repeat(64)).is_ok());
        assert!(DisplayName::parse(&"é".repeat(65)).is_err());
    }

    #[test]
    fn a_display_name_of_few_graphemes_but_many_characters_is_rejected() {
        let stacked = "e\u{301}\u{302}\u{303}\u{304}\u{305}".repeat(60);
        assert!(DisplayName::parse(&stacked).is_err());
    }

    #[test]
    fn a_display_name_with_control_characters_is_rejected() {
        assert!(DisplayName::parse("Ada\u{0007}").is_err());
    }

    #[test]
    fn the_length_messages_name_the_limits_in_force() {
        assert!(messages::PASSWORD_TOO_SHORT.contains(&Password::MIN_CHARS.to_string()));
        assert!(messages::PASSWORD_TOO_LONG.contains(&Password::MAX_CHARS.to_string()));
        assert!(messages::NAME_TOO_LONG.contains(&DisplayName::MAX_GRAPHEMES.to_string()));
    }

    #[test]
    fn a_role_parses_from_its_own_name_only() {
        assert_eq!(Role::parse("teacher"), Some(Role::Teacher));
        assert_eq!(Role::parse("Teacher"), None);
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn roles_are_ordered_by_privilege() {
        assert!(Role::Learner < Role::Teacher && Role::Teacher < Role::Admin);
    }
}
