//! Runs a register's id query on a reader thread, so that typing in the
//! search box of a 200 000-row register never waits for the database: the
//! table keeps showing the last result (with a spinner) until the new one
//! arrives.
//!
//! Where the store can tell a search's first rows and their count sooner
//! than the whole list (a common word on an office's server, issue 21),
//! the thread hands those over first — the table shows them with the
//! count and a scroll bar of the right length — and then the whole list,
//! unless the clerk has typed on meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};

use super::reader_job::{newest_job, settle};
use crate::i18n::t;
use crate::store::{Location, RequestPage, RequestQuery, Store, StoreError};

struct Job {
    seq: u64,
    query: RequestQuery,
}

struct Reply {
    seq: u64,
    page: Result<RequestPage, String>,
}

/// The rows a first answer holds: two of the table's pages, so that a
/// little scrolling finds them.
pub const FIRST_ROWS: usize = 128;

/// An answer to the latest question.
pub struct Answer {
    pub page: RequestPage,
    /// The whole list of the question whose first rows came before it (on
    /// the same data: the rows already read of those stand).
    pub rest: bool,
}

/// The handle the table keeps; dropping it ends the thread.
pub struct RowQuery {
    jobs: Sender<Job>,
    replies: Receiver<Reply>,
    last_asked: u64,
    /// When the answer still to come was asked for.
    waiting_since: Option<Instant>,
    /// The question whose first rows were answered, the rest to come.
    first_answered: Option<u64>,
    /// Set while the UI thread waits in [`RowQuery::poll`]: an answer it
    /// takes there is drawn in the frame that waited, and asks for no frame
    /// of its own (each asked-for frame is two paintings in egui, which on
    /// software OpenGL took the CPU a keystroke's next frame needed).
    ui_waiting: Arc<AtomicBool>,
}

impl RowQuery {
    /// Starts the reader thread on the office at `location`; it asks `ctx`
    /// to repaint when a result is ready.
    pub fn start(location: Location, ctx: egui::Context) -> RowQuery {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (reply_tx, replies) = mpsc::channel::<Reply>();
        let ui_waiting = Arc::new(AtomicBool::new(false));
        let wake = Wake { ctx, ui_waiting: ui_waiting.clone() };
        std::thread::Builder::new()
            .name("homedesk-row-query".into())
            .spawn(move || serve(&location, job_rx, reply_tx, &wake))
            .ok();
        RowQuery { jobs, replies, last_asked: 0, waiting_since: None, first_answered: None, ui_waiting }
    }

    /// Asks for the ids of `query`; an older question still running is superseded.
    pub fn ask(&mut self, query: RequestQuery) {
        self.last_asked += 1;
        self.first_answered = None;
        self.waiting_since = self.jobs.send(Job { seq: self.last_asked, query }).is_ok().then(Instant::now);
    }

    /// Whether the answer to the latest question, or the rest of it, is to come.
    pub fn waiting(&self) -> bool {
        self.waiting_since.is_some()
    }

    /// How long the answer to the latest question has been waited for
    /// (not its rest, which a table with rows does not wait for).
    pub fn waited(&self) -> Option<Duration> {
        self.waiting_since.filter(|_| self.first_answered.is_none()).map(|since| since.elapsed())
    }

