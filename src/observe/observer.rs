//! The observer: the program (`ch16-ui-observer`) that trybuild's cargo
//! starts as its rustc wrapper (`RUSTC_WORKSPACE_WRAPPER`) and as its runner
//! (`CARGO_TARGET_<TRIPLE>_RUNNER … --runner`), so that the harness learns
//! what every compile and run of a fixture said without compiling or running
//! anything a second time. What it learns goes into [`crate::observe::record`].
//!
//! As the wrapper it passes everything through unchanged: a compile that is
//! not a fixture's (trybuild names fixtures `trybuildNNN`) is rustc itself;
//! for a fixture's, rustc's stderr still reaches cargo line by line, and the
//! compile is recorded once rustc ended on its own. If the record cannot be
//! written, the compile fails, so that cargo never keeps an artifact nobody
//! recorded.
//!
//! As the runner it finds the fixture from the record of the program it is
//! given (never from the position-based name alone), runs it under the time
//! limit of the fixture's header, passes its output through and records how
//! it ended. A program killed at its limit makes the runner exit non-zero,
//! so trybuild reports that fixture and goes on with the next.

use crate::model::header;
use crate::observe::record::{Artifact, Compile, Execution, Exit, RECORDS_ENV, RUN_ENV, Records};
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The argument that makes the observer the runner.
pub const RUNNER_ARG: &str = "--runner";

/// The exit code of a runner whose program was killed at its time limit.
pub const TIMED_OUT: i32 = 124;

/// Run as the wrapper (`observer <rustc> <args…>`) or the runner
/// (`observer --runner <program> <args…>`).
pub fn main(args: Vec<OsString>) -> ExitCode {
    let code = match args.split_first() {
        Some((first, rest)) if first == RUNNER_ARG => match rest.split_first() {
            Some((program, args)) => runner(Path::new(program), args),
            None => fail("`--runner` needs the program to run"),
        },
        // A wrapper of the user's that asks its "compiler" who it is.
        Some((flag, _)) if flag.to_str().is_some_and(|f| f.starts_with('-')) => {
            let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
            pass_through(&rustc, &args)
        }
        Some((rustc, args)) => wrapper(rustc, args),
        None => fail(
            "this program is started by the suite's harness through trybuild's cargo, as its rustc \
             wrapper and its runner; run `cargo test` instead",
        ),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn fail(message: &str) -> i32 {
    eprintln!("ch16-ui-observer: {message}");
    101
}

/// Where and for which run to record, from the environment the harness gave
/// trybuild; `None` outside such a run.
fn context() -> Option<(Records, String)> {
    let dir = std::env::var_os(RECORDS_ENV)?;
    let run = std::env::var(RUN_ENV).ok()?;
    Some((Records { dir: dir.into() }, run))
}

/// The value rustc's option `flag` was given (`--crate-name x` or
/// `--crate-name=x`); with `key`, the value of its `key=value` setting
/// (`-C extra-filename=x` or `-Cextra-filename=x`).
fn option<'a>(args: &'a [OsString], flag: &str, key: Option<&str>) -> Option<&'a str> {
    let args: Vec<&'a str> = args.iter().map(|a| a.to_str().unwrap_or("")).collect();
    (0..args.len()).find_map(|i| {
        let value = if args[i] == flag {
            *args.get(i + 1)?
        } else {
            let rest = args[i].strip_prefix(flag)?;
            rest.strip_prefix('=').unwrap_or(rest)
        };
        match key {
            None => Some(value),
            Some(key) => value.strip_prefix(key)?.strip_prefix('='),
        }
    })
}

/// The environment variable naming a workspace wrapper of the user's, which
/// the observer replaced and runs in its place.
pub const NEXT_WRAPPER_ENV: &str = "CH16_UI_NEXT_WRAPPER";

/// rustc with `args`, through the user's workspace wrapper if there was one.
fn rustc_command(rustc: &OsStr, args: &[OsString]) -> Command {
    match std::env::var_os(NEXT_WRAPPER_ENV).filter(|w| !w.is_empty()) {
        Some(next) => {
            let mut cmd = Command::new(next);
            cmd.arg(rustc).args(args);
            cmd
        }
        None => {
            let mut cmd = Command::new(rustc);
            cmd.args(args);
            cmd
        }
    }
}

