//! The 统计 tab (R-RV-4): a month's or any days' figures as compact tables in
//! sections, and two charts of the twelve months up to the period's last
//! month (requests by register, fees collected). The figures are computed
//! on a worker thread from a [`HomeDesk::reader`] and kept keyed by the
//! period and the [`DataStamp`]: computed again only when either changes.
//!
//! Must not: compute a figure (that is `domain::stats`), or query on the UI
//! thread.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::{Datelike, Months, NaiveDate};
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, GridMark, Legend, Line, Plot};

use super::widgets::{headings_ui, money_cell_ui};
use super::{DataStamp, TabCtx};
use crate::app::{self, HomeDesk};
use crate::domain::stats::{FeeTally, Figures, OpinionTally, Tally};
use crate::domain::{RegisterKind, last_month, month_start};
use crate::i18n::figures::{key_name, minutes, missing_numbers, money, percent};
use crate::i18n::{Texts, fill, t};

const ROW_HEIGHT: f32 = 20.0;
/// How many months the charts show, the period's last month included.
const TREND_MONTHS: u32 = 12;
const CHART_HEIGHT: f32 = 220.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    #[default]
    Month,
    Range,
}

/// The days `[from, to)` asked for, once the fields parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    from: NaiveDate,
    to: NaiveDate,
}

/// One month of the charts.
#[derive(Debug, Clone)]
struct MonthPoint {
    label: String,
    /// Requests received, in the order of `RegisterKind::ALL`.
    requests: Vec<u32>,
    /// Fees collected on the rows received in the month.
    collected_fen: i64,
}

/// What the worker hands back.
#[derive(Debug, Clone)]
struct Computed {
    figures: Figures,
    trend: Vec<MonthPoint>,
}

type Key = (Span, DataStamp);

/// A computation under way for `key`.
struct StatsJob {
    key: Key,
    done: Receiver<Result<Computed, String>>,
}

#[derive(Default)]
pub struct StatsTab {
    mode: Mode,
    month: String,
    from: String,
    to: String,
    job: Option<StatsJob>,
    shown: Option<(Key, Result<Computed, String>)>,
}

