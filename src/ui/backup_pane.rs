//! 设置 › 数据备份 (a manager's only): 立即备份… and 从备份恢复… through the
//! system's file dialogs on a worker thread, the restore's confirmation, the
//! list of automatic backups, how many to keep, and 检查数据库 (the
//! integrity check and every business invariant, on a worker thread).
//!
//! On an office server (issue 21) 立即备份… copies the office into one
//! HomeDesk file (the same format as a file's backup), with each table's
//! progress; a server is restored by IT into an empty database
//! (`homedesk restore`, ARCHITECTURE.md "Backups on a server"), so the
//! restore button is off and says so, and the daily backup is the
//! server's own, which the pane says instead of listing a folder.
//! Must not: touch the database file except through `app`.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

use egui_extras::{Column, TableBuilder};

use super::file_dialog::{self, Picked, path_field_ui};
use super::widgets::{SaveTurn, Turn, message_ui, save_button_ui, text_row};
use super::{DataStamp, TabCtx};
use crate::app::{self, BackupFile};
use crate::i18n::{fill, t};

/// Work on a worker thread whose outcome the pane picks up on a later frame.
pub struct Job<T> {
    done: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    pub fn start(ctx: &egui::Context, work: impl FnOnce() -> T + Send + 'static) -> Job<T> {
        let (tx, done) = mpsc::channel();
        let ctx = ctx.clone();
        crate::i18n::spawn(move || {
            let _ = tx.send(work());
            ctx.request_repaint();
        });
        Job { done }
    }

    /// `Some(Some(outcome))` once done; `Some(None)` if the thread died.
    pub fn poll(&self) -> Option<Option<T>> {
        match self.done.try_recv() {
            Ok(outcome) => Some(Some(outcome)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }
}

type Message = Option<Result<String, String>>;

/// What a dialog's work came to.
enum Chosen<T> {
    Done(Result<T, String>),
    /// The clerk closed the file dialog without choosing.
    Cancelled,
    /// The file dialog could not open: the pane offers a path field (issue 19).
    NoDialog,
}

#[derive(Default)]
pub struct BackupPane {
    /// The data and the automatic backups the list was read at.
    stamp: Option<(DataStamp, u64)>,
    backups: Vec<BackupFile>,
    kept: String,
    kept_loaded: Option<u32>,
    kept_message: Message,
    kept_turn: SaveTurn,
    backup_job: Option<Job<Chosen<String>>>,
    pick_job: Option<Job<Chosen<BackupFile>>>,
    /// The backup chosen for a restore, waiting for the manager's confirmation.
    confirm: Option<BackupFile>,
    check_job: Option<Job<Result<Vec<String>, String>>>,
    check_result: Option<Result<Vec<String>, String>>,
    message: Message,
    /// The file dialog could not open: the path typed instead (issue 19).
    typed_path: Option<String>,
    /// How far a server's backup is, written by its worker thread.
    progress: Arc<Mutex<Option<crate::store::CopyProgress>>>,
}

impl BackupPane {
    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        self.reload(tab);
        self.poll(tab);
        let on_server = tab.desk.location().is_server();
        ui.horizontal(|ui| {
            let idle = self.backup_job.is_none() && self.pick_job.is_none() && self.confirm.is_none();
            if ui.add_enabled(idle, egui::Button::new(t.bk_backup_now)).clicked() {
                self.start_backup(ui.ctx(), tab, None);
            }
            let restore = ui.add_enabled(idle && !on_server, egui::Button::new(t.bk_restore));
            if restore.on_disabled_hover_text(t.bk_server_restore).clicked() {
                self.start_pick(ui.ctx(), tab, None);
            }
            if ui.add_enabled(self.check_job.is_none(), egui::Button::new(t.bk_check)).clicked() {
                self.start_check(ui.ctx(), tab);
            }
            if self.backup_job.is_some() {
                ui.spinner();
                ui.label(self.progress_text());
            }
            if self.pick_job.is_some() {
                ui.spinner();
                ui.label(t.bk_inspecting);
            }
        });
        self.typed_path_ui(ui, tab);
        message_ui(ui, &self.message);
        self.check_ui(ui);
        ui.separator();
        if on_server {
            // Neither a folder of daily backups nor how many to keep: the server's are IT's.
            ui.label(t.bk_server_daily);
            ui.label(egui::RichText::new(t.bk_server_restore).weak());
            return;
        }
        self.kept_ui(ui, tab);
        ui.separator();
        self.list_ui(ui, tab);
        self.confirm_ui(ui.ctx(), tab);
    }

    /// 正在备份…, or on a server the table being copied and its rows.
    fn progress_text(&self) -> String {
        let t = t();
        match self.progress.lock().ok().and_then(|p| p.clone()) {
            Some(p) => {
                fill(t.bk_copy_progress, &[("table", &p.table), ("copied", &p.copied), ("total", &p.total)])
            }
            None => t.bk_working.to_string(),
        }
    }

    fn reload(&mut self, tab: &TabCtx<'_>) {
        if self.stamp == Some((tab.stamp, tab.backups_made)) {
            return;
        }
        self.stamp = Some((tab.stamp, tab.backups_made));
        self.backups = tab.desk.list_backups().unwrap_or_default();
        let kept = tab.desk.backups_kept().unwrap_or(crate::store::DEFAULT_BACKUPS_KEPT);
        if self.kept_loaded.is_none_or(|old| old.to_string() == self.kept) {
            self.kept = kept.to_string();
            self.kept_loaded = Some(kept);
        }
    }

    /// Without a file dialog: back up to, or restore from, a typed path.
    fn typed_path_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let idle = self.backup_job.is_none() && self.pick_job.is_none() && self.confirm.is_none();
        let Some(text) = &mut self.typed_path else { return };
        match path_field_ui(ui, text, &[t.fd_backup_to, t.fd_restore_from]) {
            Some((0, path)) if idle => self.start_backup(ui.ctx(), tab, Some(path)),
            Some((_, path)) if idle && !tab.desk.location().is_server() => {
                self.start_pick(ui.ctx(), tab, Some(path))
            }
            _ => {}
        }
    }

