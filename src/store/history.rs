//! The `history` table (R-FU-6): appended inside every write, read per
//! record and, for the 变更记录 view, across the office by person, kind of
//! record, kind of change, period and text, each change with the record's
//! own label (its running number, agreement or shopping number, name, room
//! or month) and the names its id-valued fields pointed to, both written
//! with the change (issue 23). A text is looked for through the history's
//! search index (`store/search.rs`; on the server its `(term, id)` table,
//! asked through `search::server_match` as the registers' is). Every statement runs on either backend. There is no
//! statement here that changes or deletes a row.

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::aside::{AsideChange, AsideIndex};
use super::chain;
use super::check::Link;
use super::search::{
    HistoryKeys, fts_phrase, match_query, phrase_in_terms, phrase_terms, server_history_keys, text_grams,
};
use super::sql::{Dialect, Row, Sql, SqlError, SqlExt, Value as SqlValue};
use super::stamp::Stamp;
use super::{Audit, Result, Store};
use crate::domain::{Action, Change, Entity, HistoryEntry, HistoryRow};

/// What the 变更记录 view asks for; every field narrows, `None` is all.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct HistoryQuery {
    /// Who made the change, exactly as recorded.
    pub user: Option<String>,
    pub entity: Option<Entity>,
    pub action: Option<Action>,
    /// Made on or after this day.
    pub from: Option<NaiveDate>,
    /// Made on or before this day.
    pub to: Option<NaiveDate>,
    /// Found in the changed values or the reason.
    pub text: String,
}

/// Each change with the labels written with it (migration 19): its
/// record's and those of the ids in its values, as they were then.
const SELECT_HISTORY: &str =
    "SELECT h.id, h.at, h.user_name, h.entity, h.entity_id, h.action, h.changes, h.reason,
        l.record, l.refs";

/// The changes a text finds, through the history's search index, newest
/// (last appended) first. The index holds each change under its id negated
/// (migration 19), so that newest first is the index's own ascending order:
/// it then skips through the long lists of common terms (`单元`, `20`)
/// instead of reading each whole, as it must backwards — a room on 386 000
/// changes took 25 ms backwards. Appending order is the order of the
/// writes, which their times follow.
const FROM_SEARCH: &str = "FROM history_search CROSS JOIN history h ON h.id = -history_search.rowid
    LEFT JOIN history_labels l ON l.history_id = h.id";

/// On a server (`pg/migrations.rs`, 28): the changes whose keys hold each
/// of the text's (the `?`: the keys joined by spaces), read from the GIN
/// index of `history_keys`, as `t0`. `OFFSET 0` keeps the index's read a
/// subquery of its own: the planner would otherwise walk every change
/// newest first and cut each one's keys to test them.
const KEYS_PG: &str = "(SELECT s.history_id, s.terms FROM history_search s
        WHERE history_keys(s.terms) @> string_to_array(?, ' ') OFFSET 0) t0";

/// On a server, every change newest first with its terms, as `t0`: walked
/// for a text most changes hold.
const WALK_PG: &str = "history_search t0";

/// A change of `t0` holding the text (the `?`: [`HistoryKeys::check`]).
const CHECK_PG: &str = "strpos(' ' || array_to_string(t0.terms, ' ') || ' ', ?) > 0";

/// A change of `t0` holding the term `?`: for a text of two characters,
/// the whole check, and before the phrase's check of a longer text its
/// first term, which most changes walked fail. Six times cheaper than
/// [`CHECK_PG`], which joins each change's terms into one text (a walk of
/// 5 957 changes: 8 ms against 47).
const TERM_PG: &str = "? = ANY(t0.terms)";

/// The condition that a change of `alias` holds `check` (a phrase as
/// [`HistoryKeys::check`] gives it), and its values.
fn check_pg(check: String, alias: &str) -> (String, Vec<SqlValue>) {
    let first = check.trim_start().split(' ').next().unwrap_or_default().to_string();
    let (sql, values) = match check.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
        // One term (` ab `): held as a term, or not.
        Some(term) if !term.contains(' ') => (TERM_PG.to_string(), vec![term.into()]),
        // A phrase (` ab bc … `): its first term, then the phrase.
        Some(_) => (format!("{TERM_PG} AND {CHECK_PG}"), vec![first.into(), check.into()]),
        // One character (` a`): a term beginning with it.
        None => (CHECK_PG.to_string(), vec![check.into()]),
    };
    (sql.replace("t0.", &format!("{alias}.")), values)
}

/// Every change, or those of a text the index cannot look for.
const FROM_HISTORY: &str = "FROM history h LEFT JOIN history_labels l ON l.history_id = h.id";

