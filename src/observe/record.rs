//! What trybuild's compiles and runs of the fixtures said: written by the
//! observer (see [`crate::observe::observer`]) while trybuild's cargo works, read back
//! by the harness, which compiles and runs nothing itself.
//!
//! Each trybuild batch has its own target directory, and in it a records
//! directory ([`Records`]) holding:
//! * `<unit>.compile`, one per compile cargo makes of a fixture, named as
//!   its outputs are (crate and extra file name, `trybuild003-1a2b…`): the run it belongs to, the source, rustc's exit
//!   code and stderr (its JSON diagnostics), the program it built, and the
//!   size and time of the dependency file it wrote;
//! * `<bin>.run`, one per fixture program: the run, how it ended, its output;
//! * `events`, a line per compile and per run, to count and show progress.
//!
//! A compile record of the current run always counts. One of an earlier run
//! counts exactly as long as cargo keeps its outputs fresh: the compile
//! succeeded and its dependency file still has the recorded size and time
//! (rustc writes it on every compile and cargo leaves it alone, unlike the
//! metadata of a checked program, whose time cargo moves back). A failed
//! compile is never fresh: cargo compiles it again. The observer removes a
//! compile's old record before rustc starts and writes the new one, by
//! rename, only after rustc ended on its own, so an interrupted compile
//! leaves no record, and cargo compiles it again next time.

use crate::model::diagnostics::{self, Diagnostic};
use serde_json::{Value, json};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

/// The version of the records and of what the observer does; it is also
/// given to rustc as `--cfg ch16_ui_observer_N`, so that a change makes
/// cargo compile every fixture again instead of keeping artifacts whose
/// records no longer fit.
pub const PROTOCOL: u32 = 3;

/// The environment variable naming the records directory of a batch.
pub const RECORDS_ENV: &str = "CH16_UI_RECORDS";
/// The environment variable naming the current run.
pub const RUN_ENV: &str = "CH16_UI_RUN";

/// One batch's records directory.
#[derive(Clone, Debug)]
pub struct Records {
    /// The directory.
    pub dir: PathBuf,
}

/// What one compile of a fixture gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compile {
    /// The run it was made in.
    pub run: String,
    /// The crate trybuild named the fixture's program (`trybuild003`).
    pub krate: String,
    /// The source rustc compiled (the staged fixture).
    pub source: PathBuf,
    /// rustc's exit code.
    pub code: i32,
    /// rustc's stderr: JSON diagnostics, and anything else it printed.
    pub stderr: String,
    /// The dependency file it wrote, if it succeeded: its identity is
    /// this compile's.
    pub dep_info: Option<Artifact>,
    /// The program it built (relative to the batch's target directory), if
    /// it linked one.
    pub program: Option<PathBuf>,
}

/// A file produced by a compile, as it was when recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// Relative to the batch's target directory (the records' parent),
    /// so that a copied target directory keeps valid records.
    pub path: PathBuf,
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: u128,
}

/// How a fixture's program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it.
    Signal(i32),
    /// It was killed at its time limit.
    TimedOut,
}

/// One run of a fixture's program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    /// The run it was made in.
    pub run: String,
    /// The program's crate name (`trybuild003`).
    pub krate: String,
    /// The source it was built from.
    pub source: PathBuf,
    /// How it ended.
    pub exit: Exit,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
}

/// What trybuild's compile (and run) of one fixture gave, as the checks
/// see it.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Whether rustc succeeded.
    pub compiled: bool,
    /// Diagnostics in the fixture.
    pub diagnostics: Vec<Diagnostic>,
    /// Compiler failures that are not diagnostics (an ICE, …), verbatim.
    pub compiler_trouble: Option<String>,
    /// Present when the fixture is runnable and compiled.
    pub run: Option<Execution>,
    /// How many times rustc compiled it in this run (0: cargo kept it).
    pub compiles: usize,
    /// rustc's stderr as recorded: its JSON diagnostics, suggestions included.
    pub stderr: String,
}

impl Exit {
    /// `exit status: 3`, as the standard library words it.
    pub fn describe(self) -> String {
        match self {
            Exit::Code(c) => format!("exit status: {c}"),
            Exit::Signal(s) => format!("signal: {s}"),
            Exit::TimedOut => "killed at its time limit".into(),
        }
    }
}

