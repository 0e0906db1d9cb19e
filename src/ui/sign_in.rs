//! The sign-in screen, and on the very first start the screen that names the
//! office and creates its first manager.

use egui::{Align2, RichText};

use super::Prefs;
use super::widgets::{SaveTurn, Turn, error_cell, message_ui, password_row, text_row, text_row_with};
use crate::app::HomeDesk;
use crate::domain::{Desk, OfficeSettings, User};
use crate::i18n::t;

#[derive(Debug, Default)]
pub struct SignIn {
    first_start: bool,
    office_name: String,
    /// The office's service phone, printed on every message slip (R-FU-3).
    office_phone: String,
    manager_name: String,
    login: String,
    password: String,
    password_again: String,
    desk: Option<Desk>,
    office: String,
    message: Option<Result<String, String>>,
    /// 开始使用 says 正在保存… first, as every save does ([`SaveTurn`]).
    setup_turn: SaveTurn,
    /// A language picked on this screen: the person who signs in keeps it.
    picked: Option<crate::domain::Language>,
}

impl SignIn {
    pub fn new(desk: &HomeDesk, prefs: &Prefs) -> SignIn {
        SignIn {
            first_start: desk.needs_setup().unwrap_or(false),
            login: prefs.last_login.clone(),
            desk: Some(prefs.desk.unwrap_or(Desk::CsCenter)),
            office: desk.store().office().ok().flatten().map(|o| o.name).unwrap_or_default(),
            ..SignIn::default()
        }
    }

    /// The language picked on this screen before signing in, if any.
    pub fn picked_language(&self) -> Option<crate::domain::Language> {
        self.picked
    }

    pub fn login(&self) -> &str {
        &self.login
    }

    pub fn reset_password(&mut self) {
        self.password.clear();
        self.password_again.clear();
        self.message = None;
    }

    /// Draws the screen; returns the user once signed in.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &mut HomeDesk) -> Option<User> {
        let mut signed_in = None;
        egui::CentralPanel::default().show(ui, |ui| {
            // Anchored by its top, not its centre: a message under 登录 grows
            // the box downwards, and the button does not move under the hand.
            let top = ui.max_rect().height() * 0.25;
            egui::Area::new(egui::Id::unique("sign_in_area")).anchor(Align2::CENTER_TOP, [0.0, top]).show(
                ui.ctx(),
                |ui| {
                    egui::Frame::group(ui.style()).inner_margin(24.0).show(ui, |ui| {
                        ui.set_max_width(560.0);
                        signed_in = if self.first_start {
                            self.setup_ui(ui, desk)
                        } else {
                            self.sign_in_ui(ui, desk)
                        };
                    });
                },
            );
        });
        signed_in
    }

    fn sign_in_ui(&mut self, ui: &mut egui::Ui, desk: &mut HomeDesk) -> Option<User> {
        let t = t();
        ui.heading(RichText::new(t.app_title).size(26.0));
        if !self.office.is_empty() {
            ui.label(&self.office);
        }
        ui.add_space(12.0);
        let mut submit = false;
        egui::Grid::new("sign_in_grid").num_columns(3).spacing([12.0, 10.0]).show(ui, |ui| {
            let login = text_row(ui, t.login, &mut self.login, None);
            if self.login.is_empty() && !ui.ctx().memory(|m| m.focused().is_some()) {
                login.request_focus();
            }
            password_row(ui, t.password, &mut self.password, None);
            desk_row(ui, &mut self.desk);
            let mut language = crate::i18n::language();
            if super::person::language_row(ui, t.language_screen, &mut language) {
                crate::i18n::set_language(language);
                self.picked = Some(language);
            }
        });
        ui.add_space(8.0);
        // Enter signs in from anywhere on this screen (it has no drop-downs).
        submit |= ui.button(t.sign_in_button).clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter));
        message_ui(ui, &self.message);
        if !submit {
            return None;
        }
        let chosen = self.desk.unwrap_or(Desk::CsCenter);
        match desk.sign_in(&self.login, &self.password, chosen) {
            Ok(user) => {
                self.password.clear();
                self.message = None;
                Some(user)
            }
            Err(e) => {
                self.message = Some(Err(t.app_error(&e)));
                None
            }
        }
    }

    fn setup_ui(&mut self, ui: &mut egui::Ui, desk: &mut HomeDesk) -> Option<User> {
        let t = t();
        ui.heading(t.setup_title);
        ui.label(t.setup_intro);
        ui.add_space(12.0);
        egui::Grid::new("setup_grid").num_columns(3).spacing([12.0, 10.0]).show(ui, |ui| {
            text_row(ui, t.setup_office_name, &mut self.office_name, None);
            text_row_with(ui, t.office_phone, &mut self.office_phone, None, |e| {
                e.hint_text(t.setup_phone_hint)
            });
            text_row(ui, t.setup_manager_name, &mut self.manager_name, None);
            text_row(ui, t.login, &mut self.login, None);
            password_row(ui, t.password, &mut self.password, None);
            password_row(ui, t.password_again, &mut self.password_again, None);
            desk_row(ui, &mut self.desk);
        });
        ui.add_space(8.0);
        let clicked = ui.button(t.setup_button).clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter));
        // Run before its line is drawn: a refusal shows in the same frame.
        let user = match self.setup_turn.button(ui, clicked, ()) {
            Turn::Save(()) => self.set_up(desk),
            Turn::SavedAfterAll(()) | Turn::Idle => None,
        };
        self.setup_turn.line_ui(ui, &self.message);
        user
    }

    /// Names the office and creates its first manager, signed in.
    fn set_up(&mut self, desk: &mut HomeDesk) -> Option<User> {
        let t = t();
        if self.password != self.password_again {
            self.message = Some(Err(t.passwords_differ.into()));
            return None;
        }
        let office = OfficeSettings {
            name: self.office_name.clone(),
            phone: self.office_phone.clone(),
            ..OfficeSettings::default()
        };
        match desk.set_up_new_office(&office, &self.manager_name, &self.login, &self.password) {
            Ok(user) => {
                let user = User { desk: self.desk.unwrap_or(user.desk), ..user };
                self.first_start = false;
                self.office = self.office_name.clone();
                self.reset_password();
                Some(user)
            }
            Err(e) => {
                self.message = Some(Err(t.app_error(&e)));
                None
            }
        }
    }
}

/// The desk this PC is at (R-DESK-1, R-DESK-2): a grid row of radio buttons.
fn desk_row(ui: &mut egui::Ui, desk: &mut Option<Desk>) {
    let t = t();
    ui.label(t.desk_of_this_pc);
    ui.horizontal(|ui| {
        for option in Desk::ALL {
            ui.radio_value(desk, Some(*option), t.desk(*option));
        }
    });
    error_cell(ui, None);
    ui.end_row();
}
