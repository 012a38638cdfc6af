//! All-or-nothing updates of expectation files.
//!
//! `bless` first writes every new file into `.bless-pending/`, then the
//! journal listing what goes where; renaming the journal into place is the
//! commit point. Only then are files moved into `ui/` and stale ones removed.
//! If the process dies before the commit point the tree is unchanged and the
//! pending directory is discarded; if after, the next xtask run (or
//! [`recover`]) finishes the job. Every step is idempotent, so recovery can
//! itself be interrupted and resumed.
//!
//! Only expectation files, the toolchain record and the readers' pages
//! (`ui/README.md`, `ui/<group>/README.md`) may be written or removed:
//! anything else is refused before anything is touched.

use crate::error::{Error, Result};
use crate::model::expect;
use crate::names::{PAGE, PENDING, RECORD, UI_DIR, is_slug};
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

fn allowed(path: &Path) -> bool {
    let s = path.to_string_lossy().replace('\\', "/");
    if s == RECORD {
        return true;
    }
    // The readers' pages, regenerated with the expectations they show.
    let parts: Vec<&str> = s.split('/').collect();
    match parts.as_slice() {
        [UI_DIR, PAGE] => return true,
        [UI_DIR, group, PAGE] if is_slug(group) => return true,
        _ => {}
    }
    let under_ui = path
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == UI_DIR)
        && path.components().count() == 3;
    under_ui && matches!(expect::parse_name(path), Ok(Some(_)))
}

