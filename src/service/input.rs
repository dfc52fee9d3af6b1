//! Input handling shared by the use cases: ids as clients send them, patches, references
//! that must name an active record, and field issues gathered so that one
//! response lists every problem at once.

use crate::{
    error::{Error, FieldIssue, Result},
    store::Store,
};

/// An id as the client sent it (the API's ids are strings). Use cases parse
/// it themselves, so a bad one is reported with the request's other field
/// problems.
pub type RawId = String;

/// A change to a nullable field: absent keeps it, `null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

/// Parses a client's id into a database id, naming the field when it is not one.
pub fn parse_id(field: &str, id: &str) -> Result<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| Error::invalid_field("invalid_id", field, format!("{id:?} is not an id")))
}

/// Collects input problems so one response lists them all. A single
/// problem keeps its own code (`manager_cycle`); several become
/// `invalid_input` with every field listed.
#[derive(Default)]
pub struct Issues(Vec<Error>);

impl Issues {
    pub fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    pub fn finish(mut self) -> Result<()> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => {
                let mut fields = Vec::new();
                for err in self.0 {
                    match err {
                        Error::Invalid { fields: f, .. } if !f.is_empty() => fields.extend(f),
                        other => fields.push(FieldIssue::new("", other.code(), other.to_string())),
                    }
                }
                Err(Error::invalid_fields(fields))
            }
        }
    }
}

/// A field that [`Issues::finish`] vouched for: parsed, so present. A
/// missing one is a bug in the use case, reported as an internal error
/// rather than a panic.
pub fn checked<T>(value: Option<T>) -> Result<T> {
    value.ok_or_else(|| Error::internal(anyhow::anyhow!("a field that passed its checks is missing")))
}

pub fn unknown(field: &str, what: &str) -> Error {
    Error::invalid_field("invalid_reference", field, format!("no active {what} has this id"))
}

pub async fn active_department(store: &Store, field: &str, id: &str) -> Result<i64> {
    let id = parse_id(field, id)?;
    match store.department(id).await? {
        Some(d) if d.active => Ok(id),
        _ => Err(unknown(field, "department")),
    }
}

pub async fn active_user(store: &Store, field: &str, id: &str) -> Result<i64> {
    let id = parse_id(field, id)?;
    match store.user(id).await? {
        Some(u) if u.active => Ok(id),
        _ => Err(unknown(field, "user")),
    }
}
