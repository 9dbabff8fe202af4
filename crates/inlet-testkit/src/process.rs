//! Starting and stopping the server processes so that none outlives the test process.
//!
//! Two mechanisms, for two ways a test ends:
//! - Normal end or panic: the owning struct's `Drop` kills the child's whole process group
//!   (Dovecot forks several helpers; killing only the master leaves some running for seconds).
//! - The test process dies without unwinding (SIGKILL, abort, or a server kept in a `static`,
//!   which Rust never drops): the kernel sends the child SIGKILL through `PR_SET_PDEATHSIG`.
//!
//! `PR_SET_PDEATHSIG` fires when the *thread* that forked the child ends, not the process. Test
//! harnesses run each test on its own short-lived thread, so every child is forked from one
//! dedicated thread that lives as long as the process.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

type Request = (Command, mpsc::Sender<io::Result<Child>>);

static SPAWNER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();

/// Spawns `cmd` in a new process group, tied to the life of this process.
pub(crate) fn spawn(mut cmd: Command) -> io::Result<Child> {
    cmd.process_group(0);
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("inlet-testkit-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("starting the spawner thread");
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    spawner
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, reply_tx))
        .map_err(|_| io::Error::other("spawner thread is gone"))?;
    reply_rx.recv().map_err(|_| io::Error::other("spawner thread is gone"))?
}

/// Kills the child's process group at once and reaps the child.
///
/// SIGKILL rather than a polite SIGTERM: everything these servers own lives in a temp dir that is
/// deleted next, so there is nothing to shut down cleanly, and Dovecot's graceful stop takes ~2 s.
pub(crate) fn kill_group(child: &mut Child) {
    // The group id is the child's pid (process_group(0) above). Kill the group even when the
    // leader has already exited: its helpers may still be running. A pid stays reserved while it
    // names a live group, so this cannot hit an unrelated process.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
    let _ = child.wait();
}

/// Polls `f` every few milliseconds until it returns `Some`, or gives up after `timeout`.
pub(crate) fn wait_until<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > timeout {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Temp dirs and process groups to clean up when the process exits, for owners that are never
/// dropped: a server kept in a `static` (a common way to share one per test binary; Rust does
/// not drop statics). Test binaries end through `exit()`, which runs `atexit` handlers.
/// A normal `Drop` unregisters first, so nothing is done twice.
#[derive(Default)]
struct Entry {
    dir: Option<std::path::PathBuf>,
    groups: Vec<libc::pid_t>,
}

static AT_EXIT: Mutex<Option<std::collections::HashMap<u64, Entry>>> = Mutex::new(None);
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A registration with the exit-time cleanup; dropping it unregisters.
pub(crate) struct ExitGuard(u64);

impl ExitGuard {
    pub(crate) fn new(dir: &std::path::Path) -> ExitGuard {
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut map = AT_EXIT.lock().unwrap_or_else(|e| e.into_inner());
        if map.is_none() {
            // SAFETY: registering a plain extern "C" fn.
            unsafe { libc::atexit(run_at_exit) };
        }
        map.get_or_insert_with(Default::default).insert(id, Entry { dir: Some(dir.to_path_buf()), groups: Vec::new() });
        ExitGuard(id)
    }

    /// Also kill this child's process group at exit.
    pub(crate) fn add_child(&self, child: &Child) {
        let mut map = AT_EXIT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = map.as_mut().and_then(|m| m.get_mut(&self.0)) {
            entry.groups.push(child.id() as libc::pid_t);
        }
    }
}

impl Drop for ExitGuard {
    fn drop(&mut self) {
        let mut map = AT_EXIT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = map.as_mut() {
            m.remove(&self.0);
        }
    }
}

extern "C" fn run_at_exit() {
    // Never panic here (it would abort); try_lock so a thread that died holding the lock
    // cannot hang the exit.
    let Ok(mut map) = AT_EXIT.try_lock() else {
        return;
    };
    let Some(entries) = map.take() else { return };
    let mut killed = false;
    for entry in entries.values() {
        for &group in &entry.groups {
            unsafe { libc::kill(-group, libc::SIGKILL) };
            killed = true;
        }
    }
    if killed {
        // Let the kills land before deleting what the processes had open.
        std::thread::sleep(Duration::from_millis(20));
    }
    for entry in entries.values() {
        if let Some(dir) = &entry.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
