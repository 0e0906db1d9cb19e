//! The `monthly_reports` table (R-RV-4): one 居家服务情况统计分析报告 per
//! month, its frozen figures kept as JSON. Every change appends its history
//! row; triggers refuse deleting a report and changing an approved one
//! (on PostgreSQL too: `monthly_reports_locked` calls `homedesk_refuse`).
//! Its statements run on both backends (`store/sql.rs`, issue 21).
//! Must not: decide who may change a report, or when (that is `domain::report`).

use super::sql::{Row, Sql, SqlError, SqlExt};
use super::{Result, Store, WriteTx};
use crate::domain::{Action, Change, Entity, MonthlyReport, ReportContent, ReportStatus};
use crate::sql_params;

const SELECT_REPORT: &str = "SELECT id, month, status, content, generated_at, analysis, suggestions,
    prepared_by, prepared_at, submitted_at, decided_by, decided_at, comment FROM monthly_reports";

fn report_from_row(r: &Row) -> Result<MonthlyReport, SqlError> {
    let content: String = r.get(3)?;
    let content: ReportContent = serde_json::from_str(&content).map_err(|e| SqlError::Read {
        column: 3,
        wanted: "a report's figures",
        cause: e.to_string(),
    })?;
    Ok(MonthlyReport {
        id: r.get(0)?,
        month: r.get(1)?,
        status: ReportStatus::from_code(&r.get::<String>(2)?).unwrap_or(ReportStatus::Draft),
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

fn report_of(conn: &dyn Sql, month: &str) -> Result<Option<MonthlyReport>> {
    Ok(conn.fetch_opt(&format!("{SELECT_REPORT} WHERE month = ?1"), &sql_params![month], report_from_row)?)
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
        Ok(self.conn.fetch_all(
            "SELECT month, status FROM monthly_reports ORDER BY month DESC",
            &[],
            |r| {
                let status = ReportStatus::from_code(&r.get::<String>(1)?).unwrap_or(ReportStatus::Draft);
                Ok((r.get::<String>(0)?, status))
            },
        )?)
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
        let id = self
            .tx
            .insert_id(
                "INSERT INTO monthly_reports (month, status, content, generated_at, prepared_by_id,
                    prepared_by, prepared_at)
                 VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?3) RETURNING id",
                &sql_params![month, content_json(content), at, by_id, by],
            )
            .map_err(|e| super::unique_violation(e, "month"))?;
        self.record(Entity::MonthlyReport, id, Action::Create, &[change("month", "", month)], None)?;
        Ok(id)
    }

    /// Replaces the frozen figures with `content` taken now.
    pub fn refresh_report(&mut self, report: &MonthlyReport, content: &ReportContent) -> Result<()> {
        let at = self.audit.at;
        self.tx.execute(
            "UPDATE monthly_reports SET content = ?2, generated_at = ?3 WHERE id = ?1",
            &sql_params![report.id, content_json(content), at],
        )?;
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
        self.tx.execute(
            "UPDATE monthly_reports SET analysis = ?2, suggestions = ?3 WHERE id = ?1",
            &sql_params![report.id, analysis, suggestions],
        )?;
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
        self.tx.execute(
            "UPDATE monthly_reports SET status = 'submitted', submitted_at = ?2 WHERE id = ?1",
            &sql_params![report.id, at],
        )?;
        let changes = [change("status", report.status.code(), ReportStatus::Submitted.code())];
        self.record(Entity::MonthlyReport, report.id, Action::Update, &changes, None)
    }

    /// The manager's decision: approved (`to` = approved, final) or sent
    /// back, with `comment` (the 审批意见; kept as the history row's reason
    /// too, and as a change when it differs from the last decision's).
    pub fn decide_report(&mut self, report: &MonthlyReport, to: ReportStatus, comment: &str) -> Result<()> {
        let (at, by) = (self.audit.at, self.audit.user_name.clone());
        self.tx.execute(
            "UPDATE monthly_reports SET status = ?2, decided_by = ?3, decided_at = ?4, comment = ?5
             WHERE id = ?1",
            &sql_params![report.id, to.code(), by, at, comment],
        )?;
        let mut changes = vec![change("status", report.status.code(), to.code())];
        if report.comment != comment {
            changes.push(change("comment", report.comment.as_str(), comment));
        }
        let reason = (!comment.is_empty()).then_some(comment);
        self.record(Entity::MonthlyReport, report.id, Action::Update, &changes, reason)
    }
}
