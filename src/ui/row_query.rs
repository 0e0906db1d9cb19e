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

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

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

/// How long the thread waits after a first answer for the clerk's next
/// keystroke before it reads the whole list (which the keystroke would
/// make moot).
const SETTLE: Duration = Duration::from_millis(200);

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
    waiting: bool,
    /// The question whose first rows were answered, the rest to come.
    first_answered: Option<u64>,
}

impl RowQuery {
    /// Starts the reader thread on the office at `location`; it asks `ctx`
    /// to repaint when a result is ready.
    pub fn start(location: Location, ctx: egui::Context) -> RowQuery {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (reply_tx, replies) = mpsc::channel::<Reply>();
        std::thread::Builder::new()
            .name("homedesk-row-query".into())
            .spawn(move || serve(&location, job_rx, reply_tx, ctx))
            .ok();
        RowQuery { jobs, replies, last_asked: 0, waiting: false, first_answered: None }
    }

    /// Asks for the ids of `query`; an older question still running is superseded.
    pub fn ask(&mut self, query: RequestQuery) {
        self.last_asked += 1;
        self.waiting = self.jobs.send(Job { seq: self.last_asked, query }).is_ok();
    }

    /// Whether the answer to the latest question, or the rest of it, is to come.
    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// The answer to the latest question — its first rows, or all of them
    /// ([`RequestPage::is_whole`]) — waiting at most `wait` for it (a quick
    /// query then shows in the same frame, without flicker).
    pub fn poll(&mut self, wait: Duration) -> Option<Result<Answer, String>> {
        if !self.waiting {
            return None;
        }
        // The rest of a list whose first rows are shown is no reason to hold a frame.
        let wait = if self.first_answered.is_some() { Duration::ZERO } else { wait };
        loop {
            match self.replies.recv_timeout(wait) {
                Ok(reply) if reply.seq == self.last_asked => {
                    let rest = self.first_answered.take() == Some(reply.seq);
                    self.waiting = reply.page.as_ref().is_ok_and(|page| !page.is_whole());
                    if self.waiting {
                        self.first_answered = Some(reply.seq);
                    }
                    return Some(reply.page.map(|page| Answer { page, rest }));
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => {
                    self.waiting = false;
                    return Some(Err(t().err_database.replace("{cause}", "query thread stopped")));
                }
            }
        }
    }
}

/// The thread: answers only the newest question waiting in the queue.
fn serve(location: &Location, jobs: Receiver<Job>, replies: Sender<Reply>, ctx: egui::Context) {
    let mut store = None;
    let mut next = None;
    loop {
        let mut job = match next.take() {
            Some(job) => job,
            None => match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let first = ask(&mut store, location, |store| store.query_request_first_ids(&job.query, FIRST_ROWS));
        if let Ok(Some(page)) = first {
            let whole = page.is_whole();
            if replies.send(Reply { seq: job.seq, page: Ok(page) }).is_err() {
                return;
            }
            ctx.request_repaint();
            if whole {
                continue;
            }
            // The clerk typing on makes the whole list moot: the next
            // keystroke's first rows come sooner without it.
            match jobs.recv_timeout(SETTLE) {
                Ok(newer) => {
                    next = Some(newer);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        let page = ask(&mut store, location, |store| store.query_request_ids(&job.query))
            .map(|ids| RequestPage { total: ids.len(), ids })
            .map_err(|e| t().store_error(&e));
        if replies.send(Reply { seq: job.seq, page }).is_err() {
            return;
        }
        ctx.request_repaint();
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
