//! Revisits (migration 8, R-RV-1..5): the facts a month's plan is drawn
//! from, the saved plans (a redrawn plan keeps its old households, marked
//! superseded), the revisits recorded against them, and complaints. Its
//! statements run on both backends (`store/sql.rs`, issue 21); the month's
//! facts keep one text per dialect (SQLite's planner hints and `date()`
//! modifiers have no PostgreSQL twin).

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};

use super::sql::{Dialect, Row, Sql, SqlError, SqlExt, Value, ids_in_json, json_ids};
use super::stats::FINISHED_AT;
use super::{Result, Store, WriteTx};
use crate::domain::history::diff;
use crate::domain::{
    Action, Complaint, DrawnPlan, Entity, Opinion, PlanCause, PlanFacts, PlanKind, PlanRow, Ratings,
    RegisterKind, RequestId, RevisitAnswer, RevisitMethod, RevisitPlan, RevisitReason, RevisitRecord,
    RunningNo, ServedJob, Severity,
};
use crate::sql_params;

/// A household's reasons as stored: their codes, each followed by `@` and
/// the register row behind it when it has one (`sample@12,repair_handover@40`).
/// Plans saved before the jobs were kept read as codes alone.
fn reasons_text(reasons: &[RevisitReason], causes: &[(RevisitReason, RequestId)]) -> String {
    let word = |reason: &RevisitReason| match causes.iter().find(|(r, _)| r == reason) {
        Some((_, job)) => format!("{}@{job}", reason.code()),
        None => reason.code().to_string(),
    };
    reasons.iter().map(word).collect::<Vec<_>>().join(",")
}

/// The reasons of [`reasons_text`], and the jobs behind them.
fn reasons_of(text: &str) -> (Vec<RevisitReason>, Vec<(RevisitReason, RequestId)>) {
    let mut reasons = Vec::new();
    let mut causes = Vec::new();
    for word in text.split(',') {
        let (code, job) = word.split_once('@').map_or((word, None), |(c, j)| (c, j.parse().ok()));
        let Some(reason) = RevisitReason::from_code(code) else { continue };
        reasons.push(reason);
        causes.extend(job.map(|job| (reason, job)));
    }
    (reasons, causes)
}

fn opinion(r: &Row, i: usize) -> Result<Option<Opinion>, SqlError> {
    Ok(r.get::<Option<String>>(i)?.and_then(|c| Opinion::from_code(&c)))
}

/// A plan's households with their job (its service date is when the work
/// was finished, by the figures' definition) and latest revisit.
fn select_row() -> String {
    format!(
        "SELECT h.id, h.room, h.reasons, h.request_id, r.resident_name, r.phone, r.service,
            {FINISHED_AT}, r.assigned_staff_id, s.name, r.agreement_id,
            v.id, v.at, v.by_name, v.method, v.timeliness, v.skill, v.attitude, v.comments, v.needs, v.attempts,
            h.plan_id
         FROM plan_households h
         LEFT JOIN requests r ON r.id = h.request_id
         LEFT JOIN staff s ON s.id = r.assigned_staff_id
         LEFT JOIN revisits v ON v.id = (SELECT max(id) FROM revisits WHERE plan_household_id = h.id)"
    )
}

pub(super) const SELECT_COMPLAINT: &str =
    "SELECT c.id, c.request_id, c.staff_id, s.name, c.at, c.by_name, c.what, c.severity, c.handling,
        c.closed_by, c.closed_at, coalesce(r.room, '')
     FROM complaints c LEFT JOIN staff s ON s.id = c.staff_id LEFT JOIN requests r ON r.id = c.request_id";

