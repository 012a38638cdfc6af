//! All-or-nothing updates of expectations, the record and the readers'
//! pages (nothing else). New files are staged in `.bless-pending/`, every
//! target directory and file is tried, then renaming the journal of what
//! goes where into place commits; killed before, the tree is unchanged;
//! after, the next run (or [`recover`]) finishes. Every step may be done
//! again. Only a command that holds the tree for writing
//! (`hold_tree(Hold::Write)`) may call [`commit`] or [`recover`].

use crate::error::{Blocked, Error, Result, Unfinished};
use crate::model::expect;
use crate::names::{PAGE, PENDING, PROBE, RECORD, UI_DIR, is_slug};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const JOURNAL: &str = "journal";

/// One change to the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Create or replace the file at this root-relative path.
    Write(PathBuf, String),
    /// Delete the file at this root-relative path.
    Remove(PathBuf),
}

impl Change {
    /// The file this change touches.
    pub fn path(&self) -> &Path {
        match self {
            Change::Write(p, _) | Change::Remove(p) => p,
        }
    }
}

/// State of the pending directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    /// No update in progress.
    Clean,
    /// An update was being prepared and never committed: the tree is as before.
    Uncommitted,
    /// An update was committed but not fully applied.
    Committed,
}

/// Look at the pending directory without changing anything.
pub fn pending(root: &Path) -> Pending {
    let dir = root.join(PENDING);
    if dir.join(JOURNAL).is_file() {
        Pending::Committed
    } else if dir.exists() {
        Pending::Uncommitted
    } else {
        Pending::Clean
    }
}

/// Whether `path` may be written or removed.
fn allowed(path: &Path) -> bool {
    let parts: Vec<_> = path
        .iter()
        .map(|c| c.to_str().unwrap_or_default())
        .collect();
    match parts.as_slice() {
        [UI_DIR, PAGE] => true,
        [UI_DIR, group, PAGE] => is_slug(group),
        [UI_DIR, _, _] => matches!(expect::parse_name(path), Ok(Some(_))),
        _ => path == Path::new(RECORD),
    }
}

/// Apply `changes` to the tree under `root`, all or nothing.
pub fn commit(root: &Path, changes: &[Change]) -> Result<()> {
    if let Some(c) = changes.iter().find(|c| !allowed(c.path())) {
        let path = c.path().display();
        let why = format!("refusing to write or delete `{path}`, which is not an expectation");
        return Err(Error::Internal(why));
    }
    if changes.is_empty() {
        return Ok(());
    }
    recover(root)?;
    let dir = root.join(PENDING);
    fs::create_dir_all(&dir).map_err(Error::io_on(&dir))?;
    // Up to the commit point, a failure (a full disk, a directory that may
    // not be written) leaves the tree as it was, and nothing pending.
    prepare(root, &dir, changes).inspect_err(|_| {
        let _ = fs::remove_dir_all(&dir);
    })?;
    apply(root)
}

/// Stage every new file, then commit the journal.
fn prepare(root: &Path, dir: &Path, changes: &[Change]) -> Result<()> {
    writable(root, dir, changes)?;
    let blocked = changes.iter().find_map(|c| blocker(root, c.path()));
    blocked.map_or(Ok(()), |b| Err(Error::Unreplaceable(b)))?;
    let mut journal = String::new();
    for (n, c) in changes.iter().enumerate() {
        match c {
            Change::Write(path, text) => {
                synced(&dir.join(n.to_string()), text)?;
                journal.push_str(&format!("write {n} {}\n", path.display()));
            }
            Change::Remove(path) => journal.push_str(&format!("remove {}\n", path.display())),
        }
    }
    let tmp = dir.join("journal.tmp");
    synced(&tmp, &journal)?;
    fs::rename(&tmp, dir.join(JOURNAL)).map_err(Error::io_on(dir))
}

