//! Historical shopping-log entries (代客购物登记, R-SH-1..6): the printed
//! form's fields (FORMS.md) and the log's, one entry per row, each with its
//! own number. Every row goes through the same `domain` rules as the desk's
//! form and steps: `validate_shopping` as on the day it was registered (the
//! deadline not before that day, at most 90 days ahead), then the steps up
//! to its 状态 through `check_shopping_step` and `apply_shopping_step`
//! (bought with an invoice, delivered and signed, settled; or could not buy
//! with the resident told; or void with a reason), so an imported entry ends
//! as the desk would have left it. After the last row (R-SH-6) the numbers,
//! sorted, must be exactly the log's last number + 1, + 2, … — no gap, no
//! number used twice; they are kept as in the file.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::register::{choice, happened, money, optional_date_time, required_date_time};
use super::{
    ColumnSpec, ImportFault, ImportProblem, ImportRecord, OnFile, RowCells, optional, parse_import_date,
    parse_yes_no, required,
};
use crate::domain::{
    Purchase, ShoppingDraft, ShoppingEntry, ShoppingError, ShoppingField, ShoppingState, ShoppingStep,
    apply_shopping_step, check_shopping_step, validate_shopping,
};
use crate::i18n::t;

const NO: usize = 0;
const TAKEN_AT: usize = 1;
const TAKEN_BY: usize = 2;
const ROOM: usize = 3;
const RESIDENT: usize = 4;
const ITEM: usize = 5;
const BRAND: usize = 6;
const KIND: usize = 7;
const SPEC: usize = 8;
const QUANTITY: usize = 9;
const UNIT: usize = 10;
const PRICE: usize = 11;
const TOTAL: usize = 12;
const DEADLINE: usize = 13;
const STATE: usize = 14;
const BUYER: usize = 15;
const INVOICE: usize = 16;
const ACTUAL: usize = 17;
const BOUGHT_ON: usize = 18;
const SIGNED: usize = 19;
const DELIVERED_ON: usize = 20;
const SETTLED_AT: usize = 21;
const NOT_BOUGHT: usize = 22;
const TOLD_AT: usize = 23;
const VOID_REASON: usize = 24;
const VOID_BY: usize = 25;
const VOID_AT: usize = 26;

/// The 代客购物登记表's fields (FORMS.md), with the log export's and the
/// forms' other spellings.
pub(super) const SHOPPING_COLUMNS: &[ColumnSpec] = &[
    required(&["编号", "登记编号", "单号", "流水号"]),
    required(&["登记时间", "受理时间"]),
    required(&["登记人", "经办人", "受理人"]).person(),
    required(&["房号", "房间号", "住址"]),
    required(&["住户姓名", "住户", "客户姓名"]).person(),
    required(&["物品", "商品名称", "商品", "物品名称"]),
    required(&["品牌"]),
    required(&["种类"]),
    required(&["规格"]),
    required(&["数量"]),
    optional(&["单位"]),
    required(&["单价", "单价（元）"]),
    optional(&["预计金额", "预计金额（元）", "金额", "金额（元）"]),
    required(&["期限", "购买期限"]),
    required(&["状态"]),
    optional(&["采购人"]).person(),
    optional(&["发票号", "发票号码"]),
    optional(&["实际金额", "实际金额（元）"]),
    optional(&["购买日期"]),
    optional(&["客户验收签名", "验收签名", "客户签名"]).person(),
    optional(&["送达日期", "验收日期"]),
    optional(&["结算时间", "结算"]),
    optional(&["未购原因", "未能购买原因"]).note(),
    optional(&["告知时间", "告知住户时间"]),
    optional(&["作废原因"]).note(),
    optional(&["作废人"]).person(),
    optional(&["作废时间"]),
];

/// Which later columns a state fills: any other state leaves them empty.
const LATER_COLUMNS: &[(usize, &[ShoppingState])] = {
    use ShoppingState as S;
    const BOUGHT: &[ShoppingState] = &[S::Bought, S::Delivered, S::Settled];
    const DELIVERED: &[ShoppingState] = &[S::Delivered, S::Settled];
    &[
        (BUYER, BOUGHT),
        (INVOICE, BOUGHT),
        (ACTUAL, BOUGHT),
        (BOUGHT_ON, BOUGHT),
        (SIGNED, DELIVERED),
        (DELIVERED_ON, DELIVERED),
        (SETTLED_AT, &[S::Settled]),
        (NOT_BOUGHT, &[S::NotBought]),
        (TOLD_AT, &[S::NotBought]),
        (VOID_REASON, &[S::Void]),
        (VOID_BY, &[S::Void]),
        (VOID_AT, &[S::Void]),
    ]
};

