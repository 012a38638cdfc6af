//! `ch16-ui-observer`, trybuild's rustc wrapper and runner: it records each
//! compile and run of a fixture ([`crate::observe::record`]). A compile it cannot
//! record fails, so cargo keeps no unrecorded artifact; a program is found from
//! its compile record, not trybuild's name alone, and run under its time limit.

use crate::error::Error;
use crate::host::stop;
use crate::model::header;
use crate::observe::record::{Artifact, Compile, Execution, Exit, RECORDS_ENV, RUN_ENV, Records};
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Read, Write};
#[cfg(unix)]
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// Say what went wrong: the exit code for it.
macro_rules! fail {
    ($($what:tt)*) => {{
        eprintln!("ch16-ui-observer: {}", format_args!($($what)*));
        101
    }};
}

/// The argument that makes the observer the runner.
pub const RUNNER_ARG: &str = "--runner";

/// Run as the wrapper (`<rustc> <args…>`) or the runner (`--runner <program> <args…>`).
pub fn main(args: Vec<OsString>) -> ExitCode {
    let code = match args.split_first() {
        Some((first, rest)) if first == RUNNER_ARG => match rest.split_first() {
            Some((program, args)) => runner(Path::new(program), args),
            None => Err(fail!("`--runner` needs the program to run")),
        },
        // A wrapper of the user's that asks its "compiler" who it is.
        Some((flag, _)) if flag.to_str().is_some_and(|f| f.starts_with('-')) => {
            let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
            Ok(pass_through(&rustc, &args))
        }
        Some((rustc, args)) => wrapper(rustc, args),
        None => Err(fail!(
            "this program is started by the suite's harness through trybuild's cargo, as its rustc \
             wrapper and its runner; run `cargo test` instead",
        )),
    };
    ExitCode::from(u8::try_from(code.unwrap_or_else(|failed| failed)).unwrap_or(1))
}

/// An exit code; `Err` for a failure already said.
type Code = Result<i32, i32>;

/// Where and for which run to record; `None` outside the harness's runs.
fn context() -> Option<(Records, String)> {
    let dir = std::env::var_os(RECORDS_ENV)?;
    let run = std::env::var(RUN_ENV).ok()?;
    Some((Records { dir: dir.into() }, run))
}

/// The value of rustc's option `flag` (`-C x`, `-Cx`, `--f=x`), or of its `key=value` setting.
fn option<'a>(args: &'a [OsString], flag: &str, key: Option<&str>) -> Option<&'a str> {
    let args: Vec<&'a str> = args.iter().map(|a| a.to_str().unwrap_or("")).collect();
    args.iter().enumerate().find_map(|(i, arg)| {
        let rest = arg.strip_prefix(flag)?;
        let value = match rest {
            "" => args.get(i + 1)?,
            _ => rest.strip_prefix('=').unwrap_or(rest),
        };
        key.map_or(Some(value), |k| value.strip_prefix(k)?.strip_prefix('='))
    })
}

/// The variable naming the user's workspace wrapper, run in the observer's place.
pub const NEXT_WRAPPER_ENV: &str = "CH16_UI_NEXT_WRAPPER";

/// rustc with `args`, through the user's workspace wrapper if there was one.
fn rustc_command(rustc: &OsStr, args: &[OsString]) -> Command {
    let next = std::env::var_os(NEXT_WRAPPER_ENV).filter(|w| !w.is_empty());
    let mut cmd = Command::new(next.as_deref().unwrap_or(rustc));
    cmd.args(next.is_some().then_some(rustc)).args(args);
    cmd
}

fn cannot_run(program: impl AsRef<Path>, e: io::Error) -> i32 {
    fail!("could not run {}: {e}", program.as_ref().display())
}

