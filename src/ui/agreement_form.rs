//! The agreement forms of the 协议 tab: a new or draft agreement, an
//! amendment (变更书: the terms, a reason and the day it takes effect), an
//! early termination (R-AG-3) and a renewal (续订书). The rules are the
//! domain's; these only gather what is typed and show each refusal next to
//! its field.

use chrono::NaiveDate;
use egui::RichText;

use super::TabCtx;
use super::widgets::{
    FormAction, FormState, error_cell, form_combo, saving_by_state, text_row, text_row_with,
};
use crate::app::AppError;
use crate::domain::{
    AgreementDraft, AgreementField, AgreementId, Category, PriceBasis, PriceItem, ServiceChoice, Staff,
    Termination, draft_price_band, is_area_unit, parse_area, parse_date, price_band,
};
use crate::i18n::{fill, t};

/// What a form did this frame.
pub enum AgreementOutcome {
    Open,
    Cancelled,
    Saved(AgreementId, String),
}

/// Which change the form makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementFormKind {
    New,
    EditDraft(AgreementId),
    Amend(AgreementId),
}

pub struct AgreementForm {
    kind: AgreementFormKind,
    draft: AgreementDraft,
    initial: AgreementDraft,
    unlisted: String,
    reason: String,
    effective_on: String,
    state: FormState<AgreementField>,
    /// The first field takes the keyboard when the form opens.
    first_frame: bool,
}

/// A refused save: each message next to its field, one line under the form.
fn show_refusal(state: &mut FormState<AgreementField>, e: &AppError) {
    let t = t();
    state.clear();
    match e {
        AppError::Agreement(errors) => {
            for error in errors {
                state.fields.entry(error.field).or_insert_with(|| t.agreement_error(&error.error));
            }
            // Every refusal also under the form: some forms (a renewal) do not show every field.
            let all: Vec<String> = errors
                .iter()
                .map(|e| format!("{}：{}", t.agreement_field(e.field), t.agreement_error(&e.error)))
                .collect();
            state.message = Some(Err(all.join("；")));
        }
        other => state.message = Some(Err(t.app_error(other))),
    }
}

/// The price-list item the draft names, if it names one.
fn listed_item<'a>(draft: &AgreementDraft, prices: &'a [PriceItem]) -> Option<&'a PriceItem> {
    match draft.service {
        ServiceChoice::Listed(id) => prices.iter().find(|p| p.id == id),
        _ => None,
    }
}

/// The band that saving will check (R-FEE-4): the hours, the area and the
/// visits a month counted; until the schedule (or the area) reads, the
/// list price as it stands.
fn band_hint(draft: &AgreementDraft, item: &PriceItem) -> String {
    let t = t();
    let basis = t.basis(draft.basis.unwrap_or(PriceBasis::PerVisit));
    let area_item = is_area_unit(&item.unit);
    match draft_price_band(draft, item) {
        Some((listed, low, high)) if area_item => {
            let area = fill(t.area_value, &[("m2", &parse_area(&draft.area).unwrap_or_default())]);
            fill(
                t.agr_area_band,
                &[
                    ("price", &item.price),
                    ("unit", &item.unit),
                    ("area", &area),
                    ("basis", &basis),
                    ("listed", &listed),
                    ("low", &low),
                    ("high", &high),
                ],
            )
        }
        Some((listed, low, high)) => fill(
            t.agr_listed_band,
            &[
                ("price", &item.price),
                ("unit", &item.unit),
                ("basis", &basis),
                ("listed", &listed),
                ("low", &low),
                ("high", &high),
            ],
        ),
        None if area_item => fill(t.agr_area_pending, &[("price", &item.price), ("unit", &item.unit)]),
        None => {
            let (low, high) = price_band(item.price);
            fill(
                t.listed_price,
                &[("price", &item.price), ("unit", &item.unit), ("low", &low), ("high", &high)],
            )
        }
    }
}