/// Checks shopping rows, remembering the numbers seen for R-SH-6.
pub(super) struct Checker<'a> {
    on_file: &'a OnFile,
    now: NaiveDateTime,
    /// A number given in the file → the row it was first seen on.
    numbers: HashMap<i64, usize>,
    /// The 编号 column's header as the file writes it.
    no_header: String,
}

impl<'a> Checker<'a> {
    pub(super) fn new(on_file: &'a OnFile, now: NaiveDateTime) -> Checker<'a> {
        Checker { on_file, now, numbers: HashMap::new(), no_header: String::new() }
    }

    pub(super) fn check(&mut self, cells: &mut RowCells<'_>) -> Option<ImportRecord> {
        self.no_header = cells.header(NO);
        let no = self.number(cells);
        let taken_at = happened(required_date_time(cells, TAKEN_AT), cells, TAKEN_AT, self.now);
        let taken_by = cells.required(TAKEN_BY).map(str::to_string);
        let state = match cells.required(STATE) {
            Some(_) => {
                choice(cells, STATE, ShoppingState::ALL, |s| t().shopping_state(s), ShoppingState::code)
                    .flatten()
            }
            None => None,
        };
        let deadline = match cells.required(DEADLINE) {
            Some(text) => {
                let day = parse_import_date(text);
                if day.is_none() {
                    cells.fault(DEADLINE, ImportFault::Date);
                }
                day
            }
            None => None,
        };
        let total = money(cells, TOTAL).flatten();
        let actual = money(cells, ACTUAL).flatten();
        let bought_on = optional_date(cells, BOUGHT_ON);
        let delivered_on = optional_date(cells, DELIVERED_ON);
        let settled_at = optional_date_time(cells, SETTLED_AT).flatten();
        let told_at = optional_date_time(cells, TOLD_AT).flatten();
        let void_at = optional_date_time(cells, VOID_AT).flatten();
        if let Some(state) = state {
            later_cells_fit(cells, state);
            // The typed cells a state needs; the texts are the domain's to require.
            let needs: &[usize] = match state {
                ShoppingState::Bought => &[ACTUAL, BOUGHT_ON],
                ShoppingState::Delivered => &[ACTUAL, BOUGHT_ON, DELIVERED_ON],
                ShoppingState::Settled => &[ACTUAL, BOUGHT_ON, DELIVERED_ON, SETTLED_AT],
                _ => &[],
            };
            for column in needs {
                if cells.text(*column).is_empty() {
                    cells.fault(*column, ImportFault::Required);
                }
            }
        }
        // R-SH-1 as on the day the entry was registered.
        let draft = ShoppingDraft {
            room: cells.text(ROOM).into(),
            resident_name: cells.text(RESIDENT).into(),
            item: cells.text(ITEM).into(),
            brand: cells.text(BRAND).into(),
            kind: cells.text(KIND).into(),
            quantity: cells.text(QUANTITY).into(),
            unit: cells.text(UNIT).into(),
            spec: cells.text(SPEC).into(),
            unit_price: cells.text(PRICE).into(),
            deadline: deadline.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        };
        let registered_on = taken_at.map(|at| at.date()).or(deadline).unwrap_or(NaiveDate::MIN);
        let valid = match validate_shopping(&draft, registered_on) {
            Ok(valid) => Some(valid),
            Err(errors) => {
                for e in errors {
                    let column = draft_column(e.field);
                    let deadline_rule = column == DEADLINE && taken_at.is_none();
                    if !cells.has_fault(column) && !deadline_rule {
                        cells.fault(column, fault_of(e.error));
                    }
                }
                None
            }
        };
        if let (Some(valid), Some(total)) = (&valid, total)
            && total != valid.expected_total
        {
            cells.fault(TOTAL, ImportFault::TotalMismatch(valid.expected_total));
        }
        if cells.row_has_faults() {
            return None;
        }
        let (no, valid, taken_at, taken_by, state) = (no?, valid?, taken_at?, taken_by?, state?);
        let recorded = ShoppingEntry {
            id: 0,
            no,
            state: ShoppingState::Recorded,
            room: valid.room.to_string(),
            resident_name: valid.resident_name,
            item: valid.item,
            brand: valid.brand,
            kind: valid.kind,
            quantity: valid.quantity,
            unit: valid.unit,
            spec: valid.spec,
            unit_price: valid.unit_price,
            expected_total: valid.expected_total,
            deadline: valid.deadline,
            taken_by: taken_by.clone(),
            taken_at,
            purchase: None,
            delivered_on: None,
            settled_at: None,
            not_bought: None,
            void: None,
        };
        // The steps to the file's state, each with who took it and when.
        let mut steps: Vec<(ShoppingStep, String, NaiveDateTime)> = Vec::new();
        match state {
            ShoppingState::Recorded => {}
            ShoppingState::Bought | ShoppingState::Delivered | ShoppingState::Settled => {
                let purchase = Purchase {
                    buyer: cells.text(BUYER).into(),
                    invoice_no: cells.text(INVOICE).into(),
                    actual: actual?,
                    bought_on: bought_on?,
                };
                steps.push((ShoppingStep::Buy(purchase), taken_by.clone(), taken_at));
                if state != ShoppingState::Bought {
                    // R-SH-3: a log without the signature column holds signed entries only.
                    // Else a name, 是 or √ is a signature; empty, 否 or 未签 is none.
                    let text = cells.text(SIGNED);
                    let signed = cells.table.columns[SIGNED].is_none()
                        || (!text.is_empty() && text != "未签" && parse_yes_no(text, true) != Some(false));
                    let deliver = ShoppingStep::Deliver { on: delivered_on?, resident_signed: signed };
                    steps.push((deliver, taken_by.clone(), taken_at));
                }
                if state == ShoppingState::Settled {
                    steps.push((ShoppingStep::Settle, taken_by.clone(), settled_at?));
                }
            }
            ShoppingState::NotBought => {
                let step = ShoppingStep::NotBought { reason: cells.text(NOT_BOUGHT).into(), told_at };
                steps.push((step, taken_by.clone(), taken_at));
            }
            ShoppingState::Void => {
                let by = Some(cells.text(VOID_BY)).filter(|b| !b.is_empty()).unwrap_or(&taken_by).to_string();
                steps.push((
                    ShoppingStep::Void { reason: cells.text(VOID_REASON).into() },
                    by,
                    void_at.unwrap_or(taken_at),
                ));
            }
        }
        let mut entry = recorded;
        for (step, by, at) in steps {
            let to = match check_shopping_step(&entry, &step, self.now) {
                Ok(to) => to,
                Err(e) => {
                    cells.fault(step_column(e.field, &step), fault_of(e.error));
                    return None;
                }
            };
            // What the desk stamps itself: the settlement after delivery, the void after registering.
            let stamped = match step {
                ShoppingStep::Settle => {
                    Some((SETTLED_AT, entry.delivered_on.and_then(|d| d.and_hms_opt(0, 0, 0))))
                }
                ShoppingStep::Void { .. } => Some((VOID_AT, Some(entry.taken_at))),
                _ => None,
            };
            if let Some((column, Some(earliest))) = stamped
                && (at < earliest || at > self.now)
            {
                cells.fault(column, ImportFault::Shopping(ShoppingError::DateOutOfOrder));
                return None;
            }
            entry = apply_shopping_step(&entry, &step, to, &by, at);
        }
        let taken_by_id = self.on_file.staff_names.get(&entry.taken_by).copied();
        Some(ImportRecord::Shopping { entry: Box::new(entry), taken_by_id })
    }

    /// The row's number: a positive whole number, not repeated in the file
    /// and after the log's last (R-SH-6: a number is never reused).
    fn number(&mut self, cells: &mut RowCells<'_>) -> Option<i64> {
        let text = cells.required(NO)?;
        let Some(no) = parse_shopping_no(text) else {
            cells.fault(NO, ImportFault::ShoppingNo);
            return None;
        };
        if let Some(first) = self.numbers.get(&no) {
            cells.fault(NO, ImportFault::RepeatedInFile(*first));
            return None;
        }
        self.numbers.insert(no, cells.line());
        let last = self.on_file.shopping_last_no;
        if no <= last {
            cells.fault(NO, ImportFault::ShoppingNoUsed { no, last });
            return None;
        }
        Some(no)
    }

    /// After the last row (R-SH-6): the entries in number order, and a
    /// problem on each row whose number leaves a gap before it — the file's
    /// numbers must run last + 1, last + 2, … without a gap.
    pub(super) fn finish(&self, file: &str, records: &mut [ImportRecord], problems: &mut Vec<ImportProblem>) {
        records.sort_by_key(|r| match r {
            ImportRecord::Shopping { entry, .. } => Some(entry.no),
            _ => None,
        });
        let last = self.on_file.shopping_last_no;
        let mut numbers: Vec<(i64, usize)> =
            self.numbers.iter().filter(|(no, _)| **no > last).map(|(no, row)| (*no, *row)).collect();
        numbers.sort_unstable();
        let mut expected = last + 1;
        for (no, row) in numbers {
            if no > expected {
                problems.push(ImportProblem {
                    file: file.to_string(),
                    row: Some(row),
                    column: Some(self.no_header.clone()),
                    fault: ImportFault::ShoppingGap { next: last + 1, from: expected, to: no - 1 },
                });
            }
            expected = no + 1;
        }
        problems.sort_by_key(|p| p.row);
    }
}

/// Each later cell filled only when the state has it (an entry 已登记 has
/// no invoice; a void one no purchase).
fn later_cells_fit(cells: &mut RowCells<'_>, state: ShoppingState) {
    for (column, states) in LATER_COLUMNS {
        if !cells.text(*column).is_empty() && !states.contains(&state) && !cells.has_fault(*column) {
            cells.fault(*column, ImportFault::NotForState(state));
        }
    }
}

/// `000123`, `123`, `No. 000123`, `NO.123`, `№123`.
pub(super) fn parse_shopping_no(text: &str) -> Option<i64> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let digits = ["no.", "no", "№"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower)
        .trim_start_matches(['.', ' ', '：', ':'])
        .trim();
    if digits.is_empty() || digits.len() > 12 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().filter(|n| *n > 0)
}

