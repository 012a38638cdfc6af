//! Stopping: Ctrl-C (SIGINT) or SIGTERM stops a run and everything it
//! started, at once, and nothing is written afterwards.
//!
//! A run's long-lived children (trybuild batches, the xtask's `cargo test`)
//! are started through [`spawn`], each as the leader of a process group of
//! its own, so that one signal reaches the child and all it started (cargo,
//! rustc, the observer, a fixture's program). The handler [`install`]
//! sets up sends SIGTERM to every such group still running, then ends this
//! process with the signal's exit code: it does not unwind, so no file is
//! written after it. An interrupted `cargo xtask bless` is left to its
//! journal, which keeps the tree unchanged or finishes the update next time.
//!
//! A batch also stops by itself when the run that started it dies without a
//! chance to stop it (killed with SIGKILL): [`install`] asks the kernel to
//! send it SIGTERM then (Linux), and its handler passes the signal on to its
//! group. Only a process started through [`spawn`] asks this: its parent is
//! ours, and waits for it on the thread that started it (the kernel's
//! "parent" is that thread).
//!
//! A process started with SIGINT ignored (a shell's background job) keeps
//! ignoring it, as shells expect.

use std::io;
use std::process::{Child, Command, ExitStatus};

/// The pid of the process that started a child through [`spawn`], as the
/// child should see its parent.
const PARENT_ENV: &str = "CH16_STOP_PARENT";

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicI32, Ordering};

    /// Process groups to stop; 0 is a free slot. Fixed size, since the
    /// handler may not allocate.
    static GROUPS: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];

    /// Whether this process leads a group of its own that must stop with it
    /// (a batch).
    static OWN_GROUP: AtomicI32 = AtomicI32::new(0);

    extern "C" fn on_signal(sig: libc::c_int) {
        // Only async-signal-safe calls: kill and _exit.
        for slot in &GROUPS {
            let pgid = slot.load(Ordering::SeqCst);
            if pgid > 0 {
                unsafe { libc::kill(-pgid, libc::SIGTERM) };
            }
        }
        let own = OWN_GROUP.load(Ordering::SeqCst);
        if own > 0 {
            unsafe { libc::kill(-own, libc::SIGTERM) };
        }
        unsafe { libc::_exit(128 + sig) };
    }

    pub(super) fn install(own_group: bool) {
        if own_group {
            OWN_GROUP.store(unsafe { libc::getpgrp() }, Ordering::SeqCst);
        }
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            let old = unsafe { libc::signal(sig, handler) };
            // A background job is started with SIGINT (and a nohup'd one
            // with SIGHUP) ignored: keep it so.
            if old == libc::SIG_IGN && sig != libc::SIGTERM {
                unsafe { libc::signal(sig, libc::SIG_IGN) };
            }
        }
        #[cfg(target_os = "linux")]
        if own_group {
            unsafe {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                // The parent may have died before the request: then it is
                // already too late to wait for the signal.
                let parent = std::env::var(super::PARENT_ENV)
                    .ok()
                    .and_then(|p| p.parse::<libc::pid_t>().ok());
                if parent.is_some_and(|p| p != libc::getppid()) {
                    on_signal(libc::SIGTERM);
                }
            }
        }
    }

    pub(super) fn register(pid: u32) {
        let pid = pid as i32;
        for slot in &GROUPS {
            if slot
                .compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return;
            }
        }
    }

    pub(super) fn forget(pid: u32) {
        let pid = pid as i32;
        for slot in &GROUPS {
            let _ = slot.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
        }
    }

    pub(super) fn own_group(cmd: &mut std::process::Command) {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }

    pub(super) fn kill_group(pid: u32) {
        unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
    }

    /// Whether the child `pid` has ended, leaving it unreaped: its id (and
    /// its group's) cannot be taken by another process meanwhile.
    pub(super) fn ended(pid: u32) -> bool {
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        r == 0 && unsafe { info.si_pid() } != 0
    }

    #[cfg(target_os = "linux")]
    pub(super) fn die_with_parent(cmd: &mut std::process::Command) {
        use std::os::unix::process::CommandExt;
        // SAFETY: only `prctl`, which is async-signal-safe, between fork
        // and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn die_with_parent(_: &mut std::process::Command) {}
}

#[cfg(not(unix))]
mod imp {
    pub(super) fn install(_: bool) {}
    pub(super) fn register(_: u32) {}
    pub(super) fn forget(_: u32) {}
    pub(super) fn own_group(_: &mut std::process::Command) {}
    pub(super) fn kill_group(_: u32) {}
    pub(super) fn die_with_parent(_: &mut std::process::Command) {}
    pub(super) fn ended(_: u32) -> bool {
        false
    }
}

/// Make SIGINT, SIGTERM and SIGHUP stop this process and every child started
/// through [`spawn`]; with `own_group`, this process leads a group (it was
/// started through [`spawn`]) and stops all of it too. Also stop when the
/// parent dies. For a program's `main` only: the handler is process-wide.
pub fn install(own_group: bool) {
    imp::install(own_group);
}

/// A child that is stopped with this process.
pub struct Stoppable(Child);

/// Start `cmd` in a process group of its own, stopped with this process
/// (see [`install`]).
pub fn spawn(cmd: &mut Command) -> io::Result<Stoppable> {
    imp::own_group(cmd);
    cmd.env(PARENT_ENV, std::process::id().to_string());
    let child = cmd.spawn()?;
    imp::register(child.id());
    Ok(Stoppable(child))
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
        if cfg!(unix) {
            Ok(imp::ended(self.0.id()))
        } else {
            Ok(self.0.try_wait()?.is_some())
        }
    }

    /// The child itself, for its pipes.
    pub fn child(&mut self) -> &mut Child {
        &mut self.0
    }

    /// Kill it and everything in its process group (SIGKILL): what it
    /// started and left running, detached or not (but for a process that
    /// left the group, with `setsid`). Elsewhere than on unix, it alone.
    pub fn kill_group(&mut self) {
        imp::kill_group(self.0.id());
        #[cfg(not(unix))]
        let _ = self.0.kill();
    }
}

/// Like [`spawn`], for a program that must not outlive this process either
/// when this one is killed outright (SIGKILL; Linux): the kernel kills it
/// then.
pub fn spawn_tied(cmd: &mut Command) -> io::Result<Stoppable> {
    imp::die_with_parent(cmd);
    spawn(cmd)
}

impl Drop for Stoppable {
    fn drop(&mut self) {
        // Once it has been waited for, its id may be reused by another.
        imp::forget(self.0.id());
    }
}
