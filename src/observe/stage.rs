//! Per-toolchain working directories, and staging fixtures for trybuild.
//!
//! trybuild compares a fixture only with `<fixture>.stderr` beside the path
//! it is given, and prints that path into the output. To give each compiler
//! its own expectation, and let two toolchains test at once, every fixture
//! is copied with the expectation selected for the running compiler into
//! `target/ui/<compiler>/stage/ui/…`. In the staged expectation the
//! fixture's own path `ui/…` is rewritten to the staged one, and back when
//! reading what trybuild wrote, so committed files always show `ui/…`.
//!
//! The staging tree is inside the crate (so trybuild prints it relative to
//! the crate) but outside trybuild's own target directories, which are
//! `target/ui/<compiler>/build` and `build-pass-N` (there it would print
//! absolute paths).

use crate::error::{Error, Result};
use crate::model::fixture::Fixture;
use std::path::{Path, PathBuf};

/// The working directories of one compiler.
#[derive(Clone, Debug)]
pub struct Workdirs {
    root: PathBuf,
    base: String,
}

impl Workdirs {
    /// Directories for the compiler keyed `key` (see `Rustc::key`) under the
    /// suite at `root`.
    pub fn new(root: &Path, key: &str) -> Workdirs {
        Workdirs {
            root: root.to_owned(),
            base: format!("target/ui/{key}"),
        }
    }

    /// Directories for a suite at `root` that is not the crate itself but
    /// lies inside `crate_dir` (generated suites, for the benchmark): paths
    /// handed to trybuild must stay relative to the crate.
    pub fn within(crate_dir: &Path, root: &Path, key: &str) -> Result<Workdirs> {
        let rel = root.strip_prefix(crate_dir).map_err(|_| Error::Checkout {
            problem: format!(
                "{}: a suite outside the crate ({}) cannot be staged for trybuild",
                root.display(),
                crate_dir.display()
            ),
            fix: "put the suite under the crate directory, e.g. in target/".into(),
        })?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        Ok(Workdirs {
            root: crate_dir.to_owned(),
            base: if rel.is_empty() {
                format!("target/ui/{key}")
            } else {
                format!("{rel}/target/ui/{key}")
            },
        })
    }

    /// The target directory (`CARGO_TARGET_DIR`) of trybuild's compile-fail
    /// batch.
    pub fn compile_fail_target(&self) -> PathBuf {
        self.root.join(&self.base).join("build")
    }

    /// The target directory of pass shard `n`.
    pub fn pass_target(&self, n: usize) -> PathBuf {
        self.root.join(&self.base).join(format!("build-pass-{n}"))
    }

    /// Make the first `n` pass shards' target directories ready to use, a new
    /// one as a copy of an existing one (timestamps kept, so cargo rebuilds
    /// nothing, and the records in it stay valid): how many are ready. With
    /// none existing, all are: each builds its dependencies on first use.
    pub fn seed_pass_targets(&self, n: usize) -> usize {
        let Some(existing) = (0..n).find(|&i| self.pass_target(i).is_dir()) else {
            return n;
        };
        (0..n)
            .take_while(|&i| {
                self.pass_target(i).is_dir()
                    || copy_dir(&self.pass_target(existing), &self.pass_target(i))
            })
            .count()
            .max(1)
    }

    /// Hold the working directories of this compiler for one run: runs on
    /// one compiler share the stage, trybuild's directories and the
    /// observer's records, so a second one waits for the first (saying so).
    /// The lock goes with the returned file.
    pub fn lock(&self) -> Result<std::fs::File> {
        let base = self.root.join(&self.base);
        std::fs::create_dir_all(&base).map_err(Error::io_on(&base))?;
        let path = base.join("lock");
        let file = std::fs::File::create(&path).map_err(Error::io_on(&path))?;
        if file.try_lock().is_err() {
            eprintln!(
                "waiting for another run of the suite on this compiler to finish ({})",
                path.display()
            );
            file.lock().map_err(Error::io_on(&path))?;
        }
        Ok(file)
    }

    /// How long each runnable fixture ran last time (see `schedule`).
    pub fn durations(&self) -> PathBuf {
        self.root.join(&self.base).join("durations")
    }

    /// The sysroot without std's sources (see [`crate::host::sysroot`]).
    pub fn shadow_sysroot(&self) -> PathBuf {
        self.root.join(&self.base).join("sysroot")
    }

    /// Where a run for `cargo xtask` leaves its report, for the xtask to
    /// read.
    pub fn report(&self) -> PathBuf {
        self.root.join(&self.base).join("report.json")
    }

    /// The staged copy of `fixture`, relative to the suite root (this is the
    /// path trybuild is given and prints).
    pub fn staged(&self, fixture: &Fixture) -> String {
        format!("{}/stage/{}", self.base, fixture.display_path())
    }

    /// The staged expectation beside the staged copy.
    pub fn staged_stderr(&self, fixture: &Fixture) -> PathBuf {
        self.root
            .join(self.staged(fixture))
            .with_extension("stderr")
    }

    /// Rewrite the fixture's own path into the staged one.
    pub fn to_staged(&self, fixture: &Fixture, text: &str) -> String {
        text.replace(&fixture.display_path(), &self.staged(fixture))
    }

    /// Rewrite the staged path back into the fixture's own: as trybuild
    /// prints it (relative to the crate), and as a program built from it
    /// names itself in a panic message (cargo compiles it by absolute path).
    pub fn from_staged(&self, fixture: &Fixture, text: &str) -> String {
        let absolute = self.root.join(self.staged(fixture));
        text.replace(absolute.to_string_lossy().as_ref(), &fixture.display_path())
            .replace(&self.staged(fixture), &fixture.display_path())
    }

    /// Copy `fixture` into the stage with `expected` as its `.stderr`, or
    /// with none. Files are only written when their content changes.
    pub(crate) fn stage(
        &self,
        fixture: &Fixture,
        source: &str,
        expected: Option<&str>,
    ) -> Result<String> {
        let staged = self.staged(fixture);
        let rs = self.root.join(&staged);
        if let Some(dir) = rs.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io_on(dir))?;
        }
        write_if_changed(&rs, source)?;
        let stderr = self.staged_stderr(fixture);
        match expected {
            Some(text) => write_if_changed(&stderr, &self.to_staged(fixture, text))?,
            None => match std::fs::remove_file(&stderr) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io_on(&stderr)(e));
                }
                _ => {}
            },
        }
        Ok(staged)
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(Error::io_on(path))
}

/// Copy the directory `from` to `to`, timestamps included; false if that
/// cannot be done here.
fn copy_dir(from: &Path, to: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let tmp = to.with_extension("seeding");
    let _ = std::fs::remove_dir_all(&tmp);
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(&tmp)
        .status()
        .is_ok_and(|s| s.success());
    copied && std::fs::rename(&tmp, to).is_ok()
}
