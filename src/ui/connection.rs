//! The office's server connection as the window sees it (issue 21): its
//! state in a fixed place of the status bar, and connecting again in the
//! background when it breaks (the server restarted, a cable was pulled).
//!
//! Only the desk's store handle is replaced: every tab keeps its state, so
//! a half-typed form survives the break. A connection attempt runs on a
//! worker thread (it waits for the network); the window only starts it
//! and takes its result. A write that broke is either not saved (the
//! clerk is told so and saves again) or, when its `COMMIT` got no answer,
//! asked about on the new connection before anything else is written.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::app::{HomeDesk, Reconnected, WriteOutcome};
use crate::i18n::{fill, t};

/// How long after a failed attempt the next one starts.
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// How long a statement of the window's desk on the office's server may go
/// unanswered before it is given up, with its connection
/// (`HomeDesk::answering_within`): a save then says it was not saved, and
/// the connection is made again in the background. The most one statement
/// holds the window when the server goes away (a pulled cable: nothing
/// breaks, nothing answers). A working server answers a desk's statements
/// in milliseconds, and a write behind another desk's is refused as busy
/// after `pg::LOCK_WAIT` (4 s) instead.
pub(super) const SAVE_ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// The connection back, as the window is told of it.
pub(super) struct Back {
    /// The status line saying so (and what became of an unconfirmed write).
    pub message: String,
    /// The write whose `COMMIT` got no answer was saved after all.
    pub unconfirmed_saved: bool,
}

/// The window's connection to a server office (a file office is never lost).
#[derive(Default)]
pub(super) struct Connection {
    lost: Option<Lost>,
}

/// A broken connection being made again.
struct Lost {
    /// The attempt running on a worker thread, if one is.
    attempt: Option<Receiver<crate::app::Result<Reconnected>>>,
    /// When the next attempt may start.
    next_try: Instant,
}

impl Connection {
    /// The connection broke: start connecting again (once).
    pub(super) fn lost(&mut self) {
        if self.lost.is_none() {
            self.lost = Some(Lost { attempt: None, next_try: Instant::now() });
        }
    }

    /// Whether the connection is broken and not made again yet.
    pub(super) fn is_lost(&self) -> bool {
        self.lost.is_some()
    }

    /// Each frame while lost: starts an attempt when due, and when one
    /// succeeded, puts the new connection into `desk` and says so.
    pub(super) fn poll(&mut self, ctx: &egui::Context, desk: &mut HomeDesk) -> Option<Back> {
        let lost = self.lost.as_mut()?;
        if let Some(attempt) = &lost.attempt {
            match attempt.try_recv() {
                Err(TryRecvError::Empty) => return None,
                Ok(Ok(reconnected)) => {
                    self.lost = None;
                    *desk = reconnected.desk;
                    return Some(Back {
                        message: back_message(&reconnected.unconfirmed),
                        unconfirmed_saved: matches!(reconnected.unconfirmed, WriteOutcome::Saved),
                    });
                }
                Ok(Err(_)) | Err(TryRecvError::Disconnected) => {
                    lost.attempt = None;
                    lost.next_try = Instant::now() + RETRY_EVERY;
                }
            }
        }
        if lost.attempt.is_none() && Instant::now() >= lost.next_try {
            let reconnect = desk.reconnector();
            let (done, result) = channel();
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                let _ = done.send(reconnect.connect());
                ctx.request_repaint();
            });
            lost.attempt = Some(result);
        }
        ctx.request_repaint_after(RETRY_EVERY);
        None
    }

    /// The connection's state, first in the status bar and as wide as its
    /// widest text, so that nothing after it moves when it changes.
    pub(super) fn ui(&self, ui: &mut egui::Ui) {
        let t = t();
        let widest = [t.conn_online, t.conn_lost]
            .iter()
            .map(|text| {
                let galley = ui.painter().layout_no_wrap(
                    text.to_string(),
                    egui::TextStyle::Body.resolve(ui.style()),
                    egui::Color32::PLACEHOLDER,
                );
                galley.size().x
            })
            .fold(0.0, f32::max);
        let (text, colour) = match self.lost {
            None => (t.conn_online, ui.visuals().weak_text_color()),
            Some(_) => (t.conn_lost, ui.visuals().error_fg_color),
        };
        let height = ui.spacing().interact_size.y;
        let label =
            egui::Label::new(egui::RichText::new(text).color(colour)).wrap_mode(egui::TextWrapMode::Extend);
        // Left-aligned in its slot: both states start where the bar starts.
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        ui.allocate_ui_with_layout(egui::vec2(widest, height), layout, |ui| {
            ui.set_min_width(widest);
            ui.add(label);
        });
    }
}

/// The status line when the connection is back.
fn back_message(unconfirmed: &WriteOutcome) -> String {
    let t = t();
    match unconfirmed {
        WriteOutcome::NoneInFlight => t.conn_back.to_string(),
        WriteOutcome::Saved => t.conn_back_saved.to_string(),
        WriteOutcome::NotSaved => t.conn_back_not_saved.to_string(),
        WriteOutcome::Unknown(e) => fill(t.conn_back_unknown, &[("cause", &t.app_error(e))]),
    }
}
