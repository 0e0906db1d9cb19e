//! Excel export on a worker thread, the sibling of `print_job`: the
//! workbook is made from a read-only handle on the database, then the
//! system's save dialog asks where to put it (on the same worker thread, so
//! the window keeps drawing), and the status bar says where it went. When
//! the dialog cannot open (issue 19), a small window takes a typed path.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::NaiveDate;

use super::file_dialog::{self, Picked, Typed, path_window_ui};
use crate::app::{self, HomeDesk};
use crate::domain::{PlanKind, RegisterKind, RevisitReason};
use crate::export::ExportedXlsx;
use crate::i18n::{fill, t};
use crate::print::PhoneDisplay;
use crate::store::{RequestQuery, StoreError};

/// A table a view asks to export, as it shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOrder {
    /// A register with the tab's filters and sort; the label names the file.
    Register(RegisterKind, RequestQuery, String),
    ShoppingLog(NaiveDate, NaiveDate),
    /// A saved plan (period, kind), only the households with the reason
    /// the tab filters on.
    Revisits(String, PlanKind, Option<RevisitReason>),
    /// The 统计 tab's figures of the days `[from, to)`.
    Figures(NaiveDate, NaiveDate),
    /// The 变更记录 tab's changes as filtered, read as this user.
    History(crate::store::HistoryQuery, crate::domain::User),
}

impl ExportOrder {
    /// The file name the save dialog proposes.
    fn file_name(&self) -> String {
        let t = t();
        let stem = match self {
            ExportOrder::Register(kind, _, label) => format!("{}-{label}", kind.prefix()),
            ExportOrder::ShoppingLog(from, to) => format!("{}-{from}_{to}", t.file_shopping_log),
            ExportOrder::Revisits(period, _, _) => format!("{}-{period}", t.file_revisit_record),
            ExportOrder::Figures(from, to) => {
                format!("{}-{from}_{}", t.st_xl_title, to.pred_opt().unwrap_or(*from))
            }
            ExportOrder::History(..) => t.tab_history.to_string(),
        };
        format!("{stem}.xlsx")
    }

    fn make(self, reader: &HomeDesk) -> app::Result<ExportedXlsx> {
        match self {
            ExportOrder::Register(kind, query, _) => {
                reader.export_register_matching(kind, query, PhoneDisplay::Masked)
            }
            ExportOrder::ShoppingLog(from, to) => reader.export_shopping_log(from, to),
            ExportOrder::Revisits(period, kind, reason) => {
                let plan = match kind {
                    PlanKind::Monthly => reader.revisit_plan(&period)?,
                    PlanKind::Quarterly => reader.quality_check(&period)?,
                };
                let mut plan = plan.ok_or(app::AppError::Store(StoreError::NotFound))?;
                plan.rows.retain(|row| reason.is_none_or(|r| row.reasons.contains(&r)));
                reader.export_revisits(&plan)
            }
            ExportOrder::Figures(from, to) => reader.export_figures(from, to),
            ExportOrder::History(query, user) => reader.export_history(&user, &query),
        }
    }
}

/// What the worker's export came to.
enum Outcome {
    /// The status line: where it went, or why it did not.
    Line(Result<String, String>),
    /// The clerk closed the dialog without choosing.
    Cancelled,
    /// The dialog could not open: the workbook waits for a typed path.
    NoDialog(ExportedXlsx),
}

/// A tab's exporter: at most one export under way.
pub struct Exporter {
    job: Option<Receiver<Outcome>>,
    /// A workbook whose save dialog could not open, and the path being typed.
    unsaved: Option<(ExportedXlsx, String)>,
    /// A line for the status bar, handed over at the next `poll`.
    said: Option<String>,
    /// The save dialog (a seam for the tests: CI has no desktop).
    dialog: fn(&str) -> Picked,
}

impl Default for Exporter {
    fn default() -> Self {
        Exporter { job: None, unsaved: None, said: None, dialog: ask_where }
    }
}

