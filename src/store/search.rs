//! The registers' text search index (issue 10): an FTS5 table of each row's
//! searchable text cut into overlapping two-character terms, so that any
//! piece of a room, name, phone, service, note or running number — two
//! Chinese characters are a whole word — is found through the index instead
//! of reading every row with `LIKE` (150 ms on ten years of an office, 1–2 ms
//! now).
//!
//! Text is reduced to its letters and digits, lower case, before it is cut:
//! `3栋2单元201` → `3栋 栋2 2单 单元 元2 20 01 1`; the last character also
//! stands alone so that a one-character search finds it. A search for
//! `单元2` is then the phrase `单元 元2`, which holds only where the three
//! characters stand together. The index also holds each row's register
//! (column `kind`), so that a search in one register never reads the rows
//! of the others. The triggers of migration 15 keep the index
//! in step with every insert and change of a row, whoever writes it; the SQL
//! function [`TERMS_FUNCTION`] they call is registered on every connection.
//!
//! On PostgreSQL (issue 21) the same terms are an array per row, cut by SQL
//! functions of `store/pg/migrations.rs` that do what [`search_terms`] does,
//! and since migration 23 also rows of `(term, id)` tables read index-only
//! (see [`TermTable`]; since migration 24 with each three characters that
//! stand together, and the registers' count of rows per key);
//! [`server_match`] asks them what [`match_query`] asks FTS5, for the
//! registers and the shopping log. The history's keys are a GIN index
//! since migration 28 (each change's keys a compressed list, a count
//! kept per key), asked by [`server_history_keys`]' keys and check.
//!
//! The change history has an index of its own (`history_search`, migration
//! 19, issue 23) cut the same way: each row's record label, the names its
//! id-valued fields point to, who, the values and the reason; and one of
//! the ASCII grams of those fields (`history_grams`, migration 26: every
//! four ASCII letters or digits standing together), by whose rarer pieces
//! a number is found and then checked, since most changes hold its pairs.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// The SQL name of [`search_terms`], called by migration 15's triggers.
pub(super) const TERMS_FUNCTION: &str = "search_terms";

/// Makes `search_terms(field, …)` and `history_terms(…)` callable on
/// `conn` (also for tools and tests that open the file without HomeDesk:
/// the search triggers call them).
pub fn register_terms_function(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        TERMS_FUNCTION,
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let mut terms = String::new();
            for i in 0..ctx.len() {
                if let Ok(Some(field)) = ctx.get::<Option<String>>(i) {
                    push_terms(&mut terms, &field);
                }
            }
            Ok(terms)
        },
    )?;
    register_history_fn(conn, HISTORY_TERMS_FUNCTION, history_terms)?;
    register_history_fn(conn, HISTORY_GRAMS_FUNCTION, history_grams)
}

/// Registers `name(record, about, refs, who, changes, reason)`, one of
/// the history index's cutters, on `conn`: a NULL argument is empty text.
fn register_history_fn(
    conn: &Connection,
    name: &str,
    cut: fn(&[String], &str, &str, &str, &str) -> String,
) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        name,
        6,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let text = |i: usize| ctx.get::<Option<String>>(i).map(Option::unwrap_or_default);
            let labels = [text(0)?, text(1)?];
            Ok(cut(&labels, &text(2)?, &text(3)?, &text(4)?, &text(5)?))
        },
    )
}

/// The SQL name of [`history_terms`], called by migration 19's trigger.
pub(super) const HISTORY_TERMS_FUNCTION: &str = "history_terms";

/// The SQL name of [`history_grams`], called by migration 26's trigger.
pub(super) const HISTORY_GRAMS_FUNCTION: &str = "history_grams";

/// The triggers that index each history row as its label is written
/// (migrations 19 and 26).
pub(super) const HISTORY_SEARCH_TRIGGERS: [&str; 2] = ["history_search_new", "history_grams_new"];

/// Letters and digits of a search this long, standing together and all
/// ASCII, are looked for in `history_grams` (migration 26).
pub(super) const GRAM: usize = 4;

/// The terms of one history row (issue 23): its record's label and that of
/// the record it belongs to (`labels`), the names
/// and numbers its id-valued fields point to (`refs`, `[[field, id,
/// label], …]`), who made it, the old and new values of its changes
/// (`changes`, as the history holds them: the field names are left out, or
/// every row would hold "field") and its reason.
pub(super) fn history_terms(labels: &[String], refs: &str, who: &str, changes: &str, reason: &str) -> String {
    let mut terms = String::new();
    for_each_history_field(labels, refs, who, changes, reason, |field| push_terms(&mut terms, field));
    terms
}

