//! The 派单 tab's follow-up views: the day-end review (R-FU-4), the morning
//! repair handover (R-FU-5), the cash handover (R-FEE-2), message slips and
//! stubs (R-FU-3), finance's lists (R-FEE-3), hazards (R-SLA-3) and the
//! office's reason lists (R-FU-1, R-FU-2). Each view reads when its day or
//! the data changes and draws from what it read.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::dispatch_tab::DispatchView;
use super::print_job::PrintOrder;
use super::widgets::{
    Confirmed, SaveTurn, Turn, cell_ui, confirm_modal, headings_ui, headings_with_money_ui, money_cell_ui,
    settle_summary, table_time,
};
use super::{DataStamp, TabCtx};
use crate::app::{BoardRow, DayReview};
use crate::domain::{
    CashDay, Desk, FinanceList, Group, HazardReport, ReasonKind, RepairHandover, Request, RequestId,
    ReviewAnswer, SlipRecord, Staff, StepReason, parse_date, parse_date_time,
};
use crate::domain::{ReviewRecord, SlaState};
use crate::i18n::{fill, t};

const ROW_HEIGHT: f32 = 24.0;
/// How far back the hazard list looks.
const HAZARD_DAYS: i64 = 30;

/// What one view read, for which day and data.
struct Loaded<T> {
    key: (NaiveDate, DataStamp),
    value: Result<T, String>,
}

/// Reads `load` again only when the day or the data changed.
fn cached<T>(
    slot: &mut Option<Loaded<T>>,
    key: (NaiveDate, DataStamp),
    load: impl FnOnce() -> Result<T, crate::app::AppError>,
) -> &Result<T, String> {
    if slot.as_ref().is_some_and(|l| l.key != key) {
        *slot = None;
    }
    &slot.get_or_insert_with(|| Loaded { key, value: load().map_err(|e| t().app_error(&e)) }).value
}

/// The answer being typed for one row of the day-end review.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct AnswerText {
    reason: String,
    expected: String,
    handling: String,
}

impl AnswerText {
    fn of(answer: Option<&ReviewRecord>) -> AnswerText {
        let Some(a) = answer else { return AnswerText::default() };
        AnswerText {
            reason: a.answer.reason.clone(),
            expected: a
                .answer
                .expected_at
                .map(|e| e.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            handling: a.answer.handling.clone(),
        }
    }
}

/// What is typed for a row, and the saved answer it started from: an
/// untouched draft follows the answer another desk PC saves meanwhile.
#[derive(Default, Clone)]
struct AnswerDraft {
    text: AnswerText,
    from: AnswerText,
    error: Option<String>,
}

/// A day field: follows today until the clerk types a day.
#[derive(Default)]
struct DayField {
    text: String,
    picked: Option<NaiveDate>,
}

/// The views' saves, which share the message line under the view.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Save {
    /// The day-end review's answer for one row of a day, as sent: proved
    /// saved after all, the draft counts from it, not from what was typed since.
    Review(NaiveDate, RequestId, AnswerText),
    /// The day handed over, and to whom (as typed when asked).
    Handover(NaiveDate, String),
    Cash(crate::domain::StaffId, NaiveDate),
    /// The stub number returned, as typed when asked.
    ReturnStub(String),
    BlankSlips,
    Settle(RequestId),
    /// A reason added (of a kind, its text), or retired or restored (its id, active after).
    Reason(Result<(ReasonKind, String), (i64, bool)>),
}

