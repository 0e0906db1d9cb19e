//! Historical register rows (登记记录): one register per file, known from
//! the running numbers' prefix or else a 登记簿 column; each row's cells
//! parsed as the printed register and HomeDesk's Excel export write them
//! (`export::register_table`'s headers). After the last row the records are
//! put in 受理时间 order — the order their new running numbers are issued
//! in (R-IN-4) — and a (register, year) that already has rows refuses the
//! file.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;

use super::{ColumnSpec, ImportFault, ImportProblem, ImportRecord, OnFile, RowCells, optional, required};
use crate::domain::{
    AlarmWork, Money, PastRequest, RegisterKind, RequestStatus, RoomNo, RunningNo, Urgency, ValidRequest,
    check_appointment_near, check_happened, is_valid_phone,
};
use crate::i18n::t;

const NO: usize = 0;
const REGISTER: usize = 1;
const RECEIVED_AT: usize = 2;
const RECEIVED_BY: usize = 3;
const ROOM: usize = 4;
const RESIDENT: usize = 5;
const PHONE: usize = 6;
const SERVICE: usize = 7;
const URGENCY: usize = 8;
const ALARM_WORK: usize = 9;
const DETAILS: usize = 10;
const APPOINTMENT: usize = 11;
const STAFF: usize = 12;
const PRICE: usize = 13;
const STATUS: usize = 14;
const SIGNED_OFF_BY: usize = 15;
const SIGNED_OFF_AT: usize = 16;
const COLLECTED: usize = 17;
const COLLECTED_BY: usize = 18;
const SETTLED_AT: usize = 19;
const FOLLOW_UP: usize = 20;
const NOTES: usize = 21;

/// The printed registers' columns (FORMS.md), spelled as the Excel export
/// writes them first.
pub(super) const REGISTER_COLUMNS: &[ColumnSpec] = &[
    optional(&["编号", "登记编号", "流水号"]),
    optional(&["登记簿", "登记表"]),
    required(&["受理时间", "登记时间"]),
    required(&["受理人", "登记人"]).person(),
    required(&["房号", "房间号", "住址"]),
    required(&["住户姓名", "住户", "客户姓名"]).person(),
    optional(&["电话", "联系电话", "手机"]),
    required(&["服务项目", "项目"]),
    optional(&["紧急程度"]),
    optional(&["类别", "报警业务"]),
    optional(&["服务内容及要求", "服务内容"]).note(),
    required(&["预约时间"]),
    optional(&["服务人员"]).person(),
    optional(&["议定价格", "价格", "价格（元）"]),
    optional(&["状态"]),
    optional(&["签单", "签单人"]).person(),
    optional(&["签单时间"]),
    optional(&["收费金额", "收费"]),
    optional(&["收费人"]).person(),
    optional(&["结算", "结算时间"]),
    optional(&["跟进核实"]).note(),
    optional(&["备注"]).note(),
];

/// Checks register rows, remembering the file's register and its numbers.
pub(super) struct Checker<'a> {
    on_file: &'a OnFile,
    /// The register of the first row that named one, and that row.
    register: Option<(RegisterKind, usize)>,
    /// A running number given in the file → the row it was first seen on.
    numbers: HashMap<RunningNo, usize>,
    /// A row without a number, cell by cell → the row it was first seen on:
    /// the same call written twice would be two rows with two numbers.
    rows: HashMap<Vec<String>, usize>,
    /// Times of what happened are not after this.
    now: NaiveDateTime,
}