fn entry_from_row(r: &Row) -> Result<HistoryEntry, SqlError> {
    let changes: String = r.get(6)?;
    Ok(HistoryEntry {
        at: r.get::<Stamp>(1)?.0,
        user_name: r.get(2)?,
        entity: Entity::from_code(&r.get::<String>(3)?).unwrap_or(Entity::Request),
        entity_id: r.get(4)?,
        action: Action::from_code(&r.get::<String>(5)?).unwrap_or(Action::Update),
        changes: serde_json::from_str(&changes).unwrap_or_default(),
        reason: r.get(7)?,
    })
}

fn history_row(r: &Row) -> Result<HistoryRow, SqlError> {
    let refs: Option<String> = r.get(9)?;
    let entry = entry_from_row(r)?;
    let mut record = r.get::<Option<String>>(8)?.unwrap_or_default();
    if record.is_empty() {
        record = unlabelled_record(&entry);
    }
    Ok(HistoryRow {
        id: r.get(0)?,
        entry,
        record,
        refs: refs.and_then(|refs| serde_json::from_str(&refs).ok()).unwrap_or_default(),
    })
}

/// The record of a change written before its kind had a label: a failed
/// sign-in before migration 27 is named by the login tried, which its
/// values hold (its stored label, empty, is never changed). Any other is
/// left empty (the window shows its id).
fn unlabelled_record(entry: &HistoryEntry) -> String {
    match entry.entity {
        Entity::SignIn => entry.changes.iter().find(|c| c.field == "login").map(|c| c.new.clone()),
        _ => None,
    }
    .unwrap_or_default()
}

/// The tables a text found through the search index is read from, for the
/// page and for the count, and the page's order (the index's, newest first).
type Indexed = Option<(String, String, String)>;

/// How a history index is asked for a text (issue 23; a server's, issue 21).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lookup {
    /// FTS5 finds exactly the changes holding the text ([`match_query`]).
    Exact(String),
    /// FTS5's `table` finds the changes holding the text's rarer pieces
    /// (`query`), and each change found is checked for the whole `phrase`
    /// in its terms, cut again by `history_terms` as the index's trigger
    /// cut them: `history_grams` (migration 26) for a text with four ASCII
    /// letters or digits standing together, else `history_search` by the
    /// phrase of each run of the text's rarer pairs.
    Checked { table: &'static str, query: String, phrase: String },
    /// On a server (migration 28): the changes of `source` (`t0`: [`KEYS_PG`],
    /// whose `?` is `keys`, or [`WALK_PG`]), those after the change
    /// `after` and up to `until` only, each checked for `check` (none: the
    /// keys are the text).
    /// With `page`, a text alone: the index's changes are checked, sorted
    /// and cut to the page inside the subquery, before the page's rows are
    /// read (joined whole first, a word's 11 817 changes took 0.33 s).
    Server {
        source: &'static str,
        keys: Option<String>,
        check: Option<String>,
        after: Option<i64>,
        until: Option<i64>,
        page: Option<usize>,
    },
}

/// A term held by more than this many per mille of the changes sampled is
/// left out of a text's lookup ([`Lookup::Checked`]). FTS5 steps through
/// each of a phrase's terms' lists of changes: a running number's `20`,
/// `02` and `jz` are in 46–98 % of ten years' 1.9 million changes, and
/// reading them made a search that finds four changes take 61 ms.
const DENSE_PER_MILLE: i64 = 100;
/// A term's share is counted in this many windows of the history's ids…
const SAMPLE_WINDOWS: i64 = 4;
/// …of this many changes each, spread from the newest to the oldest: a
/// year's digits are dense in that year only.
const SAMPLE_SPAN: i64 = 2_500;

/// The windows of change ids a term's share is counted in, as FTS5's
/// rowids (the ids negated, `first ≤ last`): the whole history when it is
/// no larger than the windows.
fn sample_windows(conn: &dyn Sql) -> Result<Vec<(i64, i64)>> {
    let newest: i64 = conn.fetch_value("SELECT coalesce(max(id), 0) FROM history", &[])?;
    if newest <= SAMPLE_WINDOWS * SAMPLE_SPAN {
        return Ok(vec![(-newest, -1)]);
    }
    let step = newest / SAMPLE_WINDOWS;
    Ok((0..SAMPLE_WINDOWS)
        .map(|k| newest - k * step)
        .map(|last| (-last, -(last - SAMPLE_SPAN + 1)))
        .collect())
}

/// The terms of `table` among `terms` and how many of the changes in
/// `windows` hold each, rarest first.
fn sampled(
    conn: &dyn Sql,
    table: &str,
    terms: &[&str],
    windows: &[(i64, i64)],
) -> Result<Vec<(i64, String)>> {
    let sql = format!("SELECT count(*) FROM {table} WHERE {table} MATCH ?1 AND rowid BETWEEN ?2 AND ?3");
    let mut held = Vec::new();
    for term in terms {
        let mut n = 0;
        for (first, last) in windows {
            let query = fts_phrase(&[term.to_string()]);
            n +=
                conn.fetch_value::<i64>(&sql, &[query.into(), SqlValue::Int(*first), SqlValue::Int(*last)])?;
        }
        held.push((n, term.to_string()));
    }
    held.sort();
    Ok(held)
}

