//! The monthly 居家服务情况统计分析报告 (R-RV-4): its states and who may
//! move it between them.
//!
//! A report is generated for a month that has ended, at the CS center
//! (R-RV-4: the CS center writes it). Generation freezes the figures and
//! the twelve-month trend: a month's report says what the registers said
//! when it was written, even if a row is corrected later. The clerk writes
//! the analysis and suggestions and may take the figures again while the
//! report is a draft or sent back. Submitted, it waits for the department
//! manager, who approves it — approval locks it for good — or sends it back
//! with a comment. Nothing is ever deleted.
//!
//! ```text
//! (none) ─generate→ draft ─submit→ submitted ─approve→ approved (locked)
//!                     ↑ edit, refresh     │
//!                  returned ←─send back──┘  (returned: edit, refresh, submit)
//! ```
//!
//! Must not: read the clock (`now` is passed in), or know SQL.

use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::people::coded_enum;
use super::stats::{Figures, TrendMonth};
use super::{Desk, Rank, User, month_start};

/// The longest analysis or suggestions text a report keeps.
pub const MAX_REPORT_TEXT_CHARS: usize = 20_000;

coded_enum! {
    /// Where a monthly report stands.
    ReportStatus {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        Approved = "approved",
    }
}

impl ReportStatus {
    /// The clerk may change the text and take the figures again.
    pub fn is_editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }
}

/// What a report froze when it was generated: the month's figures and the
/// twelve months up to it, for the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContent {
    pub figures: Figures,
    pub trend: Vec<TrendMonth>,
}

/// One month's report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyReport {
    pub id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub status: ReportStatus,
    pub content: ReportContent,
    /// When the figures were taken.
    pub generated_at: NaiveDateTime,
    pub analysis: String,
    pub suggestions: String,
    /// Who generated it (编制人).
    pub prepared_by: String,
    pub prepared_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    /// The manager who approved it or sent it back last.
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    /// The manager's 审批意见 of the last decision: why it was sent back
    /// (kept after a resubmission until the next decision, so the clerk can
    /// see what was asked), or the opinion given with the approval (may be
    /// empty).
    pub comment: String,
}

/// What someone wants to do to a month's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    Generate,
    /// Take the figures again (draft or returned only).
    Refresh,
    /// Change the analysis or suggestions.
    Edit,
    Submit,
    Approve,
    SendBack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("not a month of the form YYYY-MM")]
    BadMonth,
    #[error("the month has not ended yet")]
    MonthNotOver,
    #[error("the month already has a report")]
    AlreadyExists,
    #[error("the month has no report yet")]
    NoReport,
    #[error("only the CS center writes the monthly report")]
    CsCenterOnly,
    #[error("only the department manager approves or sends back the report")]
    NeedsManager,
    #[error("the report is approved and locked")]
    Locked,
    #[error("the report is waiting for approval")]
    AwaitingApproval,
    #[error("only a submitted report can be approved or sent back")]
    NotSubmitted,
    #[error("write the analysis before submitting")]
    AnalysisRequired,
    #[error("say why the report goes back")]
    CommentRequired,
    #[error("the text is too long")]
    TooLong,
}

/// The first day of `month` and of the month after it.
pub fn report_month_span(month: &str) -> Result<(NaiveDate, NaiveDate), ReportError> {
    let first = month_start(month).ok_or(ReportError::BadMonth)?;
    let next = first.checked_add_months(Months::new(1)).ok_or(ReportError::BadMonth)?;
    Ok((first, next))
}

