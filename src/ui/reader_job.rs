//! A question a tab asks of the database on a reader thread of its own
//! (issue 23: the 代客购物 log was read whole on the UI thread), answered
//! newest first: a question superseded while it waited is skipped, an
//! answer to an older one is dropped. The frame waits a little for the
//! answer, so that a quick one shows at once without a flicker.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::app::HomeDesk;
use crate::i18n::t;

/// The handle a tab keeps; dropping it ends the thread.
pub struct ReaderJob<Q, A> {
    jobs: Sender<(u64, Q)>,
    replies: Receiver<(u64, Result<A, String>)>,
    last_asked: u64,
    waiting: bool,
}

impl<Q: Send + 'static, A: Send + 'static> ReaderJob<Q, A> {
    /// Starts the thread on `reader` (a [`HomeDesk::reader`]); `answer`
    /// runs there for each question, and `ctx` is asked to repaint when an
    /// answer is ready.
    pub fn start(
        reader: HomeDesk,
        ctx: egui::Context,
        answer: impl Fn(&HomeDesk, Q) -> Result<A, String> + Send + 'static,
    ) -> Self {
        let (jobs, job_rx) = mpsc::channel::<(u64, Q)>();
        let (reply_tx, replies) = mpsc::channel();
        crate::i18n::spawn(move || {
            // A server connection that broke is made again by the store
            // itself (`Store::open_reader_at`), before the next question.
            while let Ok(mut job) = job_rx.recv() {
                while let Ok(newer) = job_rx.try_recv() {
                    job = newer;
                }
                let (seq, question) = job;
                if reply_tx.send((seq, answer(&reader, question))).is_err() {
                    return;
                }
                ctx.request_repaint();
            }
        });
        ReaderJob { jobs, replies, last_asked: 0, waiting: false }
    }

    /// Asks `question`; an older question still waiting is superseded.
    pub fn ask(&mut self, question: Q) {
        self.last_asked += 1;
        self.waiting = self.jobs.send((self.last_asked, question)).is_ok();
    }

    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// The answer to the latest question, waiting at most `wait` for it.
    pub fn poll(&mut self, wait: Duration) -> Option<Result<A, String>> {
        if !self.waiting {
            return None;
        }
        loop {
            match self.replies.recv_timeout(wait) {
                Ok((seq, answer)) if seq == self.last_asked => {
                    self.waiting = false;
                    return Some(answer);
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => {
                    self.waiting = false;
                    return Some(Err(t().err_database.replace("{cause}", "reader thread stopped")));
                }
            }
        }
    }
}
