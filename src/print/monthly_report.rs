//! 居家服务情况统计分析报告 (R-RV-4): the CS center's monthly report for the
//! department manager, on A4 portrait, headed like a letter (the office
//! and the report's name over a rule, 第 N 页 共 M 页 at the foot).
//!
//! A cover (office, title, month, who prepared it and when, the data's
//! date, the report's status); 一、主要指标, the month's figures in one
//! table; 二、趋势图表, the twelve months' requests by register, fees
//! collected and satisfaction, and the month's completion times; 三、分项统计,
//! each group of figures as ruled tables; 四、情况分析 and 五、改进建议, the
//! clerk's text (ruled lines to write on when there is none yet); and
//! 六、审批, the manager's decision or the lines to sign it on, kept whole on
//! one page. Every page but an approved report's is stamped with its
//! status (草稿 on a preview).
//!
//! Must not: read the database, the clock or files; compute a figure (the
//! report froze them, `domain::stats` computed them). The words come from
//! `i18n`, the figures' wording from `i18n::figures`.

use chrono::NaiveDateTime;

use super::chart::{Chart, Plot, Series};
use super::grid::{Grid, GridCell};
use super::when::{date_cell, date_runs, datetime_text};
use super::{
    Align, Column, Document, Field, Orientation, PageHeader, PrintError, PrintedPdf, Prose, Table, TextStyle,
};
use crate::domain::stats::{FeeTally, Figures, OpinionTally, Tally, TrendMonth, per_mille};
use crate::domain::{Desk, MonthlyReport, RegisterKind, ReportContent, ReportStatus, month_start};
use crate::i18n::figures::{key_name, minutes, missing_numbers, money, percent};
use crate::i18n::{Texts, fill, t};

/// The clerk's text and the approval: 五号, as Chinese reports are set.
const BODY_STYLE: TextStyle = TextStyle::regular(10.5);
/// 一、主要指标 …
const SECTION_STYLE: TextStyle = TextStyle::bold(13.0);
/// 1．受理量 … within 三、分项统计.
const SUB_STYLE: TextStyle = TextStyle::bold(10.5);
const TABLE_STYLE: TextStyle = TextStyle::regular(9.0);
const NOTE_STYLE: TextStyle = TextStyle::regular(8.0);
/// The cover's lines, large, and where they start down the page.
const COVER_OFFICE_STYLE: TextStyle = TextStyle::regular(16.0);
const COVER_TITLE_STYLE: TextStyle = TextStyle::bold(26.0);
const COVER_MONTH_STYLE: TextStyle = TextStyle::bold(18.0);
const COVER_TOP_GAP_MM: f32 = 45.0;
const COVER_LINE_GAP_MM: f32 = 8.0;
const COVER_BLOCK_GAP_MM: f32 = 40.0;
/// Space before a section's heading and before a sub-heading.
const SECTION_GAP_MM: f32 = 5.0;
const SUB_GAP_MM: f32 = 2.5;
/// A heading goes with at least this much of what follows it.
const KEEP_WITH_HEADING_MM: f32 = 30.0;
/// The charts' heights: the twelve months full width, the last two side by side.
const WIDE_CHART_MM: f32 = 62.0;
const PAIR_CHART_MM: f32 = 58.0;
/// Ruled lines to write the analysis or suggestions on by hand.
const BLANK_TEXT_LINES: usize = 8;
/// Ruled lines for the manager's opinion when it is still to be written.
const BLANK_OPINION_LINES: usize = 2;
/// Satisfaction is a share in %: its axis runs to 100.
const PERCENT_TOP: f32 = 100.0;

/// One month's report as it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDoc<'a> {
    /// The office's name, on the cover and at the top of every page.
    pub office: &'a str,
    pub report: &'a MonthlyReport,
    /// An unsaved report of a month without one: 草稿 on every page.
    pub preview: bool,
    pub printed_at: NaiveDateTime,
}