impl Artifact {
    /// The artifact at `path` (under `base`) as it is now.
    pub fn identify(base: &Path, path: &Path) -> io::Result<Artifact> {
        let meta = fs::metadata(path)?;
        let modified = meta
            .modified()?
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(Artifact {
            path: path.strip_prefix(base).unwrap_or(path).to_owned(),
            len: meta.len(),
            modified,
        })
    }

    /// Is the artifact still as recorded (so cargo kept it)?
    pub fn is_current(&self, base: &Path) -> bool {
        Artifact::identify(base, &base.join(&self.path)).is_ok_and(|now| now == *self)
    }
}

impl Records {
    /// The records directory of the batch whose target directory is `target`.
    pub fn of(target: &Path) -> Records {
        Records {
            dir: target.join("ch16-records"),
        }
    }

    /// The batch's target directory, which artifact paths are relative to.
    pub fn base(&self) -> &Path {
        self.dir.parent().unwrap_or(&self.dir)
    }

    /// Where the record of the compile producing `key` (`trybuild003-1a2b…`) goes.
    pub fn compile_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.compile"))
    }

    /// Where the record of running `krate` goes.
    pub fn run_path(&self, krate: &str) -> PathBuf {
        self.dir.join(format!("{krate}.run"))
    }

    /// Write `text` at `path` whole or not at all.
    pub fn write(&self, path: &Path, text: &str) -> io::Result<()> {
        crate::host::fsutil::write_atomic(path, text)
    }

    /// Note that `what` (`compile` or `run`) happened to `krate` in `run`.
    pub fn event(&self, run: &str, what: &str, krate: &str) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let mut file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("events"))?;
        // One write of one short line: appends from several processes do not mix.
        file.write_all(format!("{run}\t{what}\t{krate}\n").as_bytes())
    }

    /// Start a new run's events: they are only counted, never judged, so
    /// the file need not outlive the run that reads it.
    pub fn clear_events(&self) {
        let _ = fs::remove_file(self.dir.join("events"));
    }

    /// How many times `what` happened to each crate in `run`.
    pub fn events(&self, run: &str, what: &str) -> Vec<String> {
        fs::read_to_string(self.dir.join("events"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let ok = parts.next() == Some(run) && parts.next() == Some(what);
                ok.then(|| parts.next().unwrap_or_default().to_string())
            })
            .collect()
    }

    /// Every readable compile record of `krate`.
    pub fn compiles(&self, krate: &str) -> Vec<Compile> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                let key = name.strip_suffix(".compile")?;
                let named = key == krate || key.strip_prefix(krate)?.starts_with('-');
                named.then_some(())?;
                Compile::from_json(&fs::read_to_string(self.compile_path(key)).ok()?)
            })
            .collect()
    }

    /// The record of running `krate`, if there is a readable one.
    pub fn execution(&self, krate: &str) -> Option<Execution> {
        Execution::from_json(&fs::read_to_string(self.run_path(krate)).ok()?)
    }

    /// What trybuild's compile and run of the fixture at `source`, its crate
    /// named `krate`, gave in `run`; or what could not be observed.
    pub fn outcome(
        &self,
        run: &str,
        krate: &str,
        source: &Path,
        runnable: bool,
    ) -> Result<Outcome, Unobserved> {
        let compiles = self.events(run, "compile");
        let compiles = compiles.iter().filter(|k| *k == krate).count();
        let compile = self
            .compiles(krate)
            .into_iter()
            .filter(|c| c.source == source)
            .filter(|c| {
                c.run == run
                    || (c.code == 0
                        && c.dep_info
                            .as_ref()
                            .is_some_and(|a| a.is_current(self.base())))
            })
            .max_by_key(|c| (c.run == run, c.dep_info.as_ref().map(|a| a.modified)))
            .ok_or_else(|| Unobserved::NotCompiled {
                records: self.dir.clone(),
                krate: krate.to_string(),
            })?;
        let compiled = compile.code == 0;
        let execution = if runnable && compiled {
            let execution = self
                .execution(krate)
                .filter(|e| e.run == run && e.source == source)
                .ok_or_else(|| Unobserved::NotRun {
                    records: self.dir.clone(),
                    krate: krate.to_string(),
                })?;
            Some(execution)
        } else {
            None
        };
        let stderr = compile.stderr.as_str();
        let diagnostics = diagnostics::parse(stderr);
        let trouble: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with('{') && !l.trim().is_empty())
            .collect();
        let compiler_trouble =
            (!trouble.is_empty() || (!compiled && diagnostics.is_empty())).then(|| {
                if trouble.is_empty() {
                    stderr.to_string()
                } else {
                    trouble.join("\n")
                }
            });
        Ok(Outcome {
            compiled,
            diagnostics,
            compiler_trouble,
            run: execution,
            compiles,
            stderr: stderr.to_string(),
        })
    }
}

