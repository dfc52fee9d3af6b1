//! Signed mobile links: a message carries a link to one approval item's
//! mobile page, bound to the item and the recipient, expiring, signed with
//! HMAC-SHA256 under a cluster-wide secret. Opening it never acts (mail
//! scanners prefetch links); the decision is a POST carrying the token,
//! and each token decides once (its nonce is recorded when used).

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::error::{Error, Result};

/// What a valid token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkClaims {
    pub item_id: i64,
    pub user_id: i64,
    pub expires: DateTime<Utc>,
    /// Recorded when the link decides, so it decides once.
    pub nonce: String,
}

/// Signs and checks link tokens.
#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
}

impl LinkSigner {
    pub fn new(secret: &[u8]) -> Self {
        Self { key: secret.to_vec() }
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(body.as_bytes());
        mac
    }

    /// A token for `user_id` to act on `item_id` until `expires`.
    pub fn sign(&self, item_id: i64, user_id: i64, expires: DateTime<Utc>) -> String {
        let nonce = crate::service::auth::random_token(12);
        let body = format!("{item_id}.{user_id}.{}.{nonce}", expires.timestamp());
        let tag = URL_SAFE_NO_PAD.encode(self.mac(&body).finalize().into_bytes());
        format!("{}.{tag}", URL_SAFE_NO_PAD.encode(body))
    }

    /// The claims of a token signed here and not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<LinkClaims> {
        let invalid = || Error::denied("invalid_link", "this link is not valid; open the item in Signoff instead");
        let (body, tag) = token.split_once('.').ok_or_else(invalid)?;
        let body = String::from_utf8(URL_SAFE_NO_PAD.decode(body).map_err(|_| invalid())?).map_err(|_| invalid())?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
        self.mac(&body).verify_slice(&tag).map_err(|_| invalid())?;
        let mut parts = body.splitn(4, '.');
        let mut next = || parts.next().ok_or_else(invalid);
        let item_id = next()?.parse().map_err(|_| invalid())?;
        let user_id = next()?.parse().map_err(|_| invalid())?;
        let expires = DateTime::from_timestamp(next()?.parse().map_err(|_| invalid())?, 0).ok_or_else(invalid)?;
        let nonce = next()?.to_string();
        if expires <= now {
            return Err(Error::denied("link_expired", "this link has expired; open the item in Signoff instead"));
        }
        Ok(LinkClaims { item_id, user_id, expires, nonce })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_bound_signed_and_expires() {
        let signer = LinkSigner::new(b"secret");
        let now = Utc::now();
        let token = signer.sign(42, 7, now + chrono::Duration::hours(1));
        let claims = signer.verify(&token, now).unwrap();
        assert_eq!((claims.item_id, claims.user_id), (42, 7));
        assert_eq!(signer.verify(&token, now + chrono::Duration::hours(2)).unwrap_err().code(), "link_expired");
        assert_eq!(LinkSigner::new(b"other").verify(&token, now).unwrap_err().code(), "invalid_link");
        // Another item or user in the body breaks the signature.
        let (_, tag) = token.split_once('.').unwrap();
        let forged = format!("{}.{tag}", URL_SAFE_NO_PAD.encode(format!("43.7.{}.x", now.timestamp() + 3600)));
        assert_eq!(signer.verify(&forged, now).unwrap_err().code(), "invalid_link");
    }
}
