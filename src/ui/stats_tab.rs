//! The 统计 tab (R-RV-4): a month's or any days' figures as compact tables in
//! sections, four charts (requests and fees per month over the twelve
//! months up to the period's last, the revisits' satisfaction per month,
//! how long the period's rows took), the rows behind any blue figure, and
//! for a month its 居家服务情况统计分析报告 ([`ReportPane`]). The figures
//! are computed on a worker thread from a [`HomeDesk::reader`] and kept
//! keyed by the period and the [`DataStamp`]: computed again only when
//! either changes.
//!
//! Must not: compute a figure (that is `domain::stats`), or query on the UI
//! thread.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::{Months, NaiveDate, NaiveDateTime};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::export_job::{ExportOrder, Exporter};
use super::report_pane::ReportPane;
use super::stats_charts::charts_ui;
use super::stats_drill::DrillView;
use super::widgets::{headings_ui, money_cell_ui};
use super::{DataStamp, TabCtx};
use crate::app::{self, HomeDesk};
use crate::domain::stats::{Drill, FeeTally, Figures, OpinionTally, RequestFact, Tally, TrendMonth};
use crate::domain::{Desk, RegisterKind, last_month, month_start};
use crate::i18n::figures::{key_name, minutes, missing_numbers, money, percent, staff_headings};
use crate::i18n::{Texts, fill, t};

const ROW_HEIGHT: f32 = 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    #[default]
    Month,
    Range,
}

/// The figures, or the month's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Figures,
    Report,
}

/// The days `[from, to)` asked for, once the fields parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    from: NaiveDate,
    to: NaiveDate,
}

/// What the worker hands back.
#[derive(Debug, Clone)]
struct Computed {
    figures: Figures,
    trend: Vec<TrendMonth>,
    /// The register rows the figures count, for the rows behind a figure.
    rows: Vec<RequestFact>,
    /// The "now" the repair promises were judged at.
    at: NaiveDateTime,
}

type Key = (Span, DataStamp);