/// Why a fixture's outcome could not be read from the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unobserved {
    /// No valid compile record: trybuild's cargo did not compile it.
    NotCompiled {
        /// The records directory.
        records: std::path::PathBuf,
        /// trybuild's name for the fixture's crate.
        krate: String,
    },
    /// It compiled, but its program was not run in this run.
    NotRun {
        /// The records directory.
        records: std::path::PathBuf,
        /// trybuild's name for the fixture's crate.
        krate: String,
    },
}

impl std::fmt::Display for Unobserved {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Unobserved::NotCompiled { records, krate } => write!(
                f,
                "trybuild's cargo did not compile it in this run, and no earlier compile of it is \
                 still valid (no record in {} for `{krate}`)",
                records.display()
            ),
            Unobserved::NotRun { records, krate } => write!(
                f,
                "it compiled, but trybuild did not run the program in this run (no record in {} for `{krate}`)",
                records.display()
            ),
        }
    }
}

impl Compile {
    /// The record as JSON.
    pub fn to_json(&self) -> String {
        json!({
            "protocol": PROTOCOL,
            "run": self.run,
            "crate": self.krate,
            "source": self.source,
            "code": self.code,
            "stderr": self.stderr,
            "dep-info": self.dep_info.as_ref().map(|a| json!({
                "path": a.path,
                "len": a.len,
                "modified": a.modified.to_string(),
            })),
            "program": self.program,
        })
        .to_string()
    }

    /// Read a record; `None` if it is not one of this protocol.
    pub fn from_json(text: &str) -> Option<Compile> {
        let v: Value = serde_json::from_str(text).ok()?;
        (v["protocol"].as_u64()? == u64::from(PROTOCOL)).then_some(())?;
        let dep_info = match &v["dep-info"] {
            Value::Null => None,
            a => Some(Artifact {
                path: a["path"].as_str()?.into(),
                len: a["len"].as_u64()?,
                modified: a["modified"].as_str()?.parse().ok()?,
            }),
        };
        Some(Compile {
            run: v["run"].as_str()?.into(),
            krate: v["crate"].as_str()?.into(),
            source: v["source"].as_str()?.into(),
            code: i32::try_from(v["code"].as_i64()?).ok()?,
            stderr: v["stderr"].as_str()?.into(),
            dep_info,
            program: v["program"].as_str().map(PathBuf::from),
        })
    }
}

impl Execution {
    /// The record as JSON.
    pub fn to_json(&self) -> String {
        let (how, value) = match self.exit {
            Exit::Code(c) => ("code", c),
            Exit::Signal(s) => ("signal", s),
            Exit::TimedOut => ("timed-out", 0),
        };
        json!({
            "protocol": PROTOCOL,
            "run": self.run,
            "crate": self.krate,
            "source": self.source,
            "exit": how,
            "value": value,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "elapsed-ms": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
        })
        .to_string()
    }