/// Apply `changes` to the tree under `root`, all or nothing.
pub fn commit(root: &Path, changes: &[Change]) -> Result<()> {
    for c in changes {
        if !allowed(c.path()) {
            return Err(Error::Internal(format!(
                "refusing to write or delete `{}`, which is not an expectation",
                c.path().display()
            )));
        }
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

/// Stage every new file and check that each change can be made where it
/// goes, then commit the journal.
fn prepare(root: &Path, dir: &Path, changes: &[Change]) -> Result<()> {
    let io = Error::io_on;
    writable(root, dir, changes)?;
    let mut journal = String::new();
    for (n, c) in changes.iter().enumerate() {
        match c {
            Change::Write(path, text) => {
                let staged = dir.join(n.to_string());
                let mut file = fs::File::create(&staged).map_err(io(&staged))?;
                file.write_all(text.as_bytes()).map_err(io(&staged))?;
                file.sync_all().map_err(io(&staged))?;
                journal.push_str(&format!("write {n} {}\n", path.display()));
            }
            Change::Remove(path) => journal.push_str(&format!("remove {}\n", path.display())),
        }
    }
    let tmp = dir.join("journal.tmp");
    let mut file = fs::File::create(&tmp).map_err(io(&tmp))?;
    file.write_all(journal.as_bytes()).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    fs::rename(&tmp, dir.join(JOURNAL)).map_err(io(dir))
}

/// Whether each directory a change goes to takes a file moved in from the
/// pending directory and gives it up again, as the update will: a
/// read-only directory (permissions, an immutable flag, a read-only mount)
/// or another file system is found before anything is committed.
fn writable(root: &Path, dir: &Path, changes: &[Change]) -> Result<()> {
    let mut seen: Vec<&Path> = Vec::new();
    for c in changes {
        let Some(target) = c.path().parent() else {
            continue;
        };
        if seen.contains(&target) {
            continue;
        }
        seen.push(target);
        let probe = dir.join("probe");
        let moved = root.join(target).join(format!("{PENDING}-probe"));
        let tried = fs::write(&probe, "")
            .and_then(|()| fs::rename(&probe, &moved))
            .and_then(|()| fs::remove_file(&moved));
        if let Err(e) = tried {
            let _ = fs::remove_file(&moved);
            return Err(Error::Unwritable {
                dir: target.to_owned(),
                file: c.path().to_owned(),
                error: e.to_string(),
            });
        }
    }
    Ok(())
}

/// What a committed update has still to do: the files it has still to
/// write or remove.
pub fn remaining(root: &Path) -> Vec<PathBuf> {
    let dir = root.join(PENDING);
    let Ok(journal) = fs::read_to_string(dir.join(JOURNAL)) else {
        return Vec::new();
    };
    journal
        .lines()
        .filter_map(|line| {
            let (op, rest) = line.split_once(' ')?;
            match op {
                "write" => {
                    let (n, path) = rest.split_once(' ')?;
                    dir.join(n).exists().then(|| PathBuf::from(path))
                }
                "remove" => root.join(rest).exists().then(|| PathBuf::from(rest)),
                _ => None,
            }
        })
        .collect()
}

/// Finish or discard an update left by an interrupted run. Returns what was
/// found.
pub fn recover(root: &Path) -> Result<Pending> {
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

fn apply(root: &Path) -> Result<()> {
    let dir = root.join(PENDING);
    let journal_path = dir.join(JOURNAL);
    let journal = fs::read_to_string(&journal_path).map_err(Error::io_on(&journal_path))?;
    for (i, line) in journal.lines().enumerate() {
        let bad = || Error::Journal {
            path: journal_path.clone(),
            line: i + 1,
        };
        let (op, rest) = line.split_once(' ').ok_or_else(bad)?;
        match op {
            "write" => {
                let (n, path) = rest.split_once(' ').ok_or_else(bad)?;
                let path = Path::new(path);
                if !allowed(path) {
                    return Err(bad());
                }
                let staged = dir.join(n);
                if staged.exists() {
                    fs::rename(&staged, root.join(path)).map_err(Error::io_on(path))?;
                }
            }
            "remove" => {
                let path = Path::new(rest);
                if !allowed(path) {
                    return Err(bad());
                }
                match fs::remove_file(root.join(path)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io_on(path)(e));
                    }
                    _ => {}
                }
            }
            _ => return Err(bad()),
        }
    }
    fs::remove_dir_all(&dir).map_err(Error::io_on(&dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_all_or_nothing_and_touches_expectations_only() {
        let dir = std::env::temp_dir().join(format!("ch16-journal-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("ui/g")).unwrap();
        fs::write(dir.join("ui/g/a.stderr"), "old a").unwrap();
        for bad in ["ui/g/a.rs", "README.md", "ui/a.stderr", "src/lib.stderr"] {
            let err = commit(&dir, &[Change::Write(bad.into(), "x".into())]).unwrap_err();
            assert!(
                matches!(err, Error::Internal(m) if m.contains("not an expectation")),
                "{bad}"
            );
        }
        // Killed before the commit point: the tree stays as it was.
        fs::create_dir_all(dir.join(PENDING)).unwrap();
        fs::write(
            dir.join(PENDING).join("journal.tmp"),
            "write 0 ui/g/a.stderr\n",
        )
        .unwrap();
        assert_eq!(recover(&dir).unwrap(), Pending::Uncommitted);
        assert_eq!(
            fs::read_to_string(dir.join("ui/g/a.stderr")).unwrap(),
            "old a"
        );
        // Killed after it: the next run finishes the update.
        fs::create_dir_all(dir.join(PENDING)).unwrap();
        fs::write(dir.join(PENDING).join("1"), "new c").unwrap();
        fs::write(
            dir.join(PENDING).join(JOURNAL),
            "write 0 ui/g/a.stderr\nwrite 1 ui/g/c.stdout\nremove ui/g/a.stderr\n",
        )
        .unwrap();
        assert_eq!(
            remaining(&dir),
            [
                PathBuf::from("ui/g/c.stdout"),
                PathBuf::from("ui/g/a.stderr")
            ]
        );
        assert_eq!(recover(&dir).unwrap(), Pending::Committed);
        assert_eq!(
            fs::read_to_string(dir.join("ui/g/c.stdout")).unwrap(),
            "new c"
        );
        assert!(!dir.join("ui/g/a.stderr").exists() && pending(&dir) == Pending::Clean);
        fs::remove_dir_all(&dir).unwrap();
    }
}
