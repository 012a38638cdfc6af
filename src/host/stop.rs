//! Stopping: SIGINT (Ctrl-C), SIGTERM or SIGHUP stops a run and all it
//! started at once, and nothing is written afterwards.
//!
//! Children started through [`spawn`] (trybuild batches, the xtask's `cargo
//! test`) each lead a process group of their own, so that one signal reaches
//! all they start (cargo, rustc, the observer, a fixture's program). The
//! handler of [`install`] sends SIGTERM to those groups and exits without
//! unwinding, so no file is written after it (an interrupted bless is left
//! to its journal).

use std::io;
use std::process::{Child, Command, ExitStatus};
#[cfg(unix)]
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

/// The pid of the process that started a child through [`spawn`], as the
/// child should see its parent.
const PARENT_ENV: &str = "CH16_STOP_PARENT";

/// Process groups to stop; 0 is a free slot. Fixed size: the handler may
/// not allocate.
#[cfg(unix)]
static GROUPS: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];

/// The group this process leads (a batch's), stopped with it; or 0.
#[cfg(unix)]
static OWN_GROUP: AtomicI32 = AtomicI32::new(0);

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    // Only async-signal-safe calls: kill and _exit. Our own group, which
    // holds this process, last.
    for group in GROUPS.iter().chain([&OWN_GROUP]) {
        let pgid = group.load(SeqCst);
        if pgid > 0 {
            unsafe { libc::kill(-pgid, libc::SIGTERM) };
        }
    }
    unsafe { libc::_exit(128 + sig) };
}

/// Make SIGINT, SIGTERM and SIGHUP stop this process and every child started
/// through [`spawn`]; with `own_group`, this process leads a group (it was
/// started through [`spawn`]) and stops all of it too. Also stop when the
/// parent dies. For a program's `main` only: the handler is process-wide.
#[cfg_attr(not(unix), expect(unused_variables))]
pub fn install(own_group: bool) {
    #[cfg(unix)]
    unsafe {
        if own_group {
            OWN_GROUP.store(libc::getpgrp(), SeqCst);
        }
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // A shell starts a background job with SIGINT ignored (nohup:
            // SIGHUP), and expects it to stay so.
            if libc::signal(sig, handler) == libc::SIG_IGN && sig != libc::SIGTERM {
                libc::signal(sig, libc::SIG_IGN);
            }
        }
        // So that a batch stops when its run is killed outright (SIGKILL).
        // Only a child of `spawn` asks: its parent waits for it on the thread
        // that started it, the kernel's "parent". If the parent died before
        // the request, no signal will come.
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
pub struct Stoppable(Child);

/// Start `cmd` in a process group of its own, stopped with this process
/// (see [`install`]).
pub fn spawn(cmd: &mut Command) -> io::Result<Stoppable> {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(cmd, 0);
    cmd.env(PARENT_ENV, std::process::id().to_string());
    let child = cmd.spawn()?;
    #[cfg(unix)]
    let pid = child.id() as i32;
    #[cfg(unix)]
    for slot in &GROUPS {
        if slot.compare_exchange(0, pid, SeqCst, SeqCst).is_ok() {
            break;
        }
    }
    Ok(Stoppable(child))
}

/// Like [`spawn`], for a program that must not outlive this process either
/// when this one is killed outright (SIGKILL; Linux): the kernel kills it
/// then.
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

    /// Its process id (and process group id).
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// Whether it has ended, without reaping it (unix), so that its group
    /// can still be killed safely; elsewhere, whether it has ended.
    pub fn ended(&mut self) -> io::Result<bool> {
        // Unreaped, its id (and its group's) cannot be taken by another.
        #[cfg(unix)]
        let ended = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
            let r = libc::waitid(libc::P_PID, self.id() as libc::id_t, &mut info, flags);
            r == 0 && info.si_pid() != 0
        };
        #[cfg(not(unix))]
        let ended = self.0.try_wait()?.is_some();
        Ok(ended)
    }

    /// The child itself, for its pipes.
    pub fn child(&mut self) -> &mut Child {
        &mut self.0
    }

    /// Kill it and everything in its process group (SIGKILL): what it
    /// started and left running, detached or not (but for a process that
    /// left the group, with `setsid`). Elsewhere than on unix, it alone.
    pub fn kill_group(&mut self) {
        #[cfg(unix)]
        unsafe {
            libc::kill(-(self.id() as i32), libc::SIGKILL);
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
            let _ = slot.compare_exchange(self.id() as i32, 0, SeqCst, SeqCst);
        }
    }
}
