//! The window shown instead of sign-in when the database file cannot be
//! opened (damaged, or not a database): it names the file, says nothing was
//! touched, and offers the latest good automatic backup. Nothing is replaced
//! until the person confirms a dialog naming both files; the damaged file is
//! kept as the safety copy.

use std::path::PathBuf;

use crate::app::{self, BackupFile, HomeDesk};
use crate::i18n::{fill, t};

pub struct DamagedStart {
    db: PathBuf,
    /// Why the file would not open, in the clerk's words.
    cause: String,
    backup: Option<BackupFile>,
    confirming: bool,
    error: Option<String>,
}

impl DamagedStart {
    /// Looks for the newest backup that passes verification (before the
    /// window opens: the person can do nothing else meanwhile).
    pub fn new(db: PathBuf, cause: String) -> DamagedStart {
        let backup = app::latest_good_backup(&db);
        DamagedStart { db, cause, backup, confirming: false, error: None }
    }

    /// Draws the screen; returns the opened office, and the status line
    /// naming the safety copy, once a restore succeeded.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<(HomeDesk, String)> {
        let t = t();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(t.dmg_title);
            ui.add_space(8.0);
            ui.label(fill(t.dmg_text, &[("path", &self.db.display()), ("cause", &self.cause)]));
            ui.add_space(8.0);
            match &self.backup {
                Some(backup) => {
                    ui.label(fill(
                        t.dmg_offer,
                        &[
                            ("path", &backup.path.display()),
                            ("date", &backup.taken_at.format("%Y-%m-%d %H:%M")),
                            ("size", &t.file_size(backup.size_bytes)),
                        ],
                    ));
                    if ui.add_enabled(!self.confirming, egui::Button::new(t.dmg_restore_button)).clicked() {
                        self.confirming = true;
                    }
                }
                None => {
                    ui.label(fill(t.dmg_no_backup, &[("folder", &app::backups_folder(&self.db).display())]));
                }
            }
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.add_space(8.0);
            if ui.button(t.dmg_quit).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        if self.confirming { self.confirm_ui(ui.ctx()) } else { None }
    }

    fn confirm_ui(&mut self, ctx: &egui::Context) -> Option<(HomeDesk, String)> {
        let t = t();
        let backup = self.backup.clone()?;
        let response = egui::Modal::new(egui::Id::unique("damaged_restore_confirm")).show(ctx, |ui| {
            ui.heading(t.bk_confirm_title);
            ui.label(fill(t.dmg_confirm, &[("from", &backup.path.display()), ("db", &self.db.display())]));
            ui.horizontal(|ui| {
                if ui.button(t.bk_confirm_button).clicked() {
                    return Some(true);
                }
                ui.button(t.cancel).clicked().then_some(false)
            })
            .inner
        });
        match response.inner {
            Some(true) => {
                self.confirming = false;
                self.restore(&backup)
            }
            Some(false) => {
                self.confirming = false;
                None
            }
            None => {
                if response.should_close() {
                    self.confirming = false;
                }
                None
            }
        }
    }

    fn restore(&mut self, backup: &BackupFile) -> Option<(HomeDesk, String)> {
        let t = t();
        let opened = app::restore_damaged(&self.db, &backup.path, app::local_now())
            .and_then(|restored| HomeDesk::open(&self.db).map(|desk| (desk, restored)));
        match opened {
            Ok((desk, restored)) => {
                let safety = restored.safety_copy.map(|p| p.display().to_string()).unwrap_or_default();
                let status = fill(t.bk_restored, &[("from", &backup.path.display()), ("safety", &safety)]);
                Some((desk, status))
            }
            Err(e) => {
                self.error = Some(fill(t.dmg_restore_failed, &[("cause", &t.app_error(&e))]));
                None
            }
        }
    }
}
