//! The `history` table (R-FU-6): appended inside every write, read per record.

use rusqlite::{Connection, params};

use super::{Audit, Result, Store};
use crate::domain::{Action, Change, Entity, HistoryEntry};

pub(super) fn append(
    conn: &Connection,
    audit: &Audit,
    entity: Entity,
    entity_id: i64,
    action: Action,
    changes: &[Change],
    reason: Option<&str>,
) -> Result<()> {
    let changes = serde_json::to_string(changes).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "INSERT INTO history (at, user_id, user_name, entity, entity_id, action, changes, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        audit.at,
        audit.user_id,
        audit.user_name,
        entity.code(),
        entity_id,
        action.code(),
        changes,
        reason.filter(|r| !r.trim().is_empty()),
    ])?;
    Ok(())
}

impl Store {
    /// Every change to one record, oldest first.
    pub fn history_of(&self, entity: Entity, entity_id: i64) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, user_name, entity, entity_id, action, changes, reason FROM history
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![entity.code(), entity_id], |r| {
            let changes: String = r.get(5)?;
            Ok(HistoryEntry {
                at: r.get(0)?,
                user_name: r.get(1)?,
                entity: Entity::from_code(&r.get::<_, String>(2)?).unwrap_or(entity),
                entity_id: r.get(3)?,
                action: Action::from_code(&r.get::<_, String>(4)?).unwrap_or(Action::Update),
                changes: serde_json::from_str(&changes).unwrap_or_default(),
                reason: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
