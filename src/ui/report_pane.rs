//! The month's 居家服务情况统计分析报告 in the 统计 tab (R-RV-4): generate
//! the draft (its figures frozen), write the analysis and suggestions, submit
//! it, and — for the department manager — approve it or send it back with a
//! comment; print it at any state (a month without a report prints a
//! preview marked 草稿).
//!
//! Generating and taking the figures again read a year of rows: they run on
//! a worker thread through [`HomeDesk::worker`]. The other steps are single
//! quick writes. Who may do what is decided in `domain::report`; a refusal
//! is shown next to the buttons in the clerk's words.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use egui::RichText;

use super::print_job::Printer;
use super::widgets::{SaveTurn, Turn};
use super::{DataStamp, TabCtx};
use crate::app::HomeDesk;
use crate::domain::{MonthlyReport, Rank, ReportStatus, User};
use crate::i18n::figures::{minutes, money, percent};
use crate::i18n::{Texts, fill, t};

/// A step that cannot be undone or replaces data, waiting for "确定".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirm {
    Approve,
    Refresh,
}

/// The quick writes of a report, run a frame after their click ([`SaveTurn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    Save,
    Submit,
    SendBack,
    Approve,
}

/// A quick write asked for, the month it is for, and the comment (an
/// approval's opinion, or the reason sent back) it sends: proved saved after
/// all, it clears that month's comment only, and only if not typed on since.
type Asked = (Write, String, String);

