//! Password hashing with Argon2id, using the OWASP parameters
//! (19 MiB of memory, 2 iterations, 1 lane).
//!
//! Hashing is deliberately slow and memory-hungry, so it runs on the blocking
//! pool and at most one hash per core runs at a time; a burst of logins then
//! queues instead of exhausting memory or starving the async workers.

use std::sync::LazyLock;

use argon2::{
    password_hash::{rand_core::OsRng, SaltString},
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
};
use tokio::sync::Semaphore;

use super::Password;
use crate::error::AppError;

static HASHING_PERMITS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |cores| cores.get())));

/// Verified against when the email is unknown, so that an unknown account
/// costs the same time as a wrong password and timing reveals nothing.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("engram-dummy-password-for-timing").unwrap_or_default());

fn argon2id() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2id().hash_password(password.as_bytes(), &salt)?.to_string())
}

fn verify_blocking(candidate: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .is_ok_and(|hash| argon2id().verify_password(candidate.as_bytes(), &hash).is_ok())
}

async fn on_blocking_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = HASHING_PERMITS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

/// A PHC-format Argon2id hash of `password` with a fresh random salt.
pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    on_blocking_pool(move || hash_blocking(&password))
        .await?
        .map_err(AppError::internal)
}

/// Whether `candidate` matches `stored_hash`. With no stored hash (unknown
/// account) a dummy hash is verified instead and the answer is always `false`.
pub async fn verify_password(candidate: &str, stored_hash: Option<String>) -> Result<bool, AppError> {
    let candidate = candidate.to_owned();
    on_blocking_pool(move || match stored_hash {
        Some(hash) => verify_blocking(&candidate, &hash),
        None => {
            verify_blocking(&candidate, &DUMMY_HASH);
            false
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_different_one_does_not() {
        let password = Password::parse("a sturdy passphrase").unwrap();
        let hash = hash_password(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("a sturdy passphrase", Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify_password("a sturdy passphrasf", Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify_password("engram-dummy-password-for-timing", None)
            .await
            .unwrap());
    }
}