#[derive(Default)]
pub struct FollowUpViews {
    days: HashMap<u8, DayField>,
    review: Option<Loaded<DayReview>>,
    drafts: HashMap<(NaiveDate, RequestId), AnswerDraft>,
    handover_rows: Option<Loaded<(Vec<Request>, Option<RepairHandover>)>>,
    receiver: String,
    cash: Option<Loaded<Vec<CashDay>>>,
    stubs: Option<Loaded<Vec<SlipRecord>>>,
    stub_no: String,
    blank_count: String,
    finance: Option<Loaded<(Vec<Request>, Vec<Request>)>>,
    hazards: Option<Loaded<Vec<HazardReport>>>,
    breaches: Option<Loaded<Vec<BoardRow>>>,
    reasons: Option<Loaded<(Vec<StepReason>, Vec<StepReason>)>>,
    new_reason: [String; 2],
    message: Option<Result<String, String>>,
    /// The view whose action said `message`: another view does not show it.
    message_view: Option<DispatchView>,
    /// Finance's receipt of a staff member's cash, shown before it is taken (R-FEE-2).
    receiving: Option<CashDay>,
    /// A job to settle, shown with its amounts before it is settled (R-FEE-3).
    settling: Option<Request>,
    turn: SaveTurn<Save>,
}