/// The report, cover to approval block.
pub fn monthly_report(doc: &ReportDoc<'_>) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let report = doc.report;
    let month = month_text(t, &report.month);
    let header = PageHeader {
        office: doc.office.to_string(),
        title: String::new(),
        subtitle: fill(t.rpt_running_head, &[("title", &t.rpt_title), ("month", &month)]),
        printed_at: doc.printed_at,
    };
    let mut pdf = Document::contract(Orientation::Portrait, header)?;
    if let Some(stamp) = stamp(t, doc) {
        pdf.stamp(stamp);
    }
    cover(&mut pdf, t, doc, &month)?;
    pdf.new_page();
    let figures = &report.content.figures;
    section(&mut pdf, t.rpt_sec_summary, KEEP_WITH_HEADING_MM);
    pdf.table(&values_table(t, t.rpt_col_indicator), &summary_rows(t, report))?;
    section(&mut pdf, t.rpt_sec_charts, WIDE_CHART_MM);
    charts(&mut pdf, t, &report.content);
    section(&mut pdf, t.rpt_sec_details, KEEP_WITH_HEADING_MM);
    details(&mut pdf, t, figures)?;
    text_section(&mut pdf, t.rpt_sec_analysis, &report.analysis);
    text_section(&mut pdf, t.rpt_sec_suggestions, &report.suggestions);
    approval(&mut pdf, t, doc);
    Ok(pdf.finish())
}

