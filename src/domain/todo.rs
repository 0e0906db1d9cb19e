//! The 待办 list (issue 19): what waits for a person when they sign in, by
//! their role — the desk they sit at, their rank and their group — each
//! thing naming the record it is about, so the list is a click away from it.
//!
//! Pure: `app` gathers the open things and asks [`todo_kinds`] which of them
//! are this person's.

use chrono::NaiveDate;

use super::{AgreementId, Desk, Group, Rank, RequestId, SlipNo, StaffId};

/// Agreements ending within this many days are a thing to see to (renew or let end).
pub const ENDING_SOON_DAYS: i64 = 30;

/// A kind of thing that waits for someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TodoKind {
    /// A draft agreement the CS assistant has not confirmed yet (R-AG-2).
    ConfirmAgreement,
    /// A confirmed draft waiting for the manager's signature (R-AG-2).
    SignAgreement,
    /// A monthly report submitted for the manager's approval (R-RV-4).
    ApproveReport,
    /// A monthly report sent back to the CS center (R-RV-4).
    ReviseReport,
    /// A 飞单 of the shopping log not yet investigated (R-SH-6).
    Investigate,
    /// A posted message slip whose stub has not come back (R-FU-3).
    StubOut,
    /// Yesterday's row not signed off and not yet reviewed (R-FU-4).
    ReviewYesterday,
    /// Cash a staff member still holds from an earlier day (R-FEE-2).
    ReceiveCash,
    /// A complaint not yet closed (R-RV-3, R-FU-6).
    CloseComplaint,
    /// A running agreement ending within [`ENDING_SOON_DAYS`] (R-AG-2).
    AgreementEnding,
}

impl TodoKind {
    pub const ALL: [TodoKind; 10] = [
        TodoKind::SignAgreement,
        TodoKind::ApproveReport,
        TodoKind::ReviseReport,
        TodoKind::ConfirmAgreement,
        TodoKind::Investigate,
        TodoKind::ReceiveCash,
        TodoKind::ReviewYesterday,
        TodoKind::StubOut,
        TodoKind::CloseComplaint,
        TodoKind::AgreementEnding,
    ];
}

/// The record a thing to do is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TodoTarget {
    Agreement(AgreementId),
    /// A month `YYYY-MM`.
    Report(String),
    /// A shopping-log number.
    Shopping(i64),
    Slip(SlipNo),
    Request(RequestId),
    /// A staff member's cash of a day.
    Cash(StaffId, NaiveDate),
    Complaint(i64),
}

/// One thing waiting: what to do, about which record, described for the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodoItem {
    pub kind: TodoKind,
    pub target: TodoTarget,
    /// The record as the office names it (a number, a room, a month).
    pub what: String,
    /// More about it: a resident, a date, an amount.
    pub detail: String,
}

/// The kinds of things that wait for a person at `desk` of `rank` in
/// `group`: the desk's own work, a supervisor's investigations and
/// complaints, the manager's signatures and approvals, finance's cash.
pub fn todo_kinds(desk: Desk, rank: Rank, group: Group) -> Vec<TodoKind> {
    TodoKind::ALL.into_iter().filter(|kind| is_for(*kind, desk, rank, group)).collect()
}

fn is_for(kind: TodoKind, desk: Desk, rank: Rank, group: Group) -> bool {
    let at_cs = desk == Desk::CsCenter;
    match kind {
        TodoKind::SignAgreement | TodoKind::ApproveReport => rank == Rank::Manager,
        TodoKind::ConfirmAgreement | TodoKind::ReviseReport | TodoKind::StubOut => at_cs,
        TodoKind::AgreementEnding => at_cs || rank == Rank::Manager,
        TodoKind::Investigate | TodoKind::CloseComplaint => rank.is_supervisor_or_above(),
        TodoKind::ReceiveCash => group == Group::Finance,
        TodoKind::ReviewYesterday => group != Group::Finance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_finds_its_own_things_to_do() {
        let manager = todo_kinds(Desk::CsCenter, Rank::Manager, Group::CsCenter);
        assert!(manager.contains(&TodoKind::SignAgreement) && manager.contains(&TodoKind::ApproveReport));
        assert!(manager.contains(&TodoKind::Investigate) && !manager.contains(&TodoKind::ReceiveCash));
        let clerk = todo_kinds(Desk::CsCenter, Rank::Staff, Group::CsCenter);
        assert!(clerk.contains(&TodoKind::ConfirmAgreement) && clerk.contains(&TodoKind::StubOut));
        assert!(!clerk.contains(&TodoKind::SignAgreement) && !clerk.contains(&TodoKind::Investigate));
        let control = todo_kinds(Desk::ControlCenter, Rank::Staff, Group::ControlCenter);
        assert_eq!(control, [TodoKind::ReviewYesterday]);
        let finance = todo_kinds(Desk::CsCenter, Rank::Staff, Group::Finance);
        assert!(finance.contains(&TodoKind::ReceiveCash) && !finance.contains(&TodoKind::ReviewYesterday));
    }
}
