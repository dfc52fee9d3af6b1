//! A template's form schema and the checks an admin's schema must pass.
//!
//! - [`FormSchema`] / [`FieldDef`] / [`FieldType`]: what a template asks the
//!   applicant for, stored as JSON with the template version.
//! - [`FormSchema::validate_schema`]: rejects schemas that could never be
//!   filled in sensibly (bad keys, a select without options, min above max).
//! - [`FieldError`]: one problem with one field, with a stable code; both the
//!   schema check and the form check (in `form_input`) report every problem
//!   at once, so the UI can mark all fields in one round trip.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::decimal::Decimal;
use super::{DeptId, UserId};

/// A submitted and normalized form: field key → value.
pub type FormData = serde_json::Map<String, serde_json::Value>;

/// Words of the condition language; a field named like one could not be
/// referred to in a step condition, so such keys are refused up front.
const RESERVED_KEYS: [&str; 6] = ["and", "or", "not", "in", "true", "false"];

/// The fields of a template's form, in display order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormSchema {
    pub fields: Vec<FieldDef>,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// Machine name, `[a-z][a-z0-9_]*`, used in conditions and approver rules.
    pub key: String,
    /// What the applicant sees.
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
    /// The choices of a select or multiselect field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Lower bound: the value of a number or money field, the length in
    /// characters of a text, the number of choices of a multiselect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound, read as for `min`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// The kinds of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Textarea,
    Number,
    /// A decimal amount with at most two places, kept as a string `"12000.50"`.
    Money,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339, kept in UTC.
    Datetime,
    Select,
    Multiselect,
    /// A user id; whether the user exists is the caller's check.
    User,
    /// A department id; whether it exists is the caller's check.
    Department,
    Boolean,
}

/// What `min` / `max` mean for a field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bounds {
    Value,
    Length,
    Count,
    None,
}

impl FieldType {
    /// The snake_case name used in JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Textarea => "textarea",
            Self::Number => "number",
            Self::Money => "money",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Select => "select",
            Self::Multiselect => "multiselect",
            Self::User => "user",
            Self::Department => "department",
            Self::Boolean => "boolean",
        }
    }

    /// Whether `>`, `<` and the like make sense on values of this type.
    pub fn is_ordered(self) -> bool {
        matches!(self, Self::Number | Self::Money | Self::Date | Self::Datetime)
    }

    pub(super) fn bounds(self) -> Bounds {
        match self {
            Self::Number | Self::Money => Bounds::Value,
            Self::Text | Self::Textarea => Bounds::Length,
            Self::Multiselect => Bounds::Count,
            _ => Bounds::None,
        }
    }

    fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::Multiselect)
    }
}

/// One problem with one field, in the schema or in a submitted form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field key; `fields[3]` for a schema field without a usable key,
    /// empty for a problem with the form as a whole.
    pub field: String,
    /// Stable snake_case code the UI translates.
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub(super) fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The user and department ids a form refers to, for the caller to check
/// that they exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferencedIds {
    pub users: Vec<UserId>,
    pub departments: Vec<DeptId>,
}