/// What the figures area shows in a frame.
#[derive(Debug)]
enum Showing<'a> {
    /// The figures of the period and data asked for.
    Current(&'a Computed),
    /// Earlier figures (another period, or before another desk wrote),
    /// greyed while the new ones are computed.
    Stale(&'a Computed),
    Failed(&'a str),
    /// Nothing to show yet: stand-ins of the figures' size, greyed
    /// ([`placeholder`]), the spinner in the bar.
    Pending,
}

/// A computation under way for `key`.
struct StatsJob {
    key: Key,
    done: Receiver<Result<Computed, String>>,
}

#[derive(Default)]
pub struct StatsTab {
    view: View,
    mode: Mode,
    month: String,
    from: String,
    to: String,
    job: Option<StatsJob>,
    shown: Option<(Key, Result<Computed, String>)>,
    drill: Option<DrillView>,
    report: ReportPane,
    exporter: Exporter,
}

impl StatsTab {
    /// Opens the monthly report of `month` (from the 待办 list).
    pub fn open_report(&mut self, month: &str) {
        self.view = View::Report;
        self.mode = Mode::Month;
        self.month = month.to_string();
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.default_period(tab.desk);
        self.exporter.poll(tab);
        let key = (self.view == View::Figures).then(|| self.span()).flatten().map(|span| (span, tab.stamp));
        self.prepare(key, tab, ui.ctx());
        let export = self.period_bar_ui(ui);
        ui.separator();
        if self.view == View::Report {
            match self.mode {
                Mode::Month => {
                    if let Some(month) = self.report.ui(ui, tab, &self.month) {
                        self.month = month;
                    }
                }
                Mode::Range => {
                    ui.label(t().rp_month_only);
                }
            }
            return;
        }
        let Some(span) = self.span() else {
            let bad = match self.mode {
                Mode::Month => t().st_bad_month,
                Mode::Range => t().st_bad_range,
            };
            ui.label(RichText::new(bad).color(ui.visuals().error_fg_color));
            return;
        };
        if export {
            self.exporter.export(tab, ui.ctx(), ExportOrder::Figures(span.from, span.to));
        }
        let key = (span, tab.stamp);
        // The period bar may have just changed the period.
        self.start_if_stale(key, tab, ui.ctx());
        let picked = match self.showing(key) {
            Showing::Current(computed) => figures_ui(ui, computed, Values::Shown),
            // Greyed and not clickable: the rows behind them are another period's.
            Showing::Stale(computed) => {
                ui.add_enabled_ui(false, |ui| figures_ui(ui, computed, Values::Shown)).inner
            }
            Showing::Failed(message) => {
                ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
                None
            }
            Showing::Pending => {
                ui.add_enabled_ui(false, |ui| figures_ui(ui, &placeholder(span), Values::Pending));
                None
            }
        };
        self.drill_ui(ui.ctx(), picked);
    }

    /// Takes a finished computation and starts the one `key` needs, before
    /// the period bar is drawn (its spinner says whether one runs).
    fn prepare(&mut self, key: Option<Key>, tab: &TabCtx<'_>, ctx: &egui::Context) {
        self.poll();
        if let Some(key) = key {
            self.start_if_stale(key, tab, ctx);
        }
    }

    /// What the figures area shows for `key`. Figures already on screen stay
    /// there (greyed) until the new ones arrive, whether the period or the
    /// data changed: issue 23 saw the tab jump as they were replaced by a
    /// line saying 正在计算 and came back a frame or a second later. With
    /// none yet, stand-ins of their size hold their place. The spinner has
    /// its own place in the period bar.
    fn showing(&self, key: Key) -> Showing<'_> {
        match &self.shown {
            Some((shown, Ok(computed))) if *shown == key => Showing::Current(computed),
            Some((_, Ok(computed))) => Showing::Stale(computed),
            Some((shown, Err(message))) if *shown == key => Showing::Failed(message),
            _ => Showing::Pending,
        }
    }

    /// Opens the rows behind a clicked figure; draws the open window.
    fn drill_ui(&mut self, ctx: &egui::Context, picked: Option<(String, Drill)>) {
        if let (Some((what, drill)), Some((_, Ok(computed)))) = (picked, &self.shown) {
            self.drill = Some(DrillView::new(&what, &drill, &computed.rows, computed.at));
        }
        if self.drill.as_ref().is_some_and(|d| !d.ui(ctx)) {
            self.drill = None;
        }
    }

    /// Last month, as the CS center's monthly report covers it, or the
    /// newest month with rows (`domain::stats::opening_month`).
    fn default_period(&mut self, desk: &HomeDesk) {
        if !self.month.is_empty() {
            return;
        }
        self.month = desk.stats_opening_month().unwrap_or_else(|_| last_month(desk.now().date()));
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

    /// The view, the period and 导出 Excel… (the figures shown); `true`
    /// when the export was asked for.
    fn period_bar_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let t = t();
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.view, View::Figures, RichText::new(t.rp_view_figures).size(15.0));
            ui.selectable_value(&mut self.view, View::Report, RichText::new(t.rp_view_report).size(15.0));
            ui.separator();
            ui.selectable_value(&mut self.mode, Mode::Month, RichText::new(t.st_mode_month).size(15.0));
            ui.selectable_value(&mut self.mode, Mode::Range, RichText::new(t.st_mode_range).size(15.0));
            ui.separator();
            match self.mode {
                Mode::Month => self.month_picker_ui(ui, t),
                Mode::Range => self.range_ui(ui, t),
            }
            if self.view == View::Figures {
                ui.separator();
                let export = self.exporter.button_ui(ui);
                // Always laid out, shown only while computing: nothing moves when it comes and goes.
                let busy = self.job.is_some();
                ui.add_visible(busy, egui::Spinner::new());
                ui.add_visible(busy, egui::Label::new(t.st_computing));
                return export;
            }
            false
        })
        .inner
    }

    fn month_picker_ui(&mut self, ui: &mut egui::Ui, t: &Texts) {
        let label = ui.label(t.st_month);
        if super::widgets::glyph_button(ui, t.st_prev_month, t.st_prev_month_hint).clicked() {
            self.shift_month(-1);
        }
        ui.add(egui::TextEdit::singleline(&mut self.month).desired_width(80.0)).labelled_by(label.id);
        if super::widgets::glyph_button(ui, t.st_next_month, t.st_next_month_hint).clicked() {
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
    crate::i18n::spawn(move || {
        let outcome = compute(&reader, span).map_err(|e| t().app_error(&e));
        let _ = tx.send(outcome);
        ctx.request_repaint();
    });
    done
}

fn compute(reader: &HomeDesk, span: Span) -> app::Result<Computed> {
    let (figures, rows) = reader.figures_and_rows(span.from, span.to)?;
    let trend = reader.trend(span.to.pred_opt().unwrap_or(span.from))?;
    Ok(Computed { figures, trend, rows, at: reader.now() })
}

/// Stand-ins for the figures of `span` while they are computed (issue 23:
/// the tab filled in from empty, the sections moving as they came). The
/// charts, the sections and every table whose rows are known before a
/// query — the lists of named figures, the registers, the desks, the
/// completion buckets, the fees by register — take the place and size the
/// figures will have, each figure a dash ([`Values::Pending`]); what is on
/// the first screen then does not move when the figures arrive.
fn placeholder(span: Span) -> Computed {
    let at = span.from.and_time(chrono::NaiveTime::MIN);
    let period = crate::domain::stats::Period { from: span.from, to: span.to };
    let mut figures = crate::domain::stats::figures(period, &crate::domain::stats::Facts::default(), at);
    let tally = |key: &str| Tally { key: key.to_string(), count: 0 };
    figures.requests.by_register = RegisterKind::ALL.iter().map(|k| tally(k.code())).collect();
    figures.requests.by_desk = Desk::ALL.iter().map(|d| tally(d.code())).collect();
    figures.fees.by_register = RegisterKind::ALL
        .iter()
        .map(|k| FeeTally { key: k.code().to_string(), agreed_fen: 0, collected_fen: 0 })
        .collect();
    Computed { figures, trend: Vec::new(), rows: Vec::new(), at }
}

/// Whether the figures drawn are the period's or stand-ins of their size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Values {
    #[default]
    Shown,
    Pending,
}

