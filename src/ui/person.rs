//! What each person keeps on this PC from one sign-in to the next: the zoom
//! of the window and the language of the screens (issue 22). Kept by login in [`super::Prefs`], so a clerk
//! who reads large text finds it large again, whoever used the PC before.

use serde::{Deserialize, Serialize};

use super::Prefs;
use crate::domain::Language;
use crate::i18n;

/// One person's view of the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonPrefs {
    /// egui's zoom factor (1.0 = 100 %); `None` until the person zooms.
    pub zoom: Option<f32>,
    /// The screens' language; `None` until the person picks one.
    pub language: Option<Language>,
}

/// Called on every signed-in frame. The first frame after a sign-in puts
/// the person's zoom and language back (a language `picked` on the sign-in
/// screen wins); later frames remember what Ctrl+= / Ctrl+- / Ctrl+0 and
/// 设置 › 本机与密码 changed (egui itself reads the keys after every pass).
pub fn keep_view(ctx: &egui::Context, prefs: &mut Prefs, applied: &mut bool, picked: Option<Language>) {
    let login = prefs.last_login.clone();
    let person = prefs.people.entry(login).or_default();
    if !*applied {
        // A person who never zoomed keeps the size the sign-in screen had.
        if let Some(zoom) = person.zoom {
            ctx.set_zoom_factor(zoom);
        }
        if let Some(language) = picked.or(person.language) {
            i18n::set_language(language);
        }
        *applied = true;
        return;
    }
    let language = i18n::language();
    if person.language != Some(language) {
        person.language = Some(language);
    }
    let zoom = ctx.zoom_factor();
    if person.zoom != Some(zoom) && (person.zoom.is_some() || zoom != 1.0) {
        person.zoom = Some(zoom);
    }
}

/// At start, the sign-in screen speaks the language of the last person who
/// signed in on this PC.
pub fn start_language(prefs: &Prefs) {
    if let Some(language) = prefs.people.get(&prefs.last_login).and_then(|p| p.language) {
        i18n::set_language(language);
    }
}

/// A grid row of the languages, each by its own name; `true` when changed.
pub fn language_row(ui: &mut egui::Ui, label: &str, language: &mut Language) -> bool {
    let t = i18n::t();
    ui.label(label);
    let before = *language;
    ui.horizontal(|ui| {
        for option in Language::ALL {
            ui.radio_value(language, option, t.language_name(option));
        }
    });
    super::widgets::error_cell(ui, None);
    ui.end_row();
    *language != before
}
