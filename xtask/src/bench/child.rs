//! A child process timed from spawn to exit, with the CPU time and peak
//! memory `wait4` reports for it: `std::process::Child::wait` drops them.

use std::process::Command;
use std::time::{Duration, Instant};

/// One child process, run to a successful exit.
pub struct Run {
    pub wall: Duration,
    /// User + system time of the child and of every descendant it waited
    /// for (a cargo build's rustc processes).
    pub cpu: Duration,
    /// The largest resident set of any one of those processes.
    pub max_rss_bytes: u64,
}

/// Spawns `command` and reaps it with `wait4`. The error says what went
/// wrong without naming the command, which the caller knows best.
pub fn timed(command: &mut Command) -> Result<Run, String> {
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("does not start: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let (status, usage) = wait4(pid)?;
    let wall = started.elapsed();
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("failed (wait status {status})"));
    }
    let seconds = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Ok(Run {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        // Linux reports kilobytes.
        max_rss_bytes: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
    })
}

/// Reaps the child `pid`, retrying when a signal interrupts the wait: its
/// wait status and its resource usage.
fn wait4(pid: libc::pid_t) -> Result<(libc::c_int, libc::rusage), String> {
    let mut status = 0;
    // SAFETY: rusage is plain data, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child and both pointers are
        // valid for writes for the duration of the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("cannot wait for it: {error}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_a_child_and_reports_its_failure() {
        let run = timed(Command::new("sh").args(["-c", "sh -c 'exit 0'"])).unwrap();
        assert!(run.max_rss_bytes > 0, "wait4 reports the child's memory");
        let failed = timed(Command::new("sh").args(["-c", "exit 3"])).map(|_| ());
        assert_eq!(
            failed.unwrap_err(),
            format!("failed (wait status {})", 3 << 8)
        );
        assert!(timed(&mut Command::new("/nonexistent/cargo")).is_err());
    }
}
