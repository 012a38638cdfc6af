//! What the fixtures' compiles and runs said, in a batch's `ch16-records/`:
//! `<unit>.compile` (`trybuild003-1a2b…`), `<bin>.run`, and `events`, a line each.
//! A compile of an earlier run counts while cargo keeps its outputs: it succeeded
//! and its dependency file (rewritten by each compile) is unchanged.

use crate::model::annotation::{self, Diagnostic};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

/// The version of the records and of what the observer does; given to rustc
/// (`--cfg ch16_ui_observer_N`) so that a new one makes cargo compile again.
pub(crate) const PROTOCOL: u32 = 5;

/// The variable naming a batch's records directory.
pub const RECORDS_ENV: &str = "CH16_UI_RECORDS";
/// The variable naming the current run.
pub const RUN_ENV: &str = "CH16_UI_RUN";

/// One batch's records directory.
#[derive(Clone, Debug)]
pub struct Records {
    /// The directory: `<target>/ch16-records`.
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
    /// The dependency file a success wrote: the compile's identity.
    pub dep_info: Option<Artifact>,
    /// The program it linked, from the batch's target directory.
    pub program: Option<PathBuf>,
}

/// A file a compile produced, as it was when recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// From the batch's target directory (a copy keeps valid records).
    pub path: PathBuf,
    /// Its size in bytes.
    pub len: u64,
    /// Its modification time, since the epoch.
    pub modified: Duration,
}

/// How a fixture's program ended: its code, a signal, or killed at its time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
}

/// One run of a fixture's program (`elapsed`: how long the suite waited for it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Execution {
    pub(crate) run: String,
    pub(crate) krate: String,
    pub(crate) source: PathBuf,
    pub(crate) exit: Exit,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
}

/// What trybuild's compile (and run) of one fixture gave, as the checks see it.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) compiled: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// What rustc printed that is no diagnostic (an ICE, …), verbatim.
    pub(crate) compiler_trouble: Option<String>,
    /// The run, for a runnable fixture that compiled.
    pub(crate) run: Option<Execution>,
    /// How many times rustc compiled it in this run (0: cargo kept it).
    pub(crate) compiles: usize,
    /// rustc's stderr as recorded, suggestions included.
    pub(crate) stderr: String,
}

impl Exit {
    /// `exit status: 3`, as the standard library words it.
    pub(crate) fn describe(self) -> String {
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
        let modified = meta.modified()?.duration_since(UNIX_EPOCH);
        Ok(Artifact {
            path: path.strip_prefix(base).unwrap_or(path).to_owned(),
            len: meta.len(),
            modified: modified.unwrap_or_default(),
        })
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

    /// Write `record` at `path` with the protocol, whole or not at all.
    pub fn write<T: Serialize + Clone>(&self, path: &Path, record: &T) -> io::Result<()> {
        let text = serde_json::to_string(&(PROTOCOL, record)).map_err(io::Error::other)?;
        crate::host::write_atomic(path, &text)
    }

    /// The record at `path`, if it is one of this protocol.
    fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
        let (protocol, record): (u32, T) =
            serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
        (protocol == PROTOCOL).then_some(record)
    }

