//! The 协议 tab: the office's long-term agreements (R-AG-1..3) with search
//! and a status filter, those ending within 30 days highlighted; an
//! agreement's terms, amendments and visit calendar (R-DSP-4); and the
//! steps of its life — edit a draft, confirm (CS assistant), sign
//! (manager), amend, renew, terminate — with every document printable.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::agreement_form::{
    AgreementForm, AgreementFormKind, AgreementOutcome, RenewalForm, TerminationForm,
};
use super::print_job::{PrintOrder, Printer};
use super::widgets::{
    SaveTurn, Turn, cell_ui, choice_combo, clip_cells, close_saved_in, fitted_widths, headings_ui,
    money_cell_ui, nested_central_panel, nested_side_panel,
};
use super::{DataStamp, TabCtx};
use crate::domain::{Agreement, AgreementId, AgreementStatus, Amendment, Clash, PriceItem, Request, Staff};
use crate::i18n::{fill, t};
use crate::store::AgreementQuery;

const ROW_HEIGHT: f32 = 24.0;
/// Which of the tab's forms answered: the termination's saving prints its notice.
const TERMINATION_FORM: u8 = 1;
/// Agreements ending within this many days are highlighted.
const ENDING_SOON_DAYS: i64 = 30;
/// The narrowest a list column can be dragged.
const MIN_COLUMN: f32 = 40.0;

/// The selected agreement with what its detail shows.
struct Detail {
    stamp: DataStamp,
    agreement: Agreement,
    amendments: Vec<Amendment>,
    visits: Vec<Request>,
    /// Its staff member's other agreements at its visit times (issue 19).
    clashes: Vec<Clash>,
}

#[derive(Default)]
pub struct AgreementTab {
    query: AgreementQuery,
    list: Vec<Agreement>,
    list_key: Option<(AgreementQuery, DataStamp)>,
    error: Option<String>,
    lists_stamp: Option<DataStamp>,
    prices: Vec<PriceItem>,
    staff: Vec<Staff>,
    selected: Option<AgreementId>,
    detail: Option<Detail>,
    form: Option<AgreementForm>,
    termination: Option<TerminationForm>,
    renewal: Option<RenewalForm>,
    printer: Printer,
    print_order: Option<PrintOrder>,
    /// 确认 or 签订, a frame after the click; said in the status bar.
    step_turn: SaveTurn<AgreementStep>,
}

/// An agreement's steps taken by a button of its detail, not by a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AgreementStep {
    Confirm(AgreementId),
    Sign(AgreementId),
}

impl AgreementTab {
    /// Closes the form whose save ran in the pass `pass` (its `COMMIT`
    /// went unanswered and proved saved once connected again): whether one
    /// did. The selection and the lists stay.
    pub fn close_form_saved_in(&mut self, pass: u64) -> bool {
        close_saved_in(&mut self.form, pass)
            | close_saved_in(&mut self.termination, pass)
            | close_saved_in(&mut self.renewal, pass)
    }

    /// Shows agreement `id` with its detail (from the 待办 list).
    pub fn open(&mut self, id: AgreementId) {
        self.selected = Some(id);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.printer.poll(tab);
        self.refresh(tab);
        self.toolbar_ui(ui, tab);
        ui.separator();
        if self.selected.is_some() {
            nested_side_panel(egui::Panel::right("agreement_detail"))
                .default_size(380.0)
                .resizable(true)
                .show(ui, |ui| {
                    self.detail_ui(ui, tab);
                });
        }
        nested_central_panel().show(ui, |ui| self.table_ui(ui, tab));
        self.forms_ui(ui.ctx(), tab);
        if let Some(order) = self.print_order.take() {
            self.printer.print(tab, ui.ctx(), order);
        }
    }