impl FollowUpViews {
    /// Draws `view`; a document asked for goes into `order`, printed by the tab.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        tab: &mut TabCtx<'_>,
        view: DispatchView,
        staff: &[Staff],
        order: &mut Option<PrintOrder>,
    ) {
        let today = tab.desk.now().date();
        if self.message_view != Some(view) {
            self.message = None;
            self.receiving = None;
            self.settling = None;
            self.message_view = Some(view);
            self.turn.said();
        }
        self.save(ui, tab, order);
        match view {
            DispatchView::DayReview => {
                let day = self.day_ui(ui, 0, today);
                self.day_review_ui(ui, tab, day);
            }
            DispatchView::RepairHandover => {
                let day = self.day_ui(ui, 1, today.pred_opt().unwrap_or(today));
                if ui.button(t().print_repair_copy_button).clicked() {
                    *order = Some(PrintOrder::RepairCopy(day));
                }
                self.handover_ui(ui, tab, day);
            }
            DispatchView::Cash => {
                let day = self.day_ui(ui, 2, today);
                if ui.button(t().print_cash_button).clicked() {
                    *order = Some(PrintOrder::Cash(day));
                }
                self.cash_ui(ui, tab, day, staff);
            }
            DispatchView::Slips => self.slips_ui(ui, tab, today),
            DispatchView::Finance => self.finance_ui(ui, tab, today, staff),
            DispatchView::Breaches => self.breaches_ui(ui, tab, today),
            DispatchView::Hazards => self.hazards_ui(ui, tab, today),
            DispatchView::Reasons => self.reasons_ui(ui, tab, today),
            DispatchView::Board => {}
        }
        self.turn.line_ui(ui, &self.message);
    }

    /// Runs the save asked for in the frame before, or clears what the one
    /// proved saved after all had typed.
    fn save(&mut self, ui: &egui::Ui, tab: &mut TabCtx<'_>, order: &mut Option<PrintOrder>) {
        let t = t();
        let save = match self.turn.take(ui) {
            Turn::Idle => return,
            Turn::SavedAfterAll(Save::BlankSlips) => {
                // Issued, never printed: the line says where to print them.
                self.message = Some(Ok(t.slips_issued_not_printed.to_string()));
                return self.turn.said();
            }
            Turn::SavedAfterAll(save) => return self.saved(&save),
            Turn::Save(save) => save,
        };
        let done = match &save {
            Save::Review(day, id, sent) => return self.save_review(tab, *day, *id, sent.clone()),
            Save::Handover(day, receiver) => tab
                .desk
                .hand_over_repairs(tab.user, *day, receiver)
                .map(|h| fill(t.handover_saved, &[("n", &h.rows)])),
            Save::Cash(staff_id, day) => tab.desk.receive_cash(tab.user, *staff_id, *day).map(|cash| {
                fill(t.cash_received_note, &[("name", &cash.staff_name), ("amount", &cash.received())])
            }),
            Save::ReturnStub(stub_no) => tab
                .desk
                .return_stub(tab.user, stub_no)
                .map(|slip| fill(t.stub_returned_note, &[("no", &slip.no)])),
            Save::BlankSlips => {
                let count = self.blank_count.trim().parse::<usize>().unwrap_or(0);
                tab.desk.issue_blank_slips(tab.user, count).map(|slips| {
                    *order = Some(PrintOrder::Slips(slips.iter().map(|s| s.no).collect()));
                    fill(t.blank_slips_issued, &[("n", &slips.len()), ("range", &slip_range(&slips))])
                })
            }
            Save::Settle(id) => tab
                .desk
                .take_step(tab.user, *id, &crate::app::StepInput::Settle)
                .map(|row| fill(t.settled_note, &[("no", &row.no)])),
            Save::Reason(Ok((kind, text))) => {
                tab.desk.add_step_reason(tab.user, *kind, text).map(|_| t.reasons_saved.to_string())
            }
            Save::Reason(Err((id, active))) => {
                tab.desk.set_step_reason_active(tab.user, *id, *active).map(|()| t.reasons_saved.to_string())
            }
        };
        if done.is_ok() {
            self.saved(&save);
        }
        self.message = Some(match done {
            Ok(text) => {
                tab.after_write(text.clone());
                Ok(text)
            }
            Err(e) => Err(t.app_error(&e)),
        });
    }

    /// What `save` typed is done with once saved.
    fn saved(&mut self, save: &Save) {
        match save {
            Save::Review(day, id, sent) => {
                if let Some(draft) = self.drafts.get_mut(&(*day, *id)) {
                    draft.error = None;
                    draft.from = sent.clone();
                }
            }
            // Only what was sent: typed over since (proved saved on
            // reconnecting, long after), the field is the clerk's next one.
            Save::Handover(_, receiver) if self.receiver == *receiver => self.receiver.clear(),
            Save::ReturnStub(stub_no) if self.stub_no == *stub_no => self.stub_no.clear(),
            Save::Reason(Ok((kind, text))) => {
                let index = usize::from(*kind == ReasonKind::Cancel);
                if self.new_reason[index] == *text {
                    self.new_reason[index].clear();
                }
            }
            Save::Handover(..) | Save::ReturnStub(_) | Save::Reason(Err(_)) => {}
            Save::Cash(..) | Save::BlankSlips | Save::Settle(_) => {}
        }
    }

    /// A day field per view: `default` (today, or yesterday for the
    /// handover) until the clerk types another day.
    fn day_ui(&mut self, ui: &mut egui::Ui, view: u8, default: NaiveDate) -> NaiveDate {
        let t = t();
        let field = self.days.entry(view).or_default();
        let day = field.picked.unwrap_or(default);
        if field.picked.is_none() {
            field.text = day.to_string();
        }
        ui.horizontal(|ui| {
            let label = ui.label(t.board_day);
            let edit =
                ui.add(egui::TextEdit::singleline(&mut field.text).desired_width(96.0)).labelled_by(label.id);
            if edit.changed() {
                field.picked = Some(parse_date(&field.text).unwrap_or(day));
            }
            if parse_date(&field.text).is_none() {
                ui.label(RichText::new(t.bad_date_filter).color(ui.visuals().error_fg_color));
            }
            if field.picked.is_some() && ui.button(t.today).clicked() {
                field.picked = None;
            }
        });
        field.picked.unwrap_or(default)
    }

    /// R-FU-4: each open row of the day with the taker's answer, or a form for it.
    fn day_review_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, day: NaiveDate) {
        let t = t();
        let desk = tab.user.desk;
        let review = match cached(&mut self.review, (day, tab.stamp), || tab.desk.day_review(desk, day)) {
            Ok(review) => review.clone(),
            Err(e) => return error_ui(ui, e),
        };
        let unanswered = review.unanswered().count();
        ui.label(fill(t.review_summary, &[("n", &review.rows.len()), ("open", &unanswered)]));
        if review.rows.is_empty() {
            ui.label(RichText::new(t.review_nothing).weak());
            return;
        }
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| {
            for row in &review.rows {
                ui.push_id(row.id, |ui| self.review_row_ui(ui, day, row, review.answers.get(&row.id)));
                ui.separator();
            }
        });
    }

    fn review_row_ui(
        &mut self,
        ui: &mut egui::Ui,
        day: NaiveDate,
        row: &Request,
        answer: Option<&ReviewRecord>,
    ) {
        let t = t();
        let taker = row.assigned_staff.as_ref().map(|(_, n)| n.as_str()).unwrap_or(row.received_by.as_str());
        ui.horizontal(|ui| {
            ui.strong(row.no.to_string());
            ui.label(format!("{} · {} · {} · {}", row.room, row.service, t.status(row.status), taker));
            if let Some(answer) = answer {
                ui.label(
                    RichText::new(fill(
                        t.review_answered,
                        &[("by", &answer.by), ("at", &answer.at.format("%H:%M"))],
                    ))
                    .weak(),
                );
            } else {
                ui.label(RichText::new(t.review_unanswered).color(ui.visuals().warn_fg_color));
            }
        });
        let saved = AnswerText::of(answer);
        let draft = self.drafts.entry((day, row.id)).or_default();
        if draft.text == draft.from && draft.from != saved {
            *draft = AnswerDraft { text: saved.clone(), from: saved, error: None };
        }
        ui.horizontal_wrapped(|ui| {
            for (label, value, width) in [
                (t.review_reason, &mut draft.text.reason, 200.0),
                (t.review_expected, &mut draft.text.expected, 130.0),
                (t.review_handling, &mut draft.text.handling, 200.0),
            ] {
                let label = ui.label(label);
                ui.add(egui::TextEdit::singleline(value).desired_width(width)).labelled_by(label.id);
            }
            let what = Save::Review(day, row.id, draft.text.clone());
            // Asked before its line is drawn, so that the click's frame says so.
            if ui.button(t.review_save).clicked() {
                self.turn.ask(ui, what.clone());
            }
            // Beside its own button: the view's line may be out of sight.
            self.turn.beside_ui(ui, &what);
        });
        if let Some(error) = &draft.error {
            ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
        }
    }

    fn save_review(&mut self, tab: &mut TabCtx<'_>, day: NaiveDate, id: RequestId, sent: AnswerText) {
        let t = t();
        let Some(draft) = self.drafts.get_mut(&(day, id)) else { return };
        let expected_at = match draft.text.expected.trim() {
            "" => None,
            text => match parse_date_time(text, day) {
                Some(at) => Some(at),
                None => {
                    draft.error = Some(t.err_date_time.to_string());
                    return;
                }
            },
        };
        let answer = ReviewAnswer {
            request: id,
            reason: draft.text.reason.clone(),
            expected_at,
            handling: draft.text.handling.clone(),
        };
        match tab.desk.answer_day_review(tab.user, day, &answer) {
            Ok(()) => {
                self.saved(&Save::Review(day, id, sent));
                tab.after_write(t.review_saved.to_string());
            }
            Err(e) => draft.error = Some(t.app_error(&e)),
        }
    }

    /// R-FU-5: the day's repair register and its handover to the CS center.
    fn handover_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, day: NaiveDate) {
        let t = t();
        let loaded = cached(&mut self.handover_rows, (day, tab.stamp), || {
            Ok((tab.desk.repair_rows_of(day)?, tab.desk.repair_handover(day)?))
        });
        let (rows, handover) = match loaded {
            Ok(value) => value.clone(),
            Err(e) => return error_ui(ui, e),
        };
        match &handover {
            Some(h) => {
                let text = fill(
                    t.handover_done,
                    &[
                        ("by", &h.handed_by),
                        ("at", &h.handed_at.format("%Y-%m-%d %H:%M")),
                        ("to", &h.received_by),
                        ("n", &h.rows),
                    ],
                );
                let late = h.is_late();
                ui.label(if late {
                    RichText::new(format!("{text} {}", t.handover_late)).color(ui.visuals().warn_fg_color)
                } else {
                    RichText::new(text)
                });
            }
            None if tab.user.desk == Desk::ControlCenter => {
                ui.horizontal(|ui| {
                    let label = ui.label(t.handover_receiver);
                    ui.add(egui::TextEdit::singleline(&mut self.receiver).desired_width(140.0))
                        .labelled_by(label.id);
                    if ui.button(t.handover_button).clicked() {
                        self.turn.ask(ui, Save::Handover(day, self.receiver.clone()));
                    }
                });
            }
            None => {
                ui.label(RichText::new(t.handover_not_yet).color(ui.visuals().warn_fg_color));
            }
        }
        ui.label(RichText::new(t.handover_hint).weak());
        ui.separator();
        requests_table_ui(ui, "handover_rows", &rows, |_, _| {});
    }

    /// R-FEE-2: each staff member's cash of the day, and finance's receipt.
    fn cash_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, day: NaiveDate, staff: &[Staff]) {
        let t = t();
        let days = match cached(&mut self.cash, (day, tab.stamp), || tab.desk.cash_days(day, day)) {
            Ok(days) => days.clone(),
            Err(e) => return error_ui(ui, e),
        };
        let finance = staff.iter().any(|s| s.id == tab.user.staff_id && s.group == Group::Finance);
        if days.is_empty() {
            ui.label(RichText::new(t.cash_nothing).weak());
            return;
        }
        let now = tab.desk.now();
        let mut receive = None;
        TableBuilder::new(ui)
            .id_salt("cash_table")
            .striped(true)
            // Money cells are centred in the row: so are its texts.
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(120.0))
            .columns(Column::initial(90.0), 4)
            .column(Column::remainder())
            .header(ROW_HEIGHT, |header| {
                headings_with_money_ui(
                    header,
                    &[t.col_staff, t.cash_jobs, t.cash_collected, t.cash_received, t.cash_outstanding, ""],
                    &[2, 3, 4],
                )
            })
            .body(|mut body| {
                for cash in &days {
                    body.row(ROW_HEIGHT, |mut row| {
                        row.col(|ui| {
                            cell_ui(ui, &cash.staff_name);
                        });
                        row.col(|ui| {
                            cell_ui(ui, cash.collections.len().to_string());
                        });
                        for amount in [cash.collected(), cash.received()] {
                            row.col(|ui| money_cell_ui(ui, amount.to_string()));
                        }
                        row.col(|ui| {
                            let text = RichText::new(cash.outstanding().to_string());
                            let overdue = cash.is_overdue(now);
                            money_cell_ui(
                                ui,
                                if overdue { text.color(ui.visuals().error_fg_color) } else { text },
                            );
                        });
                        row.col(|ui| {
                            let may = finance && !cash.outstanding().is_zero();
                            if ui.add_enabled(may, egui::Button::new(t.cash_receive)).clicked() {
                                receive = Some(cash.clone());
                            }
                        });
                    });
                }
            });
        if receive.is_some() {
            self.receiving = receive;
            self.message = None;
        }
        if let Some(staff_id) = self.confirm_receipt_ui(ui) {
            self.turn.ask(ui, Save::Cash(staff_id, day));
        }
        if !finance {
            ui.label(RichText::new(t.cash_finance_only).weak());
        }
    }

    /// R-FEE-2: the amount and who hands it over, asked once more before
    /// finance signs for it; the staff member to receive from, once confirmed.
    fn confirm_receipt_ui(&mut self, ui: &mut egui::Ui) -> Option<crate::domain::StaffId> {
        let t = t();
        let cash = self.receiving.as_ref()?;
        let nos: Vec<&str> = cash.collections.iter().map(|c| c.no.as_str()).collect();
        let question = fill(
            t.cash_confirm,
            &[
                ("name", &cash.staff_name),
                ("amount", &cash.outstanding()),
                ("n", &cash.collections.len()),
                ("nos", &nos.join(t.list_sep)),
            ],
        );
        let answer = confirm_modal(ui.ctx(), "confirm_cash_receipt", &question, t.cash_confirm_yes)?;
        let staff = cash.staff;
        self.receiving = None;
        (answer == Confirmed::Yes).then_some(staff)
    }

    /// R-FEE-3: the job's agreed price, what was collected and by whom, asked
    /// once more before finance settles it; the job, once confirmed.
    fn confirm_settlement_ui(&mut self, ui: &mut egui::Ui) -> Option<RequestId> {
        let t = t();
        let job = self.settling.as_ref()?;
        let question = settle_summary(job);
        let answer = confirm_modal(ui.ctx(), "confirm_settlement", &question, t.settle_confirm_yes)?;
        let id = job.id;
        self.settling = None;
        (answer == Confirmed::Yes).then_some(id)
    }

    /// R-FU-3: stubs still out, stub returns, and blank numbered slips.
    fn slips_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, today: NaiveDate) {
        let t = t();
        ui.horizontal(|ui| {
            let label = ui.label(t.stub_no);
            ui.add(
                egui::TextEdit::singleline(&mut self.stub_no)
                    .hint_text("LY-2026-000001")
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
            if ui.button(t.stub_return_button).clicked() {
                self.turn.ask(ui, Save::ReturnStub(self.stub_no.clone()));
            }
            ui.separator();
            let label = ui.label(t.blank_slip_count);
            if self.blank_count.is_empty() {
                self.blank_count = "10".into();
            }
            ui.add(egui::TextEdit::singleline(&mut self.blank_count).desired_width(40.0))
                .labelled_by(label.id);
            if ui.button(t.blank_slip_button).clicked() {
                self.turn.ask(ui, Save::BlankSlips);
            }
        });
        ui.separator();
        let stubs = match cached(&mut self.stubs, (today, tab.stamp), || tab.desk.stubs_out()) {
            Ok(stubs) => stubs.clone(),
            Err(e) => return error_ui(ui, e),
        };
        ui.strong(fill(t.stubs_out_title, &[("n", &stubs.len())]));
        TableBuilder::new(ui)
            .id_salt("stubs_table")
            .striped(true)
            .columns(Column::initial(130.0), 5)
            .column(Column::remainder())
            .header(ROW_HEIGHT, |header| {
                headings_ui(
                    header,
                    &[t.stub_no, t.col_room, t.slip_visit_at, t.col_service, t.col_staff, t.slip_issued_at],
                )
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, stubs.len(), |mut row| {
                    let slip = &stubs[row.index()];
                    let visit = slip.visit_at.map(|v| table_time(v, today)).unwrap_or_default();
                    for text in [
                        slip.no.to_string(),
                        slip.room.clone(),
                        visit,
                        slip.service.clone(),
                        slip.staff.clone(),
                        table_time(slip.issued_at, today),
                    ] {
                        row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                });
            });
    }

    /// R-FEE-3: jobs done but not reported to the desk, and jobs to settle.
    fn finance_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, today: NaiveDate, staff: &[Staff]) {
        let t = t();
        let lists = cached(&mut self.finance, (today, tab.stamp), || {
            Ok((
                tab.desk.finance_list(FinanceList::NotReported)?,
                tab.desk.finance_list(FinanceList::ToSettle)?,
            ))
        });
        let (not_reported, to_settle) = match lists {
            Ok(lists) => lists.clone(),
            Err(e) => return error_ui(ui, e),
        };
        let finance = staff.iter().any(|s| s.id == tab.user.staff_id && s.group == Group::Finance);
        let half = (ui.available_height() / 2.0 - 40.0).max(120.0);
        ui.strong(fill(t.finance_not_reported, &[("n", &not_reported.len())]));
        ui.label(RichText::new(t.finance_not_reported_hint).weak());
        ui.push_id("not_reported", |ui| {
            egui::ScrollArea::vertical().max_height(half).show(ui, |ui| {
                requests_table_ui(ui, "not_reported_rows", &not_reported, |_, _| {});
            });
        });
        ui.separator();
        ui.strong(fill(t.finance_to_settle, &[("n", &to_settle.len())]));
        let mut settle = None;
        if let Some(id) = self.confirm_settlement_ui(ui) {
            settle = Some(id);
        }
        ui.push_id("to_settle", |ui| {
            requests_table_ui(ui, "to_settle_rows", &to_settle, |ui, row| {
                if finance && ui.small_button(t.step_button(crate::domain::StepKind::Settle)).clicked() {
                    self.settling = Some(row.clone());
                    self.message = None;
                }
            });
        });
        if let Some(id) = settle {
            self.turn.ask(ui, Save::Settle(id));
        }
    }

    /// R-SLA-1/2: repair rows of the last 30 days that broke their promise.
    fn breaches_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, today: NaiveDate) {
        let t = t();
        let from = today - Duration::days(HAZARD_DAYS);
        let rows = match cached(&mut self.breaches, (today, tab.stamp), || tab.desk.sla_breaches(from, today))
        {
            Ok(rows) => rows.clone(),
            Err(e) => return error_ui(ui, e),
        };
        ui.strong(fill(t.breaches_title, &[("days", &HAZARD_DAYS), ("n", &rows.len())]));
        let now = tab.desk.now();
        let time = |at: Option<chrono::NaiveDateTime>| at.map(|a| table_time(a, today)).unwrap_or_default();
        TableBuilder::new(ui)
            .id_salt("breaches_table")
            .striped(true)
            .columns(Column::initial(118.0), 7)
            .column(Column::remainder())
            .header(ROW_HEIGHT, |header| {
                headings_ui(
                    header,
                    &[
                        t.col_no,
                        t.col_room,
                        t.col_urgency,
                        t.col_promise,
                        t.col_deadline,
                        t.col_met_at,
                        t.col_status,
                        t.col_over,
                    ],
                )
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut table_row| {
                    let row = &rows[table_row.index()];
                    let job = &row.request;
                    let over = match super::dispatch_tab::live_sla(row, now).map(|(_, state)| state) {
                        Some(SlaState::Breached { over } | SlaState::MetLate { over }) => {
                            super::dispatch_tab::span(over)
                        }
                        _ => String::new(),
                    };
                    let met = format!("{} / {}", time(job.arrived_at), time(job.finished_at));
                    for text in [
                        job.no.to_string(),
                        job.room.clone(),
                        job.urgency.map(|u| t.urgency(u).to_string()).unwrap_or_default(),
                        row.sla.map(|s| t.commitment(s.commitment).to_string()).unwrap_or_default(),
                        time(row.sla.map(|s| s.due)),
                        met,
                        t.status(job.status).to_string(),
                    ] {
                        table_row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                    table_row.col(|ui| {
                        cell_ui(ui, RichText::new(over).color(ui.visuals().error_fg_color));
                    });
                });
            });
    }

    /// R-SLA-3: hazards reported in the last 30 days.
    fn hazards_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, today: NaiveDate) {
        let t = t();
        let from = today - Duration::days(HAZARD_DAYS);
        let hazards = match cached(&mut self.hazards, (today, tab.stamp), || tab.desk.hazards(from, today)) {
            Ok(h) => h.clone(),
            Err(e) => return error_ui(ui, e),
        };
        ui.strong(fill(t.hazards_title, &[("days", &HAZARD_DAYS), ("n", &hazards.len())]));
        TableBuilder::new(ui)
            .id_salt("hazards_table")
            .striped(true)
            .columns(Column::initial(120.0), 4)
            .column(Column::remainder())
            .header(ROW_HEIGHT, |header| {
                headings_ui(header, &[t.hazard_at, t.col_no, t.col_room, t.hazard_by, t.step_hazard])
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, hazards.len(), |mut row| {
                    let h = &hazards[row.index()];
                    for text in [
                        table_time(h.at, today),
                        h.no.clone(),
                        h.room.clone(),
                        h.by.clone(),
                        h.description.clone(),
                    ] {
                        row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                });
            });
    }

    /// The office's reasons for a new time and for cancelling; retired ones stay.
    fn reasons_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, today: NaiveDate) {
        let t = t();
        let lists = cached(&mut self.reasons, (today, tab.stamp), || {
            Ok((tab.desk.step_reasons(ReasonKind::Reschedule)?, tab.desk.step_reasons(ReasonKind::Cancel)?))
        });
        let (reschedule, cancel) = match lists {
            Ok(lists) => lists.clone(),
            Err(e) => return error_ui(ui, e),
        };
        let may_edit = tab.user.rank.is_supervisor_or_above();
        let mut action: Option<Result<(ReasonKind, String), (i64, bool)>> = None;
        ui.columns(2, |columns| {
            for (column, (kind, reasons, index)) in columns
                .iter_mut()
                .zip([(ReasonKind::Reschedule, &reschedule, 0), (ReasonKind::Cancel, &cancel, 1)])
            {
                column.push_id(index, |ui| {
                    ui.strong(t.reason_kind(kind));
                    for reason in reasons {
                        ui.horizontal(|ui| {
                            let text = RichText::new(&reason.text);
                            ui.label(if reason.active { text } else { text.weak().strikethrough() });
                            let button = if reason.active { t.reason_retire } else { t.reason_restore };
                            if may_edit && ui.small_button(button).clicked() {
                                action = Some(Err((reason.id, !reason.active)));
                            }
                        });
                    }
                    if may_edit {
                        ui.horizontal(|ui| {
                            let label = ui.label(t.reason_new);
                            ui.add(
                                egui::TextEdit::singleline(&mut self.new_reason[index]).desired_width(160.0),
                            )
                            .labelled_by(label.id);
                            if ui.button(t.reason_add).clicked() {
                                action = Some(Ok((kind, self.new_reason[index].clone())));
                            }
                        });
                    }
                });
            }
        });
        if !may_edit {
            ui.label(RichText::new(t.reason_supervisor_only).weak());
        }
        if let Some(action) = action {
            self.turn.ask(ui, Save::Reason(action));
        }
    }
}

