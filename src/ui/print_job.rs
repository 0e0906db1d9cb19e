//! Printing on a worker thread: the PDF is made from a read-only handle on
//! the database, saved in the `prints` folder beside it, and opened in the
//! system's PDF viewer; the window keeps drawing meanwhile. A printed file
//! can then be saved anywhere ("另存为…", a system dialog on its own thread).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::file_dialog::{self, Picked, Typed, path_window_ui};
use crate::app::{self, HomeDesk};
use crate::i18n::{fill, t};
use crate::print::PrintedPdf;

/// A print under way.
pub struct PrintJob {
    done: Receiver<Result<Printed, String>>,
}

/// A finished print: where the file is, and the status line to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub path: PathBuf,
    pub message: String,
}

/// Where a document called `name` is saved: `prints/<name>.pdf` beside the
/// database file (on a server, beside this PC's default data file).
pub fn pdf_path(db: &Path, name: &str) -> PathBuf {
    // An office on a server has no file: its PDFs go beside this PC's default data file.
    let local =
        if db.as_os_str().is_empty() { crate::app::default_db_path() } else { Some(db.to_path_buf()) };
    let folder = local
        .as_deref()
        .and_then(Path::parent)
        .map(|p| p.join("prints"))
        .unwrap_or_else(|| PathBuf::from("prints"));
    folder.join(format!("{name}.pdf"))
}

impl PrintJob {
    /// Makes the PDF with `make` on a reader of the database, writes it to
    /// `out` and opens it when `open_file` (tests leave the viewer closed).
    pub fn start(
        reader: HomeDesk,
        out: PathBuf,
        open_file: bool,
        ctx: egui::Context,
        make: impl FnOnce(&HomeDesk) -> app::Result<PrintedPdf> + Send + 'static,
    ) -> PrintJob {
        let (tx, done) = mpsc::channel();
        crate::i18n::spawn(move || {
            // The form in the office's language; the status line in the person's.
            let speech = reader.print_language();
            let result = crate::i18n::with_language(speech, || make(&reader))
                .map_err(|e| t().app_error(&e))
                .and_then(|pdf| save(&pdf, &out, open_file));
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        PrintJob { done }
    }

    /// The outcome once the print is finished.
    pub fn poll(&self) -> Option<Result<Printed, String>> {
        match self.done.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(t().printing.to_string())),
        }
    }
}

fn save(pdf: &PrintedPdf, out: &Path, open_file: bool) -> Result<Printed, String> {
    let t = t();
    let write = || -> std::io::Result<()> {
        if let Some(folder) = out.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(out, &pdf.bytes)
    };
    write().map_err(|e| fill(t.err_file, &[("path", &out.display()), ("cause", &e)]))?;
    if open_file {
        // A PC without a PDF viewer still has the file; the status line says where.
        let _ = open::that_detached(out);
    }
    let message = fill(t.cli_print_done, &[("path", &out.display()), ("pages", &pdf.pages)]);
    Ok(Printed { path: out.to_path_buf(), message })
}

/// A "save as" under way: the system's dialog runs on its own thread so the
/// window keeps drawing; when it cannot open (issue 19), a small window
/// takes a typed path instead.
pub struct SaveAs {
    done: Receiver<Picked>,
    printed: PathBuf,
    /// The dialog could not open: the path being typed.
    typed: Option<String>,
}

impl SaveAs {
    /// Asks where to put a copy of `printed`, and copies it there.
    pub fn start(printed: PathBuf, ctx: egui::Context) -> SaveAs {
        SaveAs::start_with(printed, ctx, ask_where)
    }

    /// `start` with the dialog given (a seam for the tests: CI has no desktop).
    fn start_with(printed: PathBuf, ctx: egui::Context, dialog: fn(&str) -> Picked) -> SaveAs {
        let (tx, done) = mpsc::channel();
        let name = printed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::i18n::spawn(move || {
            let _ = tx.send(dialog(&name));
            ctx.request_repaint();
        });
        SaveAs { done, printed, typed: None }
    }

    /// The status line this frame, if any, and whether the save-as is over
    /// (copied, or the clerk closed the dialog or the window).
    pub fn ui(&mut self, ctx: &egui::Context) -> (Option<String>, bool) {
        if let Some(text) = &mut self.typed {
            return match path_window_ui(ctx, t().save_as, text) {
                Typed::Waiting => (None, false),
                Typed::Closed => (None, true),
                // A refused path keeps the window (and the typed text) open.
                Typed::Path(target) => match copy_to(&self.printed, &target) {
                    Ok(line) => (Some(line), true),
                    Err(line) => (Some(line), false),
                },
            };
        }
        let picked = match self.done.try_recv() {
            Ok(picked) => picked,
            Err(TryRecvError::Empty) => return (None, false),
            Err(TryRecvError::Disconnected) => Picked::Cancelled,
        };
        match picked {
            Picked::Chosen(target) => (Some(copy_to(&self.printed, &target).unwrap_or_else(|e| e)), true),
            Picked::Cancelled => (None, true),
            Picked::Unavailable => {
                self.typed = Some(String::new());
                (Some(t().fd_unavailable.to_string()), false)
            }
        }
    }
}

