//! Writing files so that a reader never sees half of one.

use std::io;
use std::path::{Path, PathBuf};

/// Write `text` to `path` through a temporary file beside it and a rename:
/// `path` holds the old text or the new, never a part. Creates the parent
/// directory. (The journal of a bless also syncs to disk: `journal.rs`.)
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
