//! Excel export on a worker thread, the sibling of `print_job`: the
//! workbook is made from a read-only handle on the database, then the
//! system's save dialog asks where to put it (on the same worker thread, so
//! the window keeps drawing), and the status bar says where it went.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::NaiveDate;

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

/// A tab's exporter: at most one export under way; `None` when the clerk
/// closed the dialog without choosing.
#[derive(Default)]
pub struct Exporter {
    job: Option<Receiver<Option<Result<String, String>>>>,
}

impl Exporter {
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// 导出 Excel…, or a spinner while an export is under way; `true` when clicked.
    pub fn button_ui(&self, ui: &mut egui::Ui) -> bool {
        if self.busy() {
            ui.add_enabled(false, egui::Button::new(t().exporting));
            ui.spinner();
            return false;
        }
        ui.button(t().export_excel_button).clicked()
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
        std::thread::spawn(move || {
            let name = order.file_name();
            let outcome = match order.make(&reader) {
                Ok(xlsx) => ask_where(&name).map(|path| save(&path, &xlsx)),
                Err(e) => Some(Err(t().app_error(&e))),
            };
            let _ = tx.send(outcome);
            ctx.request_repaint();
        });
        self.job = Some(done);
    }

    /// Hands a finished export's line to the status bar.
    pub fn poll(&mut self, tab: &mut super::TabCtx<'_>) {
        let Some(job) = &self.job else { return };
        let outcome = match job.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => None,
        };
        self.job = None;
        if let Some(line) = outcome {
            *tab.status = Some(line.unwrap_or_else(|message| message));
        }
    }
}

/// The system's save dialog, proposing `name`.
fn ask_where(name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(t().export_excel_button)
        .set_file_name(name)
        .add_filter(t().export_filter_name, &["xlsx"])
        .save_file()
}

fn save(path: &std::path::Path, xlsx: &ExportedXlsx) -> Result<String, String> {
    app::save_xlsx(path, xlsx).map_err(|e| t().app_error(&e))?;
    Ok(fill(t().export_done, &[("path", &path.display()), ("n", &xlsx.rows)]))
}