/// Is `key` of the form `[a-z][a-z0-9_]*`?
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl FormSchema {
    /// The field with this key.
    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Every problem of the schema itself. Codes: `empty_key`, `bad_key`,
    /// `reserved_key`, `duplicate_key`, `empty_label`, `missing_options`,
    /// `options_not_allowed`, `duplicate_option`, `bounds_not_allowed`,
    /// `bad_bounds`.
    pub fn validate_schema(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        for (i, field) in self.fields.iter().enumerate() {
            let name = if is_valid_key(&field.key) { field.key.clone() } else { format!("fields[{i}]") };
            let mut err = |code, message: String| errors.push(FieldError::new(name.clone(), code, message));
            if field.key.is_empty() {
                err("empty_key", "a field needs a key".into());
            } else if !is_valid_key(&field.key) {
                err(
                    "bad_key",
                    format!("key \"{}\" must be lowercase letters, digits and _, starting with a letter", field.key),
                );
            } else if RESERVED_KEYS.contains(&field.key.as_str()) {
                err("reserved_key", format!("\"{}\" is a word of the condition language", field.key));
            } else if !seen.insert(field.key.as_str()) {
                err("duplicate_key", format!("key \"{}\" is used twice", field.key));
            }
            if field.label.trim().is_empty() {
                err("empty_label", "a field needs a label".into());
            }
            let ty = field.field_type;
            if ty.has_options() {
                if field.options.is_empty() {
                    err("missing_options", format!("a {} field needs options", ty.as_str()));
                }
                let mut distinct = HashSet::new();
                if let Some(dup) = field.options.iter().find(|o| !distinct.insert(o.as_str())) {
                    err("duplicate_option", format!("option \"{dup}\" is listed twice"));
                }
            } else if !field.options.is_empty() {
                err("options_not_allowed", format!("a {} field has no options", ty.as_str()));
            }
            if let Some(message) = bounds_problem(field) {
                let code = if ty.bounds() == Bounds::None { "bounds_not_allowed" } else { "bad_bounds" };
                err(code, message);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The user and department ids a normalized form names, sorted and
    /// without repeats.
    pub fn referenced_ids(&self, form: &FormData) -> ReferencedIds {
        let mut ids = ReferencedIds::default();
        for field in &self.fields {
            let list = match field.field_type {
                FieldType::User => &mut ids.users,
                FieldType::Department => &mut ids.departments,
                _ => continue,
            };
            if let Some(id) = form.get(&field.key).and_then(serde_json::Value::as_i64) {
                list.push(id);
            }
        }
        for list in [&mut ids.users, &mut ids.departments] {
            list.sort_unstable();
            list.dedup();
        }
        ids
    }
}

/// Why a field's `min` / `max` are unusable, if they are.
fn bounds_problem(field: &FieldDef) -> Option<String> {
    let bounds = [field.min, field.max];
    match field.field_type.bounds() {
        Bounds::None if bounds.iter().any(Option::is_some) => {
            Some(format!("a {} field takes no min or max", field.field_type.as_str()))
        }
        Bounds::None => None,
        Bounds::Value => {
            if bounds.iter().flatten().any(|b| Decimal::from_f64(*b).is_err()) {
                return Some("min and max must be finite numbers of at most 18 decimals".into());
            }
            min_above_max(field)
        }
        Bounds::Length | Bounds::Count => {
            if bounds.iter().flatten().any(|b| !(b.is_finite() && *b >= 0.0 && b.fract() == 0.0)) {
                return Some("min and max must be whole numbers, zero or more".into());
            }
            min_above_max(field)
        }
    }
}

fn min_above_max(field: &FieldDef) -> Option<String> {
    match (field.min, field.max) {
        (Some(min), Some(max)) if min > max => Some(format!("min {min} is above max {max}")),
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A field with only the parts most tests care about.
    pub fn field(key: &str, field_type: FieldType) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: key.to_uppercase(),
            field_type,
            required: false,
            options: vec![],
            min: None,
            max: None,
            help: None,
        }
    }

    fn codes(schema: &FormSchema) -> Vec<(String, &'static str)> {
        schema.validate_schema().unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_schema_passes_and_round_trips() {
        let mut kind = field("type", FieldType::Select);
        kind.options = vec!["annual".into(), "sick".into()];
        let mut amount = field("amount", FieldType::Money);
        amount.min = Some(0.0);
        amount.max = Some(1e6);
        let schema = FormSchema { fields: vec![kind, amount, field("days", FieldType::Number)] };
        assert_eq!(schema.validate_schema(), Ok(()));
        let json = serde_json::to_value(&schema).unwrap();
        assert_eq!(json["fields"][0]["type"], "select");
        assert_eq!(serde_json::from_value::<FormSchema>(json).unwrap(), schema);
    }

    #[test]
    fn keys_must_be_present_well_formed_and_unique() {
        let schema = FormSchema {
            fields: vec![
                field("", FieldType::Text),
                field("Amount", FieldType::Money),
                field("9lives", FieldType::Text),
                field("and", FieldType::Boolean),
                field("days", FieldType::Number),
                field("days", FieldType::Number),
            ],
        };
        assert_eq!(
            codes(&schema),
            vec![
                ("fields[0]".into(), "empty_key"),
                ("fields[0]".into(), "empty_label"),
                ("fields[1]".into(), "bad_key"),
                ("fields[2]".into(), "bad_key"),
                ("and".into(), "reserved_key"),
                ("days".into(), "duplicate_key"),
            ]
        );
    }

    #[test]
    fn options_and_bounds_must_fit_the_type() {
        let mut no_options = field("kind", FieldType::Multiselect);
        no_options.label = " ".into();
        let mut dup = field("dup", FieldType::Select);
        dup.options = vec!["a".into(), "a".into()];
        let mut stray = field("note", FieldType::Text);
        stray.options = vec!["x".into()];
        let mut inverted = field("amount", FieldType::Money);
        (inverted.min, inverted.max) = (Some(10.0), Some(5.0));
        let mut fractional = field("title", FieldType::Text);
        fractional.max = Some(2.5);
        let mut dated = field("day", FieldType::Date);
        dated.min = Some(1.0);
        let schema = FormSchema { fields: vec![no_options, dup, stray, inverted, fractional, dated] };
        assert_eq!(
            codes(&schema),
            vec![
                ("kind".into(), "empty_label"),
                ("kind".into(), "missing_options"),
                ("dup".into(), "duplicate_option"),
                ("note".into(), "options_not_allowed"),
                ("amount".into(), "bad_bounds"),
                ("title".into(), "bad_bounds"),
                ("day".into(), "bounds_not_allowed"),
            ]
        );
    }

    #[test]
    fn lists_referenced_users_and_departments() {
        let schema = FormSchema {
            fields: vec![
                field("approver", FieldType::User),
                field("backup", FieldType::User),
                field("dept", FieldType::Department),
                field("days", FieldType::Number),
            ],
        };
        let form: FormData =
            serde_json::from_value(serde_json::json!({"approver": 7, "backup": 3, "dept": 12, "days": 4})).unwrap();
        let ids = schema.referenced_ids(&form);
        assert_eq!(ids, ReferencedIds { users: vec![3, 7], departments: vec![12] });
    }
}
