//! The modal form for one step of a job (dispatch, hand-off, new time,
//! cancel, nobody home, done, fee, sign-off, settlement, arrival, follow-up,
//! spot-check, hazard). It only gathers what the clerk types and shows each
//! refusal next to its field; the rules are the domain's (`check_step`).

use chrono::{NaiveDateTime, NaiveTime};
use egui::RichText;

use super::TabCtx;
use super::widgets::{
    Confirmed, FormAction, FormState, choice_combo, confirm_ui, error_cell, saving_by_state, settle_summary,
    text_row, text_row_with,
};
use crate::app::{AppError, StepInput};
use crate::domain::{
    AskedBy, Clash, Money, Opinion, ReasonKind, RegisterKind, Request, RequestStatus, ServiceRecord,
    SlipError, Staff, StaffId, StepError, StepKind, StepReason, copy_rounds, parse_date_time,
};
use crate::i18n::{fill, t};

/// The fields a step form can show a message next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepField {
    Staff,
    Round,
    Reason,
    Apology,
    ToldAt,
    NewTime,
    Slip,
    Times,
    Signed,
    Amount,
    AmountReason,
    Note,
    At,
}

/// What the form did this frame.
pub enum StepOutcome {
    Open,
    Cancelled,
    Saved(Box<Request>),
}

/// Which of the office's reason lists a step picks from.
fn reason_kind(kind: StepKind) -> Option<ReasonKind> {
    match kind {
        StepKind::Reschedule => Some(ReasonKind::Reschedule),
        StepKind::Cancel => Some(ReasonKind::Cancel),
        _ => None,
    }
}

pub struct StepForm {
    pub kind: StepKind,
    job: Request,
    staff: Option<StaffId>,
    /// `None`: sent directly, outside the rounds.
    round: Option<NaiveTime>,
    /// Who copied the order at the round (R-EX-3: they sign an alarm job off).
    copier: Option<StaffId>,
    asked_by: AskedBy,
    reason: String,
    apologised: bool,
    told_at: String,
    new_time: String,
    slip_no: String,
    arrived: String,
    finished: String,
    work_done: String,
    signed: bool,
    opinion: Option<Opinion>,
    comment: String,
    amount: String,
    /// R-FEE-1: why the amount collected differs from the agreed price.
    amount_reason: String,
    note: String,
    told_resident: bool,
    /// The office's reasons for this kind of step, read once when the form opens.
    reasons: Option<Vec<StepReason>>,
    state: FormState<StepField>,
    /// Something was typed or picked: Esc asks before throwing it away.
    touched: bool,
    /// The picked staff member's other bookings at this job's time (issue
    /// 19), read when the pick changes.
    clashes: Option<(StaffId, Vec<Clash>)>,
    /// A step that sends the job backwards was asked for: it is taken only
    /// once the clerk confirms (issue 19: a mis-aimed click on 退回 sent a
    /// job back with the arrival time as its reason).
    confirming: bool,
}

/// Steps that send a job backwards, asked once more before they are taken.
fn goes_backwards(kind: StepKind) -> bool {
    matches!(kind, StepKind::Return | StepKind::Cancel)
}

