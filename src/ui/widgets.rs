//! Shared widgets: labelled form rows with their error next to the field, and
//! small pickers. Every input is `labelled_by` its label so that screen
//! readers and UI tests find it by the label's text.

use egui::{Response, RichText, TextEdit, Ui};

/// The width of a one-line form field.
const FIELD_WIDTH: f32 = 280.0;

/// The red message in the third column of a form row (or an empty cell).
pub fn error_cell(ui: &mut Ui, error: Option<&str>) {
    match error {
        Some(message) => {
            ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
        }
        None => {
            ui.label("");
        }
    }
}

/// A form row: label, one-line text field, error. Ends the grid row.
pub fn text_row(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) -> Response {
    text_row_with(ui, label, value, error, |edit| edit)
}

/// A password row: like [`text_row`] with the text hidden.
pub fn password_row(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) -> Response {
    text_row_with(ui, label, value, error, |edit| edit.password(true))
}

/// A form row whose text field the caller can configure (hint, width, ...).
pub fn text_row_with<'t>(
    ui: &mut Ui,
    label: &str,
    value: &'t mut String,
    error: Option<&str>,
    configure: impl FnOnce(TextEdit<'t>) -> TextEdit<'t>,
) -> Response {
    let label = ui.label(label);
    // A grid cell offers last frame's column width; the minimum keeps fields
    // from shrinking to that on the first frame.
    let edit = TextEdit::singleline(value).desired_width(FIELD_WIDTH).min_size(egui::vec2(FIELD_WIDTH, 0.0));
    let response = ui.add(configure(edit)).labelled_by(label.id);
    error_cell(ui, error);
    ui.end_row();
    response
}

/// A combo box over `options`, showing `name(option)`; `None` shows `empty`.
pub fn choice_combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    id_salt: &str,
    value: &mut Option<T>,
    options: &[T],
    empty: &str,
    name: impl Fn(T) -> String,
) -> Response {
    let selected = value.map(&name).unwrap_or_else(|| empty.to_string());
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(selected)
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(value, Some(*option), name(*option));
            }
        })
        .response
}

/// A status line under a form: red for an error, plain for a success.
pub fn message_ui(ui: &mut Ui, message: &Option<Result<String, String>>) {
    match message {
        Some(Ok(text)) => {
            ui.label(text);
        }
        Some(Err(text)) => {
            ui.label(RichText::new(text).color(ui.visuals().error_fg_color));
        }
        None => {}
    }
}