/// The system's save dialog, proposing `name`.
fn ask_where(name: &str) -> Picked {
    file_dialog::save_file(
        rfd::FileDialog::new().set_title(t().save_as).set_file_name(name).add_filter("PDF", &["pdf"]),
    )
}

fn copy_to(from: &Path, to: &Path) -> Result<String, String> {
    let t = t();
    std::fs::copy(from, to)
        .map(|_| fill(t.saved_copy_to, &[("path", &to.display())]))
        .map_err(|e| fill(t.err_file, &[("path", &to.display()), ("cause", &e)]))
}

/// A tab's printer: at most one print under way, its outcome handed to the
/// status bar (and "save as") when it is done.
#[derive(Default)]
pub struct Printer {
    job: Option<PrintJob>,
}

impl Printer {
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Prints `name`.pdf into the `prints` folder on a reader of the database.
    pub fn start(
        &mut self,
        tab: &mut super::TabCtx<'_>,
        ctx: &egui::Context,
        name: &str,
        make: impl FnOnce(&HomeDesk) -> app::Result<PrintedPdf> + Send + 'static,
    ) {
        if self.busy() {
            return;
        }
        let out = pdf_path(&tab.desk.path(), name);
        match tab.desk.reader() {
            Ok(reader) => self.job = Some(PrintJob::start(reader, out, tab.open_printed, ctx.clone(), make)),
            Err(e) => *tab.status = Some(t().app_error(&e)),
        }
    }

    /// Hands a finished print to the status bar.
    pub fn poll(&mut self, tab: &mut super::TabCtx<'_>) {
        let Some(done) = self.job.as_ref().and_then(PrintJob::poll) else { return };
        self.job = None;
        tab.printed(done);
    }
}

/// A document a view asks for; printed after the frame by the tab's [`Printer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintOrder {
    Slips(Vec<crate::domain::SlipNo>),
    SlipsOfDay(chrono::NaiveDate),
    Records(Vec<crate::domain::RequestId>, String),
    RecordsOfDay(crate::domain::Desk, chrono::NaiveDate),
    Round(crate::domain::RegisterKind, chrono::NaiveDateTime),
    Register(crate::domain::RegisterKind, chrono::NaiveDate),
    Cash(chrono::NaiveDate),
    RepairCopy(chrono::NaiveDate),
    /// An agreement and its forms; the label names the file.
    Agreement(crate::domain::AgreementId, String),
    Amendment(crate::domain::AgreementId, u32, String),
    /// The text with its amendments worked in, through amendment N.
    Consolidated(crate::domain::AgreementId, u32, String),
    Renewal(crate::domain::AgreementId, String),
    Notice(crate::domain::AgreementId, String),
    ShoppingForms(Vec<i64>),
    ShoppingLog(chrono::NaiveDate, chrono::NaiveDate),
    /// A saved revisit plan: the call list (`false`) or the record (`true`).
    Revisits(String, crate::domain::PlanKind, bool),
}

impl PrintOrder {
    /// The file name in the `prints` folder, without `.pdf`.
    pub fn file_name(&self) -> String {
        let t = t();
        match self {
            PrintOrder::Slips(nos) => match (nos.first(), nos.last()) {
                (Some(first), Some(last)) if first != last => format!("{first}_{last}"),
                (Some(first), _) => first.to_string(),
                _ => t.file_slips.to_string(),
            },
            PrintOrder::SlipsOfDay(day) => format!("{}-{day}", t.file_slips),
            PrintOrder::Records(_, label) => format!("{}-{label}", t.file_records),
            PrintOrder::RecordsOfDay(desk, day) => format!("{}-{}-{day}", t.file_records, t.desk(*desk)),
            PrintOrder::Round(kind, at) => {
                format!("{}-{}-{}", t.file_round, t.kind(*kind), at.format("%Y-%m-%d-%H%M"))
            }
            PrintOrder::Register(kind, day) => format!("{}-{day}", kind.prefix()),
            PrintOrder::Cash(day) => format!("{}-{day}", t.file_cash),
            PrintOrder::RepairCopy(day) => format!("{}-{day}", t.file_repair_copy),
            PrintOrder::Agreement(_, label) => format!("{}-{label}", t.file_agreement),
            PrintOrder::Amendment(_, seq, label) => format!("{}-{label}-{seq}", t.file_amendment),
            PrintOrder::Consolidated(_, seq, label) => format!("{}-{label}-{seq}", t.file_consolidated),
            PrintOrder::Renewal(_, label) => format!("{}-{label}", t.file_renewal),
            PrintOrder::Notice(_, label) => format!("{}-{label}", t.file_notice),
            PrintOrder::ShoppingForms(nos) => {
                let first = nos.first().map(|n| crate::domain::shopping_no_text(*n)).unwrap_or_default();
                format!("{}-{first}", t.file_shopping)
            }
            PrintOrder::ShoppingLog(from, to) => format!("{}-{from}_{to}", t.file_shopping_log),
            PrintOrder::Revisits(period, _, filled) => {
                format!("{}-{period}", if *filled { t.file_revisit_record } else { t.file_revisit_list })
            }
        }
    }