/// `LY-2026-000011 – LY-2026-000020`.
fn slip_range(slips: &[SlipRecord]) -> String {
    match (slips.first(), slips.last()) {
        (Some(first), Some(last)) if first.no != last.no => format!("{} – {}", first.no, last.no),
        (Some(first), _) => first.no.to_string(),
        _ => String::new(),
    }
}

fn error_ui(ui: &mut egui::Ui, error: &str) {
    ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
}

/// A plain table of register rows, with a last column the caller fills.
fn requests_table_ui(
    ui: &mut egui::Ui,
    id: &str,
    rows: &[Request],
    mut last: impl FnMut(&mut egui::Ui, &Request),
) {
    let t = t();
    if rows.is_empty() {
        ui.label(RichText::new(t.no_rows).weak());
        return;
    }
    TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .column(Column::initial(118.0))
        .column(Column::initial(120.0))
        .column(Column::initial(80.0))
        .column(Column::initial(130.0))
        .column(Column::initial(130.0))
        .column(Column::initial(80.0))
        .column(Column::initial(72.0))
        .column(Column::remainder())
        .header(ROW_HEIGHT, |header| {
            headings_ui(
                header,
                &[
                    t.col_no,
                    t.col_room,
                    t.col_resident,
                    t.col_service,
                    t.col_appointment,
                    t.col_staff,
                    t.col_status,
                    "",
                ],
            )
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut table_row| {
                let row = &rows[table_row.index()];
                for text in [
                    row.no.to_string(),
                    row.room.clone(),
                    row.resident_name.clone(),
                    row.service.clone(),
                    row.appointment.format("%Y-%m-%d %H:%M").to_string(),
                    row.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
                    t.status(row.status).to_string(),
                ] {
                    table_row.col(|ui| {
                        cell_ui(ui, text);
                    });
                }
                table_row.col(|ui| last(ui, row));
            });
        });
}
