//! The figures of a period (R-RV-4, the 统计 tab) as a workbook: one sheet
//! per kind of figure — the single figures, requests and refusals by key,
//! fees, revisit answers, staff, residents' needs, and the twelve months —
//! each with the office and the period in its title row, counts as whole
//! numbers, money in yuan and shares as percentages.
//!
//! Must not: compute a figure (that is `domain::stats`).

use super::tables::{period, title};
use super::{Cell, ExportError, ExportedXlsx, SheetTable, workbook_of};
use crate::domain::Money;
use crate::domain::RegisterKind;
use crate::domain::stats::{FeeTally, Figures, OpinionTally, Tally, TrendMonth};
use crate::i18n::figures::{key_name, missing_numbers, staff_headings};
use crate::i18n::{Texts, t};

/// The period's figures and its twelve months, one sheet each kind.
pub fn figures_workbook(
    office: &str,
    f: &Figures,
    trend: &[TrendMonth],
) -> Result<ExportedXlsx, ExportError> {
    let t = t();
    let last_day = f.period.to.pred_opt().unwrap_or(f.period.to);
    let period = period(t, Some(f.period.from), Some(last_day));
    let sheet = |name: &str, headers: &[&str], rows: Vec<Vec<Cell>>| SheetTable {
        sheet_name: name.to_string(),
        title: title(office, &format!("{}·{name}", t.st_xl_title), &period),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    };
    let tables = [
        sheet(t.st_xl_summary, &[t.st_col_group, t.st_col_figure, t.st_col_value], summary_rows(t, f)),
        sheet(t.st_sec_requests, &[t.st_col_group, t.st_col_item, t.st_col_count], tally_sheet_rows(t, f)),
        sheet(
            t.st_sec_fees,
            &[t.st_col_group, t.st_col_item, t.st_col_agreed, t.st_col_collected],
            fee_sheet_rows(t, f),
        ),
        sheet(
            t.st_sec_revisits,
            &[t.st_col_question, t.st_col_satisfied, t.st_col_fairly, t.st_col_dissatisfied, t.st_col_rate],
            opinion_rows(t, f),
        ),
        sheet(t.st_sec_staff, &staff_headings(t), staff_rows(f)),
        sheet(t.st_sec_needs, &[t.st_col_date, t.st_col_room, t.st_col_need], need_rows(f)),
        sheet(t.st_sec_charts, &trend_headers(t), trend_rows(trend)),
    ];
    workbook_of(&tables)
}

fn money(fen: i64) -> Cell {
    Cell::money(Money::from_fen(fen))
}

fn minutes(m: Option<i64>) -> Cell {
    m.map_or(Cell::Empty, Cell::Int)
}

/// Every single figure, under its section.
fn summary_rows(t: &Texts, f: &Figures) -> Vec<Vec<Cell>> {
    let (c, s, u, cash, a, sh, v) =
        (&f.completion, &f.sla, &f.follow_up, &f.cash, &f.agreements, &f.shopping, &f.revisits);
    let sections: Vec<(&str, Vec<(&str, Cell)>)> = vec![
        (t.st_sec_requests, vec![(t.st_total, Cell::count(f.requests.total))]),
        (t.st_sec_refusals, vec![(t.st_total, Cell::count(f.refusals.total))]),
        (
            t.st_sec_completion,
            vec![
                (t.st_finished, Cell::count(c.finished)),
                (t.st_median, minutes(c.median_minutes)),
                (t.st_mean, minutes(c.mean_minutes)),
                (t.st_longest, minutes(c.longest_minutes)),
            ],
        ),
        (
            t.st_sec_sla,
            vec![
                (t.st_committed, Cell::count(s.committed)),
                (t.st_met, Cell::count(s.met)),
                (t.st_breached, Cell::count(s.breached)),
                (t.st_open, Cell::count(s.open)),
                (t.st_met_rate, Cell::per_mille(s.met_per_mille)),
            ],
        ),
        (
            t.st_sec_follow_up,
            vec![
                (t.st_reschedules, Cell::count(u.reschedules)),
                (t.st_cancellations, Cell::count(u.cancellations)),
                (t.st_not_home, Cell::count(u.not_home)),
            ],
        ),
        (
            t.st_sec_fees,
            vec![
                (t.st_col_agreed, money(f.fees.agreed_fen)),
                (t.st_col_collected, money(f.fees.collected_fen)),
            ],
        ),
        (
            t.st_sec_cash,
            vec![
                (t.st_cash_collections, Cell::count(cash.collections)),
                (t.st_cash_collected, money(cash.collected_fen)),
                (t.st_cash_handovers, Cell::count(cash.handovers)),
                (t.st_cash_received, money(cash.received_fen)),
                (t.st_cash_outstanding, money(cash.outstanding_fen)),
            ],
        ),
        (
            t.st_sec_agreements,
            vec![
                (t.st_agr_new, Cell::count(a.new)),
                (t.st_agr_active, Cell::count(a.active)),
                (t.st_agr_ended, Cell::count(a.ended)),
                (t.st_agr_terminated, Cell::count(a.terminated)),
            ],
        ),
        (
            t.st_sec_shopping,
            vec![
                (t.st_shop_entries, Cell::count(sh.entries)),
                (t.st_shop_void, Cell::count(sh.void)),
                (t.st_shop_expected, money(sh.expected_fen)),
                (t.st_shop_actual, money(sh.actual_fen)),
                (t.st_shop_missing, Cell::text(missing_numbers(&sh.missing_numbers, t))),
                (t.st_shop_concerns, Cell::count(sh.concerns)),
            ],
        ),
        (
            t.st_sec_revisits,
            vec![
                (t.st_rv_served, Cell::count(v.households_served)),
                (t.st_rv_sample, Cell::count(v.sample_size)),
                (t.st_rv_planned, Cell::count(v.planned)),
                (t.st_rv_revisited, Cell::count(v.revisited)),
                (t.st_rv_unreachable, Cell::count(v.unreachable)),
                (t.st_rv_todo, Cell::count(v.to_do)),
                (t.st_rv_coverage, Cell::per_mille(v.coverage_per_mille)),
            ],
        ),
        (
            t.st_sec_complaints,
            vec![
                (t.st_cmp_total, Cell::count(f.complaints.total)),
                (t.st_cmp_closed, Cell::count(f.complaints.closed)),
            ],
        ),
    ];
    sections
        .into_iter()
        .flat_map(|(section, figures)| {
            figures.into_iter().map(move |(name, value)| vec![Cell::text(section), Cell::text(name), value])
        })
        .collect()
}