/// How a file's index is asked for `text` ([`Lookup`]): by its rarer ASCII
/// grams when it has any, else by its phrase as it is, unless some of its
/// pairs are dense and some are not, when the rarer ones find the changes
/// to check. `None` when `text` has no letter or digit to look for.
fn file_lookup(conn: &dyn Sql, text: &str) -> Result<Option<Lookup>> {
    let Some(exact) = match_query(text) else { return Ok(None) };
    let Some(terms) = phrase_terms(text) else { return Ok(Some(Lookup::Exact(exact))) };
    let grams = text_grams(text);
    let distinct: BTreeSet<&str> = terms.iter().map(String::as_str).collect();
    if grams.is_empty() && distinct.len() < 2 {
        return Ok(Some(Lookup::Exact(exact)));
    }
    let windows = sample_windows(conn)?;
    let sampled_changes: i64 = windows.iter().map(|(first, last)| last - first + 1).sum();
    let is_dense = |n: i64| n * 1000 > sampled_changes * DENSE_PER_MILLE;
    let phrase = phrase_in_terms(&terms);
    let grams: Vec<&str> = grams.iter().map(String::as_str).collect();
    let rare_grams: Vec<String> = sampled(conn, "history_grams", &grams, &windows)?
        .into_iter()
        .filter(|(n, _)| !is_dense(*n))
        .map(|(_, gram)| fts_phrase(&[gram]))
        .collect();
    if !rare_grams.is_empty() {
        return Ok(Some(Lookup::Checked { table: "history_grams", query: rare_grams.join(" AND "), phrase }));
    }
    if distinct.len() < 2 {
        return Ok(Some(Lookup::Exact(exact)));
    }
    let distinct: Vec<&str> = distinct.into_iter().collect();
    let dense: BTreeSet<String> = sampled(conn, "history_search", &distinct, &windows)?
        .into_iter()
        .filter(|(n, _)| is_dense(*n))
        .map(|(_, term)| term)
        .collect();
    if dense.is_empty() || dense.len() == distinct.len() {
        return Ok(Some(Lookup::Exact(exact)));
    }
    let runs: Vec<String> =
        terms.split(|term| dense.contains(term)).filter(|run| !run.is_empty()).map(fts_phrase).collect();
    Ok(Some(Lookup::Checked { table: "history_search", query: runs.join(" AND "), phrase }))
}

/// What a server's history is asked for a text ([`server_lookup`]).
struct ServerLookup {
    keys: HistoryKeys,
    /// The fewest changes any one of the keys is in, by their kept counts:
    /// the most changes that can hold the text.
    most: i64,
    /// The newest change's id.
    newest: i64,
    /// With a date range: about how many changes were made in it (the ids
    /// of its newest and oldest change by time, apart: ids follow the
    /// times of the writes, give or take writes made at once), only to
    /// choose how to look; `Some(0)`: none was.
    range: Option<i64>,
}

/// The keys of `text` on a server, their kept counts (migration 28) and,
/// with a date range, its size, in one statement; `None` when `q`'s text
/// has no letter or digit to look for.
fn server_lookup(conn: &dyn Sql, q: &HistoryQuery) -> Result<Option<ServerLookup>> {
    let Some(keys) = server_history_keys(q.text.trim()) else { return Ok(None) };
    let dated = q.from.is_some() || q.to.is_some();
    let (from, next) = day_bounds(q);
    let (most, newest, last, first) = conn.fetch_one(
        "SELECT (SELECT coalesce(min(coalesce(c.n, 0)), 0) FROM unnest(string_to_array(?1, ' ')) AS k(term)
                 LEFT JOIN history_term_counts c ON c.term = k.term COLLATE \"C\"),
             (SELECT coalesce(max(history_id), 0) FROM history_search),
             (SELECT id FROM history WHERE at < ?3 ORDER BY at DESC LIMIT 1),
             (SELECT id FROM history WHERE at >= ?2 ORDER BY at LIMIT 1)",
        &[keys.keys.join(" ").into(), from.into(), next.into()],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<Option<i64>>(2)?, r.get::<Option<i64>>(3)?)),
    )?;
    // Ids out of time order (writes made at once) may put the two the
    // wrong way round: the range still holds them.
    let range = dated.then(|| match (first, last) {
        (Some(first), Some(last)) => (last - first + 1).max(1),
        _ => 0,
    });
    Ok(Some(ServerLookup { keys, most, newest, range }))
}