    /// Reads the list when the filter or the data changed, and the lists the forms need.
    fn refresh(&mut self, tab: &TabCtx<'_>) {
        if self.lists_stamp != Some(tab.stamp) {
            self.lists_stamp = Some(tab.stamp);
            self.prices = tab.desk.store().list_price_items().unwrap_or_default();
            self.staff = tab.desk.store().list_staff().unwrap_or_default();
        }
        let key = Some((self.query.clone(), tab.stamp));
        if self.list_key == key {
            return;
        }
        self.list_key = key;
        match tab.desk.agreements(&self.query) {
            Ok(list) => {
                self.list = list;
                self.error = None;
            }
            Err(e) => self.error = Some(t().app_error(&e)),
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let t = t();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.search);
            ui.add(
                egui::TextEdit::singleline(&mut self.query.text)
                    .hint_text(t.agr_search_hint)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            let label = ui.label(t.filter_status);
            choice_combo(
                ui,
                "agreement_status",
                &mut self.query.status,
                AgreementStatus::ALL,
                t.filter_all,
                |s| t.agreement_status(s).to_string(),
            )
            .labelled_by(label.id);
            if ui.button(RichText::new(t.agr_new).strong()).clicked() {
                self.form = Some(AgreementForm::blank(tab.desk.now().date()));
            }
            ui.label(fill(t.rows_count, &[("n", &self.list.len())]));
            if let Some(error) = &self.error {
                ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
            }
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let t = t();
        if self.list.is_empty() {
            ui.label(RichText::new(t.agr_none).weak());
            return;
        }
        let today = tab.desk.now().date();
        let titles = [
            t.col_no,
            t.col_resident,
            t.col_room,
            t.col_service,
            t.agr_field_schedule,
            t.agr_term,
            t.col_price,
            t.col_status,
        ];
        let cells: Vec<[String; 8]> = self.list.iter().map(|a| row_cells(a, today)).collect();
        let widths = fitted_widths(ui, &titles, cells.iter().map(|c| c.as_slice()));
        let mut clicked = None;
        let (list, selected) = (&self.list, self.selected);
        let mut table = TableBuilder::new(ui)
            // Widths follow the rows: new contents, new fit.
            .id_salt(("agreements_table", widths.iter().map(|w| *w as u32).collect::<Vec<_>>()))
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            // Every cell centred in its row, the right-aligned price too
            // (issue 19: the price sat 4 px below its row's other cells).
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for (i, width) in widths.iter().enumerate() {
            let column = if i + 1 == widths.len() { Column::remainder() } else { Column::initial(*width) };
            table = table.column(column.at_least(MIN_COLUMN.min(*width)).clip(clip_cells()));
        }
        table.header(ROW_HEIGHT, |header| headings_ui(header, &titles)).body(|body| {
            body.rows(ROW_HEIGHT, list.len(), |mut row| {
                let a = &list[row.index()];
                let [no, resident, room, service, schedule, term, price, status] = cells[row.index()].clone();
                row.set_selected(selected == Some(a.id));
                let soon = a.ends_within(today, ENDING_SOON_DAYS);
                for text in [no, resident, room, service, schedule] {
                    row.col(|ui| {
                        cell_ui(ui, text);
                    });
                }
                row.col(|ui| {
                    let text = RichText::new(term);
                    cell_ui(ui, if soon { text.color(ui.visuals().warn_fg_color) } else { text });
                });
                row.col(|ui| money_cell_ui(ui, price));
                row.col(|ui| {
                    cell_ui(ui, status);
                });
                if row.response().clicked() {
                    clicked = Some(a.id);
                }
            });
        });
        if clicked.is_some() {
            self.selected = clicked;
        }
    }

    fn load_detail(&mut self, tab: &TabCtx<'_>, id: AgreementId) {
        if self.detail.as_ref().is_some_and(|d| d.agreement.id == id && d.stamp == tab.stamp) {
            return;
        }
        self.detail = tab.desk.agreement(id).ok().map(|agreement| {
            let busy = agreement.status == AgreementStatus::Draft || agreement.makes_visits();
            let draft = tab.desk.agreement_draft(&agreement);
            let clashes = if busy {
                tab.desk.agreement_clashes(&draft, Some(id)).unwrap_or_default()
            } else {
                Vec::new()
            };
            Detail {
                stamp: tab.stamp,
                amendments: tab.desk.amendments(id).unwrap_or_default(),
                visits: tab.desk.agreement_visits(id).unwrap_or_default(),
                clashes,
                agreement,
            }
        });
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let Some(id) = self.selected else { return };
        self.load_detail(tab, id);
        let Some(detail) = &self.detail else { return };
        let a = detail.agreement.clone();
        ui.horizontal(|ui| {
            ui.heading(a.no.map(|n| n.to_string()).unwrap_or_else(|| t.agreement_status_draft.into()));
            ui.label(RichText::new(t.agreement_state(a.state_on(tab.desk.now().date()))).strong());
            if super::widgets::close_button(ui, t.close).clicked() {
                self.selected = None;
            }
        });
        let amendments = detail.amendments.clone();
        let visits = detail.visits.clone();
        let clashes = detail.clashes.clone();
        egui::ScrollArea::vertical().show(ui, |ui| {
            for clash in &clashes {
                ui.label(RichText::new(t.clash_text(clash)).color(ui.visuals().warn_fg_color));
            }
            terms_ui(ui, &a);
            ui.separator();
            self.actions_ui(ui, tab, &a, &amendments);
            ui.separator();
            amendments_ui(ui, &amendments);
            calendar_ui(ui, &visits, tab.desk.now());
        });
    }

    /// The steps this agreement allows now, and its documents.
    fn actions_ui(
        &mut self,
        ui: &mut egui::Ui,
        tab: &mut TabCtx<'_>,
        a: &Agreement,
        amendments: &[Amendment],
    ) {
        let t = t();
        let today = tab.desk.now().date();
        let label =
            a.no.map(|n| n.to_string()).unwrap_or_else(|| format!("{}-{}", t.agreement_status_draft, a.id));
        let result = match self.step_turn.take(ui) {
            Turn::Save(AgreementStep::Confirm(id)) => {
                Some(tab.desk.confirm_agreement(tab.user, id).map(|_| t.agr_confirmed_note.to_string()))
            }
            Turn::Save(AgreementStep::Sign(id)) => Some(tab.desk.sign_agreement(tab.user, id).map(|s| {
                fill(t.agr_signed_note, &[("no", &s.no.map(|n| n.to_string()).unwrap_or_default())])
            })),
            Turn::SavedAfterAll(_) | Turn::Idle => None,
        };
        if let Some(result) = result {
            report(tab, result);
        }
        if self.step_turn.take_dropped() {
            *tab.status = Some(t.form_save_dropped.to_string());
        }
        ui.horizontal_wrapped(|ui| match a.status {
            AgreementStatus::Draft => {
                if ui.button(t.agr_edit).clicked() {
                    let draft = tab.desk.agreement_draft(a);
                    self.form = Some(AgreementForm::new(AgreementFormKind::EditDraft(a.id), draft, today));
                }
                // R-AG-2: the CS assistant confirms, the manager signs what was confirmed.
                let at_cs = tab.user.desk == crate::domain::Desk::CsCenter;
                if a.confirmed.is_none() && at_cs && ui.button(t.agr_confirm).clicked() {
                    self.step_turn.ask(ui, AgreementStep::Confirm(a.id));
                }
                let manager = tab.user.rank == crate::domain::Rank::Manager;
                if a.confirmed.is_some() && manager && ui.button(t.agr_sign).clicked() {
                    self.step_turn.ask(ui, AgreementStep::Sign(a.id));
                }
                self.step_turn.beside_ui(ui, &AgreementStep::Confirm(a.id));
                self.step_turn.beside_ui(ui, &AgreementStep::Sign(a.id));
            }
            AgreementStatus::Signed | AgreementStatus::Active => {
                if ui.button(t.agr_amend).clicked() {
                    let draft = tab.desk.agreement_draft(a);
                    self.form = Some(AgreementForm::new(AgreementFormKind::Amend(a.id), draft, today));
                }
                if ui.button(t.agr_terminate).clicked() {
                    self.termination = Some(TerminationForm::new(a.id, today));
                }
                if ui.button(t.agr_renew).clicked() {
                    self.renewal = Some(RenewalForm::new(a.id, same_length_after(a)));
                }
            }
            AgreementStatus::Ended => {
                if ui.button(t.agr_renew).clicked() {
                    self.renewal = Some(RenewalForm::new(a.id, same_length_after(a)));
                }
            }
            AgreementStatus::Terminated => {}
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button(t.agr_print).clicked() {
                self.print_order = Some(PrintOrder::Agreement(a.id, label.clone()));
            }
            // Beside the agreement as signed: the text as it now stands (R-AG-2).
            if let Some(last) = amendments.last()
                && ui.button(fill(t.agr_print_consolidated, &[("n", &last.seq)])).clicked()
            {
                self.print_order = Some(PrintOrder::Consolidated(a.id, last.seq, label.clone()));
            }
            for m in amendments {
                if ui.button(fill(t.agr_print_amendment, &[("n", &m.seq)])).clicked() {
                    self.print_order = Some(PrintOrder::Amendment(a.id, m.seq, label.clone()));
                }
            }
            if a.renewal_of.is_some() && ui.button(t.agr_print_renewal).clicked() {
                self.print_order = Some(PrintOrder::Renewal(a.id, label.clone()));
            }
            if a.termination.is_some() && ui.button(t.agr_print_notice).clicked() {
                self.print_order = Some(PrintOrder::Notice(a.id, label.clone()));
            }
        });
    }

    fn forms_ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        let outcome = if let Some(form) = &mut self.form {
            Some((0, form.ui(ctx, tab, &self.prices, &self.staff)))
        } else if let Some(form) = &mut self.termination {
            Some((TERMINATION_FORM, form.ui(ctx, tab)))
        } else {
            self.renewal.as_mut().map(|form| (2, form.ui(ctx, tab)))
        };
        match outcome {
            Some((_, AgreementOutcome::Open)) | None => {}
            Some((_, AgreementOutcome::Cancelled)) => self.close_forms(),
            Some((form, AgreementOutcome::Saved(id, message))) => {
                self.close_forms();
                self.selected = Some(id);
                tab.after_write(message);
                if form == TERMINATION_FORM {
                    self.print_notice(tab, id);
                }
            }
        }
    }

