//! Input handling shared by the use cases: ids as clients send them, patches, references
//! that must name an active record, and field issues gathered so that one
//! response lists every problem at once.

use crate::{
    domain::{access::SystemRole, text},
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

/// The longest search string: a search is a few words, and a long pattern
/// only costs the database work.
pub const SEARCH_MAX_CHARS: usize = 100;

/// A search string as the store takes it: trimmed, blank meaning none,
/// bounded and free of control characters (a NUL would otherwise match
/// everything on some databases).
pub fn search(raw: Option<String>) -> Result<Option<String>> {
    let Some(s) = raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if s.chars().count() > SEARCH_MAX_CHARS {
        let message = format!("a search has at most {SEARCH_MAX_CHARS} characters");
        return Err(Error::invalid_field("invalid_search", "search", message));
    }
    text::check_line(s)
        .map_err(|p| Error::invalid_field("invalid_search", "search", format!("the search {}", p.describe())))?;
    Ok(Some(s.to_string()))
}

/// Free text a person wrote (a title, a comment, a reason), checked by the
/// one rule in [`text`]; `code` is the field's own error code.
pub fn free_text(field: &str, code: &'static str, raw: &str, multiline: bool) -> Result<()> {
    let checked = if multiline { text::check_block(raw) } else { text::check_line(raw) };
    checked.map_err(|p| Error::invalid_field(code, field, format!("{field} {}", p.describe())))
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

/// An active person who may hold approval items (a proxy, a transfer's or
/// an added approver's target); bots may not, see `OrgSnapshot::may_hold_items`.
pub async fn approver(store: &Store, field: &str, id: &str) -> Result<i64> {
    let id = active_user(store, field, id).await?;
    let roles = store.role_codes_of(&[id]).await?;
    if roles.get(&id).is_some_and(|codes| codes.iter().any(|c| c == SystemRole::Bot.code())) {
        return Err(bot_cannot_approve(field));
    }
    Ok(id)
}

pub fn bot_cannot_approve(field: &str) -> Error {
    Error::invalid_field("bot_cannot_approve", field, "a bot cannot hold approval items")
}

pub async fn active_user(store: &Store, field: &str, id: &str) -> Result<i64> {
    let id = parse_id(field, id)?;
    match store.user(id).await? {
        Some(u) if u.active => Ok(id),
        _ => Err(unknown(field, "user")),
    }
}
