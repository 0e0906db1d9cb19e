//! The 派单 tab: the desk's board for a day — orders waiting for the next
//! copy round (R-DSP-1/2), repairs to notify now (R-DSP-3), jobs out with
//! their staff, jobs to sign off (R-EX-2) and the day's closed rows — with
//! repair deadlines counting down (R-SLA-1/2), overdue rows flagged, and
//! every step of a job taken from the row (keyboard: ↑/↓ to move, Enter for
//! the row's next step). The follow-up lists (day-end review, repair
//! handover, cash, slips, finance, hazards, reasons) are its other views.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use egui::{Color32, Key, RichText};
use egui_extras::{Column, TableBuilder};
use serde::{Deserialize, Serialize};

use super::followup_views::FollowUpViews;
use super::print_job::{PrintOrder, Printer};
use super::step_form::{StepForm, StepOutcome};
use super::widgets::{
    SaveTurn, Turn, cell_ui, close_saved_in, fitted_widths, headings_ui, nested_central_panel,
    nested_side_panel, table_time,
};
use super::{DataStamp, TabCtx};
use crate::app::{Board, BoardRow};
use crate::domain::{
    Group, Lane, RepairTimes, Request, RequestId, RequestStatus, SlaState, SlaView, SlipRecord, Staff,
    StepKind, StepRecord, parse_date, sla_state,
};
use crate::i18n::{fill, t};

/// Which view of the tab is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DispatchView {
    #[default]
    Board,
    DayReview,
    RepairHandover,
    Cash,
    Slips,
    Finance,
    Breaches,
    Hazards,
    Reasons,
}

impl DispatchView {
    const ALL: [DispatchView; 9] = [
        DispatchView::Board,
        DispatchView::DayReview,
        DispatchView::RepairHandover,
        DispatchView::Cash,
        DispatchView::Slips,
        DispatchView::Finance,
        DispatchView::Breaches,
        DispatchView::Hazards,
        DispatchView::Reasons,
    ];

    fn title(self) -> &'static str {
        let t = t();
        match self {
            DispatchView::Board => t.view_board,
            DispatchView::DayReview => t.view_day_review,
            DispatchView::RepairHandover => t.view_repair_handover,
            DispatchView::Cash => t.view_cash,
            DispatchView::Slips => t.view_slips,
            DispatchView::Finance => t.view_finance,
            DispatchView::Breaches => t.view_breaches,
            DispatchView::Hazards => t.view_hazards,
            DispatchView::Reasons => t.view_reasons,
        }
    }
}

/// Remembered between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DispatchPrefs {
    pub view: DispatchView,
}

/// How often the board is read again although nothing was written, so that
/// rows become overdue and a new day begins without a click.
const BOARD_MAX_AGE: Duration = Duration::from_secs(60);

/// One line of the board table: a lane's heading or a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Heading(Lane, usize),
    Row(usize),
}

/// The board as last read, and what it was read for.
#[derive(Default)]
struct BoardCache {
    key: Option<(crate::domain::Desk, NaiveDate, DataStamp)>,
    loaded: Option<Instant>,
    board: Option<Board>,
    lines: Vec<Line>,
    error: Option<String>,
}

impl BoardCache {
    fn refresh(&mut self, tab: &TabCtx<'_>, day: NaiveDate) {
        let key = Some((tab.user.desk, day, tab.stamp));
        let stale = self.loaded.is_none_or(|at| at.elapsed() >= BOARD_MAX_AGE);
        if self.key == key && !stale {
            return;
        }
        self.key = key;
        self.loaded = Some(Instant::now());
        match tab.desk.board(tab.user.desk, day) {
            Ok(board) => {
                self.lines = lines_of(&board);
                self.board = Some(board);
                self.error = None;
            }
            Err(e) => self.error = Some(t().app_error(&e)),
        }
    }

    fn row(&self, index: usize) -> Option<&BoardRow> {
        self.board.as_ref().and_then(|b| b.rows.get(index))
    }

    fn index_of(&self, id: RequestId) -> Option<usize> {
        self.board.as_ref().and_then(|b| b.rows.iter().position(|r| r.request.id == id))
    }

    /// Row indices in the order the table shows them.
    fn row_order(&self) -> Vec<usize> {
        self.lines.iter().filter_map(|line| if let Line::Row(i) = line { Some(*i) } else { None }).collect()
    }
}

