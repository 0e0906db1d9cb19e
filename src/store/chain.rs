//! Tamper evidence for the change history (R-FU-6, issue 20): a file on a
//! clerk's PC cannot be made tamper-proof, but a change made with another
//! SQLite tool can be made to show.
//!
//! - **The chain.** Each history row carries `hash` = BLAKE2b-256 of the
//!   previous row's hash and the row's own values (id, time, who, record,
//!   action, changes, reason), as an accounting journal links its entries:
//!   a history row changed, removed or slipped in breaks the chain at that
//!   row, or at the next one.
//! - **The seals.** A business row may be changed by HomeDesk, so a trigger
//!   cannot refuse its UPDATE; instead the newest history row of each
//!   record carries `seal` = BLAKE2b-256 of the row's own link and the
//!   digest of its record as the write left it (with the rows that belong to
//!   it: a job's steps counted, an agreement's staff, a plan's households).
//!   The link binds the seal to that change: a record changed outside
//!   HomeDesk no longer matches its seal, a record deleted has none, and a
//!   seal cannot be moved to another change. Every write seals its records
//!   at once; a bulk load (the demo office), whose records change many
//!   times, seals only each record's newest row, once, at its end.
//!
//! Values are encoded compactly and canonically (a type byte, then the
//! 8-byte integer or float, or the 4-byte length and the bytes), so the same values give the
//! same digest on any PC and any build. The digests are not keyed: someone
//! who knows this scheme can rebuild the whole chain, which is what the
//! README says this does not protect against.

use std::collections::HashMap;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};

use super::Result;
use super::sql::{Sql, SqlExt, Value, Values};

/// A BLAKE2b-256 digest.
pub(super) type Hash = [u8; 32];

/// The hash before the first history row.
pub(super) const GENESIS: Hash = [0; 32];

/// A record kind whose rows are sealed: its table, the entity code its
/// history rows carry, and the query of the rows that belong to it.
pub(super) struct Sealed {
    pub table: &'static str,
    pub entity: &'static str,
    row: &'static str,
    children: Option<&'static str>,
}

macro_rules! sealed {
    ($table:literal, $entity:literal) => {
        sealed!($table, $entity, None)
    };
    ($table:literal, $entity:literal, $children:expr) => {
        Sealed {
            table: $table,
            entity: $entity,
            row: concat!("SELECT * FROM ", $table, " WHERE id = ?1"),
            children: $children,
        }
    };
}

/// Every table with a history of its own. A job's steps are sealed with
/// their row by their number, counted on the `(request_id, kind)` index
/// alone in the row's own statement (each step of a job seals the row, so
/// this is the seal the most often made; the steps' contents are refused
/// any UPDATE by trigger); an agreement's staff are replaced when its terms
/// change, and a plan's households superseded when it is redrawn, so they
/// are part of its seal.
pub(super) const SEALED: &[Sealed] = &[
    Sealed {
        table: "requests",
        entity: "request",
        row: "SELECT (SELECT count(*) FROM job_steps WHERE request_id = ?1), * FROM requests WHERE id = ?1",
        children: None,
    },
    sealed!("refusals", "refusal"),
    sealed!("households", "household"),
    sealed!("residents", "resident"),
    sealed!("staff", "staff"),
    sealed!("price_items", "price_item"),
    sealed!("office", "office"),
    sealed!("step_reasons", "step_reason"),
    sealed!("message_slips", "slip"),
    sealed!("day_reviews", "day_review"),
    sealed!("repair_handovers", "repair_handover"),
    sealed!("cash_receipts", "cash_receipt"),
    sealed!(
        "agreements",
        "agreement",
        Some(
            "SELECT staff_id, position FROM agreement_staff WHERE agreement_id = ?1 ORDER BY position, staff_id"
        )
    ),
    sealed!("agreement_amendments", "amendment"),
    sealed!("shopping_entries", "shopping"),
    sealed!("shopping_investigations", "investigation"),
    sealed!(
        "revisit_plans",
        "revisit_plan",
        Some("SELECT * FROM plan_households WHERE plan_id = ?1 ORDER BY id")
    ),
    sealed!("revisits", "revisit"),
    sealed!("complaints", "complaint"),
    sealed!("monthly_reports", "monthly_report"),
];

pub(super) fn sealed_kind(entity: &str) -> Option<&'static Sealed> {
    SEALED.iter().find(|s| s.entity == entity)
}

