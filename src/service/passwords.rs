//! argon2id password hashing, off the async runtime: a hash costs tens of
//! milliseconds of CPU and would otherwise stall every request on the thread.
//!
//! Hashes run on a few threads of their own, each reusing one block buffer
//! (19 MiB at the default parameters). Allocating it per login on whichever
//! blocking thread ran it left each thread's malloc arena holding that much
//! after the first login: the resident set grew with the threads that ever
//! hashed, not with anything configured.

use std::sync::{Arc, Mutex, OnceLock};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, Version,
    password_hash::{Output, ParamsString, SaltString, rand_core::OsRng},
};
use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};

/// Threads that hash; at most this many hashes run at once.
const HASHERS: usize = 2;

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// The queue of the hashing threads, started on first use.
fn queue() -> &'static mpsc::Sender<Job> {
    static QUEUE: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>(1024);
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..HASHERS {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("signoff-hash-{n}"))
                .spawn(move || {
                    let mut blocks = Vec::new();
                    loop {
                        // One thread waits on the queue at a time; the lock
                        // is let go before the job runs.
                        let job = rx.lock().expect("hash queue lock").blocking_recv();
                        match job {
                            Some(job) => job(&mut blocks),
                            None => break,
                        }
                    }
                })
                .expect("starting a password hashing thread");
        }
        tx
    })
}

/// Runs `work` on a hashing thread with its reusable block buffer.
async fn on_hasher<T: Send + 'static>(work: impl FnOnce(&mut Vec<Block>) -> Result<T> + Send + 'static) -> Result<T> {
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move |blocks| {
        let _ = tx.send(work(blocks));
    });
    queue().send(job).await.map_err(|_| Error::internal(anyhow::anyhow!("the password hashers stopped")))?;
    rx.await.map_err(|_| Error::internal(anyhow::anyhow!("a password hash was dropped")))?
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::internal(anyhow::anyhow!("{what}: {e}"))
}

/// argon2 of `password` with the parameters, salt and version `hash` names.
fn compute(password: &[u8], hash: &PasswordHash<'_>, blocks: &mut Vec<Block>) -> Result<Output> {
    let params = Params::try_from(hash).map_err(|e| failed("stored hash parameters", e))?;
    let algorithm = Algorithm::try_from(hash.algorithm).map_err(|e| failed("stored hash algorithm", e))?;
    let version = hash.version.map(Version::try_from).transpose().map_err(|e| failed("stored hash version", e))?;
    let salt = hash.salt.ok_or_else(|| failed("stored hash", "no salt"))?;
    let mut salt_buf = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_buf).map_err(|e| failed("stored hash salt", e))?;
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    blocks.resize(params.block_count(), Block::default());
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
    Output::init_with(len, |out| {
        argon
            .hash_password_into_with_memory(password, salt, out, &mut blocks[..])
            .map_err(|_| argon2::password_hash::Error::Password)
    })
    .map_err(|e| failed("hashing a password", e))
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    on_hasher(move |blocks| {
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::default();
        let mut phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|e| failed("hash parameters", e))?,
            salt: Some(salt.as_salt()),
            hash: None,
        };
        phc.hash = Some(compute(password.as_bytes(), &phc, blocks)?);
        Ok(phc.to_string())
    })
    .await
}

/// Checks a password against a stored hash. With no hash (an unknown user,
/// a bot) it still spends the same time on a dummy hash, so response times
/// do not tell which usernames exist.
pub async fn verify(stored: Option<String>, password: &str) -> Result<bool> {
    let password = password.to_owned();
    on_hasher(move |blocks| {
        let (hash, real) = match stored {
            Some(h) => (h, true),
            None => (DUMMY.to_string(), false),
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| failed("stored hash", e))?;
        let expected = parsed.hash.ok_or_else(|| failed("stored hash", "no output"))?;
        // `Output`'s comparison takes the same time wherever they differ.
        let ok = compute(password.as_bytes(), &parsed, blocks)? == expected;
        Ok(ok && real)
    })
    .await
}

/// argon2id of a random string with the default parameters.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2lnbm9mZmR1bW15c2FsdA$3Wc4zTz7Q4mB0n8d3sUjH8Yt0bJ0P3c3l5m0tB0sYxA";

#[cfg(test)]
mod tests {
    use argon2::{PasswordHasher as _, password_hash::SaltString};

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = super::hash("correct horse").await.unwrap();
        let b = super::hash("correct horse").await.unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert!(super::verify(Some(a.clone()), "correct horse").await.unwrap());
        assert!(!super::verify(Some(a), "wrong").await.unwrap());
        assert!(!super::verify(None, "anything").await.unwrap());
    }

    #[tokio::test]
    async fn hashes_stored_by_the_argon2_crate_itself_still_verify_and_ours_verify_there() {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let stock = argon2::Argon2::default().hash_password(b"signoff", &salt).unwrap().to_string();
        assert!(super::verify(Some(stock.clone()), "signoff").await.unwrap());
        assert!(!super::verify(Some(stock), "signof").await.unwrap());
        let ours = super::hash("signoff").await.unwrap();
        let parsed = argon2::PasswordHash::new(&ours).unwrap();
        use argon2::PasswordVerifier as _;
        assert!(argon2::Argon2::default().verify_password(b"signoff", &parsed).is_ok());
    }

    #[tokio::test]
    async fn many_at_once_all_answer() {
        let passwords: Vec<String> = (0..8).map(|i| format!("pw{i}")).collect();
        let hashes = futures::future::join_all(passwords.iter().map(|p| super::hash(p)));
        for (i, h) in hashes.await.into_iter().enumerate() {
            assert!(super::verify(Some(h.unwrap()), &format!("pw{i}")).await.unwrap());
        }
    }
}
