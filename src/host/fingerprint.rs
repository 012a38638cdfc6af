//! What a run reads and writes of the checkout, fingerprinted before and
//! after the fixtures' programs run: a program that changed it (another
//! fixture's expectation, a planted source file) must not pass unnoticed.

use crate::error::FileChange as Change;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Of the suite root: the fixture tree.
const OF_ROOT: &[&str] = &["ui"];
/// Of the crate trybuild builds in: its sources, tests, tools and cargo's files.
const OF_CRATE: &[&str] = &[
    "src",
    "tests",
    "xtask",
    ".cargo",
    "Cargo.toml",
    "Cargo.lock",
];

/// One file: its size, modification time and a hash of its content (for
/// a link, of where it points and of what it points to).
type Print = (u64, Option<SystemTime>, u64);

/// Every file of the tree a run depends on, by its path as a user names it
/// (from the suite root for `ui/`, from the crate for the rest), and the
/// directories: not a change of their own (the files in them are), but an
/// empty one under `ui/` is still a problem of the tree, so a [`Hash`] of
/// the fingerprint changes with it.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    files: BTreeMap<PathBuf, Print>,
    dirs: BTreeSet<PathBuf>,
}

impl Fingerprint {
    /// Take it now, for the suite at `root` built in `crate_dir`.
    pub fn take(crate_dir: &Path, root: &Path) -> Fingerprint {
        let (mut files, mut dirs) = (BTreeMap::new(), BTreeSet::new());
        let places = OF_ROOT.iter().map(|p| (root, p));
        for (base, top) in places.chain(OF_CRATE.iter().map(|p| (crate_dir, p))) {
            let walk = walkdir::WalkDir::new(base.join(top)).sort_by_file_name();
            for entry in walk.into_iter().flatten() {
                let Ok(meta) = entry.metadata() else { continue };
                let path = entry.path();
                let rel = path.strip_prefix(base).unwrap_or(path).to_path_buf();
                if meta.is_dir() {
                    dirs.insert(rel);
                    continue;
                }
                let mut h = std::hash::DefaultHasher::new();
                // A link is read through: the suite reads a linked fixture so.
                std::fs::read(path).ok().hash(&mut h);
                if meta.is_symlink() {
                    std::fs::read_link(path).ok().hash(&mut h);
                }
                files.insert(rel, (meta.len(), meta.modified().ok(), h.finish()));
            }
        }
        Fingerprint { files, dirs }
    }

    /// What changed from `self` to `now`, in path order.
    pub fn changes(&self, now: &Fingerprint) -> Vec<(Change, PathBuf)> {
        let (was, is) = (&self.files, &now.files);
        let mut paths: Vec<&PathBuf> = was.keys().chain(is.keys()).collect();
        paths.sort();
        paths.dedup();
        let change = |p: &&PathBuf| match (was.get(*p), is.get(*p)) {
            (None, Some(_)) => Some((Change::Added, (*p).clone())),
            (Some(_), None) => Some((Change::Removed, (*p).clone())),
            (Some(a), Some(b)) if a != b => Some((Change::Modified, (*p).clone())),
            _ => None,
        };
        paths.iter().filter_map(change).collect()
    }
}

/// Its hash, which keys the report of a `cargo nextest` run, changes with
/// any file under `ui/`, one a link there points to, and an empty
/// directory (a problem of the tree); `changes` names files only.
#[cfg(test)]
#[test]
fn its_hash_changes_with_anything_under_ui() {
    struct Scratch(std::path::PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let name = format!("ch16-fingerprint-{}", std::process::id());
    let s = Scratch(std::env::temp_dir().join(name));
    let (root, group) = (&s.0, s.0.join("ui/g"));
    std::fs::create_dir_all(&group).unwrap();
    std::fs::write(group.join("a.rs"), "fn main() {}\n").unwrap();
    let key = || {
        let mut h = std::hash::DefaultHasher::new();
        Fingerprint::take(root, root).hash(&mut h);
        h.finish()
    };
    let first = key();
    assert_eq!(key(), first, "taken twice, the same");
    std::fs::create_dir(group.join("empty")).unwrap();
    let (before, second) = (Fingerprint::take(root, root), key());
    assert_ne!(second, first, "an empty directory added");
    std::fs::write(group.join("a.rs"), "fn main() { }\n").unwrap();
    let third = key();
    assert_ne!(third, second, "a fixture edited");
    let changed = before.changes(&Fingerprint::take(root, root));
    assert_eq!(changed, [(Change::Modified, PathBuf::from("ui/g/a.rs"))]);
    #[cfg(unix)]
    {
        let target = root.join("elsewhere.rs");
        std::fs::write(&target, "fn main() {}\n").unwrap();
        std::os::unix::fs::symlink(&target, group.join("b.rs")).unwrap();
        let linked = key();
        std::fs::write(&target, "fn main() { }\n").unwrap();
        assert_ne!(key(), linked, "the file a link under ui/ points to edited");
    }
}
