//! The three registers and refusals: issuing running numbers inside the
//! insert's transaction (gap-free, R-IN-4), and the indexed queries the
//! register tables run when a filter changes. On either backend (issue 21):
//! the statements go through the shared `Sql` layer, the dialects' few
//! differences side by side; the walk of a register kept for a search
//! finding thousands of rows is SQLite's (see `query_request_ids`).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::db::Db;
use super::sql::{Dialect, Row, Sql, SqlError, SqlExt, Value, ids_in_json, json_ids};
use super::stamp::{Stamp, minute_text};
use super::stats::all_kinds_sql;
use super::{Result, Store, WriteTx};
use crate::domain::history::{created, diff};
use crate::domain::{
    Action, AlarmWork, Correction, Desk, Entity, HouseholdId, Money, PastRequest, PriceReview, Refusal,
    RegisterKind, Request, RequestId, RequestStatus, RunningNo, StaffId, Urgency, ValidRefusal, ValidRequest,
};
use crate::sql_params;

/// Register-table columns that can be sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum SortColumn {
    #[default]
    No,
    ReceivedAt,
    Room,
    Resident,
    Service,
    Appointment,
    Price,
    Status,
    Staff,
}

impl SortColumn {
    /// The ORDER BY terms; `{d}` becomes ASC or DESC. Names sort by their
    /// bytes on both backends (`{c}`: PostgreSQL's `COLLATE "C"`, which is
    /// SQLite's `BINARY`); an empty price sorts first ascending, as SQLite
    /// puts NULL (`{n}`: PostgreSQL's NULLS FIRST, or LAST descending).
    fn sql(self) -> String {
        match self {
            // Numbers of different registers tie (JZ-2026-000012 and
            // BJ-2026-000012): the register breaks the tie, and `(kind,
            // year, seq)` is unique. For one register `kind` is fixed by
            // the filter, so its index is walked as before.
            SortColumn::No => "year {d}, seq {d}, kind {d}".into(),
            SortColumn::ReceivedAt => "received_at {d}, id {d}".into(),
            SortColumn::Room => "room{c} {d}, id DESC".into(),
            SortColumn::Resident => "resident_name{c} {d}, id DESC".into(),
            SortColumn::Service => "service{c} {d}, id DESC".into(),
            SortColumn::Appointment => "appointment {d}, id {d}".into(),
            SortColumn::Price => "price_fen {d}{n}, id DESC".into(),
            // Along the life cycle, not by the stored code.
            SortColumn::Status => {
                let arms: String = RequestStatus::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!(" WHEN '{}' THEN {i}", s.code()))
                    .collect();
                format!("CASE status{arms} END {{d}}, id DESC")
            }
            SortColumn::Staff => {
                "(SELECT name FROM staff WHERE id = assigned_staff_id){c} {d}{n}, id DESC".into()
            }
        }
    }

    /// The ORDER BY terms in `dialect`, ascending or descending.
    fn order_by(self, dialect: Dialect, descending: bool) -> String {
        let (d, c, n) = match (dialect, descending) {
            (Dialect::Sqlite, false) => ("ASC", "", ""),
            (Dialect::Sqlite, true) => ("DESC", "", ""),
            (Dialect::Postgres, false) => ("ASC", " COLLATE \"C\"", " NULLS FIRST"),
            (Dialect::Postgres, true) => ("DESC", " COLLATE \"C\"", " NULLS LAST"),
        };
        self.sql().replace("{d}", d).replace("{c}", c).replace("{n}", n)
    }
}

/// What a register table shows: one register, optionally narrowed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestQuery {
    pub kind: Option<RegisterKind>,
    /// Matches running number, room, resident, phone, service, details, notes.
    pub text: String,
    /// Exactly this room (a room typed in full is not a substring search:
    /// `5栋2单元1701` must not find `15栋2单元1701`).
    pub room: Option<String>,
    pub status: Option<RequestStatus>,
    /// Received on or after this day.
    pub from: Option<NaiveDate>,
    /// Received on or before this day.
    pub to: Option<NaiveDate>,
    /// Assigned to, or received by, this staff member.
    pub staff: Option<StaffId>,
    pub sort: SortColumn,
    pub descending: bool,
}

/// The first rows of a search and how many it finds in all
/// ([`Store::query_request_first_ids`]): the whole answer when `ids` holds
/// `total` of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestPage {
    pub ids: Vec<RequestId>,
    pub total: usize,
    /// `total` is not the count but its bound: the rows holding the
    /// phrase's rarest three characters (kept counts), of which the phrase
    /// is in some. The whole list, read after, counts them; the table says
    /// "at most" until then.
    pub at_most: bool,
}

impl RequestPage {
    /// All the rows found, counted.
    pub fn whole(ids: Vec<RequestId>) -> RequestPage {
        RequestPage { total: ids.len(), ids, at_most: false }
    }

    /// Whether these are all the rows found.
    pub fn is_whole(&self) -> bool {
        !self.at_most && self.ids.len() >= self.total
    }
}

/// Row ids as one flag per id: tens of thousands of them are looked up
/// while a register of hundreds of thousands is walked.
struct IdSet {
    flags: Vec<bool>,
}

impl IdSet {
    fn of(ids: &[RequestId]) -> IdSet {
        let len = ids.iter().copied().max().map_or(0, |max| usize::try_from(max).unwrap_or(0) + 1);
        let mut flags = vec![false; len];
        for id in ids {
            if let Some(flag) = usize::try_from(*id).ok().and_then(|i| flags.get_mut(i)) {
                *flag = true;
            }
        }
        IdSet { flags }
    }

    fn holds(&self, id: RequestId) -> bool {
        usize::try_from(id).ok().and_then(|i| self.flags.get(i)).copied().unwrap_or(false)
    }
}

/// A register's ids in the order a table shows them, as a search that
/// finds many rows walked them (about 10 ms for 120 000 rows), with where
/// the data stood then: a clerk typing a search walks the same register at
/// every keystroke.
pub(super) struct RegisterWalk {
    state: (i64, u64),
    /// The query without its text.
    query: RequestQuery,
    ids: Vec<RequestId>,
}

