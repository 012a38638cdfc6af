//! The machine the suite runs on: which compiler ([`toolchain`]) and its
//! sysroot ([`sysroot`]), which checkout ([`checkout`]), stopping a run and
//! all it started ([`stop`]), and writing files whole.

pub mod checkout;
pub mod stop;
pub mod sysroot;
pub mod toolchain;

use std::io;
use std::path::{Path, PathBuf};

/// Write `text` to `path` through a temporary file beside it and a rename:
/// `path` holds the old text or the new, never a part. Creates the parent
/// directory.
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

/// Append `text` to `file` (GitHub's job summary); an error is a warning
/// line for the log, which changes no verdict.
pub fn append(file: &Path, text: &str) -> Option<String> {
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .and_then(|mut f| io::Write::write_all(&mut f, text.as_bytes()));
    let warning = |e: io::Error| {
        format!(
            "::warning::could not append the job summary to {}: {e}\n",
            file.display()
        )
    };
    appended.err().map(warning)
}