    /// The backup to restore: `typed`, or the one the system's dialog picks.
    fn start_pick(&mut self, ctx: &egui::Context, tab: &TabCtx<'_>, typed: Option<PathBuf>) {
        let folder = app::backups_folder(&tab.desk.path());
        self.pick_job = Some(Job::start(ctx, move || pick_backup(folder, typed)));
    }

    /// A backup to `typed`, or to where the system's dialog says.
    fn start_backup(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>, typed: Option<PathBuf>) {
        let reader = match tab.desk.reader() {
            Ok(reader) => reader,
            Err(e) => {
                self.message = Some(Err(t().app_error(&e)));
                return;
            }
        };
        let name = app::backup_file_name(&tab.desk.path(), tab.desk.now());
        let progress = Arc::clone(&self.progress);
        if let Ok(mut shown) = progress.lock() {
            *shown = None;
        }
        let repaint = ctx.clone();
        self.backup_job = Some(Job::start(ctx, move || {
            let t = t();
            let dialog = || {
                file_dialog::save_file(
                    rfd::FileDialog::new()
                        .set_title(t.bk_dialog_save)
                        .set_file_name(name)
                        .add_filter("SQLite", &["db"]),
                )
            };
            let out = match typed.map_or_else(dialog, Picked::Chosen) {
                Picked::Chosen(out) => out,
                Picked::Cancelled => return Chosen::Cancelled,
                Picked::Unavailable => return Chosen::NoDialog,
            };
            let mut tell = |p: &crate::store::CopyProgress| {
                if let Ok(mut shown) = progress.lock() {
                    *shown = Some(p.clone());
                }
                repaint.request_repaint();
            };
            Chosen::Done(
                reader
                    .backup_now_with_progress(&out, &mut tell)
                    .map(|file| {
                        fill(t.bk_done, &[("path", &out.display()), ("size", &t.file_size(file.size_bytes))])
                    })
                    .map_err(|e| backup_error(&reader.path(), &e)),
            )
        }));
    }

