//! Another desk's commits on the office's server, looked for once a second
//! on a worker thread (issue 21 item 3).
//!
//! On an office file `PRAGMA data_version` is an in-memory read, and the UI
//! thread asks it itself. On a server the same question
//! (`Store::data_version`: the newest history id) is a round trip over the
//! network, which a slow or unreachable server can stretch to seconds:
//! asked on the UI thread every second, it would freeze the window. So a
//! thread with its own connection asks, and the window only reads what it
//! last heard. (A short `statement_timeout` on the UI thread's query was the
//! other way: it still stalls a frame for the timeout, and a dropped cable
//! stalls the connect, not the statement.)

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use crate::store::{Location, Store, StoreError};

/// What the poller heard at its last look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub data_version: i64,
    /// The server's schema moved since the poller connected (a newer
    /// HomeDesk migrated it): the window opens the office again.
    pub replaced: bool,
}

/// What the poller tells the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// A look that differs from the one before (or the first after a break).
    Seen(Seen),
    /// Its connection broke, or the server cannot be reached: the desk's
    /// own connection is most likely gone too (`ui/connection.rs`).
    Lost,
}

/// The poller thread's end of the line; dropping it stops the thread
/// (at its next look).
pub struct ServerPoll {
    seen: Receiver<Option<Heard>>,
}

impl ServerPoll {
    /// Starts looking at `location` every `every`; each change is sent and
    /// the window woken.
    pub fn start(location: Location, every: Duration, ctx: &egui::Context) -> ServerPoll {
        let (tx, seen) = mpsc::channel();
        let ctx = ctx.clone();
        // Without a thread the window still re-reads on its own writes.
        let _ = std::thread::Builder::new().name("homedesk-poll".into()).spawn(move || {
            let mut store: Option<Store> = None;
            let mut last = None;
            let mut lost = false;
            loop {
                if store.is_none() {
                    store = Store::open_reader_once_at(&location).ok();
                }
                let heard = match store.as_ref().map(look) {
                    Some(Ok(seen)) if last != Some(seen) => {
                        (last, lost) = (Some(seen), false);
                        Some(Heard::Seen(seen))
                    }
                    Some(Ok(_)) => None,
                    Some(Err(e)) if !e.is_connection_lost() => None,
                    // A broken connection is dropped and made again at the next
                    // look; the break is told once, and the first look after it
                    // is sent whatever it says.
                    Some(Err(_)) | None => {
                        store = None;
                        last = None;
                        let first = !lost;
                        lost = true;
                        first.then_some(Heard::Lost)
                    }
                };
                // Sent even when nothing changed: a failed send says the window is gone.
                if tx.send(heard).is_err() {
                    return;
                }
                if heard.is_some() {
                    ctx.request_repaint();
                }
                std::thread::sleep(every);
            }
        });
        ServerPoll { seen }
    }

    /// What was heard since the last call, oldest first (a break and the
    /// look after it both count).
    pub fn heard(&self) -> Vec<Heard> {
        let mut heard = Vec::new();
        loop {
            match self.seen.try_recv() {
                Ok(Some(word)) => heard.push(word),
                Ok(None) => {}
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return heard,
            }
        }
    }
}

/// One look: the newest history id, and whether the schema moved.
fn look(store: &Store) -> Result<Seen, StoreError> {
    Ok(Seen { data_version: store.data_version()?, replaced: store.replaced()? })
}