impl AgreementForm {
    pub fn new(kind: AgreementFormKind, draft: AgreementDraft, today: NaiveDate) -> AgreementForm {
        let unlisted = match &draft.service {
            ServiceChoice::Unlisted(name) => name.clone(),
            _ => String::new(),
        };
        AgreementForm {
            kind,
            initial: draft.clone(),
            draft,
            unlisted,
            reason: String::new(),
            effective_on: today.to_string(),
            state: FormState::default(),
            first_frame: true,
        }
    }

    /// A blank new agreement: weekly, per visit, starting today.
    pub fn blank(today: NaiveDate) -> AgreementForm {
        let draft = AgreementDraft {
            weekly: true,
            basis: Some(PriceBasis::PerVisit),
            term_start: today.to_string(),
            ..AgreementDraft::default()
        };
        AgreementForm::new(AgreementFormKind::New, draft, today)
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        tab: &mut TabCtx<'_>,
        prices: &[PriceItem],
        staff: &[Staff],
    ) -> AgreementOutcome {
        let t = t();
        let title = match self.kind {
            AgreementFormKind::New => t.agr_form_new,
            AgreementFormKind::EditDraft(_) => t.agr_form_edit,
            AgreementFormKind::Amend(_) => t.agr_form_amend,
        };
        let popup_was_open = egui::Popup::is_any_open(ctx);
        let mut outcome = AgreementOutcome::Open;
        egui::Modal::new(egui::Id::unique("agreement_form")).show(ctx, |ui| {
            ui.set_width(880.0);
            ui.heading(title);
            egui::ScrollArea::vertical().max_height(ctx.content_rect().height() - 200.0).show(ui, |ui| {
                egui::Grid::new("agreement_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                    self.fields_ui(ui, prices, staff);
                });
            });
            ui.separator();
            let dirty = self.draft != self.initial || !self.reason.is_empty();
            match self.state.footer_ui(ui, popup_was_open, dirty) {
                Some(FormAction::Save) => outcome = self.save(tab),
                Some(FormAction::Discard) => outcome = AgreementOutcome::Cancelled,
                None => {}
            }
        });
        outcome
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, prices: &[PriceItem], staff: &[Staff]) {
        use AgreementField as F;
        let t = t();
        let amend = matches!(self.kind, AgreementFormKind::Amend(_));
        if amend {
            text_row(ui, t.agr_field_reason, &mut self.reason, self.state.get(F::Reason));
            text_row(ui, t.agr_field_effective, &mut self.effective_on, self.state.get(F::EffectiveOn));
            // The parties and the room are not amendable (a new term is a renewal).
            for (label, value) in
                [(t.agr_field_room, &self.draft.room), (t.agr_field_resident, &self.draft.resident_name)]
            {
                ui.label(label);
                ui.label(value.as_str());
                error_cell(ui, self.state.get(F::Room));
                ui.end_row();
            }
        } else {
            let room =
                text_row_with(ui, t.agr_field_room, &mut self.draft.room, self.state.get(F::Room), |e| {
                    e.hint_text("3栋2单元201 / 3-2-201")
                });
            if std::mem::take(&mut self.first_frame) {
                room.request_focus();
            }
            text_row(
                ui,
                t.agr_field_resident,
                &mut self.draft.resident_name,
                self.state.get(F::ResidentName),
            );
        }
        text_row(ui, t.agr_field_phone, &mut self.draft.phone, self.state.get(F::Phone));
        self.service_ui(ui, prices);
        text_row(ui, t.agr_field_details, &mut self.draft.details, self.state.get(F::Details));
        text_row(ui, t.agr_field_persons, &mut self.draft.persons_served, None);
        text_row(ui, t.agr_field_requirements, &mut self.draft.requirements, None);
        self.staff_ui(ui, staff);
        self.schedule_ui(ui);
        if !amend {
            text_row_with(
                ui,
                t.agr_field_term_start,
                &mut self.draft.term_start,
                self.state.get(F::TermStart),
                |e| e.hint_text("2026-12-01"),
            );
            text_row_with(
                ui,
                t.agr_field_term_end,
                &mut self.draft.term_end,
                self.state.get(F::TermEnd),
                |e| e.hint_text("2027-05-31"),
            );
        }
        self.price_ui(ui, prices);
        text_row(ui, t.agr_field_payment, &mut self.draft.payment_terms, self.state.get(F::PaymentTerms));
    }

    /// A housekeeping item of the price list, or a reviewed unlisted service (R-FEE-4).
    fn service_ui(&mut self, ui: &mut egui::Ui, prices: &[PriceItem]) {
        let t = t();
        let items: Vec<&PriceItem> = prices
            .iter()
            .filter(|p| p.active && matches!(p.category, Category::Cleaning | Category::Greening))
            .collect();
        let label = ui.label(t.agr_field_service);
        let selected = match &self.draft.service {
            ServiceChoice::Listed(id) => items.iter().find(|p| p.id == *id).map(|p| p.name.clone()),
            ServiceChoice::Unlisted(_) => Some(t.service_unlisted.to_string()),
            ServiceChoice::None => None,
        };
        let selected = selected.unwrap_or_else(|| t.service_choose.into());
        form_combo(
            ui,
            "agreement_service",
            |c| c.selected_text(selected).width(320.0),
            |ui| {
                for item in &items {
                    let text = format!("{} · {}／{}", item.name, item.price, item.unit);
                    ui.selectable_value(&mut self.draft.service, ServiceChoice::Listed(item.id), text);
                }
                ui.selectable_value(
                    &mut self.draft.service,
                    ServiceChoice::Unlisted(String::new()),
                    t.service_unlisted,
                );
            },
        )
        .labelled_by(label.id);
        error_cell(ui, self.state.get(AgreementField::Service));
        ui.end_row();
        // An item priced by the ㎡ is priced by the area served (R-FEE-4).
        if listed_item(&self.draft, prices).is_some_and(|item| is_area_unit(&item.unit)) {
            text_row_with(
                ui,
                t.agr_field_area,
                &mut self.draft.area,
                self.state.get(AgreementField::Area),
                |e| e.hint_text("85").desired_width(80.0),
            );
        }
        if let ServiceChoice::Unlisted(_) = self.draft.service {
            text_row(ui, t.field_unlisted_service, &mut self.unlisted, None);
            self.draft.service = ServiceChoice::Unlisted(self.unlisted.clone());
            text_row(ui, t.field_review_by, &mut self.draft.review_by, None);
            text_row(
                ui,
                t.field_review_conclusion,
                &mut self.draft.review_conclusion,
                self.state.get(AgreementField::Review),
            );
        }
    }

    /// R-AG-2: the named staff, of the housekeeping group.
    fn staff_ui(&mut self, ui: &mut egui::Ui, staff: &[Staff]) {
        let t = t();
        let label = ui.label(t.agr_field_staff);
        ui.horizontal_wrapped(|ui| {
            ui.set_max_width(420.0);
            for s in staff.iter().filter(|s| s.active && s.group == crate::domain::Group::Housekeeping) {
                let mut named = self.draft.staff.contains(&s.id);
                if ui.checkbox(&mut named, &s.name).changed() {
                    if named {
                        self.draft.staff.push(s.id);
                    } else {
                        self.draft.staff.retain(|id| *id != s.id);
                    }
                }
            }
        })
        .response
        .labelled_by(label.id);
        error_cell(ui, self.state.get(AgreementField::Staff));
        ui.end_row();
    }

    /// Weekdays every week, or dates every month, and the visit's hours.
    fn schedule_ui(&mut self, ui: &mut egui::Ui) {
        use AgreementField as F;
        let t = t();
        let label = ui.label(t.agr_field_schedule);
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.draft.weekly, true, t.agr_weekly);
                ui.radio_value(&mut self.draft.weekly, false, t.agr_monthly);
            });
            if self.draft.weekly {
                ui.horizontal(|ui| {
                    for n in 1..=7 {
                        let mut on = self.draft.days.contains(&n);
                        if ui.checkbox(&mut on, t.weekday(n)).changed() {
                            if on {
                                self.draft.days.push(n);
                            } else {
                                self.draft.days.retain(|d| *d != n);
                            }
                        }
                    }
                });
            } else {
                let dates = ui.label(t.agr_dates);
                ui.add(
                    egui::TextEdit::singleline(&mut self.draft.dates).hint_text("1, 15").desired_width(160.0),
                )
                .labelled_by(dates.id);
            }
        })
        .response
        .labelled_by(label.id);
        error_cell(ui, self.state.get(F::Schedule));
        ui.end_row();
        let label = ui.label(t.agr_field_times);
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut self.draft.start).hint_text("09:00").desired_width(60.0))
                .labelled_by(label.id);
            ui.label("–");
            let to = ui.label(t.agr_until);
            ui.add(egui::TextEdit::singleline(&mut self.draft.end).hint_text("11:00").desired_width(60.0))
                .labelled_by(to.id);
        });
        error_cell(ui, self.state.get(F::Times));
        ui.end_row();
    }

    /// The price, per visit or per month, with the listed price's band (R-FEE-4).
    fn price_ui(&mut self, ui: &mut egui::Ui, prices: &[PriceItem]) {
        let t = t();
        let label = ui.label(t.agr_field_basis);
        ui.horizontal(|ui| {
            for basis in PriceBasis::ALL {
                ui.radio_value(&mut self.draft.basis, Some(*basis), t.basis(*basis));
            }
        })
        .response
        .labelled_by(label.id);
        error_cell(ui, None);
        ui.end_row();
        text_row(ui, t.agr_field_price, &mut self.draft.price, self.state.get(AgreementField::Price));
        if let Some(item) = listed_item(&self.draft, prices) {
            ui.label("");
            ui.label(RichText::new(band_hint(&self.draft, item)).weak());
            ui.label("");
            ui.end_row();
        }
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> AgreementOutcome {
        let t = t();
        self.state.clear();
        let result = match self.kind {
            AgreementFormKind::New => tab.desk.save_agreement_draft(tab.user, None, &self.draft),
            AgreementFormKind::EditDraft(id) => {
                tab.desk.save_agreement_draft(tab.user, Some(id), &self.draft)
            }
            AgreementFormKind::Amend(id) => {
                let Some(effective_on) = parse_date(&self.effective_on) else {
                    self.state.fields.insert(AgreementField::EffectiveOn, t.err_agr_date.into());
                    self.state.message = Some(Err(t.err_form_has_errors.into()));
                    return AgreementOutcome::Open;
                };
                tab.desk.amend_agreement(tab.user, id, &self.draft, &self.reason, effective_on).map(|_| id)
            }
        };
        match result {
            Ok(id) => {
                // Issue 19: saved, with the staff member's other bookings named.
                let clashes = tab.desk.agreement_clashes(&self.draft, Some(id)).unwrap_or_default();
                let mut message = t.agr_saved.to_string();
                for clash in &clashes {
                    message.push('；');
                    message.push_str(&t.clash_text(clash));
                }
                AgreementOutcome::Saved(id, message)
            }
            Err(e) => {
                show_refusal(&mut self.state, &e);
                AgreementOutcome::Open
            }
        }
    }
}

