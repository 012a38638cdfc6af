//! One toolchain's collecting run of the suite (`cargo +T test --test ui`
//! with `CH16_UI_COLLECT=1`), and the report it leaves, read back.

use crate::error::{Error, Result};
use ch16_ui::check::report::Report;
use ch16_ui::error::Error as SuiteError;
use ch16_ui::host::toolchain::Rustc;
use ch16_ui::names::{COLLECT_ENV, REPORT_ENV, ROOT_ENV};
use ch16_ui::observe::stage::Workdirs;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The result of one toolchain's run.
pub struct Observation {
    /// The compiler.
    pub rustc: Rustc,
    /// What it observed, or why there is nothing.
    pub report: Result<Report>,
    /// How long it took.
    pub elapsed: Duration,
    /// The run's log (cargo's and the harness's output), kept when the run failed.
    pub log: Option<PathBuf>,
}

/// Where a toolchain's run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// cargo is building the suite's test program.
    Building,
    /// `done` of `total` fixtures have finished.
    Running { done: usize, total: usize },
}

/// Run the suite on `rustc` for the fixtures `filters` select, its output
/// kept in a log of this run's own (removed when all went well);
/// `progress` hears each new step, the first at once.
pub fn observe(
    root: &Path,
    rustc: &Rustc,
    filters: &[String],
    progress: &dyn Fn(Step),
) -> Observation {
    progress(Step::Building);
    let start = Instant::now();
    // Files of this run's own: another xtask on the same compiler may be
    // collecting too (it waits for the harness's lock, but would truncate
    // these under this one's feet).
    let files = Workdirs::within(crate::crate_dir(), root, &rustc.key()).map(|dirs| {
        let report = dirs
            .report()
            .with_file_name(format!("report.{}.json", std::process::id()));
        let log = report.with_file_name(format!("collect.{}.log", std::process::id()));
        (report, log)
    });
    let (report, log) = match files {
        Err(e) => (Err(e.into()), None),
        Ok((report, log)) => {
            let result = collect(root, rustc, filters, &report, &log, progress);
            // The log is worth keeping only when something went wrong.
            let clean = result.as_ref().is_ok_and(|r| r.logs.is_empty());
            if clean {
                let _ = fs::remove_file(&log);
            }
            (result, (!clean).then_some(log))
        }
    };
    Observation {
        rustc: rustc.clone(),
        report,
        elapsed: start.elapsed(),
        log,
    }
}

fn collect(
    root: &Path,
    rustc: &Rustc,
    filters: &[String],
    report: &Path,
    log_path: &Path,
    progress: &dyn Fn(Step),
) -> Result<Report> {
    let io = SuiteError::io_on;
    // A report of an earlier run must never pass for this one's.
    if report.exists() {
        fs::remove_file(report).map_err(io(report))?;
    }
    fs::create_dir_all(log_path.parent().unwrap_or(root)).map_err(io(log_path))?;
    let log = fs::File::create(log_path).map_err(io(log_path))?;
    let mut cmd = rustc.cargo();
    cmd.current_dir(crate::crate_dir())
        .env(ROOT_ENV, root)
        .args(["test", "--test", "ui", "--"])
        .args(filters)
        .env(COLLECT_ENV, "1")
        .env(REPORT_ENV, report)
        .env_remove(ch16_ui::observe::trybuild::OVERWRITE.0)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(io(log_path))?)
        .stderr(log);
    ch16_ui::emit::not_for_github(&mut cmd);
    // Its own process group, stopped with this one (Ctrl-C, SIGTERM).
    let mut child = ch16_ui::host::stop::spawn(&mut cmd).map_err(io(Path::new("cargo")))?;
    // The harness logs `progress N/M` as fixtures finish: every step, in
    // order, even several between two looks at the log.
    let mut told = 0;
    let status = loop {
        let exited = child.try_wait().map_err(io(Path::new("cargo")))?;
        let text = fs::read_to_string(log_path).unwrap_or_default();
        let steps: Vec<Step> = text
            .lines()
            .filter_map(|l| {
                let (done, total) = l.strip_prefix("progress ")?.split_once('/')?;
                Some(Step::Running {
                    done: done.trim().parse().ok()?,
                    total: total.trim().parse().ok()?,
                })
            })
            .collect();
        steps.iter().skip(told).for_each(|s| progress(*s));
        told = told.max(steps.len());
        if let Some(status) = exited {
            break status;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    if !status.success() {
        let text = fs::read_to_string(log_path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail: Vec<String> = lines[lines.len().saturating_sub(25)..]
            .iter()
            .map(|l| format!("    {l}"))
            .collect();
        let log = (log_path.to_owned(), tail.join("\n"));
        return Err(Error::Run {
            toolchain: rustc.label(),
            problem: status.to_string(),
            log,
        });
    }
    let read = Report::read(report)?;
    let _ = fs::remove_file(report);
    Ok(read)
}