pub(super) fn complaint_from_row(r: &Row) -> Result<Complaint, SqlError> {
    let staff: Option<i64> = r.get(2)?;
    Ok(Complaint {
        id: r.get(0)?,
        request: r.get(1)?,
        staff: staff.map(|id| (id, r.get::<Option<String>>(3).ok().flatten().unwrap_or_default())),
        at: r.get(4)?,
        by: r.get(5)?,
        what: r.get(6)?,
        severity: Severity::from_code(&r.get::<String>(7)?).unwrap_or(Severity::Minor),
        handling: r.get(8)?,
        closed: r.get::<Option<String>>(9)?.zip(r.get::<Option<NaiveDateTime>>(10)?),
        room: r.get(11)?,
    })
}

fn plan_row(r: &Row) -> Result<PlanRow, SqlError> {
    let staff_id: Option<i64> = r.get(8)?;
    let revisit = match r.get::<Option<i64>>(11)? {
        Some(id) => {
            let ratings = match (opinion(r, 15)?, opinion(r, 16)?, opinion(r, 17)?) {
                (Some(timeliness), Some(skill), Some(attitude)) => {
                    Some(Ratings { timeliness, skill, attitude })
                }
                _ => None,
            };
            Some(RevisitRecord {
                id,
                at: r.get(12)?,
                by: r.get(13)?,
                method: RevisitMethod::from_code(&r.get::<String>(14)?).unwrap_or(RevisitMethod::Phone),
                ratings,
                comments: r.get(18)?,
                needs: r.get(19)?,
                attempts: r.get(20)?,
            })
        }
        None => None,
    };
    let (reasons, causes) = reasons_of(&r.get::<String>(2)?);
    Ok(PlanRow {
        id: r.get(0)?,
        room: r.get(1)?,
        reasons,
        // Numbered and named by `with_causes` once the rows are read.
        causes: causes
            .into_iter()
            .map(|(reason, request)| PlanCause { reason, request, no: String::new(), service: String::new() })
            .collect(),
        request: r.get(3)?,
        resident: r.get::<Option<String>>(4)?.unwrap_or_default(),
        phone: r.get::<Option<String>>(5)?.unwrap_or_default(),
        service: r.get::<Option<String>>(6)?.unwrap_or_default(),
        service_date: r.get::<Option<NaiveDateTime>>(7)?.map(|t| t.date()),
        staff: staff_id.map(|id| (id, r.get::<Option<String>>(9).ok().flatten().unwrap_or_default())),
        agreement: r.get(10)?,
        revisit,
    })
}

fn get_plan(conn: &dyn Sql, period: &str, kind: PlanKind) -> Result<Option<RevisitPlan>> {
    Ok(get_plans(conn, period, period, kind)?.pop())
}

/// The saved plans of `kind` whose periods are `first ..= last` (`YYYY-MM`
/// or `YYYY-Qn`, which sort as they follow each other), oldest first: in
/// three statements whatever their number — their heads, their households,
/// and the jobs behind the households' reasons — so that the charts'
/// twelve months are three round trips on a server, not 36 (or, when each
/// cause was read alone, 8 000).
fn get_plans(conn: &dyn Sql, first: &str, last: &str, kind: PlanKind) -> Result<Vec<RevisitPlan>> {
    const PLANS: &str = "FROM revisit_plans WHERE kind = ?1 AND period >= ?2 AND period <= ?3";
    let params = sql_params![kind.code(), first, last];
    let mut plans = conn.fetch_all(
        &format!("SELECT id, seed, households_served, sample_size, drawn_at, drawn_by, period {PLANS}"),
        &params,
        |r| {
            Ok(RevisitPlan {
                id: r.get(0)?,
                period: r.get(6)?,
                kind,
                seed: r.get::<i64>(1)? as u64,
                households_served: r.get::<i64>(2)? as usize,
                sample_size: r.get::<i64>(3)? as usize,
                drawn_at: r.get(4)?,
                drawn_by: r.get(5)?,
                rows: Vec::new(),
            })
        },
    )?;
    if plans.is_empty() {
        return Ok(plans);
    }
    let mut rows = conn.fetch_all(
        &format!(
            "{} WHERE h.plan_id IN (SELECT id {PLANS}) AND h.superseded = 0 ORDER BY h.room, h.id",
            select_row()
        ),
        &params,
        |r| Ok((r.get::<i64>(21)?, plan_row(r)?)),
    )?;
    with_causes(conn, rows.iter_mut().map(|(_, row)| row))?;
    let place: HashMap<i64, usize> = plans.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    for (plan, row) in rows {
        if let Some(&i) = place.get(&plan) {
            plans[i].rows.push(row);
        }
    }
    for plan in &mut plans {
        // 2栋 before 10栋: the order the clerk walks the estate in.
        plan.rows.sort_by_cached_key(|r| {
            crate::domain::RoomNo::parse(&r.room).map(|n| n.sort_key()).unwrap_or_default()
        });
    }
    plans.sort_by(|a, b| a.period.cmp(&b.period));
    Ok(plans)
}

