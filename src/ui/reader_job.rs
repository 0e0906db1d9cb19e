//! A question a tab asks of the database on a reader thread of its own
//! (issue 23: the 代客购物 log was read whole on the UI thread), answered
//! newest first: a question superseded while it waited is skipped, an
//! answer to an older one is dropped. The frame waits a little for the
//! answer, so that a quick one shows at once without a flicker.
//!
//! A question may be answered in two parts (issue 21 item 5: a common text
//! in the shopping log on a server): a first part, shown at once, and the
//! whole answer after it — unless the clerk typed on meanwhile, which makes
//! the whole answer moot (as `row_query.rs` does for the registers).

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::app::HomeDesk;
use crate::i18n::t;

/// A reply of the thread: the question's number, the answer, and whether
/// it is a first part with the whole answer to come.
type Reply<A> = (u64, Result<A, String>, bool);

/// The handle a tab keeps; dropping it ends the thread.
pub struct ReaderJob<Q, A> {
    jobs: Sender<(u64, Q)>,
    replies: Receiver<Reply<A>>,
    last_asked: u64,
    waiting: bool,
    /// The latest question's first part was answered; the whole answer is to come.
    first_answered: bool,
}

/// An answer to the latest question.
pub struct Answer<A> {
    pub answer: A,
    /// The whole answer of the question whose first part came before it.
    pub rest: bool,
}

/// How long a thread waits after a first part for the clerk's next
/// keystroke before it reads the whole answer (which the keystroke would
/// make moot).
const SETTLE: Duration = Duration::from_millis(200);

/// The newest question to answer: `next` (one that came while settling)
/// or the next received, either superseded by any waiting behind it;
/// `None` once the handle is gone.
pub(super) fn newest_job<J>(next: &mut Option<J>, jobs: &Receiver<J>) -> Option<J> {
    let mut job = match next.take() {
        Some(job) => job,
        None => jobs.recv().ok()?,
    };
    while let Ok(newer) = jobs.try_recv() {
        job = newer;
    }
    Some(job)
}

/// Waits [`SETTLE`] after a first part was sent: whether no newer
/// question came, so that the whole answer is read. One that came is put
/// in `next` ([`newest_job`] takes it; the clerk typing on makes the whole
/// answer moot), and a handle gone is seen by [`newest_job`] too.
pub(super) fn settle<J>(jobs: &Receiver<J>, next: &mut Option<J>) -> bool {
    match jobs.recv_timeout(SETTLE) {
        Ok(newer) => {
            *next = Some(newer);
            false
        }
        Err(RecvTimeoutError::Disconnected) => false,
        Err(RecvTimeoutError::Timeout) => true,
    }
}

impl<Q: Send + 'static, A: Send + 'static> ReaderJob<Q, A> {
    /// Starts the thread on `reader` (a [`HomeDesk::reader`]); `ctx` is
    /// asked to repaint when an answer is ready. For each question `first`
    /// runs first, and an answer it gives (`Some`) is sent at once; when it
    /// says the whole is to come (`true`), `whole` follows unless a newer
    /// question came within [`SETTLE`]. With none, `whole` answers alone.
    pub fn start(
        reader: HomeDesk,
        ctx: egui::Context,
        first: impl Fn(&HomeDesk, &Q) -> Result<Option<(A, bool)>, String> + Send + 'static,
        whole: impl Fn(&HomeDesk, Q) -> Result<A, String> + Send + 'static,
    ) -> Self {
        let (jobs, job_rx) = mpsc::channel::<(u64, Q)>();
        let (reply_tx, replies) = mpsc::channel::<Reply<A>>();
        crate::i18n::spawn(move || {
            // A server connection that broke is made again by the store
            // itself (`Store::open_reader_at`), before the next question.
            let mut next = None;
            while let Some((seq, question)) = newest_job(&mut next, &job_rx) {
                match first(&reader, &question) {
                    Ok(Some((answer, more))) => {
                        if reply_tx.send((seq, Ok(answer), more)).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                        if !more || !settle(&job_rx, &mut next) {
                            continue;
                        }
                    }
                    Ok(None) => {}
                    Err(message) => {
                        if reply_tx.send((seq, Err(message), false)).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                        continue;
                    }
                }
                if reply_tx.send((seq, whole(&reader, question), false)).is_err() {
                    return;
                }
                ctx.request_repaint();
            }
        });
        ReaderJob { jobs, replies, last_asked: 0, waiting: false, first_answered: false }
    }

