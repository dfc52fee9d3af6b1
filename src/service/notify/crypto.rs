//! WeCom's callback cryptography (WXBizMsgCrypt): the `msg_signature` is the
//! hex SHA-1 of the token, timestamp, nonce and ciphertext sorted and
//! joined; the ciphertext is AES-256-CBC under key = base64(EncodingAESKey
//! + "="), IV = the key's first 16 bytes, padded PKCS#7-style to 32 bytes,
//! over 16 random bytes | 4-byte big-endian length | message | receive id.

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use sha1::{Digest as _, Sha1};

type Decryptor = cbc::Decryptor<aes::Aes256>;
type Encryptor = cbc::Encryptor<aes::Aes256>;

/// Why a callback could not be read: each is logged and answered 4xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the signature does not match")]
    Signature,
    #[error("the ciphertext is not valid base64 or AES blocks")]
    Ciphertext,
    #[error("the plaintext is malformed")]
    Plaintext,
    #[error("the message is for another receiver ({0})")]
    Receiver(String),
    #[error("the EncodingAESKey is not 43 base64 characters")]
    Key,
}

/// The callback keys of one WeCom application.
#[derive(Clone)]
pub struct MsgCrypt {
    token: String,
    key: [u8; 32],
    receive_id: String,
}

impl MsgCrypt {
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Self, CryptoError> {
        // WeCom's keys often end in bits base64 calls non-canonical: its
        // own libraries ignore them, and so must we.
        let lenient = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
        );
        let raw = lenient.decode(format!("{encoding_aes_key}=")).map_err(|_| CryptoError::Key)?;
        let key: [u8; 32] = raw.try_into().map_err(|_| CryptoError::Key)?;
        Ok(Self { token: token.into(), key, receive_id: receive_id.into() })
    }

    /// The signature of `encrypted` at `timestamp` with `nonce`.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypted: &str) -> String {
        let mut parts = [self.token.as_str(), timestamp, nonce, encrypted];
        parts.sort_unstable();
        hex::encode(Sha1::digest(parts.concat().as_bytes()))
    }

    /// Checks the signature, decrypts, checks the receive id; the message.
    pub fn open(&self, signature: &str, timestamp: &str, nonce: &str, encrypted: &str) -> Result<String, CryptoError> {
        let expected = self.signature(timestamp, nonce, encrypted);
        // Both are public hex of a keyed hash: comparing them in constant
        // time keeps the comparison from telling how much matched.
        if !constant_time_eq(expected.as_bytes(), signature.to_ascii_lowercase().as_bytes()) {
            return Err(CryptoError::Signature);
        }
        let (message, receiver) = self.decrypt(encrypted)?;
        if receiver != self.receive_id {
            return Err(CryptoError::Receiver(receiver));
        }
        Ok(message)
    }

    /// Decrypts to (message, receive id) without checking either.
    pub fn decrypt(&self, encrypted: &str) -> Result<(String, String), CryptoError> {
        let mut data = STANDARD.decode(encrypted.trim()).map_err(|_| CryptoError::Ciphertext)?;
        if data.is_empty() || data.len() % 16 != 0 {
            return Err(CryptoError::Ciphertext);
        }
        let iv: [u8; 16] = self.key[..16].try_into().expect("16 bytes");
        let plain = Decryptor::new(&self.key.into(), &iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut data)
            .map_err(|_| CryptoError::Ciphertext)?;
        let pad = *plain.last().ok_or(CryptoError::Plaintext)? as usize;
        if pad == 0 || pad > 32 || pad > plain.len() {
            return Err(CryptoError::Plaintext);
        }
        let body = &plain[..plain.len() - pad];
        if body.len() < 20 {
            return Err(CryptoError::Plaintext);
        }
        let len = u32::from_be_bytes(body[16..20].try_into().expect("4 bytes")) as usize;
        let rest = &body[20..];
        if len > rest.len() {
            return Err(CryptoError::Plaintext);
        }
        let message = String::from_utf8(rest[..len].to_vec()).map_err(|_| CryptoError::Plaintext)?;
        let receiver = String::from_utf8(rest[len..].to_vec()).map_err(|_| CryptoError::Plaintext)?;
        Ok((message, receiver))
    }

    /// Encrypts `message` for this receiver with the 16 `random` bytes.
    pub fn encrypt(&self, message: &str, random: [u8; 16]) -> String {
        let mut plain = Vec::with_capacity(message.len() + self.receive_id.len() + 52);
        plain.extend_from_slice(&random);
        plain.extend_from_slice(&(message.len() as u32).to_be_bytes());
        plain.extend_from_slice(message.as_bytes());
        plain.extend_from_slice(self.receive_id.as_bytes());
        let pad = 32 - plain.len() % 32;
        plain.extend(std::iter::repeat_n(pad as u8, pad));
        let iv: [u8; 16] = self.key[..16].try_into().expect("16 bytes");
        let len = plain.len();
        let cipher = Encryptor::new(&self.key.into(), &iv.into())
            .encrypt_padded_mut::<NoPadding>(&mut plain, len)
            .expect("a whole number of blocks");
        STANDARD.encode(cipher)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The text of `<tag>…</tag>` in WeCom's flat XML, CDATA or not.
pub fn xml_field<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    let inner = xml[start..end].trim();
    Some(inner.strip_prefix("<![CDATA[").and_then(|s| s.strip_suffix("]]>")).unwrap_or(inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    // WeCom's published sample (WXBizMsgCrypt Sample, every language).
    const TOKEN: &str = "QDG6eK";
    const CORP: &str = "wx5823bf96d3bd56c7";
    const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    fn crypt() -> MsgCrypt {
        MsgCrypt::new(TOKEN, KEY, CORP).unwrap()
    }

    #[test]
    fn the_url_verification_sample_decrypts() {
        let echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
        let out = crypt().open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echo);
        assert_eq!(out.unwrap(), "1616140317555161061");
    }

    #[test]
    fn the_message_sample_decrypts() {
        let encrypted = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
        let xml =
            crypt().open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", encrypted).unwrap();
        assert_eq!(xml_field(&xml, "FromUserName"), Some("mycreate"));
        assert_eq!(xml_field(&xml, "ToUserName"), Some(CORP));
        assert_eq!(xml_field(&xml, "Content"), Some("hello"));
    }

    #[test]
    fn tampering_and_other_receivers_are_refused() {
        let c = crypt();
        let sealed = c.encrypt("<xml><Event>x</Event></xml>", [7; 16]);
        let sig = c.signature("1", "2", &sealed);
        assert_eq!(c.open(&sig, "1", "2", &sealed).unwrap(), "<xml><Event>x</Event></xml>");
        assert_eq!(c.open(&sig, "1", "3", &sealed), Err(CryptoError::Signature));
        let other = MsgCrypt::new(TOKEN, KEY, "another-corp").unwrap();
        let sealed = other.encrypt("hi", [1; 16]);
        let sig = c.signature("1", "2", &sealed);
        assert_eq!(c.open(&sig, "1", "2", &sealed), Err(CryptoError::Receiver("another-corp".into())));
        assert_eq!(c.decrypt("AAAA").unwrap_err(), CryptoError::Ciphertext);
        assert!(MsgCrypt::new(TOKEN, "short", CORP).is_err());
    }
}
