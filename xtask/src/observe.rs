//! Running the suite's harness in collect mode on one toolchain and reading
//! back what it observed.

use crate::error::{Error, Result};
use ch16_ui::check::report::Report;
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::observe::Workdirs;
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The result of one toolchain's run.
pub struct Observation {
    /// The compiler.
    pub rustc: Rustc,
    /// What it observed, or why there is nothing.
    pub report: Result<Report>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// The run's log (cargo's and the harness's output), kept when the run
    /// failed.
    pub log: Option<std::path::PathBuf>,
}

/// Where a toolchain's run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// cargo is building the suite's test program for this toolchain.
    Building,
    /// The suite runs; `done` of `total` fixtures have finished.
    Running {
        /// Fixtures finished.
        done: usize,
        /// Fixtures in the run.
        total: usize,
    },
}

/// Run `cargo +T test --test ui` with `CH16_UI_COLLECT=1`, its output kept in
/// a log file of this run's own beside the results (removed when all went well); `progress` hears each new step, the
/// first at once.
pub fn observe(
    root: &Path,
    rustc: &Rustc,
    filters: &[String],
    progress: &dyn Fn(Step),
) -> Observation {
    progress(Step::Building);
    let start = Instant::now();
    let crate_dir = crate::crate_dir();
    let dirs = match Workdirs::within(crate_dir, root, &rustc.key()) {
        Ok(d) => d,
        Err(e) => {
            return Observation {
                rustc: rustc.clone(),
                report: Err(e.into()),
                elapsed: start.elapsed(),
                log: None,
            };
        }
    };
    // Files of this run's own: another xtask on the same compiler may be
    // collecting at the same time (it waits for the harness's lock, but its
    // files would be truncated under this one's feet).
    let report_path = dirs
        .report()
        .with_file_name(format!("report.{}.json", std::process::id()));
    let log_path = report_path.with_file_name(format!("collect.{}.log", std::process::id()));
    let result = (|| {
        // Results of an earlier run must never pass for this one's.
        if report_path.exists() {
            fs::remove_file(&report_path).map_err(ch16_ui::Error::io_on(&report_path))?;
        }
        if let Some(dir) = log_path.parent() {
            fs::create_dir_all(dir).map_err(ch16_ui::Error::io_on(dir))?;
        }
        let log = fs::File::create(&log_path).map_err(ch16_ui::Error::io_on(&log_path))?;
        let log_err = log.try_clone().map_err(ch16_ui::Error::io_on(&log_path))?;
        let mut cmd = rustc.cargo();
        cmd.current_dir(crate_dir)
            .env(ch16_ui::protocol::ROOT_ENV, root)
            .args(["test", "--test", "ui", "--"])
            .args(filters)
            .env(ch16_ui::protocol::COLLECT_ENV, "1")
            .env(ch16_ui::protocol::REPORT_ENV, &report_path)
            .env_remove(ch16_ui::observe::OVERWRITE.0)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        // Only `cargo xtask` itself speaks to GitHub Actions.
        ch16_ui::emit::not_for_github(&mut cmd);
        // Its own process group, stopped with this one (Ctrl-C, SIGTERM).
        let mut child = ch16_ui::host::stop::spawn(&mut cmd)
            .map_err(ch16_ui::Error::io_on(Path::new("cargo")))?;
        // The harness logs `progress N/M` as fixtures finish.
        // Every step the harness logged, in order, even several between
        // two looks at the log.
        let mut told = 0;
        let status = loop {
            let exited = child
                .try_wait()
                .map_err(ch16_ui::Error::io_on(Path::new("cargo")))?;
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            let steps: Vec<Step> = log
                .lines()
                .filter_map(|l| {
                    let (done, total) = l.strip_prefix("progress ")?.split_once('/')?;
                    Some(Step::Running {
                        done: done.trim().parse().ok()?,
                        total: total.trim().parse().ok()?,
                    })
                })
                .collect();
            for step in steps.iter().skip(told) {
                progress(*step);
            }
            told = told.max(steps.len());
            if let Some(status) = exited {
                break status;
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        if !status.success() {
            return Err(Error::Run {
                toolchain: rustc.label(),
                problem: status.to_string(),
                tail: tail(&log_path, 25),
                log: log_path.clone(),
            });
        }
        let report = Report::read(&report_path)?;
        let _ = fs::remove_file(&report_path);
        Ok(report)
    })();
    // The log is worth keeping only when something went wrong.
    let clean = result.as_ref().is_ok_and(|r| r.logs.is_empty());
    if clean {
        let _ = fs::remove_file(&log_path);
    }
    Observation {
        rustc: rustc.clone(),
        report: result,
        elapsed: start.elapsed(),
        log: (!clean).then_some(log_path),
    }
}

fn tail(path: &Path, n: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