/// Generating or refreshing under way on the worker thread.
type Job = Receiver<Result<(MonthlyReport, &'static str), String>>;

#[derive(Default)]
pub struct ReportPane {
    /// The month and data the shown report was read for.
    loaded: Option<(String, DataStamp)>,
    report: Option<MonthlyReport>,
    /// Every month with a report and its state, newest first.
    months: Vec<(String, ReportStatus)>,
    analysis: String,
    suggestions: String,
    /// The manager's 审批意见 being typed, per month: picking another month
    /// neither loses it nor carries it over to that month's decision.
    comments: HashMap<String, String>,
    /// The last outcome of a step: its message, or why it was refused.
    message: Option<Result<String, String>>,
    job: Option<Job>,
    confirm: Option<Confirm>,
    printer: Printer,
    turn: SaveTurn<Asked>,
}

impl ReportPane {
    /// Draws the report of `month`; another month the clerk picked from
    /// the list of reports, if any.
    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, month: &str) -> Option<String> {
        self.printer.poll(tab);
        self.poll(tab);
        self.load_if_stale(tab, month);
        let t = t();
        let mut picked = None;
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            if !self.months.is_empty() {
                picked = months_ui(ui, &self.months, month);
            }
            ui.heading(fill(t.rp_title, &[("month", &month)]));
            match self.report.clone() {
                None => self.no_report_ui(ui, tab, month),
                Some(report) => self.report_ui(ui, tab, &report),
            }
            self.turn.line_ui(ui, &self.message);
        });
        picked
    }

    /// Reads the month's report when the month or the data changed; text
    /// being typed survives another desk's write to something else.
    fn load_if_stale(&mut self, tab: &mut TabCtx<'_>, month: &str) {
        let key = (month.to_string(), tab.stamp);
        if self.loaded.as_ref() == Some(&key) {
            return;
        }
        let same_month = self.loaded.as_ref().is_some_and(|(m, _)| m == month);
        let keep_text = same_month && self.is_dirty();
        let read = tab.desk.monthly_report(month).and_then(|r| Ok((r, tab.desk.report_months()?)));
        match read {
            Ok((report, months)) => {
                self.show(report, keep_text);
                self.months = months;
            }
            Err(e) => self.message = Some(Err(t().app_error(&e))),
        }
        if !same_month {
            (self.message, self.confirm) = (None, None);
            self.turn.said();
        }
        self.loaded = Some(key);
    }

    fn show(&mut self, report: Option<MonthlyReport>, keep_text: bool) {
        if !keep_text {
            self.analysis = report.as_ref().map(|r| r.analysis.clone()).unwrap_or_default();
            self.suggestions = report.as_ref().map(|r| r.suggestions.clone()).unwrap_or_default();
        }
        self.report = report;
    }

    fn is_dirty(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.analysis != self.analysis || r.suggestions != self.suggestions)
    }

    /// The 审批意见 typed for `report`'s month.
    fn comment(&self, report: &MonthlyReport) -> String {
        self.comments.get(&report.month).cloned().unwrap_or_default()
    }

    fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn poll(&mut self, tab: &mut TabCtx<'_>) {
        let Some(job) = &self.job else { return };
        let outcome = match job.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(t().st_failed.to_string()),
        };
        self.job = None;
        match outcome {
            Ok((report, said)) => {
                self.show(Some(report), false);
                self.message = Some(Ok(said.to_string()));
                tab.after_write(said.to_string());
            }
            Err(message) => self.message = Some(Err(message)),
        }
    }

    fn no_report_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, month: &str) {
        let t = t();
        ui.label(fill(t.rp_none, &[("month", &month)]));
        ui.horizontal(|ui| {
            let generate = ui.add_enabled(!self.busy(), egui::Button::new(t.rp_generate));
            if generate.clicked() {
                self.start(tab, month, ui.ctx(), Generate);
            }
            self.print_button_ui(ui, tab, month);
            self.working_ui(ui);
        });
    }

    fn report_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, report: &MonthlyReport) {
        let t = t();
        match self.turn.take(ui) {
            Turn::Save(asked) => self.act(tab, report, asked),
            // Kept in the report now (an approval's opinion or the reason sent back).
            Turn::SavedAfterAll((_, month, comment)) => {
                if self.comments.get(&month) == Some(&comment) {
                    self.comments.remove(&month);
                }
            }
            Turn::Idle => {}
        }
        status_ui(ui, report, t);
        ui.add_space(6.0);
        summary_ui(ui, report, t);
        ui.add_space(6.0);
        let editable = report.status.is_editable();
        text_box_ui(ui, t.rp_analysis, &mut self.analysis, editable, 8);
        text_box_ui(ui, t.rp_suggestions, &mut self.suggestions, editable, 5);
        // R-RV-4: the department manager decides; the others see it waiting.
        let decides = tab.user.rank == Rank::Manager;
        if report.status == ReportStatus::Submitted && decides {
            let comment = self.comments.entry(report.month.clone()).or_default();
            text_box_ui(ui, t.rp_comment, comment, true, 2);
            ui.label(RichText::new(t.rp_comment_hint).weak().small());
        } else if report.status == ReportStatus::Submitted {
            ui.label(RichText::new(t.err_rp_awaiting).weak());
        }
        ui.horizontal(|ui| {
            self.buttons_ui(ui, tab, report);
            self.print_button_ui(ui, tab, &report.month);
            self.working_ui(ui);
        });
        self.confirm_ui(ui, tab, report);
    }

    fn buttons_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, report: &MonthlyReport) {
        let t = t();
        let idle = !self.busy() && self.confirm.is_none();
        match report.status {
            ReportStatus::Draft | ReportStatus::Returned => {
                if ui.add_enabled(idle, egui::Button::new(t.rp_save)).clicked() {
                    self.ask(ui, report, Write::Save);
                }
                if ui.add_enabled(idle, egui::Button::new(t.rp_submit)).clicked() {
                    self.ask(ui, report, Write::Submit);
                }
                if ui.add_enabled(idle, egui::Button::new(t.rp_refresh)).clicked() {
                    self.confirm = Some(Confirm::Refresh);
                }
            }
            ReportStatus::Submitted if tab.user.rank == Rank::Manager => {
                if ui.add_enabled(idle, egui::Button::new(t.rp_approve)).clicked() {
                    self.confirm = Some(Confirm::Approve);
                }
                if ui.add_enabled(idle, egui::Button::new(t.rp_send_back)).clicked() {
                    self.ask(ui, report, Write::SendBack);
                }
            }
            ReportStatus::Submitted | ReportStatus::Approved => {}
        }
    }

    /// Asks before a step that cannot be undone (approval locks the report)
    /// or replaces the frozen figures.
    fn confirm_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, report: &MonthlyReport) {
        let Some(confirm) = self.confirm else { return };
        let t = t();
        let question = match confirm {
            Confirm::Approve => fill(t.rp_confirm_approve, &[("month", &report.month)]),
            Confirm::Refresh => t.rp_confirm_refresh.to_string(),
        };
        ui.horizontal(|ui| {
            ui.label(RichText::new(question).strong());
            if ui.button(t.rp_confirm).clicked() {
                self.confirm = None;
                match confirm {
                    Confirm::Approve => self.ask(ui, report, Write::Approve),
                    Confirm::Refresh => self.start(tab, &report.month, ui.ctx(), Refresh),
                }
            }
            if ui.button(t.cancel).clicked() {
                self.confirm = None;
            }
        });
    }

    fn ask(&mut self, ui: &egui::Ui, report: &MonthlyReport, write: Write) {
        let asked = (write, report.month.clone(), self.comment(report));
        self.turn.ask(ui, asked);
    }

    /// One of the report's quick writes, asked for in the frame before; not
    /// made if another month is on screen now.
    fn act(&mut self, tab: &mut TabCtx<'_>, report: &MonthlyReport, (write, month, comment): Asked) {
        let t = t();
        if month != report.month {
            self.message = Some(Err(t.form_save_dropped.to_string()));
            return;
        }
        let month = &report.month;
        let (outcome, said) = match write {
            Write::Save => {
                (tab.desk.save_report_text(tab.user, month, &self.analysis, &self.suggestions), t.rp_saved)
            }
            Write::Submit => (
                tab.desk.submit_report(tab.user, month, &self.analysis, &self.suggestions),
                t.rp_submitted_ok,
            ),
            Write::SendBack => (tab.desk.send_back_report(tab.user, month, &comment), t.rp_sent_back_ok),
            // The opinion typed beside 批准 goes with it (R-RV-4).
            Write::Approve => (tab.desk.approve_report(tab.user, month, &comment), t.rp_approved_ok),
        };
        self.after_step(tab, outcome, said);
    }

    fn after_step(&mut self, tab: &mut TabCtx<'_>, outcome: crate::app::Result<MonthlyReport>, said: &str) {
        match outcome {
            Ok(report) => {
                // Kept in the report now (an approval's opinion or the reason sent back).
                self.comments.remove(&report.month);
                self.show(Some(report), false);
                self.message = Some(Ok(said.to_string()));
                tab.after_write(said.to_string());
            }
            Err(e) => self.message = Some(Err(t().app_error(&e))),
        }
    }

    /// Generates or refreshes on a worker thread: both read a year of rows.
    fn start(&mut self, tab: &mut TabCtx<'_>, month: &str, ctx: &egui::Context, step: impl Step) {
        let worker = match tab.desk.worker() {
            Ok(worker) => worker,
            Err(e) => {
                self.message = Some(Err(t().app_error(&e)));
                return;
            }
        };
        let (tx, done) = mpsc::channel();
        let (user, month, ctx) = (tab.user.clone(), month.to_string(), ctx.clone());
        crate::i18n::spawn(move || {
            let mut worker = worker;
            let outcome = step.run(&mut worker, &user, &month).map_err(|e| t().app_error(&e));
            let _ = tx.send(outcome);
            ctx.request_repaint();
        });
        self.message = None;
        self.job = Some(done);
    }

    fn print_button_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, month: &str) {
        let t = t();
        if ui.add_enabled(!self.printer.busy(), egui::Button::new(t.rp_print)).clicked() {
            let name = format!("{}-{month}", t.file_report);
            let month = month.to_string();
            self.printer.start(tab, ui.ctx(), &name, move |reader| reader.print_monthly_report(&month));
        }
    }

    fn working_ui(&self, ui: &mut egui::Ui) {
        if self.busy() || self.printer.busy() {
            ui.spinner();
            ui.label(t().rp_working);
        }
    }
}