fn wrapper(rustc: &OsStr, args: &[OsString]) -> Code {
    let krate = option(args, "--crate-name", None).filter(|k| super::trybuild::is_fixture(k));
    let (Some(krate), Some((records, run))) = (krate, context()) else {
        return Ok(pass_through(rustc, args));
    };
    let extra = option(args, "-C", Some("extra-filename")).unwrap_or_default();
    let record_path = records.compile_path(&format!("{krate}{extra}"));
    // An older record must not outlive a compile that does not finish.
    let _ = std::fs::remove_file(&record_path);
    if record_path.exists() {
        return Err(fail!("cannot remove {}", record_path.display()));
    }
    let rs = |a: &&Path| a.extension() == Some("rs".as_ref());
    let source = args.iter().map(Path::new).find(rs);
    let (status, stderr) = tee(rustc, args)?;
    // Killed, or stopped by its Ctrl-C handler: not a compile to rely on.
    let Some(code) = status.code().filter(|&c| !interrupted(c, &stderr)) else {
        return Ok(status.code().unwrap_or(101));
    };
    let compile = Compile {
        run,
        krate: krate.to_string(),
        source: source.map(Path::to_path_buf).unwrap_or_default(),
        code,
        stderr,
        dep_info: None,
        program: None,
    };
    let dir = records.dir.display();
    record(&records, compile, &record_path).map_err(|e| {
        fail!(
            "could not record the compile of {krate} in {dir}: {e}; failing it so that cargo \
             compiles it again"
        )
    })?;
    Ok(code)
}

/// Run rustc, its stderr passed on line by line as it writes, and kept.
fn tee(rustc: &OsStr, args: &[OsString]) -> Result<(ExitStatus, String), i32> {
    let spawned = rustc_command(rustc, args).stderr(Stdio::piped()).spawn();
    let mut child = spawned.map_err(|e| cannot_run(rustc, e))?;
    let mut reader = BufReader::new(child.stderr.take().expect("piped"));
    let (mut line, mut stderr) = (Vec::new(), String::new());
    while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
        let _ = io::stderr().write_all(&line);
        stderr.push_str(&String::from_utf8_lossy(&line));
        line.clear();
    }
    let status = child.wait().map_err(|e| fail!("lost rustc: {e}"))?;
    Ok((status, stderr))
}

/// Record `compile` with what it produced, which a success must name.
fn record(records: &Records, mut compile: Compile, path: &Path) -> io::Result<()> {
    let base = records.base();
    if compile.code == 0 {
        let (dep_info, program) = produced(&compile.stderr);
        let dep_info = dep_info.ok_or(io::Error::other("rustc reported no dependency file"))?;
        compile.dep_info = Some(Artifact::identify(base, &dep_info)?);
        compile.program = program.map(|p| p.strip_prefix(base).unwrap_or(&p).to_owned());
    }
    records.write(path, &compile)?;
    records.event(&compile.run, "compile", &compile.krate)
}

/// Whether rustc's Ctrl-C handler stopped the compile (killed, it dies by a signal).
fn interrupted(code: i32, stderr: &str) -> bool {
    code == 1 && stderr.contains("\"message\":\"compilation was interrupted\"")
}

/// The dependency file and the program rustc reported (`--json=artifacts`).
fn produced(stderr: &str) -> (Option<PathBuf>, Option<PathBuf>) {
    let lines = stderr.lines().filter(|l| l.contains("\"artifact\""));
    let reported: Vec<serde_json::Value> = lines.flat_map(serde_json::from_str).collect();
    let emitted = |kind: &str| {
        let artifact = reported.iter().rfind(|v| v["emit"] == kind)?;
        artifact["artifact"].as_str().map(PathBuf::from)
    };
    (emitted("dep-info"), emitted("link"))
}

fn pass_through(rustc: &OsStr, args: &[OsString]) -> i32 {
    #[cfg(unix)]
    let e = std::os::unix::process::CommandExt::exec(&mut rustc_command(rustc, args));
    #[cfg(not(unix))]
    let e = match rustc_command(rustc, args).status() {
        Ok(status) => return status.code().unwrap_or(101),
        Err(e) => e,
    };
    cannot_run(rustc, e)
}

