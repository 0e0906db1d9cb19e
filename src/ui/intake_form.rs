//! The new-row form of a register (keyboard-first: Tab order, Enter saves,
//! Esc cancels), the refusal form (R-IN-1) and the correction form (R-FU-6). Validation is the domain's;
//! this only shows each message next to its field.

use chrono::{Duration, NaiveDateTime, Timelike};
use egui::RichText;

use super::TabCtx;
use super::widgets::{
    FormAction, FormState, choice_combo, error_cell, form_combo, saving_by_state, text_row, text_row_with,
};
use crate::app::AppError;
use crate::domain::{
    AlarmWork, CorrectionDraft, Desk, Field, Household, IntakeDraft, PriceItem, RefusalDraft, RegisterKind,
    Request, RequestId, RoomNo, ServiceChoice, Staff, Urgency, price_band,
};
use crate::i18n::{fill, t};

/// What a form did this frame.
pub enum FormOutcome {
    Open,
    Cancelled,
    Saved { id: RequestId, kind: RegisterKind },
}

/// The household behind the room typed so far, and its latest requests.
#[derive(Default)]
struct RoomLookup {
    looked_up: String,
    household: Option<Household>,
    recent: Vec<Request>,
}

pub struct IntakeForm {
    kind: RegisterKind,
    draft: IntakeDraft,
    unlisted: String,
    /// The price was filled in from the list, so choosing another item replaces it.
    price_from_list: bool,
    state: FormState<Field>,
    lookup: RoomLookup,
    first_frame: bool,
    /// The draft as opened, to tell whether anything was typed.
    initial: IntakeDraft,
}

/// A refused save of an intake-type form, shown the way every form shows it.
trait Refused {
    fn refused(&mut self, e: &AppError);
}

impl Refused for FormState<Field> {
    /// The first message per field next to it; a rule about the row itself
    /// (`Field::Kind`) or a non-field failure under the form.
    fn refused(&mut self, e: &AppError) {
        let t = t();
        let AppError::Invalid(errors) = e else {
            self.message = Some(Err(t.app_error(e)));
            return;
        };
        for error in errors {
            self.fields.entry(error.field).or_insert_with(|| t.intake_error(&error.error));
        }
        let about_the_row = errors.iter().find(|e| e.field == Field::Kind);
        self.message = Some(Err(match about_the_row {
            Some(row) => t.intake_error(&row.error),
            None => t.err_form_has_errors.into(),
        }));
    }
}

/// A sensible first appointment: the next half hour at least an hour away.
fn default_appointment(now: NaiveDateTime) -> String {
    let later = now + Duration::minutes(60);
    let rounded = if later.minute().is_multiple_of(30) {
        later
    } else {
        later + Duration::minutes(i64::from(30 - later.minute() % 30))
    };
    rounded.format("%Y-%m-%d %H:%M").to_string()
}

impl IntakeForm {
    pub fn new(kind: RegisterKind, desk: Desk, now: NaiveDateTime) -> IntakeForm {
        let relaying = kind == RegisterKind::Repair && desk == Desk::CsCenter;
        let draft = IntakeDraft {
            kind: Some(kind),
            appointment: default_appointment(now),
            urgency: relaying.then_some(Urgency::Emergency),
            ..IntakeDraft::default()
        };
        IntakeForm {
            kind,
            initial: draft.clone(),
            draft,
            unlisted: String::new(),
            price_from_list: false,
            state: FormState::default(),
            lookup: RoomLookup::default(),
            first_frame: true,
        }
    }