/// The first moment of `q`'s range and the first after it, as the
/// history's times are written (all of time when it has none).
fn day_bounds(q: &HistoryQuery) -> (String, String) {
    let from = q.from.map_or_else(String::new, |from| format!("{from} 00:00:00"));
    let next =
        q.to.and_then(|to| to.succ_opt())
            .map_or_else(|| "9999".to_string(), |next| format!("{next} 00:00:00"));
    (from, next)
}

impl ServerLookup {
    /// The changes its keys find, read from the GIN index.
    fn through_index(&self, page: Option<usize>) -> Lookup {
        Lookup::Server {
            source: KEYS_PG,
            keys: Some(self.keys.keys.join(" ")),
            check: (!self.keys.exact).then(|| self.keys.check.clone()),
            after: None,
            until: None,
            page,
        }
    }

    /// Whether a page of `limit` is sooner found by walking the newest
    /// changes than by reading the index: the index's read and sort cost
    /// about a change for each change found (`most` at worst), the walk
    /// about `limit` × `newest` / `most` changes checked, when the text is
    /// as common among the newest as overall. Walking wins once `most`
    /// passes √(2 · `limit` · `newest`): on two years (383 000 changes), a
    /// text in 28 000 changes. (A date range of fewer changes than `most`
    /// is walked whole, `list_history_server`.)
    fn walks(&self, limit: usize) -> bool {
        let (most, newest) = (self.most as f64, self.newest as f64);
        most * most > 2.0 * limit as f64 * newest
    }

    /// The walk over the newest changes, as far back as three times the
    /// changes a page should take (at least [`WALK_LEAST`]); if it finds no
    /// whole page the index is read instead (a year's digits are common in
    /// that year only). By id, as every other path and the file order the
    /// page: walked by time instead, a desk whose clock was behind put an
    /// older change first, and a text rare in a wide range read the whole
    /// range (January 2018 of ten years: 236 ms for 6 changes).
    fn walk(&self, limit: usize) -> Lookup {
        let expected = limit as i64 * self.newest / self.most.max(1);
        Lookup::Server {
            source: WALK_PG,
            keys: None,
            check: Some(self.keys.check.clone()),
            after: Some(self.newest - (3 * expected).max(WALK_LEAST)),
            until: None,
            page: None,
        }
    }

    /// The walk over the changes with ids `first` to `last`, newest first:
    /// a date range's first and last change, between which may stand
    /// changes of other days (written out of time order), which the
    /// range's own test then leaves out.
    fn walk_ids(&self, first: i64, last: i64) -> Lookup {
        Lookup::Server {
            source: WALK_PG,
            keys: None,
            check: Some(self.keys.check.clone()),
            after: Some(first - 1),
            until: Some(last),
            page: None,
        }
    }
}

/// The fewest changes a walk over the newest looks at ([`ServerLookup::walk`]).
const WALK_LEAST: i64 = 5_000;