/// Rows a search may find and still be read one by one from the index;
/// past it, walking the register in order is quicker.
const FEW_FOUND: usize = 3000;

/// The newest rows of a register a phrase of four characters or more is
/// looked for in before it is counted (`Store::query_request_first_ids`):
/// a phrase in one row of sixteen fills the first page there.
const PHRASE_WALK: usize = 2048;

/// A snapshot for history; the assigned staff member is recorded by name.
fn request_fields(
    v: &ValidRequest,
    no: RunningNo,
    assigned_name: Option<String>,
) -> Vec<(&'static str, String)> {
    let opt = |o: Option<String>| o.unwrap_or_default();
    vec![
        ("running_no", no.to_string()),
        ("room", v.room.to_string()),
        ("resident_name", v.resident_name.clone()),
        ("phone", v.phone.clone()),
        ("service", v.service.clone()),
        ("details", v.details.clone()),
        ("appointment", minute_text(v.appointment)),
        ("slack_reason", v.slack_reason.clone()),
        ("price", opt(v.price.map(|p| p.to_string()))),
        ("price_agreed", v.price_agreed.to_string()),
        ("review", opt(v.review.as_ref().map(|r| format!("{}: {}", r.reviewer, r.conclusion)))),
        ("urgency", opt(v.urgency.map(|u| u.code().to_string()))),
        ("alarm_work", opt(v.alarm_work.map(|a| a.code().to_string()))),
        ("assigned_staff", opt(assigned_name)),
        ("notes", v.notes.clone()),
        ("relay_told", opt(v.relay_told.clone())),
    ]
}

/// The columns a register row is read from. [`request_from_row`] reads them
/// by position: looking a column up by name scans every column's name,
/// which cost more than reading the row itself.
const REQUEST_COLUMNS: [&str; 39] = [
    "r.id",
    "r.kind",
    "r.year",
    "r.seq",
    "r.received_at",
    "r.received_by",
    "r.desk",
    "r.room",
    "r.resident_name",
    "r.phone",
    "r.service",
    "r.details",
    "r.appointment",
    "r.slack_reason",
    "r.price_fen",
    "r.price_agreed",
    "r.review_by",
    "r.review_at",
    "r.review_conclusion",
    "r.urgency",
    "r.alarm_work",
    "r.assigned_staff_id",
    "s.name",
    "r.status",
    "r.signed_off_by",
    "r.signed_off_at",
    "r.collected_fen",
    "r.collected_by",
    "r.settled_at",
    "r.notes",
    "r.relay_told",
    "r.relay_of",
    "r.follow_up",
    "r.arrived_at",
    "r.finished_at",
    "r.agreement_id",
    "l.kind",
    "l.year",
    "l.seq",
];

/// The position of `name` in [`REQUEST_COLUMNS`], worked out at compile time.
const fn column(name: &str) -> usize {
    let mut i = 0;
    while i < REQUEST_COLUMNS.len() {
        if REQUEST_COLUMNS[i].eq_ignore_ascii_case(name) {
            return i;
        }
        i += 1;
    }
    panic!("not a column of REQUEST_COLUMNS")
}

/// The other row of a relay (R-DESK-3): the note names its repair; a
/// repair taken with a relay (only those carry `relay_told`) is found by its
/// note through the partial index `requests_relay_of` (migration 18), so
/// other rows cost nothing.
const RELAY_LINK: &str = "coalesce(r.relay_of, CASE WHEN r.relay_told IS NOT NULL THEN
    (SELECT n.id FROM requests n WHERE n.relay_of = r.id) END)";

/// `SELECT` of every register-row column, for a `WHERE` to follow.
static SELECT_REQUEST: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM requests r LEFT JOIN staff s ON s.id = r.assigned_staff_id
         LEFT JOIN requests l ON l.id = {RELAY_LINK}",
        REQUEST_COLUMNS.join(", ")
    )
});

static SELECT_REQUEST_BY_ID: LazyLock<String> =
    LazyLock::new(|| format!("{} WHERE r.id = ?1", *SELECT_REQUEST));

/// The rows whose ids are in a JSON array (one statement whatever their number).
static SELECT_REQUESTS_IN: LazyLock<String> =
    LazyLock::new(|| format!("{} WHERE r.id IN ({})", *SELECT_REQUEST, ids_in_json(Dialect::Sqlite, "?1")));

/// The same on the server ([`ids_in_json`]: the list bound as text, cast there).
static PG_SELECT_REQUESTS_IN: LazyLock<String> =
    LazyLock::new(|| format!("{} WHERE r.id IN ({})", *SELECT_REQUEST, ids_in_json(Dialect::Postgres, "?1")));

static SELECT_FINISHED_JOBS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, assigned_staff_id, finished_at FROM requests
         WHERE kind IN ({}) AND received_at >= ?1 AND received_at < ?2
         AND assigned_staff_id IS NOT NULL AND finished_at IS NOT NULL",
        all_kinds_sql()
    )
});

