//! What a paper form could hold, shared by every form and by import: how
//! long a name, a login, a one-line field and a box of notes may be, that
//! text is printable, and the times a record of this office can carry (within
//! the office's life, an appointment near its call).
//!
//! The 设置 forms (`validate_resident`, `validate_staff`,
//! `validate_price_item`), the intake (`validate_intake`) and `import` all
//! check through these, so a file cannot bring in what a clerk could not type.

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// What a text field is, for its length and the characters it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A person's name (住户姓名, 员工姓名, 受理人, 签单人 …): one line.
    Name,
    /// A login: one line, no spaces.
    Login,
    /// One cell of a form (房号, 服务项目, 单位, 品牌, 发票号 …): one line.
    Line,
    /// A box of a form (服务内容及要求, 备注, 原因): line breaks allowed.
    Note,
}

impl TextKind {
    /// The most characters the field holds: a name's box on the forms takes
    /// about ten characters (30 leaves room for a foreign name), a cell
    /// about twenty-five, the 备注 box of a register row a few lines.
    pub const fn max_chars(self) -> usize {
        match self {
            TextKind::Name => 30,
            TextKind::Login => 32,
            TextKind::Line => 60,
            TextKind::Note => 500,
        }
    }
}

/// Why a text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    /// A control character (NUL, ESC …), or a line break in a one-line field.
    #[error("holds a character that cannot be printed")]
    Unprintable,
}

/// Checks a text (as typed; callers trim it as they store it) against its kind.
pub fn check_text(text: &str, kind: TextKind) -> Result<(), TextError> {
    let multi_line = kind == TextKind::Note;
    let printable = |c: char| !c.is_control() || (multi_line && matches!(c, '\n' | '\r' | '\t'));
    if !text.chars().all(printable) {
        return Err(TextError::Unprintable);
    }
    let max = kind.max_chars();
    if text.trim().chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(())
}

/// The earliest day a record of the office may carry: no property office
/// kept a home-service register before this, so an earlier year is a typo
/// (`0202` for `2020`), not history.
pub const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// How far before its call an appointment may be written: a paper register
/// sometimes has the visit's hour before the call's minute on the same day.
pub const APPOINTMENT_BEFORE_CALL: Duration = Duration::days(1);

/// How far after its call an appointment may be: a year (a booking for next
/// spring's cleaning), not more.
pub const APPOINTMENT_AFTER_CALL: Duration = Duration::days(366);

/// Why a time is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error("before {EARLIEST_DAY}, earlier than the office keeps records")]
    BeforeOffice,
    #[error("after now: a record of what happened cannot be in the future")]
    InFuture,
    #[error("the appointment is long before the call")]
    AppointmentBeforeCall,
    #[error("the appointment is more than a year after the call")]
    AppointmentTooFar,
}

/// A day something happened (a first job, a purchase): within the office's
/// life, not after `today`.
pub fn check_day(day: NaiveDate, today: NaiveDate) -> Result<(), WhenError> {
    if day < EARLIEST_DAY {
        return Err(WhenError::BeforeOffice);
    }
    if day > today {
        return Err(WhenError::InFuture);
    }
    Ok(())
}

/// A time something happened (a call taken, a sign-off, a settlement):
/// within the office's life, not after `now`.
pub fn check_happened(at: NaiveDateTime, now: NaiveDateTime) -> Result<(), WhenError> {
    if at.date() < EARLIEST_DAY {
        return Err(WhenError::BeforeOffice);
    }
    if at > now {
        return Err(WhenError::InFuture);
    }
    Ok(())
}

/// An appointment for a call taken at `call`: not long before it, at most
/// a year after it.
pub fn check_appointment_near(call: NaiveDateTime, appointment: NaiveDateTime) -> Result<(), WhenError> {
    if appointment < call - APPOINTMENT_BEFORE_CALL {
        return Err(WhenError::AppointmentBeforeCall);
    }
    if appointment > call + APPOINTMENT_AFTER_CALL {
        return Err(WhenError::AppointmentTooFar);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn text_is_printable_and_as_long_as_its_box() {
        assert_eq!(check_text("张阿姨", TextKind::Name), Ok(()));
        assert_eq!(check_text("张\u{0}阿姨", TextKind::Name), Err(TextError::Unprintable));
        assert_eq!(check_text("\u{1b}[31m", TextKind::Login), Err(TextError::Unprintable));
        assert_eq!(check_text("第一行\n第二行", TextKind::Line), Err(TextError::Unprintable));
        assert_eq!(check_text("第一行\r\n第二行\t完", TextKind::Note), Ok(()));
        assert_eq!(check_text(&"名".repeat(30), TextKind::Name), Ok(()));
        assert_eq!(check_text(&"名".repeat(31), TextKind::Name), Err(TextError::TooLong { max: 30 }));
        assert_eq!(
            check_text(&"记".repeat(10_000_000), TextKind::Note),
            Err(TextError::TooLong { max: 500 })
        );
    }

    #[test]
    fn times_fall_within_the_office_life_and_appointments_near_their_call() {
        let now = at("2026-11-22 14:30");
        assert_eq!(check_happened(at("2026-11-22 14:30"), now), Ok(()));
        assert_eq!(check_happened(at("9999-12-31 23:59"), now), Err(WhenError::InFuture));
        assert_eq!(check_happened(at("1899-12-31 00:00"), now), Err(WhenError::BeforeOffice));
        assert_eq!(check_day(now.date(), now.date()), Ok(()));
        assert_eq!(
            check_day(now.date().succ_opt().unwrap_or(now.date()), now.date()),
            Err(WhenError::InFuture)
        );
        let call = at("2026-01-05 09:30");
        assert_eq!(check_appointment_near(call, at("2026-01-05 09:00")), Ok(()));
        assert_eq!(check_appointment_near(call, at("2027-01-05 09:00")), Ok(()));
        assert_eq!(
            check_appointment_near(call, at("2026-01-03 09:00")),
            Err(WhenError::AppointmentBeforeCall)
        );
        assert_eq!(check_appointment_near(call, at("2028-01-05 09:00")), Err(WhenError::AppointmentTooFar));
    }
}