impl StatsTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.default_period(tab.desk.now().date());
        self.period_bar_ui(ui);
        ui.separator();
        let Some(span) = self.span() else {
            let bad = match self.mode {
                Mode::Month => t().st_bad_month,
                Mode::Range => t().st_bad_range,
            };
            ui.label(RichText::new(bad).color(ui.visuals().error_fg_color));
            return;
        };
        let key = (span, tab.stamp);
        self.poll();
        self.start_if_stale(key, tab, ui.ctx());
        match &self.shown {
            Some((shown, Ok(computed))) if *shown == key => figures_ui(ui, computed),
            // Another desk wrote: the period's figures stay readable while they are redone.
            Some((shown, Ok(computed))) if shown.0 == key.0 => {
                computing_ui(ui);
                figures_ui(ui, computed);
            }
            Some((shown, Err(message))) if *shown == key => {
                ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
            }
            _ => computing_ui(ui),
        }
    }

    /// Last month, as the CS center's monthly report covers it.
    fn default_period(&mut self, today: NaiveDate) {
        if !self.month.is_empty() {
            return;
        }
        self.month = last_month(today);
        if let Some(first) = month_start(&self.month) {
            self.from = first.to_string();
            self.to = first
                .checked_add_months(Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(first)
                .to_string();
        }
    }

    fn span(&self) -> Option<Span> {
        match self.mode {
            Mode::Month => {
                let from = month_start(&self.month)?;
                Some(Span { from, to: from.checked_add_months(Months::new(1))? })
            }
            Mode::Range => {
                let parse = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
                let (from, last) = (parse(&self.from)?, parse(&self.to)?);
                (from <= last).then_some(Span { from, to: last.succ_opt()? })
            }
        }
    }

    fn period_bar_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.mode, Mode::Month, RichText::new(t.st_mode_month).size(15.0));
            ui.selectable_value(&mut self.mode, Mode::Range, RichText::new(t.st_mode_range).size(15.0));
            ui.separator();
            match self.mode {
                Mode::Month => self.month_picker_ui(ui, t),
                Mode::Range => self.range_ui(ui, t),
            }
        });
    }

    fn month_picker_ui(&mut self, ui: &mut egui::Ui, t: &Texts) {
        let label = ui.label(t.st_month);
        if ui.button(t.st_prev_month).on_hover_text(t.st_prev_month_hint).clicked() {
            self.shift_month(-1);
        }
        ui.add(egui::TextEdit::singleline(&mut self.month).desired_width(80.0)).labelled_by(label.id);
        if ui.button(t.st_next_month).on_hover_text(t.st_next_month_hint).clicked() {
            self.shift_month(1);
        }
    }

    fn shift_month(&mut self, by: i32) {
        let Some(first) = month_start(&self.month) else { return };
        let months = Months::new(by.unsigned_abs());
        let moved = if by < 0 { first.checked_sub_months(months) } else { first.checked_add_months(months) };
        if let Some(moved) = moved {
            self.month = moved.format("%Y-%m").to_string();
        }
    }

    fn range_ui(&mut self, ui: &mut egui::Ui, t: &Texts) {
        for (title, value) in [(t.st_from, &mut self.from), (t.st_to, &mut self.to)] {
            let label = ui.label(title);
            ui.add(egui::TextEdit::singleline(value).desired_width(100.0)).labelled_by(label.id);
        }
    }

    /// Takes the worker's answer once it is there.
    fn poll(&mut self) {
        let Some(job) = &self.job else { return };
        let outcome = match job.done.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(t().st_failed.to_string()),
        };
        self.shown = Some((job.key, outcome));
        self.job = None;
    }

    /// Starts a computation unless `key`'s figures are shown or under way; a
    /// computation for an older key is dropped (its answer goes nowhere).
    fn start_if_stale(&mut self, key: Key, tab: &TabCtx<'_>, ctx: &egui::Context) {
        let shown = self.shown.as_ref().is_some_and(|(k, _)| *k == key);
        let running = self.job.as_ref().is_some_and(|j| j.key == key);
        if shown || running {
            return;
        }
        match tab.desk.reader() {
            Ok(reader) => self.job = Some(StatsJob { key, done: spawn(reader, key.0, ctx.clone()) }),
            Err(e) => self.shown = Some((key, Err(t().app_error(&e)))),
        }
    }
}

fn spawn(reader: HomeDesk, span: Span, ctx: egui::Context) -> Receiver<Result<Computed, String>> {
    let (tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = compute(&reader, span).map_err(|e| t().app_error(&e));
        let _ = tx.send(outcome);
        ctx.request_repaint();
    });
    done
}

fn compute(reader: &HomeDesk, span: Span) -> app::Result<Computed> {
    let figures = reader.figures(span.from, span.to)?;
    let last_day = span.to.pred_opt().unwrap_or(span.from);
    let trend =
        trend_months(last_day).into_iter().map(|m| month_point(reader, m)).collect::<app::Result<_>>()?;
    Ok(Computed { figures, trend })
}

/// The first days of the [`TREND_MONTHS`] months up to `last_day`'s, oldest first.
fn trend_months(last_day: NaiveDate) -> Vec<NaiveDate> {
    let end = last_day.with_day(1).unwrap_or(last_day);
    (0..TREND_MONTHS).rev().filter_map(|back| end.checked_sub_months(Months::new(back))).collect()
}

fn month_point(reader: &HomeDesk, first: NaiveDate) -> app::Result<MonthPoint> {
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    let f = reader.figures(first, next)?;
    let count = |kind: RegisterKind| {
        f.requests.by_register.iter().find(|x| x.key == kind.code()).map_or(0, |x| x.count)
    };
    Ok(MonthPoint {
        label: first.format("%Y-%m").to_string(),
        requests: RegisterKind::ALL.iter().map(|k| count(*k)).collect(),
        collected_fen: f.fees.collected_fen,
    })
}

fn computing_ui(ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(t().st_computing);
    });
}