    fn start_check(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        let reader = match tab.desk.reader() {
            Ok(reader) => reader,
            Err(e) => {
                self.check_result = Some(Err(t().app_error(&e)));
                return;
            }
        };
        self.check_result = None;
        self.check_job = Some(Job::start(ctx, move || {
            let t = t();
            reader
                .store()
                .check_invariants()
                .map(|problems| problems.iter().map(|p| t.problem(p)).collect())
                .map_err(|e| t.store_error(&e))
        }));
    }

    /// Hands finished work to the pane and the status bar.
    fn poll(&mut self, tab: &mut TabCtx<'_>) {
        if let Some(done) = self.backup_job.as_ref().and_then(Job::poll) {
            self.backup_job = None;
            match done {
                Some(Chosen::Done(outcome)) => {
                    *tab.status = Some(outcome.clone().unwrap_or_else(|e| e));
                    self.message = Some(outcome);
                }
                Some(Chosen::NoDialog) => self.no_dialog(),
                Some(Chosen::Cancelled) | None => {}
            }
        }
        if let Some(done) = self.pick_job.as_ref().and_then(Job::poll) {
            self.pick_job = None;
            match done {
                Some(Chosen::Done(Ok(file))) => self.confirm = Some(file),
                Some(Chosen::Done(Err(e))) => self.message = Some(Err(e)),
                Some(Chosen::NoDialog) => self.no_dialog(),
                Some(Chosen::Cancelled) | None => {}
            }
        }
        if let Some(done) = self.check_job.as_ref().and_then(Job::poll) {
            self.check_job = None;
            self.check_result = done;
        }
    }