    /// The answer to the latest question — its first rows, or all of them
    /// ([`RequestPage::is_whole`]) — waiting at most `wait` for it (a quick
    /// query then shows in the same frame, without flicker).
    pub fn poll(&mut self, wait: Duration) -> Option<Result<Answer, String>> {
        if !self.waiting() {
            return None;
        }
        // The rest of a list whose first rows are shown is no reason to hold a frame.
        let wait = if self.first_answered.is_some() { Duration::ZERO } else { wait };
        let until = Instant::now() + wait;
        self.ui_waiting.store(true, Ordering::SeqCst);
        let mut reply = self.replies.recv_timeout(wait);
        loop {
            match reply {
                Ok(reply) if reply.seq == self.last_asked => {
                    self.ui_waiting.store(false, Ordering::SeqCst);
                    let rest = self.first_answered.take() == Some(reply.seq);
                    let more = reply.page.as_ref().is_ok_and(|page| !page.is_whole());
                    if more {
                        self.first_answered = Some(reply.seq);
                    } else {
                        self.waiting_since = None;
                    }
                    return Some(reply.page.map(|page| Answer { page, rest }));
                }
                // An older question's answer: the wait goes on.
                Ok(_) => reply = self.replies.recv_timeout(until.saturating_duration_since(Instant::now())),
                // None yet. One sent while this thread stopped waiting asked
                // for no frame (the thread saw it waiting), so it is taken now.
                Err(RecvTimeoutError::Timeout) => {
                    self.ui_waiting.store(false, Ordering::SeqCst);
                    reply = match self.replies.try_recv() {
                        Ok(next) => Ok(next),
                        Err(TryRecvError::Empty) => return None,
                        Err(TryRecvError::Disconnected) => Err(RecvTimeoutError::Disconnected),
                    };
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.ui_waiting.store(false, Ordering::SeqCst);
                    self.waiting_since = None;
                    return Some(Err(t().err_database.replace("{cause}", "query thread stopped")));
                }
            }
        }
    }
}

/// How the thread tells the UI that an answer is there.
struct Wake {
    ctx: egui::Context,
    ui_waiting: Arc<AtomicBool>,
}

impl Wake {
    /// After an answer was sent: a frame, unless the UI thread is waiting
    /// for it in a frame already (see [`RowQuery::poll`]).
    fn answered(&self) {
        if !self.ui_waiting.load(Ordering::SeqCst) {
            self.ctx.request_repaint();
        }
    }
}

/// The thread: answers only the newest question waiting in the queue.
fn serve(location: &Location, jobs: Receiver<Job>, replies: Sender<Reply>, wake: &Wake) {
    let mut store = None;
    let mut next = None;
    while let Some(job) = newest_job(&mut next, &jobs) {
        let first = ask(&mut store, location, |store| store.query_request_first_ids(&job.query, FIRST_ROWS));
        if let Ok(Some(page)) = first {
            let whole = page.is_whole();
            if replies.send(Reply { seq: job.seq, page: Ok(page) }).is_err() {
                return;
            }
            wake.answered();
            // The clerk typing on makes the whole list moot: the next
            // keystroke's first rows come sooner without it.
            if whole || !settle(&jobs, &mut next) {
                continue;
            }
        }
        let page = ask(&mut store, location, |store| store.query_request_ids(&job.query))
            .map(RequestPage::whole)
            .map_err(|e| t().store_error(&e));
        if replies.send(Reply { seq: job.seq, page }).is_err() {
            return;
        }
        wake.answered();
    }
}

/// Asks `question` on the thread's connection, opened at the first
/// question (or again after opening failed). A server connection that
/// breaks is made again by the store itself (`Store::open_reader_at`).
fn ask<T>(
    store: &mut Option<Store>,
    location: &Location,
    question: impl Fn(&Store) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let open = match store {
        Some(open) => open,
        None => store.insert(Store::open_reader_at(location)?),
    };
    question(open)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::Wake;

    /// Issue 23: an answer the UI thread takes in the frame that waited for
    /// it asks for no frame of its own (in egui each is two more paintings);
    /// one that comes while the UI is not waiting asks for one.
    #[test]
    fn an_answer_the_frame_waits_for_asks_for_no_frame_of_its_own() {
        let ctx = egui::Context::default();
        let asked = Arc::new(AtomicUsize::new(0));
        let counted = asked.clone();
        ctx.set_request_repaint_callback(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        let wake = Wake { ctx, ui_waiting: Arc::new(AtomicBool::new(true)) };
        wake.answered();
        assert_eq!(asked.load(Ordering::SeqCst), 0, "the waiting frame draws it");
        wake.ui_waiting.store(false, Ordering::SeqCst);
        wake.answered();
        assert_eq!(asked.load(Ordering::SeqCst), 1, "a frame is asked for");
    }
}