/// Lanes in the order the desk works them, each under its heading.
fn lines_of(board: &Board) -> Vec<Line> {
    let mut lines = Vec::with_capacity(board.rows.len() + Lane::ALL.len());
    for lane in Lane::ALL {
        let rows: Vec<usize> =
            board.rows.iter().enumerate().filter(|(_, r)| r.lane == lane).map(|(i, _)| i).collect();
        if rows.is_empty() {
            continue;
        }
        lines.push(Line::Heading(lane, rows.len()));
        lines.extend(rows.into_iter().map(Line::Row));
    }
    lines
}

/// The selected row's path and slips, read once per selection and change.
struct Detail {
    id: RequestId,
    stamp: DataStamp,
    steps: Vec<StepRecord>,
    slips: Vec<SlipRecord>,
}

#[derive(Default)]
pub struct DispatchTab {
    view: DispatchView,
    day: Option<NaiveDate>,
    day_text: String,
    board: BoardCache,
    staff: Vec<Staff>,
    staff_stamp: Option<DataStamp>,
    selected: Option<RequestId>,
    detail: Option<Detail>,
    form: Option<StepForm>,
    others: FollowUpViews,
    printer: Printer,
    print_order: Option<PrintOrder>,
    /// 打印留言条: the slip issued for this job, a frame after the click.
    slip_turn: SaveTurn<RequestId>,
}

const ROW_HEIGHT: f32 = 24.0;

impl DispatchTab {
    pub fn new(prefs: &DispatchPrefs) -> DispatchTab {
        DispatchTab { view: prefs.view, ..DispatchTab::default() }
    }

    /// Opens one of the follow-up views (from the 待办 list).
    pub fn open_view(&mut self, view: DispatchView) {
        self.view = view;
    }

    /// Closes the form whose save ran in the pass `pass` (its `COMMIT`
    /// went unanswered and proved saved once connected again): whether one
    /// did. The selection and the lists stay.
    pub fn close_form_saved_in(&mut self, pass: u64) -> bool {
        close_saved_in(&mut self.form, pass)
    }

    /// Opens row `id` on the board of `day` (from the 待办 list).
    pub fn open_row(&mut self, id: RequestId, day: Option<NaiveDate>) {
        self.view = DispatchView::Board;
        if let Some(day) = day {
            self.set_day(day);
        }
        self.selected = Some(id);
    }