fn request_from_row(r: &Row) -> Result<Request, SqlError> {
    macro_rules! col {
        ($name:literal) => {
            const { column($name) }
        };
    }
    let kind =
        RegisterKind::from_code(&r.get::<String>(col!("r.kind"))?).unwrap_or(RegisterKind::Housekeeping);
    let money = |col: usize| -> Result<Option<Money>, SqlError> {
        Ok(r.get::<Option<i64>>(col)?.and_then(Money::from_fen))
    };
    let review = match r.get::<Option<String>>(col!("r.review_by"))? {
        Some(reviewer) => Some(PriceReview {
            reviewer,
            reviewed_at: r.get::<Stamp>(col!("r.review_at"))?.0,
            conclusion: r.get::<Option<String>>(col!("r.review_conclusion"))?.unwrap_or_default(),
        }),
        None => None,
    };
    let assigned: Option<StaffId> = r.get(col!("r.assigned_staff_id"))?;
    let signed_by: Option<String> = r.get(col!("r.signed_off_by"))?;
    let collected_by: Option<String> = r.get(col!("r.collected_by"))?;
    let time = |col: usize| r.get::<Stamp>(col).map(|t| t.0);
    let maybe_time = |col: usize| r.get::<Option<Stamp>>(col).map(|t| t.map(|t| t.0));
    let signed_at = maybe_time(col!("r.signed_off_at"))?;
    let code = |col: usize| r.get::<Option<String>>(col);
    Ok(Request {
        id: r.get(col!("r.id"))?,
        no: RunningNo { kind, year: r.get(col!("r.year"))?, seq: r.get(col!("r.seq"))? },
        received_at: time(col!("r.received_at"))?,
        received_by: r.get(col!("r.received_by"))?,
        desk: Desk::from_code(&r.get::<String>(col!("r.desk"))?).unwrap_or(kind.owner()),
        room: r.get(col!("r.room"))?,
        resident_name: r.get(col!("r.resident_name"))?,
        phone: r.get(col!("r.phone"))?,
        service: r.get(col!("r.service"))?,
        details: r.get(col!("r.details"))?,
        appointment: time(col!("r.appointment"))?,
        slack_reason: r.get(col!("r.slack_reason"))?,
        price: money(col!("r.price_fen"))?,
        price_agreed: r.get(col!("r.price_agreed"))?,
        review,
        urgency: code(col!("r.urgency"))?.and_then(|c| Urgency::from_code(&c)),
        alarm_work: code(col!("r.alarm_work"))?.and_then(|c| AlarmWork::from_code(&c)),
        assigned_staff: assigned.map(|id| (id, code(col!("s.name")).ok().flatten().unwrap_or_default())),
        status: RequestStatus::from_code(&r.get::<String>(col!("r.status"))?)
            .unwrap_or(RequestStatus::Registered),
        signed_off: signed_by.zip(signed_at),
        collected: money(col!("r.collected_fen"))?.zip(collected_by),
        settled_at: maybe_time(col!("r.settled_at"))?,
        notes: r.get(col!("r.notes"))?,
        relay_told: r.get(col!("r.relay_told"))?,
        relay_of: r.get(col!("r.relay_of"))?,
        relay_link: match code(col!("l.kind"))?.and_then(|c| RegisterKind::from_code(&c)) {
            Some(kind) => Some(RunningNo { kind, year: r.get(col!("l.year"))?, seq: r.get(col!("l.seq"))? }),
            None => None,
        },
        follow_up: r.get(col!("r.follow_up"))?,
        arrived_at: maybe_time(col!("r.arrived_at"))?,
        finished_at: maybe_time(col!("r.finished_at"))?,
        agreement: r.get(col!("r.agreement_id"))?,
    })
}

impl Store {
    pub fn get_request(&self, id: RequestId) -> Result<Request> {
        Ok(self.conn.fetch_one(&SELECT_REQUEST_BY_ID, &[id.into()], request_from_row)?)
    }