/// R-RV-4: whether `user` may take `step` on a report now `status` (`None`:
/// the month has none), and the state it leaves the report in. A report is
/// generated only once its month is over (`now` past its last day).
pub fn check_report_step(
    status: Option<ReportStatus>,
    step: ReportStep,
    user: &User,
    month: &str,
    now: NaiveDateTime,
) -> Result<ReportStatus, ReportError> {
    let (_, next) = report_month_span(month)?;
    check_who(step, user)?;
    match (status, step) {
        (None, ReportStep::Generate) if now.date() < next => Err(ReportError::MonthNotOver),
        (None, ReportStep::Generate) => Ok(ReportStatus::Draft),
        (None, _) => Err(ReportError::NoReport),
        (Some(_), ReportStep::Generate) => Err(ReportError::AlreadyExists),
        (Some(ReportStatus::Approved), _) => Err(ReportError::Locked),
        (Some(s), ReportStep::Refresh | ReportStep::Edit) if s.is_editable() => Ok(s),
        (Some(s), ReportStep::Submit) if s.is_editable() => Ok(ReportStatus::Submitted),
        (Some(ReportStatus::Submitted), ReportStep::Refresh | ReportStep::Edit | ReportStep::Submit) => {
            Err(ReportError::AwaitingApproval)
        }
        (Some(ReportStatus::Submitted), ReportStep::Approve) => Ok(ReportStatus::Approved),
        (Some(ReportStatus::Submitted), ReportStep::SendBack) => Ok(ReportStatus::Returned),
        (Some(_), _) => Err(ReportError::NotSubmitted),
    }
}

/// The CS center writes the report; the department manager decides on it (R-RV-4).
fn check_who(step: ReportStep, user: &User) -> Result<(), ReportError> {
    match step {
        ReportStep::Approve | ReportStep::SendBack if user.rank != Rank::Manager => {
            Err(ReportError::NeedsManager)
        }
        ReportStep::Approve | ReportStep::SendBack => Ok(()),
        _ if user.desk != Desk::CsCenter => Err(ReportError::CsCenterOnly),
        _ => Ok(()),
    }
}

/// The analysis and suggestions as kept: trimmed, within the length limit.
pub fn check_report_text(analysis: &str, suggestions: &str) -> Result<(String, String), ReportError> {
    let (analysis, suggestions) = (analysis.trim(), suggestions.trim());
    if analysis.chars().count() > MAX_REPORT_TEXT_CHARS || suggestions.chars().count() > MAX_REPORT_TEXT_CHARS
    {
        return Err(ReportError::TooLong);
    }
    Ok((analysis.to_string(), suggestions.to_string()))
}

/// A report goes to the manager only with its analysis written (R-RV-4).
pub fn check_submission(analysis: &str) -> Result<(), ReportError> {
    if analysis.trim().is_empty() {
        return Err(ReportError::AnalysisRequired);
    }
    Ok(())
}

/// The manager's 审批意见 as kept with a decision: trimmed, within the
/// length limit. Optional with an approval, yet never dropped when typed.
pub fn check_decision_comment(comment: &str) -> Result<String, ReportError> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_REPORT_TEXT_CHARS {
        return Err(ReportError::TooLong);
    }
    Ok(comment.to_string())
}