    pub fn prefs(&self) -> DispatchPrefs {
        DispatchPrefs { view: self.view }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.printer.poll(tab);
        if self.staff_stamp != Some(tab.stamp) {
            self.staff = tab.desk.store().list_staff().unwrap_or_default();
            self.staff_stamp = Some(tab.stamp);
        }
        self.view_picker_ui(ui);
        ui.separator();
        match self.view {
            DispatchView::Board => self.board_ui(ui, tab),
            view => self.others.ui(ui, tab, view, &self.staff, &mut self.print_order),
        }
        if let Some(order) = self.print_order.take() {
            self.printer.print(tab, ui.ctx(), order);
        }
        if self.printer.busy() {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
    }

    fn view_picker_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            for view in DispatchView::ALL {
                ui.selectable_value(&mut self.view, view, RichText::new(view.title()).size(15.0));
            }
        });
    }

    fn board_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let today = tab.desk.now().date();
        // Until the clerk picks a day the board follows the clock across midnight.
        let day = self.day.unwrap_or(today);
        self.board.refresh(tab, day);
        self.toolbar_ui(ui, tab, today);
        if self.form.is_none() {
            self.keys(ui, tab);
        }
        if self.selected.is_some() {
            nested_side_panel(egui::Panel::right("board_detail")).default_size(360.0).resizable(true).show(
                ui,
                |ui| {
                    self.detail_ui(ui, tab);
                },
            );
        }
        nested_central_panel().show(ui, |ui| self.table_ui(ui, tab.desk.now()));
        self.form_ui(ui.ctx(), tab);
    }

    /// The day shown (◀ today ▶ or typed), the rounds and the board's counts.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, today: NaiveDate) {
        let t = t();
        let day = self.day.unwrap_or(today);
        ui.horizontal_wrapped(|ui| {
            if super::widgets::glyph_button(ui, "◀", t.day_before).clicked() {
                self.set_day(day.pred_opt().unwrap_or(day));
            }
            let label = ui.label(t.board_day);
            if self.day.is_none() {
                self.day_text = day.to_string();
            }
            let edit = ui
                .add(egui::TextEdit::singleline(&mut self.day_text).desired_width(96.0))
                .labelled_by(label.id);
            if edit.changed() {
                // A half-typed date keeps the day shown, and stops following today.
                self.day = Some(parse_date(&self.day_text).unwrap_or(day));
            }
            if super::widgets::glyph_button(ui, "▶", t.day_after).clicked() {
                self.set_day(day.succ_opt().unwrap_or(day));
            }
            if ui.button(t.today).clicked() {
                self.day = None;
            }
            self.print_menu_ui(ui, tab.user.desk, day);
            ui.separator();
            if let Some(board) = &self.board.board {
                rounds_ui(ui, board, tab.desk.now());
                ui.separator();
                counts_ui(ui, board, tab.desk.now());
            }
            if let Some(error) = &self.board.error {
                ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
            }
        });
    }

    /// The day's documents in one go: round sheets, service records, slips, registers.
    fn print_menu_ui(&mut self, ui: &mut egui::Ui, desk: crate::domain::Desk, day: NaiveDate) {
        let t = t();
        if self.printer.busy() {
            ui.add_enabled(false, egui::Button::new(t.printing));
            ui.spinner();
            return;
        }
        let rounds = self.board.board.as_ref().map(|b| b.rounds.clone()).unwrap_or_default();
        let mut order = None;
        ui.menu_button(t.print_menu, |ui| {
            for (kind, at) in rounds {
                let label =
                    fill(t.print_round_sheet, &[("kind", &t.kind(kind)), ("at", &at.format("%H:%M"))]);
                if ui.button(label).clicked() {
                    order = Some(PrintOrder::Round(kind, at));
                }
            }
            if ui.button(fill(t.print_day_records, &[("desk", &t.desk(desk))])).clicked() {
                order = Some(PrintOrder::RecordsOfDay(desk, day));
            }
            if ui.button(t.print_day_slips).clicked() {
                order = Some(PrintOrder::SlipsOfDay(day));
            }
            for kind in crate::domain::desk_registers(desk) {
                if ui.button(fill(t.print_day_register, &[("register", &t.register_title(kind))])).clicked() {
                    order = Some(PrintOrder::Register(kind, day));
                }
            }
        });
        if order.is_some() {
            self.print_order = order;
        }
    }

    fn set_day(&mut self, day: NaiveDate) {
        self.day = Some(day);
        self.day_text = day.to_string();
    }

    /// ↑/↓ move through the rows; Enter opens the row's next step.
    fn keys(&mut self, ui: &egui::Ui, tab: &TabCtx<'_>) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (up, down, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, Key::Enter),
            )
        });
        let order = self.board.row_order();
        let at = self
            .selected
            .and_then(|id| self.board.index_of(id))
            .and_then(|i| order.iter().position(|o| *o == i));
        let moved = match (up, down, at) {
            (true, _, Some(p)) => order.get(p.saturating_sub(1)),
            (_, true, Some(p)) => order.get((p + 1).min(order.len().saturating_sub(1))),
            (true, _, None) | (_, true, None) => order.first(),
            _ => None,
        };
        if let Some(row) = moved.and_then(|i| self.board.row(*i)) {
            self.selected = Some(row.request.id);
        }
        if enter
            && let Some(row) =
                self.selected.and_then(|id| self.board.index_of(id)).and_then(|i| self.board.row(i))
        {
            let job = row.request.clone();
            if let Some(kind) = next_step(&job, self.user_group(tab) == Some(Group::Finance)) {
                self.open_form(kind, &job, tab);
            }
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, now: NaiveDateTime) {
        let t = t();
        if self.board.lines.is_empty() {
            ui.label(RichText::new(t.board_empty).weak());
            return;
        }
        let mut clicked = None;
        let selected = self.selected;
        let board = &self.board;
        let titles = [
            t.col_no,
            t.col_room,
            t.col_service,
            t.col_appointment,
            t.col_staff,
            t.col_status,
            t.col_deadline,
        ];
        // Fitted to the texts, so that English service and status words are
        // not cut where Chinese fitted (issue 22); kept per language, as the
        // widths a clerk drags are kept.
        let cells: Vec<[String; 6]> = board
            .lines
            .iter()
            .filter_map(|line| match *line {
                // A lane's heading is drawn in the first column.
                Line::Heading(lane, n) => {
                    let heading = fill(t.lane_heading, &[("lane", &t.lane(lane)), ("n", &n)]);
                    Some([heading, String::new(), String::new(), String::new(), String::new(), String::new()])
                }
                Line::Row(index) => board.row(index).map(|row| board_row_texts(row, now.date())),
            })
            .collect();
        let widths = fitted_widths(ui, &titles[..6], cells.iter().map(|c| c.as_slice()));
        // An appointment of another year reads with its year (issue 23): its
        // column is never narrower than that, whichever day's board first
        // set the width kept for it.
        let with_year = fitted_widths(ui, &["2026-12-31 23:59"], std::iter::empty())[0];
        let mut table = TableBuilder::new(ui)
            .id_salt(("board_table", crate::i18n::language()))
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click());
        for (width, least) in widths.iter().zip([90.0, 80.0, 80.0, with_year, 60.0, 60.0]) {
            table = table.column(Column::initial(width.max(least)).at_least(least));
        }
        table
            .column(Column::remainder().at_least(120.0))
            .header(ROW_HEIGHT, |header| headings_ui(header, &titles))
            .body(|body| {
                body.rows(ROW_HEIGHT, board.lines.len(), |mut table_row| {
                    let line = board.lines[table_row.index()];
                    match line {
                        Line::Heading(lane, count) => {
                            table_row.col(|ui| {
                                cell_ui(
                                    ui,
                                    RichText::new(fill(
                                        t.lane_heading,
                                        &[("lane", &t.lane(lane)), ("n", &count)],
                                    ))
                                    .strong(),
                                );
                            });
                            for _ in 0..6 {
                                table_row.col(|_| {});
                            }
                        }
                        Line::Row(index) => {
                            let Some(row) = board.row(index) else { return };
                            table_row.set_selected(selected == Some(row.request.id));
                            board_row_ui(&mut table_row, row, now);
                            if table_row.response().clicked() {
                                clicked = Some(row.request.id);
                            }
                        }
                    }
                });
            });
        if clicked.is_some() {
            self.selected = clicked;
        }
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let Some(row) =
            self.selected.and_then(|id| self.board.index_of(id)).and_then(|i| self.board.row(i)).cloned()
        else {
            ui.label(RichText::new(t.board_row_gone).weak());
            return;
        };
        let job = &row.request;
        self.load_detail(tab, job.id);
        ui.horizontal(|ui| {
            ui.heading(job.no.to_string());
            if super::widgets::close_button(ui, t.close).clicked() {
                self.selected = None;
            }
        });
        // The step buttons come first, at a place no message above them can
        // move (issue 19: an "overdue" line appearing pushed 到达 down and
        // the click landed on 退回).
        self.actions_ui(ui, tab, job);
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| {
            job_summary_ui(ui, &row, tab.desk.now());
            ui.separator();
            if let Some(detail) = &self.detail {
                let today = tab.desk.now().date();
                path_ui(ui, &detail.steps, today);
                slips_ui(ui, &detail.slips, today);
            }
        });
    }

    fn load_detail(&mut self, tab: &TabCtx<'_>, id: RequestId) {
        if self.detail.as_ref().is_some_and(|d| d.id == id && d.stamp == tab.stamp) {
            return;
        }
        self.detail = Some(Detail {
            id,
            stamp: tab.stamp,
            steps: tab.desk.store().job_steps(id).unwrap_or_default(),
            slips: tab.desk.slips_for(id).unwrap_or_default(),
        });
    }

    /// One button per step the row allows now; the next step stands out.
    fn actions_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, job: &Request) {
        let t = t();
        let finance = self.user_group(tab) == Some(Group::Finance);
        let offered: Vec<StepKind> = StepKind::offered(job)
            .into_iter()
            .filter(|kind| *kind != StepKind::Settle || finance)
            .filter(|kind| *kind != StepKind::SpotCheck || tab.user.desk == crate::domain::Desk::CsCenter)
            .collect();
        let next = next_step(job, finance);
        ui.horizontal_wrapped(|ui| {
            for kind in offered {
                let text = RichText::new(t.step_button(kind));
                let text = if Some(kind) == next { text.strong() } else { text };
                if ui.button(text).clicked() {
                    self.open_form(kind, job, tab);
                }
            }
        });
        // Its outcome is said in the status bar; a slip proved issued after
        // all is in the detail's list below, printed from the board's 打印….
        match self.slip_turn.take(ui) {
            Turn::Save(id) => match tab.desk.issue_slip_for_job(tab.user, id) {
                Ok(slip) => {
                    tab.after_write(fill(t.slip_issued, &[("no", &slip.no)]));
                    self.print_order = Some(PrintOrder::Slips(vec![slip.no]));
                }
                Err(e) => *tab.status = Some(t.app_error(&e)),
            },
            // Issued, never printed: the status bar says where to print it.
            Turn::SavedAfterAll(_) => *tab.status = Some(t.slips_issued_not_printed.to_string()),
            Turn::Idle => {}
        }
        if self.slip_turn.take_dropped() {
            *tab.status = Some(t.form_save_dropped.to_string());
        }
        ui.horizontal_wrapped(|ui| {
            if job.status == RequestStatus::Dispatched && ui.button(t.print_slip_button).clicked() {
                self.slip_turn.ask(ui, job.id);
            }
            if ui.button(t.print_record_button).clicked() {
                self.print_order = Some(PrintOrder::Records(vec![job.id], job.no.to_string()));
            }
            self.slip_turn.beside_ui(ui, &job.id);
        });
    }

    fn user_group(&self, tab: &TabCtx<'_>) -> Option<Group> {
        self.staff.iter().find(|s| s.id == tab.user.staff_id).map(|s| s.group)
    }

    fn open_form(&mut self, kind: StepKind, job: &Request, tab: &TabCtx<'_>) {
        // R-FU-3: offer the job's slip only while it has not been posted.
        let latest_slip = tab
            .desk
            .slips_for(job.id)
            .unwrap_or_default()
            .into_iter()
            .rfind(|s| s.posted_at.is_none())
            .filter(|_| kind == StepKind::NotHome)
            .map(|s| s.no.to_string());
        self.form = Some(StepForm::new(kind, job, tab.desk.now(), latest_slip));
    }

    fn form_ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        let Some(form) = &mut self.form else { return };
        match form.ui(ctx, tab, &self.staff) {
            StepOutcome::Open => {}
            StepOutcome::Cancelled => self.form = None,
            StepOutcome::Saved(row) => {
                let t = t();
                let kind = form.kind;
                self.form = None;
                tab.after_write(fill(
                    t.step_saved,
                    &[("step", &t.step_kind(kind)), ("no", &row.no), ("status", &t.status(row.status))],
                ));
            }
        }
    }
}