/// The fields of one history row [`history_terms`] cuts, in its order.
fn for_each_history_field(
    labels: &[String],
    refs: &str,
    who: &str,
    changes: &str,
    reason: &str,
    mut each: impl FnMut(&str),
) {
    for field in labels.iter().map(String::as_str).chain([who, reason]) {
        each(field);
    }
    let refs: Vec<[String; 3]> = serde_json::from_str(refs).unwrap_or_default();
    for [_, _, label] in &refs {
        each(label);
    }
    let changes: Vec<crate::domain::Change> = serde_json::from_str(changes).unwrap_or_default();
    for change in &changes {
        each(&change.old);
        each(&change.new);
    }
}

/// The ASCII grams of one history row (migration 26): every [`GRAM`]
/// letters and digits standing together in one of [`history_terms`]'
/// fields, all of them ASCII — the pieces of its numbers (`jz20 z202 2021
/// …`). A pair of digits is in most changes (`20` in 96 % of ten years'),
/// so a number's pairs are a phrase FTS5 reads slowly; four together
/// (`0805`) are in a few per mille.
pub(super) fn history_grams(labels: &[String], refs: &str, who: &str, changes: &str, reason: &str) -> String {
    let mut grams = String::new();
    for_each_history_field(labels, refs, who, changes, reason, |field| {
        for gram in ascii_grams(&normalized(field)) {
            grams.push_str(&gram);
            grams.push(' ');
        }
    });
    grams
}

/// Every [`GRAM`] characters standing together in `chars` that are all
/// ASCII letters or digits.
fn ascii_grams(chars: &[char]) -> impl Iterator<Item = String> + '_ {
    chars.windows(GRAM).filter(|w| w.iter().all(char::is_ascii_alphanumeric)).map(|w| w.iter().collect())
}

/// The distinct grams of `text` that `history_grams` holds (none when it
/// has no [`GRAM`] ASCII letters or digits standing together).
pub(super) fn text_grams(text: &str) -> Vec<String> {
    let mut grams: Vec<String> = ascii_grams(&normalized(text)).collect();
    grams.sort();
    grams.dedup();
    grams
}

/// Builds the history's index afresh after a bulk load that ran without
/// [`HISTORY_SEARCH_TRIGGERS`], as [`refill_search_index`] does the
/// registers' (the same settings, for the same reasons). The `SELECT`
/// repeats migration 19's on purpose. Newest first, which is the index's
/// ascending order (its rowids are the ids negated): a rowid lower than the
/// last would write out the terms held in memory at every row.
pub(super) fn refill_history_index(conn: &Connection) -> rusqlite::Result<()> {
    refill_fts5(
        conn,
        "history_search",
        "INSERT INTO history_search (rowid, terms)
            SELECT -l.history_id, history_terms(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)
            FROM history_labels l JOIN history h ON h.id = l.history_id
            ORDER BY l.history_id DESC",
    )?;
    refill_fts5(conn, "history_grams", FILL_HISTORY_GRAMS)
}

/// Fills `history_grams` from every labelled change, newest first (its
/// rowids are the ids negated, as `history_search`'s): after a bulk load.
/// It repeats migration 26's statement on purpose: a migration is frozen as
/// it shipped, while this may change with the index.
const FILL_HISTORY_GRAMS: &str = "
    INSERT INTO history_grams (rowid, grams)
        SELECT -l.history_id, history_grams(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)
        FROM history_labels l JOIN history h ON h.id = l.history_id
        ORDER BY l.history_id DESC";

/// Empties the FTS5 table `table` and fills it again by `fill` (an
/// `INSERT` of all its rows) in one segment, with the settings of a bulk
/// pass ([`refill_search_index`] says why), put back to SQLite's defaults after.
fn refill_fts5(conn: &Connection, table: &str, fill: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0);
         INSERT INTO {table} ({table}, rank) VALUES ('hashsize', 33554432);
         INSERT INTO {table} ({table}) VALUES ('delete-all');
         {fill};
         INSERT INTO {table} ({table}) VALUES ('optimize');
         INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4);
         INSERT INTO {table} ({table}, rank) VALUES ('hashsize', 1048576);"
    ))
}

/// The triggers that keep the index in step row by row (migration 15).
pub(super) const SEARCH_TRIGGERS: [&str; 2] = ["requests_search_new", "requests_search_changed"];

