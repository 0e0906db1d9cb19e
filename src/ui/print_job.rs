//! Printing on a worker thread: the PDF is made from a read-only handle on
//! the database, saved in the `prints` folder beside it, and opened in the
//! system's PDF viewer; the window keeps drawing meanwhile. A printed file
//! can then be saved anywhere ("另存为…", a system dialog on its own thread).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

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

/// Where a document called `name` is saved: `prints/<name>.pdf` beside the database.
pub fn pdf_path(db: &Path, name: &str) -> PathBuf {
    let folder = db.parent().map(|p| p.join("prints")).unwrap_or_else(|| PathBuf::from("prints"));
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
        std::thread::spawn(move || {
            let result =
                make(&reader).map_err(|e| t().app_error(&e)).and_then(|pdf| save(&pdf, &out, open_file));
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
/// window keeps drawing; the outcome is the status line.
pub struct SaveAs {
    done: Receiver<Option<Result<String, String>>>,
}

impl SaveAs {
    /// Asks where to put a copy of `printed`, and copies it there.
    pub fn start(printed: PathBuf, ctx: egui::Context) -> SaveAs {
        let (tx, done) = mpsc::channel();
        std::thread::spawn(move || {
            let name = printed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let chosen = rfd::FileDialog::new()
                .set_title(t().save_as)
                .set_file_name(name)
                .add_filter("PDF", &["pdf"])
                .save_file();
            let result = chosen.map(|target| copy_to(&printed, &target));
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        SaveAs { done }
    }

    /// `Some(None)` when the clerk closed the dialog without choosing.
    pub fn poll(&self) -> Option<Option<Result<String, String>>> {
        match self.done.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }
}

fn copy_to(from: &Path, to: &Path) -> Result<String, String> {
    let t = t();
    std::fs::copy(from, to)
        .map(|_| fill(t.saved_copy_to, &[("path", &to.display())]))
        .map_err(|e| fill(t.err_file, &[("path", &to.display()), ("cause", &e)]))
}
