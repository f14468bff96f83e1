//! The email Engram sends about an account: plain text, so that every mail
//! client shows it alike and nothing in it is markup, and an address in it
//! can be read and copied as it is.

/// The subject and text of the message that carries a password-reset link.
pub fn reset_link(display_name: &str, email: &str, link: &str) -> (&'static str, String) {
    (
        "Choose a new Engram password",
        format!(
            "Hello {display_name},\n\
             \n\
             Someone, hopefully you, asked to reset the password of the Engram account {email}.\n\
             To choose a new password, open this link within the next hour:\n\
             \n\
             {link}\n\
             \n\
             The link works once. Choosing a new password signs out every device\n\
             signed in to your account.\n\
             \n\
             If you did not ask for this, you can ignore this message: your password\n\
             stays as it is.\n"
        ),
    )
}

/// The message sent to an address an account asks to move to: the link in
/// it moves the account, so that it never moves to an inbox nobody reads.
pub fn confirm_new_address(
    display_name: &str,
    old_email: &str,
    new_email: &str,
    link: &str,
) -> (&'static str, String) {
    (
        "Confirm your new Engram email address",
        format!(
            "Hello {display_name},\n\
             \n\
             You asked for the Engram account {old_email} to log in with this\n\
             address, {new_email}, from now on. To finish, open this link within a day:\n\
             \n\
             {link}\n\
             \n\
             Until then, the account keeps logging in with {old_email}.\n\
             \n\
             If you did not ask for this, you can ignore this message: nothing changes.\n"
        ),
    )
}

/// The notice sent to an account's old address when it moves to another:
/// the one warning its owner gets if someone else moved it, since the old
/// address no longer logs in or receives reset links.
pub fn email_changed(display_name: &str, old_email: &str, new_email: &str) -> (&'static str, String) {
    (
        "Your Engram email address was changed",
        format!(
            "Hello {display_name},\n\
             \n\
             The Engram account that used {old_email} now logs in with {new_email}.\n\
             This address no longer logs in to it, and no longer receives its email.\n\
             \n\
             If you made this change, there is nothing to do. If you did not, someone\n\
             else knows your password: ask the people who run your Engram server for\n\
             help.\n"
        ),
    )
}

/// The notice sent when an account's password was changed from its settings
/// page, with the way back in if that was not its owner.
pub fn password_changed(
    display_name: &str,
    email: &str,
    forgot_password_link: &str,
) -> (&'static str, String) {
    (
        "Your Engram password was changed",
        format!(
            "Hello {display_name},\n\
             \n\
             The password of the Engram account {email} was just changed, and every\n\
             other device signed in to it was signed out.\n\
             \n\
             If you made this change, there is nothing to do. If you did not, choose a\n\
             new password at once, through a link sent to this address:\n\
             \n\
             {forgot_password_link}\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_names_the_account_and_carries_its_link() {
        let (_, text) = reset_link(
            "Lee",
            "lee@example.org",
            "https://cards.example.org/reset-password?token=ab",
        );
        assert!(text.contains("lee@example.org") && text.contains("/reset-password?token=ab"));
        let (_, text) = confirm_new_address(
            "Lee",
            "lee@example.org",
            "lee@example.net",
            "https://cards.example.org/confirm-email?token=cd",
        );
        assert!(text.contains("lee@example.org") && text.contains("lee@example.net"));
        assert!(text.contains("/confirm-email?token=cd\n"));
        let (_, text) = email_changed("Lee", "lee@example.org", "lee@example.net");
        assert!(text.contains("lee@example.org") && text.contains("lee@example.net"));
        let (_, text) = password_changed(
            "Lee",
            "lee@example.org",
            "https://cards.example.org/forgot-password",
        );
        assert!(text.contains("lee@example.org") && text.contains("/forgot-password\n"));
    }
}