    /// Draws the form in a modal; saving calls `register_request`.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        tab: &mut TabCtx<'_>,
        prices: &[PriceItem],
        staff: &[Staff],
    ) -> FormOutcome {
        let t = t();
        self.refresh_lookup(tab);
        let mut outcome = FormOutcome::Open;
        let title = fill(t.form_title_new, &[("register", &t.register_title(self.kind))]);
        let popup_was_open = egui::Popup::is_any_open(ctx);
        egui::Modal::new(egui::Id::unique("intake_form")).show(ctx, |ui| {
            ui.set_width(820.0);
            ui.heading(title);
            if self.kind == RegisterKind::Repair && tab.user.desk == Desk::CsCenter {
                ui.label(RichText::new(t.relay_banner).color(ui.visuals().warn_fg_color));
            }
            egui::ScrollArea::vertical().max_height(ctx.content_rect().height() - 200.0).show(ui, |ui| {
                egui::Grid::new("intake_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                    self.fields_ui(ui, tab, prices, staff);
                });
                self.lookup_ui(ui);
            });
            ui.separator();
            let dirty = self.draft != self.initial;
            match self.state.footer_ui(ui, popup_was_open, dirty) {
                Some(FormAction::Save) => outcome = self.save(tab),
                Some(FormAction::Discard) => outcome = FormOutcome::Cancelled,
                None => {}
            }
        });
        outcome
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, prices: &[PriceItem], staff: &[Staff]) {
        let t = t();
        let room = text_row_with(ui, t.field_room, &mut self.draft.room, self.state.get(Field::Room), |e| {
            e.hint_text("3栋2单元201 / 3-2-201")
        });
        if self.first_frame {
            room.request_focus();
            self.first_frame = false;
        }
        text_row(ui, t.field_resident, &mut self.draft.resident_name, self.state.get(Field::ResidentName));
        text_row(ui, t.field_phone, &mut self.draft.phone, self.state.get(Field::Phone));
        self.service_ui(ui, prices);
        text_row(ui, t.field_details, &mut self.draft.details, self.state.get(Field::Details));
        match self.kind {
            RegisterKind::Repair => self.urgency_ui(ui),
            RegisterKind::Alarm => self.alarm_work_ui(ui),
            RegisterKind::Housekeeping => {}
        }
        text_row_with(
            ui,
            t.field_appointment,
            &mut self.draft.appointment,
            self.state.get(Field::Appointment),
            |e| e.hint_text(t.appointment_hint),
        );
        text_row(ui, t.field_slack_reason, &mut self.draft.slack_reason, self.state.get(Field::SlackReason));
        self.price_ui(ui, prices);
        self.staff_ui(ui, staff);
        if self.kind == RegisterKind::Repair && tab.user.desk == Desk::CsCenter {
            text_row(ui, t.field_relay_told, &mut self.draft.relay_told, self.state.get(Field::RelayTold));
        }
        text_row(ui, t.field_notes, &mut self.draft.notes, self.state.get(Field::Notes));
    }

    fn service_ui(&mut self, ui: &mut egui::Ui, prices: &[PriceItem]) {
        let t = t();
        let items: Vec<&PriceItem> =
            prices.iter().filter(|p| p.active && p.category.register() == self.kind).collect();
        let label = ui.label(t.field_service);
        let selected = match &self.draft.service {
            ServiceChoice::Listed(id) => items.iter().find(|p| p.id == *id).map(|p| p.name.clone()),
            ServiceChoice::Unlisted(_) => Some(t.service_unlisted.to_string()),
            ServiceChoice::None => None,
        };
        let before = self.draft.service.clone();
        let selected = selected.unwrap_or_else(|| t.service_choose.into());
        form_combo(
            ui,
            "service_combo",
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
        error_cell(ui, self.state.get(Field::Service));
        ui.end_row();
        if self.draft.service != before {
            self.on_service_changed(&items);
        }
        if let ServiceChoice::Unlisted(_) = self.draft.service {
            text_row(ui, t.field_unlisted_service, &mut self.unlisted, None);
            self.draft.service = ServiceChoice::Unlisted(self.unlisted.clone());
            ui.label("");
            ui.label(RichText::new(t.review_needed_hint).weak());
            ui.label("");
            ui.end_row();
            text_row(ui, t.field_review_by, &mut self.draft.review_by, None);
            text_row(
                ui,
                t.field_review_conclusion,
                &mut self.draft.review_conclusion,
                self.state.get(Field::Review),
            );
        }
    }

    /// Fills the price from the list unless the clerk typed one already.
    fn on_service_changed(&mut self, items: &[&PriceItem]) {
        if let ServiceChoice::Listed(id) = self.draft.service
            && let Some(item) = items.iter().find(|p| p.id == id)
            && (self.draft.price.trim().is_empty() || self.price_from_list)
        {
            self.draft.price = item.price.to_plain();
            self.price_from_list = true;
        }
    }

    fn urgency_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        ui.label(t.field_urgency);
        ui.horizontal(|ui| {
            for option in Urgency::ALL {
                ui.radio_value(&mut self.draft.urgency, Some(*option), t.urgency(*option));
            }
        });
        error_cell(ui, self.state.get(Field::Urgency));
        ui.end_row();
    }

    fn alarm_work_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        ui.label(t.field_alarm_work);
        ui.horizontal(|ui| {
            for option in AlarmWork::ALL {
                ui.radio_value(&mut self.draft.alarm_work, Some(*option), t.alarm_work(*option));
            }
        });
        error_cell(ui, self.state.get(Field::AlarmWork));
        ui.end_row();
    }

    fn price_ui(&mut self, ui: &mut egui::Ui, prices: &[PriceItem]) {
        let t = t();
        let before = self.draft.price.clone();
        text_row(ui, t.field_price, &mut self.draft.price, self.state.get(Field::Price));
        if self.draft.price != before {
            self.price_from_list = false;
        }
        if let ServiceChoice::Listed(id) = self.draft.service
            && let Some(item) = prices.iter().find(|p| p.id == id)
        {
            let (low, high) = price_band(item.price);
            ui.label("");
            ui.label(
                RichText::new(fill(
                    t.listed_price,
                    &[("price", &item.price), ("unit", &item.unit), ("low", &low), ("high", &high)],
                ))
                .weak(),
            );
            ui.label("");
            ui.end_row();
        }
        ui.label("");
        ui.checkbox(&mut self.draft.price_agreed, t.field_price_agreed);
        ui.label("");
        ui.end_row();
    }

    fn staff_ui(&mut self, ui: &mut egui::Ui, staff: &[Staff]) {
        let t = t();
        let provider = self.kind.provider();
        let ids: Vec<i64> = staff.iter().filter(|s| s.active && s.group == provider).map(|s| s.id).collect();
        let name = |id: i64| staff.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default();
        let label = ui.label(t.field_staff);
        choice_combo(ui, "staff_combo", &mut self.draft.assigned_staff, &ids, t.staff_none, name)
            .labelled_by(label.id);
        error_cell(ui, self.state.get(Field::AssignedStaff));
        ui.end_row();
    }

    /// Looks the household up when the typed room becomes a valid room number.
    fn refresh_lookup(&mut self, tab: &TabCtx<'_>) {
        if self.lookup.looked_up == self.draft.room {
            return;
        }
        self.lookup = RoomLookup { looked_up: self.draft.room.clone(), ..RoomLookup::default() };
        let Ok(room) = RoomNo::parse(&self.draft.room) else {
            return;
        };
        let store = tab.desk.store();
        self.lookup.household = store.household_by_room(&room).ok().flatten();
        self.lookup.recent = store.recent_requests_for_room(room.as_str(), 5).unwrap_or_default();
        fill_resident(self.lookup.household.as_ref(), &mut self.draft.resident_name, &mut self.draft.phone);
    }

    fn lookup_ui(&self, ui: &mut egui::Ui) {
        let t = t();
        if RoomNo::parse(&self.draft.room).is_err() {
            return;
        }
        ui.add_space(6.0);
        match &self.lookup.household {
            None => {
                ui.label(RichText::new(t.household_new).weak());
            }
            Some(household) => {
                let names: Vec<String> =
                    household.residents.iter().map(|r| format!("{} {}", r.name, r.phone)).collect();
                ui.label(fill(t.household_known, &[("names", &names.join(t.list_sep))]));
            }
        }
        if self.lookup.recent.is_empty() {
            return;
        }
        ui.label(RichText::new(t.recent_requests).strong());
        for request in &self.lookup.recent {
            ui.label(format!(
                "{}  {}  {}  {}  {}",
                request.no,
                request.received_at.format("%Y-%m-%d %H:%M"),
                request.service,
                request.details,
                t.status(request.status)
            ));
        }
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> FormOutcome {
        self.state.clear();
        match tab.desk.register_request(tab.user, &self.draft) {
            Ok(request) => {
                tab.after_write(fill(t().saved_as, &[("no", &request.no)]));
                FormOutcome::Saved { id: request.id, kind: request.no.kind }
            }
            Err(e) => {
                self.state.refused(&e);
                FormOutcome::Open
            }
        }
    }
}