/// Write `text` to `path` and wait until it is on disk.
fn synced(path: &Path, text: &str) -> Result<()> {
    let write = || -> std::io::Result<()> {
        let mut file = fs::File::create(path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    write().map_err(Error::io_on(path))
}

/// Whether each target directory takes a file moved in from the pending
/// directory and gives it up again, tried before anything is committed.
fn writable(root: &Path, dir: &Path, changes: &[Change]) -> Result<()> {
    let mut seen: Vec<&Path> = Vec::new();
    for c in changes {
        let Some(target) = c.path().parent().filter(|t| !seen.contains(t)) else {
            continue;
        };
        seen.push(target);
        let probe = dir.join("probe");
        let moved = root.join(target).join(PROBE);
        let tried = fs::write(&probe, "")
            .and_then(|()| fs::rename(&probe, &moved))
            .and_then(|()| fs::remove_file(&moved));
        if let Err(e) = tried {
            let _ = fs::remove_file(&moved);
            let (dir, file) = (target.to_owned(), c.path().to_owned());
            return Err(Error::Unwritable(dir, file, e.to_string()));
        }
    }
    Ok(())
}

/// What keeps the file at `path` from being replaced or removed, as far
/// as can be told without trying: the commit moves each new file into
/// place with a rename (and removes with an unlink), and neither replaces
/// a directory, nor (Linux) an immutable or append-only file.
fn blocker(root: &Path, path: &Path) -> Option<Blocked> {
    let meta = fs::symlink_metadata(root.join(path)).ok()?;
    let shown = path.display();
    let (why, fix) = if meta.is_dir() {
        let fix = format!("move the directory `{shown}` out of the way (an expectation is a file)");
        ("it is a directory", fix)
    } else {
        match attributes(&root.join(path)) {
            a if a & IMMUTABLE != 0 => ("it is immutable", format!("`chattr -i {shown}`")),
            a if a & APPEND_ONLY != 0 => ("it is append-only", format!("`chattr -a {shown}`")),
            _ => return None,
        }
    };
    let file = path.to_owned();
    Some(Blocked { file, why, fix })
}

/// The immutable flag among [`attributes`] (`chattr +i`).
const IMMUTABLE: u64 = 0x10;
/// The append-only flag among [`attributes`] (`chattr +a`).
const APPEND_ONLY: u64 = 0x20;

/// The file's attributes (`statx`'s, as `lsattr` shows them), not
/// following a symbolic link; none where they cannot be read.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
fn attributes(path: &Path) -> u64 {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return 0;
    };
    let mut buf = std::mem::MaybeUninit::<libc::statx>::zeroed();
    let (at, flags) = (libc::AT_FDCWD, libc::AT_SYMLINK_NOFOLLOW);
    // SAFETY: a NUL-terminated path, and a buffer of the size statx fills.
    let read = unsafe { libc::statx(at, c.as_ptr(), flags, 0, buf.as_mut_ptr()) };
    if read != 0 {
        return 0;
    }
    // SAFETY: zeroed, and filled by statx.
    unsafe { buf.assume_init() }.stx_attributes
}

/// Elsewhere the attributes are not read (the commit finds them).
#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
fn attributes(_: &Path) -> u64 {
    0
}

/// A journal line: the staged file (`write N path`; none for `remove path`).
fn entry(line: &str) -> Option<(Option<&str>, &Path)> {
    match line.split_once(' ')? {
        ("write", rest) => rest.split_once(' ').map(|(n, p)| (Some(n), Path::new(p))),
        ("remove", path) => Some((None, Path::new(path))),
        _ => None,
    }
}

/// The files a committed update has still to write or remove.
pub fn remaining(root: &Path) -> Vec<PathBuf> {
    left_in(root, &journal(root))
}

/// The committed journal's text; empty if there is none.
fn journal(root: &Path) -> String {
    fs::read_to_string(root.join(PENDING).join(JOURNAL)).unwrap_or_default()
}

/// The files of `journal` still to be written or removed.
fn left_in(root: &Path, journal: &str) -> Vec<PathBuf> {
    let dir = root.join(PENDING);
    let left = journal.lines().filter_map(entry);
    let left = left.filter(|(n, path)| n.map_or(root.join(path), |n| dir.join(n)).exists());
    left.map(|(_, path)| path.to_owned()).collect()
}

/// Refusing to run past a committed update: what it has done and left, and
/// what keeps the first file left that cannot be replaced, if that is known.
pub fn unfinished(root: &Path) -> Error {
    unfinished_at(root, None)
}

/// A committed update that is not finished, `stopped` at a file (with the
/// operating system's error) or found so: what is done and left, and what
/// keeps the file it stopped at, or else the first left, from being replaced.
fn unfinished_at(root: &Path, stopped: Option<(&Path, &std::io::Error)>) -> Error {
    let journal = journal(root);
    let left = left_in(root, &journal);
    let all = journal.lines().filter_map(entry).count();
    let blocked = match stopped {
        Some((at, _)) => blocker(root, at),
        None => left.iter().find_map(|p| blocker(root, p)),
    };
    Error::Unfinished(Box::new(Unfinished {
        done: all.saturating_sub(left.len()),
        left,
        blocked,
        stopped_at: stopped.map(|(at, error)| (at.to_owned(), error.to_string())),
    }))
}

/// Finish or discard an update left by an interrupted run, and remove
/// the probes it left (the caller holds the tree for writing, so no other
/// bless is under way: every probe is stale); what was found.
pub fn recover(root: &Path) -> Result<Pending> {
    remove_probes(root)?;
    let state = pending(root);
    match state {
        Pending::Clean => {}
        Pending::Uncommitted => {
            let dir = root.join(PENDING);
            fs::remove_dir_all(&dir).map_err(Error::io_on(&dir))?;
        }
        Pending::Committed => apply(root)?,
    }
    Ok(state)
}

/// Remove the probe files (see [`writable`]) in `ui/` and its directories.
fn remove_probes(root: &Path) -> Result<()> {
    let ui = root.join(UI_DIR);
    let dirs = fs::read_dir(&ui).into_iter().flatten().flatten();
    let dirs = dirs.map(|e| e.path()).filter(|p| p.is_dir());
    for probe in std::iter::once(ui.clone())
        .chain(dirs)
        .map(|d| d.join(PROBE))
    {
        if fs::symlink_metadata(&probe).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&probe).map_err(Error::io_on(&probe))?;
        }
    }
    Ok(())
}

