//! Signatures of the ws-cluster protocol: HMAC-SHA256 in hex, checked in
//! constant time, with a timestamp window against replays.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a signed timestamp may be from now, in seconds.
pub const WINDOW_SECS: i64 = 300;

/// `hex(HMAC-SHA256(secret, message))`.
pub fn sign(secret: &str, message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time check of a hex signature.
pub fn verify(secret: &str, message: &[u8], signature: &str) -> bool {
    let Ok(given) = hex::decode(signature.trim()) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.verify_slice(&given).is_ok()
}

/// What a client signs to connect: `pid=P&uid=U&ts=T`.
pub fn connect_message(pid: &str, uid: &str, ts: i64) -> String {
    format!("pid={pid}&uid={uid}&ts={ts}")
}

/// With a nonce: `pid=P&uid=U&ts=T&nonce=N`. A signature connects once, so
/// a client that opens several connections of one uid within a second (two
/// tabs, a fast reconnect) tells them apart with a nonce.
pub fn connect_message_with_nonce(pid: &str, uid: &str, ts: i64, nonce: &str) -> String {
    format!("pid={pid}&uid={uid}&ts={ts}&nonce={nonce}")
}

/// A nonce is 1–64 of a-z, A-Z, 0-9, `-`, `_`.
pub fn valid_nonce(nonce: &str) -> bool {
    (1..=64).contains(&nonce.len()) && nonce.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What a business system signs to push: `T.` followed by the raw body.
pub fn push_message(ts: &str, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(ts.len() + 1 + body.len());
    m.extend_from_slice(ts.as_bytes());
    m.push(b'.');
    m.extend_from_slice(body);
    m
}

/// Whether `ts` (unix seconds) is within the window around `now`.
pub fn fresh(ts: i64, now: i64) -> bool {
    (now - ts).abs() <= WINDOW_SECS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_of_the_readme() {
        // README: secret "demo-secret", pid demo, uid alice, ts 1795400000.
        let message = connect_message("demo", "alice", 1_795_400_000);
        assert_eq!(message, "pid=demo&uid=alice&ts=1795400000");
        let sig = sign("demo-secret", message.as_bytes());
        assert_eq!(sig.len(), 64);
        assert!(verify("demo-secret", message.as_bytes(), &sig));
        assert!(verify("demo-secret", message.as_bytes(), &sig.to_uppercase()));
        assert!(!verify("other", message.as_bytes(), &sig));
        assert!(!verify("demo-secret", message.as_bytes(), "zz"));
    }

    #[test]
    fn timestamps_outside_the_window_are_stale() {
        assert!(fresh(1000, 1299));
        assert!(!fresh(1000, 1301));
        assert!(!fresh(1400, 1000));
    }
}