    /// Read a record; `None` if it is not one of this protocol.
    pub fn from_json(text: &str) -> Option<Execution> {
        let v: Value = serde_json::from_str(text).ok()?;
        (v["protocol"].as_u64()? == u64::from(PROTOCOL)).then_some(())?;
        let value = i32::try_from(v["value"].as_i64()?).ok()?;
        let exit = match v["exit"].as_str()? {
            "code" => Exit::Code(value),
            "signal" => Exit::Signal(value),
            "timed-out" => Exit::TimedOut,
            _ => return None,
        };
        Some(Execution {
            run: v["run"].as_str()?.into(),
            krate: v["crate"].as_str()?.into(),
            source: v["source"].as_str()?.into(),
            exit,
            stdout: v["stdout"].as_str()?.into(),
            stderr: v["stderr"].as_str()?.into(),
            elapsed: Duration::from_millis(v["elapsed-ms"].as_u64()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> Records {
        let dir = std::env::temp_dir().join(format!("ch16-record-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Records::of(&dir)
    }

    fn compile(run: &str, code: i32, dep_info: Option<Artifact>) -> Compile {
        Compile {
            run: run.into(),
            krate: "trybuild003".into(),
            source: "/s/ui/a.rs".into(),
            code,
            stderr: "{\"level\":\"warning\"}\n".into(),
            dep_info,
            program: Some("debug/deps/trybuild003-x".into()),
        }
    }

    #[test]
    fn records_read_back_as_written() {
        let records = scratch("round-trip");
        let c = compile("r1", 0, None);
        let e = Execution {
            run: "r1".into(),
            krate: "trybuild003".into(),
            source: "/s/ui/a.rs".into(),
            exit: Exit::Signal(9),
            stdout: "a\n\"b\"\n".into(),
            stderr: String::new(),
            elapsed: Duration::from_millis(1500),
        };
        assert_eq!(Compile::from_json(&c.to_json()), Some(c.clone()));
        assert_eq!(Execution::from_json(&e.to_json()), Some(e));
        // Another protocol's record is not read.
        let old = c
            .to_json()
            .replace(&format!("\"protocol\":{PROTOCOL}"), "\"protocol\":0");
        assert_eq!(Compile::from_json(&old), None);
        fs::remove_dir_all(records.base()).unwrap();
    }

    #[test]
    fn an_earlier_compile_counts_only_while_its_artifact_is_unchanged() {
        let records = scratch("fresh");
        let base = records.base().to_owned();
        let exe = base.join("trybuild003-x");
        fs::write(&exe, "program").unwrap();
        let artifact = Artifact::identify(&base, &exe).unwrap();
        assert_eq!(artifact.path, Path::new("trybuild003-x"));
        let ok = compile("earlier", 0, Some(artifact));
        let path = records.compile_path("trybuild003-x");
        records.write(&path, &ok.to_json()).unwrap();
        let source = Path::new("/s/ui/a.rs");
        let outcome = records
            .outcome("now", "trybuild003", source, false)
            .unwrap();
        assert!(outcome.compiled && outcome.compiles == 0);
        // Another fixture at the same position is not this one.
        assert!(
            records
                .outcome("now", "trybuild003", Path::new("/s/ui/b.rs"), false)
                .is_err()
        );
        // Rewritten by something that was not observed, same size, later
        // time: the record is stale.
        let later = fs::metadata(&exe).unwrap().modified().unwrap() + Duration::from_secs(1);
        fs::write(&exe, "PROGRAM").unwrap();
        fs::File::options()
            .write(true)
            .open(&exe)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let err = records
            .outcome("now", "trybuild003", source, false)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("trybuild's cargo did not compile it in this run"),
            "{err}"
        );
        // A failed compile counts only in its own run.
        records
            .write(&path, &compile("earlier", 1, None).to_json())
            .unwrap();
        assert!(
            records
                .outcome("now", "trybuild003", source, false)
                .is_err()
        );
        assert!(
            !records
                .outcome("earlier", "trybuild003", source, false)
                .unwrap()
                .compiled
        );
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_program_must_have_run_in_this_run() {
        let records = scratch("run");
        let source = Path::new("/s/ui/a.rs");
        let path = records.compile_path("trybuild003-x");
        records
            .write(&path, &compile("now", 0, None).to_json())
            .unwrap();
        records.event("now", "compile", "trybuild003").unwrap();
        let err = records
            .outcome("now", "trybuild003", source, true)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("it compiled, but trybuild did not run the program"),
            "{err}"
        );
        let e = Execution {
            run: "now".into(),
            krate: "trybuild003".into(),
            source: source.into(),
            exit: Exit::Code(0),
            stdout: "hi\n".into(),
            stderr: String::new(),
            elapsed: Duration::ZERO,
        };
        records
            .write(&records.run_path("trybuild003"), &e.to_json())
            .unwrap();
        let outcome = records.outcome("now", "trybuild003", source, true).unwrap();
        assert_eq!(
            (outcome.run.unwrap().stdout.as_str(), outcome.compiles),
            ("hi\n", 1)
        );
        fs::remove_dir_all(records.base()).unwrap();
    }
}