/// Builds the index afresh from every row of the registers, as migration 15
/// first filled it: after a bulk load that ran without [`SEARCH_TRIGGERS`],
/// one pass costs a fraction of a trigger per row (each flushed the index
/// to disk at its statement's savepoint). The pass leaves the index in many
/// segments, each of which a search reads: `optimize` merges them into one.
/// The `SELECT` repeats migration 15's on purpose: a migration is frozen as
/// it shipped, while this may change with the index.
///
/// For the pass, the index holds 32 MB of terms in memory before it writes
/// a segment (1 MB by default) and merges none of them on the way
/// (`automerge` 0), as `optimize` merges them all once at the end: on ten
/// years, 3.8 s became 2.7. Both settings are put back to SQLite's defaults.
pub(super) fn refill_search_index(conn: &Connection) -> rusqlite::Result<()> {
    refill_fts5(
        conn,
        "requests_search",
        "INSERT INTO requests_search (rowid, kind, terms)
            SELECT id, kind, search_terms(
                CASE kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' WHEN 'alarm' THEN 'BJ' END
                    || '-' || year || '-' || printf('%06d', seq),
                room, resident_name, phone, service, details, notes)
            FROM requests",
    )
}

/// The characters a search looks at: letters and digits, lower case.
fn normalized(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Appends the terms of one field: its pairs, then its last character alone.
fn push_terms(terms: &mut String, field: &str) {
    let chars = normalized(field);
    for pair in chars.windows(2) {
        terms.push(pair[0]);
        terms.push(pair[1]);
        terms.push(' ');
    }
    if let Some(last) = chars.last() {
        terms.push(*last);
        terms.push(' ');
    }
}

/// The terms of the fields, as the index holds them (for tests).
pub fn search_terms(fields: &[&str]) -> String {
    let mut terms = String::new();
    for field in fields {
        push_terms(&mut terms, field);
    }
    terms
}

/// A register row's terms as the server's `request_terms` (migration 15)
/// cuts them: its running number (`JZ-2026-000001`; none for a kind
/// without a letter code), then its fields, each field's pairs and last
/// character. A copy onto a server fills its search tables from these
/// (`pg::bulk::SearchFill`) instead of cutting them in SQL: the same terms
/// (`pg_terms_are_cut_as_in_sqlite`), a fraction of the time.
pub(super) fn request_terms(kind: &str, year: i64, seq: i64, fields: &[&str]) -> Vec<String> {
    let code = match kind {
        "housekeeping" => Some("JZ"),
        "repair" => Some("WX"),
        "alarm" => Some("BJ"),
        _ => None,
    };
    let mut terms = String::new();
    if let Some(code) = code {
        // `zero_pad(seq, 6)`: padded to six, a longer number as it is.
        push_terms(&mut terms, &format!("{code}-{year}-{:0>6}", seq.to_string()));
    }
    for field in fields {
        push_terms(&mut terms, field);
    }
    split_terms(&terms)
}

/// A shopping log entry's terms as the server's `shopping_terms`
/// (migration 23) cuts them: its number as it prints (six digits), room,
/// resident, item and brand.
pub(super) fn shopping_terms(no: i64, fields: &[&str]) -> Vec<String> {
    let mut terms = String::new();
    push_terms(&mut terms, &format!("{:0>6}", no.to_string()));
    for field in fields {
        push_terms(&mut terms, field);
    }
    split_terms(&terms)
}

/// A change's terms as the server's `history_terms` (migration 19) cuts them.
pub(super) fn change_terms(
    labels: &[String],
    refs: &str,
    who: &str,
    changes: &str,
    reason: &str,
) -> Vec<String> {
    split_terms(&history_terms(labels, refs, who, changes, reason))
}

/// `string_to_array(rtrim(terms), ' ')`: the terms of a cut text, in order.
fn split_terms(terms: &str) -> Vec<String> {
    terms.split_terminator(' ').map(str::to_string).collect()
}

/// A row's keys as the server's `term_keys` and `history_keys` give them
/// (migrations 24 and 28): each term, each term's first character, and
/// each three characters standing together ([`term_triples_at`]), once each.
pub(super) fn term_keys(terms: &[String]) -> std::collections::BTreeSet<String> {
    let mut keys: std::collections::BTreeSet<String> =
        terms.iter().filter(|t| !t.is_empty()).cloned().collect();
    keys.extend(terms.iter().filter_map(|t| t.chars().next()).map(String::from));
    keys.extend(term_triples_at(terms).into_iter().map(|(triple, _)| triple));
    keys
}

/// Each three characters standing together in a row's terms, with the
/// place of their first pair (from 1), as the server's `term_triples_at`
/// (migration 26): two pairs that follow each other and chain.
pub(super) fn term_triples_at(terms: &[String]) -> Vec<(String, i32)> {
    let mut triples = Vec::new();
    for (i, pair) in terms.windows(2).enumerate() {
        let (a, b): (Vec<char>, Vec<char>) = (pair[0].chars().collect(), pair[1].chars().collect());
        if a.len() == 2 && b.len() == 2 && a[1] == b[0] {
            triples.push((format!("{}{}", pair[0], b[1]), i as i32 + 1));
        }
    }
    triples
}

/// Whether `text` holds characters the index leaves out (other than spaces).
pub(super) fn has_punctuation(text: &str) -> bool {
    text.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

/// A server's table of search keys (migration 23 of `store/pg/migrations.rs`):
/// one row per key of a row — each of its terms and each character it
/// holds — under a B-tree on `(term, …, id)` that the server reads
/// index-only, as FTS5 reads a term's doclist.
pub(super) struct TermTable {
    table: &'static str,
    /// The key's columns after `term` that name one row (its register, then `id`).
    row: &'static [&'static str],
    /// The table holding each row's terms in order, and its column of the
    /// row's id: a search of four characters or more is checked there as
    /// FTS5's phrase. `None`: the caller checks the text itself.
    phrase: Option<(&'static str, &'static str)>,
    /// The table of each three characters standing together with where
    /// they stand (`term`, the row's columns, `pos`: migration 26), in
    /// which a phrase of four characters or more is found by its triples
    /// at their distances, inside the index (instead of [`TermTable::phrase`]).
    at: Option<&'static str>,
}

/// The registers' keys; a search in one register reads that register's.
pub(super) const REQUEST_TERMS: TermTable = TermTable {
    table: "requests_term_ids",
    row: &["kind", "id"],
    phrase: Some(("requests_search", "id")),
    at: Some("requests_triple_at"),
};

/// The shopping log's keys (its search checks the typed text with `ILIKE` itself).
pub(super) const SHOPPING_TERMS: TermTable =
    TermTable { table: "shopping_term_ids", row: &["id"], phrase: None, at: None };

/// What a server looks a text up with: the ids the keys find, newest
/// first, as a table `t0` (`from`, whose `?`s come first), and the
/// `condition` on them (FTS5's phrase, or `TRUE`); `values` fill the `?`s in
/// the order they stand.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ServerMatch {
    pub from: String,
    pub condition: String,
    pub values: Vec<String>,
}

