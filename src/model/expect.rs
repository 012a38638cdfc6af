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

use crate::command::BLESS;
use crate::error::{Error, Result};
pub use crate::version::Version;
use std::path::{Path, PathBuf};

/// Which stream an expectation records.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Compiler diagnostics of a compile-fail fixture (checked by trybuild).
    Stderr,
    /// Canonical run output of a runnable fixture.
    Stdout,
    /// A compile-fail fixture with rustc's machine-applicable suggestions
    /// applied (`src/check/apply.rs`).
    Fixed,
}

impl Kind {
    /// File extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Stderr => "stderr",
            Kind::Stdout => "stdout",
            Kind::Fixed => "fixed",
        }
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
    } else if let Some(rest) = name.strip_suffix(".fixed") {
        (rest, Kind::Fixed)
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
                        "name keyed expectations `{stem}.MAJOR.MINOR.{}` (e.g. `{stem}.1.97.{}`), or delete the file and run `{BLESS}`",
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

/// An expectation's text as it is compared: CRLF line ends (a Windows
/// checkout) read as LF.
pub fn lf(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// Read the expectation file at `path` (relative to the suite `root`) as
/// it is compared: with LF line ends.
pub fn read(root: &Path, path: &Path) -> crate::Result<String> {
    crate::error::read_text(root, path).map(lf)
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
        let files = [
            f("a.stderr"),
            f("a.1.97.stderr"),
            f("a.1.99.stderr"),
            f("a.stdout"),
        ];
        let v = |minor| Version { major: 1, minor };
        assert_eq!(select(&files, Kind::Stderr, v(95)).unwrap().key, None);
        assert_eq!(
            select(&files, Kind::Stderr, v(97)).unwrap().key,
            Some(v(97))
        );
        assert_eq!(
            select(&files, Kind::Stderr, v(98)).unwrap().key,
            Some(v(97))
        );
        assert_eq!(
            select(&files, Kind::Stderr, v(120)).unwrap().key,
            Some(v(99))
        );
        assert_eq!(select(&files[1..2], Kind::Stderr, v(95)), None);
    }

    #[test]
    fn names() {
        assert!(parse_name(Path::new("a.rs")).unwrap().is_none());
        assert!(parse_name(Path::new("a.1.x.stderr")).is_err());
        assert!(parse_name(Path::new("a.1.097.stderr")).is_err());
        assert_eq!(
            file_name(
                "a",
                Kind::Stdout,
                Some(Version {
                    major: 1,
                    minor: 97
                })
            ),
            "a.1.97.stdout"
        );
    }
}

/// Where `stderr` (a compiler's output, as trybuild gives it) quotes the
/// standard library's code: a line of code shown under a `--> $RUST/…`
/// location. Its 1-based line and text, if it does. rustc does that only
/// where std's sources are installed (the `rust-src` component), so such an
/// output must never become an expectation.
pub fn quotes_std_source(stderr: &str) -> Option<(usize, &str)> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines.iter().enumerate().find_map(|(i, line)| {
        if !line.trim_start().starts_with("--> $RUST/") {
            return None;
        }
        // The gutter, then lines of code until the next message.
        lines[i + 1..]
            .iter()
            .enumerate()
            .take_while(|(_, l)| {
                l.trim_start().starts_with(['|', '.'])
                    || l.trim_start().starts_with(|c: char| c.is_ascii_digit())
            })
            .find(|(_, l)| {
                let after = l
                    .trim_start()
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim_start();
                after
                    .strip_prefix('|')
                    .is_some_and(|code| !code.trim().is_empty())
            })
            .map(|(j, l)| (i + j + 2, *l))
    })
}

pub use crate::layout::RECORD;

/// Parse the record's text; `path` is used in errors only.
pub fn parse_record(path: &Path, text: &str) -> Result<Vec<Version>> {
    let mut versions = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let v: Version = line.parse().map_err(|()| {
            Error::fixture(
                path,
                Some(i + 1),
                format!("`{line}` is not a compiler version like 1.95"),
                format!("this file is written by `{BLESS}`; restore it with `git checkout`, or delete it and bless every toolchain"),
            )
        })?;
        versions.push(v);
    }
    versions.sort();
    versions.dedup();
    Ok(versions)
}

/// The record's text for `versions`.
pub fn render_record(versions: &[Version]) -> String {
    let mut text = String::from(
        "# Compiler versions (MAJOR.MINOR) whose output the expectations under ui/ record.\n\
         # Written by `cargo xtask bless`; the lowest one's output is the un-keyed baseline.\n",
    );
    for v in versions {
        text.push_str(&format!("{v}\n"));
    }
    text
}

/// Lay out expectation files for one fixture. `content` gives, for every
/// recorded version (ascending), the expected text. The lowest version's text
/// becomes the baseline; each higher one gets a keyed file only where its text
/// differs from the one below.
pub fn layout(content: &[(Version, String)]) -> Vec<(Option<Version>, String)> {
    let mut files: Vec<(Option<Version>, String)> = Vec::new();
    for (i, (v, text)) in content.iter().enumerate() {
        if i == 0 {
            files.push((None, text.clone()));
        } else if content[i - 1].1 != *text {
            files.push((Some(*v), text.clone()));
        }
    }
    files
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn quoted_std_source_is_found() {
        let hidden = "note: required by a bound in `spawn`\n  --> $RUST/std/src/thread/functions.rs\n\nerror: x\n";
        assert_eq!(quotes_std_source(hidden), None);
        let quoted = "note: required by a bound in `spawn`\n  --> $RUST/std/src/thread/functions.rs\n   |\n   | pub fn spawn<F, T>(f: F) -> JoinHandle<T>\n   |        ----- required\n";
        assert_eq!(
            quotes_std_source(quoted),
            Some((4, "   | pub fn spawn<F, T>(f: F) -> JoinHandle<T>"))
        );
        // The fixture's own code is shown, of course.
        let own = "  --> ui/a.rs:3:5\n   |\n 3 |     x\n";
        assert_eq!(quotes_std_source(own), None);
    }

    #[test]
    fn keyed_only_where_different() {
        let v = |minor| Version { major: 1, minor };
        let l = layout(&[
            (v(95), "a".into()),
            (v(96), "a".into()),
            (v(97), "b".into()),
            (v(98), "a".into()),
        ]);
        assert_eq!(
            l,
            vec![
                (None, "a".into()),
                (Some(v(97)), "b".into()),
                (Some(v(98)), "a".into())
            ]
        );
        assert_eq!(
            layout(&[(v(95), "a".into()), (v(97), "a".into())]),
            vec![(None, "a".into())]
        );
    }
}
