//! The desks' daily routines in the demo, each through its use case at its
//! time: the CS center keeps the long-term agreements' visits on the
//! register before the first copy round (R-DSP-4), the control center
//! hands the previous day's repair register to the CS center in the
//! morning (R-FU-5), finance receives each staff member's cash in the
//! evening and sweeps up late collections the next morning (R-FEE-2), and
//! both desks answer for the day's open rows before the day ends (R-FU-4)
//! — most of them, so the newest days still show some unanswered.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use rand::Rng;

use super::{Demo, at_minute};
use crate::app::Result;
use crate::domain::{Desk, Request, RequestStatus, ReviewAnswer, StaffId};

/// Share of the day's open rows answered at the day-end review, per mille;
/// fewer on the last days before "now".
const REVIEWED_PER_MILLE: u32 = 880;
const RECENTLY_REVIEWED_PER_MILLE: u32 = 450;
const RECENT_DAYS: i64 = 2;
/// R-FU-5: now and then the repair register is handed over after 09:00.
const LATE_HANDOVER_PER_MILLE: u32 = 40;

/// One of the desks' daily routines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Routine {
    /// R-FU-5: that day's repair register goes to the CS center.
    HandOverRepairs(NaiveDate),
    /// R-FEE-2: finance receives the cash still held from that day.
    ReceiveCash(NaiveDate),
    /// R-FU-4: the desk's day-end review of the day.
    ReviewDay(Desk),
    /// R-DSP-4: the agreements' visits of the coming fortnight go on the register.
    KeepAgreements,
}

impl Demo {
    /// The routines of `day`, at their times.
    pub(super) fn routines(&mut self, day: NaiveDate) -> Vec<(NaiveDateTime, Routine)> {
        let mut routines = Vec::new();
        let yesterday = day - Duration::days(1);
        if yesterday >= self.first_day {
            let late = self.chance(LATE_HANDOVER_PER_MILLE);
            let handover = if late { (9 * 60 + 5, 40) } else { (8 * 60 + 5, 50) };
            routines.push((
                self.jitter(at_minute(day, handover.0), 0, handover.1),
                Routine::HandOverRepairs(yesterday),
            ));
            routines.push((self.jitter(at_minute(day, 8 * 60 + 35), 0, 20), Routine::ReceiveCash(yesterday)));
        }
        routines.push((self.jitter(at_minute(day, 7 * 60 + 40), 0, 15), Routine::KeepAgreements));
        routines.push((self.jitter(at_minute(day, 18 * 60 + 30), 0, 25), Routine::ReceiveCash(day)));
        routines.push((self.jitter(at_minute(day, 19 * 60 + 15), 0, 20), Routine::ReviewDay(Desk::CsCenter)));
        routines.push((
            self.jitter(at_minute(day, 21 * 60 + 30), 0, 60),
            Routine::ReviewDay(Desk::ControlCenter),
        ));
        routines
    }

    pub(super) fn do_routine(&mut self, at: NaiveDateTime, routine: Routine) -> Result<()> {
        match routine {
            Routine::HandOverRepairs(day) => self.hand_over_repairs(at, day),
            Routine::ReceiveCash(day) => self.receive_cash(day),
            Routine::ReviewDay(desk) => self.review_day(at, desk),
            Routine::KeepAgreements => self.keep_agreements(at),
        }
    }

    /// R-FU-5: the control-center clerk on duty hands over; the CS clerk on duty receives.
    fn hand_over_repairs(&mut self, at: NaiveDateTime, day: NaiveDate) -> Result<()> {
        let clerk = self.clerk(Desk::ControlCenter, at);
        let receiver = self.clerk(Desk::CsCenter, at);
        self.desk.hand_over_repairs(&clerk, day, &receiver.name)?;
        Ok(())
    }

    /// R-FEE-2: finance receives what each staff member still holds of `day`'s fees.
    fn receive_cash(&mut self, day: NaiveDate) -> Result<()> {
        let Some(finance) = self.finance.clone() else {
            return Ok(());
        };
        let holding: Vec<StaffId> = self
            .desk
            .cash_days(day, day)?
            .into_iter()
            .filter(|cash| !cash.outstanding().is_zero())
            .map(|cash| cash.staff)
            .collect();
        for staff in holding {
            self.desk.receive_cash(&finance, staff, day)?;
        }
        Ok(())
    }

    /// R-FU-4: the clerk on duty answers for most of the day's open rows.
    fn review_day(&mut self, at: NaiveDateTime, desk: Desk) -> Result<()> {
        let day = at.date();
        let share = if self.today - day < Duration::days(RECENT_DAYS) {
            RECENTLY_REVIEWED_PER_MILLE
        } else {
            REVIEWED_PER_MILLE
        };
        let clerk = self.clerk(desk, at);
        let open: Vec<Request> = self.desk.day_review(desk, day)?.unanswered().cloned().collect();
        for row in open {
            if self.review_rng.gen_range(0..1000) < share {
                let answer = review_answer(&row, at);
                self.desk.answer_day_review(&clerk, day, &answer)?;
            }
        }
        Ok(())
    }
}

/// What the taker says about an open row at `at`: why it is open, when it
/// should be finished and how (R-FU-4).
fn review_answer(row: &Request, at: NaiveDateTime) -> ReviewAnswer {
    let tomorrow = |minute| at_minute(at.date() + Duration::days(1), minute);
    let (reason, handling, expected_at) = match row.status {
        RequestStatus::Registered if !row.price_agreed => {
            ("住户尚未确认价格", "明天上午再电话联系住户确认", tomorrow(12 * 60))
        }
        RequestStatus::Registered => {
            ("等待抄单派工", "下一轮抄单时派出", row.appointment.max(at) + Duration::hours(2))
        }
        RequestStatus::Dispatched if row.appointment > at => {
            ("预约时间未到", "按预约时间上门", row.appointment + Duration::hours(2))
        }
        RequestStatus::Dispatched => ("员工尚未回报完成情况", "电话催员工回报，明早跟进", tomorrow(12 * 60)),
        RequestStatus::NotHome => ("上门时住户不在家，已贴留言条", "等住户回电另约时间", tomorrow(18 * 60)),
        _ => ("员工已完工，尚未回来签单", "催员工明早来签单", tomorrow(10 * 60)),
    };
    ReviewAnswer {
        request: row.id,
        reason: reason.to_string(),
        expected_at: Some(expected_at),
        handling: handling.to_string(),
    }
}