fn wrapper(rustc: &OsStr, args: &[OsString]) -> i32 {
    let krate = option(args, "--crate-name", None).filter(|k| super::trybuild::is_fixture(k));
    let (Some(krate), Some((records, run))) = (krate, context()) else {
        return pass_through(rustc, args);
    };
    let key = format!(
        "{krate}{}",
        option(args, "-C", Some("extra-filename")).unwrap_or_default()
    );
    let record_path = records.compile_path(&key);
    // An older record of this artifact must not outlive a compile that
    // does not finish.
    let _ = std::fs::remove_file(&record_path);
    if record_path.exists() {
        return fail(&format!("cannot remove {}", record_path.display()));
    }
    let source = args
        .iter()
        .map(Path::new)
        .find(|a| a.extension() == Some(OsStr::new("rs")));
    let (status, stderr) = match tee(rustc, args) {
        Ok(said) => said,
        Err(code) => return code,
    };
    // Killed by a signal, or stopped by its own Ctrl-C handler: not a
    // compile anyone may rely on.
    let Some(code) = status.code().filter(|&c| !interrupted(c, &stderr)) else {
        return status.code().unwrap_or(101);
    };
    let compile = Compile {
        run: run.clone(),
        krate: krate.to_string(),
        source: source.map(Path::to_path_buf).unwrap_or_default(),
        code,
        stderr,
        dep_info: None,
        program: None,
    };
    match record(&records, compile, &record_path) {
        Ok(()) => code,
        Err(e) => fail(&format!(
            "could not record the compile of {krate} in {}: {e}; failing it so that cargo compiles it again",
            records.dir.display()
        )),
    }
}

/// Run rustc, its stderr passed on line by line as it writes, and kept.
fn tee(rustc: &OsStr, args: &[OsString]) -> Result<(std::process::ExitStatus, String), i32> {
    let spawned = rustc_command(rustc, args).stderr(Stdio::piped()).spawn();
    let mut child = spawned.map_err(|e| {
        fail(&format!(
            "could not run {}: {e}",
            Path::new(rustc).display()
        ))
    })?;
    let mut stderr = String::new();
    let mut reader = BufReader::new(child.stderr.take().expect("piped"));
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
        let _ = io::stderr().write_all(&line);
        stderr.push_str(&String::from_utf8_lossy(&line));
        line.clear();
    }
    let status = child
        .wait()
        .map_err(|e| fail(&format!("lost rustc: {e}")))?;
    Ok((status, stderr))
}

/// Write the record of `compile` with what it produced, and its event. A
/// successful compile nobody can later tell apart from the next one would
/// be kept by cargo with no record that counts: that is an error.
fn record(records: &Records, mut compile: Compile, path: &Path) -> io::Result<()> {
    let base = records.base();
    if compile.code == 0 {
        let (dep_info, program) = produced(&compile.stderr);
        let dep_info =
            dep_info.ok_or_else(|| io::Error::other("rustc reported no dependency file"))?;
        compile.dep_info = Some(Artifact::identify(base, &dep_info)?);
        compile.program = program.map(|p| p.strip_prefix(base).unwrap_or(&p).to_owned());
    }
    records.write(path, &compile)?;
    records.event(&compile.run, "compile", &compile.krate)
}

/// rustc's Ctrl-C handler makes a compile in the middle of evaluating a
/// constant exit with 1 after a report saying so; one that is killed dies
/// by a signal. (Cut short otherwise, rustc's output still fails the
/// compile, and a failed compile counts only in its own run.)
fn interrupted(code: i32, stderr: &str) -> bool {
    code == 1 && stderr.contains("\"message\":\"compilation was interrupted\"")
}

/// The dependency file and the program rustc reported writing
/// (`--json=artifacts`).
fn produced(stderr: &str) -> (Option<PathBuf>, Option<PathBuf>) {
    let (mut dep_info, mut program) = (None, None);
    for line in stderr.lines().filter(|l| l.contains("\"artifact\"")) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        match (v["artifact"].as_str(), v["emit"].as_str()) {
            (Some(path), Some("dep-info")) => dep_info = Some(path.into()),
            (Some(path), Some("link")) => program = Some(path.into()),
            _ => {}
        }
    }
    (dep_info, program)
}

#[cfg(unix)]
fn pass_through(rustc: &OsStr, args: &[OsString]) -> i32 {
    use std::os::unix::process::CommandExt;
    let e = rustc_command(rustc, args).exec();
    fail(&format!(
        "could not run {}: {e}",
        Path::new(rustc).display()
    ))
}

#[cfg(not(unix))]
fn pass_through(rustc: &OsStr, args: &[OsString]) -> i32 {
    match rustc_command(rustc, args).status() {
        Ok(status) => status.code().unwrap_or(101),
        Err(e) => fail(&format!(
            "could not run {}: {e}",
            Path::new(rustc).display()
        )),
    }
}