    /// Note that `what` (`compile` or `run`) happened to `krate` in `run`.
    pub fn event(&self, run: &str, what: &str, krate: &str) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let events = self.dir.join("events");
        let mut file = fs::File::options().append(true).create(true).open(events)?;
        // One write of one short line: appends from several processes do not mix.
        file.write_all(format!("{run}\t{what}\t{krate}\n").as_bytes())
    }

    /// Start a new run's events (counted, never judged).
    pub(crate) fn clear_events(&self) {
        let _ = fs::remove_file(self.dir.join("events"));
    }

    /// The crates `what` happened to in `run`, once per time.
    pub(crate) fn events(&self, run: &str, what: &str) -> Vec<String> {
        let text = fs::read_to_string(self.dir.join("events")).unwrap_or_default();
        let prefix = format!("{run}\t{what}\t");
        let krate = |l: &str| Some(l.strip_prefix(&prefix)?.to_string());
        text.lines().filter_map(krate).collect()
    }

    /// Every readable compile record of `krate`.
    pub fn compiles(&self, krate: &str) -> Vec<Compile> {
        let entries = fs::read_dir(&self.dir).into_iter().flatten().flatten();
        let record = |e: fs::DirEntry| {
            let name = e.file_name().into_string().ok()?;
            let key = name.strip_suffix(".compile")?;
            (key == krate || key.strip_prefix(krate)?.starts_with('-')).then_some(())?;
            Records::read(&self.compile_path(key))
        };
        entries.filter_map(record).collect()
    }

    /// What the compile (and run) of `krate` from `source` gave in `run`, or why unknown.
    pub(crate) fn outcome(
        &self,
        run: &str,
        krate: &str,
        source: &Path,
        runnable: bool,
    ) -> Result<Outcome, String> {
        let dir = self.dir.display();
        let missing = |what: &str| format!("{what} (no record in {dir} for `{krate}`)");
        let base = self.base();
        let kept =
            |a: &Artifact| Artifact::identify(base, &base.join(&a.path)).is_ok_and(|now| now == *a);
        let valid = |c: &Compile| {
            let kept = c.dep_info.as_ref().is_some_and(kept);
            c.source == source && (c.run == run || c.code == 0 && kept)
        };
        let newest = |c: &Compile| (c.run == run, c.dep_info.as_ref().map(|a| a.modified));
        let compiles = self.compiles(krate);
        let compile = compiles.into_iter().filter(valid).max_by_key(newest);
        let untold = "trybuild's cargo did not compile it in this run, and no earlier compile of \
                      it is still valid";
        let compile = compile.ok_or_else(|| missing(untold))?;
        let compiled = compile.code == 0;
        let ran = Records::read(&self.run_path(krate));
        let ran = ran.filter(|e: &Execution| e.run == run && e.source == source);
        let unrun = "it compiled, but trybuild did not run the program in this run";
        let ran = (runnable && compiled).then(|| ran.ok_or_else(|| missing(unrun)));
        let ran = ran.transpose()?;
        let diagnostics = annotation::diagnostics(&compile.stderr);
        let plain = |l: &&str| !l.starts_with('{') && !l.trim().is_empty();
        let trouble: Vec<&str> = compile.stderr.lines().filter(plain).collect();
        let compiler_trouble = (!trouble.is_empty()).then(|| trouble.join("\n"));
        let silent = !compiled && diagnostics.is_empty();
        let compiled_now = self.events(run, "compile");
        Ok(Outcome {
            compiled,
            compiler_trouble: compiler_trouble.or_else(|| silent.then(|| compile.stderr.clone())),
            diagnostics,
            run: ran,
            compiles: compiled_now.iter().filter(|k| *k == krate).count(),
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
        let (records, exe) = (Records::of(&base), base.join("trybuild003-x"));
        fs::create_dir_all(&records.dir).unwrap();
        fs::write(&exe, "program").unwrap();
        let path = records.compile_path("trybuild003-x");
        let write = |run: &str, code, dep_info| {
            let compile = Compile {
                run: run.into(),
                krate: "trybuild003".into(),
                source: "/s/ui/a.rs".into(),
                code,
                stderr: "{\"level\":\"warning\"}\n".into(),
                dep_info,
                program: Some("trybuild003-x".into()),
            };
            records.write(&path, &compile).unwrap();
        };
        let outcome = |run, source: &str, runnable| {
            records.outcome(run, "trybuild003", Path::new(source), runnable)
        };
        write("earlier", 0, Some(Artifact::identify(&base, &exe).unwrap()));
        let kept = outcome("now", "/s/ui/a.rs", false).unwrap();
        assert!(kept.compiled && kept.compiles == 0);
        // Another fixture at the same position is not this one.
        assert!(outcome("now", "/s/ui/b.rs", false).is_err());
        // Touched by something nobody observed: the record is stale.
        let later = fs::metadata(&exe).unwrap().modified().unwrap() + Duration::from_secs(1);
        let file = fs::File::options().write(true).open(&exe).unwrap();
        file.set_modified(later).unwrap();
        assert!(outcome("now", "/s/ui/a.rs", false).is_err());
        // A failed compile counts only in its own run; a program must have run in this run.
        write("earlier", 1, None);
        assert!(outcome("now", "/s/ui/a.rs", false).is_err());
        assert!(!outcome("earlier", "/s/ui/a.rs", false).unwrap().compiled);
        write("now", 0, None);
        let e = outcome("now", "/s/ui/a.rs", true).unwrap_err();
        assert!(e.starts_with("it compiled, but trybuild did not"), "{e}");
        fs::remove_dir_all(&base).unwrap();
    }
}
