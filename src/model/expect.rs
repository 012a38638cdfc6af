//! Expectation files beside each fixture (`foo.stderr`, or `foo.1.97.stderr`
//! from 1.97 on), and which one applies to a compiler.

use crate::error::Result;
use crate::names::{BLESS, Version};
use crate::problem::{Check, Problem};
use std::path::{Path, PathBuf};

/// Which text an expectation records.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A compile-fail fixture's diagnostics, or a runnable one's own stderr.
    Stderr,
    /// A runnable fixture's canonical output.
    Stdout,
    /// A compile-fail fixture with rustc's suggestions applied.
    Fixed,
}

impl Kind {
    /// The file extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Stderr => "stderr",
            Kind::Stdout => "stdout",
            Kind::Fixed => "fixed",
        }
    }
}

/// One expectation file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectFile {
    /// Its path from the suite root.
    pub path: PathBuf,
    /// The file name of its fixture, without `.rs`.
    pub stem: String,
    /// What it records.
    pub kind: Kind,
    /// Its version key; `None` for the baseline.
    pub key: Option<Version>,
}

impl ExpectFile {
    /// Its file name.
    pub fn name(&self) -> String {
        file_name(&self.stem, self.kind, self.key)
    }
}

/// The file name of `stem`'s expectation of `kind` keyed `key`.
pub fn file_name(stem: &str, kind: Kind, key: Option<Version>) -> String {
    let key = key.map_or(String::new(), |v| format!(".{v}"));
    format!("{stem}{key}.{}", kind.ext())
}

/// The expectation file at `path`; `Ok(None)` for another file.
pub(crate) fn parse_name(path: &Path) -> Result<Option<ExpectFile>, Problem> {
    let name = path.file_name().and_then(std::ffi::OsStr::to_str);
    let name = name.unwrap_or_default();
    let mut kinds = [Kind::Stderr, Kind::Stdout, Kind::Fixed].into_iter();
    let ext = |k: Kind| Some((name.strip_suffix(&format!(".{}", k.ext()))?, k));
    let Some((rest, kind)) = kinds.find_map(ext) else {
        return Ok(None);
    };
    let dot = rest.split_once('.');
    let stem = dot.map_or(rest, |(stem, _)| stem);
    let bad = |key: &str| {
        let (said, ext) = (format!("`{key}` is not a compiler version key"), kind.ext());
        Problem::said(Check::Tree, path.to_string_lossy(), said).edit(format!(
            "name keyed expectations `{stem}.MAJOR.MINOR.{ext}` (e.g. `{stem}.1.97.{ext}`), \
             or delete the file and run `{BLESS}`"
        ))
    };
    let key = dot.map(|(_, key)| key.parse().map_err(|()| bad(key)));
    let key = key.transpose()?;
    let (path, stem) = (path.to_owned(), stem.to_string());
    Ok(Some(ExpectFile {
        path,
        stem,
        kind,
        key,
    }))
}

/// A suite file's text as it is read and compared: CRLF line ends as LF.
pub fn lf(text: String) -> String {
    text.replace("\r\n", "\n")
}

/// The suite file (an expectation, a fixture) at `path` from the suite
/// `root`, as compared: LF line ends.
pub fn read(root: &Path, path: &Path) -> Result<String> {
    crate::error::read_text(root, path).map(lf)
}

/// The expectation of `kind` that applies to `version`, among `files`.
pub(crate) fn select(files: &[ExpectFile], kind: Kind, version: Version) -> Option<&ExpectFile> {
    let applies = |f: &&ExpectFile| f.kind == kind && f.key.is_none_or(|k| k <= version);
    files.iter().filter(applies).max_by_key(|f| f.key)
}