/// A slow step run on the worker's handle.
trait Step: Send + 'static {
    fn run(
        &self,
        desk: &mut HomeDesk,
        user: &User,
        month: &str,
    ) -> crate::app::Result<(MonthlyReport, &'static str)>;
}

struct Generate;
struct Refresh;

impl Step for Generate {
    fn run(
        &self,
        desk: &mut HomeDesk,
        user: &User,
        month: &str,
    ) -> crate::app::Result<(MonthlyReport, &'static str)> {
        Ok((desk.generate_report(user, month)?, t().rp_generated_ok))
    }
}

impl Step for Refresh {
    fn run(
        &self,
        desk: &mut HomeDesk,
        user: &User,
        month: &str,
    ) -> crate::app::Result<(MonthlyReport, &'static str)> {
        Ok((desk.refresh_report(user, month)?, t().rp_refreshed_ok))
    }
}

/// The report's state and who did what when.
fn status_ui(ui: &mut egui::Ui, r: &MonthlyReport, t: &Texts) {
    let at = |at: chrono::NaiveDateTime| at.format("%Y-%m-%d %H:%M").to_string();
    let status = RichText::new(fill(t.rp_status_line, &[("status", &t.report_status(r.status))])).strong();
    ui.horizontal_wrapped(|ui| {
        ui.label(status);
        ui.separator();
        ui.label(fill(t.rp_prepared, &[("name", &r.prepared_by), ("at", &at(r.prepared_at))]));
        ui.separator();
        ui.label(fill(t.rp_generated, &[("at", &at(r.generated_at))]));
        if let Some(submitted) = r.submitted_at {
            ui.separator();
            ui.label(fill(t.rp_submitted_at, &[("at", &at(submitted))]));
        }
        if let (Some(by), Some(on)) = (&r.decided_by, r.decided_at) {
            ui.separator();
            ui.label(fill(t.rp_decided, &[("name", by), ("at", &at(on))]));
        }
    });
    match r.status {
        _ if r.comment.is_empty() => {}
        ReportStatus::Approved => {
            ui.label(fill(t.rp_approved_comment, &[("comment", &r.comment)]));
        }
        _ => {
            let said = fill(t.rp_returned_comment, &[("comment", &r.comment)]);
            ui.label(RichText::new(said).color(ui.visuals().warn_fg_color));
        }
    }
}