/// The status on every page, unless the report is approved: a preview is
/// a draft.
fn stamp(t: &Texts, doc: &ReportDoc<'_>) -> Option<&'static str> {
    match (doc.preview, doc.report.status) {
        (true, _) => Some(t.rp_status_draft),
        (false, ReportStatus::Approved) => None,
        (false, status) => Some(t.report_status(status)),
    }
}

/// `2026-10` as `2026年10月`; a month that does not parse as it is.
/// `2025年11月`, or `Nov 2025` where the month's name is long.
fn short_month_text(t: &Texts, month: &str) -> String {
    use chrono::Datelike;
    month_start(month).map_or_else(
        || month.to_string(),
        |first| {
            let word: String = t.month_word(first.month()).chars().take(3).collect();
            fill(t.rpt_month, &[("year", &first.year()), ("month", &word)])
        },
    )
}

fn month_text(t: &Texts, month: &str) -> String {
    use chrono::Datelike;
    month_start(month).map_or_else(
        || month.to_string(),
        |first| fill(t.rpt_month, &[("year", &first.year()), ("month", &t.month_word(first.month()))]),
    )
}

/// The office, the title and the month large down the page, then who
/// prepared the report, when, and where it stands, in a ruled grid.
fn cover(pdf: &mut Document, t: &Texts, doc: &ReportDoc<'_>, month: &str) -> Result<(), PrintError> {
    let report = doc.report;
    pdf.gap(COVER_TOP_GAP_MM);
    for (text, style) in
        [(doc.office, COVER_OFFICE_STYLE), (t.rpt_title, COVER_TITLE_STYLE), (month, COVER_MONTH_STYLE)]
    {
        pdf.spread_line(&[(text, style, Align::Centre)]);
        pdf.gap(COVER_LINE_GAP_MM);
    }
    pdf.gap(COVER_BLOCK_GAP_MM);
    let row = |label: &str, value: String| vec![GridCell::label(label, 30.0), GridCell::value(value, 70.0)];
    let prepared_on = (!report.prepared_by.is_empty()).then(|| report.prepared_at.date());
    let grid = Grid::new(vec![
        row(t.rpt_department, t.desk(Desk::CsCenter).to_string()),
        row(t.rpt_prepared_by, report.prepared_by.clone()),
        vec![GridCell::label(t.rpt_prepared_on, 30.0), date_cell(prepared_on, 70.0)],
        row(t.rpt_data_as_of, datetime_text(Some(report.generated_at))),
        row(t.rpt_status, status_word(t, doc).to_string()),
    ]);
    pdf.grid(&grid)?;
    if doc.preview {
        pdf.gap(SUB_GAP_MM);
        pdf.paragraph(t.rpt_preview, NOTE_STYLE, Align::Centre);
    }
    Ok(())
}

fn status_word(t: &Texts, doc: &ReportDoc<'_>) -> &'static str {
    if doc.preview { t.rp_status_draft } else { t.report_status(doc.report.status) }
}

/// 一、主要指标 …: space above, kept with the first `keep_mm` of what
/// follows it.
fn section(pdf: &mut Document, title: &str, keep_mm: f32) {
    pdf.gap(SECTION_GAP_MM);
    pdf.keep_room(SECTION_STYLE.line_height_mm() + SUB_GAP_MM + keep_mm);
    pdf.paragraph(title, SECTION_STYLE, Align::Left);
    pdf.gap(SUB_GAP_MM);
}

/// 1．受理量（按登记簿） …, kept with the table under it.
fn sub_heading(pdf: &mut Document, t: &Texts, n: &mut usize, title: &str) {
    *n += 1;
    let heading = fill(t.rpt_sub_heading, &[("n", &*n), ("title", &title)]);
    pdf.gap(SUB_GAP_MM);
    pdf.keep_room(SUB_STYLE.line_height_mm() + KEEP_WITH_HEADING_MM);
    pdf.paragraph(&heading, SUB_STYLE, Align::Left);
    pdf.gap(1.0);
}

fn table(columns: Vec<Column>, t: &Texts) -> Table {
    Table { style: TABLE_STYLE, empty_note: t.st_none.to_string(), ..Table::new(columns) }
}

/// A figure's name and its value, right-aligned.
fn values_table(t: &Texts, heading: &str) -> Table {
    table(vec![Column::new(heading, 90.0).grow(1.0), Column::new(t.st_col_value, 50.0).right()], t)
}

/// Two figures to a row, for the short groups of 三、分项统计.
fn pairs_table(t: &Texts) -> Table {
    let name = |t: &Texts| Column::new(t.st_col_figure, 55.0);
    let value = |t: &Texts| Column::new(t.st_col_value, 35.0).right();
    table(vec![name(t), value(t), name(t), value(t)], t)
}

fn pairs_rows(values: &[(&str, String)]) -> Vec<Vec<String>> {
    values
        .chunks(2)
        .map(|pair| pair.iter().flat_map(|(name, value)| [name.to_string(), value.clone()]).collect())
        .collect()
}

fn summary_rows(t: &Texts, report: &MonthlyReport) -> Vec<Vec<String>> {
    let f = &report.content.figures;
    let satisfaction =
        report.content.trend.iter().find(|m| m.month == report.month).and_then(|m| m.satisfied_per_mille);
    [
        (t.rpt_sum_requests, f.requests.total.to_string()),
        (t.rpt_sum_finished, f.completion.finished.to_string()),
        (t.rpt_sum_median, minutes(f.completion.median_minutes, t)),
        (t.rpt_sum_sla, percent(f.sla.met_per_mille, t)),
        (t.rpt_sum_refusals, f.refusals.total.to_string()),
        (t.st_reschedules, f.follow_up.reschedules.to_string()),
        (t.st_cancellations, f.follow_up.cancellations.to_string()),
        (t.st_not_home, f.follow_up.not_home.to_string()),
        (t.rpt_sum_agreed, money(f.fees.agreed_fen)),
        (t.rpt_sum_collected, money(f.fees.collected_fen)),
        (t.rpt_sum_outstanding, money(f.cash.outstanding_fen)),
        (t.rpt_sum_agr_new, f.agreements.new.to_string()),
        (t.rpt_sum_agr_active, f.agreements.active.to_string()),
        (t.rpt_sum_shopping, f.shopping.entries.to_string()),
        (t.rpt_sum_missing, missing_numbers(&f.shopping.missing_numbers, t)),
        (t.rpt_sum_concerns, f.shopping.concerns.to_string()),
        (t.rpt_sum_coverage, percent(f.revisits.coverage_per_mille, t)),
        (t.rpt_sum_satisfaction, percent(satisfaction, t)),
        (t.st_cmp_total, f.complaints.total.to_string()),
        (t.st_cmp_closed, f.complaints.closed.to_string()),
    ]
    .into_iter()
    .map(|(name, value)| vec![name.to_string(), value])
    .collect()
}

/// `11月` under each month; the years go in the caption.
fn month_labels(t: &Texts, trend: &[TrendMonth]) -> Vec<String> {
    use chrono::Datelike;
    trend
        .iter()
        .map(|m| match month_start(&m.month) {
            // Jan, Feb… under English charts: a full name does not fit.
            Some(first) => {
                let word: String = t.month_word(first.month()).chars().take(3).collect();
                fill(t.rpt_month_short, &[("month", &word)])
            }
            None => m.month.clone(),
        })
        .collect()
}

/// `每月受理（单，按登记簿）　2025年11月至2026年10月`.
fn trend_caption(t: &Texts, title: &str, trend: &[TrendMonth]) -> String {
    let (Some(first), Some(last)) = (trend.first(), trend.last()) else { return title.to_string() };
    let span = fill(
        t.rpt_chart_span,
        &[("from", &short_month_text(t, &first.month)), ("to", &short_month_text(t, &last.month))],
    );
    fill(t.rpt_chart_caption, &[("title", &title), ("period", &span)])
}

/// The twelve months' requests by register and fees collected, each full
/// width; satisfaction by month and the month's completion times side by side.
fn charts(pdf: &mut Document, t: &Texts, content: &ReportContent) {
    let trend = &content.trend;
    let labels = month_labels(t, trend);
    let registers: Vec<String> =
        trend.first().map(|m| m.requests.iter().map(|r| r.key.clone()).collect()).unwrap_or_default();
    let series = registers
        .iter()
        .map(|key| Series {
            name: key_name(key, t),
            values: trend
                .iter()
                .map(|m| m.requests.iter().find(|r| &r.key == key).map_or(0.0, |r| r.count as f32))
                .collect(),
        })
        .collect();
    let requests = Chart {
        caption: trend_caption(t, t.st_chart_requests, trend),
        labels: labels.clone(),
        plot: Plot::Bars { series, values_shown: false },
    };
    // Fen to yuan only for the bar's height: the money stays in fen.
    let fees = Chart {
        caption: trend_caption(t, t.st_chart_fees, trend),
        labels: labels.clone(),
        plot: Plot::Bars {
            series: vec![Series {
                name: t.st_col_collected.to_string(),
                values: trend.iter().map(|m| (m.collected_fen as f64 / 100.0) as f32).collect(),
            }],
            values_shown: true,
        },
    };
    let satisfaction = Chart {
        caption: trend_caption(t, t.st_chart_satisfaction, trend),
        labels,
        plot: Plot::Line {
            values: trend.iter().map(|m| m.satisfied_per_mille.map(|p| p as f32 / 10.0)).collect(),
            top: PERCENT_TOP,
        },
    };
    let distribution = &content.figures.completion.distribution;
    let completion = Chart {
        caption: t.st_chart_completion.to_string(),
        labels: distribution.iter().map(|b| key_name(&b.key, t)).collect(),
        plot: Plot::Bars {
            series: vec![Series {
                name: t.st_col_count.to_string(),
                values: distribution.iter().map(|b| b.count as f32).collect(),
            }],
            values_shown: true,
        },
    };
    pdf.charts(&[requests], WIDE_CHART_MM);
    pdf.charts(&[fees], WIDE_CHART_MM);
    pdf.charts(&[satisfaction, completion], PAIR_CHART_MM);
}

/// Each group of the month's figures under its own numbered heading.
fn details(pdf: &mut Document, t: &Texts, f: &Figures) -> Result<(), PrintError> {
    let mut n = 0;
    let r = &f.requests;
    sub_heading(pdf, t, &mut n, t.rpt_sub_by_register);
    pdf.table(&tally_table(t, t.st_col_register), &tally_rows(t, &r.by_register, r.total))?;
    sub_heading(pdf, t, &mut n, t.rpt_sub_by_item);
    pdf.table(&tally_table(t, t.st_col_item), &tally_rows(t, &r.by_item, r.total))?;
    sub_heading(pdf, t, &mut n, t.rpt_sub_by_desk);
    pdf.table(&tally_table(t, t.st_col_desk), &tally_rows(t, &r.by_desk, r.total))?;
    sub_heading(pdf, t, &mut n, t.rpt_sub_refusals);
    pdf.table(&tally_table(t, t.st_col_reason), &tally_rows(t, &f.refusals.by_reason, f.refusals.total))?;
    work(pdf, t, &mut n, f)?;
    fees(pdf, t, &mut n, f)?;
    quality(pdf, t, &mut n, f)?;
    sub_heading(pdf, t, &mut n, t.rpt_sub_staff);
    pdf.table(&staff_table(t), &staff_rows(f))?;
    Ok(())
}

/// Completion times, repair commitments and follow-up.
fn work(pdf: &mut Document, t: &Texts, n: &mut usize, f: &Figures) -> Result<(), PrintError> {
    let (c, s, u) = (&f.completion, &f.sla, &f.follow_up);
    sub_heading(pdf, t, n, t.st_sec_completion);
    let mut completion = vec![
        (t.st_finished, c.finished.to_string()),
        (t.st_median, minutes(c.median_minutes, t)),
        (t.st_mean, minutes(c.mean_minutes, t)),
        (t.st_longest, minutes(c.longest_minutes, t)),
    ];
    let buckets: Vec<(String, String)> =
        c.distribution.iter().map(|b| (key_name(&b.key, t), b.count.to_string())).collect();
    completion.extend(buckets.iter().map(|(name, count)| (name.as_str(), count.clone())));
    pdf.table(&pairs_table(t), &pairs_rows(&completion))?;
    sub_heading(pdf, t, n, t.st_sec_sla);
    let sla = [
        (t.st_committed, s.committed.to_string()),
        (t.st_met, s.met.to_string()),
        (t.st_breached, s.breached.to_string()),
        (t.st_open, s.open.to_string()),
        (t.st_met_rate, percent(s.met_per_mille, t)),
    ];
    pdf.table(&pairs_table(t), &pairs_rows(&sla))?;
    sub_heading(pdf, t, n, t.st_sec_follow_up);
    let follow_up = [
        (t.st_reschedules, u.reschedules.to_string()),
        (t.st_cancellations, u.cancellations.to_string()),
        (t.st_not_home, u.not_home.to_string()),
    ];
    pdf.table(&pairs_table(t), &pairs_rows(&follow_up))
}

/// Fees by register and by item, cash, agreements and the shopping log.
fn fees(pdf: &mut Document, t: &Texts, n: &mut usize, f: &Figures) -> Result<(), PrintError> {
    let total = FeeTally {
        key: t.st_total.to_string(),
        agreed_fen: f.fees.agreed_fen,
        collected_fen: f.fees.collected_fen,
    };
    // The registers in their usual order, the items largest first: the
    // figures keep them in key order.
    let mut by_register = f.fees.by_register.clone();
    by_register.sort_by_key(|f| {
        RegisterKind::from_code(&f.key).and_then(|k| RegisterKind::ALL.iter().position(|x| *x == k))
    });
    let mut by_item = f.fees.by_item.clone();
    by_item.sort_by(|a, b| b.agreed_fen.cmp(&a.agreed_fen).then_with(|| a.key.cmp(&b.key)));
    sub_heading(pdf, t, n, t.rpt_sub_fees_register);
    pdf.table(&fee_table(t, t.st_col_register), &fee_rows(t, &by_register, &total))?;
    sub_heading(pdf, t, n, t.rpt_sub_fees_item);
    pdf.table(&fee_table(t, t.st_col_item), &fee_rows(t, &by_item, &total))?;
    let (c, a, s) = (&f.cash, &f.agreements, &f.shopping);
    sub_heading(pdf, t, n, t.st_sec_cash);
    let cash = [
        (t.st_cash_collections, c.collections.to_string()),
        (t.st_cash_collected, money(c.collected_fen)),
        (t.st_cash_handovers, c.handovers.to_string()),
        (t.st_cash_received, money(c.received_fen)),
        (t.st_cash_outstanding, money(c.outstanding_fen)),
    ];
    pdf.table(&pairs_table(t), &pairs_rows(&cash))?;
    sub_heading(pdf, t, n, t.st_sec_agreements);
    let agreements = [
        (t.st_agr_new, a.new.to_string()),
        (t.st_agr_active, a.active.to_string()),
        (t.st_agr_ended, a.ended.to_string()),
        (t.st_agr_terminated, a.terminated.to_string()),
    ];
    pdf.table(&pairs_table(t), &pairs_rows(&agreements))?;
    sub_heading(pdf, t, n, t.st_sec_shopping);
    let shopping = [
        (t.st_shop_entries, s.entries.to_string()),
        (t.st_shop_void, s.void.to_string()),
        (t.st_shop_expected, money(s.expected_fen)),
        (t.st_shop_actual, money(s.actual_fen)),
        (t.st_shop_missing, missing_numbers(&s.missing_numbers, t)),
        (t.st_shop_concerns, s.concerns.to_string()),
    ];
    pdf.table(&pairs_table(t), &pairs_rows(&shopping))
}

/// Revisits and their answers, complaints, and the needs residents mentioned.
fn quality(pdf: &mut Document, t: &Texts, n: &mut usize, f: &Figures) -> Result<(), PrintError> {
    let v = &f.revisits;
    sub_heading(pdf, t, n, t.st_sec_revisits);
    let revisits = [
        (t.st_rv_served, v.households_served.to_string()),
        (t.st_rv_sample, v.sample_size.to_string()),
        (t.st_rv_planned, v.planned.to_string()),
        (t.st_rv_revisited, v.revisited.to_string()),
        (t.st_rv_unreachable, v.unreachable.to_string()),
        (t.st_rv_todo, v.to_do.to_string()),
        (t.st_rv_coverage, percent(v.coverage_per_mille, t)),
    ];
    pdf.table(&pairs_table(t), &pairs_rows(&revisits))?;
    sub_heading(pdf, t, n, t.rpt_sub_opinions);
    let columns = vec![
        Column::new(t.st_col_question, 40.0).grow(1.0),
        Column::new(t.st_col_satisfied, 30.0).right(),
        Column::new(t.st_col_fairly, 30.0).right(),
        Column::new(t.st_col_dissatisfied, 30.0).right(),
        Column::new(t.st_col_rate, 30.0).right(),
    ];
    let opinions = [
        opinion_row(t, t.st_q_timeliness, &v.timeliness),
        opinion_row(t, t.st_q_skill, &v.skill),
        opinion_row(t, t.st_q_attitude, &v.attitude),
    ];
    pdf.table(&table(columns, t), &opinions)?;
    pdf.paragraph(t.st_rate_note, NOTE_STYLE, Align::Left);
    let c = &f.complaints;
    sub_heading(pdf, t, n, t.st_sec_complaints);
    let complaints = [(t.st_cmp_total, c.total.to_string()), (t.st_cmp_closed, c.closed.to_string())];
    pdf.table(&pairs_table(t), &pairs_rows(&complaints))?;
    sub_heading(pdf, t, n, t.rpt_sub_complaints);
    pdf.table(&tally_table(t, t.st_col_staff), &tally_rows(t, &c.by_staff, c.total))?;
    sub_heading(pdf, t, n, t.st_sec_needs);
    let columns = vec![
        Column::new(t.st_col_date, 28.0).centre(),
        Column::new(t.st_col_room, 30.0),
        Column::new(t.st_col_need, 100.0).grow(1.0),
    ];
    let needs: Vec<Vec<String>> = f
        .needs
        .iter()
        .map(|need| vec![need.on.format("%Y-%m-%d").to_string(), need.room.clone(), need.text.clone()])
        .collect();
    pdf.table(&table(columns, t), &needs)
}

fn opinion_row(t: &Texts, question: &str, o: &OpinionTally) -> Vec<String> {
    vec![
        question.to_string(),
        o.satisfied.to_string(),
        o.fairly_satisfied.to_string(),
        o.dissatisfied.to_string(),
        percent(o.satisfied_per_mille, t),
    ]
}

/// A tally's key, its count and its share of `total`.
fn tally_table(t: &Texts, heading: &str) -> Table {
    let columns = vec![
        Column::new(heading, 90.0).grow(1.0),
        Column::new(t.st_col_count, 30.0).right(),
        Column::new(t.rpt_col_share, 30.0).right(),
    ];
    table(columns, t)
}

/// The tally's rows and a 合计 row (none when the tally is empty).
fn tally_rows(t: &Texts, list: &[Tally], total: u32) -> Vec<Vec<String>> {
    if list.is_empty() {
        return Vec::new();
    }
    let share = |count: u32| percent(per_mille(count, total), t);
    let mut rows: Vec<Vec<String>> =
        list.iter().map(|x| vec![key_name(&x.key, t), x.count.to_string(), share(x.count)]).collect();
    rows.push(vec![t.st_total.to_string(), total.to_string(), share(total)]);
    rows
}

fn fee_table(t: &Texts, heading: &str) -> Table {
    let columns = vec![
        Column::new(heading, 90.0).grow(1.0),
        Column::new(t.st_col_agreed, 35.0).right(),
        Column::new(t.st_col_collected, 35.0).right(),
    ];
    table(columns, t)
}

/// The fees' rows and the month's total (none when there are no fees).
fn fee_rows(t: &Texts, list: &[FeeTally], total: &FeeTally) -> Vec<Vec<String>> {
    if list.is_empty() {
        return Vec::new();
    }
    list.iter()
        .chain(std::iter::once(total))
        .map(|f| vec![key_name(&f.key, t), money(f.agreed_fen), money(f.collected_fen)])
        .collect()
}

fn staff_table(t: &Texts) -> Table {
    let number = |heading: &str| Column::new(heading, 14.0).right();
    let columns = vec![
        Column::new(t.st_col_staff, 24.0).grow(1.0),
        number(t.st_col_jobs),
        number(t.st_col_finished),
        number(t.st_col_cancelled),
        number(t.st_col_not_home),
        number(t.st_col_reschedules),
        number(t.st_col_breached),
        Column::new(t.st_col_collected, 26.0).right(),
        number(t.st_col_complaints),
    ];
    table(columns, t)
}

fn staff_rows(f: &Figures) -> Vec<Vec<String>> {
    f.staff
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.jobs.to_string(),
                s.finished.to_string(),
                s.cancelled.to_string(),
                s.not_home.to_string(),
                s.reschedules.to_string(),
                s.sla_breached.to_string(),
                money(s.collected_fen),
                s.complaints.to_string(),
            ]
        })
        .collect()
}