    /// R-AG-3: the written notice prints as the termination is saved, as
    /// its dialog says, through the tab's print job.
    fn print_notice(&mut self, tab: &TabCtx<'_>, id: AgreementId) {
        let Ok(a) = tab.desk.agreement(id) else { return };
        let label = a.no.map(|n| n.to_string()).unwrap_or_else(|| a.id.to_string());
        self.print_order = Some(PrintOrder::Notice(id, label));
    }

    fn close_forms(&mut self) {
        self.form = None;
        self.termination = None;
        self.renewal = None;
    }
}

/// A renewal's suggested end: a term as long as this one, after it.
fn same_length_after(a: &Agreement) -> chrono::NaiveDate {
    a.term_end.checked_add_signed(a.term_end - a.term_start).unwrap_or(a.term_end)
}

/// A step's outcome on the status line.
fn report(tab: &mut TabCtx<'_>, result: crate::app::Result<String>) {
    match result {
        Ok(message) => tab.after_write(message),
        Err(e) => *tab.status = Some(t().app_error(&e)),
    }
}

/// Every term of the agreement, as agreed now.
fn terms_ui(ui: &mut egui::Ui, a: &Agreement) {
    let t = t();
    let staff: Vec<&str> = a.staff.iter().map(|(_, n)| n.as_str()).collect();
    let mut rows: Vec<(&str, String)> = vec![
        (t.agr_field_resident, a.resident_name.clone()),
        (t.agr_field_room, a.room.clone()),
        (t.agr_field_phone, a.phone.clone()),
        (t.agr_field_service, a.service.clone()),
    ];
    if let Some(m2) = a.area_m2 {
        rows.push((t.agr_field_area, fill(t.area_value, &[("m2", &m2)])));
    }
    rows.extend([
        (t.agr_field_details, a.details.clone()),
        (t.agr_field_persons, a.persons_served.clone()),
        (t.agr_field_requirements, a.requirements.clone()),
        (t.agr_field_staff, staff.join(t.list_sep)),
        (t.agr_field_schedule, t.schedule_text(&a.schedule)),
        (t.agr_term, format!("{} – {}", a.term_start, a.term_end)),
        (
            t.agr_field_price,
            format!("{}／{}（{}）", a.price, t.basis(a.basis), crate::i18n::amount_words(a.price)),
        ),
        (t.agr_field_payment, a.payment_terms.clone()),
    ]);
    if let Some((by, at)) = &a.confirmed {
        rows.push((t.agr_confirmed, format!("{by} {}", at.format("%Y-%m-%d %H:%M"))));
    }
    if let Some((by, on)) = &a.signed {
        rows.push((t.agr_signed, format!("{by} {on}")));
    }
    if let Some(term) = &a.termination {
        rows.push((
            t.agr_termination,
            format!(
                "{}（{} {}，{} {}）",
                term.reason, t.agr_field_notice, term.notice_on, t.agr_field_stop, term.stop_on
            ),
        ));
    }
    egui::Grid::new("agreement_terms").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
        for (label, value) in rows {
            ui.label(RichText::new(label).weak());
            ui.add(egui::Label::new(value).wrap());
            ui.end_row();
        }
    });
}

