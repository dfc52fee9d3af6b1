//! Input handling shared by the use cases: ids from GraphQL, references
//! that must name an active record, and field issues gathered so that one
//! response lists every problem at once.

use async_graphql::ID;

use crate::{
    error::{Error, FieldIssue, Result},
    store::Store,
};

/// Parses a GraphQL id into a database id, naming the field when it is not one.
pub fn parse_id(field: &str, id: &ID) -> Result<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| Error::invalid_field("invalid_id", field, format!("{:?} is not an id", id.as_str())))
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

pub fn unknown(field: &str, what: &str) -> Error {
    Error::invalid_field("invalid_reference", field, format!("no active {what} has this id"))
}

pub async fn active_department(store: &Store, field: &str, id: &ID) -> Result<i64> {
    let id = parse_id(field, id)?;
    match store.department(id).await? {
        Some(d) if d.active => Ok(id),
        _ => Err(unknown(field, "department")),
    }
}

pub async fn active_user(store: &Store, field: &str, id: &ID) -> Result<i64> {
    let id = parse_id(field, id)?;
    match store.user(id).await? {
        Some(u) if u.active => Ok(id),
        _ => Err(unknown(field, "user")),
    }
}
