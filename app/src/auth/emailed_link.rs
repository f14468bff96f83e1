//! The token in a link Engram emails about an account (to reset a password,
//! or to confirm a new address), and what the database keeps of it.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// How long a password-reset link works after it was asked for: whoever asks
/// is waiting for it.
pub const RESET_LIFETIME_MINUTES: i32 = 60;

/// How long a link that confirms a new address works: a day, since the new
/// inbox may be one its owner reads later (at work, say).
pub const EMAIL_CHANGE_LIFETIME_MINUTES: i32 = 24 * 60;

/// Links of one kind sent to one account within an hour, after which further
/// requests send nothing: enough for a message or two that went astray, too
/// few to fill someone's inbox on a stranger's behalf.
pub const MAX_PER_ACCOUNT_PER_HOUR: i64 = 3;

/// 256 random bits from the system's generator, written as 64 lowercase hex
/// digits: as hard to guess as the session ids are.
pub struct LinkToken(String);

impl LinkToken {
    const HEX_DIGITS: usize = 64;

    pub fn generate() -> LinkToken {
        let mut bytes = [0u8; Self::HEX_DIGITS / 2];
        OsRng.fill_bytes(&mut bytes);
        LinkToken(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// A token as a link carries it; anything else (cut short by a mail
    /// client, say) is no token.
    pub fn parse(text: &str) -> Option<LinkToken> {
        let text = text.trim();
        (text.len() == Self::HEX_DIGITS && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| LinkToken(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: the token itself never is, so that the
    /// table alone opens no account. A plain hash suffices (no salt, no
    /// slow function): the token is random, not a password someone chose.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_as_itself_and_nothing_else_reads_as_one() {
        let token = LinkToken::generate();
        let again = LinkToken::parse(token.as_str()).expect("a generated token parses");
        assert_eq!(again.hash(), token.hash());
        assert_ne!(LinkToken::generate().as_str(), token.as_str());
        for not_a_token in [
            "",
            &token.as_str()[..63],
            &format!("{}0", token.as_str()),
            &token.as_str().to_uppercase(),
            &format!("{}g", &token.as_str()[..63]),
        ] {
            assert!(LinkToken::parse(not_a_token).is_none(), "{not_a_token:?}");
        }
    }

    #[test]
    fn the_database_keeps_a_hash_not_the_token() {
        let token = LinkToken::generate();
        assert_eq!(token.hash().len(), 32);
        assert!(!format!("{token:?}").contains(token.as_str()));
    }
}