impl Exporter {
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.unsaved.is_some()
    }

    /// 导出 Excel…, or a spinner while an export is under way; `true` when
    /// clicked. While a workbook waits for a typed path, its window.
    pub fn button_ui(&mut self, ui: &mut egui::Ui) -> bool {
        self.path_window_ui(ui.ctx());
        if self.busy() {
            ui.add_enabled(false, egui::Button::new(t().exporting));
            if self.job.is_some() {
                ui.spinner();
            }
            return false;
        }
        ui.button(t().export_excel_button).clicked()
    }

    fn path_window_ui(&mut self, ctx: &egui::Context) {
        let Some((xlsx, text)) = &mut self.unsaved else { return };
        match path_window_ui(ctx, t().export_excel_button, text) {
            Typed::Waiting => {}
            Typed::Closed => self.unsaved = None,
            Typed::Path(path) => {
                let line = save(&path, xlsx);
                // A refused path keeps the window (and the typed text) open.
                if line.is_ok() {
                    self.unsaved = None;
                }
                self.said = Some(line.unwrap_or_else(|message| message));
            }
        }
    }

    /// Exports `order` unless an export is already under way.
    pub fn export(&mut self, tab: &mut super::TabCtx<'_>, ctx: &egui::Context, order: ExportOrder) {
        if self.busy() {
            return;
        }
        let reader = match tab.desk.reader() {
            Ok(reader) => reader,
            Err(e) => {
                *tab.status = Some(t().app_error(&e));
                return;
            }
        };
        let (tx, done) = mpsc::channel();
        let ctx = ctx.clone();
        let dialog = self.dialog;
        crate::i18n::spawn(move || {
            let name = order.file_name();
            // The workbook in the office's language; the status line in the person's.
            let speech = reader.print_language();
            let outcome = match crate::i18n::with_language(speech, || order.make(&reader)) {
                Ok(xlsx) => place(xlsx, dialog(&name)),
                Err(e) => Outcome::Line(Err(t().app_error(&e))),
            };
            let _ = tx.send(outcome);
            ctx.request_repaint();
        });
        self.job = Some(done);
    }

    /// Hands a finished export's line to the status bar.
    pub fn poll(&mut self, tab: &mut super::TabCtx<'_>) {
        if let Some(line) = self.said.take() {
            *tab.status = Some(line);
        }
        let Some(job) = &self.job else { return };
        let outcome = match job.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Outcome::Cancelled,
        };
        self.job = None;
        if let Some(line) = self.take(outcome) {
            *tab.status = Some(line);
        }
    }

    /// The status line of a finished export; a workbook whose dialog could
    /// not open waits for a typed path.
    fn take(&mut self, outcome: Outcome) -> Option<String> {
        match outcome {
            Outcome::Line(line) => Some(line.unwrap_or_else(|message| message)),
            Outcome::Cancelled => None,
            Outcome::NoDialog(xlsx) => {
                self.unsaved = Some((xlsx, String::new()));
                Some(t().fd_unavailable.to_string())
            }
        }
    }
}

/// Saves the workbook where the dialog said, or keeps it for a typed path.
fn place(xlsx: ExportedXlsx, picked: Picked) -> Outcome {
    match picked {
        Picked::Chosen(path) => Outcome::Line(save(&path, &xlsx)),
        Picked::Cancelled => Outcome::Cancelled,
        Picked::Unavailable => Outcome::NoDialog(xlsx),
    }
}

/// The system's save dialog, proposing `name`.
fn ask_where(name: &str) -> Picked {
    file_dialog::save_file(
        rfd::FileDialog::new()
            .set_title(t().export_excel_button)
            .set_file_name(name)
            .add_filter(t().export_filter_name, &["xlsx"]),
    )
}

fn save(path: &std::path::Path, xlsx: &ExportedXlsx) -> Result<String, String> {
    app::save_xlsx(path, xlsx).map_err(|e| t().app_error(&e))?;
    Ok(fill(t().export_done, &[("path", &path.display()), ("n", &xlsx.rows)]))
}

#[cfg(test)]
mod tests {
    use super::super::file_dialog::testing::{harness, save_to_typed_path};
    use super::*;

    /// Issue 19 item 17: when the save dialog cannot open, the export says
    /// so and a window takes a typed path, where the workbook is saved.
    #[test]
    fn an_export_without_a_dialog_says_so_and_saves_to_a_typed_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("住户.xlsx");
        let mut exporter = Exporter::default();
        let xlsx = ExportedXlsx { bytes: b"PK-workbook".to_vec(), rows: 3 };
        let said = exporter.take(place(xlsx, Picked::Unavailable));
        assert_eq!(said.as_deref(), Some(t().fd_unavailable));
        assert!(exporter.busy(), "the workbook waits for its path");
        let mut harness = harness(
            |ui, exporter: &mut Exporter| {
                exporter.button_ui(ui);
            },
            exporter,
        );
        harness.run();
        save_to_typed_path(&mut harness, &target);
        assert_eq!(std::fs::read(&target).ok().as_deref(), Some(&b"PK-workbook"[..]));
        let exporter = harness.state_mut();
        assert!(!exporter.busy(), "the window closed");
        assert!(
            exporter.said.as_deref().is_some_and(|line| line.contains("住户.xlsx")),
            "{:?}",
            exporter.said
        );
    }
}