fn figures_ui(ui: &mut egui::Ui, computed: &Computed) {
    let (t, f) = (t(), &computed.figures);
    let last_day = f.period.to.pred_opt().unwrap_or(f.period.to);
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(fill(t.st_period, &[("from", &f.period.from), ("to", &last_day)]));
        charts_ui(ui, &computed.trend, t);
        // Three columns of sections: the month reads on one screen, not down a strip.
        ui.columns(3, |columns| {
            requests_ui(&mut columns[0], f, t);
            work_ui(&mut columns[1], f, t);
            money_ui(&mut columns[1], f, t);
            quality_ui(&mut columns[2], f, t);
        });
        staff_ui(ui, f, t);
    });
}

fn section_ui(ui: &mut egui::Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(16.0));
}

/// A compact table: columns from `numbers_from` on are right-aligned figures.
fn table_ui(ui: &mut egui::Ui, id: &str, headings: &[&str], rows: &[Vec<String>], numbers_from: usize) {
    if rows.is_empty() {
        ui.label(RichText::new(t().st_none).weak());
        return;
    }
    // Figures get a fixed width, narrower when many share a column of the tab.
    let figures = headings.len().saturating_sub(numbers_from).max(1) as f32;
    let figure_width = ((ui.available_width() - 120.0) / figures - 8.0).clamp(56.0, 84.0);
    let mut table = TableBuilder::new(ui).id_salt(id).striped(true).vscroll(false);
    for i in 0..headings.len() {
        table = table.column(if i < numbers_from {
            Column::auto().at_least(100.0)
        } else {
            Column::exact(figure_width)
        });
    }
    table.header(ROW_HEIGHT, |header| headings_ui(header, headings)).body(|body| {
        body.rows(ROW_HEIGHT, rows.len(), |mut row| {
            let cells = &rows[row.index()];
            for (i, cell) in cells.iter().enumerate() {
                row.col(|ui| {
                    if i < numbers_from {
                        ui.add(egui::Label::new(cell.as_str()).extend().selectable(false));
                    } else {
                        money_cell_ui(ui, cell.as_str());
                    }
                });
            }
        });
    });
}

/// A two-column table of named figures.
fn values_ui(ui: &mut egui::Ui, id: &str, values: &[(&str, String)]) {
    let t = t();
    let rows: Vec<Vec<String>> =
        values.iter().map(|(name, value)| vec![name.to_string(), value.clone()]).collect();
    table_ui(ui, id, &[t.st_col_figure, t.st_col_value], &rows, 1);
}

fn tally_rows(list: &[Tally], t: &Texts) -> Vec<Vec<String>> {
    list.iter().map(|x| vec![key_name(&x.key, t), x.count.to_string()]).collect()
}

fn fee_rows(list: &[FeeTally], t: &Texts) -> Vec<Vec<String>> {
    list.iter().map(|x| vec![key_name(&x.key, t), money(x.agreed_fen), money(x.collected_fen)]).collect()
}

fn requests_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let r = &f.requests;
    section_ui(ui, t.st_sec_requests);
    ui.label(fill(t.st_requests_total, &[("total", &r.total)]));
    table_ui(ui, "st_by_register", &[t.st_col_register, t.st_col_count], &tally_rows(&r.by_register, t), 1);
    table_ui(ui, "st_by_item", &[t.st_col_item, t.st_col_count], &tally_rows(&r.by_item, t), 1);
    table_ui(ui, "st_by_desk", &[t.st_col_desk, t.st_col_count], &tally_rows(&r.by_desk, t), 1);
    section_ui(ui, t.st_sec_refusals);
    ui.label(fill(t.st_refusals_total, &[("total", &f.refusals.total)]));
    table_ui(ui, "st_refusals", &[t.st_col_reason, t.st_col_count], &tally_rows(&f.refusals.by_reason, t), 1);
}

fn work_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let (c, s, u) = (&f.completion, &f.sla, &f.follow_up);
    section_ui(ui, t.st_sec_completion);
    values_ui(
        ui,
        "st_completion",
        &[
            (t.st_finished, c.finished.to_string()),
            (t.st_median, minutes(c.median_minutes, t)),
            (t.st_mean, minutes(c.mean_minutes, t)),
            (t.st_longest, minutes(c.longest_minutes, t)),
        ],
    );
    section_ui(ui, t.st_sec_sla);
    values_ui(
        ui,
        "st_sla",
        &[
            (t.st_committed, s.committed.to_string()),
            (t.st_met, s.met.to_string()),
            (t.st_breached, s.breached.to_string()),
            (t.st_open, s.open.to_string()),
            (t.st_met_rate, percent(s.met_per_mille, t)),
        ],
    );
    section_ui(ui, t.st_sec_follow_up);
    values_ui(
        ui,
        "st_follow_up",
        &[
            (t.st_reschedules, u.reschedules.to_string()),
            (t.st_cancellations, u.cancellations.to_string()),
            (t.st_not_home, u.not_home.to_string()),
        ],
    );
}