/// Ends a row's values in a seal (the values' tags are 0 to 4).
const ROW_END: u8 = 5;

/// Canonical bytes of values, hashed at once.
#[derive(Default)]
struct Encoder(Vec<u8>);

impl Encoder {
    fn value(&mut self, value: ValueRef<'_>) {
        let bytes = |out: &mut Vec<u8>, tag: u8, b: &[u8]| {
            out.push(tag);
            // SQLite holds at most 1 GB in a value: four bytes of length.
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        };
        match value {
            ValueRef::Null => self.0.push(0),
            ValueRef::Integer(i) => {
                self.0.push(1);
                self.0.extend_from_slice(&i.to_le_bytes());
            }
            ValueRef::Real(f) => {
                self.0.push(2);
                self.0.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => bytes(&mut self.0, 3, t),
            ValueRef::Blob(b) => bytes(&mut self.0, 4, b),
        }
    }

    /// A row's values with its trailing NULLs left out, so that a column
    /// added later with no default does not change the seals of old rows
    /// (what a seal adds to a row comes first); then an end mark (no
    /// value's tag).
    fn row(&mut self, row: &Values) {
        let mut end = self.0.len();
        for value in row.iter() {
            let value = value.as_value_ref();
            self.value(value);
            if value != ValueRef::Null {
                end = self.0.len();
            }
        }
        self.0.truncate(end);
        self.0.push(ROW_END);
    }

    fn digest(&self) -> Hash {
        Blake2b::<U32>::digest(&self.0).into()
    }
}

/// The link of one history row: its values (in column order, `hash` left
/// out) hashed after the previous row's hash.
pub(super) fn link<'a>(prev: &Hash, values: impl IntoIterator<Item = ValueRef<'a>>) -> Hash {
    let mut enc = Encoder::default();
    enc.0.extend_from_slice(prev);
    for value in values {
        enc.value(value);
    }
    enc.digest()
}

/// The digest of record `id` of `kind` as it stands, with its dependent
/// rows; `None` when the row is not there. Each backend's values as it
/// keeps them (a server's seals are its own: its rows are read back as the
/// same integers, texts and bytes, in its own column order).
pub(super) fn record_digest(conn: &dyn Sql, kind: &Sealed, id: i64) -> Result<Option<Hash>> {
    let mut enc = Encoder::default();
    enc.value(ValueRef::Text(kind.entity.as_bytes()));
    let params = [Value::Int(id)];
    let Some(row) = conn.query(kind.row, &params)?.into_iter().next() else {
        return Ok(None);
    };
    enc.row(&row);
    if let Some(children) = kind.children {
        for row in conn.query(children, &params)? {
            enc.row(&row);
        }
    }
    Ok(Some(enc.digest()))
}

/// The seal of a history row: its link and its record's digest.
pub(super) fn seal(link: &Hash, digest: &Hash) -> Hash {
    let mut both = [0; 64];
    both[..32].copy_from_slice(link);
    both[32..].copy_from_slice(digest);
    Blake2b::<U32>::digest(both).into()
}