/// The figures; the figure clicked this frame, if any, with its name.
fn figures_ui(ui: &mut egui::Ui, computed: &Computed, values: Values) -> Option<(String, Drill)> {
    let (t, f) = (t(), &computed.figures);
    let last_day = f.period.to.pred_opt().unwrap_or(f.period.to);
    let mut sheet = Sheet { picked: None, values };
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(fill(t.st_period, &[("from", &f.period.from), ("to", &last_day)]));
            ui.label(RichText::new(t.st_drill_hint).weak());
        });
        section_ui(ui, t.st_sec_charts);
        charts_ui(ui, &computed.trend, &f.completion);
        // Three columns of sections: the month reads on one screen, not down a strip.
        ui.columns(3, |columns| {
            requests_ui(&mut columns[0], &mut sheet, f, t);
            work_ui(&mut columns[1], &mut sheet, f, t);
            money_ui(&mut columns[1], &mut sheet, f, t);
            quality_ui(&mut columns[2], &mut sheet, f, t);
        });
        staff_ui(ui, &mut sheet, f, t);
    });
    sheet.picked
}

/// The figure tables of one frame, and the figure clicked in them.
#[derive(Default)]
struct Sheet {
    picked: Option<(String, Drill)>,
    values: Values,
}

fn section_ui(ui: &mut egui::Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(16.0));
}

/// No rows behind these figures (they are not register rows).
const NO_DRILLS: &[Option<Drill>] = &[];

