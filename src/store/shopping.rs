//! The shopping log (migration 7, R-SH-1..6): entries numbered in the very
//! statement that inserts them, so no crash, refused form or second desk
//! can leave a gap or a duplicate; the state changes, with history; and the
//! findings of 飞单 investigations. On the shared query layer
//! (`store/sql.rs`): on the server the serial stays gap-free because every
//! write holds the office's lock (`WriteTx`), as `BEGIN IMMEDIATE` does on SQLite.

use chrono::{NaiveDate, NaiveDateTime};

use super::sql::{Dialect, Row, Sql, SqlError, SqlExt, ids_in_json, json_ids};
use super::{RequestPage, Result, Store, WriteTx};
use crate::domain::history::{created, diff};
use crate::domain::{
    Action, Concern, Entity, Investigation, Money, Purchase, ShoppingEntry, ShoppingId, ShoppingState,
    ShoppingStep, StaffId, ValidShopping,
};
use crate::sql_params;

const SELECT_SHOPPING: &str = "SELECT id, no, state, room, resident_name, item, brand, kind, quantity, unit, spec,
    unit_price_fen, expected_total_fen, deadline, taken_by, taken_at, buyer, invoice_no, actual_fen, bought_on,
    delivered_on, settled_at, not_bought_reason, told_at, void_reason, void_by, void_at FROM shopping_entries";

fn shopping_from_row(r: &Row) -> Result<ShoppingEntry, SqlError> {
    let money =
        |i: usize| -> Result<Money, SqlError> { Ok(Money::from_fen(r.get(i)?).unwrap_or(Money::ZERO)) };
    let text = |i: usize| -> Result<Option<String>, SqlError> { r.get(i) };
    let purchase = match (text(16)?, text(17)?, r.get::<Option<i64>>(18)?, r.get::<Option<NaiveDate>>(19)?) {
        (Some(buyer), Some(invoice_no), Some(actual), Some(bought_on)) => Some(Purchase {
            buyer,
            invoice_no,
            actual: Money::from_fen(actual).unwrap_or(Money::ZERO),
            bought_on,
        }),
        _ => None,
    };
    let void = match (text(24)?, text(25)?, r.get::<Option<NaiveDateTime>>(26)?) {
        (Some(reason), Some(by), Some(at)) => Some((reason, by, at)),
        _ => None,
    };
    Ok(ShoppingEntry {
        id: r.get(0)?,
        no: r.get(1)?,
        state: ShoppingState::from_code(&r.get::<String>(2)?).unwrap_or(ShoppingState::Recorded),
        room: r.get(3)?,
        resident_name: r.get(4)?,
        item: r.get(5)?,
        brand: r.get(6)?,
        kind: r.get(7)?,
        quantity: r.get(8)?,
        unit: r.get(9)?,
        spec: r.get(10)?,
        unit_price: money(11)?,
        expected_total: money(12)?,
        deadline: r.get(13)?,
        taken_by: r.get(14)?,
        taken_at: r.get(15)?,
        purchase,
        delivered_on: r.get(20)?,
        settled_at: r.get(21)?,
        not_bought: text(22)?.zip(r.get::<Option<NaiveDateTime>>(23)?),
        void,
    })
}

/// The fields of an entry as history shows them.
fn entry_fields(e: &ShoppingEntry) -> Vec<(&'static str, String)> {
    let opt = |o: Option<String>| o.unwrap_or_default();
    vec![
        ("no", e.no.to_string()),
        ("shopping_state", e.state.code().to_string()),
        ("room", e.room.clone()),
        ("resident_name", e.resident_name.clone()),
        ("item", format!("{} {} {} {}", e.item, e.brand, e.kind, e.spec)),
        ("quantity", format!("{}{}", e.quantity, e.unit)),
        ("price", e.unit_price.to_string()),
        ("deadline", e.deadline.to_string()),
        (
            "purchase",
            opt(e
                .purchase
                .as_ref()
                .map(|p| format!("{} {} {} {}", p.buyer, p.invoice_no, p.actual, p.bought_on))),
        ),
        ("delivered_on", opt(e.delivered_on.map(|d| d.to_string()))),
        ("settled_at", opt(e.settled_at.map(|d| d.format("%Y-%m-%d %H:%M").to_string()))),
        (
            "not_bought",
            opt(e.not_bought.as_ref().map(|(r, at)| format!("{r} {}", at.format("%Y-%m-%d %H:%M")))),
        ),
        ("void", opt(e.void.as_ref().map(|(r, by, _)| format!("{r}（{by}）")))),
    ]
}

