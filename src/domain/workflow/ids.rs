//! Ids in template JSON and form values: the API hands ids out as strings
//! (`"32"`), older clients and hand-written templates use numbers (`32`);
//! both mean the same id.

use serde::{Deserialize, Deserializer, de::Error as _};
use serde_json::Value;

use super::UserId;

/// An id given as a JSON number or a string of digits.
pub fn user_id_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
}

/// Serde: a list of ids, each a number or a string of digits.
pub fn user_ids<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<UserId>, D::Error> {
    let raw = Vec::<Value>::deserialize(deserializer)?;
    raw.iter().map(|v| user_id_value(v).ok_or_else(|| D::Error::custom(format!("{v} is not a user id")))).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_and_digit_strings_are_ids() {
        assert_eq!(user_id_value(&json!(32)), Some(32));
        assert_eq!(user_id_value(&json!("32")), Some(32));
        assert_eq!(user_id_value(&json!("3x")), None);
        assert_eq!(user_id_value(&json!("")), None);
        assert_eq!(user_id_value(&json!(1.5)), None);
        assert_eq!(user_id_value(&json!(true)), None);
        assert_eq!(user_id_value(&json!("99999999999999999999")), None);
    }
}
