//! Per-compiler working directories, and staging fixtures for trybuild.
//!
//! trybuild compares a fixture only with `<fixture>.stderr` beside the path
//! it is given, and prints that path into the output. So that each compiler
//! has its own expectation, and two compilers can test at once, every
//! fixture is copied with the expectation for the running compiler into
//! `target/ui/<compiler>/stage/ui/…`; its own path `ui/…` is rewritten to
//! the staged one in the expectation, and back in what trybuild says, so
//! committed files always show `ui/…`. The stage is inside the crate (so
//! trybuild prints its paths relative to the crate) but outside trybuild's
//! target directories (where it would print them whole).

use crate::error::{Error, Result};
use crate::model::fixture::Fixture;
use std::fs;
use std::path::{Path, PathBuf};

/// The working directories of one compiler.
#[derive(Clone, Debug)]
pub struct Workdirs {
    /// `<crate>/<suite>/target/ui/<compiler>`.
    dir: PathBuf,
    /// The same from the crate, as trybuild is given paths.
    base: String,
}

impl Workdirs {
    /// The directories of the compiler keyed `key` (see `Rustc::key`) for
    /// the suite at `root`, which is the crate or lies inside `crate_dir`
    /// (the paths given to trybuild stay relative to the crate).
    pub fn within(crate_dir: &Path, root: &Path, key: &str) -> Result<Workdirs> {
        let rel = root.strip_prefix(crate_dir).map_err(|_| Error::Checkout {
            problem: format!(
                "{}: a suite outside the crate ({}) cannot be staged for trybuild",
                root.display(),
                crate_dir.display()
            ),
            fix: "put the suite under the crate directory, e.g. in target/".into(),
        })?;
        let base = rel.join("target/ui").join(key);
        Ok(Workdirs {
            dir: crate_dir.join(&base),
            base: base.to_string_lossy().replace('\\', "/"),
        })
    }

    /// The target directory of trybuild's compile-fail batch.
    pub fn compile_fail_target(&self) -> PathBuf {
        self.dir.join("build")
    }

    /// The target directory of pass shard `n`.
    pub fn pass_target(&self, n: usize) -> PathBuf {
        self.dir.join(format!("build-pass-{n}"))
    }

    /// How long each runnable fixture ran last time (see `schedule`).
    pub fn durations(&self) -> PathBuf {
        self.dir.join("durations")
    }

    /// The sysroot without std's sources (see [`crate::host::sysroot`]).
    pub fn shadow_sysroot(&self) -> PathBuf {
        self.dir.join("sysroot")
    }

    /// Where a collecting run leaves its report when not told where.
    pub fn report(&self) -> PathBuf {
        self.dir.join("report.json")
    }

    /// Make the first `n` pass shards' target directories ready, a new one
    /// as a copy of an existing one (its times kept, so that cargo rebuilds
    /// nothing and its records stay valid): how many are ready. With none
    /// existing, all are: each builds its dependencies on first use.
    pub(crate) fn seed_pass_targets(&self, n: usize) -> usize {
        let Some(existing) = (0..n).find(|&i| self.pass_target(i).is_dir()) else {
            return n;
        };
        let ready = |i: &usize| {
            self.pass_target(*i).is_dir()
                || copy_dir(&self.pass_target(existing), &self.pass_target(*i))
        };
        (0..n).take_while(ready).count().max(1)
    }

    /// Hold this compiler's directories for one run: runs on one compiler
    /// share them, so a second one waits for the first (saying so). The
    /// lock goes with the file.
    pub(crate) fn lock(&self) -> Result<fs::File> {
        fs::create_dir_all(&self.dir).map_err(Error::io_on(&self.dir))?;
        let path = self.dir.join("lock");
        let file = fs::File::create(&path).map_err(Error::io_on(&path))?;
        if file.try_lock().is_err() {
            let path = path.display();
            eprintln!("waiting for another run of the suite on this compiler to finish ({path})");
            file.lock().map_err(Error::io_on(&self.dir))?;
        }
        Ok(file)
    }

    /// The staged copy of `fixture`, from the crate: the path trybuild is
    /// given and prints.
    pub fn staged(&self, fixture: &Fixture) -> String {
        format!("{}/stage/{}", self.base, fixture.display_path())
    }

    /// The staged expectation beside the staged copy.
    pub fn staged_stderr(&self, fixture: &Fixture) -> PathBuf {
        self.dir
            .join("stage")
            .join(&fixture.path)
            .with_extension("stderr")
    }

    /// The staged path in `text` back to the fixture's own: as trybuild
    /// prints it, and as a program names its source in a panic message
    /// (cargo compiles it by its whole path).
    pub(crate) fn unstage(&self, fixture: &Fixture, text: &str) -> String {
        let own = fixture.display_path();
        let whole = self.dir.join("stage").join(&fixture.path);
        let text = text.replace(whole.to_string_lossy().as_ref(), &own);
        text.replace(&self.staged(fixture), &own)
    }

    /// Copy `fixture` (whose text is `source`) into the stage, with
    /// `expected` as its `.stderr` or with none; files are written only
    /// when they change. The staged path.
    pub(crate) fn stage(
        &self,
        fixture: &Fixture,
        source: &str,
        expected: Option<&str>,
    ) -> Result<String> {
        let rs = self.dir.join("stage").join(&fixture.path);
        let dir = rs.parent().unwrap_or(&self.dir);
        fs::create_dir_all(dir).map_err(Error::io_on(dir))?;
        write_if_changed(&rs, source)?;
        let stderr = rs.with_extension("stderr");
        match expected {
            Some(text) => write_if_changed(
                &stderr,
                &text.replace(&fixture.display_path(), &self.staged(fixture)),
            )?,
            None => match fs::remove_file(&stderr) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io_on(&stderr)(e));
                }
                _ => {}
            },
        }
        Ok(self.staged(fixture))
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    match fs::read_to_string(path).is_ok_and(|old| old == text) {
        true => Ok(()),
        false => fs::write(path, text).map_err(Error::io_on(path)),
    }
}

/// Copy the directory `from` to `to`, times included (`cp -a`); false
/// where that cannot be done.
fn copy_dir(from: &Path, to: &Path) -> bool {
    let tmp = to.with_extension("seeding");
    let _ = fs::remove_dir_all(&tmp);
    let cp = || {
        std::process::Command::new("cp")
            .arg("-a")
            .arg(from)
            .arg(&tmp)
            .status()
    };
    cfg!(unix) && cp().is_ok_and(|s| s.success()) && fs::rename(&tmp, to).is_ok()
}