impl Sheet {
    /// A compact table: columns from `numbers_from` on are right-aligned
    /// figures; a row with a drill shows its first figure as a link to the
    /// rows behind it.
    fn table(
        &mut self,
        ui: &mut egui::Ui,
        id: &str,
        headings: &[&str],
        rows: &[Vec<String>],
        numbers_from: usize,
        drills: &[Option<Drill>],
    ) {
        // A list only the figures know: its headings where they will stand.
        let pending_rows = [vec![t().st_figure_pending.to_string(); headings.len()]];
        let rows = match self.values {
            Values::Pending if rows.is_empty() => &pending_rows[..],
            _ => rows,
        };
        if rows.is_empty() {
            ui.label(RichText::new(t().st_none).weak());
            return;
        }
        // Figures get a fixed width, narrower when many share a column of the tab.
        let figures = headings.len().saturating_sub(numbers_from).max(1) as f32;
        let figure_width = ((ui.available_width() - 120.0) / figures - 8.0).clamp(56.0, 84.0);
        // Figures are centred in the row (`money_cell_ui`): so are its texts.
        let mut table = TableBuilder::new(ui)
            .id_salt(id)
            .striped(true)
            .vscroll(false)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for i in 0..headings.len() {
            table = table.column(if i < numbers_from {
                Column::auto().at_least(100.0)
            } else {
                Column::exact(figure_width)
            });
        }
        table.header(ROW_HEIGHT, |header| headings_ui(header, headings)).body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                let index = row.index();
                let cells = &rows[index];
                let drill = drills.get(index).cloned().flatten();
                for (i, cell) in cells.iter().enumerate() {
                    row.col(|ui| match &drill {
                        _ if i < numbers_from => {
                            ui.add(egui::Label::new(cell.as_str()).extend().selectable(false));
                        }
                        _ if self.values == Values::Pending => money_cell_ui(ui, t().st_figure_pending),
                        Some(drill) if i == numbers_from => {
                            if link_cell_ui(ui, cell) {
                                self.picked = Some((cells[0].clone(), drill.clone()));
                            }
                        }
                        _ => money_cell_ui(ui, cell.as_str()),
                    });
                }
            });
        });
    }

    /// A figure written in a line of text: a dash while it is pending.
    fn figure(&self, value: impl std::fmt::Display) -> String {
        match self.values {
            Values::Shown => value.to_string(),
            Values::Pending => t().st_figure_pending.to_string(),
        }
    }

    /// A two-column table of named figures.
    fn values(&mut self, ui: &mut egui::Ui, id: &str, values: &[(&str, String)], drills: &[Option<Drill>]) {
        let t = t();
        let rows: Vec<Vec<String>> =
            values.iter().map(|(name, value)| vec![name.to_string(), value.clone()]).collect();
        self.table(ui, id, &[t.st_col_figure, t.st_col_value], &rows, 1, drills);
    }
}

/// A figure with rows behind it: right-aligned, a link; `true` when clicked.
fn link_cell_ui(ui: &mut egui::Ui, text: &str) -> bool {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.link(text).clicked()).inner
}

fn tally_rows(list: &[Tally], t: &Texts) -> Vec<Vec<String>> {
    list.iter().map(|x| vec![key_name(&x.key, t), x.count.to_string()]).collect()
}

fn fee_rows(list: &[FeeTally], t: &Texts) -> Vec<Vec<String>> {
    list.iter().map(|x| vec![key_name(&x.key, t), money(x.agreed_fen), money(x.collected_fen)]).collect()
}

/// The drill of each tally row, by what its key is.
fn tally_drills(list: &[Tally], drill: impl Fn(&str) -> Option<Drill>) -> Vec<Option<Drill>> {
    list.iter().map(|x| drill(&x.key)).collect()
}