/// A report goes back to the clerk only with the reason (R-RV-4, R-FU-6).
pub fn check_send_back(comment: &str) -> Result<String, ReportError> {
    let comment = check_decision_comment(comment)?;
    if comment.is_empty() {
        return Err(ReportError::CommentRequired);
    }
    Ok(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn user(rank: Rank, desk: Desk) -> User {
        User { staff_id: 1, name: "李小梅".into(), rank, desk }
    }

    fn clerk() -> User {
        user(Rank::Staff, Desk::CsCenter)
    }

    fn manager() -> User {
        user(Rank::Manager, Desk::ControlCenter)
    }

    const NOV: &str = "2026-11-23 10:00";

    #[test]
    fn r_rv_4_a_report_is_generated_once_its_month_is_over() {
        let step = |month, now| check_report_step(None, ReportStep::Generate, &clerk(), month, at(now));
        assert_eq!(step("2026-10", NOV), Ok(ReportStatus::Draft));
        assert_eq!(step("2026-11", NOV), Err(ReportError::MonthNotOver));
        assert_eq!(step("2026-11", "2026-12-01 00:00"), Ok(ReportStatus::Draft));
        assert_eq!(step("2026-13", NOV), Err(ReportError::BadMonth));
        let again =
            check_report_step(Some(ReportStatus::Draft), ReportStep::Generate, &clerk(), "2026-10", at(NOV));
        assert_eq!(again, Err(ReportError::AlreadyExists));
    }

    #[test]
    fn r_rv_4_the_cs_center_writes_the_report() {
        let control = user(Rank::Supervisor, Desk::ControlCenter);
        for step in [ReportStep::Generate, ReportStep::Edit, ReportStep::Refresh, ReportStep::Submit] {
            let status = (step != ReportStep::Generate).then_some(ReportStatus::Draft);
            assert_eq!(
                check_report_step(status, step, &control, "2026-10", at(NOV)),
                Err(ReportError::CsCenterOnly)
            );
        }
    }

    #[test]
    fn r_rv_4_approval_needs_the_manager() {
        let submitted = Some(ReportStatus::Submitted);
        for who in [clerk(), user(Rank::Supervisor, Desk::CsCenter)] {
            for step in [ReportStep::Approve, ReportStep::SendBack] {
                assert_eq!(
                    check_report_step(submitted, step, &who, "2026-10", at(NOV)),
                    Err(ReportError::NeedsManager)
                );
            }
        }
        let approve = check_report_step(submitted, ReportStep::Approve, &manager(), "2026-10", at(NOV));
        assert_eq!(approve, Ok(ReportStatus::Approved));
        let back = check_report_step(submitted, ReportStep::SendBack, &manager(), "2026-10", at(NOV));
        assert_eq!(back, Ok(ReportStatus::Returned));
    }

    #[test]
    fn r_rv_4_a_submitted_report_waits_and_an_approved_one_is_locked() {
        let step = |status, step| check_report_step(Some(status), step, &clerk(), "2026-10", at(NOV));
        assert_eq!(step(ReportStatus::Submitted, ReportStep::Edit), Err(ReportError::AwaitingApproval));
        assert_eq!(step(ReportStatus::Submitted, ReportStep::Refresh), Err(ReportError::AwaitingApproval));
        for s in [ReportStep::Edit, ReportStep::Refresh, ReportStep::Submit] {
            assert_eq!(step(ReportStatus::Approved, s), Err(ReportError::Locked));
        }
        let decide =
            |status| check_report_step(Some(status), ReportStep::Approve, &manager(), "2026-10", at(NOV));
        assert_eq!(decide(ReportStatus::Approved), Err(ReportError::Locked));
        assert_eq!(decide(ReportStatus::Draft), Err(ReportError::NotSubmitted));
        assert_eq!(decide(ReportStatus::Returned), Err(ReportError::NotSubmitted));
    }

    #[test]
    fn r_rv_4_a_returned_report_is_edited_and_submitted_again() {
        let step = |s| check_report_step(Some(ReportStatus::Returned), s, &clerk(), "2026-10", at(NOV));
        assert_eq!(step(ReportStep::Edit), Ok(ReportStatus::Returned));
        assert_eq!(step(ReportStep::Refresh), Ok(ReportStatus::Returned));
        assert_eq!(step(ReportStep::Submit), Ok(ReportStatus::Submitted));
    }

    #[test]
    fn r_rv_4_submission_needs_the_analysis_and_sending_back_a_reason() {
        assert_eq!(check_submission("  "), Err(ReportError::AnalysisRequired));
        assert_eq!(check_submission("本月受理量上升。"), Ok(()));
        assert_eq!(check_send_back(" "), Err(ReportError::CommentRequired));
        assert_eq!(check_send_back(" 请补充投诉分析 "), Ok("请补充投诉分析".to_string()));
        let long = "字".repeat(MAX_REPORT_TEXT_CHARS + 1);
        assert_eq!(check_report_text(&long, ""), Err(ReportError::TooLong));
        assert_eq!(check_report_text(" 分析 ", " 建议 "), Ok(("分析".into(), "建议".into())));
    }
}
