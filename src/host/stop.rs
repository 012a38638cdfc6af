//! SIGINT, SIGTERM or SIGHUP stops a run and all it started, and nothing is
//! written after: children of [`spawn`] each lead a process group, which the
//! handler of [`install`] sends SIGTERM before it exits without unwinding.

use std::io;
use std::process::{Child, Command, ExitStatus};
#[cfg(unix)]
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

/// The pid of the process that started a child through [`spawn`].
const PARENT_ENV: &str = "CH16_STOP_PARENT";

/// Process groups to stop; 0 is a free slot (the handler may not allocate).
#[cfg(unix)]
static GROUPS: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];

/// The group this process leads (a batch's), stopped with it; or 0.
#[cfg(unix)]
static OWN_GROUP: AtomicI32 = AtomicI32::new(0);

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    // Only async-signal-safe calls; our own group, holding this process, last.
    for group in GROUPS.iter().chain([&OWN_GROUP]) {
        let pgid = group.load(SeqCst);
        if pgid > 0 {
            unsafe { libc::kill(-pgid, libc::SIGTERM) };
        }
    }
    unsafe { libc::_exit(128 + sig) };
}

/// Make the signals stop this process and its children of [`spawn`] (and,
/// with `own_group`, the group it leads, dying with its parent); for `main`s.
#[cfg_attr(not(unix), expect(unused_variables))]
pub fn install(own_group: bool) {
    #[cfg(unix)]
    unsafe {
        if own_group {
            OWN_GROUP.store(libc::getpgrp(), SeqCst);
        }
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // A background job's ignored SIGINT (nohup: SIGHUP) stays ignored.
            if libc::signal(sig, handler) == libc::SIG_IGN && sig != libc::SIGTERM {
                libc::signal(sig, libc::SIG_IGN);
            }
        }
        // A batch stops when its run is killed outright; if the parent died
        // before the request, no signal will come.
        #[cfg(target_os = "linux")]
        if own_group {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            let parent = std::env::var(PARENT_ENV).ok().and_then(|p| p.parse().ok());
            if parent.is_some_and(|p: libc::pid_t| p != libc::getppid()) {
                on_signal(libc::SIGTERM);
            }
        }
    }
}

/// A child that is stopped with this process.
pub struct Stoppable(pub(crate) Child);

/// Start `cmd` leading a process group, stopped with this process.
pub fn spawn(cmd: &mut Command) -> io::Result<Stoppable> {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(cmd, 0);
    cmd.env(PARENT_ENV, std::process::id().to_string());
    let child = cmd.spawn()?;
    #[cfg(unix)]
    let pid = child.id() as i32;
    #[cfg(unix)]
    let _ = GROUPS
        .iter()
        .any(|g| g.compare_exchange(0, pid, SeqCst, SeqCst).is_ok());
    Ok(Stoppable(child))
}

/// Like [`spawn`], and (on Linux) killed by the kernel when this process is.
pub fn spawn_tied(cmd: &mut Command) -> io::Result<Stoppable> {
    // SAFETY: only `prctl`, which is async-signal-safe, between fork and exec.
    #[cfg(target_os = "linux")]
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(cmd, || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    spawn(cmd)
}

impl Stoppable {
    /// Wait for it to end.
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        self.0.wait()
    }

    /// Whether it has ended, without waiting.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.0.try_wait()
    }

    /// Whether it has ended, unreaped on unix: its group id stays its own.
    pub fn ended(&mut self) -> io::Result<bool> {
        #[cfg(unix)]
        let ended = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
            let r = libc::waitid(libc::P_PID, self.0.id() as libc::id_t, &mut info, flags);
            r == 0 && info.si_pid() != 0
        };
        #[cfg(not(unix))]
        let ended = self.0.try_wait()?.is_some();
        Ok(ended)
    }

    /// Kill its process group (all but what left it with `setsid`); elsewhere, it alone.
    pub fn kill_group(&mut self) {
        #[cfg(unix)]
        unsafe {
            libc::kill(-(self.0.id() as i32), libc::SIGKILL);
        }
        #[cfg(not(unix))]
        let _ = self.0.kill();
    }
}

#[cfg(unix)]
impl Drop for Stoppable {
    fn drop(&mut self) {
        // Once it has been waited for, its id may be reused by another.
        for slot in &GROUPS {
            let _ = slot.compare_exchange(self.0.id() as i32, 0, SeqCst, SeqCst);
        }
    }
}