/// The step the desk most often takes next on a row (Enter); settling is
/// finance's (R-FEE-3), so others get no next step on a signed-off row.
fn next_step(job: &Request, finance: bool) -> Option<StepKind> {
    match job.status {
        RequestStatus::Registered | RequestStatus::NotHome => Some(StepKind::Dispatch),
        RequestStatus::Dispatched => Some(StepKind::Done),
        RequestStatus::Done => Some(if job.collected.is_none() && job.price.is_some_and(|p| !p.is_zero()) {
            StepKind::Collect
        } else {
            StepKind::SignOff
        }),
        RequestStatus::SignedOff if finance => Some(StepKind::Settle),
        _ => None,
    }
}

/// The texts of a board row's first six cells, as [`board_row_ui`] draws them
/// (an appointment of another year with its year, issue 23).
fn board_row_texts(row: &BoardRow, today: NaiveDate) -> [String; 6] {
    let t = t();
    let job = &row.request;
    [
        job.no.to_string(),
        job.room.clone(),
        service_text(job),
        table_time(job.appointment, today),
        job.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
        t.status(job.status).to_string(),
    ]
}

/// R-DSP-4: agreement work is marked as such.
fn service_text(job: &Request) -> String {
    match job.agreement {
        Some(_) => format!("〔{}〕{}", t().agreement_badge, job.service),
        None => job.service.clone(),
    }
}