fn runner(program: &Path, args: &[OsString]) -> Code {
    let Some((records, run)) = context() else {
        return Err(fail!(
            "{RECORDS_ENV} and {RUN_ENV} are not set: the runner is started by the suite's harness through trybuild"
        ));
    };
    let krate = program.file_stem().unwrap_or_default().to_string_lossy();
    let built = |c: &Compile| {
        let p = c.program.as_ref().map(|p| records.base().join(p));
        p.is_some_and(|p| same_file(&p, program))
    };
    let Some(Compile { source, .. }) = records.compiles(&krate).into_iter().find(built) else {
        let (dir, program) = (records.dir.display(), program.display());
        return Err(fail!(
            "no record in {dir} says which fixture {program} was built from; not running it"
        ));
    };
    let text = std::fs::read_to_string(&source).map_err(|e| e.to_string());
    let parsed = |t: String| header::parse(&source, &t).map_err(|p| Error::Tree(p).to_string());
    let unread = |e| fail!("cannot read the header of {}: {e}", source.display());
    let header = text.and_then(parsed).map_err(unread)?;
    let (limit, hangs) = (header.timeout, header.expect.hangs());
    let mut cmd = Command::new(program);
    // A backtrace would change what a panicking fixture prints.
    cmd.args(args).env("RUST_BACKTRACE", "0");
    cmd.env_remove("RUST_LIB_BACKTRACE");
    let ran = run_with_limit(cmd, limit, run, krate.into_owned(), source);
    // Stopped: nothing more is said or recorded.
    let ran = ran.map_err(|e| cannot_run(program, e))??;
    let _ = io::stdout().write_all(ran.stdout.as_bytes());
    let _ = io::stderr().write_all(ran.stderr.as_bytes());
    let (source, secs) = (ran.source.display(), limit.as_secs());
    match (ran.exit, hangs) {
        (Exit::TimedOut, false) => eprintln!(
            "ch16-ui: {source} was killed after {secs} s, its time limit (`timeout:` in its header)"
        ),
        (Exit::TimedOut, true) => {}
        (exit, true) => eprintln!(
            "ch16-ui: {source} is expected to hang (`expect: hang`), but it finished after {:.1} s \
             with {}",
            ran.elapsed.as_secs_f64(),
            exit.describe()
        ),
        (_, false) => {}
    }
    let written = records.write(&records.run_path(&ran.krate), &ran);
    let written = written.and_then(|()| records.event(&ran.run, "run", &ran.krate));
    written.map_err(|e| fail!("could not record the run of {}: {e}", ran.krate))?;
    Ok(exit_code(ran.exit, hangs))
}

/// The runner's exit code, which trybuild judges: the program's own, except
/// that a program meant to hang passes by being still running at its limit,
/// and fails by finishing, whatever its code.
fn exit_code(exit: Exit, hangs: bool) -> i32 {
    match (exit, hangs) {
        (Exit::TimedOut, true) => 0,
        (Exit::TimedOut, false) => 124, // as `timeout` does
        (Exit::Code(0), true) => FINISHED,
        (Exit::Code(c), _) => c,
        (Exit::Signal(s), _) => 128 + s,
    }
}

/// The exit code for a program meant to hang that exited with 0.
const FINISHED: i32 = 1;

/// Whether `a` and `b` are one file: cargo hard-links the program, or copies it.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    if (ma.dev(), ma.ino()) == (mb.dev(), mb.ino()) {
        return true;
    }
    ma.len() == mb.len() && std::fs::read(a).ok() == std::fs::read(b).ok()
}

/// How the wait for a program ended.
enum Waited {
    /// It ended by itself.
    Ended,
    /// It was still running at its time limit.
    TimedOut,
    /// The runner was stopped by this signal, and gave the program its grace.
    Stopped(i32),
}