/// Fills in each cause's running number and service: a plan has a few
/// hundred households, each with a reason or two, all read in one statement
/// (one per cause was a round trip each on a server: 700 for a month's
/// plan, 8 000 for the charts' twelve months, most of their 1.8 s).
fn with_causes<'a>(conn: &dyn Sql, rows: impl Iterator<Item = &'a mut PlanRow>) -> Result<()> {
    let mut causes: Vec<&mut PlanCause> = rows.flat_map(|r| r.causes.iter_mut()).collect();
    let ids: BTreeSet<RequestId> = causes.iter().map(|c| c.request).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT id, kind, year, seq, service FROM requests WHERE id IN ({})",
        ids_in_json(conn.dialect(), "?1")
    );
    let found: HashMap<RequestId, (String, String)> = conn
        .fetch_all(&sql, &[json_ids(ids)], |r| {
            let kind = RegisterKind::from_code(&r.get::<String>(1)?).unwrap_or(RegisterKind::Housekeeping);
            let no = RunningNo { kind, year: r.get(2)?, seq: r.get(3)? }.to_string();
            Ok((r.get::<RequestId>(0)?, (no, r.get::<String>(4)?)))
        })?
        .into_iter()
        .collect();
    for cause in &mut causes {
        if let Some((no, service)) = found.get(&cause.request) {
            (cause.no, cause.service) = (no.clone(), service.clone());
        }
    }
    Ok(())
}

/// The jobs finished in `?1 .. ?2` (`FINISHED_AT`, the figures'
/// definition) with whether their item (5), their staff member (6) was new
/// within the window `?3` before the job, and whether the staff member's
/// job before it drew a complaint (7). On SQLite: those with a finish time
/// by `finished_at` (left to itself the planner took the status index and
/// read every row ever settled, 0.7 s after ten years), and the rows
/// imported finished without one among the few rows with no finish time,
/// `CROSS JOIN` keeping that list the outer loop; the window is a `date()`
/// modifier (`-30 days`). PostgreSQL plans without hints and takes the
/// window as a number of days.
fn served_jobs_sql(dialect: Dialect) -> String {
    let (indexed, join, window_start) = match dialect {
        Dialect::Sqlite => ("INDEXED BY requests_finished", "CROSS JOIN", format!("date({FINISHED_AT}, ?3)")),
        Dialect::Postgres => (
            "",
            "JOIN",
            format!(
                "to_char(CAST(substr({FINISHED_AT}, 1, 10) AS DATE) - CAST(?3 AS INTEGER), 'YYYY-MM-DD')"
            ),
        ),
    };
    format!(
        "WITH finished(id) AS (
            SELECT id FROM requests {indexed}
             WHERE finished_at >= ?1 AND finished_at < ?2
            UNION ALL
            SELECT r.id FROM requests r {indexed}
             WHERE r.finished_at IS NULL AND {FINISHED_AT} >= ?1 AND {FINISHED_AT} < ?2)
         SELECT r.id, r.room, r.assigned_staff_id, r.price_item_id, r.agreement_id,
            (SELECT 1 FROM price_items p WHERE p.id = r.price_item_id AND p.added_on > {window_start}),
            (SELECT 1 FROM staff s WHERE s.id = r.assigned_staff_id AND s.first_job_on > {window_start}),
            EXISTS (SELECT 1 FROM complaints c WHERE c.request_id = (
                SELECT p.id FROM requests p WHERE p.assigned_staff_id = r.assigned_staff_id
                    AND p.finished_at < {FINISHED_AT} ORDER BY p.finished_at DESC LIMIT 1))
         FROM finished f {join} requests r ON r.id = f.id
         WHERE r.status IN ('done', 'signed_off', 'settled')
         ORDER BY r.id"
    )
}

