//! The machine: the compiler ([`toolchain`]), its sysroot ([`sysroot`]), the
//! checkout ([`checkout`]) and what a run may not change of it
//! ([`fingerprint`]), stopping ([`stop`]), and writing files whole.

pub mod checkout;
pub mod fingerprint;
pub mod stop;
pub mod sysroot;
pub mod toolchain;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Write `text` to `path` (and its parent) by a rename: old text or new, never a part.
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    fs::write(&tmp, text)?;
    fs::rename(&tmp, path).inspect_err(|_| drop(fs::remove_file(&tmp)))
}

/// Append `text` to `file` (the job summary); an error is a warning line for the log.
pub fn append(file: &Path, text: &str) -> Option<String> {
    let f = fs::OpenOptions::new().create(true).append(true).open(file);
    let e = f.and_then(|mut f| f.write_all(text.as_bytes())).err()?;
    let file = file.display();
    Some(format!(
        "::warning::could not append the job summary to {file}: {e}\n"
    ))
}
