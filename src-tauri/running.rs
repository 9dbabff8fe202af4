//! The shell's bookkeeping of tasks Cancel may stop (connects, discoveries).

use inlet_core::diagnose::Diagnosis;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use tokio::task::AbortHandle;

/// The tasks of one kind in flight, each under its own id: a task that ends removes only its own
/// handle, so when two overlap (a second Connect while the first is still finishing), the first
/// one's end does not take away what Cancel needs to stop the second.
#[derive(Default)]
pub struct Running {
    tasks: Mutex<Tasks>,
}

#[derive(Default)]
struct Tasks {
    next_id: u64,
    handles: HashMap<u64, AbortHandle>,
}

impl Running {
    /// Runs `work` on a task of its own until it ends or [`Running::cancel`] stops it; a stopped
    /// task answers with the "cancelled" diagnosis.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, Diagnosis>> + Send + 'static,
    ) -> Result<T, Diagnosis> {
        let task = tokio::spawn(work);
        let id = {
            let mut tasks = self.tasks.lock().unwrap();
            tasks.next_id += 1;
            let id = tasks.next_id;
            tasks.handles.insert(id, task.abort_handle());
            id
        };
        let result = task.await;
        self.tasks.lock().unwrap().handles.remove(&id);
        result.unwrap_or_else(|_| Err(Diagnosis::cancelled()))
    }

    /// Stops every task in flight: Cancel means nothing of this kind should go on.
    pub fn cancel(&self) {
        for (_, task) in self.tasks.lock().unwrap().handles.drain() {
            task.abort();
        }
    }

    /// How many tasks are in flight.
    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        self.tasks.lock().unwrap().handles.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inlet_core::DiagnosisCode;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::oneshot;

    /// A task of `running` (on the test's one thread) that ends when `finish` says so. Returns
    /// once the task has started, which is after its handle was registered (the spawned work
    /// only runs when `run` awaits it).
    async fn start(
        running: &Arc<Running>,
        finish: oneshot::Receiver<()>,
    ) -> tokio::task::JoinHandle<Result<&'static str, Diagnosis>> {
        let (started, has_started) = oneshot::channel();
        let running = running.clone();
        let task = tokio::spawn(async move {
            running
                .run(async move {
                    let _ = started.send(());
                    let _ = finish.await;
                    Ok("finished")
                })
                .await
        });
        has_started.await.unwrap();
        task
    }

    /// Its answer, or a failure when it never comes (a generous bound: it comes at once).
    async fn answer(task: tokio::task::JoinHandle<Result<&'static str, Diagnosis>>) -> Result<&'static str, Diagnosis> {
        tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("the task did not end: Cancel did not stop it")
            .unwrap()
    }

    #[tokio::test]
    async fn cancel_still_stops_the_second_task_after_the_first_finished() {
        let running = Arc::new(Running::default());
        let (finish_first, first_finishes) = oneshot::channel();
        let (_finish_second, second_finishes) = oneshot::channel::<()>();
        let first = start(&running, first_finishes).await;
        let second = start(&running, second_finishes).await;

        finish_first.send(()).unwrap();
        assert_eq!(answer(first).await.unwrap(), "finished");
        running.cancel();
        assert_eq!(answer(second).await.unwrap_err().code, DiagnosisCode::Cancelled, "Cancel stopped the second task");
        assert_eq!(running.in_flight(), 0);
    }

    #[tokio::test]
    async fn cancel_stops_every_task_in_flight() {
        let running = Arc::new(Running::default());
        let (_a, a) = oneshot::channel::<()>();
        let (_b, b) = oneshot::channel::<()>();
        let tasks = [start(&running, a).await, start(&running, b).await];
        assert_eq!(running.in_flight(), 2);
        running.cancel();
        for task in tasks {
            assert_eq!(answer(task).await.unwrap_err().code, DiagnosisCode::Cancelled);
        }
    }
}