/// Wait for `program` to end, reach its `limit`, or be stopped: on a stop
/// it has already had SIGTERM, and gets [`stop::GRACE`] to end.
fn wait_for(program: &mut stop::Stoppable, start: Instant, limit: Duration) -> io::Result<Waited> {
    let mut stopped: Option<(i32, Instant)> = None;
    loop {
        if stopped.is_none() {
            stopped = stop::requested().map(|sig| (sig, Instant::now() + stop::GRACE));
        }
        let ended = program.ended()?;
        match stopped {
            Some((sig, by)) if ended || Instant::now() >= by => return Ok(Waited::Stopped(sig)),
            None if ended => return Ok(Waited::Ended),
            None if start.elapsed() >= limit => return Ok(Waited::TimedOut),
            _ => thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Run `cmd` to its end or its `limit`; then its process group goes, and
/// (Linux) whatever left it, so nothing left behind holds its output. The
/// same when the runner is stopped (its program gets [`stop::GRACE`] after
/// SIGTERM), which is `Err` with the signal; when the runner dies, its
/// program's group goes, and on Linux the program with it.
fn run_with_limit(
    mut cmd: Command,
    limit: Duration,
    run: String,
    krate: String,
    source: PathBuf,
) -> io::Result<Result<Execution, i32>> {
    let start = Instant::now();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    cmd.stderr(Stdio::piped());
    stop::install(stop::Role::Runner);
    let mut program = stop::spawn_tied(&mut cmd)?;
    let out = drain(program.0.stdout.take().expect("piped"));
    let err = drain(program.0.stderr.take().expect("piped"));
    let waited = wait_for(&mut program, start, limit)?;
    // Before the program is reaped, its group's id is still its own.
    program.kill_group();
    let status = program.wait()?;
    stop::kill_inherited();
    if let Waited::Stopped(sig) = waited {
        return Ok(Err(128 + sig));
    }
    // What escaped (elsewhere than Linux, what left the group) may hold the
    // pipes: not waited for long.
    let closed = Instant::now() + PIPES_CLOSE;
    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    #[cfg(not(unix))]
    let signal = None;
    let exit = match (waited, status.code()) {
        (Waited::TimedOut, _) => Exit::TimedOut,
        (_, Some(code)) => Exit::Code(code),
        (_, None) => Exit::Signal(signal.unwrap_or(0)),
    };
    Ok(Ok(Execution {
        run,
        krate,
        source,
        exit,
        stdout: out.text(closed),
        stderr: err.text(closed),
        elapsed: start.elapsed(),
    }))
}

/// The most a program's stdout, and its stderr, may count in bytes: beyond it
/// only the first and the last half are kept, with a line `[… N bytes cut …]`
/// between them, in the record, the logs and every report.
pub const OUTPUT_CEILING: usize = 4 << 20;

/// How long the pipes may stay open once the program's group is gone.
const PIPES_CLOSE: Duration = Duration::from_millis(500);

/// What is kept of a stream: its first half-ceiling, its last, and how
/// many bytes between them were dropped.
#[derive(Default)]
struct Capped {
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    cut: u64,
    half: usize,
}

impl Capped {
    fn new(ceiling: usize) -> Capped {
        let half = ceiling / 2;
        Capped {
            half,
            ..Capped::default()
        }
    }

    fn push(&mut self, mut bytes: &[u8]) {
        let room = self.half.saturating_sub(self.head.len()).min(bytes.len());
        self.head.extend_from_slice(&bytes[..room]);
        bytes = &bytes[room..];
        self.tail.extend(bytes);
        let over = self.tail.len().saturating_sub(self.half);
        self.tail.drain(..over);
        self.cut += over as u64;
    }

    fn text(&self) -> String {
        let head = String::from_utf8_lossy(&self.head);
        let tail = self.tail.iter().copied().collect::<Vec<u8>>();
        let tail = String::from_utf8_lossy(&tail);
        match self.cut {
            0 => format!("{head}{tail}"),
            cut => format!("{head}\n[… {cut} bytes cut …]\n{tail}"),
        }
    }
}

/// A pipe read on a thread of its own: what came so far, and its end.
struct Drained(Arc<Mutex<Capped>>, mpsc::Receiver<()>);

/// Read `pipe` to its end, on a thread of its own, keeping at most [`OUTPUT_CEILING`].
fn drain(mut pipe: impl Read + Send + 'static) -> Drained {
    let text = Arc::new(Mutex::new(Capped::new(OUTPUT_CEILING)));
    let (read, (ended, end)) = (Arc::clone(&text), mpsc::channel());
    thread::spawn(move || {
        let mut chunk = [0; 8192];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => read
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        drop(ended);
    });
    Drained(text, end)
}

impl Drained {
    /// What came through the pipe by its end or by `deadline`, whichever is first.
    fn text(self, deadline: Instant) -> String {
        let _ = self
            .1
            .recv_timeout(deadline.saturating_duration_since(Instant::now()));
        let text = self.0.lock().unwrap_or_else(|p| p.into_inner());
        text.text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_interruptions_and_artifacts_are_read() {
        let args = |l: &str| l.split(' ').map(OsString::from).collect::<Vec<_>>();
        let a = args("--crate-name trybuild003 -C extra-filename=-ab12 x.rs");
        assert_eq!(option(&a, "--crate-name", None), Some("trybuild003"));
        assert_eq!(option(&a, "-C", Some("extra-filename")), Some("-ab12"));
        let b = args("--crate-name=trybuild004 -Cextra-filename=-cd34 -C opt-level=0");
        assert_eq!(option(&b, "--crate-name", None), Some("trybuild004"));
        assert_eq!(option(&b, "-C", Some("extra-filename")), Some("-cd34"));
        assert_eq!(option(&b, "-C", Some("metadata")), None);
        let cut = "{\"message\":\"compilation was interrupted\"}\n";
        assert!(interrupted(1, cut) && !interrupted(0, "") && !interrupted(1, "error: x\n"));
        let stderr = "{\"artifact\":\"/t/x.d\",\"emit\":\"dep-info\"}\n\
                      {\"artifact\":\"/t/x\",\"emit\":\"link\"}\n";
        let (dep_info, program) = produced(stderr);
        assert_eq!(dep_info.unwrap(), Path::new("/t/x.d"));
        assert_eq!(program.unwrap(), Path::new("/t/x"));
    }

    /// A stream over the ceiling keeps its head and its tail, and says how
    /// much was cut; it never holds more than the ceiling while read.
    #[test]
    fn a_stream_is_kept_to_its_ceiling() {
        let mut kept = Capped::new(8);
        kept.push(b"abc");
        assert_eq!(kept.text(), "abc");
        for chunk in [&b"defg"[..], b"hijklmnop", b"q"] {
            kept.push(chunk);
            assert!(kept.head.len() + kept.tail.len() <= 8);
        }
        assert_eq!(kept.text(), "abcd\n[… 9 bytes cut …]\nnopq");
    }

    /// trybuild passes a program whose runner exits 0: a hang still running
    /// at its limit, never one that ended, however it ended.
    #[test]
    fn a_hang_passes_at_its_limit_and_fails_when_it_ends() {
        let cases = [
            (Exit::TimedOut, true, 0),
            (Exit::Code(0), true, FINISHED),
            (Exit::Code(3), true, 3),
            (Exit::Signal(6), true, 134),
            (Exit::TimedOut, false, 124),
            (Exit::Code(0), false, 0),
            (Exit::Signal(9), false, 137),
        ];
        for (exit, hangs, code) in cases {
            assert_eq!(exit_code(exit, hangs), code, "{exit:?}, hangs: {hangs}");
        }
        assert_ne!(FINISHED, 0);
    }
}
