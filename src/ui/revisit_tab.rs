//! The 回访 tab: the month's revisit plan (R-RV-1, R-RV-2) with its progress
//! and a filter by reason, quick entry of a revisit beside the list (the
//! next household to call is selected after each save), the complaints
//! (R-RV-2D) and the quarter's quality check (R-RV-5); the call list and the
//! record printed.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::export_job::{ExportOrder, Exporter};
use super::print_job::{PrintOrder, Printer};
use super::widgets::{
    SaveTurn, Turn, cell_ui, choice_combo, full_phones_ui, headings_ui, list_phone, nested_central_panel,
    nested_side_panel, table_day, table_time,
};
use super::{DataStamp, TabCtx};
use crate::domain::{
    Complaint, ComplaintDraft, Opinion, PlanKind, PlanRow, RatingsDraft, RevisitDraft, RevisitMethod,
    RevisitPlan, RevisitReason, RevisitRecord, Severity, last_month,
};
use crate::i18n::{fill, t};

const ROW_HEIGHT: f32 = 24.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Month,
    Complaints,
    Quarter,
}

/// The answer being typed for the selected household.
#[derive(Clone, PartialEq)]
struct Entry {
    method: RevisitMethod,
    reached: bool,
    /// R-RV-3: what the resident answered; nothing is picked for them.
    ratings: RatingsDraft,
    comments: String,
    needs: String,
    attempts: String,
    complaint: String,
    severity: Severity,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            method: RevisitMethod::Phone,
            reached: true,
            ratings: RatingsDraft::default(),
            comments: String::new(),
            needs: String::new(),
            attempts: String::new(),
            complaint: String::new(),
            severity: Severity::Minor,
        }
    }
}

impl Entry {
    /// The answer as filled in; `domain` refuses it while a question is unanswered.
    fn draft(&self) -> RevisitDraft {
        let complaint = (!self.complaint.trim().is_empty())
            .then(|| ComplaintDraft { what: self.complaint.clone(), severity: self.severity });
        RevisitDraft {
            method: self.method,
            ratings: self.reached.then_some(self.ratings),
            comments: self.comments.clone(),
            needs: self.needs.clone(),
            attempts: self.attempts.clone(),
            complaint,
        }
    }
}

/// The tab's saves beside the quick entry's, which share its message line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanSave {
    Draw(PlanKind),
    Redraw,
    /// Closes complaint `id`.
    Close(i64),
}

#[derive(Default)]
pub struct RevisitTab {
    view: View,
    month: String,
    quarter: String,
    reason: Option<RevisitReason>,
    plan: Option<RevisitPlan>,
    plan_key: Option<(String, PlanKind, DataStamp)>,
    complaints: Vec<Complaint>,
    complaints_stamp: Option<DataStamp>,
    selected: Option<i64>,
    /// A supervisor's 显示完整电话; the list masks phones otherwise.
    full_phones: bool,
    entry: Entry,
    /// Answers typed for households the clerk moved away from before
    /// saving: kept until that household is picked again (nothing typed is
    /// dropped by a click on another row).
    drafts: HashMap<i64, Entry>,
    entry_error: Option<String>,
    /// The quick entry's save, of the household of this id.
    entry_turn: SaveTurn<i64>,
    redraw_reason: String,
    /// 处理结果 typed per complaint: a click on another complaint does not
    /// carry the words over to it, nor lose them.
    handling: HashMap<i64, String>,
    selected_complaint: Option<i64>,
    message: Option<Result<String, String>>,
    plan_turn: SaveTurn<PlanSave>,
    printer: Printer,
    print_order: Option<PrintOrder>,
    exporter: Exporter,
    export_order: Option<ExportOrder>,
}

/// The quarter before `today`'s, as `YYYY-Qn`.
fn last_quarter(today: NaiveDate) -> String {
    let back = today.checked_sub_months(Months::new(3)).unwrap_or(today);
    format!("{}-Q{}", back.year(), back.month0() / 3 + 1)
}