/// The WHERE clause and its values for `q` in `dialect` (`lookup`: how a
/// file's index is asked for its text, [`file_lookup`], or a server's,
/// [`ServerLookup`]), and the tables a
/// text found through the search index is read from (`None`: the history
/// itself, and the text, if any, is looked for in its values).
fn history_filter(
    q: &HistoryQuery,
    dialect: Dialect,
    lookup: Option<Lookup>,
) -> (String, Vec<SqlValue>, Indexed) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    let text = q.text.trim();
    let text_only = HistoryQuery { text: String::new(), ..q.clone() } == HistoryQuery::default();
    let indexed = lookup.map(|lookup| match lookup {
        // A text alone is counted in the index: every change it
        // holds is in the history (60 933 changes of a word:
        // 78 ms through the history, a few on the index).
        Lookup::Exact(query) => {
            clauses.push("history_search MATCH ?".into());
            values.push(query.into());
            let count = if text_only { "FROM history_search" } else { FROM_SEARCH };
            (FROM_SEARCH.to_string(), count.to_string(), "history_search.rowid".to_string())
        }
        Lookup::Checked { table, query, phrase } => {
            clauses.push(format!("{table} MATCH ?"));
            clauses.push(
                "instr(' ' || history_terms(l.record, l.about, l.refs, h.user_name, h.changes, h.reason), ?) > 0"
                    .into(),
            );
            values.extend([query.into(), phrase.into()]);
            let from = FROM_SEARCH.replace("history_search", table);
            (from.clone(), from, format!("{table}.rowid"))
        }
        Lookup::Server { source, keys, check, page: Some(page), .. } if text_only => {
            values.push(keys.unwrap_or_default().into());
            let inner = source.strip_suffix(" t0").unwrap_or(source);
            let checked = match check {
                Some(check) => {
                    let (sql, check) = check_pg(check, "s");
                    values.extend(check);
                    format!("WHERE {sql}")
                }
                None => String::new(),
            };
            let page = format!(
                "FROM (SELECT s.history_id, s.terms FROM {inner} s {checked}
                     ORDER BY s.history_id DESC LIMIT {page}) t0
                 JOIN history h ON h.id = t0.history_id LEFT JOIN history_labels l ON l.history_id = h.id"
            );
            (page.clone(), page, "t0.history_id DESC".to_string())
        }
        Lookup::Server { source, keys, check, after, until, .. } => {
            if let Some(keys) = keys {
                values.push(keys.into());
            }
            if let Some(after) = after {
                clauses.push("t0.history_id > ?".into());
                values.push(SqlValue::Int(after));
            }
            if let Some(until) = until {
                clauses.push("t0.history_id <= ?".into());
                values.push(SqlValue::Int(until));
            }
            if let Some(check) = check {
                let (sql, check) = check_pg(check, "t0");
                clauses.push(sql);
                values.extend(check);
            }
            // The walk's bounds on the history's side too: the planner
            // does not carry them across the join, and merged the walk with
            // the whole history read from its newest (a month ten months
            // back: 142 000 changes read for its page, 124 ms; 4 with them).
            let bounds: String = [after.map(|after| format!(" AND h.id > {after}")), until.map(|until| format!(" AND h.id <= {until}"))]
                .into_iter()
                .flatten()
                .collect();
            let page = format!(
                "FROM {source} JOIN history h ON h.id = t0.history_id{bounds}
                 LEFT JOIN history_labels l ON l.history_id = h.id"
            );
            // A text alone is counted on its keys: the changes they find are there.
            let count = if text_only { format!("FROM {source}") } else { page.clone() };
            (page, count, "t0.history_id DESC".to_string())
        }
    });
    if indexed.is_none() && !text.is_empty() {
        clauses.push(
            match dialect {
                Dialect::Sqlite => "(instr(h.changes, ?) > 0 OR instr(coalesce(h.reason, ''), ?) > 0)",
                Dialect::Postgres => "(strpos(h.changes, ?) > 0 OR strpos(coalesce(h.reason, ''), ?) > 0)",
            }
            .into(),
        );
        values.extend([text.into(), text.into()]);
    }
    if let Some(user) = &q.user {
        clauses.push("h.user_name = ?".into());
        values.push(user.as_str().into());
    }
    if let Some(entity) = q.entity {
        clauses.push("h.entity = ?".into());
        values.push(entity.code().into());
    }
    if let Some(action) = q.action {
        clauses.push("h.action = ?".into());
        values.push(action.code().into());
    }
    let (from, next) = day_bounds(q);
    if q.from.is_some() {
        clauses.push("h.at >= ?".into());
        values.push(from.into());
    }
    if q.to.and_then(|to| to.succ_opt()).is_some() {
        clauses.push("h.at < ?".into());
        values.push(next.into());
    }
    let sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (sql, values, indexed)
}

/// A history row waiting for its write to finish: rows are linked and
/// sealed when the write commits (`flush`), so that each seal is the record
/// as the whole write left it.
pub(super) struct Pending {
    entity: Entity,
    entity_id: i64,
    action: Action,
    changes: String,
    reason: Option<String>,
}

impl Pending {
    pub(super) fn new(
        entity: Entity,
        entity_id: i64,
        action: Action,
        changes: &[Change],
        reason: Option<&str>,
    ) -> Pending {
        Pending {
            entity,
            entity_id,
            action,
            changes: serde_json::to_string(changes).unwrap_or_else(|_| "[]".into()),
            reason: reason.filter(|r| !r.trim().is_empty()).map(str::to_string),
        }
    }
}