/// What FTS5's [`match_query`] finds, asked of a server's `table` (in one
/// register, `register`): one character is its key (every character a row
/// holds is one, which answers FTS5's prefix query); two are their pair,
/// three their triple ([`server_keys`]). Four or more stand one after
/// another as FTS5's phrase asks, so that `单元20` does not find `单元2` and
/// `元20` apart: where the table has its triples with their places
/// ([`TermTable::at`], migration 26), the phrase is its covering triples
/// each at its distance from the first, a join of index probes (the rows'
/// terms are never read); elsewhere its triples' ids are intersected (a
/// join on the row, which the server does as a merge of index-only scans
/// in the ids' order, newest first, stopping at a page) and the phrase
/// checked on the rows they found. The keys are read in a subquery the
/// planner keeps apart (`OFFSET 0`): left to itself it checked the phrase
/// while reading the first key, on every row holding it (0.3 s for a room
/// on a million changes). `None` when `text` has no letter or digit to
/// look for.
pub(super) fn server_match(text: &str, table: &TermTable, register: Option<&str>) -> Option<ServerMatch> {
    let ServerKeys { keys, phrase, cover } = server_keys(text)?;
    let (KeyJoin { joins, mut conditions, mut values }, distinct, phrase) = match (table.at, cover) {
        (Some(at), Some(cover)) => (phrase_at(at, table.row, &cover), "DISTINCT ", None),
        _ => (keys_joined(table, keys), "", phrase),
    };
    if let Some(register) = register {
        conditions.push("k0.kind = ?".into());
        values.push(register.into());
    }
    let from = format!(
        "(SELECT {distinct}k0.id FROM {joins} WHERE {} ORDER BY k0.id DESC OFFSET 0) t0",
        conditions.join(" AND ")
    );
    let condition = match (table.phrase, phrase) {
        (Some((terms, id)), Some(phrase)) => {
            values.push(phrase);
            format!(
                "(SELECT strpos(' ' || array_to_string(p.terms, ' ') || ' ', ?) FROM {terms} p \
                 WHERE p.{id} = t0.id) > 0"
            )
        }
        _ => "TRUE".into(),
    };
    Some(ServerMatch { from, condition, values })
}

/// Keys found in one row (alias `k0` the first key's): the `FROM` of
/// their join, its conditions and the values of their `?`s in order.
struct KeyJoin {
    joins: String,
    conditions: Vec<String>,
    values: Vec<String>,
}

