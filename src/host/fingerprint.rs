//! What a run reads and writes of the checkout, fingerprinted before and
//! after the fixtures' programs run: a program that changed it (another
//! fixture's expectation, a planted source file) must not pass unnoticed.

use crate::error::FileChange as Change;
use std::collections::BTreeMap;
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

/// One file: its size, modification time and a hash of its content (of
/// its target, for a link).
type Print = (u64, Option<SystemTime>, u64);

/// Every file of the tree a run depends on, by its path as a user names it
/// (from the suite root for `ui/`, from the crate for the rest).
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint(BTreeMap<PathBuf, Print>);

impl Fingerprint {
    /// Take it now, for the suite at `root` built in `crate_dir`.
    pub fn take(crate_dir: &Path, root: &Path) -> Fingerprint {
        let mut files = BTreeMap::new();
        let places = OF_ROOT.iter().map(|p| (root, p));
        for (base, top) in places.chain(OF_CRATE.iter().map(|p| (crate_dir, p))) {
            let walk = walkdir::WalkDir::new(base.join(top)).sort_by_file_name();
            for entry in walk.into_iter().flatten() {
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    continue;
                }
                let path = entry.path();
                let content = match meta.is_symlink() {
                    true => {
                        std::fs::read_link(path).map(|t| t.into_os_string().into_encoded_bytes())
                    }
                    false => std::fs::read(path),
                };
                let mut h = std::hash::DefaultHasher::new();
                content.ok().hash(&mut h);
                let rel = path.strip_prefix(base).unwrap_or(path).to_path_buf();
                files.insert(rel, (meta.len(), meta.modified().ok(), h.finish()));
            }
        }
        Fingerprint(files)
    }

    /// What changed from `self` to `now`, in path order.
    pub fn changes(&self, now: &Fingerprint) -> Vec<(Change, PathBuf)> {
        let (was, is) = (&self.0, &now.0);
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
