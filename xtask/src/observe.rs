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
        remove_stale(log.parent().unwrap_or(root));
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
        // Its own process group, stopped with this one (Ctrl-C, SIGTERM);
        // on Linux its cargo dies with this process, and the suite with cargo.
        let child = ch16_ui::host::stop::spawn_tied(&mut cmd);
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

/// Remove the files of runs whose xtask is gone (`report.<pid>.json`,
/// `collect.<pid>.log`, left by a `kill -9`) from the compiler's directory.
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = ["report.", "collect."]
            .iter()
            .find_map(|p| name.strip_prefix(p));
        let pid = pid.and_then(|rest| rest.strip_suffix(".json").or(rest.strip_suffix(".log")));
        let pid = pid.and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !ch16_ui::host::stop::exists(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    /// Files of a pid that no process has are removed, a live one's kept,
    /// and nothing else is touched.
    #[test]
    fn files_of_gone_runs_are_removed() {
        let dir = std::env::temp_dir().join(format!("ch16-xtask-stale-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // Above any pid Linux gives (its maximum is 2^22).
        let (gone, live) = (u32::MAX / 2, std::process::id());
        let names = [
            format!("report.{gone}.json"),
            format!("collect.{gone}.log"),
            format!("report.{live}.json"),
            format!("collect.{live}.log"),
            "report.json".into(),
            "collect.x.log".into(),
        ];
        for name in &names {
            fs::write(dir.join(name), "").unwrap();
        }
        remove_stale(&dir);
        let left = |n: &String| dir.join(n).exists();
        let kept: Vec<bool> = names.iter().map(left).collect();
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(kept, [false, false, true, true, true, true]);
    }
}