impl<'a> Checker<'a> {
    pub(super) fn new(on_file: &'a OnFile, now: NaiveDateTime) -> Checker<'a> {
        Checker { on_file, register: None, numbers: HashMap::new(), rows: HashMap::new(), now }
    }

    pub(super) fn check(&mut self, cells: &mut RowCells<'_>) -> Option<ImportRecord> {
        let kind = self.register_of(cells);
        self.first_time(cells);
        let received_at = happened(required_date_time(cells, RECEIVED_AT), cells, RECEIVED_AT, self.now);
        let received_by = cells.required(RECEIVED_BY).map(str::to_string);
        let room = cells.required(ROOM).map(RoomNo::parse);
        if let Some(Err(_)) = room {
            cells.fault(ROOM, ImportFault::Room);
        }
        cells.required(RESIDENT);
        if !cells.text(PHONE).is_empty() && !is_valid_phone(cells.text(PHONE)) {
            cells.fault(PHONE, ImportFault::Phone);
        }
        cells.required(SERVICE);
        let urgency = choice(cells, URGENCY, Urgency::ALL, |u| t().urgency(u), Urgency::code);
        let alarm_work = choice(cells, ALARM_WORK, AlarmWork::ALL, |a| t().alarm_work(a), AlarmWork::code);
        let appointment = required_date_time(cells, APPOINTMENT);
        if let (Some(call), Some(at)) = (received_at, appointment)
            && let Err(e) = check_appointment_near(call, at)
        {
            cells.fault(APPOINTMENT, ImportFault::When(e));
        }
        let staff = match cells.text(STAFF) {
            "" => Some(None),
            name => match self.on_file.staff_names.get(name) {
                Some(id) => Some(Some(*id)),
                None => {
                    cells.fault(STAFF, ImportFault::StaffUnknown);
                    None
                }
            },
        };
        let price = money(cells, PRICE);
        let status = match cells.text(STATUS) {
            "" => Some(RequestStatus::Done),
            text => {
                let found = RequestStatus::ALL
                    .iter()
                    .copied()
                    .find(|s| text == t().status(*s) || text.eq_ignore_ascii_case(s.code()));
                if found.is_none() {
                    cells.fault(STATUS, ImportFault::Status);
                }
                found
            }
        };
        let signed_off_at =
            optional_date_time(cells, SIGNED_OFF_AT).map(|at| happened(at, cells, SIGNED_OFF_AT, self.now));
        let signed_off = both(cells, SIGNED_OFF_BY, SIGNED_OFF_AT)
            .then(|| cells.text(SIGNED_OFF_BY).to_string())
            .zip(signed_off_at.flatten());
        let collected_amount = money(cells, COLLECTED);
        let collected = both(cells, COLLECTED, COLLECTED_BY)
            .then_some(collected_amount.flatten())
            .flatten()
            .zip(Some(cells.text(COLLECTED_BY).to_string()));
        let settled_at =
            optional_date_time(cells, SETTLED_AT).map(|at| happened(at, cells, SETTLED_AT, self.now));
        if cells.row_has_faults() {
            return None;
        }
        let (kind, received_at, appointment) = (kind?, received_at?, appointment?);
        let room = room?.ok()?;
        let request = ValidRequest {
            kind,
            desk: kind.owner(),
            room,
            resident_name: cells.text(RESIDENT).into(),
            phone: cells.text(PHONE).into(),
            price_item: None,
            service: cells.text(SERVICE).into(),
            details: cells.text(DETAILS).into(),
            appointment,
            slack_reason: String::new(),
            price: price.flatten(),
            price_agreed: price.flatten().is_some(),
            review: None,
            urgency: urgency.flatten().filter(|_| kind == RegisterKind::Repair),
            alarm_work: alarm_work.flatten().filter(|_| kind == RegisterKind::Alarm),
            assigned_staff: staff.flatten(),
            notes: cells.text(NOTES).into(),
            relay_told: None,
        };
        let received_by = received_by?;
        let follow_up = Some(cells.text(FOLLOW_UP).to_string()).filter(|f| !f.is_empty());
        let past = PastRequest {
            request,
            received_by_id: self.on_file.staff_names.get(&received_by).copied(),
            received_by,
            received_at,
            status: status?,
            signed_off,
            collected,
            settled_at: settled_at.flatten(),
            follow_up: follow_up.filter(|_| kind == RegisterKind::Repair),
        };
        let file_no = RunningNo::parse(cells.text(NO));
        Some(ImportRecord::Request { past: Box::new(past), file_no })
    }

    /// A row without a running number that repeats an earlier one cell by
    /// cell is reported at its 受理时间 (one with a number is caught by it).
    fn first_time(&mut self, cells: &mut RowCells<'_>) {
        if !cells.text(NO).is_empty() {
            return;
        }
        let key: Vec<String> = cells.row.cells.iter().map(|c| c.trim().to_string()).collect();
        match self.rows.get(&key) {
            Some(first) => cells.fault(RECEIVED_AT, ImportFault::RepeatedInFile(*first)),
            None => {
                self.rows.insert(key, cells.line());
            }
        }
    }

    /// The row's register: its running number's prefix, else its 登记簿
    /// cell; every row of a file must be of the first row's register.
    fn register_of(&mut self, cells: &mut RowCells<'_>) -> Option<RegisterKind> {
        let by_no = match cells.text(NO) {
            "" => None,
            text => match RunningNo::parse(text) {
                Some(no) => {
                    if let Some(first) = self.numbers.get(&no) {
                        cells.fault(NO, ImportFault::RepeatedInFile(*first));
                    } else {
                        self.numbers.insert(no, cells.line());
                    }
                    Some(no.kind)
                }
                None => {
                    cells.fault(NO, ImportFault::RunningNo);
                    return None;
                }
            },
        };
        let by_name = match cells.text(REGISTER) {
            "" => None,
            text => match register_named(text) {
                Some(kind) => Some(kind),
                None => {
                    cells.fault(REGISTER, ImportFault::Register);
                    return None;
                }
            },
        };
        let kind = match (by_no, by_name) {
            (Some(a), Some(b)) if a != b => {
                cells.fault(REGISTER, ImportFault::Register);
                return None;
            }
            (Some(kind), _) | (None, Some(kind)) => kind,
            (None, None) => {
                cells.fault(NO, ImportFault::NoRegister);
                return None;
            }
        };
        match self.register {
            Some((first, row)) if first != kind => {
                let column = if by_no.is_some() { NO } else { REGISTER };
                cells.fault(column, ImportFault::OtherRegister { row, register: first });
                None
            }
            Some(_) => Some(kind),
            None => {
                self.register = Some((kind, cells.line()));
                Some(kind)
            }
        }
    }

    /// After the last row: the records in 受理时间 order (a tie keeps the
    /// file's order), and a problem for each (register, year) that already
    /// has rows — its numbers would not start at 1 in time order.
    pub(super) fn finish(&self, file: &str, records: &mut [ImportRecord], problems: &mut Vec<ImportProblem>) {
        records.sort_by_key(|r| match r {
            ImportRecord::Request { past, .. } => Some(past.received_at),
            _ => None,
        });
        let years: BTreeSet<(RegisterKind, i32)> = records
            .iter()
            .filter_map(|r| match r {
                ImportRecord::Request { past, .. } => {
                    Some((past.kind(), chrono::Datelike::year(&past.received_at)))
                }
                _ => None,
            })
            .collect();
        for (kind, year) in years {
            if self.on_file.register_years.contains(&(kind, year)) {
                problems.push(ImportProblem::of_file(
                    file,
                    ImportFault::RegisterYearOnFile { register: kind, year },
                ));
            }
        }
    }
}

/// `家政`, `家政登记表`, the printed title, `JZ` or `housekeeping`.
fn register_named(text: &str) -> Option<RegisterKind> {
    let t = t();
    let text = text.trim();
    RegisterKind::ALL.iter().copied().find(|k| {
        let short = t.kind(*k);
        text == short
            || text.strip_prefix(short).is_some_and(|rest| matches!(rest, "登记表" | "登记簿" | "登记"))
            || text == t.register_title(*k)
            || text.eq_ignore_ascii_case(k.prefix())
            || text.eq_ignore_ascii_case(k.code())
    })
}

/// One of a small set of words the app shows (or its code); `Some(None)`
/// for an empty cell, `None` (reported) for an unknown word.
pub(super) fn choice<T: Copy>(
    cells: &mut RowCells<'_>,
    column: usize,
    all: &[T],
    shown: impl Fn(T) -> &'static str,
    code: impl Fn(T) -> &'static str,
) -> Option<Option<T>> {
    let text = cells.text(column);
    if text.is_empty() {
        return Some(None);
    }
    let found = all.iter().copied().find(|v| text == shown(*v) || text.eq_ignore_ascii_case(code(*v)));
    if found.is_none() {
        cells.fault(column, ImportFault::Choice(all.iter().map(|v| shown(*v)).collect()));
    }
    found.map(Some)
}

/// Whether the pair of cells is filled; one without the other is reported
/// (the empty one is `Required`).
fn both(cells: &mut RowCells<'_>, a: usize, b: usize) -> bool {
    match (cells.text(a).is_empty(), cells.text(b).is_empty()) {
        (false, false) => true,
        (true, true) => false,
        (true, false) => {
            cells.fault(a, ImportFault::Required);
            false
        }
        (false, true) => {
            cells.fault(b, ImportFault::Required);
            false
        }
    }
}

pub(super) fn money(cells: &mut RowCells<'_>, column: usize) -> Option<Option<Money>> {
    match cells.text(column) {
        "" => Some(None),
        text => match Money::parse(text) {
            Ok(m) => Some(Some(m)),
            Err(e) => {
                cells.fault(column, ImportFault::Money(e));
                None
            }
        },
    }
}

/// A time something happened (a call, a sign-off, a settlement) within the
/// office's life and not after `now`; `None` (reported) otherwise.
pub(super) fn happened(
    at: Option<NaiveDateTime>,
    cells: &mut RowCells<'_>,
    column: usize,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let at = at?;
    match check_happened(at, now) {
        Ok(()) => Some(at),
        Err(e) => {
            cells.fault(column, ImportFault::When(e));
            None
        }
    }
}

pub(super) fn required_date_time(cells: &mut RowCells<'_>, column: usize) -> Option<NaiveDateTime> {
    cells.required(column)?;
    optional_date_time(cells, column).flatten()
}

pub(super) fn optional_date_time(cells: &mut RowCells<'_>, column: usize) -> Option<Option<NaiveDateTime>> {
    let text = cells.text(column);
    if text.is_empty() {
        return Some(None);
    }
    match parse_date_time(text) {
        Some(at) => Some(Some(at)),
        None => {
            cells.fault(column, ImportFault::DateTime);
            None
        }
    }
}

/// `2026-11-22 14:30`, with seconds, with `/` or `年月日`, or as Excel's
/// ISO text `2026-11-22T14:30:00`. A date without a time is not enough.
pub(super) fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().replace('：', ":").replace('/', "-").replace('T', " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日 %H:%M:%S"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(&text, fmt).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn date_times_in_the_usual_spellings() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 2).and_then(|d| d.and_hms_opt(9, 5, 0));
        for text in ["2026-03-02 09:05", "2026/3/2 9:05", "2026-03-02T09:05:00", "2026年3月2日 09：05"] {
            assert_eq!(parse_date_time(text), at, "{text}");
        }
        assert_eq!(parse_date_time("2026-03-02"), None);
    }

    #[test]
    fn registers_by_name_prefix_or_title() {
        assert_eq!(register_named("家政"), Some(RegisterKind::Housekeeping));
        assert_eq!(register_named("维修登记表"), Some(RegisterKind::Repair));
        assert_eq!(register_named("BJ"), Some(RegisterKind::Alarm));
        assert_eq!(register_named("居家维修服务登记表"), Some(RegisterKind::Repair));
        assert_eq!(register_named("保安"), None);
    }
}