/// What the log table is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShoppingQuery {
    /// Matches number, room, resident, item, brand.
    pub text: String,
    pub state: Option<ShoppingState>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub buyer: String,
}

fn last_shopping_no(conn: &dyn Sql) -> Result<i64> {
    Ok(conn.fetch_value("SELECT coalesce(max(no), 0) FROM shopping_entries", &[])?)
}

/// Entries a search may find and still be read by id from its keys at
/// once (on ten years, 1 220 found took 2–12 ms under load); past it, its
/// first page is walked in the log's order ([`Store::shopping_first_ids`]).
const FEW_ENTRIES: usize = 1000;

/// How a server compares `typed` with a field: `ILIKE` when it holds an
/// ASCII letter, as SQLite's `LIKE` ignores the case of those; else `LIKE`,
/// which finds the same (digits and Chinese have no case) three to four
/// times as fast. A file's `LIKE` always.
fn like_op(dialect: Dialect, typed: &str) -> &'static str {
    match dialect {
        Dialect::Postgres if typed.chars().any(|c| c.is_ascii_alphabetic()) => "ILIKE",
        _ => "LIKE",
    }
}

fn get_shopping(conn: &dyn Sql, id: ShoppingId) -> Result<ShoppingEntry> {
    Ok(conn.fetch_one(&format!("{SELECT_SHOPPING} WHERE id = ?1"), &sql_params![id], shopping_from_row)?)
}

impl Store {
    pub fn get_shopping(&self, id: ShoppingId) -> Result<ShoppingEntry> {
        get_shopping(&self.conn, id)
    }

    /// The entry numbered `no`, if any.
    pub fn shopping_by_no(&self, no: i64) -> Result<Option<ShoppingEntry>> {
        Ok(self.conn.fetch_opt(
            &format!("{SELECT_SHOPPING} WHERE no = ?1"),
            &sql_params![no],
            shopping_from_row,
        )?)
    }

    /// Entries matching `q`, newest number first.
    pub fn list_shopping(&self, q: &ShoppingQuery) -> Result<Vec<ShoppingEntry>> {
        let (filter, values) = self.shopping_filter(q, true)?;
        let sql = format!("{SELECT_SHOPPING} WHERE {filter} ORDER BY no DESC");
        Ok(self.conn.fetch_all(&sql, &values, shopping_from_row)?)
    }

    /// The ids of the entries matching `q`, newest number first: the log's
    /// table keeps these and reads the entries it shows by page (issue 23:
    /// ten years' 17 800 whole entries were 35 MB on the UI thread).
    pub fn shopping_ids(&self, q: &ShoppingQuery) -> Result<Vec<ShoppingId>> {
        let (filter, values) = self.shopping_filter(q, true)?;
        let sql = format!("SELECT id FROM shopping_entries WHERE {filter} ORDER BY no DESC");
        Ok(self.conn.fetch_all(&sql, &values, |r| r.get(0))?)
    }

