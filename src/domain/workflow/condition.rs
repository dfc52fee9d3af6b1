//! Step conditions: small boolean expressions over form fields that admins
//! write in a template, such as `amount > 10000` or
//! `days >= 3 and type in ("annual", "sick")`.
//!
//! - [`Condition`]: the parsed, type-checked expression and its evaluation.
//! - [`ConditionError`]: where in the source a condition went wrong.
//! - Tokens live in `condition_lexer`, the grammar and type rules in
//!   `condition_parser`.
//!
//! Meaning of each comparison:
//! - A field missing from the form (an optional field left blank) makes
//!   every comparison on it false, `!=` included; `not` of that is true.
//! - Money and number compare exactly, as decimals.
//! - On a multiselect, `==` means "includes", `!=` "does not include" and
//!   `in (…)` "includes any of".
//! - A boolean field alone (`urgent`) means `urgent == true`.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::decimal::Decimal;
use super::form::{FieldType, FormData, FormSchema};
use super::form_input::{parse_date, parse_datetime};

/// A parsed and type-checked step condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every part holds.
    All(Vec<Condition>),
    /// At least one part holds.
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Compare {
        field: String,
        field_type: FieldType,
        op: CompareOp,
        value: Literal,
    },
    /// `field in (a, b, …)`.
    In {
        field: String,
        field_type: FieldType,
        values: Vec<Literal>,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A constant in a condition, already converted to its field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(Decimal),
    Text(String),
    Bool(bool),
    /// A user or department id.
    Id(i64),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
}

/// What went wrong in a condition and where: `position` is a character
/// offset into the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at {position}")]
pub struct ConditionError {
    pub position: usize,
    pub message: String,
}

impl ConditionError {
    pub(super) fn new(position: usize, message: impl Into<String>) -> Self {
        Self { position, message: message.into() }
    }
}

impl CompareOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
        }
    }

    /// Whether `>`, `<` and the like, which need an ordered field.
    pub fn is_ordering(self) -> bool {
        !matches!(self, Self::Eq | Self::Ne)
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Self::Eq => ordering.is_eq(),
            Self::Ne => ordering.is_ne(),
            Self::Gt => ordering.is_gt(),
            Self::Ge => ordering.is_ge(),
            Self::Lt => ordering.is_lt(),
            Self::Le => ordering.is_le(),
        }
    }
}

/// A field's value read from a form.
enum Actual {
    One(Literal),
    Many(Vec<String>),
}

impl Condition {
    /// Parses `src` and checks it against the form schema: fields must exist
    /// and every constant must suit its field.
    pub fn parse(src: &str, schema: &FormSchema) -> Result<Self, ConditionError> {
        super::condition_parser::parse(src, schema)
    }

    /// Decides the condition on a normalized form.
    pub fn eval(&self, form: &FormData) -> bool {
        match self {
            Self::All(parts) => parts.iter().all(|c| c.eval(form)),
            Self::Any(parts) => parts.iter().any(|c| c.eval(form)),
            Self::Not(inner) => !inner.eval(form),
            Self::Compare { field, field_type, op, value } => match read(form, field, *field_type) {
                Some(Actual::One(actual)) => compare(&actual, value).is_some_and(|o| op.holds(o)),
                Some(Actual::Many(chosen)) => {
                    let included = matches!(value, Literal::Text(t) if chosen.contains(t));
                    match op {
                        CompareOp::Eq => included,
                        CompareOp::Ne => !included,
                        _ => false,
                    }
                }
                None => false,
            },
            Self::In { field, field_type, values } => match read(form, field, *field_type) {
                Some(Actual::One(actual)) => values.iter().any(|v| compare(&actual, v).is_some_and(Ordering::is_eq)),
                Some(Actual::Many(chosen)) => {
                    values.iter().any(|v| matches!(v, Literal::Text(t) if chosen.contains(t)))
                }
                None => false,
            },
        }
    }
}

/// Reads a field as its type says; a value of the wrong shape counts as
/// missing rather than failing the whole plan.
fn read(form: &FormData, key: &str, field_type: FieldType) -> Option<Actual> {
    let value = form.get(key)?;
    let one = match field_type {
        FieldType::Number | FieldType::Money => Literal::Number(match value {
            Value::Number(n) => Decimal::from_json(n).ok()?,
            Value::String(s) => Decimal::parse(s.trim()).ok()?,
            _ => return None,
        }),
        FieldType::Text | FieldType::Textarea | FieldType::Select => Literal::Text(value.as_str()?.to_owned()),
        FieldType::Date => Literal::Date(parse_date(value.as_str()?)?),
        FieldType::Datetime => Literal::DateTime(parse_datetime(value.as_str()?)?),
        FieldType::User | FieldType::Department => Literal::Id(value.as_i64()?),
        FieldType::Boolean => Literal::Bool(value.as_bool()?),
        FieldType::Multiselect => {
            let chosen = value.as_array()?.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
            return Some(Actual::Many(chosen));
        }
    };
    Some(Actual::One(one))
}