/// Each room with its latest repair row handed over in `?1 .. ?2`: the job
/// the revisit asks about. On SQLite `CROSS JOIN` keeps the month's few
/// handovers the outer loop (left to itself it walks every repair row ever
/// taken); the day after a handover's is `date(…, '+1 day')` there, a
/// date sum on PostgreSQL.
fn handover_jobs_sql(dialect: Dialect) -> String {
    let (join, next_day) = match dialect {
        Dialect::Sqlite => ("CROSS JOIN", "date(h.day, '+1 day')"),
        Dialect::Postgres => ("JOIN", "to_char(CAST(h.day AS DATE) + 1, 'YYYY-MM-DD')"),
    };
    format!(
        "SELECT r.room, max(r.id) FROM repair_handovers h {join} requests r ON r.kind = 'repair'
            AND r.received_at >= h.day AND r.received_at < {next_day}
         WHERE h.handed_at >= ?1 AND h.handed_at < ?2
         GROUP BY r.room"
    )
}

impl Store {
    /// The saved plan of `period` (`YYYY-MM`, or `YYYY-Qn` for a quarter).
    pub fn revisit_plan(&self, period: &str, kind: PlanKind) -> Result<Option<RevisitPlan>> {
        get_plan(&self.conn, period, kind)
    }

    /// The saved monthly plans of the months `first ..= last` (`YYYY-MM`),
    /// oldest first, read together (three statements, see `get_plans`).
    pub fn monthly_plans(&self, first: &str, last: &str) -> Result<Vec<RevisitPlan>> {
        get_plans(&self.conn, first, last, PlanKind::Monthly)
    }

