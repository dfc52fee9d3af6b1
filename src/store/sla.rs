//! SLA bookkeeping: pending items past a threshold that have not had a
//! given firing yet, and the firings themselves — one row per item and
//! kind, so whichever node inserts it first is the one that fires.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{Store, entity::ticket_item, tickets::TicketItem};
use crate::error::Result;

impl Store {
    /// Pending items due at or before `threshold` without the firing `kind`,
    /// soonest due first.
    pub async fn items_due_for(&self, kind: &str, threshold: DateTime<Utc>, limit: u64) -> Result<Vec<TicketItem>> {
        let sql = "SELECT * FROM ticket_items i WHERE i.status = 'pending' AND i.due_at IS NOT NULL \
                   AND i.due_at <= $1 AND NOT EXISTS \
                   (SELECT 1 FROM sla_firings f WHERE f.item_id = i.id AND f.kind = $2) \
                   ORDER BY i.due_at, i.id LIMIT $3";
        let statement = self.statement(sql, [threshold.into(), kind.into(), (limit as i64).into()]);
        Ok(ticket_item::Entity::find().from_raw_sql(statement).all(&self.db).await?)
    }

    /// Records firing `kind` of item `item_id`; false when some node already did.
    pub async fn claim_firing(&self, item_id: i64, kind: &str, now: DateTime<Utc>) -> Result<bool> {
        let sql = "INSERT INTO sla_firings (item_id, kind, fired_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        let statement = self.statement(sql, [item_id.into(), kind.into(), now.into()]);
        let _guard = self.write_guard().await;
        Ok(self.db.execute_raw(statement).await?.rows_affected() == 1)
    }
}
