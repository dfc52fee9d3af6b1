//! Keyset pagination over an increasing id: a page is "up to N rows after
//! (or before) this id". Stable under inserts, cheap at any depth, and the
//! shape Relay connections need.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

/// Which slice of a list to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyset {
    /// Exclusive lower bound (forward paging).
    pub after: Option<i64>,
    /// Exclusive upper bound (backward paging).
    pub before: Option<i64>,
    /// Rows wanted; one more is fetched to learn whether more exist.
    pub limit: u64,
    /// Read from the end backwards (Relay `last`).
    pub backward: bool,
}

/// A page of rows in ascending id order, and whether more lie beyond it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_more: bool,
}

/// Applies the keyset to a select ordered by `id`.
pub fn apply<E: EntityTrait>(select: Select<E>, id: E::Column, keyset: &Keyset) -> Select<E> {
    let mut select = select;
    if let Some(after) = keyset.after {
        select = select.filter(id.gt(after));
    }
    if let Some(before) = keyset.before {
        select = select.filter(id.lt(before));
    }
    let select = if keyset.backward { select.order_by_desc(id) } else { select.order_by_asc(id) };
    select.limit(keyset.limit + 1)
}

/// Cuts the extra row off and restores ascending order.
pub fn finish<T>(mut rows: Vec<T>, keyset: &Keyset) -> Page<T> {
    let has_more = rows.len() as u64 > keyset.limit;
    rows.truncate(keyset.limit as usize);
    if keyset.backward {
        rows.reverse();
    }
    Page { rows, has_more }
}