fn runner(program: &Path, args: &[OsString]) -> i32 {
    let Some((records, run)) = context() else {
        return fail(&format!(
            "{RECORDS_ENV} and {RUN_ENV} are not set: the runner is started by the suite's harness through trybuild"
        ));
    };
    let krate = program
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let Some(compile) = records.compiles(&krate).into_iter().find(|c| {
        c.program
            .as_ref()
            .is_some_and(|p| same_file(&records.base().join(p), program))
    }) else {
        return fail(&format!(
            "no record in {} says which fixture {} was built from; not running it",
            records.dir.display(),
            program.display()
        ));
    };
    let source = compile.source;
    let limit = match std::fs::read_to_string(&source)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            header::parse(&source, &text).map_err(|p| crate::error::Error::Tree(p).to_string())
        }) {
        Ok(h) => h.timeout,
        Err(e) => {
            return fail(&format!(
                "cannot read the header of {}: {e}",
                source.display()
            ));
        }
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        // A backtrace would change what a panicking fixture prints.
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_LIB_BACKTRACE");
    let execution = match run_with_limit(cmd, limit) {
        Ok((exit, stdout, stderr, elapsed)) => Execution {
            run: run.clone(),
            krate: krate.clone(),
            source: source.clone(),
            exit,
            stdout,
            stderr,
            elapsed,
        },
        Err(e) => return fail(&format!("could not run {}: {e}", program.display())),
    };
    let _ = io::stdout().write_all(execution.stdout.as_bytes());
    let _ = io::stderr().write_all(execution.stderr.as_bytes());
    if execution.exit == Exit::TimedOut {
        eprintln!(
            "ch16-ui: {} was killed after {} s, its time limit (`timeout:` in its header)",
            source.display(),
            limit.as_secs()
        );
    }
    let written = records
        .write(&records.run_path(&krate), &execution)
        .and_then(|()| records.event(&run, "run", &krate));
    if let Err(e) = written {
        return fail(&format!("could not record the run of {krate}: {e}"));
    }
    match execution.exit {
        Exit::Code(c) => c,
        Exit::Signal(s) => 128 + s,
        Exit::TimedOut => TIMED_OUT,
    }
}

/// Whether `a` and `b` are one file (cargo hard-links the program it runs
/// to the one rustc produced, or copies it where it cannot).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (ma.dev(), ma.ino()) == (mb.dev(), mb.ino()) {
            return true;
        }
    }
    ma.len() == mb.len() && std::fs::read(a).ok() == std::fs::read(b).ok()
}

/// Run `cmd` to its end, or kill it after `limit`: how it ended, its
/// stdout and stderr, and how long the suite waited for it.
///
/// The program runs in a process group of its own, so that what it starts
/// goes with it: the group is killed at the limit, and when the program
/// ends (a child it left behind, holding its output or not, does not
/// outlive it), and when the runner is stopped (SIGINT, SIGTERM: the
/// runner's handler stops the group) or killed (Linux: the program dies
/// with it). A process that leaves the group (`setsid`) is out of reach.
fn run_with_limit(
    mut cmd: Command,
    limit: Duration,
) -> io::Result<(Exit, String, String, Duration)> {
    let start = Instant::now();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Stopping the runner stops the program's group.
    crate::host::stop::install(false);
    let mut program = crate::host::stop::spawn_tied(&mut cmd)?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(program.child().stdout.take().expect("piped")));
    let err = drain(Box::new(program.child().stderr.take().expect("piped")));
    let timed_out = loop {
        if program.ended()? {
            break false;
        }
        if start.elapsed() >= limit {
            break true;
        }
        thread::sleep(Duration::from_millis(5));
    };
    // The group goes, at the limit or with the program (what it left
    // running, so that its pipes close), before the program is reaped: its
    // group's id is still its own.
    program.kill_group();
    let status = program.wait()?;
    let exit = match (timed_out, status.code()) {
        (true, _) => Exit::TimedOut,
        (false, Some(code)) => Exit::Code(code),
        (false, None) => Exit::Signal(signal(status)),
    };
    let (stdout, stderr) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    Ok((exit, stdout, stderr, start.elapsed()))
}

#[cfg(unix)]
fn signal(status: std::process::ExitStatus) -> i32 {
    std::os::unix::process::ExitStatusExt::signal(&status).unwrap_or(0)
}

#[cfg(not(unix))]
fn signal(_: std::process::ExitStatus) -> i32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_interruptions_and_artifacts_are_read() {
        let args = |l: &[&str]| l.iter().map(OsString::from).collect::<Vec<_>>();
        let a = args(&[
            "--crate-name",
            "trybuild003",
            "-C",
            "extra-filename=-ab12",
            "x.rs",
        ]);
        assert_eq!(option(&a, "--crate-name", None), Some("trybuild003"));
        assert_eq!(option(&a, "-C", Some("extra-filename")), Some("-ab12"));
        let b = args(&[
            "--crate-name=trybuild004",
            "-Cextra-filename=-cd34",
            "-C",
            "opt-level=0",
        ]);
        assert_eq!(option(&b, "--crate-name", None), Some("trybuild004"));
        assert_eq!(option(&b, "-C", Some("extra-filename")), Some("-cd34"));
        assert_eq!(option(&b, "-C", Some("metadata")), None);
        let cut = "{\"message\":\"compilation was interrupted\"}\n";
        assert!(
            interrupted(1, cut)
                && !interrupted(1, "error: unknown codegen option\n")
                && !interrupted(0, "")
        );
        let stderr = "{\"artifact\":\"/t/x.d\",\"emit\":\"dep-info\"}\n{\"artifact\":\"/t/x\",\"emit\":\"link\"}\n";
        assert_eq!(
            produced(stderr),
            (Some("/t/x.d".into()), Some("/t/x".into()))
        );
    }
}