fn board_row_ui(table_row: &mut egui_extras::TableRow<'_, '_>, row: &BoardRow, now: NaiveDateTime) {
    let t = t();
    let job = &row.request;
    let warn = |ui: &egui::Ui, text: String| {
        if row.overdue { RichText::new(text).color(ui.visuals().warn_fg_color) } else { RichText::new(text) }
    };
    table_row.col(|ui| {
        cell_ui(ui, job.no.to_string());
    });
    table_row.col(|ui| {
        cell_ui(ui, &job.room);
    });
    table_row.col(|ui| {
        cell_ui(ui, service_text(job));
    });
    table_row.col(|ui| {
        let text = warn(ui, table_time(job.appointment, now.date()));
        let cell = cell_ui(ui, text);
        if row.overdue {
            cell.on_hover_text(t.overdue);
        }
    });
    table_row.col(|ui| {
        cell_ui(ui, job.assigned_staff.as_ref().map(|(_, n)| n.as_str()).unwrap_or(""));
    });
    table_row.col(|ui| {
        cell_ui(ui, t.status(job.status));
    });
    table_row.col(|ui| {
        let (text, color) = deadline_text(row, now, ui.visuals());
        let text = if row.overdue && row.sla.is_none() { t.overdue.to_string() } else { text };
        cell_ui(ui, RichText::new(text).color(color));
    });
}

