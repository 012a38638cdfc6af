//! SIGINT, SIGTERM or SIGHUP stops a run and all it started, and nothing is
//! written after: children of [`spawn`] each lead a process group, which the
//! handler of [`install`] sends SIGTERM before it exits without unwinding.
//! A process [`Role::Runner`] instead notes the signal ([`requested`]) and
//! decides itself: it gives its program [`GRACE`], then SIGKILLs its group
//! and, on Linux, every process it inherited as a child subreaper
//! ([`kill_inherited`]). Processes started by cargo also stop when their
//! parent goes (see [`Role`]).

use std::io;
use std::process::{Child, Command, ExitStatus};
#[cfg(unix)]
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering::SeqCst};
use std::time::Duration;

/// The pid of the process that started a child through [`spawn`].
const PARENT_ENV: &str = "CH16_STOP_PARENT";

/// How long a stopped program has between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_millis(500);

/// Process groups to stop; 0 is a free slot (the handler may not allocate).
#[cfg(unix)]
static GROUPS: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];

/// The group this process leads (a batch's), stopped with it; or 0.
#[cfg(unix)]
static OWN_GROUP: AtomicI32 = AtomicI32::new(0);

/// Whether the handler leaves the ending to the process ([`Role::Runner`]).
#[cfg(unix)]
static DEFERS: AtomicBool = AtomicBool::new(false);

/// The signal that asked a [`Role::Runner`] to stop, or 0.
#[cfg(unix)]
static REQUESTED: AtomicI32 = AtomicI32::new(0);

/// Which process of a run this is: how it is stopped besides its signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A command a user started (the xtask): only by its signals.
    Command,
    /// A program cargo starts (the suite's test program): also when its
    /// parent ends (cargo stopped alone, or killed).
    Tool,
    /// A trybuild batch: leads its process group and stops it with itself;
    /// also when its parent ends (Linux, the kernel's parent-death signal).
    Batch,
    /// The observer as runner: a signal, or its parent's end, is noted for
    /// it to act on ([`requested`]); on Linux it is a child subreaper, so
    /// what its program leaves behind comes to it ([`kill_inherited`]).
    Runner,
}

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    // Only async-signal-safe calls; our own group, holding this process, last.
    for group in GROUPS.iter().chain([&OWN_GROUP]) {
        let pgid = group.load(SeqCst);
        if pgid > 0 {
            unsafe { libc::kill(-pgid, libc::SIGTERM) };
        }
    }
    if DEFERS.load(SeqCst) {
        let _ = REQUESTED.compare_exchange(0, sig, SeqCst, SeqCst);
        return;
    }
    unsafe { libc::_exit(128 + sig) };
}

/// Make the signals stop this process and its children of [`spawn`], as
/// its `role` says; for `main`s.
#[cfg_attr(not(unix), expect(unused_variables))]
pub fn install(role: Role) {
    #[cfg(unix)]
    unsafe {
        if role == Role::Batch {
            OWN_GROUP.store(libc::getpgrp(), SeqCst);
        }
        DEFERS.store(role == Role::Runner, SeqCst);
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
        if role == Role::Batch {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            let parent = std::env::var(PARENT_ENV).ok().and_then(|p| p.parse().ok());
            if parent.is_some_and(|p: libc::pid_t| p != libc::getppid()) {
                on_signal(libc::SIGTERM);
            }
        }
        #[cfg(target_os = "linux")]
        if role == Role::Runner {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1);
        }
    }
    if matches!(role, Role::Tool | Role::Runner) {
        watch_parent();
    }
}

/// SIGTERM to this process once its parent has gone (it is then another's
/// child): a thread that looks ten times a second. The kernel's parent-death
/// signal would follow the thread that started it, which cargo may end.
fn watch_parent() {
    #[cfg(unix)]
    {
        let parent = unsafe { libc::getppid() };
        let watch = move || {
            while unsafe { libc::getppid() } == parent {
                std::thread::sleep(Duration::from_millis(100));
            }
            unsafe { libc::kill(libc::getpid(), libc::SIGTERM) };
        };
        let _ = std::thread::Builder::new()
            .name("parent".into())
            .spawn(watch);
    }
}

/// The signal that asked this [`Role::Runner`] to stop, once one came.
pub fn requested() -> Option<i32> {
    #[cfg(unix)]
    let sig = Some(REQUESTED.load(SeqCst)).filter(|&s| s != 0);
    #[cfg(not(unix))]
    let sig = None;
    sig
}

/// Whether the process `pid` exists (on other systems than unix: always).
#[cfg_attr(not(unix), expect(unused_variables))]
pub fn exists(pid: u32) -> bool {
    #[cfg(unix)]
    let exists = libc::pid_t::try_from(pid).is_ok_and(|pid| {
        let sent = unsafe { libc::kill(pid, 0) };
        sent == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    });
    #[cfg(not(unix))]
    let exists = true;
    exists
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

    /// Kill its process group (all but what left it); elsewhere, it alone.
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

/// In a [`Role::Runner`] on Linux, once its program is reaped: SIGKILL every
/// child it has (what the program left behind, inherited as its subreaper)
/// and reap them, round after round, until none is left (at most a second).
pub fn kill_inherited() {
    #[cfg(target_os = "linux")]
    for _ in 0..200 {
        // SAFETY: plain system calls on this process's own children.
        unsafe {
            while libc::waitpid(-1, std::ptr::null_mut(), libc::WNOHANG) > 0 {}
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
            // No child at all, the usual case: nothing to look for.
            if libc::waitid(libc::P_ALL, 0, &mut info, flags) != 0 {
                return;
            }
            for pid in children() {
                libc::kill(pid, libc::SIGKILL);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// This process's children, from `/proc/*/stat`.
#[cfg(target_os = "linux")]
fn children() -> Vec<libc::pid_t> {
    let me = std::process::id().to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parent = |stat: &str| {
        // `pid (comm) state ppid …`; comm may hold anything, `)` too.
        let rest = &stat[stat.rfind(')')? + 1..];
        rest.split_whitespace().nth(1).map(str::to_owned)
    };
    dir.filter_map(|e| {
        let pid: libc::pid_t = e.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        (parent(&stat)? == me).then_some(pid)
    })
    .collect()
}
