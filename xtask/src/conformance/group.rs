//! Child processes that are stopped as a whole process group, on every path.
//!
//! Prism runs under node, and `cargo test` runs the test binary as its own
//! child: killing only the process we spawned would leave the rest running,
//! holding the port and the terminal. So every child here is started as the
//! leader of a new process group, the group is signalled (SIGTERM, then
//! SIGKILL after a grace period) when its [`Group`] is dropped, and a
//! Ctrl-C / SIGTERM handler signals every live group so that the blocked
//! main thread wakes up, returns an error and drops the guards as usual.

use crate::diag::{Error, Result};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// How long a group gets to exit after SIGTERM before it is sent SIGKILL.
const GRACE: Duration = Duration::from_secs(5);

/// How long the signal handler lets the main thread clean up before it
/// kills every group itself and exits (the main thread could be stuck).
const WATCHDOG: Duration = Duration::from_secs(15);

/// Process groups currently alive, by the leader's pid (= the group id).
static LIVE: Mutex<Vec<i32>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HANDLER: Once = Once::new();

/// Whether Ctrl-C or SIGTERM has been received.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The error every step returns once [`interrupted`] is true.
pub fn interrupted_error() -> Error {
    Error::Conformance("interrupted (Ctrl-C or SIGTERM); Prism and the suite were stopped".into())
}

/// Installs the Ctrl-C / SIGTERM / SIGHUP handler once per process.
///
/// The first signal sends SIGTERM to every live group and lets the main
/// thread unwind; a second signal, or the main thread not finishing within
/// [`WATCHDOG`], sends SIGKILL to every group and exits with 130.
pub fn install_signal_handler() -> Result<()> {
    let mut result = Ok(());
    HANDLER.call_once(|| {
        result = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                kill_all_and_exit();
            }
            eprintln!("\ninterrupted: stopping Prism and the conformance suite");
            for pgid in live_groups() {
                signal_group(pgid, libc::SIGTERM);
            }
            std::thread::spawn(|| {
                std::thread::sleep(WATCHDOG);
                kill_all_and_exit();
            });
        })
        .map_err(|e| {
            Error::Conformance(format!(
                "cannot install the Ctrl-C/SIGTERM handler that stops Prism: {e}"
            ))
        });
    });
    result
}

fn kill_all_and_exit() -> ! {
    for pgid in live_groups() {
        signal_group(pgid, libc::SIGKILL);
    }
    std::process::exit(130);
}

fn live_groups() -> Vec<i32> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Sends `signal` to every process in group `pgid`; a group that is already
/// gone (ESRCH) is not an error.
fn signal_group(pgid: i32, signal: libc::c_int) {
    if pgid > 0 {
        // SAFETY: kill(2) has no memory-safety preconditions; a negative pid
        // addresses the process group, and `pgid > 0` rules out -0 (our own
        // group) and positive ids.
        unsafe {
            libc::kill(-pgid, signal);
        }
    }
}

/// Whether any process (zombies included) is still in group `pgid`.
fn group_alive(pgid: i32) -> bool {
    // SAFETY: as in `signal_group`; signal 0 only checks for existence.
    let rc = unsafe { libc::kill(-pgid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// A running child that leads its own process group; dropping it stops the
/// whole group.
pub struct Group {
    child: Child,
    pgid: i32,
    /// What the child is, for error messages ("Prism", "cargo test").
    what: String,
    status: Option<ExitStatus>,
}

impl Group {
    /// Spawns `command` as the leader of a new process group and registers
    /// the group with the signal handler.
    pub fn spawn(what: &str, command: &mut Command) -> Result<Group> {
        if interrupted() {
            return Err(interrupted_error());
        }
        command.process_group(0);
        let child = command.spawn().map_err(|e| {
            Error::Conformance(format!(
                "cannot start {what} ({:?}): {e}",
                command.get_program()
            ))
        })?;
        let pgid = i32::try_from(child.id()).unwrap_or(0);
        LIVE.lock().unwrap_or_else(|e| e.into_inner()).push(pgid);
        let group = Group {
            child,
            pgid,
            what: what.to_string(),
            status: None,
        };
        // A signal that arrived between spawn and registration missed it.
        if interrupted() {
            return Err(interrupted_error());
        }
        Ok(group)
    }

    /// Waits for the leader to exit. Returns the interruption error instead
    /// when the wait ended because of Ctrl-C / SIGTERM.
    pub fn wait(&mut self) -> Result<ExitStatus> {
        let status = match self.status {
            Some(status) => status,
            None => {
                let status = self.child.wait().map_err(|e| {
                    Error::Conformance(format!("cannot wait for {}: {e}", self.what))
                })?;
                self.status = Some(status);
                status
            }
        };
        if interrupted() {
            return Err(interrupted_error());
        }
        Ok(status)
    }

    /// The leader's exit status if it has exited, without blocking.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
        }
        self.status
    }

    /// SIGTERM to the group, SIGKILL after [`GRACE`], then waits (briefly)
    /// until no process of the group is left.
    fn stop(&mut self) {
        signal_group(self.pgid, libc::SIGTERM);
        let mut deadline = Instant::now() + GRACE;
        let mut killed = false;
        loop {
            // Reaps the leader; its children are reaped by init once dead.
            self.try_wait();
            if !group_alive(self.pgid) {
                break;
            }
            if Instant::now() >= deadline {
                if killed {
                    eprintln!(
                        "warning: {} (process group {}) did not exit after SIGKILL",
                        self.what, self.pgid
                    );
                    break;
                }
                signal_group(self.pgid, libc::SIGKILL);
                killed = true;
                deadline = Instant::now() + Duration::from_secs(2);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if self.status.is_none() {
            self.status = self.child.wait().ok();
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.stop();
        LIVE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|&pgid| pgid != self.pgid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_a_group_kills_its_grandchildren() {
        // sh starts a background sleep (a grandchild of ours) and waits.
        let mut command = Command::new("sh");
        command.args(["-c", "sleep 30 & wait"]);
        let group = Group::spawn("sh", &mut command).unwrap();
        let pgid = group.pgid;
        assert!(group_alive(pgid));
        drop(group);
        assert!(
            !group_alive(pgid),
            "process group {pgid} outlived its guard"
        );
        assert!(!live_groups().contains(&pgid));
    }
}
