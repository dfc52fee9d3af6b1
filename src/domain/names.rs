//! Parse-don't-validate newtypes for what people type into forms. Each
//! `parse` trims, checks and returns a value that is valid by construction,
//! or an `invalid_input` error naming the field.

use crate::error::{Error, Result};

fn bad(field: &str, code: &'static str, message: impl Into<String>) -> Error {
    Error::invalid_field(code, field, message)
}

/// A login name: 2–64 characters, lowercase letters, digits, `.`, `_`, `-`,
/// starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim().to_lowercase();
        let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !(2..=64).contains(&s.len()) || !ok_chars || !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(bad(
                field,
                "invalid_username",
                "a username has 2 to 64 characters: a-z, 0-9, '.', '_' or '-', starting with a letter",
            ));
        }
        Ok(Self(s))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A name shown to people: 1–120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.is_empty() || s.chars().count() > 120 {
            return Err(bad(field, "invalid_name", "a name has 1 to 120 characters"));
        }
        if let Err(problem) = super::text::check_line(s) {
            return Err(bad(field, "invalid_name", format!("a name {}", problem.describe())));
        }
        Ok(Self(s.to_string()))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An email address, as far as a form can tell: one `@`, a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim().to_lowercase();
        let valid = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if !valid {
            return Err(bad(field, "invalid_email", format!("{raw:?} is not an email address")));
        }
        Ok(Self(s))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A phone number: digits with an optional leading `+`, spaces and dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let shape =
            s.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '-' || (i == 0 && c == '+'));
        if !shape || !(5..=20).contains(&digits) {
            return Err(bad(field, "invalid_phone", format!("{raw:?} is not a phone number")));
        }
        Ok(Self(s.to_string()))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A WeCom (企业微信) user id: 1–64 of letters, digits, `_ . @ -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WecomUserId(String);

impl WecomUserId {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.is_empty() || s.len() > 64 || !s.chars().all(|c| c.is_ascii_alphanumeric() || "_.@-".contains(c)) {
            return Err(bad(
                field,
                "invalid_wecom_user_id",
                "a WeCom user id has 1 to 64 of a-z, A-Z, 0-9, '_', '.', '@', '-'",
            ));
        }
        Ok(Self(s.to_string()))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: 8–128 characters. Strength beyond length is left to the
/// organisation's SSO when it has one.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let n = raw.chars().count();
        if !(8..=128).contains(&n) {
            return Err(bad(field, "weak_password", "a password has 8 to 128 characters"));
        }
        Ok(Self(raw.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A role or template code: 2–64 of a-z, 0-9, `_`, `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        let ok = (2..=64).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !ok {
            return Err(bad(
                field,
                "invalid_code",
                "a code has 2 to 64 of a-z, 0-9, '_' or '-', starting with a letter",
            ));
        }
        Ok(Self(s.to_string()))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(Username::parse("u", " Alice ").unwrap().into_inner(), "alice");
        for bad in ["a", "1abc", "al ice", "al!ce", &"a".repeat(65)] {
            let err = Username::parse("username", bad).unwrap_err();
            assert_eq!(err.code(), "invalid_username");
            assert_eq!(err.fields()[0].field, "username");
        }
    }

    #[test]
    fn emails() {
        assert!(Email::parse("e", "a@b.co").is_ok());
        for bad in ["a", "a@b", "@b.co", "a@b@c.co", "a b@c.co", "a@.co"] {
            assert_eq!(Email::parse("email", bad).unwrap_err().code(), "invalid_email", "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(Phone::parse("p", "+86 138-0000-0000").is_ok());
        assert!(Phone::parse("p", "12a45").is_err());
        assert!(Phone::parse("p", "123").is_err());
    }

    #[test]
    fn names_and_codes() {
        assert!(DisplayName::parse("n", "张三").is_ok());
        assert!(DisplayName::parse("n", "  ").is_err());
        assert!(DisplayName::parse("n", "a\u{7}").is_err());
        assert!(DisplayName::parse("n", "\u{200B}").is_err());
        assert!(DisplayName::parse("n", "ab\u{202E}c").is_err());
        assert!(Code::parse("c", "finance").is_ok());
        assert!(Code::parse("c", "Finance").is_err());
        assert!(NewPassword::parse("p", "short").is_err());
        assert!(WecomUserId::parse("w", "ZhangSan").is_ok());
        assert!(WecomUserId::parse("w", "zhang san").is_err());
    }
}
