//! 设置 › 导入 (a manager's only): pick what the file holds, 选择文件…
//! (rfd on a worker thread), then the import on that thread through a
//! read-write `HomeDesk::worker()` handle, with a progress bar of rows
//! checked and written; afterwards the count imported, or the report as a
//! table (文件, 行, 列, 问题) when the file was refused and nothing written.
//! Must not: read or write the file or the database except through `app`.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use egui_extras::{Column, TableBuilder};

use super::TabCtx;
use super::file_dialog::{self, Picked, path_field_ui};
use super::widgets::message_ui;
use crate::app::ImportOutcome;
use crate::i18n::{fill, t};
use crate::import::{ImportKind, ImportProblem, ImportProgress, ImportStage};

/// What the worker thread tells the pane.
enum Event {
    Progress(ImportProgress),
    /// The file dialog could not open: the pane offers a path field.
    NoDialog,
    /// `None` when the file dialog was closed without a choice.
    Done(Option<Result<(String, ImportOutcome), String>>),
}

/// Send a progress event at most this often (rows), so a file of 100 000
/// rows does not queue 200 000 repaints.
const PROGRESS_EVERY_ROWS: usize = 200;

#[derive(Default)]
pub struct ImportPane {
    kind: Option<ImportKind>,
    events: Option<Receiver<Event>>,
    progress: Option<ImportProgress>,
    message: Option<Result<String, String>>,
    problems: Vec<ImportProblem>,
    /// The file dialog could not open: the path typed instead (issue 19).
    typed_path: Option<String>,
}

impl ImportPane {
    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        self.poll(tab);
        let kind = *self.kind.get_or_insert(ImportKind::Residents);
        let idle = self.events.is_none();
        ui.horizontal(|ui| {
            ui.label(t.im_kind);
            for choice in ImportKind::ALL {
                let label = t.import_kind(choice);
                if ui.add_enabled(idle, egui::RadioButton::new(kind == choice, label)).clicked() {
                    self.kind = Some(choice);
                }
            }
            if ui.add_enabled(idle, egui::Button::new(t.im_choose_file)).clicked() {
                self.start(ui.ctx(), tab, kind, None);
            }
        });
        ui.label(egui::RichText::new(t.im_kind_hint).weak());
        if let Some(text) = &mut self.typed_path
            && let Some((_, path)) = path_field_ui(ui, text, &[t.fd_import])
            && idle
        {
            self.start(ui.ctx(), tab, kind, Some(path));
        }
        if self.events.is_some() {
            progress_ui(ui, self.progress);
        }
        ui.separator();
        message_ui(ui, &self.message);
        if !self.problems.is_empty() {
            report_ui(ui, &self.problems);
        }
    }

    /// Imports `typed` or, when `None`, the file the system's dialog picks.
    fn start(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>, kind: ImportKind, typed: Option<PathBuf>) {
        let mut worker = match tab.desk.worker() {
            Ok(worker) => worker,
            Err(e) => {
                self.message = Some(Err(t().app_error(&e)));
                return;
            }
        };
        let user = tab.user.clone();
        let (tx, events) = mpsc::channel();
        let ctx = ctx.clone();
        crate::i18n::spawn(move || {
            let send = |event| {
                let _ = tx.send(event);
                ctx.request_repaint();
            };
            let path = match typed.map_or_else(pick_file, Picked::Chosen) {
                Picked::Chosen(path) => path,
                Picked::Cancelled => return send(Event::Done(None)),
                Picked::Unavailable => return send(Event::NoDialog),
            };
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let outcome = worker.import_file(&user, kind, &path, &mut |p| {
                if p.done == p.total || p.done % PROGRESS_EVERY_ROWS == 0 {
                    send(Event::Progress(p));
                }
            });
            send(Event::Done(Some(outcome.map(|o| (file, o)).map_err(|e| t().app_error(&e)))));
        });
        self.events = Some(events);
        self.progress = None;
        self.message = None;
        self.problems.clear();
    }

    fn poll(&mut self, tab: &mut TabCtx<'_>) {
        let t = t();
        let Some(events) = &self.events else { return };
        loop {
            match events.try_recv() {
                Ok(Event::Progress(p)) => self.progress = Some(p),
                Ok(Event::NoDialog) => {
                    self.events = None;
                    self.message = Some(Err(t.fd_unavailable.into()));
                    self.typed_path.get_or_insert_with(String::new);
                    return;
                }
                Ok(Event::Done(done)) => {
                    self.events = None;
                    let kind = self.kind.unwrap_or(ImportKind::Residents);
                    match done {
                        None => {}
                        Some(Err(e)) => self.message = Some(Err(e)),
                        Some(Ok((file, ImportOutcome::Imported(n)))) => {
                            let text = fill(
                                t.im_done,
                                &[("file", &file), ("kind", &t.import_kind(kind)), ("n", &n)],
                            );
                            tab.after_write(text.clone());
                            self.message = Some(Ok(text));
                        }
                        Some(Ok((file, ImportOutcome::Refused(problems)))) => {
                            let text = fill(t.im_refused, &[("file", &file), ("n", &problems.len())]);
                            self.message = Some(Err(text));
                            self.problems = problems;
                        }
                    }
                    return;
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.events = None;
                    return;
                }
            }
        }
    }
}

fn pick_file() -> Picked {
    file_dialog::pick_file(
        rfd::FileDialog::new().set_title(t().im_dialog_title).add_filter("Excel / CSV", &["xlsx", "csv"]),
    )
}

fn progress_ui(ui: &mut egui::Ui, progress: Option<ImportProgress>) {
    let t = t();
    let Some(p) = progress else {
        ui.spinner();
        return;
    };
    let template = match p.stage {
        ImportStage::Checking => t.im_checking,
        ImportStage::Writing => t.im_writing,
    };
    let fraction = p.done as f32 / p.total.max(1) as f32;
    let text = fill(template, &[("done", &p.done), ("total", &p.total)]);
    ui.add(egui::ProgressBar::new(fraction).text(text));
}

/// The report: one row per problem, only the visible rows drawn.
fn report_ui(ui: &mut egui::Ui, problems: &[ImportProblem]) {
    let t = t();
    TableBuilder::new(ui)
        .id_salt("import_report")
        .striped(true)
        .column(Column::auto().at_least(140.0))
        .column(Column::auto().at_least(50.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::remainder())
        .header(22.0, |mut header| {
            for title in [t.im_col_file, t.im_col_row, t.im_col_column, t.im_col_problem] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, problems.len(), |mut row| {
                let Some(problem) = problems.get(row.index()) else { return };
                row.col(|ui| {
                    ui.label(&problem.file);
                });
                row.col(|ui| {
                    ui.label(problem.row.map(|r| r.to_string()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(problem.column.clone().unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(t.import_fault(&problem.fault));
                });
            });
        });
}