/// The clerk's text as paragraphs, one per line written; ruled lines to
/// write on when there is none (a preview, a fresh draft).
fn text_section(pdf: &mut Document, title: &str, text: &str) {
    section(pdf, title, KEEP_WITH_HEADING_MM);
    let paragraphs: Vec<&str> = text.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    if paragraphs.is_empty() {
        for _ in 0..BLANK_TEXT_LINES {
            pdf.prose(&Prose::fields(vec![Field::line("", "")], BODY_STYLE));
        }
        return;
    }
    for paragraph in paragraphs {
        pdf.prose(&Prose::indented(paragraph, BODY_STYLE));
    }
}

/// 六、审批, kept whole: the status, the manager's opinion, who decided and
/// when; blanks to sign while the report waits.
fn approval(pdf: &mut Document, t: &Texts, doc: &ReportDoc<'_>) {
    let report = doc.report;
    let decided = !doc.preview && matches!(report.status, ReportStatus::Approved | ReportStatus::Returned);
    let mut block = vec![
        Prose::Gap(SECTION_GAP_MM),
        Prose::aligned(t.rpt_sec_approval, SECTION_STYLE, Align::Left),
        Prose::Gap(SUB_GAP_MM),
        Prose::fields(vec![Field::line(t.rpt_approval_status, status_word(t, doc))], BODY_STYLE),
    ];
    // No opinion is stored with an approval unless the manager wrote one:
    // the line is left to write on rather than filled with words of ours.
    let opinion = match report.status {
        _ if !decided => String::new(),
        ReportStatus::Returned => fill(t.rp_returned_comment, &[("comment", &report.comment.trim())]),
        _ => report.comment.trim().to_string(),
    };
    if opinion.is_empty() {
        block.push(Prose::fields(vec![Field::line(t.rpt_approval_opinion, "")], BODY_STYLE));
        let blank_lines = if decided { 0 } else { BLANK_OPINION_LINES };
        for _ in 0..blank_lines {
            block.push(Prose::fields(vec![Field::line("", "")], BODY_STYLE));
        }
    } else {
        block.push(Prose::paragraph(format!("{}{opinion}", t.rpt_approval_opinion), BODY_STYLE));
    }
    let (by, on) = match (decided, &report.decided_by, report.decided_at) {
        (true, Some(by), Some(at)) => (by.clone(), Some(at.date())),
        _ => (String::new(), None),
    };
    block.push(Prose::fields(
        vec![Field::line(t.rpt_approver, by), Field::runs(t.rpt_approval_date, date_runs(on))],
        BODY_STYLE,
    ));
    pdf.keep_together(&block);
}