/// Orders two constants of the same kind; different kinds never compare.
fn compare(a: &Literal, b: &Literal) -> Option<Ordering> {
    Some(match (a, b) {
        (Literal::Number(x), Literal::Number(y)) => x.cmp(y),
        (Literal::Text(x), Literal::Text(y)) => x.cmp(y),
        (Literal::Bool(x), Literal::Bool(y)) => x.cmp(y),
        (Literal::Id(x), Literal::Id(y)) => x.cmp(y),
        (Literal::Date(x), Literal::Date(y)) => x.cmp(y),
        (Literal::DateTime(x), Literal::DateTime(y)) => x.cmp(y),
        _ => return None,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use serde_json::json;

    use super::super::form::tests::field;
    use super::*;

    pub fn schema() -> FormSchema {
        let mut kind = field("type", FieldType::Select);
        kind.options = vec!["annual".into(), "sick".into(), "unpaid".into()];
        let mut tags = field("tags", FieldType::Multiselect);
        tags.options = vec!["travel".into(), "hotel".into(), "meal".into()];
        let fields = vec![
            field("amount", FieldType::Money),
            field("days", FieldType::Number),
            kind,
            tags,
            field("urgent", FieldType::Boolean),
            field("dept", FieldType::Department),
            field("boss", FieldType::User),
            field("start", FieldType::Date),
            field("at", FieldType::Datetime),
            field("title", FieldType::Text),
        ];
        FormSchema { fields }
    }

    fn holds(src: &str, form: Value) -> bool {
        let condition = Condition::parse(src, &schema()).unwrap_or_else(|e| panic!("{src}: {e}"));
        condition.eval(form.as_object().unwrap())
    }

    #[test]
    fn money_compares_exactly() {
        let form = json!({"amount": "12000.10"});
        assert!(holds("amount > 12000.09", form.clone()));
        assert!(holds("amount == 12000.1", form.clone()));
        assert!(!holds("amount > 12000.1", form.clone()));
        assert!(holds("amount >= 12000.10", form.clone()));
        assert!(holds("amount < 12000.100000000000000001", form.clone()));
        assert!(holds("amount <= 12000.1 and amount != 0", form));
        assert!(holds("amount > -1", json!({"amount": "0.00"})));
    }

    #[test]
    fn each_operator_on_each_kind() {
        let form = json!({
            "days": 3, "type": "sick", "urgent": false, "dept": 12, "boss": 7,
            "start": "2026-03-31", "at": "2026-03-31T01:00:00Z", "title": "Trip", "tags": ["hotel", "meal"],
        });
        let cases = [
            ("days >= 3 and type in (\"annual\", \"sick\")", true),
            ("days > 3", false),
            ("days < 3.5", true),
            ("days <= 2", false),
            ("not (urgent == true) or dept == 12", true),
            ("urgent", false),
            ("not urgent", true),
            ("urgent != true", true),
            ("dept in (1, 2)", false),
            ("boss == 7", true),
            ("start > \"2026-03-30\" and start < \"2026-04-01\"", true),
            ("at >= \"2026-03-31T09:00:00+08:00\"", true),
            ("at > \"2026-03-31T09:00:00+08:00\"", false),
            ("title == \"Trip\" and title != \"Other\"", true),
            ("tags == \"hotel\"", true),
            ("tags != \"travel\"", true),
            ("tags in (\"travel\", \"meal\")", true),
            ("tags in (\"travel\")", false),
            ("type not in (\"annual\")", true),
            ("days == 1 or days == 2 or days == 3", true),
            ("(days == 1 or days == 3) and not (type == \"annual\")", true),
            ("days == 3 and type == \"annual\" or urgent == false", true),
            ("days == 3 and (type == \"annual\" or urgent == true)", false),
        ];
        for (src, expected) in cases {
            assert_eq!(holds(src, form.clone()), expected, "{src}");
        }
    }

    #[test]
    fn a_missing_field_makes_its_comparison_false() {
        assert!(!holds("amount > 0", json!({})));
        assert!(!holds("amount != 5", json!({})));
        assert!(holds("not (amount > 0)", json!({})));
        assert!(!holds("type in (\"sick\")", json!({})));
        assert!(!holds("tags != \"meal\"", json!({})));
        assert!(holds("amount > 0 or days == 1", json!({"days": 1})));
    }

    #[test]
    fn error_display_names_the_offset() {
        let error = Condition::parse("amout > 1", &schema()).unwrap_err();
        assert_eq!(error.to_string(), "unknown field \"amout\" at 0");
    }
}