/// R-AG-3: ending a running agreement early, with the written notice's dates.
pub struct TerminationForm {
    id: AgreementId,
    reason: String,
    notice_on: String,
    stop_on: String,
    state: FormState<AgreementField>,
}

impl TerminationForm {
    pub fn new(id: AgreementId, today: NaiveDate) -> TerminationForm {
        let week = today + chrono::Duration::days(7);
        TerminationForm {
            id,
            reason: String::new(),
            notice_on: today.to_string(),
            stop_on: week.to_string(),
            state: FormState::default(),
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) -> AgreementOutcome {
        use AgreementField as F;
        let t = t();
        let popup_was_open = egui::Popup::is_any_open(ctx);
        let mut outcome = AgreementOutcome::Open;
        egui::Modal::new(egui::Id::unique("termination_form")).show(ctx, |ui| {
            ui.set_width(620.0);
            ui.heading(t.agr_form_terminate);
            ui.label(RichText::new(t.agr_terminate_hint).weak());
            egui::Grid::new("termination_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                text_row(ui, t.agr_field_reason, &mut self.reason, self.state.get(F::Reason));
                text_row(ui, t.agr_field_notice, &mut self.notice_on, self.state.get(F::NoticeOn));
                text_row(ui, t.agr_field_stop, &mut self.stop_on, self.state.get(F::StopOn));
            });
            ui.separator();
            match self.state.footer_ui(ui, popup_was_open, !self.reason.is_empty()) {
                Some(FormAction::Save) => outcome = self.save(tab),
                Some(FormAction::Discard) => outcome = AgreementOutcome::Cancelled,
                None => {}
            }
        });
        outcome
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> AgreementOutcome {
        let t = t();
        self.state.clear();
        let (Some(notice_on), Some(stop_on)) = (parse_date(&self.notice_on), parse_date(&self.stop_on))
        else {
            for (field, text) in
                [(AgreementField::NoticeOn, &self.notice_on), (AgreementField::StopOn, &self.stop_on)]
            {
                if parse_date(text).is_none() {
                    self.state.fields.insert(field, t.err_agr_date.into());
                }
            }
            return AgreementOutcome::Open;
        };
        let termination = Termination { reason: self.reason.clone(), notice_on, stop_on };
        match tab.desk.terminate_agreement(tab.user, self.id, &termination) {
            Ok(_) => AgreementOutcome::Saved(self.id, fill(t.agr_terminated, &[("stop", &stop_on)])),
            Err(e) => {
                show_refusal(&mut self.state, &e);
                AgreementOutcome::Open
            }
        }
    }
}

/// A renewal (续订书): the new term's last day; the rest is copied.
pub struct RenewalForm {
    id: AgreementId,
    term_end: String,
    state: FormState<AgreementField>,
}

impl RenewalForm {
    pub fn new(id: AgreementId, suggested_end: NaiveDate) -> RenewalForm {
        RenewalForm { id, term_end: suggested_end.to_string(), state: FormState::default() }
    }