fn optional_date(cells: &mut RowCells<'_>, column: usize) -> Option<NaiveDate> {
    let text = cells.text(column);
    if text.is_empty() {
        return None;
    }
    let day = parse_import_date(text);
    if day.is_none() {
        cells.fault(column, ImportFault::Date);
    }
    day
}

/// The column of a field of the new-entry form.
fn draft_column(field: ShoppingField) -> usize {
    use ShoppingField as F;
    match field {
        F::Room => ROOM,
        F::ResidentName => RESIDENT,
        F::Item => ITEM,
        F::Brand => BRAND,
        F::Kind => KIND,
        F::Quantity => QUANTITY,
        F::Spec => SPEC,
        F::Unit => UNIT,
        F::UnitPrice => PRICE,
        F::Deadline => DEADLINE,
        _ => STATE,
    }
}

/// The column of a field of a step's form.
fn step_column(field: ShoppingField, step: &ShoppingStep) -> usize {
    use ShoppingField as F;
    match (field, step) {
        (F::Buyer, _) => BUYER,
        (F::Invoice, _) => INVOICE,
        (F::Actual, _) => ACTUAL,
        (F::Signed, _) => SIGNED,
        (F::ToldAt, _) => TOLD_AT,
        (F::Date, ShoppingStep::Buy(_)) => BOUGHT_ON,
        (F::Date, ShoppingStep::Deliver { .. }) => DELIVERED_ON,
        (F::Date, _) => SETTLED_AT,
        (F::Reason, ShoppingStep::NotBought { .. }) => NOT_BOUGHT,
        (F::Reason, ShoppingStep::Void { .. }) => VOID_REASON,
        _ => STATE,
    }
}

/// The domain's refusal as the import reports it: the import's own words
/// where it has them (room, money, empty cell), else the rule's.
fn fault_of(e: ShoppingError) -> ImportFault {
    match e {
        ShoppingError::Required => ImportFault::Required,
        ShoppingError::BadRoom => ImportFault::Room,
        ShoppingError::BadPrice(m) => ImportFault::Money(m),
        ShoppingError::BadDate => ImportFault::Date,
        e => ImportFault::Shopping(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopping_numbers_as_the_forms_print_them() {
        assert_eq!(parse_shopping_no("000123"), Some(123));
        assert_eq!(parse_shopping_no("No. 000123"), Some(123));
        assert_eq!(parse_shopping_no("NO.7"), Some(7));
        assert_eq!(parse_shopping_no("№ 12"), Some(12));
        assert_eq!(parse_shopping_no("0"), None);
        assert_eq!(parse_shopping_no("12a"), None);
        assert_eq!(parse_shopping_no("-3"), None);
        assert_eq!(parse_shopping_no(""), None);
    }
}