/// A repair row's promise and where it stands this second (the board was
/// read up to a minute ago; the countdown must not wait for it).
pub(super) fn live_sla(row: &BoardRow, now: NaiveDateTime) -> Option<(SlaView, SlaState)> {
    let sla = row.sla?;
    let times = RepairTimes {
        arrived_at: row.request.arrived_at,
        finished_at: row.request.finished_at,
        ..RepairTimes::default()
    };
    Some((sla, sla_state(sla.commitment, sla.due, sla.commitment.met_at(&times), now)))
}

/// A repair row's promise as the clerk reads it, live: time left, or how late.
fn deadline_text(row: &BoardRow, now: NaiveDateTime, visuals: &egui::Visuals) -> (String, Color32) {
    let t = t();
    let Some((sla, state)) = live_sla(row, now) else {
        let color = if row.overdue { visuals.warn_fg_color } else { visuals.text_color() };
        return (String::new(), color);
    };
    let promise = t.commitment(sla.commitment);
    match state {
        SlaState::Met => (fill(t.sla_met, &[("promise", &promise)]), visuals.weak_text_color()),
        SlaState::MetLate { over } => {
            (fill(t.sla_met_late, &[("over", &span(over))]), visuals.error_fg_color)
        }
        SlaState::Running { left } => {
            (fill(t.sla_left, &[("promise", &promise), ("left", &span(left))]), visuals.text_color())
        }
        SlaState::DueSoon { left } => (fill(t.sla_due_soon, &[("left", &span(left))]), visuals.warn_fg_color),
        SlaState::Breached { over } => {
            (fill(t.sla_breached, &[("over", &span(over))]), visuals.error_fg_color)
        }
    }
}

/// `2天3小时`, `5小时12分`, `8分`: enough to act on, no seconds.
pub(super) fn span(d: chrono::Duration) -> String {
    let t = t();
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    if days > 0 {
        fill(t.span_days, &[("d", &days), ("h", &hours)])
    } else if hours > 0 {
        fill(t.span_hours, &[("h", &hours), ("m", &mins)])
    } else {
        fill(t.span_minutes, &[("m", &mins)])
    }
}

/// Each round of the day: done, or how many orders wait for it (R-DSP-1/2).
fn rounds_ui(ui: &mut egui::Ui, board: &Board, now: NaiveDateTime) {
    let t = t();
    let waiting = |kind| board.lane(Lane::ToCopy).filter(|r| r.request.no.kind == kind).count();
    for (kind, at) in &board.rounds {
        let text = fill(t.round_label, &[("kind", &t.kind(*kind)), ("at", &at.format("%H:%M"))]);
        let text = if *at < now {
            RichText::new(format!("{text} {}", t.round_past)).weak()
        } else {
            RichText::new(fill(t.round_waiting, &[("round", &text), ("n", &waiting(*kind))]))
        };
        // Each round whole: at 150 % the next one starts a line rather than splitting.
        ui.add(egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend));
    }
}