    /// What a plan for the jobs finished in `from .. to` is drawn from;
    /// "new" is within `window_days` before the job (RULES.md §12).
    pub fn plan_facts(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        window_days: u32,
        previous_period: &str,
    ) -> Result<PlanFacts> {
        let dialect = self.conn.dialect();
        let [from, to] = sql_params![from, to];
        let window: Value = match dialect {
            Dialect::Sqlite => format!("-{window_days} days").into(),
            Dialect::Postgres => i64::from(window_days).into(),
        };
        let mut facts = PlanFacts::default();
        let rows =
            self.conn.fetch_all(&served_jobs_sql(dialect), &[from.clone(), to.clone(), window], |r| {
                let job = ServedJob {
                    request: r.get(0)?,
                    room: r.get(1)?,
                    staff: r.get(2)?,
                    price_item: r.get(3)?,
                    agreement: r.get(4)?,
                };
                let flags: (Option<i64>, Option<i64>, bool) = (r.get(5)?, r.get(6)?, r.get(7)?);
                Ok((job, flags))
            })?;
        for (job, (new_item, new_staff, complained)) in rows {
            if new_item.is_some() {
                facts.new_item_jobs.insert(job.request);
            }
            if new_staff.is_some() {
                facts.new_staff_jobs.insert(job.request);
            }
            if complained {
                facts.complained_staff_jobs.insert(job.request);
            }
            facts.served.push(job);
        }
        facts.repair_handover_jobs = self
            .conn
            .fetch_all(&handover_jobs_sql(dialect), &[from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
            .into_iter()
            .collect();
        facts.revisited_last_month = self
            .conn
            .fetch_all(
                "SELECT h.room FROM plan_households h JOIN revisit_plans p ON p.id = h.plan_id
                 WHERE p.period = ?1 AND p.kind = 'monthly' AND h.superseded = 0
                   AND EXISTS (SELECT 1 FROM revisits v WHERE v.plan_household_id = h.id AND v.reached = 1)",
                &sql_params![previous_period],
                |r| r.get(0),
            )?
            .into_iter()
            .collect();
        Ok(facts)
    }

    /// The complaints about the job of register row `request`.
    pub fn complaints_about(&self, request: crate::domain::RequestId) -> Result<Vec<Complaint>> {
        Ok(self.conn.fetch_all(
            &format!("{SELECT_COMPLAINT} WHERE c.request_id = ?1 ORDER BY c.id"),
            &sql_params![request],
            complaint_from_row,
        )?)
    }

    /// Complaints, open ones first, newest first.
    pub fn list_complaints(&self) -> Result<Vec<Complaint>> {
        Ok(self.conn.fetch_all(
            &format!("{SELECT_COMPLAINT} ORDER BY c.closed_at IS NOT NULL, c.at DESC, c.id DESC"),
            &[],
            complaint_from_row,
        )?)
    }
}

impl WriteTx<'_> {
    pub fn revisit_plan(&mut self, period: &str, kind: PlanKind) -> Result<Option<RevisitPlan>> {
        get_plan(&self.tx, period, kind)
    }

    /// Saves a drawn plan; a plan already saved for the period is redrawn:
    /// its households are kept, marked superseded, and the reason recorded.
    pub fn save_plan(
        &mut self,
        period: &str,
        kind: PlanKind,
        drawn: &DrawnPlan,
        reason: Option<&str>,
    ) -> Result<i64> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        let old = get_plan(&self.tx, period, kind)?;
        let (seed, served, sample) =
            (drawn.seed as i64, drawn.households_served as i64, drawn.sample_size as i64);
        let id = match &old {
            Some(plan) => {
                self.tx.execute(
                    "UPDATE revisit_plans SET seed = ?2, households_served = ?3,
                     sample_size = ?4, drawn_at = ?5,
                     drawn_by = ?6 WHERE id = ?1",
                    &sql_params![plan.id, seed, served, sample, at, by],
                )?;
                self.tx.execute(
                    "UPDATE plan_households SET superseded = 1 WHERE plan_id = ?1",
                    &sql_params![plan.id],
                )?;
                plan.id
            }
            None => self.tx.insert_id(
                "INSERT INTO revisit_plans (period, kind, seed, households_served,
                 sample_size, drawn_at, drawn_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                &sql_params![period, kind.code(), seed, served, sample, at, by],
            )?,
        };
        for h in &drawn.households {
            self.tx.execute(
                "INSERT INTO plan_households (plan_id, room, reasons, request_id) VALUES (?1, ?2, ?3, ?4)",
                &sql_params![id, h.room, reasons_text(&h.reasons, &h.causes), h.request],
            )?;
        }
        let summary = |served: usize, sample: usize, n: usize| format!("{served} / {sample} / {n}");
        let before = old
            .as_ref()
            .map(|p| summary(p.households_served, p.sample_size, p.rows.len()))
            .unwrap_or_default();
        let after = summary(drawn.households_served, drawn.sample_size, drawn.households.len());
        let action = if old.is_some() { Action::Update } else { Action::Create };
        let changes = diff(&[("plan", before)], &[("plan", after)]);
        self.record(Entity::RevisitPlan, id, action, &changes, reason)?;
        Ok(id)
    }

