//! The 待办 list of the signed-in person (issue 19): the things of their
//! role (`domain::todo_kinds`) gathered from the registers, the agreements,
//! the reports, the shopping log, the slips, the cash and the complaints.
//! Read-only: the UI runs it on a `HomeDesk::reader()` off its thread.

use chrono::Duration;

use super::{HomeDesk, Result};
use crate::domain::{
    AgreementStatus, ENDING_SOON_DAYS, ReportStatus, TodoItem, TodoKind, TodoTarget, User, shopping_no_text,
    todo_kinds,
};
use crate::store::AgreementQuery;

/// How far back cash still held is looked for: older cash is long overdue
/// and shows in 现金交接 (R-FEE-2), not on the morning's list.
const CASH_DAYS_BACK: i64 = 31;

impl HomeDesk {
    /// What waits for `user`, the most pressing kinds first (see `TodoKind::ALL`).
    pub fn todo(&self, user: &User) -> Result<Vec<TodoItem>> {
        let group = self.store.get_staff(user.staff_id)?.group;
        let mut items = Vec::new();
        for kind in todo_kinds(user.desk, user.rank, group) {
            items.extend(self.todo_of(kind, user)?);
        }
        Ok(items)
    }

    fn todo_of(&self, kind: TodoKind, user: &User) -> Result<Vec<TodoItem>> {
        let item = |target, what: String, detail: String| TodoItem { kind, target, what, detail };
        let today = self.now().date();
        Ok(match kind {
            TodoKind::ConfirmAgreement | TodoKind::SignAgreement => {
                let query =
                    AgreementQuery { status: Some(AgreementStatus::Draft), ..AgreementQuery::default() };
                let confirmed = kind == TodoKind::SignAgreement;
                self.agreements(&query)?
                    .into_iter()
                    .filter(|a| a.confirmed.is_some() == confirmed)
                    .map(|a| {
                        item(
                            TodoTarget::Agreement(a.id),
                            a.room,
                            format!("{} · {}", a.resident_name, a.service),
                        )
                    })
                    .collect()
            }
            TodoKind::AgreementEnding => self
                .agreements(&AgreementQuery::default())?
                .into_iter()
                .filter(|a| a.ends_within(today, ENDING_SOON_DAYS))
                .map(|a| {
                    let no = a.no.map(|n| n.to_string()).unwrap_or_default();
                    item(
                        TodoTarget::Agreement(a.id),
                        no,
                        format!("{} {} · {}", a.room, a.resident_name, a.term_end),
                    )
                })
                .collect(),
            TodoKind::ApproveReport | TodoKind::ReviseReport => {
                let wanted = if kind == TodoKind::ApproveReport {
                    ReportStatus::Submitted
                } else {
                    ReportStatus::Returned
                };
                self.report_months()?
                    .into_iter()
                    .filter(|(_, status)| *status == wanted)
                    .map(|(month, _)| item(TodoTarget::Report(month.clone()), month, String::new()))
                    .collect()
            }
            TodoKind::Investigate => self
                .shopping_followups(true)?
                .into_iter()
                .map(|f| {
                    let detail = f.entry.map(|e| format!("{} · {}", e.room, e.item)).unwrap_or_default();
                    item(TodoTarget::Shopping(f.no), shopping_no_text(f.no), detail)
                })
                .collect(),
            TodoKind::StubOut => self
                .stubs_out()?
                .into_iter()
                .map(|s| {
                    let posted =
                        s.posted_at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
                    item(TodoTarget::Slip(s.no), s.no.to_string(), format!("{} · {posted}", s.room))
                })
                .collect(),
            TodoKind::ReviewYesterday => {
                let yesterday = today.pred_opt().unwrap_or(today);
                self.day_review(user.desk, yesterday)?
                    .unanswered()
                    .map(|r| {
                        item(
                            TodoTarget::Request(r.id),
                            r.no.to_string(),
                            format!("{} · {}", r.room, r.service),
                        )
                    })
                    .collect()
            }
            TodoKind::ReceiveCash => self
                .cash_days(today - Duration::days(CASH_DAYS_BACK), today)?
                .into_iter()
                .filter(|d| !d.outstanding().is_zero())
                .map(|d| {
                    let detail = format!("{} · {}", d.day, d.outstanding());
                    item(TodoTarget::Cash(d.staff, d.day), d.staff_name, detail)
                })
                .collect(),
            TodoKind::CloseComplaint => self
                .complaints()?
                .into_iter()
                .filter(|c| c.closed.is_none())
                .map(|c| {
                    let staff = c.staff.map(|(_, name)| name).unwrap_or_default();
                    let what = if c.room.is_empty() { staff.clone() } else { c.room };
                    item(TodoTarget::Complaint(c.id), what, format!("{staff} · {}", c.what))
                })
                .collect(),
        })
    }
}
