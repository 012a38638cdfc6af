//! What trybuild's compiles and runs of the fixtures said: written by the
//! observer while trybuild's cargo works, read back by the harness, which
//! compiles and runs nothing itself.
//!
//! Each batch has its own target directory, and in it a records directory
//! ([`Records`]) holding `<unit>.compile` for each compile cargo makes of a
//! fixture (named as its outputs are, `trybuild003-1a2b…`), `<bin>.run` for
//! each run of a program, and `events`, a line per compile and run.
//!
//! A compile record of the current run always counts; one of an earlier run
//! counts exactly as long as cargo keeps its outputs: the compile
//! succeeded and its dependency file still has the recorded size and time
//! (rustc writes it on every compile and cargo leaves it alone). A failed
//! compile is never fresh: cargo compiles it again. The observer removes a
//! compile's old record before rustc starts and writes the new one only
//! after rustc ended on its own, so an interrupted compile leaves no record.

use crate::model::annotation::{self, Diagnostic};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

/// The version of the records and of what the observer does; also given to
/// rustc as `--cfg ch16_ui_observer_N`, so that a change makes cargo compile
/// every fixture again instead of keeping artifacts with records that no
/// longer fit.
pub(crate) const PROTOCOL: u32 = 4;

/// The variable naming a batch's records directory.
pub const RECORDS_ENV: &str = "CH16_UI_RECORDS";
/// The variable naming the current run.
pub const RUN_ENV: &str = "CH16_UI_RUN";

/// One batch's records directory.
#[derive(Clone, Debug)]
pub struct Records {
    /// The directory.
    pub dir: PathBuf,
}

/// What one compile of a fixture gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compile {
    /// The run it was made in.
    pub run: String,
    /// The crate trybuild named the fixture's program.
    pub krate: String,
    /// The source rustc compiled (the staged fixture).
    pub source: PathBuf,
    /// rustc's exit code.
    pub code: i32,
    /// rustc's stderr: JSON diagnostics, and anything else it printed.
    pub stderr: String,
    /// The dependency file it wrote, if it succeeded: its identity is this
    /// compile's.
    pub dep_info: Option<Artifact>,
    /// The program it linked, from the batch's target directory.
    pub program: Option<PathBuf>,
}

/// A file a compile produced, as it was when recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// From the batch's target directory, so that a copied target
    /// directory keeps valid records.
    pub path: PathBuf,
    /// Its size in bytes.
    pub len: u64,
    /// Its modification time, since the epoch.
    pub modified: Duration,
}

/// How a fixture's program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it.
    Signal(i32),
    /// It was killed at its time limit.
    TimedOut,
}

/// One run of a fixture's program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Execution {
    /// The run it was made in.
    pub run: String,
    /// The program's crate name.
    pub krate: String,
    /// The source it was built from.
    pub source: PathBuf,
    /// How it ended.
    pub exit: Exit,
    /// What it wrote to stdout.
    pub stdout: String,
    /// What it wrote to stderr.
    pub stderr: String,
    /// How long the suite waited for it.
    pub elapsed: Duration,
}

/// What trybuild's compile (and run) of one fixture gave, as the checks see it.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Whether rustc succeeded.
    pub compiled: bool,
    /// Its diagnostics in the fixture.
    pub diagnostics: Vec<Diagnostic>,
    /// What rustc printed that is no diagnostic (an ICE, …), verbatim.
    pub compiler_trouble: Option<String>,
    /// The run, for a runnable fixture that compiled.
    pub run: Option<Execution>,
    /// How many times rustc compiled it in this run (0: cargo kept it).
    pub compiles: usize,
    /// rustc's stderr as recorded, suggestions included.
    pub stderr: String,
}