/// Each of `keys` in the same row as the first (alias `k0`).
fn keys_joined(table: &TermTable, keys: Vec<String>) -> KeyJoin {
    let mut joins = format!("{} k0", table.table);
    let mut conditions = vec!["k0.term = ?".to_string()];
    for n in 1..keys.len() {
        let same: Vec<String> = table.row.iter().map(|c| format!("k{n}.{c} = k0.{c}")).collect();
        joins.push_str(&format!(" JOIN {} k{n} ON {}", table.table, same.join(" AND ")));
        conditions.push(format!("k{n}.term = ?"));
    }
    KeyJoin { joins, conditions, values: keys }
}

/// The triples of `cover`, each in the same row as the first and as far
/// after it as the phrase has them: each a probe of the table's key
/// `(term, row…, pos)`.
fn phrase_at(at: &str, row: &[&str], cover: &[(String, usize)]) -> KeyJoin {
    let mut joins = format!("{at} k0");
    let mut conditions = Vec::new();
    for (n, (_, distance)) in cover.iter().enumerate() {
        conditions.push(format!("k{n}.term = ?"));
        if n > 0 {
            let same: Vec<String> = row.iter().map(|c| format!("k{n}.{c} = k0.{c}")).collect();
            joins.push_str(&format!(
                " JOIN {at} k{n} ON {} AND k{n}.pos = k0.pos + {distance}",
                same.join(" AND ")
            ));
        }
    }
    KeyJoin { joins, conditions, values: cover.iter().map(|(triple, _)| triple.clone()).collect() }
}

/// A condition on one row of the table the keys index (the alias `outer`,
/// with the key's row columns, e.g. `kind` and `id`), true when the row
/// holds `text` as [`server_match`] finds it: each key probed in the index
/// for that row, then the phrase (or the phrase's triples at their places,
/// probed for that row). For walking a table in another order and stopping
/// at a page (`Store::query_request_first_ids`); `values` fill its `?`s in
/// order. `None` when `text` has no letter or digit to look for.
pub(super) fn server_row_match(text: &str, table: &TermTable, outer: &str) -> Option<ServerCondition> {
    let found = server_keys(text)?;
    if let (Some(at), Some(cover)) = (table.at, &found.cover) {
        let KeyJoin { joins, mut conditions, values } = phrase_at(at, table.row, cover);
        conditions.extend(table.row.iter().map(|c| format!("k0.{c} = {outer}.{c}")));
        let condition = format!("EXISTS (SELECT 1 FROM {joins} WHERE {} OFFSET 0)", conditions.join(" AND "));
        return Some(ServerCondition { condition, values });
    }
    let ServerKeys { keys, phrase, .. } = found;
    let same: Vec<String> = table.row.iter().map(|c| format!("k.{c} = {outer}.{c}")).collect();
    // `OFFSET 0` keeps each probe a probe: an `EXISTS` the planner may
    // turn into a join read the key's every id and sorted them (0.3–0.5 s
    // for a name in 18 000 rows, 76 ms walked under load).
    let probe = format!(
        "EXISTS (SELECT 1 FROM {} k WHERE k.term = ? AND {} OFFSET 0)",
        table.table,
        same.join(" AND ")
    );
    let mut conditions = vec![probe; keys.len()];
    let mut values = keys;
    if let (Some((terms, id)), Some(phrase)) = (table.phrase, phrase) {
        values.push(phrase);
        conditions.push(format!(
            "(SELECT strpos(' ' || array_to_string(p.terms, ' ') || ' ', ?) FROM {terms} p \
             WHERE p.{id} = {outer}.id) > 0"
        ));
    }
    Some(ServerCondition { condition: conditions.join(" AND "), values })
}

/// What a server looks a text up by: its keys, and the phrase to check on
/// the rows they find (the text's pairs as a row's ordered terms hold them),
/// or the triples covering the phrase with where each stands after the
/// first.
struct ServerKeys {
    keys: Vec<String>,
    phrase: Option<String>,
    cover: Option<Vec<(String, usize)>>,
}