    fn check_ui(&self, ui: &mut egui::Ui) {
        let t = t();
        if self.check_job.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t.bk_checking);
            });
        }
        match &self.check_result {
            Some(Ok(problems)) if problems.is_empty() => {
                ui.label(t.bk_check_ok);
            }
            Some(Ok(problems)) => {
                let error = ui.visuals().error_fg_color;
                ui.colored_label(error, fill(t.bk_check_problems, &[("n", &problems.len())]));
                egui::ScrollArea::vertical().id_salt("check_problems").max_height(160.0).show(ui, |ui| {
                    for problem in problems {
                        ui.label(problem);
                    }
                });
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }

    fn kept_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let kept = self.kept.trim().parse::<u32>().ok();
        let error = kept.is_none_or(|n| !(1..=365).contains(&n)).then_some(t.err_backups_kept_range);
        egui::Grid::new("backups_kept_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
            text_row(ui, t.bk_kept, &mut self.kept, error);
        });
        let clicked = save_button_ui(ui);
        match self.kept_turn.button(ui, clicked, ()) {
            Turn::Save(()) => {
                self.kept_message = Some(match tab.desk.save_backups_kept(tab.user, kept.unwrap_or(0)) {
                    Ok(()) => {
                        self.kept_loaded = None;
                        tab.after_write(t.settings_saved.into());
                        Ok(t.settings_saved.into())
                    }
                    Err(e) => Err(t.app_error(&e)),
                });
            }
            // The next reload shows what is stored.
            Turn::SavedAfterAll(()) => self.kept_loaded = None,
            Turn::Idle => {}
        }
        self.kept_turn.line_ui(ui, &self.kept_message);
    }

    fn list_ui(&self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let t = t();
        let folder = app::backups_folder(&tab.desk.path());
        ui.label(fill(t.bk_list_title, &[("folder", &folder.display())]));
        if self.backups.is_empty() {
            ui.label(egui::RichText::new(t.bk_none).weak());
            return;
        }
        TableBuilder::new(ui)
            .id_salt("backups_table")
            .striped(true)
            .column(Column::auto().at_least(160.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::remainder())
            .header(22.0, |mut header| {
                for title in [t.bk_col_time, t.bk_col_size, t.bk_col_file] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, self.backups.len(), |mut row| {
                    let Some(backup) = self.backups.get(row.index()) else { return };
                    row.col(|ui| {
                        ui.label(backup.taken_at.format("%Y-%m-%d %H:%M:%S").to_string());
                    });
                    row.col(|ui| {
                        ui.label(t.file_size(backup.size_bytes))
                            .on_hover_text(t.file_size_exact(backup.size_bytes));
                    });
                    row.col(|ui| {
                        ui.label(backup.path.display().to_string());
                    });
                });
            });
    }

    /// Names the file to be replaced, the backup's date and size, and the
    /// safety copy; the restore runs through the app's own handle.
    fn confirm_ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        let Some(backup) = self.confirm.clone() else { return };
        let t = t();
        let text = fill(
            t.bk_confirm_text,
            &[
                ("from", &backup.path.display()),
                ("date", &backup.taken_at.format("%Y-%m-%d %H:%M")),
                ("size", &t.file_size(backup.size_bytes)),
                ("db", &tab.desk.path().display()),
            ],
        );
        let response = egui::Modal::new(egui::Id::unique("restore_confirm")).show(ctx, |ui| {
            ui.heading(t.bk_confirm_title);
            ui.label(text);
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
                self.confirm = None;
                self.restore(tab, &backup.path);
            }
            Some(false) => self.confirm = None,
            None if response.should_close() => self.confirm = None,
            None => {}
        }
    }

    /// The file dialog could not open: say so and offer the path field.
    fn no_dialog(&mut self) {
        self.message = Some(Err(t().fd_unavailable.into()));
        self.typed_path.get_or_insert_with(String::new);
    }

    fn restore(&mut self, tab: &mut TabCtx<'_>, from: &std::path::Path) {
        let t = t();
        match tab.desk.restore(from) {
            Ok(restored) => {
                let safety = restored.safety_copy.map(|p| p.display().to_string()).unwrap_or_default();
                let text = fill(t.bk_restored, &[("from", &from.display()), ("safety", &safety)]);
                self.message = Some(Ok(text.clone()));
                self.kept_loaded = None;
                tab.after_write(text);
            }
            Err(e) => self.message = Some(Err(t.app_error(&e))),
        }
    }
}

/// Why a backup failed; when the fault is the database's own (its copy
/// failed the integrity check), the latest good backup to restore from.
pub fn backup_error(db: &std::path::Path, e: &app::AppError) -> String {
    let t = t();
    let message = t.app_error(e);
    let damaged = matches!(e, app::AppError::Store(crate::store::StoreError::Unsound { path, .. })
        if crate::store::same_file(path, db));
    match app::latest_good_backup(db).filter(|_| damaged) {
        Some(backup) => fill(
            t.bk_source_damaged,
            &[
                ("message", &message),
                ("backup", &backup.path.display()),
                ("date", &backup.taken_at.format("%Y-%m-%d %H:%M")),
            ],
        ),
        None => message,
    }
}

/// `typed`, or the system's open dialog's choice, verified and described.
fn pick_backup(folder: PathBuf, typed: Option<PathBuf>) -> Chosen<BackupFile> {
    let t = t();
    let dialog = || {
        file_dialog::pick_file(
            rfd::FileDialog::new()
                .set_title(t.bk_dialog_open)
                .set_directory(folder)
                .add_filter("SQLite", &["db", "sqlite", "bak"]),
        )
    };
    match typed.map_or_else(dialog, Picked::Chosen) {
        Picked::Chosen(chosen) => Chosen::Done(app::inspect_backup(&chosen).map_err(|e| t.app_error(&e))),
        Picked::Cancelled => Chosen::Cancelled,
        Picked::Unavailable => Chosen::NoDialog,
    }
}
