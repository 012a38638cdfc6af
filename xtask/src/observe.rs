//! Running the suite's harness in collect mode on one toolchain and reading
//! back what it observed.

use crate::error::{Error, Result};
use ch16_ui::report::Report;
use ch16_ui::stage::Workdirs;
use ch16_ui::toolchain::Rustc;
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
}

/// Run `cargo +T test --test ui` with `CH16_UI_COLLECT=1`, its output kept in
/// a log file beside the results.
pub fn observe(
    root: &Path,
    rustc: &Rustc,
    filters: &[String],
    progress: &dyn Fn(usize, usize),
) -> Observation {
    let start = Instant::now();
    let crate_dir = crate::crate_dir();
    let dirs = match Workdirs::within(crate_dir, root, &rustc.key()) {
        Ok(d) => d,
        Err(e) => {
            return Observation {
                rustc: rustc.clone(),
                report: Err(e.into()),
                elapsed: start.elapsed(),
            };
        }
    };
    let report_path = dirs.report();
    let log_path = report_path.with_file_name("collect.log");
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
            .args(["test", "--quiet", "--test", "ui", "--"])
            .args(filters)
            .env(ch16_ui::protocol::COLLECT_ENV, "1")
            .env_remove("TRYBUILD")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        // Its own process group, stopped with this one (Ctrl-C, SIGTERM).
        let mut child =
            ch16_ui::stop::spawn(&mut cmd).map_err(ch16_ui::Error::io_on(Path::new("cargo")))?;
        // The harness logs `progress N/M` as fixtures finish.
        let mut last = (0, 0);
        let status = loop {
            if let Some(status) = child
                .try_wait()
                .map_err(ch16_ui::Error::io_on(Path::new("cargo")))?
            {
                break status;
            }
            std::thread::sleep(Duration::from_millis(200));
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            let latest = log.lines().rev().find_map(|l| {
                let (done, total) = l.strip_prefix("progress ")?.split_once('/')?;
                Some((done.trim().parse().ok()?, total.trim().parse().ok()?))
            });
            if let Some(now) = latest.filter(|now| *now != last) {
                last = now;
                progress(now.0, now.1);
            }
        };
        if !status.success() {
            return Err(Error::Run {
                toolchain: rustc.label(),
                problem: status.to_string(),
                tail: tail(&log_path, 25),
                log: log_path,
            });
        }
        Ok(Report::read(&report_path)?)
    })();
    Observation {
        rustc: rustc.clone(),
        report: result,
        elapsed: start.elapsed(),
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
