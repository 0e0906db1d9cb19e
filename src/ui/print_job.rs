//! Printing on a worker thread: the PDF is made from a read-only handle on
//! the database, saved in the `prints` folder beside it, and opened in the
//! system's PDF viewer; the window keeps drawing meanwhile.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::NaiveDate;

use crate::app::HomeDesk;
use crate::domain::RegisterKind;
use crate::i18n::{fill, t};
use crate::print::PhoneDisplay;

/// A print under way.
pub struct PrintJob {
    done: Receiver<Result<String, String>>,
}

/// Where a register for `from ..= to` is saved: `prints/WX-2026-11-20_2026-11-22.pdf`.
pub fn register_pdf_path(db: &Path, kind: RegisterKind, from: NaiveDate, to: NaiveDate) -> PathBuf {
    let folder = db.parent().map(|p| p.join("prints")).unwrap_or_else(|| PathBuf::from("prints"));
    let name = if from == to {
        format!("{}-{from}.pdf", kind.prefix())
    } else {
        format!("{}-{from}_{to}.pdf", kind.prefix())
    };
    folder.join(name)
}

impl PrintJob {
    /// Prints the register `kind` for the days `from ..= to` into `out`; opens
    /// it when `open_file` (tests leave the viewer closed).
    pub fn register(
        reader: HomeDesk,
        kind: RegisterKind,
        (from, to): (NaiveDate, NaiveDate),
        out: PathBuf,
        open_file: bool,
        ctx: egui::Context,
    ) -> PrintJob {
        let (tx, done) = mpsc::channel();
        std::thread::spawn(move || {
            let result = print_register(&reader, kind, (from, to), &out, open_file);
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        PrintJob { done }
    }

    /// The outcome once the print is finished: the status line to show.
    pub fn poll(&self) -> Option<Result<String, String>> {
        match self.done.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(t().printing.to_string())),
        }
    }
}

fn print_register(
    reader: &HomeDesk,
    kind: RegisterKind,
    (from, to): (NaiveDate, NaiveDate),
    out: &Path,
    open_file: bool,
) -> Result<String, String> {
    let t = t();
    let pdf = reader.print_register(kind, from, to, PhoneDisplay::Masked).map_err(|e| t.app_error(&e))?;
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
    Ok(fill(t.cli_print_done, &[("path", &out.display()), ("pages", &pdf.pages)]))
}