fn requests_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let r = &f.requests;
    section_ui(ui, t.st_sec_requests);
    let total = fill(t.st_requests_total, &[("total", &sheet.figure(r.total))]);
    if ui.link(&total).clicked() {
        sheet.picked = Some((total, Drill::All));
    }
    let by_register = tally_drills(&r.by_register, |k| RegisterKind::from_code(k).map(Drill::Register));
    let headings = [t.st_col_register, t.st_col_count];
    sheet.table(ui, "st_by_register", &headings, &tally_rows(&r.by_register, t), 1, &by_register);
    let by_item = tally_drills(&r.by_item, |k| Some(Drill::Item(k.to_string())));
    let headings = [t.st_col_item, t.st_col_count];
    sheet.table(ui, "st_by_item", &headings, &tally_rows(&r.by_item, t), 1, &by_item);
    let by_desk = tally_drills(&r.by_desk, |k| Desk::from_code(k).map(Drill::Desk));
    let headings = [t.st_col_desk, t.st_col_count];
    sheet.table(ui, "st_by_desk", &headings, &tally_rows(&r.by_desk, t), 1, &by_desk);
    section_ui(ui, t.st_sec_refusals);
    ui.label(fill(t.st_refusals_total, &[("total", &sheet.figure(f.refusals.total))]));
    let headings = [t.st_col_reason, t.st_col_count];
    sheet.table(ui, "st_refusals", &headings, &tally_rows(&f.refusals.by_reason, t), 1, NO_DRILLS);
}

fn work_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let (c, s, u) = (&f.completion, &f.sla, &f.follow_up);
    section_ui(ui, t.st_sec_completion);
    sheet.values(
        ui,
        "st_completion",
        &[
            (t.st_finished, c.finished.to_string()),
            (t.st_median, minutes(c.median_minutes, t)),
            (t.st_mean, minutes(c.mean_minutes, t)),
            (t.st_longest, minutes(c.longest_minutes, t)),
        ],
        &[Some(Drill::Finished)],
    );
    let buckets = tally_drills(&c.distribution, |k| Some(Drill::Bucket(k.to_string())));
    let headings = [t.st_col_duration, t.st_col_count];
    sheet.table(ui, "st_buckets", &headings, &tally_rows(&c.distribution, t), 1, &buckets);
    section_ui(ui, t.st_sec_sla);
    sheet.values(
        ui,
        "st_sla",
        &[
            (t.st_committed, s.committed.to_string()),
            (t.st_met, s.met.to_string()),
            (t.st_breached, s.breached.to_string()),
            (t.st_open, s.open.to_string()),
            (t.st_met_rate, percent(s.met_per_mille, t)),
        ],
        &[Some(Drill::SlaCommitted), Some(Drill::SlaMet), Some(Drill::SlaBreached), Some(Drill::SlaOpen)],
    );
    section_ui(ui, t.st_sec_follow_up);
    sheet.values(
        ui,
        "st_follow_up",
        &[
            (t.st_reschedules, u.reschedules.to_string()),
            (t.st_cancellations, u.cancellations.to_string()),
            (t.st_not_home, u.not_home.to_string()),
        ],
        &[Some(Drill::Rescheduled), Some(Drill::Cancelled), Some(Drill::NotHome)],
    );
}

fn money_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let fees = &f.fees;
    section_ui(ui, t.st_sec_fees);
    let mut by_register = fee_rows(&fees.by_register, t);
    by_register.push(vec![t.st_total.to_string(), money(fees.agreed_fen), money(fees.collected_fen)]);
    let headings = [t.st_col_register, t.st_col_agreed, t.st_col_collected];
    sheet.table(ui, "st_fees_register", &headings, &by_register, 1, NO_DRILLS);
    let headings = [t.st_col_item, t.st_col_agreed, t.st_col_collected];
    sheet.table(ui, "st_fees_item", &headings, &fee_rows(&fees.by_item, t), 1, NO_DRILLS);
    cash_and_agreements_ui(ui, sheet, f, t);
    shopping_ui(ui, sheet, f, t);
}