    /// Asks `question`; an older question still waiting is superseded.
    pub fn ask(&mut self, question: Q) {
        self.last_asked += 1;
        self.first_answered = false;
        self.waiting = self.jobs.send((self.last_asked, question)).is_ok();
    }

    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// The answer to the latest question — its first part, or the whole
    /// ([`Answer::rest`] when its first part came before) — waiting at most
    /// `wait` for it. The whole answer after a first part is no reason to
    /// hold a frame: it is not waited for.
    pub fn poll(&mut self, wait: Duration) -> Option<Result<Answer<A>, String>> {
        if !self.waiting {
            return None;
        }
        let wait = if self.first_answered { Duration::ZERO } else { wait };
        let until = Instant::now() + wait;
        loop {
            match self.replies.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok((seq, answer, more)) if seq == self.last_asked => {
                    let rest = std::mem::replace(&mut self.first_answered, more);
                    self.waiting = more;
                    return Some(answer.map(|answer| Answer { answer, rest }));
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::store::Location;

    /// The answer to the latest question, waiting up to five seconds (the
    /// whole after a first part is not waited for by `poll` itself).
    fn next_answer(job: &mut ReaderJob<u32, u32>) -> Answer<u32> {
        for _ in 0..500 {
            if let Some(answer) = job.poll(Duration::from_millis(10)) {
                return answer.unwrap_or_else(|e| panic!("{e}"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("no answer within 5 s");
    }

    /// Issue 21 item 5: a first part is answered at once and the whole
    /// after it, marked as its rest; a question asked while the first part
    /// settles makes that whole moot (never read); a first part that is
    /// the whole answer is the last.
    #[test]
    fn r_sh_1_a_first_part_comes_at_once_and_the_whole_after_it_unless_the_clerk_types_on() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let desk = HomeDesk::open_at(&Location::File(dir.path().join("office.db")))
            .unwrap_or_else(|e| panic!("{e}"));
        let wholes = Arc::new(AtomicUsize::new(0));
        let counted = wholes.clone();
        let mut job = ReaderJob::start(
            desk,
            egui::Context::default(),
            // 0 is answered whole by its first part.
            |_, question: &u32| Ok(Some((question * 10, *question != 0))),
            move |_, question| {
                counted.fetch_add(1, Ordering::SeqCst);
                Ok(question * 100)
            },
        );
        job.ask(1);
        let first = next_answer(&mut job);
        assert_eq!(
            (first.answer, first.rest, job.waiting()),
            (10, false, true),
            "the first part, the rest to come"
        );
        let whole = next_answer(&mut job);
        assert_eq!((whole.answer, whole.rest, job.waiting()), (100, true, false), "then the whole");
        job.ask(2);
        assert_eq!(next_answer(&mut job).answer, 20);
        let second_part_at = Instant::now();
        job.ask(3);
        // Asked within the settling time unless the machine stalled this thread.
        let in_time = second_part_at.elapsed() < SETTLE / 2;
        let first = next_answer(&mut job);
        assert_eq!((first.answer, first.rest), (30, false), "the newer question's first part");
        assert_eq!(next_answer(&mut job).answer, 300);
        let read = wholes.load(Ordering::SeqCst);
        assert!(read == 2 || !in_time, "2's whole was never read: the clerk typed on");
        job.ask(0);
        let only = next_answer(&mut job);
        assert_eq!((only.answer, only.rest, job.waiting()), (0, false, false), "a first part that is all");
        assert_eq!(wholes.load(Ordering::SeqCst), read, "nothing more read for it");
    }
}
