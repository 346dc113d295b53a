//! Pinning the request benchmarks' threads to one core.
//!
//! A loopback round trip costs about 30 µs when the client and the server
//! thread of its connection share a core and about 100 µs, give or take
//! half, when the wakeup crosses cores, and the scheduler decides anew for
//! every connection: the generated client and the raw baseline, on
//! connections of their own, were measured under different placements
//! (ratios from 1.0× to 3.7× between runs of the same code). With the
//! client and every server thread on one core, a round trip is a context
//! switch each way, the same for every variant and every run.

use std::io;

/// The core the benchmark's client and the loopback server's threads run
/// on: the first one this process may use.
pub fn bench_cpu() -> usize {
    allowed_cpus().first().copied().unwrap_or(0)
}

/// Restricts the calling thread to `cpu`.
#[cfg(target_os = "linux")]
pub fn pin_current_thread(cpu: usize) -> io::Result<()> {
    // SAFETY: `set` is a plain bit set that outlives the call, and pid 0
    // names the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Elsewhere threads stay where the scheduler puts them.
#[cfg(not(target_os = "linux"))]
pub fn pin_current_thread(_cpu: usize) -> io::Result<()> {
    Ok(())
}

/// The cores the calling thread may run on, in order.
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
    // SAFETY: as in `pin_current_thread`; the set is only read after the
    // call filled it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
            .collect()
    }
}

#[cfg(not(target_os = "linux"))]
fn allowed_cpus() -> Vec<usize> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_thread_runs_on_its_core() {
        let cpu = bench_cpu();
        std::thread::spawn(move || {
            pin_current_thread(cpu).unwrap();
            #[cfg(target_os = "linux")]
            {
                // SAFETY: no arguments; returns the current core or -1.
                assert_eq!(unsafe { libc::sched_getcpu() }, cpu as i32);
                assert_eq!(allowed_cpus(), vec![cpu]);
            }
        })
        .join()
        .unwrap();
    }
}