/// Where `stderr` quotes std's code under a `--> $RUST/…` location (only
/// with rust-src installed, so never in an expectation): its line and text.
pub fn quotes_std_source(stderr: &str) -> Option<(usize, &str)> {
    let lines: Vec<&str> = stderr.lines().collect();
    // The snippet under a location: lines of its gutter, `|`, `...` or a
    // line number; a line of code has text after the number and `|`.
    let digit = |c: char| c.is_ascii_digit();
    let mark = |c: char| digit(c) || c == '|' || c == '.';
    let gutter = |l: &&&str| l.trim_start().starts_with(mark);
    let code = |l: &&&str| {
        let t = l.trim_start().trim_start_matches(digit).trim_start();
        t.strip_prefix('|').is_some_and(|c| !c.trim().is_empty())
    };
    let at = |(i, line): (usize, &&str)| {
        line.trim_start().starts_with("--> $RUST/").then_some(())?;
        let mut after = (i + 2..).zip(lines[i + 1..].iter().take_while(gutter));
        after.find(|(_, l)| code(l)).map(|(n, l)| (n, *l))
    };
    lines.iter().enumerate().find_map(at)
}

/// The versions the record at `path` lists, sorted; or a problem for each
/// line that is not one.
pub(crate) fn parse_record(path: &Path, text: &str) -> Result<Vec<Version>, Vec<Problem>> {
    let lines = (1..).zip(text.lines().map(str::trim));
    let lines = lines.filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
    let (mut versions, mut bad) = (Vec::new(), Vec::new());
    for (n, line) in lines {
        match line.parse() {
            Ok(version) => versions.push(version),
            Err(()) => {
                let said = format!("`{line}` is not a compiler version like 1.95");
                bad.push(Problem::said(Check::Tree, path.to_string_lossy(), said).at(n).edit(format!(
                    "this file is written by `{BLESS}`; restore it with `git checkout`, or delete it and bless every toolchain"
                )));
            }
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    versions.sort();
    versions.dedup();
    Ok(versions)
}

/// The record's text for `versions`.
pub fn render_record(versions: &[Version]) -> String {
    let head = "# Compiler versions (MAJOR.MINOR) whose output the expectations under ui/ record.\n\
                # Written by `cargo xtask bless`; the lowest one's output is the un-keyed baseline.\n";
    let versions: String = versions.iter().map(|v| format!("{v}\n")).collect();
    format!("{head}{versions}")
}

/// The expectation files of one fixture and kind, from each recorded
/// version's text (ascending): the baseline, then a keyed file per change.
pub fn layout(content: &[(Version, String)]) -> Vec<(Option<Version>, String)> {
    let mut files: Vec<_> = content.iter().map(|(v, t)| (Some(*v), t.clone())).collect();
    files.dedup_by(|later, kept| later.1 == kept.1);
    files
        .iter_mut()
        .take(1)
        .for_each(|baseline| baseline.0 = None);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_select_lay_out_and_std_source_is_found() {
        let f = |name: &str| parse_name(Path::new(name)).unwrap().unwrap();
        let files = ["a.stderr", "a.1.97.stderr", "a.1.99.stderr", "a.stdout"].map(f);
        let v = |minor| Version { major: 1, minor };
        let key = |minor| select(&files, Kind::Stderr, v(minor)).unwrap().key;
        let keys = [key(95), key(97), key(98), key(120)];
        assert_eq!(keys, [None, Some(v(97)), Some(v(97)), Some(v(99))]);
        assert!(parse_name(Path::new("a.1.097.stderr")).is_err());
        assert!(parse_name(Path::new("a.rs")).unwrap().is_none());
        let texts = [(95, "a"), (96, "a"), (97, "b"), (98, "a")].map(|(m, t)| (v(m), t.into()));
        let keys: Vec<Option<Version>> = layout(&texts).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, [None, Some(v(97)), Some(v(98))]);
        // Quoted only where a location under `$RUST` has a line of code.
        let hidden =
            "note: required by a bound in `spawn`\n  --> $RUST/std/src/thread/functions.rs\n";
        assert_eq!(quotes_std_source(&format!("{hidden}\nerror: x\n")), None);
        let code = "   | pub fn spawn<F, T>(f: F) -> JoinHandle<T>";
        let quoted = format!("{hidden}   |\n{code}\n");
        assert_eq!(quotes_std_source(&quoted), Some((4, code)));
        let local = "  --> ui/a.rs:3:5\n   |\n 3 |     x\n";
        assert_eq!(quotes_std_source(local), None);
    }
}