fn money_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let fees = &f.fees;
    section_ui(ui, t.st_sec_fees);
    let mut by_register = fee_rows(&fees.by_register, t);
    by_register.push(vec![t.st_total.to_string(), money(fees.agreed_fen), money(fees.collected_fen)]);
    table_ui(
        ui,
        "st_fees_register",
        &[t.st_col_register, t.st_col_agreed, t.st_col_collected],
        &by_register,
        1,
    );
    table_ui(
        ui,
        "st_fees_item",
        &[t.st_col_item, t.st_col_agreed, t.st_col_collected],
        &fee_rows(&fees.by_item, t),
        1,
    );
    cash_and_agreements_ui(ui, f, t);
    shopping_ui(ui, f, t);
}

fn cash_and_agreements_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let (c, a) = (&f.cash, &f.agreements);
    section_ui(ui, t.st_sec_cash);
    values_ui(
        ui,
        "st_cash",
        &[
            (t.st_cash_collections, c.collections.to_string()),
            (t.st_cash_collected, money(c.collected_fen)),
            (t.st_cash_handovers, c.handovers.to_string()),
            (t.st_cash_received, money(c.received_fen)),
            (t.st_cash_outstanding, money(c.outstanding_fen)),
        ],
    );
    section_ui(ui, t.st_sec_agreements);
    values_ui(
        ui,
        "st_agreements",
        &[
            (t.st_agr_new, a.new.to_string()),
            (t.st_agr_active, a.active.to_string()),
            (t.st_agr_ended, a.ended.to_string()),
            (t.st_agr_terminated, a.terminated.to_string()),
        ],
    );
}

fn shopping_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let s = &f.shopping;
    section_ui(ui, t.st_sec_shopping);
    values_ui(
        ui,
        "st_shopping",
        &[
            (t.st_shop_entries, s.entries.to_string()),
            (t.st_shop_void, s.void.to_string()),
            (t.st_shop_expected, money(s.expected_fen)),
            (t.st_shop_actual, money(s.actual_fen)),
            (t.st_shop_missing, missing_numbers(&s.missing_numbers, t)),
            (t.st_shop_concerns, s.concerns.to_string()),
        ],
    );
}

fn opinion_row(question: &str, o: &OpinionTally, t: &Texts) -> Vec<String> {
    vec![
        question.to_string(),
        o.satisfied.to_string(),
        o.fairly_satisfied.to_string(),
        o.dissatisfied.to_string(),
        percent(o.satisfied_per_mille, t),
    ]
}

fn quality_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let v = &f.revisits;
    section_ui(ui, t.st_sec_revisits);
    values_ui(
        ui,
        "st_revisits",
        &[
            (t.st_rv_served, v.households_served.to_string()),
            (t.st_rv_sample, v.sample_size.to_string()),
            (t.st_rv_planned, v.planned.to_string()),
            (t.st_rv_revisited, v.revisited.to_string()),
            (t.st_rv_unreachable, v.unreachable.to_string()),
            (t.st_rv_todo, v.to_do.to_string()),
            (t.st_rv_coverage, percent(v.coverage_per_mille, t)),
        ],
    );
    let opinions = vec![
        opinion_row(t.st_q_timeliness, &v.timeliness, t),
        opinion_row(t.st_q_skill, &v.skill, t),
        opinion_row(t.st_q_attitude, &v.attitude, t),
    ];
    let headings =
        [t.st_col_question, t.st_col_satisfied, t.st_col_fairly, t.st_col_dissatisfied, t.st_col_rate];
    table_ui(ui, "st_opinions", &headings, &opinions, 1);
    ui.label(RichText::new(t.st_rate_note).weak().small());
    complaints_and_needs_ui(ui, f, t);
}