fn amendments_ui(ui: &mut egui::Ui, amendments: &[Amendment]) {
    let t = t();
    if amendments.is_empty() {
        return;
    }
    ui.strong(t.agr_amendments);
    for m in amendments {
        let fields: Vec<&str> = m.changes.iter().map(|(field, _, _)| t.history_field(field)).collect();
        ui.label(fill(
            t.agr_amendment_line,
            &[
                ("n", &m.seq),
                ("on", &m.effective_on),
                ("fields", &fields.join(t.list_sep)),
                ("reason", &m.reason),
                ("by", &m.by),
            ],
        ));
    }
    ui.add_space(6.0);
}

/// R-DSP-4: the visits on the register, coming ones first.
fn calendar_ui(ui: &mut egui::Ui, visits: &[Request], now: chrono::NaiveDateTime) {
    let t = t();
    ui.strong(t.agr_calendar);
    let coming: Vec<&Request> = visits.iter().filter(|v| v.appointment >= now).collect();
    let past = visits.len() - coming.len();
    if coming.is_empty() {
        ui.label(RichText::new(t.agr_no_visits).weak());
    }
    for v in coming {
        let weekday = t.weekday(chrono::Datelike::weekday(&v.appointment).number_from_monday());
        let staff = v.assigned_staff.as_ref().map(|(_, n)| n.as_str()).unwrap_or("");
        ui.label(format!(
            "{} {weekday} · {} · {} · {staff}",
            super::widgets::table_time(v.appointment, now.date()),
            v.no,
            t.status(v.status)
        ));
    }
    if past > 0 {
        ui.label(RichText::new(fill(t.agr_past_visits, &[("n", &past)])).weak());
    }
}

/// The texts of an agreement's row in the list, column by column.
fn row_cells(a: &Agreement, today: chrono::NaiveDate) -> [String; 8] {
    let t = t();
    let status = t.agreement_state(a.state_on(today));
    let status = if a.ends_within(today, ENDING_SOON_DAYS) {
        format!("{status} · {}", t.agr_ending_soon)
    } else {
        status.to_string()
    };
    [
        a.no.map(|n| n.to_string()).unwrap_or_else(|| t.agreement_status_draft.into()),
        a.resident_name.clone(),
        a.room.clone(),
        a.service.clone(),
        t.schedule_text(&a.schedule),
        format!("{} – {}", a.term_start, a.term_end),
        format!("{}／{}", a.price, t.basis(a.basis)),
        status,
    ]
}