/// `2026-03-02 14:00`, as the form shows and reads times.
fn time_text(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// The round at this minute, if the desk is copying orders now (R-DSP-1/2).
fn round_now(kind: RegisterKind, now: NaiveDateTime) -> Option<NaiveTime> {
    copy_rounds(kind).into_iter().find(|round| {
        let minutes = (now.time() - *round).num_minutes();
        (0..=30).contains(&minutes)
    })
}

impl StepForm {
    /// A form for `kind` on `job`, filled with what the desk most often means.
    pub fn new(kind: StepKind, job: &Request, now: NaiveDateTime, latest_slip: Option<String>) -> StepForm {
        let assigned = job.assigned_staff.as_ref().map(|(id, _)| *id);
        // The staff named at intake is the desk's first choice to send.
        let staff = match kind {
            StepKind::Dispatch | StepKind::Collect | StepKind::SignOff => assigned,
            _ => None,
        };
        StepForm {
            kind,
            job: job.clone(),
            staff,
            round: round_now(job.no.kind, now),
            copier: staff,
            asked_by: AskedBy::Staff,
            reason: String::new(),
            apologised: false,
            // R-FU-2: the clerk says when the staff member was told; never assumed.
            told_at: String::new(),
            new_time: String::new(),
            slip_no: latest_slip.unwrap_or_default(),
            // R-SLA-1/2: an arrival is the time staff were at the door, typed or now.
            arrived: match (kind, job.arrived_at) {
                (_, Some(at)) => time_text(at),
                (StepKind::Arrive, None) => time_text(now),
                _ => String::new(),
            },
            finished: time_text(now),
            work_done: job.details.clone(),
            signed: false,
            opinion: None,
            comment: String::new(),
            amount: job.price.map(|p| p.to_plain()).unwrap_or_default(),
            amount_reason: String::new(),
            note: String::new(),
            told_resident: false,
            reasons: None,
            state: FormState::default(),
            touched: false,
            confirming: false,
            clashes: None,
        }
    }

    /// Draws the form in a modal; saving calls `take_step`.
    pub fn ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>, staff: &[Staff]) -> StepOutcome {
        let t = t();
        if self.reasons.is_none() {
            let reasons = reason_kind(self.kind).map(|kind| tab.desk.step_reasons(kind).unwrap_or_default());
            self.reasons = Some(reasons.unwrap_or_default().into_iter().filter(|r| r.active).collect());
        }
        let popup_was_open = egui::Popup::is_any_open(ctx);
        let mut outcome = StepOutcome::Open;
        egui::Modal::new(egui::Id::unique("step_form")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading(fill(t.step_form_title, &[("step", &t.step_kind(self.kind)), ("no", &self.job.no)]));
            ui.label(
                RichText::new(format!(
                    "{} · {} · {}",
                    self.job.room,
                    self.job.service,
                    time_text(self.job.appointment)
                ))
                .weak(),
            );
            ui.separator();
            egui::Grid::new("step_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                self.fields_ui(ui, tab, staff);
            });
            ui.separator();
            if self.confirming {
                outcome = self.confirm_ui(ui, tab);
                return;
            }
            match self.state.footer_ui(ui, popup_was_open, self.touched) {
                // A step without its reason is refused as it is; one that
                // would go through is asked about once more.
                Some(FormAction::Save) if goes_backwards(self.kind) && !self.reason.trim().is_empty() => {
                    // Only the question's own button answers it.
                    self.state.drop_ask();
                    self.confirming = true;
                }
                Some(FormAction::Save) => outcome = self.save(tab),
                Some(FormAction::Discard) => outcome = StepOutcome::Cancelled,
                None => {}
            }
        });
        outcome
    }

    /// The second question of a step that sends the job backwards: what it
    /// does to this job, and a button that names it. Enter does not answer it.
    fn confirm_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) -> StepOutcome {
        let t = t();
        let staff = self.job.assigned_staff.as_ref().map(|(_, name)| name.as_str()).unwrap_or("");
        // The reason is read back: a time typed into the wrong form shows here.
        let reason = self.reason.trim();
        let question = match self.kind {
            StepKind::Return => {
                fill(t.step_confirm_return, &[("no", &self.job.no), ("staff", &staff), ("reason", &reason)])
            }
            _ => fill(t.step_confirm_cancel, &[("no", &self.job.no), ("reason", &reason)]),
        };
        let act = fill(t.step_confirm_act, &[("step", &t.step_kind(self.kind))]);
        // Its 正在保存… says so under the question, as the footer's does.
        let answer = confirm_ui(ui, &question, &act);
        if answer == Some(Confirmed::Back) {
            self.confirming = false;
        }
        if self.state.save_line_ui(ui, answer == Some(Confirmed::Yes)) {
            self.confirming = false;
            return self.save(tab);
        }
        StepOutcome::Open
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, staff: &[Staff]) {
        let t = t();
        let before = self.fingerprint();
        match self.kind {
            StepKind::Dispatch => {
                self.staff_ui(ui, t.step_staff, staff, |s, kind| s.group == kind.provider());
                self.clashes_ui(ui, tab);
                self.round_ui(ui);
                if self.round.is_some() {
                    self.copier_ui(ui, staff);
                }
            }
            StepKind::Transfer => {
                self.staff_ui(ui, t.step_transfer_to, staff, |s, kind| s.group == kind.provider());
                self.clashes_ui(ui, tab);
                self.reason_ui(ui);
            }
            StepKind::Return => self.reason_ui(ui),
            StepKind::Reschedule => self.reschedule_ui(ui),
            StepKind::Cancel => {
                self.reason_ui(ui);
                if self.job.status != RequestStatus::Registered {
                    self.told_ui(ui);
                }
            }
            StepKind::NotHome => {
                text_row_with(ui, t.step_slip_no, &mut self.slip_no, self.state.get(StepField::Slip), |e| {
                    e.hint_text("LY-2026-000001")
                });
                hint_row(ui, t.step_slip_hint);
            }
            StepKind::Done => self.record_ui(ui),
            StepKind::Collect => {
                let price = self.job.price.map(|p| p.to_string()).unwrap_or_default();
                hint_row(ui, &fill(t.step_agreed_price, &[("price", &price)]));
                text_row(ui, t.step_amount, &mut self.amount, self.state.get(StepField::Amount));
                // R-FEE-1: the field is always there, so nothing moves when it is needed.
                text_row(
                    ui,
                    t.step_amount_reason,
                    &mut self.amount_reason,
                    self.state.get(StepField::AmountReason),
                );
                self.staff_ui(ui, t.step_collector, staff, |s, kind| {
                    s.group == kind.provider() || s.rank.is_supervisor_or_above()
                });
                hint_row(ui, t.step_collect_hint);
            }
            StepKind::SignOff => {
                self.staff_ui(ui, t.step_signer, staff, |s, kind| s.group == kind.provider());
                hint_row(ui, &fill(t.step_sign_off_hint, &[("desk", &t.desk(tab.user.desk))]));
            }
            StepKind::Settle => {
                // R-FEE-3: finance sees what it settles: the price, the cash and who took it.
                hint_row(ui, &settle_summary(&self.job));
                hint_row(ui, t.step_settle_hint);
            }
            StepKind::Arrive => {
                text_row(ui, t.step_arrived_at, &mut self.arrived, self.state.get(StepField::At));
            }
            StepKind::FollowUp | StepKind::SpotCheck => {
                text_row(ui, t.step_note, &mut self.note, self.state.get(StepField::Note));
            }
            StepKind::Hazard => {
                text_row(ui, t.step_hazard, &mut self.note, self.state.get(StepField::Note));
                check_row(ui, t.step_told_resident, &mut self.told_resident, None);
            }
        }
        if self.fingerprint() != before {
            self.touched = true;
        }
    }

    /// Everything typed, to notice a change without comparing field by field.
    fn fingerprint(&self) -> String {
        format!(
            "{:?}{:?}{:?}{:?}{}{}{}{}{}{}{}{}{}{}{:?}{}{}{}{}{}",
            self.staff,
            self.round,
            self.copier,
            self.asked_by,
            self.reason,
            self.apologised,
            self.told_at,
            self.new_time,
            self.slip_no,
            self.arrived,
            self.finished,
            self.work_done,
            self.signed,
            self.comment,
            self.opinion,
            self.amount,
            self.amount_reason,
            self.note,
            self.told_resident,
            self.kind.code()
        )
    }

    fn staff_ui(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        staff: &[Staff],
        fits: impl Fn(&Staff, RegisterKind) -> bool,
    ) {
        let t = t();
        let options: Vec<StaffId> =
            staff.iter().filter(|s| s.active && fits(s, self.job.no.kind)).map(|s| s.id).collect();
        let name = |id: StaffId| {
            staff
                .iter()
                .find(|s| s.id == id)
                .map(|s| format!("{}（{}·{}）", s.name, t.group(s.group), t.rank(s.rank)))
                .unwrap_or_default()
        };
        let label = ui.label(label);
        choice_combo(ui, "step_staff", &mut self.staff, &options, t.step_choose_staff, name)
            .labelled_by(label.id);
        error_cell(ui, self.state.get(StepField::Staff));
        ui.end_row();
    }

    /// Issue 19: the picked staff member's other open jobs at this job's
    /// time, named; a warning, not a refusal.
    fn clashes_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let Some(staff) = self.staff else { return };
        if self.clashes.as_ref().is_none_or(|(picked, _)| *picked != staff) {
            let found = tab.desk.staff_clashes(staff, self.job.id).unwrap_or_default();
            self.clashes = Some((staff, found));
        }
        for clash in self.clashes.iter().flat_map(|(_, found)| found) {
            ui.label("");
            ui.label(RichText::new(t().clash_text(clash)).color(ui.visuals().warn_fg_color));
            ui.label("");
            ui.end_row();
        }
    }

    /// R-EX-3: who of the group copied the order at the round.
    fn copier_ui(&mut self, ui: &mut egui::Ui, staff: &[Staff]) {
        let t = t();
        let provider = self.job.no.kind.provider();
        let options: Vec<StaffId> =
            staff.iter().filter(|s| s.active && s.group == provider).map(|s| s.id).collect();
        let name =
            |id: StaffId| staff.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default();
        let label = ui.label(t.step_copier);
        choice_combo(ui, "step_copier", &mut self.copier, &options, t.step_choose_staff, name)
            .labelled_by(label.id);
        error_cell(ui, None);
        ui.end_row();
    }

    /// R-DSP-1/2: copied at a round, or sent directly; repairs always directly (R-DSP-3).
    fn round_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        let rounds = copy_rounds(self.job.no.kind);
        let label = ui.label(t.step_channel);
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.round, None, t.step_direct);
            for round in rounds {
                ui.radio_value(
                    &mut self.round,
                    Some(round),
                    fill(t.step_round, &[("at", &round.format("%H:%M"))]),
                );
            }
        })
        .response
        .labelled_by(label.id);
        error_cell(ui, self.state.get(StepField::Round));
        ui.end_row();
    }

    /// The office's list fills the text; the clerk may add to it.
    fn reason_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        let reasons = self.reasons.as_deref().unwrap_or_default();
        if !reasons.is_empty() {
            let label = ui.label(t.step_reason_list);
            let mut picked: Option<usize> = None;
            let options: Vec<usize> = (0..reasons.len()).collect();
            choice_combo(ui, "step_reason_pick", &mut picked, &options, t.step_reason_pick, |i| {
                reasons.get(i).map(|r| r.text.clone()).unwrap_or_default()
            })
            .labelled_by(label.id);
            if let Some(reason) = picked.and_then(|i| reasons.get(i)) {
                self.reason = reason.text.clone();
            }
            ui.label("");
            ui.end_row();
        }
        text_row(ui, t.step_reason, &mut self.reason, self.state.get(StepField::Reason));
    }

    fn told_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        text_row(ui, t.step_told_at, &mut self.told_at, self.state.get(StepField::ToldAt));
    }

    /// R-FU-1 (staff cannot come: apologise) or R-FU-2 (the resident asks:
    /// tell the staff already sent; a repair's clock pauses).
    fn reschedule_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        let label = ui.label(t.step_asked_by);
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.asked_by, AskedBy::Staff, t.step_asked_by_staff);
            ui.radio_value(&mut self.asked_by, AskedBy::Resident, t.step_asked_by_resident);
        })
        .response
        .labelled_by(label.id);
        ui.label("");
        ui.end_row();
        self.reason_ui(ui);
        match self.asked_by {
            AskedBy::Staff => {
                check_row(ui, t.step_apologised, &mut self.apologised, self.state.get(StepField::Apology))
            }
            AskedBy::Resident if self.job.status != RequestStatus::Registered => self.told_ui(ui),
            AskedBy::Resident => {}
        }
        text_row_with(ui, t.step_new_time, &mut self.new_time, self.state.get(StepField::NewTime), |e| {
            e.hint_text(t.appointment_hint)
        });
    }

    /// R-EX-1: the service record as the resident signed it.
    fn record_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        text_row(ui, t.step_arrived_at, &mut self.arrived, self.state.get(StepField::Times));
        text_row(ui, t.step_finished_at, &mut self.finished, None);
        text_row(ui, t.step_work_done, &mut self.work_done, None);
        let label = ui.label(t.step_opinion);
        ui.horizontal(|ui| {
            for opinion in Opinion::ALL {
                ui.radio_value(&mut self.opinion, Some(*opinion), t.opinion(*opinion));
            }
        })
        .response
        .labelled_by(label.id);
        error_cell(ui, None);
        ui.end_row();
        check_row(ui, t.step_resident_signed, &mut self.signed, self.state.get(StepField::Signed));
        text_row(ui, t.step_comment, &mut self.comment, None);
    }

    /// What was typed as a step, or the fields that cannot be read.
    fn input(&self, now: NaiveDateTime) -> Result<StepInput, Vec<(StepField, String)>> {
        let t = t();
        let today = now.date();
        let time =
            |text: &str, field| parse_date_time(text, today).ok_or((field, t.err_date_time.to_string()));
        let staff = || self.staff.ok_or((StepField::Staff, t.step_choose_staff.to_string()));
        let one = |r: Result<StepInput, (StepField, String)>| r.map_err(|e| vec![e]);
        // Left empty, the domain says the staff member must be told (R-FU-2).
        let told_time = || match self.told_at.trim() {
            _ if self.job.status == RequestStatus::Registered => Ok(None),
            "" => Ok(None),
            text => time(text, StepField::ToldAt).map(Some),
        };
        match self.kind {
            StepKind::Dispatch => one(staff().map(|staff| StepInput::Dispatch {
                staff,
                round: self.round,
                copier: self.round.and(self.copier.or(Some(staff))),
            })),
            StepKind::Transfer => {
                one(staff().map(|to| StepInput::Transfer { to, reason: self.reason.clone() }))
            }
            StepKind::Return => Ok(StepInput::Return { reason: self.reason.clone() }),
            StepKind::Reschedule => {
                let new_time = time(&self.new_time, StepField::NewTime);
                let told = match self.asked_by {
                    AskedBy::Resident => told_time(),
                    AskedBy::Staff => Ok(None),
                };
                let errors: Vec<_> =
                    [new_time.as_ref().err(), told.as_ref().err()].into_iter().flatten().cloned().collect();
                match (new_time, told) {
                    (Ok(new_time), Ok(staff_told_at)) => Ok(StepInput::Reschedule {
                        asked_by: self.asked_by,
                        reason: self.reason.clone(),
                        apologised: self.apologised,
                        staff_told_at,
                        new_time,
                    }),
                    _ => Err(errors),
                }
            }
            StepKind::Cancel => {
                let told = told_time().map_err(|e| vec![e])?;
                Ok(StepInput::Cancel { reason: self.reason.clone(), staff_told_at: told })
            }
            StepKind::NotHome => Ok(StepInput::NotHome { slip_no: self.slip_no.clone() }),
            StepKind::Done => {
                let arrived = time(&self.arrived, StepField::Times);
                let finished = time(&self.finished, StepField::Times);
                match (arrived, finished) {
                    (Ok(arrived_at), Ok(finished_at)) => Ok(StepInput::Done {
                        record: ServiceRecord {
                            arrived_at,
                            finished_at,
                            work_done: self.work_done.trim().to_string(),
                            resident_signed: self.signed,
                            opinion: self.opinion,
                            comment: self.comment.trim().to_string(),
                        },
                    }),
                    (Err(e), _) | (_, Err(e)) => Err(vec![e]),
                }
            }
            StepKind::Collect => {
                let amount = Money::parse(&self.amount)
                    .map_err(|e| (StepField::Amount, t.money_error(&e).to_string()));
                match (amount, staff()) {
                    (Ok(amount), Ok(collector)) => Ok(StepInput::Collect {
                        amount,
                        collector,
                        reason: self.amount_reason.trim().to_string(),
                    }),
                    (a, s) => Err([a.err(), s.err()].into_iter().flatten().collect()),
                }
            }
            StepKind::SignOff => one(staff().map(|signer| StepInput::SignOff { signer })),
            StepKind::Settle => Ok(StepInput::Settle),
            StepKind::Arrive => one(time(&self.arrived, StepField::At).map(|at| StepInput::Arrive { at })),
            StepKind::FollowUp => Ok(StepInput::FollowUp { note: self.note.clone() }),
            StepKind::SpotCheck => Ok(StepInput::SpotCheck { note: self.note.clone() }),
            StepKind::Hazard => {
                Ok(StepInput::Hazard { description: self.note.clone(), told_resident: self.told_resident })
            }
        }
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) -> StepOutcome {
        self.state.clear();
        let input = match self.input(tab.desk.now()) {
            Ok(input) => input,
            Err(errors) => {
                self.state.fields.extend(errors);
                self.state.message = Some(Err(t().err_form_has_errors.into()));
                return StepOutcome::Open;
            }
        };
        match tab.desk.take_step(tab.user, self.job.id, &input) {
            Ok(row) => StepOutcome::Saved(Box::new(row)),
            Err(e) => {
                self.refused(&e);
                StepOutcome::Open
            }
        }
    }

    /// A refusal next to the field it is about, or under the form.
    fn refused(&mut self, e: &AppError) {
        let t = t();
        let message = t.app_error(e);
        let field = match e {
            // An arrival typed on its own is refused next to its one field.
            AppError::Step(StepError::BeforeDispatch { .. }) if self.kind == StepKind::Arrive => {
                Some(StepField::At)
            }
            AppError::Step(step) => step_field(step),
            AppError::Slip(SlipError::Unknown(_) | SlipError::OtherJob(_) | SlipError::AlreadyPosted(_)) => {
                Some(StepField::Slip)
            }
            _ => None,
        };
        if let Some(field) = field {
            self.state.fields.insert(field, message.clone());
        }
        self.state.message = Some(Err(message));
    }
}

