//! The system's file dialogs (rfd), and a typed path when there is none
//! (issue 19): on a Linux desktop without the XDG portal or zenity, rfd
//! returns "nothing chosen" at once, so 选择文件… seemed to do nothing. An
//! answer quicker than a person can close a dialog is taken as "no dialog":
//! the pane says so and offers a path field, so import, backup and restore
//! still work.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::i18n::t;

/// Faster than anyone opens and closes a dialog: it never opened.
const QUICKER_THAN_A_PERSON: Duration = Duration::from_millis(400);

/// What a file dialog gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Chosen(PathBuf),
    Cancelled,
    /// The dialog could not open.
    Unavailable,
}

/// Runs the open dialog (on a worker thread: it blocks).
pub fn pick_file(dialog: rfd::FileDialog) -> Picked {
    answer(Instant::now(), dialog.pick_file())
}

/// Runs the save dialog (on a worker thread: it blocks).
pub fn save_file(dialog: rfd::FileDialog) -> Picked {
    answer(Instant::now(), dialog.save_file())
}

fn answer(started: Instant, chosen: Option<PathBuf>) -> Picked {
    match chosen {
        Some(path) => Picked::Chosen(path),
        None if started.elapsed() < QUICKER_THAN_A_PERSON => Picked::Unavailable,
        None => Picked::Cancelled,
    }
}

/// A path typed by hand, for when the dialog cannot open: the field and
/// one button per use of it; which button was clicked, with the path, once
/// something is typed.
pub fn path_field_ui(ui: &mut egui::Ui, text: &mut String, buttons: &[&str]) -> Option<(usize, PathBuf)> {
    let t = t();
    ui.horizontal(|ui| {
        let label = ui.label(t.fd_path);
        ui.add(egui::TextEdit::singleline(text).hint_text(t.fd_path_hint).desired_width(420.0))
            .labelled_by(label.id);
        // Every button drawn, even on the frame one of them is clicked.
        let clicks: Vec<bool> = buttons.iter().map(|button| ui.button(*button).clicked()).collect();
        let clicked = clicks.iter().position(|c| *c);
        let path = text.trim();
        clicked.filter(|_| !path.is_empty()).map(|i| (i, PathBuf::from(path)))
    })
    .inner
}