    /// `staff`'s open jobs (registered, sent or not home) booked from
    /// `from` up to `to`: the bookings a new one may clash with.
    pub fn open_jobs_of_staff(
        &self,
        staff: StaffId,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<Request>> {
        let ids = self.conn.fetch_all(
            "SELECT id FROM requests WHERE assigned_staff_id = ?1
                AND status IN ('registered', 'dispatched', 'not_home')
                AND appointment >= ?2 AND appointment < ?3 ORDER BY appointment",
            &sql_params![staff, Stamp(from), Stamp(to)],
            |r| r.get(0),
        )?;
        self.get_requests(&ids)
    }

    /// The rows with these ids, in the order given (for drawing a visible
    /// page). The ids go in as one JSON array, so that the statement stays
    /// prepared whatever their number.
    pub fn get_requests(&self, ids: &[RequestId]) -> Result<Vec<Request>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = format!("[{}]", ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(","));
        let sql = match self.conn.dialect() {
            Dialect::Sqlite => &*SELECT_REQUESTS_IN,
            Dialect::Postgres => &*PG_SELECT_REQUESTS_IN,
        };
        let mut rows = self.conn.fetch_all(sql, &[list.into()], request_from_row)?;
        let mut place = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            place.entry(*id).or_insert(i);
        }
        rows.sort_by_key(|r| place.get(&r.id).copied());
        Ok(rows)
    }

    /// Each row received on the days `from ..= to` that a staff member
    /// finished: its id, who finished it and when. Three columns, not the
    /// whole row, for passes over months of rows. Every register is named so
    /// that the days are read on `(kind, received_at)`.
    pub fn finished_jobs(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(RequestId, StaffId, NaiveDateTime)>> {
        let after = to.succ_opt().unwrap_or(to);
        Ok(self.conn.fetch_all(
            &SELECT_FINISHED_JOBS,
            &[from.to_string().into(), after.to_string().into()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get::<Stamp>(2)?.0)),
        )?)
    }

    /// The ids of every row matching `q`, in display order. Ids only, so that
    /// 200 000 matches cost 1.6 MB; the table fetches visible rows by id.
    pub fn query_request_ids(&self, q: &RequestQuery) -> Result<Vec<RequestId>> {
        let mut filter = Filter::default();
        if let Some(kind) = q.kind {
            filter.push("kind = ?", kind.code());
        } else if q.from.is_some() || q.to.is_some() {
            // Every register: named, so that the days are read on `(kind, received_at)`.
            filter.clauses.push(format!("kind IN ({})", all_kinds_sql()));
        }
        if let Some(status) = q.status {
            filter.push("status = ?", status.code());
        }
        if let Some(from) = q.from {
            filter.push("received_at >= ?", from.format("%Y-%m-%d").to_string());
        }
        if let Some(to) = q.to.and_then(|d| d.succ_opt()) {
            filter.push("received_at < ?", to.format("%Y-%m-%d").to_string());
        }
        if let Some(staff) = q.staff {
            filter.push("(assigned_staff_id = ? OR received_by_id = ?)", staff);
        }
        if let Some(room) = &q.room {
            filter.push("room = ?", room.clone());
        }
        let text = q.text.trim();
        let dialect = self.conn.dialect();
        // A search that finds a few thousand rows reads them by id from the
        // index and sorts them. One that finds more takes the rows found (in
        // any register) as a set and keeps them while walking the register in
        // its order: reading 56 000 rows one by one to sort them took 56 ms on
        // ten years, the walk about 12. Left to itself the planner walked the
        // register for a rare name too, testing every row (8 ms; 0.4 ms by id).
        // PostgreSQL's planner joins the ids found to the register and sorts
        // them itself, and has no cheap mark of the data's state to keep a
        // walk by: there, always by id.
        let found_many = match found_by_index(dialect, None, text) {
            // Every register at once has no order to walk: always by id.
            Some(all) if dialect == Dialect::Sqlite && q.room.is_none() && q.kind.is_some() => {
                self.search_found_if_many(&all)?
            }
            _ => None,
        };
        // The register is asked of the index too: a word common in the
        // others is found without reading their rows.
        let by_index = found_by_index(dialect, q.kind, text);
        if let (Some((found, terms)), None) = (&by_index, &found_many) {
            filter.push_each(&format!("id IN ({found})"), terms);
        }
        // The index holds letters and digits only: a search with punctuation
        // (`100%`, `JZ-2026-000002`) is checked character for character on the
        // rows the index found — or on every row when it holds nothing else.
        // (SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does.)
        let checks_text = !text.is_empty() && (by_index.is_none() || super::search::has_punctuation(text));
        if checks_text {
            let (running_no, like) = match dialect {
                Dialect::Sqlite => {
                    (format!("({} || '-' || year || '-' || printf('%06d', seq))", prefix_sql()), "LIKE")
                }
                Dialect::Postgres => ("running_number(kind, year, seq)".to_string(), "ILIKE"),
            };
            let columns =
                ["room", "resident_name", "phone", "service", "details", "notes", running_no.as_str()];
            let any = columns.map(|c| format!("{c} {like} ? ESCAPE '\\'")).join(" OR ");
            filter.push(&format!("({any})"), format!("%{}%", escape_like(text)));
        }
        // A household's rows are a handful: read them by room (the planner
        // walked the whole register to save a sort: 51 ms on ten years, now 0.1).
        // The hints are SQLite's; PostgreSQL's planner chose these plans itself.
        let table = match dialect {
            Dialect::Sqlite if q.room.is_some() => "requests INDEXED BY requests_room",
            Dialect::Sqlite if by_index.is_some() && found_many.is_none() => "requests NOT INDEXED",
            _ => "requests",
        };
        let mut sql = format!("SELECT id FROM {table}");
        if !filter.clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&filter.clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY ");
        sql.push_str(&q.sort.order_by(dialect, q.descending));
        let Some(found) = found_many else {
            return self.ids_of(&sql, &filter.args);
        };
        // The walk is the same at every keystroke of a search: kept until
        // the data changes (unless the text itself is in the statement).
        // The state is read before the walk: a commit landing between the
        // two costs one more walk, never a walk kept as newer than it is.
        let walk_key = RequestQuery { text: String::new(), ..q.clone() };
        let state = self.data_state()?;
        let mut ids = match (checks_text, self.walk_if_kept(&walk_key, state)) {
            (false, Some(ids)) => ids,
            _ => {
                let ids = self.ids_of(&sql, &filter.args)?;
                if !checks_text {
                    *self.walked.borrow_mut() =
                        Some(RegisterWalk { state, query: walk_key, ids: ids.clone() });
                }
                ids
            }
        };
        ids.retain(|id| found.holds(*id));
        Ok(ids)
    }

    /// The first `n` ids of a search in display order and how many it finds
    /// in all, when that is quicker to know than the whole list; `None` when
    /// [`Store::query_request_ids`] answers as quickly (an SQLite file, a
    /// filter besides the text, a sort on no index, or a search finding
    /// few rows). The register's reader shows these at once and reads the
    /// whole list after them, for the scroll bar's far end.
    ///
    /// On a server (issue 21), a text found in tens of thousands of rows
    /// cost 0.2–0.9 s as one list: each id found joined to its row and
    /// sorted. Its first page is instead the register walked in its order
    /// (`(kind, year, seq)` or `(kind, received_at)`), each row probed in
    /// the keys, which stops after a few hundred rows when the text is
    /// common; its count is one look-up (`requests_term_counts`, migration
    /// 24: a text of up to three characters is one key); a text of four or
    /// more is found on its triples at their places (migration 26), its
    /// first page on the register's newest rows, its count only bounded
    /// ([`RequestPage::at_most`]) until the whole list follows. A search
    /// finding few (at most [`FEW_FOUND`]; a phrase not on the newest rows,
    /// three times as many, as its rows are read anyway) is answered whole,
    /// by id: the walk would read most of the register to fill a page.
    /// A register with no text, as its tab opens, is its first `n` rows on
    /// its index and its count, one statement.
    pub fn query_request_first_ids(&self, q: &RequestQuery, n: usize) -> Result<Option<RequestPage>> {
        self.first_ids_past(q, n, FEW_FOUND)
    }

    /// [`Store::query_request_first_ids`] with the number of rows past
    /// which a search is walked (for tests, which cannot write thousands).
    #[doc(hidden)]
    pub fn first_ids_past(&self, q: &RequestQuery, n: usize, few: usize) -> Result<Option<RequestPage>> {
        let text = q.text.trim();
        let only_text = q.room.is_none()
            && q.status.is_none()
            && q.from.is_none()
            && q.to.is_none()
            && q.staff.is_none()
            && !super::search::has_punctuation(text);
        let sorted_on_index = matches!(q.sort, SortColumn::No | SortColumn::ReceivedAt);
        let (Dialect::Postgres, Some(kind), true, true) =
            (self.conn.dialect(), q.kind, only_text, sorted_on_index)
        else {
            return Ok(None);
        };
        let order = q.sort.order_by(Dialect::Postgres, q.descending);
        if text.is_empty() {
            return self.first_ids_of_register(kind, &order, n).map(Some);
        }
        let Some((found, values)) = found_by_index(Dialect::Postgres, Some(kind), text) else {
            return Ok(None);
        };
        let whole_of = |some: &[RequestId]| -> Result<Option<RequestPage>> {
            let sql = format!(
                "SELECT id FROM requests WHERE id IN ({}) ORDER BY {order}",
                ids_in_json(Dialect::Postgres, "?")
            );
            Ok(Some(RequestPage::whole(self.ids_of(&sql, &[json_ids(some.iter().copied())])?)))
        };
        let total = match super::search::server_single_key(text) {
            // A text of up to three characters is one key, counted in
            // `requests_term_counts` (migration 24).
            Some(key) => {
                let total: i64 = self.conn.fetch_value(
                    "SELECT coalesce((SELECT n FROM requests_term_counts WHERE term = ? AND kind = ?), 0)",
                    &[key.into(), kind.code().into()],
                )?;
                let total = usize::try_from(total).unwrap_or(0);
                // Few found: read and put in the register's order, the whole answer.
                if total <= few {
                    return whole_of(&self.ids_of(&found, &values)?);
                }
                total
            }
            // Four or more: the rows holding the phrase's triples at their
            // places (migration 26). No more rows hold it than hold its
            // rarest triple (kept counts): up to a key's few, the whole
            // list is read at once. Past that, its first page is looked
            // for on the register's newest [`PHRASE_WALK`] rows, each
            // probed for the triples at their places, and shown with that
            // bound ("at most"), the whole list counting it after: no
            // count of a phrase is kept, and counting one read every row
            // found (the two-year office: 1单元1 in 5 096 rows 163 ms,
            // JZ-202 in 24 097 rows 369 ms; the page 1.7 ms). A page not
            // filled there is the phrase's rare: its ids are read inside
            // the index, up to three times a key's few, and when no more
            // are found they are the whole list, its rows put in order by
            // id (the walk would read the register's rows between them: a
            // room's 6 340 rows of 137 000 were 5 400 rows walked for a
            // page, 0.1 s under load). Counting them first and reading the
            // list after went over the triples' places twice (a phone's
            // `2002` on ten years, 1 309 rows of 122 203: 11 ms each).
            // More than that: counted, and walked in order.
            None => {
                let whole = |store: &Self| -> Result<Option<RequestPage>> {
                    Ok(Some(RequestPage::whole(store.query_request_ids(q)?)))
                };
                let triples = super::search::server_phrase_triples(text);
                let list = serde_json::to_string(&triples).unwrap_or_else(|_| "[]".into());
                let most: i64 = self.conn.fetch_value(
                    "SELECT coalesce(min(coalesce((SELECT n FROM requests_term_counts c \
                         WHERE c.term = t.value AND c.kind = ?), 0)), 0) \
                     FROM jsonb_array_elements_text(CAST(CAST(? AS TEXT) AS jsonb)) AS t",
                    &[kind.code().into(), list.into()],
                )?;
                let many = few.saturating_mul(3);
                let most = usize::try_from(most).unwrap_or(0);
                if most <= few {
                    return whole(self);
                }
                if let Some(ids) = self.walk_first(kind, text, &order, n, Some(PHRASE_WALK))?
                    && ids.len() >= n
                {
                    return Ok(Some(RequestPage { ids, total: most, at_most: true }));
                }
                if most <= many {
                    return whole(self);
                }
                let some = self.ids_of(&format!("{found} LIMIT {}", many.saturating_add(1)), &values)?;
                if some.len() <= many {
                    return whole_of(&some);
                }
                let total: i64 =
                    self.conn.fetch_value(&format!("SELECT count(*) FROM ({found}) f"), &values)?;
                usize::try_from(total).unwrap_or(0)
            }
        };
        let Some(ids) = self.walk_first(kind, text, &order, n, None)? else {
            return Ok(None);
        };
        Ok(Some(RequestPage { ids, total, at_most: false }))
    }

    /// The first `n` rows of register `kind` in `order` holding `text`:
    /// the register walked in that order (on its index), each row probed in
    /// the keys, of its newest `within` rows only when given. `None` when
    /// `text` has nothing to look up.
    fn walk_first(
        &self,
        kind: RegisterKind,
        text: &str,
        order: &str,
        n: usize,
        within: Option<usize>,
    ) -> Result<Option<Vec<RequestId>>> {
        let Some(probe) = super::search::server_row_match(text, &super::search::REQUEST_TERMS, "r") else {
            return Ok(None);
        };
        let mut args: Vec<Value> = vec![kind.code().into()];
        // The columns the orders name (`SortColumn::sql` of `No` and `ReceivedAt`).
        let rows = match within {
            Some(rows) => {
                args.push(kind.code().into());
                format!(
                    "(SELECT id, kind, year, seq, received_at FROM requests WHERE kind = ? \
                     ORDER BY {order} LIMIT {rows})"
                )
            }
            None => "requests".into(),
        };
        args.extend(probe.values.into_iter().map(Value::from));
        let sql = format!(
            "SELECT r.id FROM {rows} r WHERE r.kind = ? AND {} ORDER BY {order} LIMIT {n}",
            probe.condition
        );
        Ok(Some(self.ids_of(&sql, &args)?))
    }

    /// The first `n` ids of register `kind` in `order` (on its index) and
    /// how many it holds, in one statement: the register as its tab opens
    /// on a server. Its whole list (24 000 ids of two years' housekeeping)
    /// was read before the first rows were shown, most of the tab's first
    /// 0.47 s at start; it is read after them now (`ui/row_query.rs`).
    fn first_ids_of_register(&self, kind: RegisterKind, order: &str, n: usize) -> Result<RequestPage> {
        let sql = format!(
            "SELECT id, (SELECT count(*) FROM requests WHERE kind = ?1) FROM requests WHERE kind = ?1
             ORDER BY {order} LIMIT {n}"
        );
        let rows = self.conn.fetch_all(&sql, &[kind.code().into()], |r| Ok((r.get(0)?, r.get::<i64>(1)?)))?;
        let total = rows.first().map_or(0, |(_, total)| usize::try_from(*total).unwrap_or(0));
        Ok(RequestPage { ids: rows.into_iter().map(|(id, _)| id).collect(), total, at_most: false })
    }

    /// The ids `sql` selects. A walk reads a whole register's ids (120 000
    /// of them): an SQLite file's are read as they come, not first gathered
    /// as rows of [`Value`]s as the shared layer does (a new vector per row:
    /// four times as slow in a debug build).
    fn ids_of(&self, sql: &str, params: &[Value]) -> Result<Vec<RequestId>> {
        match &self.conn {
            Db::Lite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let ids = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
                Ok(ids.collect::<Result<Vec<_>, _>>()?)
            }
            Db::Server(_) => Ok(self.conn.fetch_all(sql, params, |r| r.get(0))?),
        }
    }

    /// Where an SQLite file's data stands: another connection's commit
    /// moves `data_version`, a change on this one `total_changes` (a
    /// server has neither; its searches keep no walk).
    fn data_state(&self) -> Result<(i64, u64)> {
        let version = self.conn.fetch_value("PRAGMA data_version", &[])?;
        let changes = match &self.conn {
            Db::Lite(conn) => conn.total_changes(),
            Db::Server(_) => 0,
        };
        Ok((version, changes))
    }

    /// The ids of the walk for `key`, if it was kept with the data as it
    /// stands (`state`).
    fn walk_if_kept(&self, key: &RequestQuery, state: (i64, u64)) -> Option<Vec<RequestId>> {
        let walked = self.walked.borrow();
        walked.as_ref().filter(|w| w.state == state && w.query == *key).map(|w| w.ids.clone())
    }

    /// The rows the search index finds (`found`: the statement and its
    /// value, from [`found_by_index`]) when they are more than
    /// [`FEW_FOUND`]; `None` when fewer.
    fn search_found_if_many(&self, (found, terms): &(String, Vec<Value>)) -> Result<Option<IdSet>> {
        let ids = self.ids_of(found, terms)?;
        Ok((ids.len() > FEW_FOUND).then(|| IdSet::of(&ids)))
    }

    /// The plan of the search index's lookup of `text` in register `kind`
    /// (SQLite's `EXPLAIN QUERY PLAN`, the server's `EXPLAIN`), for the
    /// tests that keep it on the index; empty when `text` has nothing to look up.
    #[doc(hidden)]
    pub fn search_index_plan(&self, kind: Option<RegisterKind>, text: &str) -> Result<Vec<String>> {
        let Some((found, terms)) = found_by_index(self.conn.dialect(), kind, text) else {
            return Ok(Vec::new());
        };
        Ok(super::stats::query_plan(&self.conn, &found, &terms)?)
    }

    /// The latest requests of a household in every register, newest first,
    /// so that a repeat call is seen at once.
    pub fn recent_requests_for_room(&self, room: &str, limit: usize) -> Result<Vec<Request>> {
        let sql = format!("{} WHERE r.room = ?1 ORDER BY r.received_at DESC LIMIT ?2", *SELECT_REQUEST);
        Ok(self.conn.fetch_all(&sql, &sql_params![room, limit as i64], request_from_row)?)
    }

    /// The row with running number `no`, if there is one.
    pub fn request_id_by_no(&self, no: RunningNo) -> Result<Option<RequestId>> {
        Ok(self.conn.fetch_opt(
            "SELECT id FROM requests WHERE kind = ?1 AND year = ?2 AND seq = ?3",
            &sql_params![no.kind.code(), no.year, no.seq],
            |r| r.get(0),
        )?)
    }

    /// Every (register, year) that has issued a running number or holds a row.
    pub fn register_years(&self) -> Result<Vec<(RegisterKind, i32)>> {
        let rows = self.conn.fetch_all(
            "SELECT kind, year FROM running_numbers UNION SELECT DISTINCT kind, year FROM requests",
            &[],
            |r| Ok((r.get::<String>(0)?, r.get::<i32>(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, year)| Some((RegisterKind::from_code(&kind)?, year)))
            .collect())
    }

    /// The day of the newest row registered before `before` (the 统计 tab
    /// opens on its month: `domain::stats::opening_month`).
    pub fn latest_row_day_before(&self, before: NaiveDate) -> Result<Option<NaiveDate>> {
        let sql = format!(
            "SELECT max(received_at) FROM requests WHERE kind IN ({}) AND received_at < ?1",
            all_kinds_sql()
        );
        let at: Option<Stamp> = self.conn.fetch_value(&sql, &[before.to_string().into()])?;
        Ok(at.map(|stamp| stamp.0.date()))
    }

    pub fn count_requests(&self, kind: RegisterKind) -> Result<i64> {
        Ok(self.conn.fetch_value("SELECT count(*) FROM requests WHERE kind = ?1", &[kind.code().into()])?)
    }

    pub fn list_refusals(&self, limit: usize) -> Result<Vec<Refusal>> {
        Ok(self.conn.fetch_all(
            "SELECT id, at, by_name, desk, kind, room, resident_name, phone, asked_for, reason
             FROM refusals ORDER BY at DESC LIMIT ?1",
            &[(limit as i64).into()],
            |r| {
                Ok(Refusal {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    by: r.get(2)?,
                    desk: Desk::from_code(&r.get::<String>(3)?).unwrap_or(Desk::CsCenter),
                    kind: r.get::<Option<String>>(4)?.and_then(|c| RegisterKind::from_code(&c)),
                    room: r.get(5)?,
                    resident_name: r.get(6)?,
                    phone: r.get(7)?,
                    asked_for: r.get(8)?,
                    reason: r.get(9)?,
                })
            },
        )?)
    }
}