/// The form that records a refused request (R-IN-1).
/// An empty resident field filled with the household's first resident, and
/// an empty phone with theirs: what the clerk would type, changeable.
fn fill_resident(household: Option<&Household>, name: &mut String, phone: &mut String) {
    if let Some(first) = household.and_then(|h| h.residents.first())
        && name.trim().is_empty()
    {
        *name = first.name.clone();
        if phone.trim().is_empty() {
            *phone = first.phone.clone();
        }
    }
}

pub struct RefusalForm {
    draft: RefusalDraft,
    state: FormState<Field>,
    /// The room last looked up (issue 19: the resident is filled in from
    /// the room as on the intake form).
    looked_up: String,
}

impl RefusalForm {
    pub fn new(kind: Option<RegisterKind>) -> RefusalForm {
        RefusalForm {
            draft: RefusalDraft { kind, ..RefusalDraft::default() },
            state: FormState::default(),
            looked_up: String::new(),
        }
    }

    /// Fills the resident once the typed room reads as a filed household's.
    fn refresh_lookup(&mut self, tab: &TabCtx<'_>) {
        if self.looked_up == self.draft.room {
            return;
        }
        self.looked_up = self.draft.room.clone();
        let Ok(room) = RoomNo::parse(&self.draft.room) else { return };
        let household = tab.desk.store().household_by_room(&room).ok().flatten();
        fill_resident(household.as_ref(), &mut self.draft.resident_name, &mut self.draft.phone);
    }