    pub fn ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) -> AgreementOutcome {
        let t = t();
        let popup_was_open = egui::Popup::is_any_open(ctx);
        let mut outcome = AgreementOutcome::Open;
        egui::Modal::new(egui::Id::unique("renewal_form")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(t.agr_form_renew);
            ui.label(RichText::new(t.agr_renew_hint).weak());
            egui::Grid::new("renewal_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                text_row(ui, t.agr_renew_until, &mut self.term_end, self.state.get(AgreementField::TermEnd));
            });
            ui.separator();
            match self.state.footer_ui(ui, popup_was_open, false) {
                Some(FormAction::Save) => outcome = self.save(tab),
                Some(FormAction::Discard) => outcome = AgreementOutcome::Cancelled,
                None => {}
            }
        });
        outcome
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> AgreementOutcome {
        let t = t();
        self.state.clear();
        let Some(end) = parse_date(&self.term_end) else {
            self.state.fields.insert(AgreementField::TermEnd, t.err_agr_date.into());
            return AgreementOutcome::Open;
        };
        match tab.desk.renew_agreement(tab.user, self.id, end) {
            Ok(new) => AgreementOutcome::Saved(new, t.agr_renewed.to_string()),
            Err(e) => {
                show_refusal(&mut self.state, &e);
                AgreementOutcome::Open
            }
        }
    }
}

saving_by_state!(AgreementForm, TerminationForm, RenewalForm);