/// `%` and `_` typed by a clerk are literal, not wildcards.
pub(super) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The ids the search index finds for `text`, in register `kind` or in
/// every one: a `SELECT` of them and the values of its `?`s in order, in
/// the store's dialect (FTS5's `MATCH`, or the server's `(term, id)` table of migration 23);
/// `None` when `text` has nothing the index holds.
fn found_by_index(dialect: Dialect, kind: Option<RegisterKind>, text: &str) -> Option<(String, Vec<Value>)> {
    match dialect {
        Dialect::Sqlite => {
            let phrase = super::search::match_query(text)?;
            let terms = match kind {
                Some(kind) => format!("kind : {} AND terms : {phrase}", kind.code()),
                None => format!("terms : {phrase}"),
            };
            Some((
                "SELECT rowid FROM requests_search WHERE requests_search MATCH ?".into(),
                vec![terms.into()],
            ))
        }
        Dialect::Postgres => {
            let register = kind.map(RegisterKind::code);
            let found = super::search::server_match(text, &super::search::REQUEST_TERMS, register)?;
            let values = found.values.into_iter().map(Value::from).collect();
            Some((format!("SELECT t0.id FROM {} WHERE {}", found.from, found.condition), values))
        }
    }
}

/// A WHERE clause built up one condition at a time; every `?` of a
/// condition is bound to that condition's one value (or, [`Filter::push_each`],
/// to its own).
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    args: Vec<Value>,
}

