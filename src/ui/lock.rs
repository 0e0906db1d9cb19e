//! The locked screen (issue 9): after the minutes of inactivity this PC is
//! set to (设置 › 本机与密码; 15 by default, 0 never), the window hides the
//! office's data until the signed-in person types their password again, or
//! signs out so someone else can sign in.

use std::time::{Duration, Instant};

use egui::RichText;

use super::widgets::password_row;
use crate::app::HomeDesk;
use crate::domain::User;
use crate::i18n::{fill, t};

/// Minutes of inactivity before the screen locks when the PC has no setting.
pub const DEFAULT_LOCK_MINUTES: u32 = 15;
/// The width of the password block in the middle of the screen.
const LOCK_FORM_WIDTH: f32 = 420.0;

/// Whether the screen should lock: idle longer than `minutes` (0: never).
pub fn idle_too_long(idle: Duration, minutes: u32) -> bool {
    minutes > 0 && idle >= Duration::from_secs(u64::from(minutes) * 60)
}

/// What the lock screen asks for.
pub enum Unlock {
    Stay,
    Unlocked,
    SignOut,
}

pub struct Lock {
    last_activity: Instant,
    locked: bool,
    password: String,
    error: Option<String>,
}

impl Default for Lock {
    fn default() -> Lock {
        Lock { last_activity: Instant::now(), locked: false, password: String::new(), error: None }
    }
}

impl Lock {
    /// Notes the frame's input and locks once idle for `minutes`; whether locked.
    pub fn watch(&mut self, ctx: &egui::Context, minutes: u32) -> bool {
        if self.locked {
            return true;
        }
        let active = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        if active {
            self.last_activity = Instant::now();
        } else if idle_too_long(self.last_activity.elapsed(), minutes) {
            self.locked = true;
        }
        self.locked
    }

    /// The lock screen, in place of the tabs.
    pub fn ui(&mut self, ui: &mut egui::Ui, desk: &HomeDesk, user: &User) -> Unlock {
        let t = t();
        let mut outcome = Unlock::Stay;
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 4.0);
            ui.heading(t.lock_title);
            ui.label(fill(t.lock_text, &[("name", &user.name)]));
            ui.add_space(8.0);
            // A narrow block in the middle, not a form stretched from the left edge.
            ui.allocate_ui(egui::vec2(LOCK_FORM_WIDTH, 0.0), |ui| {
                egui::Grid::new("lock_grid").num_columns(3).show(ui, |ui| {
                    let response = password_row(ui, t.password, &mut self.password, self.error.as_deref());
                    let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if entered || ui.button(t.lock_unlock).clicked() {
                        outcome = self.try_unlock(desk, user);
                    }
                });
            });
            ui.add_space(8.0);
            if ui.button(RichText::new(t.sign_out)).clicked() {
                outcome = Unlock::SignOut;
            }
        });
        if !matches!(outcome, Unlock::Stay) {
            *self = Lock::default();
        }
        outcome
    }

    fn try_unlock(&mut self, desk: &HomeDesk, user: &User) -> Unlock {
        match desk.confirm_password(user, &self.password) {
            Ok(true) => Unlock::Unlocked,
            Ok(false) => {
                self.password.clear();
                self.error = Some(t().lock_wrong_password.to_string());
                Unlock::Stay
            }
            Err(e) => {
                self.error = Some(t().app_error(&e));
                Unlock::Stay
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_locks_after_the_set_minutes_and_never_at_zero() {
        assert!(!idle_too_long(Duration::from_secs(14 * 60 + 59), 15));
        assert!(idle_too_long(Duration::from_secs(15 * 60), 15));
        assert!(!idle_too_long(Duration::from_secs(10 * 3600), 0));
    }
}
