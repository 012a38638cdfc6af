//! Expectation files beside each fixture, and which one applies to a compiler.
//!
//! Beside `foo.rs`:
//! * `foo.stderr` (compile-fail) or `foo.stdout` (runnable) is the baseline;
//! * `foo.1.97.stderr` is keyed by compiler version and applies from 1.97 on
//!   (nightly, beta and stable of 1.97 alike).
//!
//! For a compiler of version V the newest key not above V wins, and the
//! baseline applies below the lowest key. A keyed file exists only where the
//! output differs from what the next lower key (or the baseline) gives.

use crate::error::{Error, Result};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Which stream an expectation records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Compiler diagnostics of a compile-fail fixture (checked by trybuild).
    Stderr,
    /// Canonical run output of a runnable fixture.
    Stdout,
}

impl Kind {
    /// File extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Stderr => "stderr",
            Kind::Stdout => "stdout",
        }
    }
}

/// A compiler version as far as expectations care: major and minor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Always 1 so far.
    pub major: u32,
    /// The release train.
    pub minor: u32,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Version {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (major, minor) = s.split_once('.').ok_or(())?;
        let digits = |t: &str| !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) || (minor.len() > 1 && minor.starts_with('0')) {
            return Err(());
        }
        Ok(Version {
            major: major.parse().map_err(|_| ())?,
            minor: minor.parse().map_err(|_| ())?,
        })
    }
}

/// One expectation file on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectFile {
    /// Path relative to the suite root.
    pub path: PathBuf,
    /// Stem of the fixture it belongs to.
    pub stem: String,
    /// stderr or stdout.
    pub kind: Kind,
    /// `None` for the baseline.
    pub key: Option<Version>,
}

/// The file name an expectation of `stem` gets for `key`.
pub fn file_name(stem: &str, kind: Kind, key: Option<Version>) -> String {
    match key {
        None => format!("{stem}.{}", kind.ext()),
        Some(v) => format!("{stem}.{v}.{}", kind.ext()),
    }
}

/// Recognise an expectation file by name. `Ok(None)`: not an expectation
/// file at all; `Err`: looks like one but the version key is malformed.
pub fn parse_name(path: &Path) -> Result<Option<ExpectFile>> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    let (rest, kind) = if let Some(rest) = name.strip_suffix(".stderr") {
        (rest, Kind::Stderr)
    } else if let Some(rest) = name.strip_suffix(".stdout") {
        (rest, Kind::Stdout)
    } else {
        return Ok(None);
    };
    let (stem, key) = match rest.split_once('.') {
        None => (rest, None),
        Some((stem, key)) => match key.parse::<Version>() {
            Ok(v) => (stem, Some(v)),
            Err(()) => {
                return Err(Error::fixture(
                    path,
                    None,
                    format!("`{key}` is not a compiler version key"),
                    format!(
                        "name keyed expectations `{stem}.MAJOR.MINOR.{}` (e.g. `{stem}.1.97.{}`), or delete the file and run `cargo xtask bless`",
                        kind.ext(),
                        kind.ext()
                    ),
                ));
            }
        },
    };
    Ok(Some(ExpectFile {
        path: path.to_owned(),
        stem: stem.to_string(),
        kind,
        key,
    }))
}

/// The expectation of `kind` that applies to `version`, from the files of one
/// fixture.
pub fn select(files: &[ExpectFile], kind: Kind, version: Version) -> Option<&ExpectFile> {
    files
        .iter()
        .filter(|f| f.kind == kind && f.key.is_none_or(|k| k <= version))
        .max_by_key(|f| f.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str) -> ExpectFile {
        parse_name(Path::new(name)).unwrap().unwrap()
    }

    #[test]
    fn newest_key_not_above_wins() {
        let files = [f("a.stderr"), f("a.1.97.stderr"), f("a.1.99.stderr"), f("a.stdout")];
        let v = |minor| Version { major: 1, minor };
        assert_eq!(select(&files, Kind::Stderr, v(95)).unwrap().key, None);
        assert_eq!(select(&files, Kind::Stderr, v(97)).unwrap().key, Some(v(97)));
        assert_eq!(select(&files, Kind::Stderr, v(98)).unwrap().key, Some(v(97)));
        assert_eq!(select(&files, Kind::Stderr, v(120)).unwrap().key, Some(v(99)));
        assert_eq!(select(&files[1..2], Kind::Stderr, v(95)), None);
    }

    #[test]
    fn names() {
        assert!(parse_name(Path::new("a.rs")).unwrap().is_none());
        assert!(parse_name(Path::new("a.1.x.stderr")).is_err());
        assert!(parse_name(Path::new("a.1.097.stderr")).is_err());
        assert_eq!(file_name("a", Kind::Stdout, Some(Version { major: 1, minor: 97 })), "a.1.97.stdout");
    }
}
