//! The system's file dialogs (rfd), and a typed path when there is none
//! (issue 19): on a Linux desktop without the XDG portal or zenity, rfd
//! returns "nothing chosen" at once, so 选择文件… seemed to do nothing. An
//! answer quicker than a person can close a dialog is taken as "no dialog":
//! the pane says so and offers a path field, so import, backup and restore
//! still work; Excel export and 另存为…, whose buttons sit in bars with no
//! room for a field, say it in a small window holding the field.

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

/// What the typed-path window gave this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    Waiting,
    Closed,
    Path(PathBuf),
}

/// The save dialog could not open: a small window says so and takes the
/// path typed instead (titled `title`, the button that asked).
pub fn path_window_ui(ctx: &egui::Context, title: &str, text: &mut String) -> Typed {
    let t = t();
    let mut open = true;
    let mut typed = None;
    egui::Window::new(title).collapsible(false).resizable(false).open(&mut open).show(ctx, |ui| {
        ui.label(t.fd_unavailable);
        typed = path_field_ui(ui, text, &[t.fd_save_to]).map(|(_, path)| path);
    });
    match typed {
        Some(path) => Typed::Path(path),
        None if !open => Typed::Closed,
        None => Typed::Waiting,
    }
}

/// The typed-path window under test: a harness and the clerk's hands.
#[cfg(test)]
pub mod testing {
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use crate::i18n::t;

    /// `app` drawn in a harness with the app's fonts.
    pub fn harness<'a, S>(app: impl FnMut(&mut egui::Ui, &mut S) + 'a, state: S) -> Harness<'a, S> {
        Harness::builder().with_context_setup(crate::ui::install_fonts).build_ui_state(app, state)
    }

    /// Types `path` in the window's field and clicks 保存到此路径.
    pub fn save_to_typed_path<S>(harness: &mut Harness<'_, S>, path: &std::path::Path) {
        harness.get_by_role_and_label(Role::TextInput, t().fd_path).click();
        harness.step();
        harness.get_by_role_and_label(Role::TextInput, t().fd_path).type_text(&path.display().to_string());
        harness.step();
        harness.get_by_role_and_label(Role::Button, t().fd_save_to).click();
        harness.step();
        harness.step();
    }
}