/// Appends a write's history rows, each linked to the one before it and
/// sealed (`store/chain.rs`). The ids are given here, under the write
/// lock, because each row's link covers its id.
///
/// In a bulk load, `bulk` carries the last link from one write to the next
/// instead of reading it back, and the rows are sealed at the load's end.
pub(super) fn flush(
    conn: &dyn Sql,
    audit: &Audit,
    pending: Vec<Pending>,
    bulk: Option<&RefCell<chain::Bulk>>,
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let mut bulk = bulk.map(RefCell::borrow_mut);
    let (mut id, mut prev) = match bulk.as_ref().and_then(|b| b.head) {
        Some(head) => head,
        None => chain::head(conn)?,
    };
    let first = id + 1;
    let mut seals = chain::Seals::default();
    // What the history's index worker needs of each row besides its labels.
    let mut aside = Vec::new();
    let indexing_aside = bulk.as_ref().is_some_and(|b| b.aside.is_some());
    let at = SqlValue::from(Stamp(audit.at));
    for row in pending {
        id += 1;
        let entity = row.entity.code();
        let mut values = vec![
            SqlValue::Int(id),
            at.clone(),
            audit.user_id.into(),
            audit.user_name.as_str().into(),
            entity.into(),
            SqlValue::Int(row.entity_id),
            row.action.code().into(),
            row.changes.into(),
            row.reason.into(),
        ];
        prev = chain::link(&prev, values.iter().map(SqlValue::as_value_ref));
        let seal = match bulk.as_mut() {
            Some(bulk) => {
                bulk.newest.insert((entity, row.entity_id), (id, prev));
                SqlValue::Null
            }
            None => seals.of(conn, entity, row.entity_id, &prev)?,
        };
        if indexing_aside {
            let text = |v: &SqlValue| match v {
                SqlValue::Text(t) => t.clone(),
                _ => String::new(),
            };
            aside.push((id, text(&values[3]), text(&values[7]), text(&values[8])));
        }
        values.extend([SqlValue::Blob(prev.to_vec()), seal]);
        conn.execute(
            "INSERT INTO history (id, at, user_id, user_name, entity, entity_id, action, changes, reason, hash, seal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            &values,
        )?;
    }
    if let Some(bulk) = bulk.as_mut() {
        bulk.head = Some((id, prev));
        if let Some(index) = bulk.aside.as_mut() {
            return label_aside(conn, first, id, aside, index);
        }
    }
    label(conn, first, id)
}

/// [`label`] in a bulk load whose history index is built aside
/// (`store/aside.rs`): the labels written are handed to its worker with
/// the rest of each row's text, oldest first.
fn label_aside(
    conn: &dyn Sql,
    first: i64,
    last: i64,
    rows: Vec<(i64, String, String, String)>,
    index: &mut AsideIndex,
) -> Result<()> {
    let labels = conn.query(
        &format!("{LABEL_ROWS} RETURNING history_id, record, refs, about"),
        &[SqlValue::Int(first), SqlValue::Int(last)],
    )?;
    let mut labels = labels
        .into_iter()
        .map(|row| {
            Ok((row.get::<i64>(0)?, [row.get::<String>(1)?, row.get::<String>(2)?, row.get::<String>(3)?]))
        })
        .collect::<std::result::Result<Vec<_>, SqlError>>()?;
    // RETURNING gives its rows in no promised order.
    labels.sort_by_key(|(id, _)| *id);
    // Every change labelled, each under its own id: a change the label
    // statement missed is an error, never indexed under another's id.
    if labels.len() != rows.len() || rows.iter().zip(&labels).any(|(row, (labelled, _))| row.0 != *labelled) {
        return Err(SqlError::NoRow.into());
    }
    for ((id, who, changes, reason), (_, [record, refs, about])) in rows.into_iter().zip(labels) {
        index.push(AsideChange { id, labels: [record, about], refs, who, changes, reason })?;
    }
    Ok(())
}

/// Labels the rows of a write, newest first (see [`label`]).
const LABEL_ROWS: &str = "INSERT INTO history_labels (history_id, record, refs, about)
         SELECT history_id, record, refs, about FROM history_labels_due WHERE history_id BETWEEN ?1 AND ?2
         ORDER BY history_id DESC";

/// Labels the history rows from `first` on as their records now stand,
/// which is as the write that appended them left them (issue 23): the view
/// `history_labels_due` of migration 19 names each kind of record and
/// each id-valued field. A row of a kind it does not know gets an empty
/// label and is still found by its values, its reason and who made it.
/// Newest first, as the search index's trigger then adds them in its own
/// ascending order (`history_search` holds the ids negated), keeping the
/// write's terms in one segment. The server's view and index trigger
/// (`pg/migrations.rs`, 19) do the same in its dialect.
///
/// On the server the statement is run on its generic plan, made once per
/// connection: left to choose, the server planned the view's 27 subplans
/// again at every write (2.7–2.9 ms, against 0.3 ms to run it; `demo
/// --households 360` spent 100 s planning it), since a generic plan's
/// guess at a range of ids costs more than a custom plan's. Its plan is a
/// backward scan of the history's key over the write's rows.
fn label(conn: &dyn Sql, first: i64, last: i64) -> Result<()> {
    let server = conn.dialect() == Dialect::Postgres;
    if server {
        conn.batch("SET LOCAL plan_cache_mode = force_generic_plan")?;
    }
    conn.execute(LABEL_ROWS, &[SqlValue::Int(first), SqlValue::Int(last)])?;
    if server {
        conn.batch("SET LOCAL plan_cache_mode = auto")?;
    }
    Ok(())
}

/// Matches past this many are not counted: counting the whole history of
/// ten years (1.9 million changes) took 0.6 s for a number nobody reads
/// exactly; the tab says "more than" instead.
pub const HISTORY_COUNT_CAP: usize = 100_000;