#[cfg(test)]
mod tests {
    use super::super::font::face;
    use super::*;

    #[test]
    fn every_word_of_the_report_is_in_the_face() {
        let face = face().unwrap();
        let t = t();
        for text in [
            t.rpt_title,
            t.rpt_preview,
            t.rpt_department,
            t.rpt_prepared_by,
            t.rpt_prepared_on,
            t.rpt_data_as_of,
            t.rpt_status,
            t.rpt_sec_summary,
            t.rpt_sec_charts,
            t.rpt_sec_details,
            t.rpt_sec_analysis,
            t.rpt_sec_suggestions,
            t.rpt_sec_approval,
            t.rpt_sub_heading,
            t.rpt_col_share,
            t.rpt_sum_median,
            t.rpt_sum_outstanding,
            t.rpt_sum_missing,
            t.rpt_sum_satisfaction,
            t.rpt_sub_opinions,
            t.rpt_sub_staff,
            t.rpt_approval_opinion,
            t.rpt_approver,
            t.rp_status_returned,
            t.st_chart_satisfaction,
            t.st_bucket_over_3d,
        ] {
            let text = text.replace(['{', '}'], "");
            assert!(text.chars().all(|c| c.is_whitespace() || face.has_glyph(c)), "{text}");
        }
    }

    #[test]
    fn the_month_reads_as_the_office_writes_it() {
        let t = t();
        assert_eq!(month_text(t, "2026-10"), "2026年10月");
        assert_eq!(month_text(t, "2026-03"), "2026年3月");
        assert_eq!(month_text(t, "bad"), "bad");
    }
}