fn cash_and_agreements_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let (c, a) = (&f.cash, &f.agreements);
    section_ui(ui, t.st_sec_cash);
    sheet.values(
        ui,
        "st_cash",
        &[
            (t.st_cash_collections, c.collections.to_string()),
            (t.st_cash_collected, money(c.collected_fen)),
            (t.st_cash_handovers, c.handovers.to_string()),
            (t.st_cash_received, money(c.received_fen)),
            (t.st_cash_outstanding, money(c.outstanding_fen)),
        ],
        NO_DRILLS,
    );
    section_ui(ui, t.st_sec_agreements);
    sheet.values(
        ui,
        "st_agreements",
        &[
            (t.st_agr_new, a.new.to_string()),
            (t.st_agr_active, a.active.to_string()),
            (t.st_agr_ended, a.ended.to_string()),
            (t.st_agr_terminated, a.terminated.to_string()),
        ],
        NO_DRILLS,
    );
}

fn shopping_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let s = &f.shopping;
    section_ui(ui, t.st_sec_shopping);
    sheet.values(
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
        NO_DRILLS,
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

fn quality_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let v = &f.revisits;
    section_ui(ui, t.st_sec_revisits);
    sheet.values(
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
        NO_DRILLS,
    );
    let opinions = vec![
        opinion_row(t.st_q_timeliness, &v.timeliness, t),
        opinion_row(t.st_q_skill, &v.skill, t),
        opinion_row(t.st_q_attitude, &v.attitude, t),
    ];
    let headings =
        [t.st_col_question, t.st_col_satisfied, t.st_col_fairly, t.st_col_dissatisfied, t.st_col_rate];
    sheet.table(ui, "st_opinions", &headings, &opinions, 1, NO_DRILLS);
    ui.label(RichText::new(t.st_rate_note).weak().small());
    complaints_and_needs_ui(ui, sheet, f, t);
}

fn complaints_and_needs_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
    let c = &f.complaints;
    section_ui(ui, t.st_sec_complaints);
    sheet.values(
        ui,
        "st_complaints",
        &[(t.st_cmp_total, c.total.to_string()), (t.st_cmp_closed, c.closed.to_string())],
        NO_DRILLS,
    );
    let headings = [t.st_col_staff, t.st_col_count];
    sheet.table(ui, "st_complaints_staff", &headings, &tally_rows(&c.by_staff, t), 1, NO_DRILLS);
    section_ui(ui, t.st_sec_needs);
    let needs: Vec<Vec<String>> =
        f.needs.iter().map(|n| vec![n.on.to_string(), n.room.clone(), n.text.clone()]).collect();
    sheet.table(ui, "st_needs", &[t.st_col_date, t.st_col_room, t.st_col_need], &needs, 3, NO_DRILLS);
}

fn staff_ui(ui: &mut egui::Ui, sheet: &mut Sheet, f: &Figures, t: &Texts) {
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
    let drills: Vec<Option<Drill>> = f.staff.iter().map(|s| Some(Drill::Staff(s.staff_id))).collect();
    sheet.table(ui, "st_staff", &staff_headings(t), &rows, 1, &drills);
}

#[cfg(test)]
mod tests {
    use egui_kittest::kittest::Queryable;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
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

    fn computed(month: &str) -> Computed {
        let from = day(&format!("{month}-01"));
        let period = crate::domain::stats::Period { from, to: from + Months::new(1) };
        let at = from.and_hms_opt(9, 0, 0).unwrap_or_default();
        let facts = crate::domain::stats::Facts::default();
        Computed {
            figures: crate::domain::stats::figures(period, &facts, at),
            trend: Vec::new(),
            rows: Vec::new(),
            at,
        }
    }

