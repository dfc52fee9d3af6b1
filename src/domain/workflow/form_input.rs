//! Checking what an applicant submitted against the template's form schema.
//!
//! [`FormSchema::validate`] either returns the normalized form (money as
//! `"12000.50"`, datetimes in UTC, blank optional fields left out) or every
//! [`FieldError`] at once. Codes: `not_an_object`, `unknown_field`,
//! `required`, `wrong_type`, `not_an_option`, `duplicate_option`,
//! `too_small`, `too_large`, `too_short`, `too_long`, `too_few`, `too_many`,
//! `too_precise`, `out_of_range`, `bad_date`, `bad_datetime`, `invalid_text`.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;

use super::decimal::{Decimal, DecimalError};
use super::form::{Bounds, FieldDef, FieldError, FieldType, FormData, FormSchema};
use crate::domain::text;

/// A field's problem before the field key is attached.
type Problem = (&'static str, String);

impl FormSchema {
    /// Checks a submitted form and returns it normalized, or all its errors.
    pub fn validate(&self, input: &Value) -> Result<FormData, Vec<FieldError>> {
        let Some(object) = input.as_object() else {
            return Err(vec![FieldError::new("", "not_an_object", "the form must be a JSON object")]);
        };
        let mut errors: Vec<FieldError> = object
            .keys()
            .filter(|key| self.field(key).is_none())
            .map(|key| FieldError::new(key.as_str(), "unknown_field", format!("the form has no field \"{key}\"")))
            .collect();
        let mut form = FormData::new();
        for field in &self.fields {
            let value = object.get(&field.key).filter(|v| !is_blank(v));
            match value {
                None if field.required => {
                    errors.push(FieldError::new(&field.key, "required", format!("{} is required", field.label)));
                }
                None => {}
                Some(value) => match check_value(field, value) {
                    Ok(normalized) => {
                        form.insert(field.key.clone(), normalized);
                    }
                    Err((code, message)) => errors.push(FieldError::new(&field.key, code, message)),
                },
            }
        }
        if errors.is_empty() { Ok(form) } else { Err(errors) }
    }
}

/// Null, an all-blank string and an empty list all mean "not filled in".
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn wrong_type(field: &FieldDef, expected: &str) -> Problem {
    ("wrong_type", format!("{} must be {expected}", field.label))
}

fn check_value(field: &FieldDef, value: &Value) -> Result<Value, Problem> {
    match field.field_type {
        FieldType::Text | FieldType::Textarea => {
            let text = value.as_str().ok_or_else(|| wrong_type(field, "text"))?;
            check_size(field, text.chars().count())?;
            let multiline = field.field_type == FieldType::Textarea;
            let checked = if multiline { text::check_block(text) } else { text::check_line(text) };
            checked.map_err(|p| ("invalid_text", format!("{} {}", field.label, p.describe())))?;
            Ok(value.clone())
        }
        FieldType::Number => {
            let number = value.as_number().ok_or_else(|| wrong_type(field, "a number"))?;
            let decimal = Decimal::from_json(number).map_err(|e| decimal_problem(field, e))?;
            check_range(field, decimal)?;
            Ok(value.clone())
        }
        FieldType::Money => {
            let decimal = match value {
                Value::String(s) => Decimal::parse(s.trim()),
                Value::Number(n) => Decimal::from_json(n),
                _ => return Err(wrong_type(field, "an amount like 12000.50")),
            }
            .map_err(|e| decimal_problem(field, e))?;
            if decimal.decimals() > 2 {
                return Err(("too_precise", format!("{} has at most 2 decimals", field.label)));
            }
            check_range(field, decimal)?;
            Ok(Value::String(decimal.to_fixed(2)))
        }
        FieldType::Date => {
            let text = value.as_str().ok_or_else(|| wrong_type(field, "a date"))?;
            parse_date(text)
                .map(|_| value.clone())
                .ok_or_else(|| ("bad_date", format!("{} must be a date like 2026-03-31", field.label)))
        }
        FieldType::Datetime => {
            let text = value.as_str().ok_or_else(|| wrong_type(field, "a date and time"))?;
            let at = parse_datetime(text).ok_or_else(|| {
                ("bad_datetime", format!("{} must be a time like 2026-03-31T09:00:00+08:00", field.label))
            })?;
            Ok(Value::String(at.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
        }
        FieldType::Select => {
            let text = value.as_str().ok_or_else(|| wrong_type(field, "one of its options"))?;
            check_option(field, text)?;
            Ok(value.clone())
        }
        FieldType::Multiselect => {
            let items = value.as_array().ok_or_else(|| wrong_type(field, "a list of options"))?;
            let mut chosen: Vec<&str> = Vec::with_capacity(items.len());
            for item in items {
                let text = item.as_str().ok_or_else(|| wrong_type(field, "a list of options"))?;
                check_option(field, text)?;
                if chosen.contains(&text) {
                    return Err(("duplicate_option", format!("\"{text}\" is chosen twice")));
                }
                chosen.push(text);
            }
            check_size(field, chosen.len())?;
            Ok(value.clone())
        }
        FieldType::User | FieldType::Department => {
            let noun = if field.field_type == FieldType::User { "a user" } else { "a department" };
            // The API's own ids are strings ("32"); plain numbers work too.
            match super::ids::user_id_value(value) {
                Some(id) if id > 0 => Ok(Value::from(id)),
                _ => Err(wrong_type(field, noun)),
            }
        }
        FieldType::Boolean => value.as_bool().map(Value::Bool).ok_or_else(|| wrong_type(field, "yes or no")),
    }
}

/// `YYYY-MM-DD`, exactly ten characters.
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// RFC 3339 with an offset, turned into UTC.
pub(super) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|at| at.with_timezone(&Utc))
}

fn decimal_problem(field: &FieldDef, error: DecimalError) -> Problem {
    match error {
        DecimalError::Syntax => wrong_type(field, "a number"),
        DecimalError::OutOfRange => ("out_of_range", format!("{} is too large a number", field.label)),
        DecimalError::TooPrecise => ("too_precise", format!("{} has too many decimals", field.label)),
    }
}

fn check_option(field: &FieldDef, text: &str) -> Result<(), Problem> {
    if field.options.iter().any(|o| o == text) {
        Ok(())
    } else {
        Err(("not_an_option", format!("\"{text}\" is not one of the choices of {}", field.label)))
    }
}

fn check_range(field: &FieldDef, value: Decimal) -> Result<(), Problem> {
    // Bounds were checked convertible by `validate_schema`; one that is not
    // is ignored rather than failing every submission.
    let bound = |b: Option<f64>| b.and_then(|b| Decimal::from_f64(b).ok());
    if let Some(min) = bound(field.min).filter(|min| value < *min) {
        return Err(("too_small", format!("{} must be at least {min}", field.label)));
    }
    if let Some(max) = bound(field.max).filter(|max| value > *max) {
        return Err(("too_large", format!("{} must be at most {max}", field.label)));
    }
    Ok(())
}

/// Length of a text or number of choices against `min` / `max`.
fn check_size(field: &FieldDef, size: usize) -> Result<(), Problem> {
    let size = size as f64;
    let counting = field.field_type.bounds() == Bounds::Count;
    if let Some(min) = field.min.filter(|min| size < *min) {
        return Err(if counting {
            ("too_few", format!("choose at least {min} for {}", field.label))
        } else {
            ("too_short", format!("{} needs at least {min} characters", field.label))
        });
    }
    if let Some(max) = field.max.filter(|max| size > *max) {
        return Err(if counting {
            ("too_many", format!("choose at most {max} for {}", field.label))
        } else {
            ("too_long", format!("{} takes at most {max} characters", field.label))
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::form::tests::field;
    use super::*;

    fn schema() -> FormSchema {
        let mut title = field("title", FieldType::Text);
        (title.required, title.min, title.max) = (true, Some(2.0), Some(10.0));
        let mut amount = field("amount", FieldType::Money);
        (amount.min, amount.max) = (Some(0.0), Some(50000.0));
        let mut days = field("days", FieldType::Number);
        days.min = Some(0.5);
        let mut kind = field("kind", FieldType::Select);
        kind.options = vec!["annual".into(), "sick".into()];
        let mut tags = field("tags", FieldType::Multiselect);
        (tags.options, tags.max) = (vec!["a".into(), "b".into(), "c".into()], Some(2.0));
        let fields = vec![
            title,
            field("note", FieldType::Textarea),
            amount,
            days,
            field("start", FieldType::Date),
            field("at", FieldType::Datetime),
            kind,
            tags,
            field("approver", FieldType::User),
            field("dept", FieldType::Department),
            field("urgent", FieldType::Boolean),
        ];
        FormSchema { fields }
    }

    fn errors(input: Value) -> Vec<(String, &'static str)> {
        schema().validate(&input).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn one_error(key: &str, value: Value) -> &'static str {
        let mut input = json!({"title": "Trip"});
        input[key] = value;
        let found = errors(input);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, key);
        found[0].1
    }

    #[test]
    fn a_full_form_is_normalized() {
        let form = schema()
            .validate(&json!({
                "title": "Trip", "note": "  ", "amount": "12000.5", "days": 3, "start": "2026-03-31",
                "at": "2026-03-31T09:00:00+08:00", "kind": "sick", "tags": ["a", "c"],
                "approver": 7, "dept": 12, "urgent": false,
            }))
            .unwrap();
        assert_eq!(form["amount"], "12000.50");
        assert_eq!(form["at"], "2026-03-31T01:00:00Z");
        assert_eq!(form["urgent"], false);
        assert!(!form.contains_key("note"), "blank optional text is left out");
        assert_eq!(form.len(), 10);
    }

    #[test]
    fn money_accepts_numbers_and_strings_with_two_decimals() {
        let ok = |v: Value| schema().validate(&json!({"title": "Trip", "amount": v})).unwrap()["amount"].clone();
        assert_eq!(ok(json!(12000)), "12000.00");
        assert_eq!(ok(json!(0.1)), "0.10");
        assert_eq!(ok(json!("49999.99")), "49999.99");
        assert_eq!(one_error("amount", json!("12.345")), "too_precise");
        assert_eq!(one_error("amount", json!("abc")), "wrong_type");
        assert_eq!(one_error("amount", json!(true)), "wrong_type");
        assert_eq!(one_error("amount", json!("-1")), "too_small");
        assert_eq!(one_error("amount", json!("50000.01")), "too_large");
        assert_eq!(one_error("amount", json!("1e5")), "wrong_type");
    }

    #[test]
    fn every_type_rejects_the_wrong_shape() {
        assert_eq!(one_error("note", json!(5)), "wrong_type");
        assert_eq!(one_error("days", json!("3")), "wrong_type");
        assert_eq!(one_error("days", json!(0.25)), "too_small");
        assert_eq!(one_error("days", json!(1e300)), "out_of_range");
        assert_eq!(one_error("start", json!("2026-3-1")), "bad_date");
        assert_eq!(one_error("start", json!("2026-02-30")), "bad_date");
        assert_eq!(one_error("start", json!(20260301)), "wrong_type");
        assert_eq!(one_error("at", json!("2026-03-31 09:00")), "bad_datetime");
        assert_eq!(one_error("kind", json!("maternity")), "not_an_option");
        assert_eq!(one_error("kind", json!(["sick"])), "wrong_type");
        assert_eq!(one_error("tags", json!(["a", "z"])), "not_an_option");
        assert_eq!(one_error("tags", json!(["a", "a"])), "duplicate_option");
        assert_eq!(one_error("tags", json!(["a", "b", "c"])), "too_many");
        assert_eq!(one_error("tags", json!("a")), "wrong_type");
        assert_eq!(one_error("approver", json!("x7")), "wrong_type");
        assert_eq!(one_error("approver", json!("-7")), "wrong_type");
        assert_eq!(one_error("approver", json!(0)), "wrong_type");
        assert_eq!(one_error("dept", json!(1.5)), "wrong_type");
        assert_eq!(one_error("urgent", json!("yes")), "wrong_type");
    }

    #[test]
    fn text_length_is_counted_in_characters() {
        assert_eq!(one_error("title", json!("差")), "too_short");
        assert!(schema().validate(&json!({"title": "差旅报销"})).is_ok());
        assert_eq!(one_error("title", json!("12345678901")), "too_long");
    }

    #[test]
    fn reports_every_error_at_once() {
        let found = errors(json!({"amout": 5, "kind": "x", "days": "two"}));
        assert_eq!(
            found,
            vec![
                ("amout".into(), "unknown_field"),
                ("title".into(), "required"),
                ("days".into(), "wrong_type"),
                ("kind".into(), "not_an_option"),
            ]
        );
        assert_eq!(errors(json!({"title": null})), vec![("title".into(), "required")]);
        assert_eq!(errors(json!([1, 2])), vec![("".into(), "not_an_object")]);
    }
}