/// Carry out the committed journal; every step may be done again.
fn apply(root: &Path) -> Result<()> {
    let dir = root.join(PENDING);
    let path = dir.join(JOURNAL);
    let journal = fs::read_to_string(&path).map_err(Error::io_on(&path))?;
    for (i, line) in journal.lines().enumerate() {
        let Some((staged, file)) = entry(line).filter(|(_, file)| allowed(file)) else {
            return Err(Error::Journal(path, i + 1));
        };
        let done = match staged.map(|n| dir.join(n)) {
            Some(staged) if staged.exists() => fs::rename(&staged, root.join(file)),
            Some(_) => Ok(()),
            None => match fs::remove_file(root.join(file)) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                done => done,
            },
        };
        done.map_err(|e| unfinished_at(root, Some((file, &e))))?;
    }
    fs::remove_dir_all(&dir).map_err(Error::io_on(&dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_all_or_nothing_and_touches_expectations_only() {
        let dir = std::env::temp_dir().join(format!("ch16-journal-{}", std::process::id()));
        let write = |path: &str, text: &str| {
            fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
            fs::write(dir.join(path), text).unwrap();
        };
        let read = |path: &str| fs::read_to_string(dir.join(path)).ok();
        let _ = fs::remove_dir_all(&dir);
        write("ui/g/a.stderr", "old a");
        for bad in "ui/g/a.rs README.md ui/a.stderr src/x.stderr ui/./a.stderr".split(' ') {
            let err = commit(&dir, &[Change::Write(bad.into(), "x".into())]).unwrap_err();
            let refused = matches!(err, Error::Internal(m) if m.contains("not an expectation"));
            assert!(refused, "{bad}");
        }
        // Killed before the commit point: the tree stays as it was.
        write(&format!("{PENDING}/journal.tmp"), "write 0 ui/g/a.stderr\n");
        assert_eq!(recover(&dir).unwrap(), Pending::Uncommitted);
        assert_eq!(read("ui/g/a.stderr").unwrap(), "old a");
        // Killed after it: the next run finishes the update.
        write(&format!("{PENDING}/1"), "new c");
        let journal = "write 0 ui/g/a.stderr\nwrite 1 ui/g/c.stdout\nremove ui/g/a.stderr\n";
        write(&format!("{PENDING}/{JOURNAL}"), journal);
        let left: Vec<PathBuf> = ["ui/g/c.stdout", "ui/g/a.stderr"].map(PathBuf::from).into();
        assert_eq!(remaining(&dir), left);
        assert_eq!(recover(&dir).unwrap(), Pending::Committed);
        assert_eq!(read("ui/g/c.stdout").unwrap(), "new c");
        assert!(read("ui/g/a.stderr").is_none() && pending(&dir) == Pending::Clean);
        fs::remove_dir_all(&dir).unwrap();
    }
}
