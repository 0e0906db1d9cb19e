//! What each person keeps on this PC from one sign-in to the next: the zoom
//! of the window (issue 22). Kept by login in [`super::Prefs`], so a clerk
//! who reads large text finds it large again, whoever used the PC before.

use serde::{Deserialize, Serialize};

use super::Prefs;

/// One person's view of the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonPrefs {
    /// egui's zoom factor (1.0 = 100 %); `None` until the person zooms.
    pub zoom: Option<f32>,
}

/// Called on every signed-in frame. The first frame after a sign-in puts
/// the person's zoom back; later frames remember what Ctrl+= / Ctrl+- /
/// Ctrl+0 changed (egui itself reads those keys at the end of every pass).
pub fn keep_view(ctx: &egui::Context, prefs: &mut Prefs, applied: &mut bool) {
    let login = prefs.last_login.clone();
    let person = prefs.people.entry(login).or_default();
    if !*applied {
        ctx.set_zoom_factor(person.zoom.unwrap_or(1.0));
        *applied = true;
        return;
    }
    let zoom = ctx.zoom_factor();
    if person.zoom != Some(zoom) && (person.zoom.is_some() || zoom != 1.0) {
        person.zoom = Some(zoom);
    }
}