/// The keys of `text` (see [`server_match`]): one character is its key, two
/// their pair, three or more their triples (migration 24: three characters
/// standing together in a field are a key, so that three are found exactly
/// by one key, without the phrase check). Four or more are then checked
/// as FTS5's phrase, since two triples found in a row may stand apart.
///
/// The phrase's cover (migration 26): a triple stands at the place of its
/// first pair among the row's terms, so the phrase's pairs stand in a row
/// exactly where the triples at its places 0, 2, 4, … and its last (n − 3)
/// do — each triple holds two of the pairs, and consecutive triples chain
/// the pairs between them, as FTS5's phrase asks. A field's last character
/// stands alone among the terms, so no phrase crosses from one field to
/// the next, in either backend.
fn server_keys(text: &str) -> Option<ServerKeys> {
    let chars = normalized(text);
    let joined = |n: usize| chars.windows(n).map(|w| w.iter().collect::<String>()).collect::<Vec<_>>();
    let mut keys = match chars.len() {
        0 => return None,
        1 | 2 => joined(chars.len()),
        _ => joined(3),
    };
    let cover = (chars.len() >= 4).then(|| {
        let triples = joined(3);
        let last = triples.len() - 1;
        let mut places: Vec<usize> = (0..last).step_by(2).collect();
        places.push(last);
        places.into_iter().map(|place| (triples[place].clone(), place)).collect()
    });
    keys.sort();
    keys.dedup();
    let phrase = (chars.len() >= 4).then(|| format!(" {} ", joined(2).join(" ")));
    Some(ServerKeys { keys, phrase, cover })
}

/// The one key a server finds `text` by with no phrase to check (a text
/// of one to three letters or digits), or `None`.
pub(super) fn server_single_key(text: &str) -> Option<String> {
    match server_keys(text)? {
        ServerKeys { mut keys, phrase: None, .. } if keys.len() == 1 => keys.pop(),
        _ => None,
    }
}

/// The three-character keys of a phrase of four characters or more (each
/// once), whose kept counts bound the rows it is found in; empty for a
/// shorter text.
pub(super) fn server_phrase_triples(text: &str) -> Vec<String> {
    match server_keys(text) {
        Some(ServerKeys { keys, cover: Some(_), .. }) => keys,
        _ => Vec::new(),
    }
}

/// The keys of `text` whose rows bound what a server's search finds (each
/// once): its one key (one to three letters or digits), or the triples of
/// four or more; empty when it has none. No more rows hold the text than
/// hold the rarest of them.
pub(super) fn server_bound_keys(text: &str) -> Vec<String> {
    server_keys(text).map(|found| found.keys).unwrap_or_default()
}

/// Whether the rows holding `text`'s one key are exactly those holding the
/// text as typed: one character, a letter or digit of ASCII or a Chinese
/// character, whose key is itself (lower case). Two or more may stand apart
/// in a field (`3-2` holds the pair `32`), and a rarer character's lower
/// case may be cut otherwise by the server than by Rust.
pub(super) fn server_exact_key(text: &str) -> bool {
    let mut chars = text.trim().chars();
    matches!((chars.next(), chars.next()), (Some(c), None)
        if c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What a server's history is asked for a text (migration 28): its keys,
/// each once — one character, its pair, its triple, or the triples of a
/// text of four characters or more, as [`server_match`] asks the
/// registers' — and the text as it stands in a change's terms joined by
/// spaces, which a change holds exactly where FTS5's [`match_query`] finds
/// it: ` a` for one character (a term beginning with it, FTS5's prefix
/// query), else the phrase of its pairs (` ab bc … `, [`phrase_in_terms`]).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct HistoryKeys {
    pub keys: Vec<String>,
    pub check: String,
    /// Whether the one key is the text itself (one to three characters),
    /// so that the changes holding it need no check.
    pub exact: bool,
}

/// The [`HistoryKeys`] of `text`, or `None` when it has no letter or
/// digit to look for.
pub(super) fn server_history_keys(text: &str) -> Option<HistoryKeys> {
    let ServerKeys { keys, .. } = server_keys(text)?;
    let chars = normalized(text);
    let check = match chars.as_slice() {
        [one] => format!(" {one}"),
        _ => phrase_in_terms(&phrase_terms(text)?),
    };
    Some(HistoryKeys { keys, check, exact: chars.len() <= 3 })
}

/// A condition of [`server_row_match`] and the values of its `?`s.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ServerCondition {
    pub condition: String,
    pub values: Vec<String>,
}

/// The FTS5 query finding `text` anywhere in a row's fields, or `None` when
/// `text` has no letter or digit to look for (the caller then reads the rows
/// with `LIKE`).
pub fn match_query(text: &str) -> Option<String> {
    let chars = normalized(text);
    match chars.as_slice() {
        [] => None,
        // Any term that begins with it: the pairs it starts, and itself as a last character.
        [one] => Some(format!("\"{one}\"*")),
        _ => phrase_terms(text).map(|terms| fts_phrase(&terms)),
    }
}

/// The terms of `text`'s phrase, in order (its pairs), when it has two
/// letters or digits or more; one alone is [`match_query`]'s prefix query.
pub(super) fn phrase_terms(text: &str) -> Option<Vec<String>> {
    let chars = normalized(text);
    (chars.len() >= 2).then(|| chars.windows(2).map(|pair| pair.iter().collect()).collect())
}