impl Store {
    /// The changes `q` finds, newest first, at most `limit`, and how many
    /// it finds in all — counted up to [`HISTORY_COUNT_CAP`] + 1.
    pub fn list_history(&self, q: &HistoryQuery, limit: usize) -> Result<(Vec<HistoryRow>, usize)> {
        let dialect = self.conn.dialect();
        let lookup = match dialect {
            Dialect::Sqlite => file_lookup(&self.conn, q.text.trim())?,
            Dialect::Postgres => match server_lookup(&self.conn, q)? {
                Some(server) => return self.list_history_server(q, limit, &server),
                None => None,
            },
        };
        self.list_history_by(q, limit, lookup)
    }

    /// The newest `n` changes `q` finds, answered first while the whole
    /// page of `limit` is read (issue 21), with how many it finds: exact
    /// from the kept counts for a text of one key, else at most that many
    /// (`true`). Only on a server, for a text alone whose page of `limit`
    /// is read through the index of keys but whose `n` newest are found
    /// sooner by walking the newest changes ([`ServerLookup::walks`]): on
    /// the ten-year office 漏水 (1.6 % of the changes) took 367 ms through
    /// the index for its page, its first hundred 10–20 ms walked. `None`
    /// otherwise, or when the walk finds fewer than `n`: the whole page is
    /// the answer then.
    pub fn first_history(
        &self,
        q: &HistoryQuery,
        n: usize,
        limit: usize,
    ) -> Result<Option<(Vec<HistoryRow>, usize, bool)>> {
        let text_only = HistoryQuery { text: String::new(), ..q.clone() } == HistoryQuery::default();
        if !matches!(self.conn.dialect(), Dialect::Postgres) || !text_only || n >= limit {
            return Ok(None);
        }
        let Some(server) = server_lookup(&self.conn, q)? else { return Ok(None) };
        if server.most <= n as i64 || server.walks(limit) || !server.walks(n) {
            return Ok(None);
        }
        let rows = self.history_page(q, n, Some(server.walk(n)))?;
        if rows.len() < n {
            return Ok(None);
        }
        let most = usize::try_from(server.most).unwrap_or(0).min(HISTORY_COUNT_CAP + 1);
        Ok(Some((rows, most, !server.keys.exact)))
    }