fn complaints_and_needs_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    let c = &f.complaints;
    section_ui(ui, t.st_sec_complaints);
    values_ui(
        ui,
        "st_complaints",
        &[(t.st_cmp_total, c.total.to_string()), (t.st_cmp_closed, c.closed.to_string())],
    );
    table_ui(ui, "st_complaints_staff", &[t.st_col_staff, t.st_col_count], &tally_rows(&c.by_staff, t), 1);
    section_ui(ui, t.st_sec_needs);
    let needs: Vec<Vec<String>> =
        f.needs.iter().map(|n| vec![n.on.to_string(), n.room.clone(), n.text.clone()]).collect();
    table_ui(ui, "st_needs", &[t.st_col_date, t.st_col_room, t.st_col_need], &needs, 3);
}

fn staff_ui(ui: &mut egui::Ui, f: &Figures, t: &Texts) {
    section_ui(ui, t.st_sec_staff);
    let rows: Vec<Vec<String>> = f
        .staff
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
        .collect();
    let headings = [
        t.st_col_staff,
        t.st_col_jobs,
        t.st_col_finished,
        t.st_col_cancelled,
        t.st_col_not_home,
        t.st_col_reschedules,
        t.st_col_breached,
        t.st_col_collected,
        t.st_col_complaints,
    ];
    table_ui(ui, "st_staff", &headings, &rows, 1);
}

/// The month under an x value that is a whole month index; nothing between.
fn month_label(labels: &[String], mark: GridMark) -> String {
    let index = mark.value.round();
    if (mark.value - index).abs() > f64::EPSILON || index < 0.0 {
        return String::new();
    }
    labels.get(index as usize).cloned().unwrap_or_default()
}

/// A chart's frame: fixed in place (the scroll wheel scrolls the tab), months on the x axis.
fn month_plot<'a>(id: &str, labels: &'a [String]) -> Plot<'a> {
    Plot::new(id)
        .height(CHART_HEIGHT)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_formatter(move |mark, _| month_label(labels, mark))
}

fn charts_ui(ui: &mut egui::Ui, trend: &[MonthPoint], t: &Texts) {
    let labels: Vec<String> = trend.iter().map(|p| p.label.clone()).collect();
    section_ui(ui, t.st_sec_charts);
    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        ui.label(t.st_chart_requests);
        month_plot("st_chart_requests", &labels).show(ui, |plot| {
            for (k, kind) in RegisterKind::ALL.iter().enumerate() {
                let points: Vec<[f64; 2]> =
                    trend.iter().enumerate().map(|(x, p)| [x as f64, f64::from(p.requests[k])]).collect();
                plot.line(Line::new(t.kind(*kind), points));
            }
        });
        let ui = &mut columns[1];
        ui.label(t.st_chart_fees);
        // Money is fen everywhere; yuan as f64 only to draw the bars.
        let bars: Vec<Bar> = trend
            .iter()
            .enumerate()
            .map(|(x, p)| Bar::new(x as f64, p.collected_fen as f64 / 100.0))
            .collect();
        month_plot("st_chart_fees", &labels)
            .show(ui, |plot| plot.bar_chart(BarChart::new(t.st_col_collected, bars)));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_charts_cover_twelve_months_up_to_the_periods_last() {
        let months = trend_months(day("2026-03-31"));
        assert_eq!(months.len(), 12);
        assert_eq!(months.first(), Some(&day("2025-04-01")));
        assert_eq!(months.last(), Some(&day("2026-03-01")));
    }

    #[test]
    fn a_range_is_its_days_and_a_month_its_calendar_month() {
        let mut tab = StatsTab { month: "2026-02".into(), ..StatsTab::default() };
        assert_eq!(tab.span(), Some(Span { from: day("2026-02-01"), to: day("2026-03-01") }));
        tab.shift_month(-1);
        assert_eq!(tab.month, "2026-01");
        tab.mode = Mode::Range;
        (tab.from, tab.to) = ("2026-03-05".into(), "2026-03-05".into());
        assert_eq!(tab.span(), Some(Span { from: day("2026-03-05"), to: day("2026-03-06") }));
        tab.to = "2026-03-04".into();
        assert_eq!(tab.span(), None, "the last day before the first is refused");
    }
}