    /// The entries of `ids`, in the order of `ids` (one page of the log).
    pub fn get_shoppings(&self, ids: &[ShoppingId]) -> Result<Vec<ShoppingEntry>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let within = ids_in_json(self.conn.dialect(), "?1");
        let sql = format!("{SELECT_SHOPPING} WHERE id IN ({within})");
        let mut rows = self.conn.fetch_all(&sql, &[json_ids(ids.iter().copied())], shopping_from_row)?;
        let place: std::collections::HashMap<ShoppingId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|e| place.get(&e.id).copied());
        Ok(rows)
    }

    /// The number of entries matching `q` that are not void, their expected
    /// and their bought amounts, summed where they are stored.
    pub fn shopping_sums(&self, q: &ShoppingQuery) -> Result<(i64, Money, Money)> {
        let (filter, mut values) = self.shopping_filter(q, true)?;
        values.push(ShoppingState::Void.code().into());
        let void = values.len();
        // A bought amount counts where the entry has a whole purchase, as
        // `shopping_from_row` reads one.
        let sql = format!(
            "SELECT count(*), CAST(coalesce(sum(expected_total_fen), 0) AS BIGINT),
                    CAST(coalesce(sum(CASE WHEN buyer IS NOT NULL AND invoice_no IS NOT NULL
                        AND bought_on IS NOT NULL THEN actual_fen END), 0) AS BIGINT)
             FROM shopping_entries WHERE ({filter}) AND state <> ?{void}"
        );
        Ok(self.conn.fetch_one(&sql, &values, |r| {
            let money = |i: usize| -> Result<Money, SqlError> {
                Ok(Money::from_fen(r.get(i)?).unwrap_or(Money::ZERO))
            };
            Ok((r.get(0)?, money(1)?, money(2)?))
        })?)
    }

    /// The condition of `q` on `shopping_entries` and its values (`?1`…);
    /// on a server with the entries narrowed to those holding the text's
    /// keys (`by_keys`: not for a walk in the log's order, which checks
    /// each entry it passes and stops at a page).
    fn shopping_filter(&self, q: &ShoppingQuery, by_keys: bool) -> Result<(String, Vec<super::sql::Value>)> {
        let text = q.text.trim();
        let like = format!("%{}%", super::requests::escape_like(text));
        let buyer = format!("%{}%", super::requests::escape_like(q.buyer.trim()));
        let from = q.from.and_then(|d| d.and_hms_opt(0, 0, 0));
        let to = q.to.and_then(|d| d.succ_opt()).and_then(|d| d.and_hms_opt(0, 0, 0));
        let dialect = self.conn.dialect();
        // The number as the log prints it.
        let number = match dialect {
            Dialect::Sqlite => "printf('%06d', no)",
            Dialect::Postgres => "zero_pad(no, 6)",
        };
        // A server narrows the entries to those holding the text's keys
        // (migration 23) before the `LIKE`s check them; a file's 17 800
        // entries of ten years are read whole within the target. One
        // character, the key itself, needs no check (`server_exact_key`):
        // on ten years, checking 17 800 entries for `1` was two thirds of
        // the whole list's time.
        let mut values = sql_params![q.state.map(|s| s.code()), from, to, buyer, like].to_vec();
        let mut by_keys_sql = String::new();
        let mut checks_text = true;
        if by_keys
            && dialect == Dialect::Postgres
            && let Some(found) = super::search::server_match(text, &super::search::SHOPPING_TERMS, None)
        {
            // Its `?`s numbered after the five above.
            let select = format!("SELECT t0.id FROM {} WHERE {}", found.from, found.condition);
            let mut pieces = select.split('?');
            let mut condition = pieces.next().unwrap_or_default().to_owned();
            for (piece, value) in pieces.zip(found.values) {
                values.push(value.into());
                condition.push_str(&format!("?{}{piece}", values.len()));
            }
            by_keys_sql = format!(" AND id IN ({condition})");
            checks_text = !super::search::server_exact_key(text);
        }
        let (text_like, buyer_like) = (like_op(dialect, text), like_op(dialect, &q.buyer));
        let text_check = if checks_text {
            format!(
                "(?5 = '%%' OR {number} {text_like} ?5 ESCAPE '\\' OR room {text_like} ?5 ESCAPE '\\'
                    OR resident_name {text_like} ?5 ESCAPE '\\' OR item {text_like} ?5 ESCAPE '\\'
                    OR brand {text_like} ?5 ESCAPE '\\')"
            )
        } else {
            // `?5` still stands in the statement: the values are numbered.
            "(CAST(?5 AS TEXT) IS NOT NULL)".to_string()
        };
        // The CASTs give the server the type of a parameter that may be NULL.
        let filter = format!(
            "(CAST(?1 AS TEXT) IS NULL OR state = ?1)
               AND (CAST(?2 AS TEXT) IS NULL OR taken_at >= ?2) AND (CAST(?3 AS TEXT) IS NULL OR taken_at < ?3)
               AND (?4 = '%%' OR coalesce(buyer, '') {buyer_like} ?4 ESCAPE '\\')
               AND {text_check}{by_keys_sql}"
        );
        Ok((filter, values))
    }

    /// The first `n` ids of the log's search, newest number first, and how
    /// many it finds, when that is quicker to know than the whole list
    /// (issue 21 item 5); `None` when [`Store::shopping_ids`] answers as
    /// quickly: an SQLite file, a filter besides the text, or a text found
    /// in at most `FEW_ENTRIES` entries (read by id from the keys).
    ///
    /// On a server, one digit found in 3 502 of 3 686 entries took 25 ms as
    /// one list, and in 17 800 of ten years' 18 400, 60–80 ms: each entry
    /// found checked with `ILIKE` and joined to the key's ids, then sorted.
    /// Its first page is instead the log walked newest number first (its
    /// `UNIQUE` index), each entry checked as the whole list checks it,
    /// stopping at `n`; its count is that of its rarest key, kept by the
    /// keys' trigger (`shopping_term_counts`, server migration 29: counting
    /// the key's ids took 34 ms on a ten-year log just copied, whose index
    /// was not yet all-visible). That count is the count when the text is
    /// one character ([`super::search::server_exact_key`]), else its bound
    /// ([`RequestPage::at_most`]) until the whole list, read after, counts
    /// it. A walk that found fewer than `n` went through the whole log: its
    /// ids are the whole answer.
    pub fn shopping_first_ids(&self, q: &ShoppingQuery, n: usize) -> Result<Option<RequestPage>> {
        self.shopping_first_ids_past(q, n, FEW_ENTRIES)
    }

    /// [`Store::shopping_first_ids`] with the number of entries past which a
    /// search is walked (for tests, which cannot write thousands).
    #[doc(hidden)]
    pub fn shopping_first_ids_past(
        &self,
        q: &ShoppingQuery,
        n: usize,
        few: usize,
    ) -> Result<Option<RequestPage>> {
        let only_text = q.state.is_none() && q.from.is_none() && q.to.is_none() && q.buyer.trim().is_empty();
        let keys = super::search::server_bound_keys(&q.text);
        if self.conn.dialect() != Dialect::Postgres || !only_text || keys.is_empty() {
            return Ok(None);
        }
        let list = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
        let most: i64 = self.conn.fetch_value(
            "SELECT coalesce(min(coalesce((SELECT n FROM shopping_term_counts c WHERE c.term = t.value), 0)), 0) \
             FROM jsonb_array_elements_text(CAST(CAST(? AS TEXT) AS jsonb)) AS t",
            &[list.into()],
        )?;
        let most = usize::try_from(most).unwrap_or(0);
        if most <= few {
            return Ok(None);
        }
        let (filter, values) = self.shopping_filter(q, false)?;
        let sql = format!("SELECT id FROM shopping_entries WHERE {filter} ORDER BY no DESC LIMIT {n}");
        let ids: Vec<ShoppingId> = self.conn.fetch_all(&sql, &values, |r| r.get(0))?;
        if ids.len() < n {
            return Ok(Some(RequestPage::whole(ids)));
        }
        Ok(Some(RequestPage { ids, total: most, at_most: !super::search::server_exact_key(&q.text) }))
    }

    /// Every number in use, ascending (for the 飞单 check).
    pub fn shopping_numbers(&self) -> Result<Vec<i64>> {
        Ok(self.conn.fetch_all("SELECT no FROM shopping_entries ORDER BY no", &[], |r| r.get(0))?)
    }

    /// The log's last number, 0 before the first entry (R-SH-6: an imported
    /// file continues it).
    pub fn last_shopping_no(&self) -> Result<i64> {
        last_shopping_no(&self.conn)
    }

    /// Entries not yet in a final state.
    pub fn open_shopping(&self) -> Result<Vec<ShoppingEntry>> {
        Ok(self.conn.fetch_all(
            &format!("{SELECT_SHOPPING} WHERE state IN ('recorded', 'bought', 'delivered') ORDER BY no"),
            &[],
            shopping_from_row,
        )?)
    }

    pub fn list_investigations(&self) -> Result<Vec<Investigation>> {
        Ok(self.conn.fetch_all(
            "SELECT no, concern, finding, by_name, at FROM shopping_investigations ORDER BY no, id",
            &[],
            |r| {
                Ok(Investigation {
                    no: r.get(0)?,
                    concern: Concern::from_code(&r.get::<String>(1)?).unwrap_or(Concern::Missing),
                    finding: r.get(2)?,
                    by: r.get(3)?,
                    at: r.get(4)?,
                })
            },
        )?)
    }
}