impl RevisitTab {
    /// Opens complaint `id` (from the 待办 list).
    pub fn open_complaint(&mut self, id: i64) {
        self.view = View::Complaints;
        self.selected_complaint = Some(id);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.printer.poll(tab);
        self.exporter.poll(tab);
        let today = tab.desk.now().date();
        if self.month.is_empty() {
            self.month = last_month(today);
            self.quarter = last_quarter(today);
        }
        ui.horizontal_wrapped(|ui| {
            for (view, title) in [
                (View::Month, t().rv_view_month),
                (View::Complaints, t().rv_view_complaints),
                (View::Quarter, t().rv_view_quarter),
            ] {
                ui.selectable_value(&mut self.view, view, RichText::new(title).size(15.0));
            }
        });
        ui.separator();
        match self.view {
            View::Month => self.plan_ui(ui, tab, PlanKind::Monthly),
            View::Quarter => self.plan_ui(ui, tab, PlanKind::Quarterly),
            View::Complaints => self.complaints_ui(ui, tab),
        }
        if let Some(order) = self.print_order.take() {
            self.printer.print(tab, ui.ctx(), order);
        }
        if let Some(order) = self.export_order.take() {
            self.exporter.export(tab, ui.ctx(), order);
        }
    }

    fn load_plan(&mut self, tab: &TabCtx<'_>, kind: PlanKind) {
        let period = match kind {
            PlanKind::Monthly => self.month.trim().to_string(),
            PlanKind::Quarterly => self.quarter.trim().to_string(),
        };
        let key = Some((period.clone(), kind, tab.stamp));
        if self.plan_key == key {
            return;
        }
        self.plan_key = key;
        let plan = match kind {
            PlanKind::Monthly => tab.desk.revisit_plan(&period),
            PlanKind::Quarterly => tab.desk.quality_check(&period),
        };
        match plan {
            Ok(plan) => self.plan = plan,
            Err(e) => self.message = Some(Err(t().app_error(&e))),
        }
    }

