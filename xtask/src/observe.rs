//! One toolchain's collecting run of the suite (`cargo +T test --test ui`
//! with `CH16_UI_COLLECT=1`), and the report it leaves, read back.

use crate::error::{Error, Result};
use ch16_ui::check::report::Report;
use ch16_ui::error::Error as SuiteError;
use ch16_ui::host::checkout::crate_dir;
use ch16_ui::host::stop::Stoppable;
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::names::{COLLECT_ENV, REPORT_ENV, ROOT_ENV};
use ch16_ui::observe::stage::Workdirs;
use ch16_ui::observe::trybuild::OVERWRITE;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use std::{fs, io};

/// One toolchain's report, or why there is none; and its log, kept if the
/// run failed.
pub type Observation = (Result<Report>, Option<PathBuf>);

/// Where a toolchain's run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// cargo is building the suite's test program.
    Building,
    /// `done` of `total` fixtures have finished.
    Running { done: usize, total: usize },
}

/// Run the suite on `rustc` for the fixtures `filters` select, logging to
/// a file of its own; `tell` hears each new step, the first at once.
pub fn observe(root: &Path, rustc: &Rustc, filters: &[String], tell: &dyn Fn(Step)) -> Observation {
    tell(Step::Building);
    let (io, mut log) = (SuiteError::io_on, None);
    let mut collect = || -> Result<Report> {
        // Files of this run's own: another xtask on the same compiler would
        // truncate them while waiting for the harness's lock.
        let (checkout, pid) = (crate_dir()?, std::process::id());
        let dirs = Workdirs::within(&checkout, root, &rustc.key())?;
        let report = dirs.report().with_file_name(format!("report.{pid}.json"));
        let log = log.insert(report.with_file_name(format!("collect.{pid}.log")));
        // A report of an earlier run must never pass for this one's.
        if report.exists() {
            fs::remove_file(&report).map_err(io(&report))?;
        }
        fs::create_dir_all(log.parent().unwrap_or(root)).map_err(io(log))?;
        let file = fs::File::create(&log).map_err(io(log))?;
        let mut cmd = rustc.cargo();
        cmd.args(["test", "--test", "ui", "--"]).args(filters);
        cmd.current_dir(checkout).env(ROOT_ENV, root);
        cmd.env(COLLECT_ENV, "1").env(REPORT_ENV, &report);
        cmd.env_remove(OVERWRITE.0).stdin(Stdio::null());
        cmd.stderr(file.try_clone().map_err(io(log))?);
        ch16_ui::emit::not_for_github(cmd.stdout(file));
        // Its own process group, stopped with this one (Ctrl-C, SIGTERM).
        let child = ch16_ui::host::stop::spawn(&mut cmd);
        let status = child.and_then(|c| wait(c, log, tell));
        let status = status.map_err(io(Path::new("cargo")))?;
        if !status.success() {
            let text = fs::read_to_string(&log).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(|l| format!("    {l}")).collect();
            let tail = lines[lines.len().saturating_sub(25)..].join("\n");
            let (label, log) = (rustc.label(), log.display());
            let ended = format!("{label}: the suite could not run ({status}); last lines of {log}");
            return Err(Error::Failed(format!("{ended}:\n{tail}")));
        }
        let read = Report::read(&report)?;
        let _ = fs::remove_file(report);
        Ok(read)
    };
    let report = collect();
    if report.as_ref().is_ok_and(|r| r.logs.is_empty()) {
        let _ = log.take().map(fs::remove_file);
    }
    (report, log)
}

/// Wait for `child` to exit, telling `tell` every `progress N/M` line the
/// harness logs in `log`, in order.
fn wait(mut child: Stoppable, log: &Path, tell: &dyn Fn(Step)) -> io::Result<ExitStatus> {
    let mut told = 0;
    loop {
        let exited = child.try_wait()?;
        let text = fs::read_to_string(log).unwrap_or_default();
        let steps = text.lines().filter_map(|l| {
            let (done, total) = l.strip_prefix("progress ")?.split_once('/')?;
            let (done, total) = (done.trim().parse().ok()?, total.trim().parse().ok()?);
            Some(Step::Running { done, total })
        });
        for (i, step) in steps.enumerate().skip(told) {
            tell(step);
            told = i + 1;
        }
        if let Some(status) = exited {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