    /// Issue 23: the tab jumped while figures arrived (a 正在计算 line above
    /// them, or in their place). What is on screen stays, greyed, until the
    /// figures asked for replace it.
    #[test]
    fn figures_on_screen_stay_greyed_until_the_new_ones_arrive() {
        let march = Span { from: day("2026-03-01"), to: day("2026-04-01") };
        let february = Span { from: day("2026-02-01"), to: day("2026-03-01") };
        let before = DataStamp::default();
        let after = DataStamp { own_writes: 1, ..before };
        let mut tab = StatsTab::default();
        assert!(matches!(tab.showing((march, before)), Showing::Pending), "nothing yet: stand-ins");
        tab.shown = Some(((march, before), Ok(computed("2026-03"))));
        assert!(matches!(tab.showing((march, before)), Showing::Current(_)));
        for (key, why) in [((march, after), "another desk wrote"), ((february, before), "another month")] {
            let Showing::Stale(shown) = tab.showing(key) else {
                panic!("{why}: the figures left the screen")
            };
            assert_eq!(
                shown.figures.period.from,
                day("2026-03-01"),
                "{why}: March's, until the new ones come"
            );
        }
        tab.shown = Some(((february, before), Err("失败".into())));
        assert!(matches!(tab.showing((february, before)), Showing::Failed("失败")));
        assert!(matches!(tab.showing((march, before)), Showing::Pending));
    }

    /// Where each label of `names` is drawn among `computed`'s figures.
    fn places(computed: &Computed, values: Values, names: &[&str]) -> Vec<Vec<egui::Rect>> {
        let computed = computed.clone();
        let mut harness = egui_kittest::Harness::builder()
            .with_context_setup(crate::ui::install_fonts)
            .with_size(egui::vec2(1280.0, 3000.0))
            .build_ui(move |ui| {
                figures_ui(ui, &computed, values);
            });
        harness.run();
        names.iter().map(|name| harness.query_all_by_label(name).map(|node| node.rect()).collect()).collect()
    }

    /// Issue 23: the 统计 tab filled in from empty as its figures arrived.
    /// The stand-ins drawn meanwhile put the charts, every section down to
    /// the first list whose rows only the figures know, and those lists'
    /// headings where the figures put them.
    #[test]
    fn stand_ins_hold_the_place_of_the_figures_to_come() {
        let t = t();
        let march = Span { from: day("2026-03-01"), to: day("2026-04-01") };
        let mut arrived = computed("2026-03");
        let f = &mut arrived.figures;
        let tally = |key: &str, count| Tally { key: key.into(), count };
        f.requests.total = 1736;
        f.requests.by_register = vec![tally("housekeeping", 964), tally("repair", 640), tally("alarm", 132)];
        f.requests.by_item = (0..12).map(|i| tally(&format!("服务{i}"), i)).collect();
        f.requests.by_desk = vec![tally("cs", 1200), tally("control", 536)];
        f.fees.by_register = ["housekeeping", "repair", "alarm"]
            .iter()
            .map(|k| FeeTally { key: k.to_string(), agreed_fen: 10_000, collected_fen: 9_000 })
            .collect();
        f.fees.by_item =
            vec![FeeTally { key: "日常保洁".into(), agreed_fen: 3_000, collected_fen: 3_000 }];
        f.staff = (1..=9)
            .map(|staff_id| crate::domain::stats::StaffFigures {
                staff_id,
                name: format!("员工{staff_id}"),
                jobs: 40,
                finished: 38,
                cancelled: 1,
                not_home: 1,
                reschedules: 2,
                sla_breached: 0,
                collected_fen: 120_000,
                complaints: 0,
            })
            .collect();
        let fixed = [
            t.st_sec_charts,
            t.st_sec_requests,
            t.st_col_item,
            t.st_sec_completion,
            t.st_sec_sla,
            t.st_sec_follow_up,
            t.st_sec_fees,
            t.st_sec_revisits,
            t.st_sec_complaints,
        ];
        let stand_ins = places(&placeholder(march), Values::Pending, &fixed);
        let figures = places(&arrived, Values::Shown, &fixed);
        for ((name, stand_in), figure) in fixed.iter().zip(&stand_ins).zip(&figures) {
            assert!(!figure.is_empty(), "{name} is drawn");
            assert_eq!(stand_in, figure, "{name} stays where the stand-ins put it");
        }
    }
}