/// FTS5's phrase of `terms`: each follows the one before it in a row's terms.
pub(super) fn fts_phrase(terms: &[String]) -> String {
    format!("\"{}\"", terms.join(" "))
}

/// The phrase of `terms` as it stands in a row's terms
/// ([`history_terms`]' text, a space put before it): for checking a row
/// that FTS5 found by a part of the phrase.
pub(super) fn phrase_in_terms(terms: &[String]) -> String {
    format!(" {} ", terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_is_cut_into_pairs_and_its_last_character() {
        assert_eq!(search_terms(&["3栋2单元201"]), "3栋 栋2 2单 单元 元2 20 01 1 ");
    }

    /// Issue 21 item 6: a copy onto a server cuts the search rows in Rust;
    /// these are the SQL functions' rows for one register row (its running
    /// number padded as `zero_pad`, its keys once each, its triples with
    /// the place of their first pair), which `copy_office` compares on a
    /// whole office.
    #[test]
    fn a_copy_cuts_a_register_row_s_terms_keys_and_triples_as_the_server_s_functions() {
        let terms = request_terms("repair", 2026, 7, &["3栋2", "", "王五"]);
        let want = ["wx", "x2", "20", "02", "26", "60", "00", "00", "00", "00", "07", "7"];
        let want: Vec<String> =
            want.iter().chain(&["3栋", "栋2", "2", "王五", "五"]).map(|t| t.to_string()).collect();
        assert_eq!(terms, want);
        assert_eq!(
            request_terms("other", 2026, 1, &["a"]),
            vec!["a".to_string()],
            "no number for a kind without a code"
        );
        assert_eq!(
            request_terms("alarm", 2026, 1_234_567, &[])[10..12],
            ["56".to_string(), "67".to_string()]
        );
        let triples = term_triples_at(&want);
        assert_eq!(triples[0], ("wx2".to_string(), 1));
        assert!(triples.contains(&("3栋2".to_string(), 13)), "{triples:?}");
        assert!(!triples.iter().any(|(t, _)| t == "栋2王"), "fields do not chain: {triples:?}");
        let keys = term_keys(&want);
        assert!(
            ["wx", "w", "0", "000", "3栋2", "王五", "王", "五"].iter().all(|k| keys.contains(*k)),
            "{keys:?}"
        );
        assert_eq!(keys.iter().filter(|k| k.as_str() == "00").count(), 1, "each key once");
        assert_eq!(shopping_terms(42, &["8栋"])[..6].join(" "), "00 00 00 04 42 2");
    }

    #[test]
    fn punctuation_and_case_are_ignored() {
        assert_eq!(search_terms(&["JZ-2026"]), "jz z2 20 02 26 6 ");
        assert_eq!(match_query("jz-20").as_deref(), Some("\"jz z2 20\""));
    }

    #[test]
    fn a_change_is_found_by_its_labels_and_values_not_its_field_names() {
        let changes =
            r#"[{"field":"agreement","old":"","new":"25"},{"field":"room","old":"","new":"3栋201"}]"#;
        let refs = r#"[["agreement","25","XY-2026-0025"]]"#;
        let terms = history_terms(&["JZ-2026-000001".into(), String::new()], refs, "王经理", changes, "改期");
        for found in ["jz", "王经", "改期", "xy", "25", "3栋"] {
            assert!(terms.split(' ').any(|t| t == found), "{found} in {terms}");
        }
        assert!(!terms.split(' ').any(|t| t == "fi" || t == "ro"), "field names are left out: {terms}");
    }

    #[test]
    fn a_change_holds_the_ascii_grams_of_its_numbers_within_each_field() {
        let changes =
            r#"[{"field":"room","old":"","new":"3栋201"},{"field":"phone","old":"","new":"138-1234"}]"#;
        let grams = history_grams(&["JZ-2026-000123".into(), String::new()], "[]", "王经理", changes, "");
        let grams: Vec<&str> = grams.split_whitespace().collect();
        for found in ["jz20", "z202", "2026", "6000", "0123", "1381", "1234"] {
            assert!(grams.contains(&found), "{found} in {grams:?}");
        }
        assert!(
            !grams.iter().any(|g| g.contains('栋') || g.contains("201")),
            "three digits are no gram: {grams:?}"
        );
        assert!(!grams.contains(&"2011") && !grams.contains(&"0113"), "fields stand apart: {grams:?}");
        assert_eq!(text_grams("JZ-2026-01"), ["0260", "2026", "2601", "jz20", "z202"]);
        assert!(text_grams("3栋2单元201").is_empty());
    }

    #[test]
    fn the_server_is_asked_the_same_pairs_as_fts5() {
        let values = |text: &str| server_match(text, &REQUEST_TERMS, None).map(|m| m.values);
        assert_eq!(values("单元"), Some(vec!["单元".to_string()]));
        // Three characters are one key (migration 24), four or more their
        // triples and the phrase of their pairs.
        assert_eq!(values("单元2"), Some(vec!["单元2".to_string()]));
        assert_eq!(
            values("单元20"),
            Some(vec!["单元2".to_string(), "元20".to_string()]),
            "four: the registers' triples at places 0 and 1 (migration 26)"
        );
        let history = |text: &str| server_history_keys(text);
        assert_eq!(
            history("单元20"),
            Some(HistoryKeys {
                keys: vec!["元20".to_string(), "单元2".to_string()],
                check: " 单元 元2 20 ".to_string(),
                exact: false
            }),
            "the history's triples, then its phrase checked (migration 28)"
        );
        assert_eq!(history("单元2").map(|k| (k.keys, k.exact)), Some((vec!["单元2".to_string()], true)));
        assert_eq!(history(" 张 ").map(|k| k.check), Some(" 张".to_string()), "a term beginning with it");
        assert_eq!(values(" 张 "), Some(vec!["张".to_string()]));
        assert_eq!(server_single_key("单元2").as_deref(), Some("单元2"));
        assert_eq!(server_single_key("哈哈哈哈"), None, "a phrase to check");
        assert_eq!(values("-- %"), None);
        // A triple twice is one key; the phrase still asks for every pair.
        assert_eq!(
            history("哈哈哈哈").map(|k| (k.keys, k.check)),
            Some((vec!["哈哈哈".to_string()], " 哈哈 哈哈 哈哈 ".to_string()))
        );
        // In the registers, the triple twice, one place apart.
        assert_eq!(values("哈哈哈哈"), Some(vec!["哈哈哈".to_string(); 2]));
        let cover = |text: &str| server_keys(text).and_then(|k| k.cover);
        let places = |text: &str| cover(text).map(|c| c.into_iter().map(|(_, p)| p).collect::<Vec<_>>());
        assert_eq!(places("3栋2单元"), Some(vec![0, 2]), "five");
        assert_eq!(places("3栋2单元20"), Some(vec![0, 2, 4]), "seven");
        assert_eq!(places("3栋2单元201"), Some(vec![0, 2, 4, 5]), "eight: its last triple too");
        assert_eq!(cover("3栋2"), None, "three: one key");
        for text in ["单元", "单元2", "张", "3栋2单元"] {
            for table in [&REQUEST_TERMS, &SHOPPING_TERMS] {
                let m = server_match(text, table, Some("repair")).unwrap();
                let marks = m.from.matches('?').count() + m.condition.matches('?').count();
                assert_eq!(marks, m.values.len(), "{text} in {}: a value for each ?", table.table);
                let row = server_row_match(text, table, "r").unwrap();
                assert_eq!(row.condition.matches('?').count(), row.values.len(), "{text}: the row's probe");
            }
        }
        assert_eq!(server_row_match("单元20", &REQUEST_TERMS, "r").map(|m| m.values), values("单元20"));
        let row = server_row_match("3栋2单元", &REQUEST_TERMS, "r").unwrap();
        assert!(
            row.condition.contains("k1.pos = k0.pos + 2") && !row.condition.contains("strpos"),
            "{row:?}"
        );
        let shopping = server_match("单元20", &SHOPPING_TERMS, None).unwrap();
        assert_eq!(shopping.condition, "TRUE", "the log checks its text itself");
    }

    /// Issue 21 item 5: the shopping log's search trusts a key alone (no
    /// `LIKE` of each entry) only where it is the text exactly.
    #[test]
    fn one_ascii_or_chinese_character_is_its_own_key_exactly() {
        for exact in ["1", " 米 ", "m", "M"] {
            assert!(server_exact_key(exact), "{exact}");
        }
        for bound in ["32", "3-2", "-", "é", "①", ""] {
            assert!(!server_exact_key(bound), "{bound}");
        }
        assert_eq!(server_bound_keys("单元20"), ["元20", "单元2"], "a phrase: its triples");
        assert_eq!(server_bound_keys("M"), ["m"]);
        assert!(server_bound_keys("-- %").is_empty());
    }

    #[test]
    fn one_character_is_a_prefix_search_and_nothing_searchable_is_none() {
        assert_eq!(match_query(" 张 ").as_deref(), Some("\"张\"*"));
        assert_eq!(match_query("-- %"), None);
    }
}
