//! Per-compiler working directories `target/ui/<compiler>/`. trybuild compares
//! a fixture with the `.stderr` beside it, so each is staged, with this
//! compiler's, in `stage/ui/…` (inside the crate: trybuild prints paths from it).

use crate::error::{Error, Result};
use crate::model::fixture::Fixture;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How a command holds the tree under `ui/` (see [`hold_tree`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// It reads the tree: a run of the suite, `cargo xtask check`.
    Read,
    /// It writes the tree: `cargo xtask bless`, `catalogue`, `new`.
    Write,
}

/// Hold the tree of the suite at `root` as `how` while the file lives: any
/// number of readers, or one writer. A run reads the tree only once it
/// holds it, so one started during a bless judges what the bless left.
pub fn hold_tree(root: &Path, how: Hold) -> Result<fs::File> {
    let waiting = match how {
        Hold::Read => "a command that writes ui/ (a bless)",
        Hold::Write => "the runs and commands that use ui/",
    };
    lock_file(&tree_lock(root), how == Hold::Read, Some(waiting))
}

/// The file whose lock [`hold_tree`] takes for the suite at `root`.
pub fn tree_lock(root: &Path) -> PathBuf {
    root.join("target/ui/tree.lock")
}

/// Lock the file at `path` (made, with its directory, if missing) while
/// the file lives, `shared` or alone. Held by another, it waits, and first
/// says so when `waiting_for` names what it waits for: a user who sees
/// nothing happen learns why, and which file.
pub(crate) fn lock_file(path: &Path, shared: bool, waiting_for: Option<&str>) -> Result<fs::File> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(Error::io_on(dir))?;
    }
    let open = fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path);
    let file = open.map_err(Error::io_on(path))?;
    let tried = match shared {
        true => file.try_lock_shared(),
        false => file.try_lock(),
    };
    if tried.is_err() {
        if let Some(what) = waiting_for {
            eprintln!("waiting for {what} to finish ({})", path.display());
        }
        let held = match shared {
            true => file.lock_shared(),
            false => file.lock(),
        };
        held.map_err(Error::io_on(path))?;
    }
    Ok(file)
}

/// `target/ui/` of the suite at `root`, from the crate it is in.
fn ui_target(crate_dir: &Path, root: &Path) -> Result<PathBuf> {
    let (suite, krate) = (root.display(), crate_dir.display());
    let rel = root.strip_prefix(crate_dir).map_err(|_| Error::Checkout {
        problem: format!(
            "{suite}: a suite outside the crate ({krate}) cannot be staged for trybuild"
        ),
        fix: "put the suite under the crate directory, e.g. in target/".into(),
    })?;
    Ok(rel.join("target/ui"))
}

/// The working directories of one compiler.
#[derive(Clone, Debug)]
pub struct Workdirs {
    /// `<crate>/<suite>/target/ui/<compiler>`, and the same from the crate.
    dir: PathBuf,
    base: String,
}

impl Workdirs {
    /// The directories of the compiler keyed `key` for the suite at `root`.
    pub fn within(crate_dir: &Path, root: &Path, key: &str) -> Result<Workdirs> {
        let base = ui_target(crate_dir, root)?.join(key);
        let dir = crate_dir.join(&base);
        let base = crate::problem::slashed(&base);
        Ok(Workdirs { dir, base })
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

    /// The run times kept in [`Workdirs::durations`], by `ui/…` path: what
    /// the next run plans its shards by.
    pub fn last_runs(&self) -> BTreeMap<String, Duration> {
        super::schedule::load(&self.durations())
    }

    /// The sysroot without std's sources (see [`crate::host::sysroot`]).
    pub fn shadow_sysroot(&self) -> PathBuf {
        self.dir.join("sysroot")
    }

    /// Where a collecting run leaves its report when not told where.
    pub fn report(&self) -> PathBuf {
        self.dir.join("report.json")
    }

    /// Ready up to `n` pass shards' targets as copies (cargo rebuilds nothing): how many.
    pub(crate) fn seed_pass_targets(&self, n: usize) -> usize {
        let targets = (0..n).map(|i| self.pass_target(i));
        let Some(existing) = targets.clone().find(|t| t.is_dir()) else {
            return n;
        };
        let ready = |t: &PathBuf| t.is_dir() || copy_dir(&existing, t);
        targets.take_while(ready).count().max(1)
    }

    /// Hold this compiler's directories while the file lives (runs share them).
    pub(crate) fn lock(&self) -> Result<fs::File> {
        let waiting = "another run of the suite on this compiler";
        lock_file(&self.dir.join("lock"), false, Some(waiting))
    }

    /// The staged copy of `fixture`, from the crate, as trybuild prints it.
    pub fn staged(&self, fixture: &Fixture) -> String {
        format!("{}/stage/{}", self.base, fixture.display_path())
    }

    /// The staged expectation beside the staged copy.
    pub fn staged_stderr(&self, fixture: &Fixture) -> PathBuf {
        self.staged_file(fixture).with_extension("stderr")
    }

    /// The staged copy of `fixture`, whole.
    fn staged_file(&self, fixture: &Fixture) -> PathBuf {
        self.dir.join("stage").join(&fixture.path)
    }

    /// The staged path in `text` (also whole, as in a panic) back to the fixture's own.
    pub(crate) fn unstage(&self, fixture: &Fixture, text: &str) -> String {
        let own = fixture.display_path();
        let text = text.replace(&*self.staged_file(fixture).to_string_lossy(), &own);
        text.replace(&self.staged(fixture), &own)
    }

    /// Stage `f` (`source`) with `text` as its `.stderr`, or none: the staged path.
    pub(crate) fn stage(&self, f: &Fixture, source: &str, text: Option<&str>) -> Result<String> {
        let (rs, staged) = (self.staged_file(f), self.staged(f));
        let dir = rs.parent().unwrap_or(&self.dir);
        fs::create_dir_all(dir).map_err(Error::io_on(dir))?;
        write_if_changed(&rs, source)?;
        let stderr = rs.with_extension("stderr");
        if let Some(text) = text {
            write_if_changed(&stderr, &text.replace(&f.display_path(), &staged))?;
        } else if let Err(e) = fs::remove_file(&stderr)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(Error::io_on(&stderr)(e));
        }
        Ok(staged)
    }
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::write(path, text).map_err(Error::io_on(path))
}

/// Copy the directory `from` to `to`, times included (`cp -a`): whether done.
fn copy_dir(from: &Path, to: &Path) -> bool {
    let tmp = to.with_extension("seeding");
    let _ = fs::remove_dir_all(&tmp);
    let mut cp = std::process::Command::new("cp");
    cp.arg("-a").arg(from).arg(&tmp);
    cfg!(unix) && cp.status().is_ok_and(|s| s.success()) && fs::rename(&tmp, to).is_ok()
}