    fn plan_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, kind: PlanKind) {
        let t = t();
        ui.horizontal(|ui| {
            let (label, value) = match kind {
                PlanKind::Monthly => (t.rv_month, &mut self.month),
                PlanKind::Quarterly => (t.rv_quarter, &mut self.quarter),
            };
            let label = ui.label(label);
            let edit = ui.add(egui::TextEdit::singleline(value).desired_width(80.0)).labelled_by(label.id);
            // Another plan: the line's 已保存… was about the one before.
            if edit.changed() {
                self.plan_turn.said();
            }
        });
        self.plan_save(ui, tab);
        self.load_plan(tab, kind);
        self.plan_turn.line_ui(ui, &self.message);
        let Some(plan) = self.plan.clone() else {
            ui.label(RichText::new(t.rv_no_plan).weak());
            let button = match kind {
                PlanKind::Monthly => t.rv_draw,
                PlanKind::Quarterly => t.rv_draw_quarter,
            };
            if ui.button(RichText::new(button).strong()).clicked() {
                self.plan_turn.ask(ui, PlanSave::Draw(kind));
            }
            return;
        };
        self.plan_toolbar_ui(ui, tab, &plan);
        self.move_selection_keys(ui, &plan);
        if self.selected.is_some() {
            nested_side_panel(egui::Panel::right("revisit_entry")).default_size(380.0).resizable(true).show(
                ui,
                |ui| {
                    self.entry_ui(ui, tab, &plan);
                },
            );
        }
        let today = tab.desk.now().date();
        nested_central_panel().show(ui, |ui| self.rows_ui(ui, &plan, today));
    }

    fn plan_toolbar_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, plan: &RevisitPlan) {
        let t = t();
        let (done, todo, unreachable) = plan.progress();
        let progress = match plan.kind {
            PlanKind::Monthly => t.rv_progress,
            PlanKind::Quarterly => t.rv_progress_quarter,
        };
        ui.label(fill(
            progress,
            &[
                ("served", &plan.households_served),
                ("sample", &plan.sample_size),
                ("n", &plan.rows.len()),
                ("done", &done),
                ("todo", &todo),
                ("unreachable", &unreachable),
            ],
        ));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.rv_filter_reason);
            choice_combo(ui, "rv_reason", &mut self.reason, RevisitReason::ALL, t.filter_all, |r| {
                t.revisit_reason(r).to_string()
            })
            .labelled_by(label.id);
            if ui.button(t.rv_print_list).clicked() {
                self.print_order = Some(PrintOrder::Revisits(plan.period.clone(), plan.kind, false));
            }
            if ui.button(t.rv_print_record).clicked() {
                self.print_order = Some(PrintOrder::Revisits(plan.period.clone(), plan.kind, true));
            }
            if self.exporter.button_ui(ui) {
                self.export_order = Some(ExportOrder::Revisits(plan.period.clone(), plan.kind, self.reason));
            }
            // Issue 19: the call list masks phones as the registers do; the
            // household being called shows its number beside the answer.
            full_phones_ui(ui, tab.user, &mut self.full_phones);
            if plan.kind == PlanKind::Monthly && done + unreachable == 0 {
                let label = ui.label(t.rv_redraw_reason);
                ui.add(egui::TextEdit::singleline(&mut self.redraw_reason).desired_width(160.0))
                    .labelled_by(label.id);
                if ui.button(t.rv_redraw).clicked() {
                    self.plan_turn.ask(ui, PlanSave::Redraw);
                }
            }
        });
    }

    /// The rows the reason filter lets through, in the plan's order.
    fn shown_rows<'p>(&self, plan: &'p RevisitPlan) -> Vec<&'p PlanRow> {
        plan.rows.iter().filter(|r| self.reason.is_none_or(|want| r.reasons.contains(&want))).collect()
    }

    /// Quick entry from the keyboard: ↑/↓ move to the previous or next
    /// household while no field is being typed in.
    fn move_selection_keys(&mut self, ui: &egui::Ui, plan: &RevisitPlan) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (up, down) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            )
        });
        if !(up || down) {
            return;
        }
        let rows = self.shown_rows(plan);
        let at = rows.iter().position(|r| Some(r.id) == self.selected);
        let next = match (up, at) {
            (_, None) => rows.first(),
            (true, Some(p)) => rows.get(p.saturating_sub(1)),
            (false, Some(p)) => rows.get((p + 1).min(rows.len().saturating_sub(1))),
        };
        self.select(next.map(|r| r.id));
    }

    /// Selects a household; a different one starts from what was typed for
    /// it before, else a fresh answer. The answer being left is kept.
    fn select(&mut self, id: Option<i64>) {
        if id.is_some() && self.selected != id {
            let left = std::mem::take(&mut self.entry);
            if let Some(left_id) = self.selected.filter(|_| left != Entry::default()) {
                self.drafts.insert(left_id, left);
            }
            self.selected = id;
            self.entry = id.and_then(|id| self.drafts.remove(&id)).unwrap_or_default();
            self.entry_error = None;
            self.entry_turn.said();
        }
    }

    /// The plan's rows; a service day of another year says its year (issue 23).
    fn rows_ui(&mut self, ui: &mut egui::Ui, plan: &RevisitPlan, today: NaiveDate) {
        let t = t();
        let rows = self.shown_rows(plan);
        let mut clicked = None;
        let selected = self.selected;
        let full_phones = self.full_phones;
        TableBuilder::new(ui)
            .id_salt("revisit_rows")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::initial(110.0))
            .column(Column::initial(70.0))
            .column(Column::initial(110.0))
            .column(Column::initial(100.0))
            // The service day, with its year when it is last year's (issue 23).
            .column(Column::initial(90.0))
            .column(Column::initial(70.0))
            .column(Column::initial(150.0))
            .column(Column::remainder().at_least(80.0))
            .header(ROW_HEIGHT, |header| {
                headings_ui(
                    header,
                    &[
                        t.col_room,
                        t.col_resident,
                        t.col_phone,
                        t.col_service,
                        t.rv_service_date,
                        t.col_staff,
                        t.rv_reasons,
                        t.col_status,
                    ],
                )
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut table_row| {
                    let row = rows[table_row.index()];
                    table_row.set_selected(selected == Some(row.id));
                    let reasons: Vec<&str> = row.reasons.iter().map(|r| t.revisit_reason(*r)).collect();
                    let status = match &row.revisit {
                        Some(v) if v.ratings.is_some() => t.rv_done,
                        Some(_) => t.rv_state_unreachable,
                        None => t.rv_todo,
                    };
                    for text in [
                        row.room.clone(),
                        row.resident.clone(),
                        list_phone(&row.phone, full_phones),
                        row.service.clone(),
                        row.service_date.map(|d| table_day(d, today)).unwrap_or_default(),
                        row.staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
                    ] {
                        table_row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                    // Every reason, and the job behind each, on hover; the
                    // selected household lists them in full beside the list.
                    table_row.col(|ui| {
                        cell_ui(ui, reasons.join(t.list_sep)).on_hover_text(reason_lines(row).join("\n"));
                    });
                    table_row.col(|ui| {
                        cell_ui(ui, status);
                    });
                    if table_row.response().clicked() {
                        clicked = Some(row.id);
                    }
                });
            });
        self.select(clicked);
    }

    /// Quick entry of the selected household's revisit (R-RV-3).
    fn entry_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, plan: &RevisitPlan) {
        let t = t();
        match self.entry_turn.take(ui) {
            Turn::Save(id) => self.save_entry(tab, plan, id),
            // Saved after all: the answer typed for it is done with; the
            // household stays selected, its answer shown as recorded.
            Turn::SavedAfterAll(id) if self.selected == Some(id) => {
                (self.entry, self.entry_error) = Default::default();
            }
            Turn::SavedAfterAll(id) => {
                self.drafts.remove(&id);
            }
            Turn::Idle => {}
        }
        let Some(row) = plan.rows.iter().find(|r| Some(r.id) == self.selected).cloned() else { return };
        ui.heading(format!("{} {}", row.room, row.resident));
        ui.label(
            RichText::new(format!(
                "{} · {} · {}",
                row.service,
                row.staff.as_ref().map(|(_, n)| n.as_str()).unwrap_or(""),
                row.phone
            ))
            .weak(),
        );
        // R-RV-2: why the household is on the plan, each reason with its job.
        ui.label(RichText::new(t.rv_reasons).strong());
        for line in reason_lines(&row) {
            ui.label(line);
        }
        if let Some(v) = &row.revisit {
            let at = table_time(v.at, tab.desk.now().date());
            ui.label(fill(t.rv_recorded, &[("by", &v.by), ("at", &at)]));
            // A resident reached is revisited once (R-RV-3): the answer is shown,
            // not offered again; one not reached is called again below.
            if v.ratings.is_some() {
                recorded_answer_ui(ui, v);
                // One proved saved after all says so under it.
                self.entry_turn.line_ui(ui, &None);
                return;
            }
            ui.label(RichText::new(&v.attempts).weak());
        }
        ui.separator();
        let e = &mut self.entry;
        ui.horizontal(|ui| {
            ui.label(t.rv_method);
            ui.radio_value(&mut e.method, RevisitMethod::Phone, t.revisit_method(RevisitMethod::Phone));
            ui.radio_value(&mut e.method, RevisitMethod::InPerson, t.revisit_method(RevisitMethod::InPerson));
        });
        ui.checkbox(&mut e.reached, t.rv_reached);
        if e.reached {
            // R-RV-3: no answer is picked until the resident gives it; a grid
            // keeps the three rows' answers under each other.
            egui::Grid::new("revisit_ratings").num_columns(2).show(ui, |ui| {
                for (label, value) in [
                    (t.rv_timeliness, &mut e.ratings.timeliness),
                    (t.rv_skill, &mut e.ratings.skill),
                    (t.rv_attitude, &mut e.ratings.attitude),
                ] {
                    ui.label(label);
                    ui.horizontal(|ui| {
                        for opinion in Opinion::ALL {
                            ui.radio_value(value, Some(*opinion), t.opinion(*opinion));
                        }
                    });
                    ui.end_row();
                }
            });
        } else {
            labelled_edit(ui, t.rv_attempts, &mut e.attempts);
        }
        labelled_edit(ui, t.rv_comments, &mut e.comments);
        labelled_edit(ui, t.rv_needs, &mut e.needs);
        let unhappy = e.reached && e.ratings.any_dissatisfied();
        if unhappy || !e.complaint.is_empty() {
            labelled_edit(ui, t.rv_complaint, &mut e.complaint);
            ui.horizontal(|ui| {
                ui.label(t.rv_severity);
                for severity in Severity::ALL {
                    ui.radio_value(&mut e.severity, *severity, t.severity(*severity));
                }
            });
        }
        // Ctrl+Enter saves from any field of the answer.
        let save_key = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
        let save = ui.button(RichText::new(t.rv_save).strong()).clicked() || save_key;
        ui.label(RichText::new(t.rv_keys_hint).weak());
        if save {
            self.entry_turn.ask(ui, row.id);
        }
        // The refusal stays beside the answer it is about, in a line kept
        // for it and for 正在保存….
        self.entry_turn.line_ui(ui, &self.entry_error.clone().map(Err));
    }

    /// Saves the answer typed for household `id`, still selected; the next
    /// household to call is selected after.
    fn save_entry(&mut self, tab: &mut TabCtx<'_>, plan: &RevisitPlan, id: i64) {
        let t = t();
        let Some(row) = plan.rows.iter().find(|r| r.id == id && self.selected == Some(id)) else {
            // Another household picked since the ask: not saved, and said.
            self.entry_error = Some(t.form_save_dropped.to_string());
            return;
        };
        let answer = self.entry.draft().answer().map_err(crate::app::AppError::from);
        match answer.and_then(|answer| tab.desk.record_revisit(tab.user, row.id, &answer)) {
            Ok(_) => {
                tab.after_write(fill(t.rv_saved, &[("room", &row.room)]));
                self.entry_error = None;
                self.entry = Entry::default();
                let next = self.next_to_call(plan, row.id);
                self.selected = None;
                self.select(next);
            }
            Err(e) => self.entry_error = Some(t.app_error(&e)),
        }
    }

    /// Quick entry: the next household below `after` in the list as shown
    /// that is still to be called, else the first one above it.
    fn next_to_call(&self, plan: &RevisitPlan, after: i64) -> Option<i64> {
        let rows = self.shown_rows(plan);
        let at = rows.iter().position(|r| r.id == after).unwrap_or(0);
        let (above, below) = rows.split_at(at);
        below.iter().chain(above).find(|r| r.revisit.is_none() && r.id != after).map(|r| r.id)
    }

    fn complaints_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        self.plan_save(ui, tab);
        let today = tab.desk.now().date();
        if self.complaints_stamp != Some(tab.stamp) {
            self.complaints_stamp = Some(tab.stamp);
            match tab.desk.complaints() {
                Ok(list) => self.complaints = list,
                Err(e) => self.message = Some(Err(t.app_error(&e))),
            }
        }
        self.plan_turn.line_ui(ui, &self.message);
        if self.complaints.is_empty() {
            ui.label(RichText::new(t.rv_no_complaints).weak());
            return;
        }
        let mut clicked = None;
        let selected = self.selected_complaint;
        let list = &self.complaints;
        TableBuilder::new(ui)
            .id_salt("complaints")
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::initial(100.0))
            .column(Column::initial(110.0))
            .column(Column::initial(80.0))
            .column(Column::initial(60.0))
            .column(Column::initial(260.0))
            .column(Column::remainder().at_least(200.0))
            .header(ROW_HEIGHT, |header| {
                headings_ui(
                    header,
                    &[
                        t.rv_complaint_at,
                        t.col_room,
                        t.col_staff,
                        t.rv_severity,
                        t.rv_complaint,
                        t.rv_handling,
                    ],
                )
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, list.len(), |mut row| {
                    let c = &list[row.index()];
                    row.set_selected(selected == Some(c.id));
                    let handling = match &c.closed {
                        Some((by, at)) => format!("{}（{by} {}）", c.handling, table_day(at.date(), today)),
                        None => t.rv_open.to_string(),
                    };
                    for text in [
                        c.at.format("%Y-%m-%d").to_string(),
                        c.room.clone(),
                        c.staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
                        t.severity(c.severity).to_string(),
                        c.what.clone(),
                        handling,
                    ] {
                        row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(c.id);
                    }
                });
            });
        if clicked.is_some() {
            self.selected_complaint = clicked;
        }
        let open = self
            .selected_complaint
            .filter(|id| self.complaints.iter().any(|c| c.id == *id && c.closed.is_none()));
        if let Some(id) = open {
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label(t.rv_handling);
                let handling = self.handling.entry(id).or_default();
                ui.add(egui::TextEdit::singleline(handling).desired_width(320.0)).labelled_by(label.id);
                if ui.button(t.rv_close_complaint).clicked() {
                    self.plan_turn.ask(ui, PlanSave::Close(id));
                }
            });
        }
    }

    /// Runs the plan's or a complaint's save asked for in the frame before
    /// (or clears the one proved saved after all).
    fn plan_save(&mut self, ui: &egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let drawn = |p: RevisitPlan| fill(t.rv_drawn, &[("n", &p.rows.len())]);
        let result = match self.plan_turn.take(ui) {
            Turn::Save(PlanSave::Draw(PlanKind::Monthly)) => {
                tab.desk.draw_revisit_plan(tab.user, &self.month).map(drawn)
            }
            Turn::Save(PlanSave::Draw(PlanKind::Quarterly)) => {
                tab.desk.draw_quality_check(tab.user, &self.quarter).map(drawn)
            }
            Turn::Save(PlanSave::Redraw) => {
                tab.desk.redraw_revisit_plan(tab.user, &self.month, &self.redraw_reason).map(drawn)
            }
            Turn::Save(PlanSave::Close(id)) => {
                let typed = self.handling.get(&id).cloned().unwrap_or_default();
                let result = tab.desk.close_complaint(tab.user, id, &typed);
                if result.is_ok() {
                    self.handling.remove(&id);
                }
                result.map(|_| t.rv_complaint_closed.to_string())
            }
            Turn::SavedAfterAll(PlanSave::Close(id)) => {
                self.handling.remove(&id);
                return;
            }
            Turn::SavedAfterAll(_) | Turn::Idle => return,
        };
        self.report(tab, result);
    }

    fn report(&mut self, tab: &mut TabCtx<'_>, result: crate::app::Result<String>) {
        match result {
            Ok(message) => {
                tab.after_write(message);
                self.message = None;
            }
            Err(e) => self.message = Some(Err(t().app_error(&e))),
        }
    }
}

