//! Relay-style connections: `first`/`after` and `last`/`before` arguments
//! turned into a keyset over ids, and a page turned back into edges.

use async_graphql::{
    OutputType,
    connection::{Connection, Edge},
};

use crate::{
    error::{Error, Result},
    store::keyset::{Keyset, Page},
};

/// Paging arguments as a client sent them.
#[derive(Debug, Default, Clone)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// The page size when the client names none.
pub const DEFAULT_PAGE: u64 = 20;

fn cursor(field: &str, raw: &str) -> Result<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| Error::invalid_field("invalid_cursor", field, "this cursor did not come from this list"))
}

impl PageArgs {
    pub fn new(first: Option<i32>, after: Option<String>, last: Option<i32>, before: Option<String>) -> Self {
        Self { first, after, last, before }
    }

    /// Checks the arguments the way the Relay spec asks, within `max`.
    pub fn keyset(&self, max: usize) -> Result<Keyset> {
        if self.first.is_some() && self.last.is_some() {
            return Err(Error::invalid("invalid_paging", "pass first or last, not both"));
        }
        let (field, size) = match (self.first, self.last) {
            (Some(n), _) => ("first", n),
            (_, Some(n)) => ("last", n),
            _ => ("first", DEFAULT_PAGE as i32),
        };
        if size < 0 {
            return Err(Error::invalid_field("invalid_paging", field, "a page size cannot be negative"));
        }
        if size as usize > max {
            return Err(Error::invalid_field("page_too_large", field, format!("a page holds at most {max} items")));
        }
        Ok(Keyset {
            after: self.after.as_deref().map(|a| cursor("after", a)).transpose()?,
            before: self.before.as_deref().map(|b| cursor("before", b)).transpose()?,
            limit: size as u64,
            backward: self.last.is_some(),
            newest_first: false,
        })
    }
}

/// Builds the connection from a page; `id` gives each node's cursor.
pub fn connection<T, N: OutputType>(
    keyset: &Keyset,
    page: Page<T>,
    id: impl Fn(&T) -> i64,
    node: impl Fn(T) -> N,
) -> Connection<String, N> {
    let (has_previous, has_next) = if keyset.backward {
        (page.has_more, keyset.before.is_some())
    } else {
        (keyset.after.is_some(), page.has_more)
    };
    let mut conn = Connection::new(has_previous, has_next);
    conn.edges.extend(page.rows.into_iter().map(|row| Edge::new(id(&row).to_string(), node(row))));
    conn
}
