//! The store's own thread. SQLite waits for the disk on every acknowledged write, so
//! store work runs away from the async threads. One thread owns the store and takes
//! jobs from a queue, in the order they were asked for.
//!
//! A blocking-pool task per request, all queued on one lock, did the same work but grew
//! a thread (with its own stack) for every request waiting in a burst: a school's worth
//! of pupils joining at once left the server hundreds of threads and megabytes larger.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use tokio::sync::oneshot;

use super::StoreFailure;
use crate::store::{Store, StoreError};

/// Work for the store's thread; it sends its own result back.
type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// A handle on the store's thread. The thread ends when the last handle is dropped.
pub(super) struct StoreThread {
    jobs: mpsc::Sender<Job>,
}

impl StoreThread {
    /// Moves `store` onto a thread of its own.
    pub(super) fn start(mut store: Store) -> Result<StoreThread, StoreFailure> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("store".into())
            .spawn(move || {
                for job in queue {
                    // A job that panics has failed alone: its caller hears the thread
                    // dropped its answer, and the next job runs as usual. A transaction
                    // it left open was rolled back as it unwound.
                    if catch_unwind(AssertUnwindSafe(|| job(&mut store))).is_err() {
                        tracing::error!("a store job panicked");
                    }
                }
            })
            .map_err(|error| StoreFailure::Worker(format!("cannot start its thread: {error}")))?;
        Ok(StoreThread { jobs })
    }

    /// Runs `work` on the store and waits for its result without blocking the caller's
    /// thread.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreFailure> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = reply.send(work(store));
        });
        self.jobs
            .send(job)
            .map_err(|_| StoreFailure::Worker("its thread has stopped".into()))?;
        match answer.await {
            Ok(result) => Ok(result?),
            Err(_) => Err(StoreFailure::Worker("the work failed on its thread".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_in_order_and_a_panicking_one_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let thread = StoreThread::start(Store::open(dir.path()).unwrap()).unwrap();

        thread
            .run(|store| store.add_teacher("Mr Price", "a long enough password"))
            .await
            .unwrap();
        let panicked = thread
            .run(|_store| -> Result<(), StoreError> { panic!("a bug in one job") })
            .await;
        assert!(
            matches!(panicked, Err(StoreFailure::Worker(_))),
            "{panicked:?}"
        );

        let known = thread
            .run(|store| store.check_teacher("Mr Price", "a long enough password"))
            .await
            .unwrap();
        assert!(known, "the store still works after a job panicked");
    }
}
