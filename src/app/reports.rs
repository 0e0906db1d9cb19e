//! The monthly 居家服务情况统计分析报告 (R-RV-4): generate a month's draft
//! with its figures frozen, write the analysis, submit, and the manager's
//! approval or sending back. Every step is checked by
//! `domain::check_report_step` inside the write that makes it.

use chrono::NaiveDate;

use super::{HomeDesk, Result};
use crate::domain::{
    MonthlyReport, ReportContent, ReportError, ReportStatus, ReportStep, User, check_decision_comment,
    check_report_step, check_report_text, check_send_back, check_submission, report_month_span,
};
use crate::store::WriteTx;

impl HomeDesk {
    /// The report of `month` (`YYYY-MM`), if one was generated.
    pub fn monthly_report(&self, month: &str) -> Result<Option<MonthlyReport>> {
        Ok(self.store.monthly_report(month)?)
    }

    /// Every month with a report and its state, newest first.
    pub fn report_months(&self) -> Result<Vec<(String, ReportStatus)>> {
        Ok(self.store.report_months()?)
    }

    /// What a report of `month` freezes: the month's figures and the twelve
    /// months up to it. Also the content of an unsaved preview.
    pub fn report_content(&self, month: &str) -> Result<ReportContent> {
        let (first, next) = report_month_span(month)?;
        let last_day: NaiveDate = next.pred_opt().unwrap_or(first);
        Ok(ReportContent { figures: self.figures(first, next)?, trend: self.trend(last_day)? })
    }

    /// A new draft of an ended month, its figures taken now (R-RV-4).
    pub fn generate_report(&mut self, user: &User, month: &str) -> Result<MonthlyReport> {
        check_report_step(
            self.store.monthly_report(month)?.map(|r| r.status),
            ReportStep::Generate,
            user,
            month,
            self.now(),
        )?;
        // Computed before the write lock is taken: the figures read a year of rows.
        let content = self.report_content(month)?;
        let mut tx = self.store.write(self.audit(user))?;
        let now = tx.audit().at;
        check_report_step(
            tx.monthly_report(month)?.map(|r| r.status),
            ReportStep::Generate,
            user,
            month,
            now,
        )?;
        tx.insert_report(month, &content)?;
        let report = stored(&tx, month)?;
        tx.commit()?;
        Ok(report)
    }

    /// Takes a draft's (or sent-back report's) figures again, now.
    pub fn refresh_report(&mut self, user: &User, month: &str) -> Result<MonthlyReport> {
        let content = self.report_content(month)?;
        let mut tx = self.store.write(self.audit(user))?;
        let report = checked(&tx, user, month, ReportStep::Refresh)?;
        tx.refresh_report(&report, &content)?;
        let report = stored(&tx, month)?;
        tx.commit()?;
        Ok(report)
    }

    /// Keeps the clerk's analysis and suggestions.
    pub fn save_report_text(
        &mut self,
        user: &User,
        month: &str,
        analysis: &str,
        suggestions: &str,
    ) -> Result<MonthlyReport> {
        let mut tx = self.store.write(self.audit(user))?;
        let report = checked(&tx, user, month, ReportStep::Edit)?;
        let (analysis, suggestions) = check_report_text(analysis, suggestions)?;
        tx.set_report_text(&report, &analysis, &suggestions)?;
        let report = stored(&tx, month)?;
        tx.commit()?;
        Ok(report)
    }

    /// Keeps the text on screen and sends the report to the manager, in one
    /// write: the manager approves exactly what the clerk last saw.
    pub fn submit_report(
        &mut self,
        user: &User,
        month: &str,
        analysis: &str,
        suggestions: &str,
    ) -> Result<MonthlyReport> {
        let mut tx = self.store.write(self.audit(user))?;
        let report = checked(&tx, user, month, ReportStep::Submit)?;
        let (analysis, suggestions) = check_report_text(analysis, suggestions)?;
        check_submission(&analysis)?;
        tx.set_report_text(&report, &analysis, &suggestions)?;
        tx.submit_report(&report)?;
        let report = stored(&tx, month)?;
        tx.commit()?;
        Ok(report)
    }

    /// The manager approves a submitted report with the opinion typed beside
    /// 批准 (optional; kept in the same write); it is locked from now on.
    pub fn approve_report(&mut self, user: &User, month: &str, opinion: &str) -> Result<MonthlyReport> {
        let mut tx = self.store.write(self.audit(user))?;
        let report = checked(&tx, user, month, ReportStep::Approve)?;
        let opinion = check_decision_comment(opinion)?;
        tx.decide_report(&report, ReportStatus::Approved, &opinion)?;
        let report = stored(&tx, month)?;
        tx.commit()?;
        Ok(report)
    }

    /// The manager sends a submitted report back to the CS center, saying why.
    pub fn send_back_report(&mut self, user: &User, month: &str, comment: &str) -> Result<MonthlyReport> {
        let mut tx = self.store.write(self.audit(user))?;
        let report = checked(&tx, user, month, ReportStep::SendBack)?;
        let comment = check_send_back(comment)?;
        tx.decide_report(&report, ReportStatus::Returned, &comment)?;
        let report = stored(&tx, month)?;
        tx.commit()?;
        Ok(report)
    }
}

/// The month's report, once `step` is allowed on it for `user` (R-RV-4).
fn checked(tx: &WriteTx<'_>, user: &User, month: &str, step: ReportStep) -> Result<MonthlyReport> {
    let report = tx.monthly_report(month)?;
    check_report_step(report.as_ref().map(|r| r.status), step, user, month, tx.audit().at)?;
    Ok(report.ok_or(ReportError::NoReport)?)
}

/// The month's report as the write has left it.
fn stored(tx: &WriteTx<'_>, month: &str) -> Result<MonthlyReport> {
    Ok(tx.monthly_report(month)?.ok_or(ReportError::NoReport)?)
}
