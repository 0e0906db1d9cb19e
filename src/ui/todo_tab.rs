//! The 待办 tab (issue 19): what waits for the signed-in person, by role —
//! drafts to confirm or sign, reports to approve or revise, 飞单 to
//! investigate, stubs not back, yesterday's rows to review, cash to
//! receive, complaints to close, agreements ending soon. Read on a worker
//! thread (`HomeDesk::reader`) when the person or the data changes, never
//! per frame; each line opens its record in its own tab.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use egui::RichText;

use super::{DataStamp, TabCtx};
use crate::app::HomeDesk;
use crate::domain::{TodoItem, TodoKind, TodoTarget, User};
use crate::i18n::{fill, t};

/// Whose list, over which data.
type Key = (User, DataStamp);
/// The list, or why it could not be read.
type Listed = Result<Vec<TodoItem>, String>;

#[derive(Default)]
pub struct TodoTab {
    shown: Option<(Key, Listed)>,
    job: Option<(Key, Receiver<Listed>)>,
}

impl TodoTab {
    /// Keeps the list current off the UI thread; called every frame, it
    /// starts a read only when the person or the data changed.
    pub fn refresh(&mut self, ctx: &egui::Context, desk: &HomeDesk, user: &User, stamp: DataStamp) {
        self.poll();
        let key = (user.clone(), stamp);
        let shown = self.shown.as_ref().is_some_and(|(k, _)| *k == key);
        let running = self.job.as_ref().is_some_and(|(k, _)| *k == key);
        if shown || running {
            return;
        }
        match desk.reader() {
            Ok(reader) => self.job = Some((key, spawn(reader, user.clone(), ctx.clone()))),
            Err(e) => self.shown = Some((key, Err(t().app_error(&e)))),
        }
    }

    fn poll(&mut self) {
        let Some((key, done)) = &self.job else { return };
        let outcome = match done.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(t().st_failed.to_string()),
        };
        self.shown = Some((key.clone(), outcome));
        self.job = None;
    }

    /// How many things wait, once counted.
    pub fn count(&self) -> Option<usize> {
        match &self.shown {
            Some((_, Ok(items))) => Some(items.len()),
            _ => None,
        }
    }

    /// Draws the list; the record clicked this frame, if any.
    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) -> Option<TodoTarget> {
        let t = t();
        ui.heading(fill(t.todo_title, &[("name", &tab.user.name)]));
        ui.label(RichText::new(t.todo_hint).weak());
        ui.separator();
        let items = match &self.shown {
            Some((_, Ok(items))) => items,
            Some((_, Err(message))) => {
                ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
                return None;
            }
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(t.st_computing);
                });
                return None;
            }
        };
        if items.is_empty() {
            ui.label(t.todo_none);
            return None;
        }
        let mut clicked = None;
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for kind in TodoKind::ALL {
                let of_kind: Vec<&TodoItem> = items.iter().filter(|i| i.kind == kind).collect();
                if of_kind.is_empty() {
                    continue;
                }
                ui.add_space(6.0);
                ui.strong(fill(t.todo_heading, &[("what", &t.todo_kind(kind)), ("n", &of_kind.len())]));
                for item in of_kind {
                    if item_ui(ui, item) {
                        clicked = Some(item.target.clone());
                    }
                }
            }
        });
        clicked
    }
}

/// One line: the record as a link, and what it is about.
fn item_ui(ui: &mut egui::Ui, item: &TodoItem) -> bool {
    ui.horizontal(|ui| {
        let what = if item.what.is_empty() { t().todo_open } else { item.what.as_str() };
        let clicked = ui.link(what).clicked();
        if !item.detail.is_empty() {
            ui.label(RichText::new(&item.detail).weak());
        }
        clicked
    })
    .inner
}

fn spawn(reader: HomeDesk, user: User, ctx: egui::Context) -> Receiver<Listed> {
    let (tx, done) = mpsc::channel();
    crate::i18n::spawn(move || {
        let outcome = reader.todo(&user).map_err(|e| t().app_error(&e));
        let _ = tx.send(outcome);
        ctx.request_repaint();
    });
    done
}