/// Each reason the household is on the plan for, with the job behind it
/// when it has one (`维修交接：WX-2026-000123 水管维修`).
fn reason_lines(row: &PlanRow) -> Vec<String> {
    let t = t();
    row.reasons
        .iter()
        .map(|reason| match row.causes.iter().find(|c| c.reason == *reason) {
            Some(c) => fill(
                t.rv_reason_job,
                &[("reason", &t.revisit_reason(*reason)), ("no", &c.no), ("service", &c.service)],
            ),
            None => t.revisit_reason(*reason).to_string(),
        })
        .collect()
}

/// The recorded answer of a household already revisited, read-only.
fn recorded_answer_ui(ui: &mut egui::Ui, v: &RevisitRecord) {
    let t = t();
    ui.separator();
    egui::Grid::new("revisit_recorded").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        let mut line = |label: &str, value: &str| {
            ui.label(RichText::new(label).weak());
            ui.label(value);
            ui.end_row();
        };
        line(t.rv_method, t.revisit_method(v.method));
        if let Some(r) = &v.ratings {
            line(t.rv_timeliness, t.opinion(r.timeliness));
            line(t.rv_skill, t.opinion(r.skill));
            line(t.rv_attitude, t.opinion(r.attitude));
        }
        line(t.rv_comments, &v.comments);
        line(t.rv_needs, &v.needs);
    });
}

/// A labelled one-line field for the quick-entry panel.
fn labelled_edit(ui: &mut egui::Ui, label: &str, value: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(egui::TextEdit::singleline(value).desired_width(240.0)).labelled_by(label.id);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_works_on_last_month_and_last_quarter() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
        assert_eq!(last_month(day), "2025-12");
        assert_eq!(last_quarter(day), "2025-Q4");
        let may = NaiveDate::from_ymd_opt(2026, 5, 2).unwrap_or_default();
        assert_eq!(last_quarter(may), "2026-Q1");
    }
}
