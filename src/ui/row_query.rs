//! Runs a register's id query on a reader thread, so that typing in the
//! search box of a 200 000-row register never waits for SQLite: the table
//! keeps showing the last result (with a spinner) until the new one arrives.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::domain::RequestId;
use crate::i18n::t;
use crate::store::{Location, RequestQuery, Store};

struct Job {
    seq: u64,
    query: RequestQuery,
}

struct Reply {
    seq: u64,
    ids: Result<Vec<RequestId>, String>,
}

/// The handle the table keeps; dropping it ends the thread.
pub struct RowQuery {
    jobs: Sender<Job>,
    replies: Receiver<Reply>,
    last_asked: u64,
    waiting: bool,
}

impl RowQuery {
    /// Starts the reader thread on the office at `location` (a file or the
    /// server); it asks `ctx` to repaint when a result is ready.
    pub fn start(location: Location, ctx: egui::Context) -> RowQuery {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (reply_tx, replies) = mpsc::channel::<Reply>();
        std::thread::Builder::new()
            .name("homedesk-row-query".into())
            .spawn(move || serve(location, job_rx, reply_tx, ctx))
            .ok();
        RowQuery { jobs, replies, last_asked: 0, waiting: false }
    }

    /// Asks for the ids of `query`; an older question still running is superseded.
    pub fn ask(&mut self, query: RequestQuery) {
        self.last_asked += 1;
        self.waiting = self.jobs.send(Job { seq: self.last_asked, query }).is_ok();
    }

    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// The answer to the latest question, waiting at most `wait` for it (a
    /// quick query then shows in the same frame, without flicker).
    pub fn poll(&mut self, wait: Duration) -> Option<Result<Vec<RequestId>, String>> {
        if !self.waiting {
            return None;
        }
        loop {
            match self.replies.recv_timeout(wait) {
                Ok(reply) if reply.seq == self.last_asked => {
                    self.waiting = false;
                    return Some(reply.ids);
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
fn serve(location: Location, jobs: Receiver<Job>, replies: Sender<Reply>, ctx: egui::Context) {
    let store = Store::open_reader_at(&location);
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let ids = match &store {
            Ok(store) => store.query_request_ids(&job.query).map_err(|e| t().store_error(&e)),
            Err(e) => Err(t().store_error(e)),
        };
        if replies.send(Reply { seq: job.seq, ids }).is_err() {
            return;
        }
        ctx.request_repaint();
    }
}