impl Filter {
    fn push(&mut self, condition: &str, value: impl Into<Value>) {
        let placeholder = format!("?{}", self.args.len() + 1);
        self.clauses.push(condition.replace('?', &placeholder));
        self.args.push(value.into());
    }

    fn push_each(&mut self, condition: &str, values: &[Value]) {
        let mut numbered = String::with_capacity(condition.len() + 4);
        for (i, piece) in condition.split('?').enumerate() {
            if i > 0 {
                numbered.push_str(&format!("?{}", self.args.len() + i));
            }
            numbered.push_str(piece);
        }
        self.clauses.push(numbered);
        self.args.extend_from_slice(values);
    }
}

/// `CASE kind WHEN 'housekeeping' THEN 'JZ' … END`: the running-number prefix in SQL.
fn prefix_sql() -> String {
    let arms: String =
        RegisterKind::ALL.iter().map(|k| format!(" WHEN '{}' THEN '{}'", k.code(), k.prefix())).collect();
    format!("CASE kind{arms} END")
}

/// Who took a row and when; for a historical row, what it already holds.
struct Taken<'a> {
    at: NaiveDateTime,
    by_id: Option<StaffId>,
    by: String,
    past: Option<&'a PastRequest>,
    reason: Option<&'a str>,
}

impl WriteTx<'_> {
    /// Issues the next running number of `kind` for the year of `at`, inside
    /// this transaction: a rollback returns the number, so none is skipped.
    fn next_running_no(&mut self, kind: RegisterKind, at: NaiveDateTime) -> Result<RunningNo> {
        let year = at.year();
        let seq: i64 = self.tx.fetch_value(
            "INSERT INTO running_numbers (kind, year, last_seq) VALUES (?1, ?2, 1)
             ON CONFLICT (kind, year) DO UPDATE SET last_seq = running_numbers.last_seq + 1
             RETURNING last_seq",
            &sql_params![kind.code(), year],
        )?;
        Ok(RunningNo { kind, year, seq })
    }

    /// Writes a new register row with the next running number.
    pub fn insert_request(
        &mut self,
        v: &ValidRequest,
        household: HouseholdId,
        status: RequestStatus,
        relay_of: Option<RequestId>,
    ) -> Result<(RequestId, RunningNo)> {
        let taken = Taken {
            at: self.audit.at,
            by_id: self.audit.user_id,
            by: self.audit.user_name.clone(),
            past: None,
            reason: None,
        };
        self.write_request(v, household, status, relay_of, &taken)
    }

    /// Writes a historical row read from a file (issue 9) as it was — its
    /// time, taker, status, sign-off and collection — with the next running
    /// number of its register and year and a history row giving `reason`
    /// (`导入：FILE`). The same insert as [`WriteTx::insert_request`].
    pub fn insert_past_request(
        &mut self,
        past: &PastRequest,
        household: HouseholdId,
        reason: &str,
    ) -> Result<(RequestId, RunningNo)> {
        let taken = Taken {
            at: past.received_at,
            by_id: past.received_by_id.or(self.audit.user_id),
            by: past.received_by.clone(),
            past: Some(past),
            reason: Some(reason),
        };
        self.write_request(&past.request, household, past.status, None, &taken)
    }

    fn write_request(
        &mut self,
        v: &ValidRequest,
        household: HouseholdId,
        status: RequestStatus,
        relay_of: Option<RequestId>,
        taken: &Taken<'_>,
    ) -> Result<(RequestId, RunningNo)> {
        let no = self.next_running_no(v.kind, taken.at)?;
        let review = v.review.as_ref();
        let past = taken.past;
        let signed_off = past.and_then(|p| p.signed_off.as_ref());
        let collected = past.and_then(|p| p.collected.as_ref());
        let id = self.tx.insert_id(
            "INSERT INTO requests (kind, year, seq, received_at, received_by_id, received_by, desk,
                 household_id, room, resident_name, phone, price_item_id, service, details,
                 appointment, slack_reason, price_fen, price_agreed, review_by, review_at,
                 review_conclusion, urgency, alarm_work, assigned_staff_id, status, notes,
                 relay_told, relay_of, signed_off_by, signed_off_at, collected_fen, collected_by,
                 settled_at, follow_up)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)
                 RETURNING id",
            &sql_params![
                v.kind.code(),
                no.year,
                no.seq,
                Stamp(taken.at),
                taken.by_id,
                taken.by,
                v.desk.code(),
                household,
                v.room.as_str(),
                v.resident_name,
                v.phone,
                v.price_item,
                v.service,
                v.details,
                Stamp(v.appointment),
                v.slack_reason,
                v.price.map(Money::fen),
                v.price_agreed,
                review.map(|r| &r.reviewer),
                review.map(|r| Stamp(r.reviewed_at)),
                review.map(|r| &r.conclusion),
                v.urgency.map(Urgency::code),
                v.alarm_work.map(AlarmWork::code),
                v.assigned_staff,
                status.code(),
                v.notes,
                v.relay_told,
                relay_of,
                signed_off.map(|(by, _)| by),
                signed_off.map(|(_, at)| Stamp(*at)),
                collected.map(|(amount, _)| amount.fen()),
                collected.map(|(_, by)| by),
                past.and_then(|p| p.settled_at).map(Stamp),
                past.and_then(|p| p.follow_up.as_ref()),
            ],
        )?;
        let assigned_name = match v.assigned_staff {
            Some(staff) => {
                Some(self.tx.fetch_value("SELECT name FROM staff WHERE id = ?1", &[staff.into()])?)
            }
            None => None,
        };
        let mut fields = request_fields(v, no, assigned_name);
        fields.push(("status", status.code().to_string()));
        if let Some(past) = past {
            let at = |at: NaiveDateTime| at.format("%Y-%m-%d %H:%M").to_string();
            fields.push(("received_at", at(past.received_at)));
            fields.push(("received_by", past.received_by.clone()));
            if let Some((by, when)) = &past.signed_off {
                fields.push(("signed_off", format!("{by} {}", at(*when))));
            }
            if let Some((amount, by)) = &past.collected {
                fields.push(("collected", format!("{amount} {by}")));
            }
            fields.push(("settled_at", past.settled_at.map(at).unwrap_or_default()));
            fields.push(("follow_up", past.follow_up.clone().unwrap_or_default()));
        }
        self.record(Entity::Request, id, Action::Create, &created(&fields), taken.reason)?;
        Ok((id, no))
    }

    /// The running number `kind` would issue next in `year`.
    pub fn next_seq_of(&self, kind: RegisterKind, year: i32) -> Result<i64> {
        let last: Option<i64> = self.tx.fetch_opt(
            "SELECT last_seq FROM running_numbers WHERE kind = ?1 AND year = ?2",
            &sql_params![kind.code(), year],
            |r| r.get(0),
        )?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// Whether register `kind` has issued any number in `year` (a row, or a
    /// number under this transaction's lock).
    pub fn register_year_used(&self, kind: RegisterKind, year: i32) -> Result<bool> {
        Ok(self.tx.fetch_value(
            "SELECT EXISTS (SELECT 1 FROM running_numbers WHERE kind = ?1 AND year = ?2)
             OR EXISTS (SELECT 1 FROM requests WHERE kind = ?1 AND year = ?2)",
            &sql_params![kind.code(), year],
        )?)
    }

    pub fn insert_refusal(&mut self, v: &ValidRefusal) -> Result<i64> {
        let id = self.tx.insert_id(
            "INSERT INTO refusals (at, by_id, by_name, desk, kind, room,
             resident_name, phone, asked_for, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
            &sql_params![
                self.audit.at,
                self.audit.user_id,
                self.audit.user_name,
                v.desk.code(),
                v.kind.map(RegisterKind::code),
                v.room.as_ref().map(|r| r.to_string()).unwrap_or_default(),
                v.resident_name,
                v.phone,
                v.asked_for,
                v.reason,
            ],
        )?;
        let fields = [
            ("room", v.room.as_ref().map(|r| r.to_string()).unwrap_or_default()),
            ("resident_name", v.resident_name.clone()),
            ("phone", v.phone.clone()),
            ("details", v.asked_for.clone()),
        ];
        self.record(Entity::Refusal, id, Action::Create, &created(&fields), Some(&v.reason))?;
        Ok(id)
    }

    /// A row as it stands under this transaction's lock.
    pub fn get_request(&self, id: RequestId) -> Result<Request> {
        Ok(self.tx.fetch_one(&SELECT_REQUEST_BY_ID, &[id.into()], request_from_row)?)
    }

    /// Rewrites a row's contact and description fields; history keeps the
    /// old and new values and the reason (R-FU-6). Nothing changed, nothing written.
    pub fn correct_request(&mut self, old: &Request, c: &Correction, household: HouseholdId) -> Result<()> {
        let snapshot = |room: &str, name: &str, phone: &str, details: &str, notes: &str| {
            vec![
                ("room", room.to_string()),
                ("resident_name", name.to_string()),
                ("phone", phone.to_string()),
                ("details", details.to_string()),
                ("notes", notes.to_string()),
            ]
        };
        let changes = diff(
            &snapshot(&old.room, &old.resident_name, &old.phone, &old.details, &old.notes),
            &snapshot(c.room.as_str(), &c.resident_name, &c.phone, &c.details, &c.notes),
        );
        if changes.is_empty() {
            return Ok(());
        }
        self.tx.execute(
            "UPDATE requests SET household_id = ?2, room = ?3, resident_name = ?4, phone = ?5,
             details = ?6, notes = ?7 WHERE id = ?1",
            &sql_params![old.id, household, c.room.as_str(), c.resident_name, c.phone, c.details, c.notes],
        )?;
        self.record(Entity::Request, old.id, Action::Update, &changes, Some(&c.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::{Dialect, SortColumn, Store};

    /// The register's order by number breaks ties between registers, yet
    /// one register is still walked on its `(kind, year, seq)` index, with
    /// no sort of its own, either way round.
    #[test]
    fn one_registers_numbers_are_walked_on_its_index_either_way() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        for descending in [false, true] {
            let order = SortColumn::No.order_by(Dialect::Sqlite, descending);
            assert!(order.contains("kind"), "a tie-break between registers: {order}");
            let sql = format!("SELECT id FROM requests WHERE kind = ? ORDER BY {order}");
            let plan = super::super::stats::query_plan(&store.conn, &sql, &["repair".into()]).unwrap();
            assert!(plan.iter().all(|step| !step.contains("B-TREE")), "{plan:?}");
            assert!(plan.iter().any(|step| step.contains("INDEX") && step.contains("kind=?")), "{plan:?}");
        }
    }
}
