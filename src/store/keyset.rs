//! Keyset pagination over an increasing id: a page is "up to N rows after
//! (or before) this id" in the list's order, oldest first or newest first.
//! Stable under inserts, cheap at any depth, and the shape Relay
//! connections need.

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
    /// The list runs from the highest id down (ticket lists people read).
    pub newest_first: bool,
}

impl Keyset {
    /// The same slice of the list in newest-first order.
    pub fn newest_first(self, yes: bool) -> Self {
        Self { newest_first: yes, ..self }
    }
}

/// A page of rows in the list's order, and whether more lie beyond it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_more: bool,
}

/// Applies the keyset to a select ordered by `id`.
pub fn apply<E: EntityTrait>(select: Select<E>, id: E::Column, keyset: &Keyset) -> Select<E> {
    let mut select = select;
    // "After" a cursor is further along the list: higher ids oldest
    // first, lower ids newest first.
    let (later, earlier) = (keyset.after, keyset.before);
    if let Some(after) = later {
        select = select.filter(if keyset.newest_first { id.lt(after) } else { id.gt(after) });
    }
    if let Some(before) = earlier {
        select = select.filter(if keyset.newest_first { id.gt(before) } else { id.lt(before) });
    }
    let descending = keyset.backward != keyset.newest_first;
    let select = if descending { select.order_by_desc(id) } else { select.order_by_asc(id) };
    select.limit(keyset.limit + 1)
}

/// One page of a list that is the union of several keyset-paged selects,
/// each read through its own index: an `OR` over two indexed columns with
/// `ORDER BY id` makes the planner walk the primary key instead, which
/// costs in proportion to the whole table. Every part is read to the
/// page's size, then merged in order.
pub async fn union<E, C>(
    db: &C,
    parts: Vec<Select<E>>,
    id: E::Column,
    key: impl Fn(&E::Model) -> i64,
    keyset: &Keyset,
) -> Result<Page<E::Model>, sea_orm::DbErr>
where
    E: EntityTrait,
    C: sea_orm::ConnectionTrait,
{
    let mut rows: Vec<E::Model> = Vec::new();
    for part in parts {
        rows.extend(apply(part, id, keyset).all(db).await?);
    }
    // The order `apply` read in: descending when paging backward through an
    // oldest-first list or forward through a newest-first one.
    let descending = keyset.backward != keyset.newest_first;
    rows.sort_by_key(|row| if descending { -key(row) } else { key(row) });
    rows.dedup_by_key(|row| key(row));
    rows.truncate(keyset.limit as usize + 1);
    Ok(finish(rows, keyset))
}

/// Cuts the extra row off and restores the list's order.
pub fn finish<T>(mut rows: Vec<T>, keyset: &Keyset) -> Page<T> {
    let has_more = rows.len() as u64 > keyset.limit;
    rows.truncate(keyset.limit as usize);
    if keyset.backward {
        rows.reverse();
    }
    Page { rows, has_more }
}