/// How many rows wait, are overdue, or are at or past their promise.
fn counts_ui(ui: &mut egui::Ui, board: &Board, now: NaiveDateTime) {
    let t = t();
    let overdue = board.rows.iter().filter(|r| r.overdue).count();
    let (soon, breached) = board.rows.iter().filter_map(|r| live_sla(r, now)).fold(
        (0, 0),
        |(soon, late), (_, state)| match state {
            SlaState::DueSoon { .. } => (soon + 1, late),
            SlaState::Breached { .. } => (soon, late + 1),
            _ => (soon, late),
        },
    );
    ui.label(fill(t.board_counts, &[("n", &board.rows.len()), ("overdue", &overdue)]));
    if soon > 0 {
        ui.label(RichText::new(fill(t.board_due_soon, &[("n", &soon)])).color(ui.visuals().warn_fg_color));
    }
    if breached > 0 {
        ui.label(
            RichText::new(fill(t.board_breached, &[("n", &breached)])).color(ui.visuals().error_fg_color),
        );
    }
}

/// The row's facts the desk needs before taking a step.
fn job_summary_ui(ui: &mut egui::Ui, row: &BoardRow, now: NaiveDateTime) {
    let t = t();
    let job = &row.request;
    let time =
        |at: Option<NaiveDateTime>| at.map(|a| a.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    let mut facts: Vec<(&str, String)> = vec![
        (t.col_room, job.room.clone()),
        (t.col_resident, job.resident_name.clone()),
        (t.col_phone, job.phone.clone()),
        (t.col_service, job.service.clone()),
        (t.col_details, job.details.clone()),
        (t.col_appointment, time(Some(job.appointment))),
        (t.col_price, job.price.map(|p| p.to_string()).unwrap_or_default()),
        (t.col_status, t.status(job.status).to_string()),
        (t.col_staff, job.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default()),
    ];
    if let Some(urgency) = job.urgency {
        facts.push((t.col_urgency, t.urgency(urgency).to_string()));
    }
    if row.sla.is_some() {
        facts.push((t.col_deadline, row.sla.map(|s| time(Some(s.due))).unwrap_or_default()));
        facts.push((t.col_arrived, time(job.arrived_at)));
    }
    if let Some((amount, by)) = &job.collected {
        facts.push((t.col_collected, format!("{amount} {by}")));
    }
    egui::Grid::new("board_detail_grid").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
        for (label, value) in facts {
            ui.label(RichText::new(label).weak());
            ui.label(value);
            ui.end_row();
        }
    });
    // Both lines keep their place, shown or not: the path below stays put.
    let (text, color) = deadline_text(row, now, ui.visuals());
    ui.label(RichText::new(text).color(color).strong());
    let overdue = if row.overdue { t.overdue } else { "" };
    ui.label(RichText::new(overdue).color(ui.visuals().warn_fg_color));
}

/// Every hand-off and step of the job, oldest first (R-FU-6).
fn path_ui(ui: &mut egui::Ui, steps: &[StepRecord], today: NaiveDate) {
    let t = t();
    ui.strong(t.job_path);
    if steps.is_empty() {
        ui.label(RichText::new(t.job_path_empty).weak());
    }
    for step in steps {
        let mut line = format!("{} {} · {}", table_time(step.at, today), step.by, t.step_kind(step.kind));
        if let Some(staff) = &step.staff {
            line.push_str(&format!(" → {staff}"));
        }
        if let Some(reason) = step.reason.as_deref().filter(|r| !r.is_empty()) {
            line.push_str(&format!("（{reason}）"));
        }
        ui.label(line);
    }
}

/// The job's message slips and whether each stub came back (R-FU-3).
fn slips_ui(ui: &mut egui::Ui, slips: &[SlipRecord], today: NaiveDate) {
    let t = t();
    if slips.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.strong(t.job_slips);
    for slip in slips {
        let stub = match &slip.stub_returned {
            Some((at, by)) => fill(t.stub_back, &[("at", &table_time(*at, today)), ("by", by)]),
            None => t.stub_out.to_string(),
        };
        ui.label(format!("{} · {stub}", slip.no));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_in_days_hours_or_minutes() {
        assert_eq!(span(chrono::Duration::minutes(8)), "8分");
        assert_eq!(span(chrono::Duration::minutes(312)), "5小时12分");
        assert_eq!(span(chrono::Duration::hours(51)), "2天3小时");
    }
}