    pub fn ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) -> Option<bool> {
        let t = t();
        let mut done = None;
        let popup_was_open = egui::Popup::is_any_open(ctx);
        self.refresh_lookup(tab);
        egui::Modal::new(egui::Id::unique("refusal_form")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading(t.refusal_title);
            egui::Grid::new("refusal_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                text_row(ui, t.field_room, &mut self.draft.room, self.state.get(Field::Room));
                text_row(ui, t.field_resident, &mut self.draft.resident_name, None);
                text_row(ui, t.field_phone, &mut self.draft.phone, None);
                text_row(ui, t.field_asked_for, &mut self.draft.asked_for, self.state.get(Field::Details));
                text_row(ui, t.field_reason, &mut self.draft.reason, self.state.get(Field::RefusalReason));
            });
            let dirty = self.draft != RefusalDraft { kind: self.draft.kind, ..RefusalDraft::default() };
            match self.state.footer_ui(ui, popup_was_open, dirty) {
                Some(FormAction::Save) => done = self.save(tab),
                Some(FormAction::Discard) => done = Some(false),
                None => {}
            }
        });
        done
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> Option<bool> {
        self.state.clear();
        match tab.desk.refuse_request(tab.user, &self.draft) {
            Ok(_) => {
                tab.after_write(t().refusal_saved.into());
                Some(true)
            }
            Err(e) => {
                self.state.refused(&e);
                None
            }
        }
    }
}

/// The form that corrects a row's contact and description fields (R-FU-6).
pub struct CorrectionForm {
    id: RequestId,
    no: String,
    draft: CorrectionDraft,
    initial: CorrectionDraft,
    state: FormState<Field>,
}

impl CorrectionForm {
    pub fn new(request: &Request) -> CorrectionForm {
        CorrectionForm {
            id: request.id,
            no: request.no.to_string(),
            draft: CorrectionDraft::of(request),
            initial: CorrectionDraft::of(request),
            state: FormState::default(),
        }
    }

    /// Draws the modal; `Some(saved)` once it closes.
    pub fn ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) -> Option<bool> {
        let t = t();
        let mut done = None;
        let popup_was_open = egui::Popup::is_any_open(ctx);
        egui::Modal::new(egui::Id::unique("correction_form")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading(fill(t.correct_title, &[("no", &self.no)]));
            egui::Grid::new("correction_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                text_row(ui, t.field_room, &mut self.draft.room, self.state.get(Field::Room));
                text_row(
                    ui,
                    t.field_resident,
                    &mut self.draft.resident_name,
                    self.state.get(Field::ResidentName),
                );
                text_row(ui, t.field_phone, &mut self.draft.phone, self.state.get(Field::Phone));
                text_row(ui, t.field_details, &mut self.draft.details, self.state.get(Field::Details));
                text_row(ui, t.field_notes, &mut self.draft.notes, None);
                text_row(ui, t.change_reason, &mut self.draft.reason, self.state.get(Field::ChangeReason));
            });
            let dirty = self.draft != self.initial;
            match self.state.footer_ui(ui, popup_was_open, dirty) {
                Some(FormAction::Save) => done = self.save(tab),
                Some(FormAction::Discard) => done = Some(false),
                None => {}
            }
        });
        done
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> Option<bool> {
        self.state.clear();
        match tab.desk.correct_request(tab.user, self.id, &self.draft) {
            Ok(request) => {
                tab.after_write(fill(t().corrected, &[("no", &request.no)]));
                Some(true)
            }
            Err(e) => {
                self.state.refused(&e);
                None
            }
        }
    }
}

saving_by_state!(IntakeForm, RefusalForm, CorrectionForm);