    /// Records a revisit of plan household `household` (R-RV-3), and the
    /// complaint it carries against the job's staff member, if any.
    pub fn insert_revisit(&mut self, household: i64, answer: &RevisitAnswer) -> Result<i64> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        let r = answer.ratings.as_ref();
        let id = self.tx.insert_id(
            "INSERT INTO revisits (plan_household_id, at, by_name, method, reached, timeliness, skill, attitude,
                comments, needs, attempts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
            &sql_params![
                household,
                at,
                by,
                answer.method.code(),
                r.is_some(),
                r.map(|r| r.timeliness.code()),
                r.map(|r| r.skill.code()),
                r.map(|r| r.attitude.code()),
                answer.comments.trim(),
                answer.needs.trim(),
                answer.attempts.trim(),
            ],
        )?;
        let changes =
            diff(&[], &[("household", household.to_string()), ("method", answer.method.code().into())]);
        self.record(Entity::Revisit, id, Action::Create, &changes, None)?;
        if let Some(c) = &answer.complaint {
            let (request, staff): (Option<i64>, Option<i64>) = self.tx.fetch_one(
                "SELECT h.request_id, r.assigned_staff_id FROM plan_households h
                 LEFT JOIN requests r ON r.id = h.request_id WHERE h.id = ?1",
                &sql_params![household],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let complaint = self.tx.insert_id(
                "INSERT INTO complaints (request_id, staff_id, revisit_id, at, by_name, what, severity)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                &sql_params![request, staff, id, at, by, c.what.trim(), c.severity.code()],
            )?;
            let fields = diff(&[], &[("what", c.what.trim().into()), ("severity", c.severity.code().into())]);
            self.record(Entity::Complaint, complaint, Action::Create, &fields, None)?;
        }
        Ok(id)
    }

    /// Closes a complaint with how it was handled.
    pub fn close_complaint(&mut self, id: i64, handling: &str) -> Result<()> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        self.tx.execute(
            "UPDATE complaints SET handling = ?2, closed_by = ?3, closed_at = ?4 WHERE id = ?1",
            &sql_params![id, handling.trim(), by, at],
        )?;
        let changes = diff(&[("handling", String::new())], &[("handling", handling.trim().into())]);
        self.record(Entity::Complaint, id, Action::Update, &changes, None)
    }

    /// Whether any revisit was recorded on the plan `plan`.
    pub fn plan_has_revisits(&mut self, plan: i64) -> Result<bool> {
        Ok(self.tx.fetch_value(
            "SELECT EXISTS (SELECT 1 FROM revisits v JOIN plan_households h ON h.id = v.plan_household_id
             WHERE h.plan_id = ?1 AND h.superseded = 0)",
            &sql_params![plan],
        )?)
    }

    /// Whether plan household `id` has a revisit that reached the resident.
    pub fn household_reached(&mut self, id: i64) -> Result<bool> {
        Ok(self.tx.fetch_value(
            "SELECT EXISTS (SELECT 1 FROM revisits WHERE plan_household_id = ?1 AND reached = 1)",
            &sql_params![id],
        )?)
    }

    /// Whether plan household `id` is an agreement resident's (in-person allowed).
    pub fn household_has_agreement(&mut self, id: i64) -> Result<bool> {
        Ok(self.tx.fetch_value(
            "SELECT EXISTS (SELECT 1 FROM plan_households h JOIN agreements a ON a.room = h.room
             WHERE h.id = ?1 AND a.status IN ('signed', 'active', 'ended', 'terminated'))",
            &sql_params![id],
        )?)
    }
}

/// A quarter `YYYY-Qn` as its first day and the day after it.
pub fn quarter_span(quarter: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, q) = quarter.trim().split_once("-Q")?;
    let (year, q): (i32, u32) = (year.parse().ok()?, q.parse().ok()?);
    if !(1..=4).contains(&q) {
        return None;
    }
    let start = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?;
    let end = if q == 4 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, q * 3 + 1, 1)?
    };
    Some((start, end))
}