impl WriteTx<'_> {
    pub fn get_shopping(&mut self, id: ShoppingId) -> Result<ShoppingEntry> {
        get_shopping(&self.tx, id)
    }

    /// Writes a new entry with the next serial number, issued in the same
    /// statement (R-SH-6): a rollback gives the number back.
    pub fn insert_shopping(&mut self, v: &ValidShopping) -> Result<ShoppingEntry> {
        let (at, by, by_id) = (self.audit.at, self.audit.user_name.clone(), self.audit.user_id);
        let id = self.tx.insert_id(
            "INSERT INTO shopping_entries (no, state, room, resident_name, item, brand, kind, quantity, unit, spec,
                unit_price_fen, expected_total_fen, deadline, taken_by_id, taken_by, taken_at)
             VALUES ((SELECT coalesce(max(no), 0) + 1 FROM shopping_entries), 'recorded', ?1, ?2, ?3, ?4, ?5, ?6,
                ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             RETURNING id",
            &sql_params![
                    v.room.as_str(),
                    v.resident_name,
                    v.item,
                    v.brand,
                    v.kind,
                    v.quantity,
                    v.unit,
                    v.spec,
                    v.unit_price.fen(),
                    v.expected_total.fen(),
                    v.deadline,
                    by_id,
                    by,
                    at
                ],
        )?;
        let entry = get_shopping(&self.tx, id)?;
        self.record(Entity::Shopping, id, Action::Create, &created(&entry_fields(&entry)), None)?;
        Ok(entry)
    }

    /// The log's last number under the write lock, 0 before the first entry.
    pub fn last_shopping_no(&mut self) -> Result<i64> {
        last_shopping_no(&self.tx)
    }

    /// Writes a historical entry read from a file (issue 9) as it was — its
    /// number, state, times and later fields — with a history row giving
    /// `reason` (`导入：FILE`). The number is the file's: the caller has
    /// checked that it continues the log (R-SH-6); the UNIQUE column and the
    /// triggers still refuse one already issued.
    pub fn insert_past_shopping(
        &mut self,
        e: &ShoppingEntry,
        taken_by_id: Option<StaffId>,
        reason: &str,
    ) -> Result<ShoppingEntry> {
        let by_id = taken_by_id.or(self.audit.user_id);
        let purchase = e.purchase.as_ref();
        let void = e.void.as_ref();
        let id = self.tx.insert_id(
            "INSERT INTO shopping_entries (no, state, room, resident_name, item, brand, kind, quantity, unit, spec,
                unit_price_fen, expected_total_fen, deadline, taken_by_id, taken_by, taken_at, buyer, invoice_no,
                actual_fen, bought_on, delivered_on, settled_at, not_bought_reason, told_at, void_reason,
                void_by, void_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)
             RETURNING id",
            &sql_params![
                    e.no,
                    e.state.code(),
                    e.room,
                    e.resident_name,
                    e.item,
                    e.brand,
                    e.kind,
                    e.quantity,
                    e.unit,
                    e.spec,
                    e.unit_price.fen(),
                    e.expected_total.fen(),
                    e.deadline,
                    by_id,
                    e.taken_by,
                    e.taken_at,
                    purchase.map(|p| &p.buyer),
                    purchase.map(|p| &p.invoice_no),
                    purchase.map(|p| p.actual.fen()),
                    purchase.map(|p| p.bought_on),
                    e.delivered_on,
                    e.settled_at,
                    e.not_bought.as_ref().map(|(reason, _)| reason),
                    e.not_bought.as_ref().map(|(_, at)| *at),
                    void.map(|(reason, _, _)| reason),
                    void.map(|(_, by, _)| by),
                    void.map(|(_, _, at)| *at),
                ],
        )?;
        let entry = get_shopping(&self.tx, id)?;
        let mut fields = entry_fields(&entry);
        fields.push(("received_by", entry.taken_by.clone()));
        fields.push(("received_at", entry.taken_at.format("%Y-%m-%d %H:%M").to_string()));
        self.record(Entity::Shopping, id, Action::Create, &created(&fields), Some(reason))?;
        Ok(entry)
    }

    /// Applies a step already checked by `domain::check_shopping_step`.
    pub fn record_shopping_step(
        &mut self,
        old: &ShoppingEntry,
        step: &ShoppingStep,
        to: ShoppingState,
    ) -> Result<ShoppingEntry> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        let id = old.id;
        self.tx
            .execute("UPDATE shopping_entries SET state = ?2 WHERE id = ?1", &sql_params![id, to.code()])?;
        let reason = match step {
            ShoppingStep::Buy(p) => {
                self.tx.execute(
                    "UPDATE shopping_entries SET buyer = ?2, invoice_no = ?3,
                     actual_fen = ?4, bought_on = ?5
                     WHERE id = ?1",
                    &sql_params![id, p.buyer.trim(), p.invoice_no.trim(), p.actual.fen(), p.bought_on],
                )?;
                None
            }
            ShoppingStep::Deliver { on, .. } => {
                self.tx.execute(
                    "UPDATE shopping_entries SET delivered_on = ?2 WHERE id = ?1",
                    &sql_params![id, on],
                )?;
                None
            }
            ShoppingStep::Settle => {
                self.tx.execute(
                    "UPDATE shopping_entries SET settled_at = ?2 WHERE id = ?1",
                    &sql_params![id, at],
                )?;
                None
            }
            ShoppingStep::NotBought { reason, told_at } => {
                self.tx.execute(
                    "UPDATE shopping_entries SET not_bought_reason = ?2, told_at = ?3 WHERE id = ?1",
                    &sql_params![id, reason.trim(), told_at],
                )?;
                Some(reason.trim().to_string())
            }
            ShoppingStep::Void { reason } => {
                self.tx.execute(
                    "UPDATE shopping_entries SET void_reason = ?2, void_by = ?3,
                     void_at = ?4 WHERE id = ?1",
                    &sql_params![id, reason.trim(), by, at],
                )?;
                Some(reason.trim().to_string())
            }
        };
        let new = get_shopping(&self.tx, id)?;
        self.record(
            Entity::Shopping,
            id,
            Action::Update,
            &diff(&entry_fields(old), &entry_fields(&new)),
            reason.as_deref(),
        )?;
        Ok(new)
    }

    /// Records the finding of a 飞单 investigation; a later finding on the
    /// same number is a new row, so the first one stays on record.
    pub fn save_investigation(&mut self, no: i64, concern: Concern, finding: &str) -> Result<()> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        let id = self.tx.insert_id(
            "INSERT INTO shopping_investigations (no, concern, finding, by_name, at) VALUES (?1, ?2, ?3, ?4, ?5)
             RETURNING id",
            &sql_params![no, concern.code(), finding.trim(), by, at],
        )?;
        let changes = diff(
            &[],
            &[("no", no.to_string()), ("concern", concern.code().into()), ("finding", finding.trim().into())],
        );
        self.record(Entity::Investigation, id, Action::Create, &changes, None)
    }
}
