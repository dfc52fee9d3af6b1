//! argon2id password hashing, off the async runtime: a hash costs tens of
//! milliseconds of CPU and would otherwise stall every request on the thread.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::error::{Error, Result};

/// Hashes a password with argon2id and a random salt (PHC string).
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::internal(anyhow::anyhow!("hashing a password: {e}")))
    })
    .await
    .map_err(Error::internal)?
}

/// Checks a password against a stored hash. With no hash (an unknown user,
/// a bot) it still spends the same time on a dummy hash, so response times
/// do not tell which usernames exist.
pub async fn verify(stored: Option<String>, password: &str) -> Result<bool> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let (hash, real) = match stored {
            Some(h) => (h, true),
            None => (DUMMY.to_string(), false),
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| Error::internal(anyhow::anyhow!("stored hash: {e}")))?;
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && real)
    })
    .await
    .map_err(Error::internal)?
}

/// argon2id of a random string with the default parameters.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2lnbm9mZmR1bW15c2FsdA$3Wc4zTz7Q4mB0n8d3sUjH8Yt0bJ0P3c3l5m0tB0sYxA";

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = super::hash("correct horse").await.unwrap();
        let b = super::hash("correct horse").await.unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(super::verify(Some(a.clone()), "correct horse").await.unwrap());
        assert!(!super::verify(Some(a), "wrong").await.unwrap());
        assert!(!super::verify(None, "anything").await.unwrap());
    }
}