/// Which field a refused step is about.
fn step_field(e: &StepError) -> Option<StepField> {
    Some(match e {
        StepError::WrongProvider { .. }
        | StepError::InactiveStaff
        | StepError::CollectorRank
        | StepError::NotTheCopier
        | StepError::NotFinance => StepField::Staff,
        StepError::NotARound { .. } | StepError::RoundTime { .. } | StepError::RepairNotCopied => {
            StepField::Round
        }
        StepError::AlreadyCollected => StepField::Amount,
        StepError::ToldTime => StepField::ToldAt,
        StepError::ReasonRequired => StepField::Reason,
        StepError::ApologyRequired => StepField::Apology,
        StepError::NewTimeNotLater => StepField::NewTime,
        StepError::StaffNotTold => StepField::ToldAt,
        StepError::SlipRequired => StepField::Slip,
        StepError::RecordTimes | StepError::BeforeDispatch { .. } => StepField::Times,
        StepError::RecordNotSigned => StepField::Signed,
        StepError::ArrivalTime => StepField::At,
        StepError::AmountDiffersWithoutReason => StepField::AmountReason,
        StepError::NoteRequired | StepError::HazardNotPointedOut => StepField::Note,
        _ => return None,
    })
}

/// A grid row with a check box, labelled for screen readers and tests.
fn check_row(ui: &mut egui::Ui, label: &str, value: &mut bool, error: Option<&str>) {
    ui.label("");
    ui.checkbox(value, label);
    error_cell(ui, error);
    ui.end_row();
}

/// A weak line of help across the form's middle column.
fn hint_row(ui: &mut egui::Ui, text: &str) {
    ui.label("");
    ui.label(RichText::new(text).weak());
    ui.label("");
    ui.end_row();
}

saving_by_state!(StepForm);