/// The frozen figures the report stands on, at a glance.
fn summary_ui(ui: &mut egui::Ui, r: &MonthlyReport, t: &Texts) {
    let f = &r.content.figures;
    let satisfied = r.content.trend.iter().find(|m| m.month == r.month).and_then(|m| m.satisfied_per_mille);
    let pairs = [
        (t.rp_sum_requests, f.requests.total.to_string()),
        (t.rp_sum_finished, f.completion.finished.to_string()),
        (t.rp_sum_median, minutes(f.completion.median_minutes, t)),
        (t.rp_sum_sla, percent(f.sla.met_per_mille, t)),
        (t.rp_sum_fees, money(f.fees.collected_fen)),
        (t.rp_sum_coverage, percent(f.revisits.coverage_per_mille, t)),
        (t.rp_sum_satisfied, percent(satisfied, t)),
        (t.rp_sum_complaints, f.complaints.total.to_string()),
    ];
    ui.label(RichText::new(t.rp_summary).strong());
    egui::Grid::new("rp_summary").num_columns(pairs.len()).spacing([18.0, 4.0]).striped(true).show(
        ui,
        |ui| {
            for (name, _) in &pairs {
                ui.label(RichText::new(*name).weak());
            }
            ui.end_row();
            for (_, value) in &pairs {
                ui.label(RichText::new(value).strong());
            }
            ui.end_row();
        },
    );
}

/// The months that have a report, newest first, each a link to it; the
/// month clicked, if any.
fn months_ui(ui: &mut egui::Ui, months: &[(String, ReportStatus)], shown: &str) -> Option<String> {
    let t = t();
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t.rp_months).weak());
        for (month, status) in months {
            let text = format!("{month} {}", t.report_status(*status));
            if month == shown {
                ui.label(RichText::new(text).strong());
            } else if ui.link(text).clicked() {
                picked = Some(month.clone());
            }
        }
    });
    picked
}

/// A labelled text box, read-only once the report left the clerk's hands.
fn text_box_ui(ui: &mut egui::Ui, label: &str, text: &mut String, editable: bool, rows: usize) {
    let label = ui.label(RichText::new(label).strong());
    let edit =
        egui::TextEdit::multiline(text).desired_rows(rows).desired_width(f32::INFINITY).interactive(editable);
    ui.add(edit).labelled_by(label.id);
}
