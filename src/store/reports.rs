//! The `monthly_reports` table (R-RV-4): one 居家服务情况统计分析报告 per
//! month, its frozen figures kept as JSON. Every change appends its history
//! row; triggers refuse deleting a report and changing an approved one.
//! Must not: decide who may change a report, or when (that is `domain::report`).

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, Store, WriteTx};
use crate::domain::{Action, Change, Entity, MonthlyReport, ReportContent, ReportStatus};

const SELECT_REPORT: &str = "SELECT id, month, status, content, generated_at, analysis, suggestions,
    prepared_by, prepared_at, submitted_at, decided_by, decided_at, comment FROM monthly_reports";

fn report_from_row(r: &Row<'_>) -> rusqlite::Result<MonthlyReport> {
    let content: String = r.get(3)?;
    let content: ReportContent = serde_json::from_str(&content)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, Type::Text, Box::new(e)))?;
    Ok(MonthlyReport {
        id: r.get(0)?,
        month: r.get(1)?,
        status: ReportStatus::from_code(&r.get::<_, String>(2)?).unwrap_or(ReportStatus::Draft),
        content,
        generated_at: r.get(4)?,
        analysis: r.get(5)?,
        suggestions: r.get(6)?,
        prepared_by: r.get(7)?,
        prepared_at: r.get(8)?,
        submitted_at: r.get(9)?,
        decided_by: r.get(10)?,
        decided_at: r.get(11)?,
        comment: r.get(12)?,
    })
}

fn report_of(conn: &Connection, month: &str) -> Result<Option<MonthlyReport>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT_REPORT} WHERE month = ?1"))?;
    Ok(stmt.query_row([month], report_from_row).optional()?)
}

fn content_json(content: &ReportContent) -> String {
    serde_json::to_string(content).unwrap_or_else(|_| "{}".into())
}

fn change(field: &str, old: impl Into<String>, new: impl Into<String>) -> Change {
    Change { field: field.into(), old: old.into(), new: new.into() }
}

impl Store {
    /// The report of `month` (`YYYY-MM`), if one was generated.
    pub fn monthly_report(&self, month: &str) -> Result<Option<MonthlyReport>> {
        report_of(&self.conn, month)
    }

    /// Every month that has a report, with its state, newest first.
    pub fn report_months(&self) -> Result<Vec<(String, ReportStatus)>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT month, status FROM monthly_reports ORDER BY month DESC")?;
        let rows = stmt.query_map([], |r| {
            let status = ReportStatus::from_code(&r.get::<_, String>(1)?).unwrap_or(ReportStatus::Draft);
            Ok((r.get::<_, String>(0)?, status))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

impl WriteTx<'_> {
    /// The report of `month`, read inside the write (its state decides the step).
    pub fn monthly_report(&self, month: &str) -> Result<Option<MonthlyReport>> {
        report_of(&self.tx, month)
    }

    /// A new draft of `month` with `content` frozen now; the month is UNIQUE.
    pub fn insert_report(&mut self, month: &str, content: &ReportContent) -> Result<i64> {
        let (at, by, by_id) = (self.audit.at, self.audit.user_name.clone(), self.audit.user_id);
        self.tx
            .prepare_cached(
                "INSERT INTO monthly_reports (month, status, content, generated_at, prepared_by_id,
                    prepared_by, prepared_at)
                 VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?3)",
            )?
            .execute(params![month, content_json(content), at, by_id, by])
            .map_err(|e| super::unique_violation(e, "month"))?;
        let id = self.tx.last_insert_rowid();
        self.record(Entity::MonthlyReport, id, Action::Create, &[change("month", "", month)], None)?;
        Ok(id)
    }

    /// Replaces the frozen figures with `content` taken now.
    pub fn refresh_report(&mut self, report: &MonthlyReport, content: &ReportContent) -> Result<()> {
        let at = self.audit.at;
        self.tx
            .prepare_cached("UPDATE monthly_reports SET content = ?2, generated_at = ?3 WHERE id = ?1")?
            .execute(params![report.id, content_json(content), at])?;
        let changes = [change("generated_at", report.generated_at.to_string(), at.to_string())];
        self.record(Entity::MonthlyReport, report.id, Action::Update, &changes, None)
    }

    /// The clerk's analysis and suggestions.
    pub fn set_report_text(
        &mut self,
        report: &MonthlyReport,
        analysis: &str,
        suggestions: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE monthly_reports SET analysis = ?2, suggestions = ?3 WHERE id = ?1")?
            .execute(params![report.id, analysis, suggestions])?;
        let changes: Vec<Change> =
            [("analysis", &report.analysis, analysis), ("suggestions", &report.suggestions, suggestions)]
                .into_iter()
                .filter(|(_, old, new)| old.as_str() != *new)
                .map(|(field, old, new)| change(field, old.as_str(), new))
                .collect();
        if changes.is_empty() {
            return Ok(());
        }
        self.record(Entity::MonthlyReport, report.id, Action::Update, &changes, None)
    }

    /// Sent to the manager now.
    pub fn submit_report(&mut self, report: &MonthlyReport) -> Result<()> {
        let at = self.audit.at;
        self.tx
            .prepare_cached(
                "UPDATE monthly_reports SET status = 'submitted', submitted_at = ?2 WHERE id = ?1",
            )?
            .execute(params![report.id, at])?;
        let changes = [change("status", report.status.code(), ReportStatus::Submitted.code())];
        self.record(Entity::MonthlyReport, report.id, Action::Update, &changes, None)
    }

    /// The manager's decision: approved (`to` = approved, final) or sent
    /// back, with `comment` (the 审批意见; kept as the history row's reason
    /// too, and as a change when it differs from the last decision's).
    pub fn decide_report(&mut self, report: &MonthlyReport, to: ReportStatus, comment: &str) -> Result<()> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        self.tx
            .prepare_cached(
                "UPDATE monthly_reports SET status = ?2, decided_by = ?3, decided_at = ?4, comment = ?5
                 WHERE id = ?1",
            )?
            .execute(params![report.id, to.code(), by, at, comment])?;
        let mut changes = vec![change("status", report.status.code(), to.code())];
        if report.comment != comment {
            changes.push(change("comment", report.comment.as_str(), comment));
        }
        let reason = (!comment.is_empty()).then_some(comment);
        self.record(Entity::MonthlyReport, report.id, Action::Update, &changes, reason)
    }
}