/// Requests by register, item and desk; refusals by reason; completion
/// times by bucket; complaints by staff member: one row per key.
fn tally_sheet_rows(t: &Texts, f: &Figures) -> Vec<Vec<Cell>> {
    let groups: [(&str, &[Tally]); 6] = [
        (t.st_col_register, &f.requests.by_register),
        (t.st_col_item, &f.requests.by_item),
        (t.st_col_desk, &f.requests.by_desk),
        (t.st_sec_refusals, &f.refusals.by_reason),
        (t.st_sec_completion, &f.completion.distribution),
        (t.st_sec_complaints, &f.complaints.by_staff),
    ];
    groups
        .into_iter()
        .flat_map(|(group, list)| {
            list.iter()
                .map(move |x| vec![Cell::text(group), Cell::text(key_name(&x.key, t)), Cell::count(x.count)])
        })
        .collect()
}

fn fee_sheet_rows(t: &Texts, f: &Figures) -> Vec<Vec<Cell>> {
    let groups: [(&str, &[FeeTally]); 2] =
        [(t.st_col_register, &f.fees.by_register), (t.st_col_item, &f.fees.by_item)];
    groups
        .into_iter()
        .flat_map(|(group, list)| {
            list.iter().map(move |x| {
                vec![
                    Cell::text(group),
                    Cell::text(key_name(&x.key, t)),
                    money(x.agreed_fen),
                    money(x.collected_fen),
                ]
            })
        })
        .collect()
}

fn opinion_rows(t: &Texts, f: &Figures) -> Vec<Vec<Cell>> {
    let row = |question: &str, o: &OpinionTally| {
        vec![
            Cell::text(question),
            Cell::count(o.satisfied),
            Cell::count(o.fairly_satisfied),
            Cell::count(o.dissatisfied),
            Cell::per_mille(o.satisfied_per_mille),
        ]
    };
    let v = &f.revisits;
    vec![
        row(t.st_q_timeliness, &v.timeliness),
        row(t.st_q_skill, &v.skill),
        row(t.st_q_attitude, &v.attitude),
    ]
}

fn staff_rows(f: &Figures) -> Vec<Vec<Cell>> {
    f.staff
        .iter()
        .map(|s| {
            vec![
                Cell::text(&s.name),
                Cell::count(s.jobs),
                Cell::count(s.finished),
                Cell::count(s.cancelled),
                Cell::count(s.not_home),
                Cell::count(s.reschedules),
                Cell::count(s.sla_breached),
                money(s.collected_fen),
                Cell::count(s.complaints),
            ]
        })
        .collect()
}

fn need_rows(f: &Figures) -> Vec<Vec<Cell>> {
    f.needs.iter().map(|n| vec![Cell::Date(n.on), Cell::text(&n.room), Cell::text(&n.text)]).collect()
}

fn trend_headers(t: &Texts) -> Vec<&str> {
    let mut headers = vec![t.st_col_month];
    headers.extend(RegisterKind::ALL.iter().map(|k| t.kind(*k)));
    headers.extend([t.st_col_collected, t.st_col_rate]);
    headers
}

fn trend_rows(trend: &[TrendMonth]) -> Vec<Vec<Cell>> {
    trend
        .iter()
        .map(|m| {
            let mut row = vec![Cell::text(&m.month)];
            row.extend(
                RegisterKind::ALL.iter().map(|k| {
                    Cell::count(m.requests.iter().find(|x| x.key == k.code()).map_or(0, |x| x.count))
                }),
            );
            row.extend([money(m.collected_fen), Cell::per_mille(m.satisfied_per_mille)]);
            row
        })
        .collect()
}