    /// Makes the document on a reader of the database.
    pub fn make(self, reader: &HomeDesk) -> app::Result<PrintedPdf> {
        match self {
            PrintOrder::Slips(nos) => reader.print_slips(&nos),
            PrintOrder::SlipsOfDay(day) => reader.print_slips_issued(day, day),
            PrintOrder::Records(ids, _) => reader.print_service_records(&ids),
            PrintOrder::RecordsOfDay(desk, day) => reader.print_service_records_of_day(desk, day),
            PrintOrder::Round(kind, at) => reader.print_round(kind, at),
            PrintOrder::Register(kind, day) => {
                reader.print_register(kind, day, day, crate::print::PhoneDisplay::Masked)
            }
            PrintOrder::Cash(day) => reader.print_cash_handover(day, None),
            PrintOrder::RepairCopy(day) => reader.print_repair_copy(day),
            PrintOrder::Agreement(id, _) => reader.print_agreement(id),
            PrintOrder::Amendment(id, seq, _) => reader.print_amendment(id, seq),
            PrintOrder::Consolidated(id, _, _) => reader.print_agreement_consolidated(id),
            PrintOrder::Renewal(id, _) => reader.print_renewal(id),
            PrintOrder::Notice(id, _) => reader.print_termination_notice(id),
            PrintOrder::ShoppingForms(nos) => reader.print_shopping_forms(&nos),
            PrintOrder::ShoppingLog(from, to) => reader.print_shopping_log(from, to),
            PrintOrder::Revisits(period, kind, filled) => {
                let plan = match kind {
                    crate::domain::PlanKind::Monthly => reader.revisit_plan(&period)?,
                    crate::domain::PlanKind::Quarterly => reader.quality_check(&period)?,
                };
                let plan = plan.ok_or(app::AppError::Store(crate::store::StoreError::NotFound))?;
                reader.print_revisits(&plan, filled)
            }
        }
    }
}

impl Printer {
    /// Prints `order` unless a print is already under way.
    pub fn print(&mut self, tab: &mut super::TabCtx<'_>, ctx: &egui::Context, order: PrintOrder) {
        let name = order.file_name();
        self.start(tab, ctx, &name, move |reader| order.make(reader));
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::kittest::Queryable;

    use super::super::file_dialog::testing::{harness, save_to_typed_path};
    use super::*;

    /// Issue 19 item 17: when 另存为…'s dialog cannot open, the status line
    /// says so and a window takes a typed path, where the copy goes.
    #[test]
    fn save_as_without_a_dialog_says_so_and_copies_to_a_typed_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let printed = dir.path().join("留言条.pdf");
        std::fs::write(&printed, b"%PDF-slip").expect("write");
        let target = dir.path().join("副本.pdf");
        let save_as = SaveAs::start_with(printed, egui::Context::default(), |_| Picked::Unavailable);
        let mut harness = harness(
            |ui, (save_as, said, over): &mut (SaveAs, Vec<String>, bool)| {
                let (line, finished) = save_as.ui(ui.ctx());
                said.extend(line);
                *over |= finished;
                // The dialog's thread answers between frames.
                ui.ctx().request_repaint();
            },
            (save_as, Vec::new(), false),
        );
        for _ in 0..100 {
            harness.step();
            if harness.query_by_label(t().fd_path).is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(harness.state().1, [t().fd_unavailable.to_string()]);
        save_to_typed_path(&mut harness, &target);
        assert_eq!(std::fs::read(&target).ok().as_deref(), Some(&b"%PDF-slip"[..]));
        let (_, said, over) = harness.state();
        assert!(*over, "the save-as is over");
        assert!(said.last().is_some_and(|line| line.contains("副本.pdf")), "{said:?}");
    }
}
