//! The token in a password-reset link, and what the database keeps of it.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// How long a link works after it was asked for.
pub const LIFETIME_MINUTES: i32 = 60;

/// Links sent to one account within an hour, after which further requests
/// send nothing (and answer as always): enough for a message or two that went
/// astray, too few to fill someone's inbox on a stranger's behalf.
pub const MAX_PER_ACCOUNT_PER_HOUR: i64 = 3;

/// 256 random bits from the system's generator, written as 64 lowercase hex
/// digits: as hard to guess as the session ids are.
pub struct ResetToken(String);

impl ResetToken {
    const HEX_DIGITS: usize = 64;

    pub fn generate() -> ResetToken {
        let mut bytes = [0u8; Self::HEX_DIGITS / 2];
        OsRng.fill_bytes(&mut bytes);
        ResetToken(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// A token as a link carries it; anything else (cut short by a mail
    /// client, say) is no token.
    pub fn parse(text: &str) -> Option<ResetToken> {
        let text = text.trim();
        (text.len() == Self::HEX_DIGITS && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| ResetToken(text.to_owned()))
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

impl std::fmt::Debug for ResetToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_as_itself_and_nothing_else_reads_as_one() {
        let token = ResetToken::generate();
        let again = ResetToken::parse(token.as_str()).expect("a generated token parses");
        assert_eq!(again.hash(), token.hash());
        assert_ne!(ResetToken::generate().as_str(), token.as_str());
        for not_a_token in [
            "",
            &token.as_str()[..63],
            &format!("{}0", token.as_str()),
            &token.as_str().to_uppercase(),
            &format!("{}g", &token.as_str()[..63]),
        ] {
            assert!(ResetToken::parse(not_a_token).is_none(), "{not_a_token:?}");
        }
    }

    #[test]
    fn the_database_keeps_a_hash_not_the_token() {
        let token = ResetToken::generate();
        assert_eq!(token.hash().len(), 32);
        assert!(!format!("{token:?}").contains(token.as_str()));
    }
}