/// A record on disk: the protocol it was written with, and the record.
#[derive(Serialize, Deserialize)]
struct Stamped<T> {
    protocol: u32,
    #[serde(flatten)]
    record: T,
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
        Ok(Artifact {
            path: path.strip_prefix(base).unwrap_or(path).to_owned(),
            len: meta.len(),
            modified: meta
                .modified()?
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
        })
    }

    /// Whether it is still as recorded (so cargo kept it).
    fn is_current(&self, base: &Path) -> bool {
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

    /// The batch's target directory, which artifact paths start from.
    pub fn base(&self) -> &Path {
        self.dir.parent().unwrap_or(&self.dir)
    }

    /// Where the record of the compile producing `key` goes.
    pub fn compile_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.compile"))
    }

    /// Where the record of running `krate` goes.
    pub fn run_path(&self, krate: &str) -> PathBuf {
        self.dir.join(format!("{krate}.run"))
    }

    /// Write `record` at `path`, whole or not at all.
    pub fn write<T: Serialize + Clone>(&self, path: &Path, record: &T) -> io::Result<()> {
        let stamped = Stamped {
            protocol: PROTOCOL,
            record: record.clone(),
        };
        let text = serde_json::to_string(&stamped).map_err(io::Error::other)?;
        crate::host::write_atomic(path, &text)
    }

    /// The record at `path`, if it is one of this protocol.
    fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
        let stamped: Stamped<T> = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
        (stamped.protocol == PROTOCOL).then_some(stamped.record)
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

    /// Start a new run's events (they are counted, never judged).
    pub(crate) fn clear_events(&self) {
        let _ = fs::remove_file(self.dir.join("events"));
    }

    /// The crates `what` happened to in `run`, once per time.
    pub(crate) fn events(&self, run: &str, what: &str) -> Vec<String> {
        let text = fs::read_to_string(self.dir.join("events")).unwrap_or_default();
        text.lines()
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
                (key == krate || key.strip_prefix(krate)?.starts_with('-')).then_some(())?;
                Records::read(&self.compile_path(key))
            })
            .collect()
    }

    /// The record of running `krate`, if there is one.
    pub fn execution(&self, krate: &str) -> Option<Execution> {
        Records::read(&self.run_path(krate))
    }

    /// What the compile (and run) of the fixture at `source`, its crate
    /// named `krate`, gave in `run`; or why that cannot be known.
    pub(crate) fn outcome(
        &self,
        run: &str,
        krate: &str,
        source: &Path,
        runnable: bool,
    ) -> Result<Outcome, String> {
        let compiles = self
            .events(run, "compile")
            .iter()
            .filter(|k| *k == krate)
            .count();
        let dir = self.dir.display();
        let valid = |c: &Compile| {
            c.run == run
                || c.code == 0
                    && c.dep_info
                        .as_ref()
                        .is_some_and(|a| a.is_current(self.base()))
        };
        let compile = self
            .compiles(krate)
            .into_iter()
            .filter(|c| c.source == source && valid(c))
            .max_by_key(|c| (c.run == run, c.dep_info.as_ref().map(|a| a.modified)))
            .ok_or_else(|| {
                format!(
                    "trybuild's cargo did not compile it in this run, and no earlier compile of it is \
                     still valid (no record in {dir} for `{krate}`)"
                )
            })?;
        let compiled = compile.code == 0;
        let run = match runnable && compiled {
            true => Some(self.execution(krate).filter(|e| e.run == run && e.source == source).ok_or_else(|| {
                format!("it compiled, but trybuild did not run the program in this run (no record in {dir} for `{krate}`)")
            })?),
            false => None,
        };
        let diagnostics = annotation::diagnostics(&compile.stderr);
        let trouble: Vec<&str> = compile
            .stderr
            .lines()
            .filter(|l| !l.starts_with('{') && !l.trim().is_empty())
            .collect();
        let compiler_trouble = match (trouble.is_empty(), !compiled && diagnostics.is_empty()) {
            (false, _) => Some(trouble.join("\n")),
            (true, true) => Some(compile.stderr.clone()),
            (true, false) => None,
        };
        Ok(Outcome {
            compiled,
            diagnostics,
            compiler_trouble,
            run,
            compiles,
            stderr: compile.stderr,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_counts_in_its_run_or_while_its_artifact_is_unchanged() {
        let base = std::env::temp_dir().join(format!("ch16-record-{}", std::process::id()));
        let records = Records::of(&base);
        fs::create_dir_all(&records.dir).unwrap();
        let exe = base.join("trybuild003-x");
        fs::write(&exe, "program").unwrap();
        let compile = |run: &str, code, dep_info| Compile {
            run: run.into(),
            krate: "trybuild003".into(),
            source: "/s/ui/a.rs".into(),
            code,
            stderr: "{\"level\":\"warning\"}\n".into(),
            dep_info,
            program: Some("trybuild003-x".into()),
        };
        let path = records.compile_path("trybuild003-x");
        let artifact = Artifact::identify(&base, &exe).unwrap();
        records
            .write(&path, &compile("earlier", 0, Some(artifact)))
            .unwrap();
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
        // Rewritten by something nobody observed: the record is stale.
        let later = fs::metadata(&exe).unwrap().modified().unwrap() + Duration::from_secs(1);
        fs::write(&exe, "PROGRAM").unwrap();
        fs::File::options()
            .write(true)
            .open(&exe)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert!(
            records
                .outcome("now", "trybuild003", source, false)
                .is_err()
        );
        // A failed compile counts only in its own run; a program must have run in this run.
        records.write(&path, &compile("earlier", 1, None)).unwrap();
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
        records.write(&path, &compile("now", 0, None)).unwrap();
        let e = records
            .outcome("now", "trybuild003", source, true)
            .unwrap_err();
        assert!(
            e.starts_with("it compiled, but trybuild did not run the program"),
            "{e}"
        );
        fs::remove_dir_all(&base).unwrap();
    }
}