    /// [`Store::list_history`] on a server, for a text it has keys for
    /// (migration 28): none of the changes when a key is in none; else a
    /// text most changes hold is looked for by walking the newest changes,
    /// any other (or one the walk finds too seldom) through the index of
    /// keys. A text of one key alone is counted by its kept count.
    fn list_history_server(
        &self,
        q: &HistoryQuery,
        limit: usize,
        server: &ServerLookup,
    ) -> Result<(Vec<HistoryRow>, usize)> {
        if server.most == 0 || server.range == Some(0) {
            return Ok((Vec::new(), 0));
        }
        let text_only = HistoryQuery { text: String::new(), ..q.clone() } == HistoryQuery::default();
        let kept = (text_only && server.keys.exact)
            .then(|| usize::try_from(server.most).unwrap_or(0).min(HISTORY_COUNT_CAP + 1));
        if server.range.is_some_and(|range| range <= server.most) {
            // A date range of fewer changes than the text's: its first and
            // last change by id, then its changes walked by id, newest
            // first, for the page and the count. Joined to their times
            // instead, a word in a month of 14 637 changes took 270 ms.
            let (from, next) = day_bounds(q);
            let ids: (Option<i64>, Option<i64>, i64) = self.conn.fetch_one(
                "SELECT min(id), max(id), count(*) FROM history WHERE at >= ?1 AND at < ?2",
                &[from.into(), next.into()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let (Some(first), Some(last), count) = ids else { return Ok((Vec::new(), 0)) };
            // Ids are given one by one: when the range holds as many changes
            // as there are ids from its first to its last, it is those ids,
            // and their times need no test (a change written out of time
            // order, a desk's clock set wrong, keeps the test).
            let undated = HistoryQuery { from: None, to: None, ..q.clone() };
            let q = if count == last - first + 1 { &undated } else { q };
            let walk = server.walk_ids(first, last);
            let rows = self.history_page(q, limit, Some(walk.clone()))?;
            let total = if rows.len() < limit { rows.len() } else { self.count_history(q, Some(walk))? };
            return Ok((rows, total));
        }
        let mut rows = None;
        if server.walks(limit) {
            let walked = self.history_page(q, limit, Some(server.walk(limit)))?;
            // Short of a page, the walk stopped before the oldest change: the index says the rest.
            rows = Some(walked).filter(|walked| walked.len() == limit);
        }
        let rows = match rows {
            Some(rows) => rows,
            None => self.history_page(q, limit, Some(server.through_index(Some(limit))))?,
        };
        let total = match kept {
            _ if rows.len() < limit => rows.len(),
            Some(total) => total,
            None => self.count_history(q, Some(server.through_index(None)))?,
        };
        Ok((rows, total))
    }

    /// The changes `q` finds through `lookup` (none: the history read
    /// whole), as [`Store::list_history`] returns them.
    fn list_history_by(
        &self,
        q: &HistoryQuery,
        limit: usize,
        lookup: Option<Lookup>,
    ) -> Result<(Vec<HistoryRow>, usize)> {
        let rows = self.history_page(q, limit, lookup.clone())?;
        // A page that is not full holds every match: nothing to count.
        let total = if rows.len() < limit { rows.len() } else { self.count_history(q, lookup)? };
        Ok((rows, total))
    }

    /// The first `limit` changes `q` finds through `lookup`, newest first.
    fn history_page(
        &self,
        q: &HistoryQuery,
        limit: usize,
        lookup: Option<Lookup>,
    ) -> Result<Vec<HistoryRow>> {
        let (filter, values, indexed) = history_filter(q, self.conn.dialect(), lookup);
        let (from, _, order) = indexed.unwrap_or_else(|| {
            (FROM_HISTORY.to_string(), FROM_HISTORY.to_string(), "h.at DESC, h.id DESC".to_string())
        });
        let sql = format!("{SELECT_HISTORY} {from} {filter} ORDER BY {order} LIMIT {limit}");
        Ok(self.conn.fetch_all(&sql, &values, history_row)?)
    }

    /// How many changes `q` finds through `lookup`, up to [`HISTORY_COUNT_CAP`] + 1.
    fn count_history(&self, q: &HistoryQuery, lookup: Option<Lookup>) -> Result<usize> {
        let (filter, values, indexed) = history_filter(q, self.conn.dialect(), lookup);
        let count_from = indexed.map_or_else(|| FROM_HISTORY.to_string(), |(_, count, _)| count);
        let count_sql = format!(
            "SELECT count(*) FROM (SELECT 1 {count_from} {filter} LIMIT {}) AS found",
            HISTORY_COUNT_CAP + 1
        );
        let total: i64 = self.conn.fetch_value(&count_sql, &values)?;
        Ok(usize::try_from(total).unwrap_or(0))
    }

    /// History row `id` as `check` names it. Read value by value as text,
    /// whatever was written there, since the row may have been tampered with.
    pub(super) fn history_link(&self, id: i64) -> Result<Link> {
        let sql = format!("{SELECT_HISTORY} {FROM_HISTORY} WHERE h.id = ?1");
        let link = self.conn.fetch_one(&sql, &[SqlValue::Int(id)], |r| {
            let text = |i: usize| match r.get::<SqlValue>(i).unwrap_or(SqlValue::Null) {
                SqlValue::Null => String::new(),
                SqlValue::Int(n) => n.to_string(),
                SqlValue::Text(t) => t,
                SqlValue::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
            };
            Ok(Link {
                history_id: id,
                entity: text(3),
                entity_id: r.get::<i64>(4).unwrap_or_default(),
                record: text(8),
                at: text(1),
                who: text(2),
            })
        })?;
        Ok(link)
    }

    /// Everyone who has made a change, by name: one seek on
    /// `history_user_at` per name instead of a walk over every change
    /// (`DISTINCT` read all 1.9 million of ten years: 0.8 s). The same text
    /// on the server, whose names come in its collation's order.
    pub fn history_users(&self) -> Result<Vec<String>> {
        Ok(self.conn.fetch_all(
            "WITH RECURSIVE users (name) AS (
                 SELECT min(user_name) FROM history
                 UNION ALL
                 SELECT (SELECT min(user_name) FROM history WHERE user_name > users.name)
                 FROM users WHERE users.name IS NOT NULL)
             SELECT name FROM users WHERE name IS NOT NULL",
            &[],
            |r| r.get(0),
        )?)
    }

    /// Every change to one record, oldest first.
    pub fn history_of(&self, entity: Entity, entity_id: i64) -> Result<Vec<HistoryEntry>> {
        Ok(self.conn.fetch_all(
            "SELECT at, user_name, entity, entity_id, action, changes, reason FROM history
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
            &[entity.code().into(), SqlValue::Int(entity_id)],
            |r| {
                let changes: String = r.get(5)?;
                Ok(HistoryEntry {
                    at: r.get::<Stamp>(0)?.0,
                    user_name: r.get(1)?,
                    entity: Entity::from_code(&r.get::<String>(2)?).unwrap_or(entity),
                    entity_id: r.get(3)?,
                    action: Action::from_code(&r.get::<String>(4)?).unwrap_or(Action::Update),
                    changes: serde_json::from_str(&changes).unwrap_or_default(),
                    reason: r.get(6)?,
                })
            },
        )?)
    }
}