/// The seals of one write's history rows: each record's digest is read
/// once (a write changes a record or two: a list is quicker than a map).
#[derive(Default)]
pub(super) struct Seals(Vec<(&'static str, i64, Option<Hash>)>);

impl Seals {
    pub fn of(&mut self, conn: &dyn Sql, entity: &'static str, id: i64, link: &Hash) -> Result<Value> {
        let known = self.0.iter().find(|(e, i, _)| *e == entity && *i == id).map(|(_, _, digest)| *digest);
        let digest = match known {
            Some(digest) => digest,
            None => {
                let digest = match sealed_kind(entity) {
                    Some(kind) => record_digest(conn, kind, id)?,
                    None => None,
                };
                self.0.push((entity, id, digest));
                digest
            }
        };
        Ok(digest.map_or(Value::Null, |d| Value::Blob(seal(link, &d).to_vec())))
    }
}

/// The chain through a bulk load, where nobody else writes: its last link,
/// carried from one write to the next instead of read back, and the newest
/// history row (id, link) of each record, sealed at the load's end.
#[derive(Default)]
pub(super) struct Bulk {
    pub head: Option<(i64, Hash)>,
    pub newest: HashMap<(&'static str, i64), (i64, Hash)>,
    /// The history's search indexes, built on a worker thread as the load
    /// goes (`store/aside.rs`), when the load asked for it.
    pub aside: Option<super::aside::AsideIndex>,
}

/// Seals the newest history rows a bulk load wrote.
pub(super) fn seal_bulk(conn: &Connection, newest: HashMap<(&'static str, i64), (i64, Hash)>) -> Result<()> {
    if newest.is_empty() {
        return Ok(());
    }
    with_history_writable(conn, || {
        let mut update = conn.prepare("UPDATE history SET seal = ?2 WHERE id = ?1")?;
        for ((entity, record), (history_id, link)) in newest {
            let Some(kind) = sealed_kind(entity) else { continue };
            if let Some(digest) = record_digest(conn, kind, record)? {
                update.execute(rusqlite::params![history_id, seal(&link, &digest).to_vec()])?;
            }
        }
        Ok(())
    })
}

/// Seals the newest history row of every record again, as the record now
/// stands: for migration 17, and for a later migration that changes what
/// a sealed table's rows hold (a column added with a non-NULL default) —
/// in its step of `RUST_STEPS`, after its SQL.
pub(super) fn reseal_newest(conn: &Connection) -> Result<()> {
    with_history_writable(conn, || {
        let mut update = conn.prepare("UPDATE history SET seal = ?2 WHERE id = ?1")?;
        for kind in SEALED {
            let newest: Vec<(i64, i64, Option<Vec<u8>>)> = {
                let mut stmt = conn.prepare(
                    "SELECT entity_id, max(id), hash FROM history WHERE entity = ?1 GROUP BY entity_id",
                )?;
                let rows = stmt.query_map([kind.entity], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for (record, history_id, hash) in newest {
                let link: Hash = hash.and_then(|h| h.try_into().ok()).unwrap_or(GENESIS);
                if let Some(digest) = record_digest(conn, kind, record)? {
                    update.execute(rusqlite::params![history_id, seal(&link, &digest).to_vec()])?;
                }
            }
        }
        Ok(())
    })
}

/// Runs `write` on history rows: the trigger that refuses changing them
/// (migration 17) steps aside for it and is made again as it was.
fn with_history_writable(conn: &Connection, write: impl FnOnce() -> Result<()>) -> Result<()> {
    let trigger: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'history_unchanged'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if trigger.is_some() {
        conn.execute_batch("DROP TRIGGER history_unchanged")?;
    }
    write()?;
    if let Some(sql) = trigger {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}

/// The last history row's id and hash, where the next row links on.
pub(super) fn head(conn: &dyn Sql) -> Result<(i64, Hash)> {
    let last = conn.fetch_opt("SELECT id, hash FROM history ORDER BY id DESC LIMIT 1", &[], |r| {
        Ok((r.get::<i64>(0)?, r.get::<Option<Vec<u8>>>(1)?))
    })?;
    Ok(match last {
        None => (0, GENESIS),
        Some((id, hash)) => (id, hash.and_then(|h| h.try_into().ok()).unwrap_or(GENESIS)),
    })
}

/// The history columns a link covers, in order.
pub(super) const LINKED_COLUMNS: &str =
    "id, at, user_id, user_name, entity, entity_id, action, changes, reason";

/// How many columns [`LINKED_COLUMNS`] names.
pub(super) const LINKED_COUNT: usize = 9;

/// Migration 17: links every history row, oldest first, then seals the
/// newest history row of every record that has one. Runs before the
/// triggers that make history unchangeable.
pub(super) fn seal_and_link_existing(conn: &Connection) -> Result<()> {
    // In batches, so that the rows being read are not the ones being written.
    let mut select =
        conn.prepare(&format!("SELECT {LINKED_COLUMNS} FROM history WHERE id > ?1 ORDER BY id LIMIT 10000"))?;
    let mut update = conn.prepare("UPDATE history SET hash = ?2 WHERE id = ?1")?;
    let (mut after, mut prev) = (i64::MIN, GENESIS);
    loop {
        let mut links = Vec::new();
        let mut rows = select.query([after])?;
        while let Some(row) = rows.next()? {
            let values = (0..LINKED_COUNT).map(|i| row.get_ref(i)).collect::<rusqlite::Result<Vec<_>>>()?;
            prev = link(&prev, values);
            links.push((row.get::<_, i64>(0)?, prev));
        }
        let Some(&(last, _)) = links.last() else { break };
        for (id, hash) in links {
            update.execute(rusqlite::params![id, hash.to_vec()])?;
        }
        after = last;
    }
    reseal_newest(conn)
}
