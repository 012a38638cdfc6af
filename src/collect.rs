//! What one harness run observed, handed from `tests/ui.rs` (collect mode)
//! to `cargo xtask bless/check` through `target/ui/<compiler>/collected/`.
//!
//! The directory holds one file per observed output and an `index` listing
//! them with each fixture's problems. The index is written last, by rename,
//! so its presence means the run finished.

use crate::check::{Check, Problem};
use crate::error::{Error, Result};
use crate::expect::{Kind, Version};
use std::fs;
use std::path::Path;

/// How a trybuild batch ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchStatus {
    /// Nothing to run.
    None,
    /// trybuild reported success.
    Ok,
    /// trybuild reported a failure.
    Failed,
}

/// One fixture as observed.
#[derive(Clone, Debug)]
pub struct Observed {
    /// `ui/…/name.rs`.
    pub path: String,
    /// The kinds of expectation the fixture has.
    pub expected_kinds: Vec<Kind>,
    /// The text each expectation should hold on this compiler: trybuild's
    /// diagnostics for compile-fail fixtures, the canonical output (and
    /// stderr, if checked) for runnable ones; missing when none could be
    /// obtained.
    pub actual: Vec<(Kind, String)>,
    /// What the suite's own checks found.
    pub problems: Vec<Problem>,
}

impl Observed {
    /// The observed text of `kind`.
    pub fn actual(&self, kind: Kind) -> Option<&str> {
        self.actual
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| t.as_str())
    }

    /// May an expectation be written from this observation?
    pub fn blessable(&self) -> bool {
        self.expected_kinds
            .iter()
            .all(|k| self.actual(*k).is_some())
            && !self
                .problems
                .iter()
                .any(|p| matches!(p.check, Check::Outcome | Check::Annotations))
    }
}

/// A whole run on one compiler.
#[derive(Clone, Debug)]
pub struct Collected {
    /// `rustc -vV` release line.
    pub release: String,
    /// Major.minor.
    pub version: Version,
    /// trybuild's compile-fail batch.
    pub compile_fail: BatchStatus,
    /// trybuild's pass batch.
    pub pass: BatchStatus,
    /// Every selected fixture.
    pub fixtures: Vec<Observed>,
}

const INDEX: &str = "index";

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn batch_name(b: BatchStatus) -> &'static str {
    match b {
        BatchStatus::None => "none",
        BatchStatus::Ok => "ok",
        BatchStatus::Failed => "failed",
    }
}

impl Collected {
    /// Write into `dir`, replacing what a previous run left there.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let io = |p: &Path| {
            let p = p.to_owned();
            move |e| Error::io(p, e)
        };
        if dir.exists() {
            fs::remove_dir_all(dir).map_err(io(dir))?;
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        let mut index = format!(
            "release {}\nversion {}\nbatch-compile-fail {}\nbatch-pass {}\n",
            self.release,
            self.version,
            batch_name(self.compile_fail),
            batch_name(self.pass)
        );
        for (n, f) in self.fixtures.iter().enumerate() {
            index.push_str(&format!("fixture {}\n", f.path));
            for kind in &f.expected_kinds {
                index.push_str(&format!("expects {}\n", kind.ext()));
            }
            for (kind, text) in &f.actual {
                let name = format!("{n}.{}", kind.ext());
                fs::write(dir.join(&name), text).map_err(io(&dir.join(&name)))?;
                index.push_str(&format!("actual {} {name}\n", kind.ext()));
            }
            for p in &f.problems {
                index.push_str(&format!(
                    "problem {} {}\n",
                    p.check.name(),
                    escape(&p.message)
                ));
            }
        }
        let tmp = dir.join("index.tmp");
        fs::write(&tmp, index).map_err(io(&tmp))?;
        fs::rename(&tmp, dir.join(INDEX)).map_err(io(dir))
    }

    /// Read what a finished run left in `dir`.
    pub fn read(dir: &Path) -> Result<Collected> {
        let index_path = dir.join(INDEX);
        let text = fs::read_to_string(&index_path).map_err(|e| Error::io(&index_path, e))?;
        let bad = |line: usize, what: &str| {
            Error::fixture(
                &index_path,
                Some(line),
                format!("unreadable collected index: {what}"),
                "run the command again",
            )
        };
        let mut c = Collected {
            release: String::new(),
            version: Version { major: 0, minor: 0 },
            compile_fail: BatchStatus::None,
            pass: BatchStatus::None,
            fixtures: Vec::new(),
        };
        let batch = |v: &str| match v {
            "ok" => BatchStatus::Ok,
            "failed" => BatchStatus::Failed,
            _ => BatchStatus::None,
        };
        for (i, line) in text.lines().enumerate() {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "release" => c.release = value.to_string(),
                "version" => c.version = value.parse().map_err(|()| bad(i + 1, "version"))?,
                "batch-compile-fail" => c.compile_fail = batch(value),
                "batch-pass" => c.pass = batch(value),
                "fixture" => c.fixtures.push(Observed {
                    path: value.to_string(),
                    expected_kinds: Vec::new(),
                    actual: Vec::new(),
                    problems: Vec::new(),
                }),
                "actual" | "problem" | "expects" => {
                    let f = c
                        .fixtures
                        .last_mut()
                        .ok_or_else(|| bad(i + 1, "entry before any fixture"))?;
                    let kind = |ext: &str| match ext {
                        "stderr" => Some(Kind::Stderr),
                        "stdout" => Some(Kind::Stdout),
                        _ => None,
                    };
                    if key == "expects" {
                        f.expected_kinds
                            .push(kind(value).ok_or_else(|| bad(i + 1, "kind"))?);
                    } else if key == "actual" {
                        let (ext, name) =
                            value.split_once(' ').ok_or_else(|| bad(i + 1, "actual"))?;
                        let p = dir.join(name);
                        let text = fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
                        f.actual
                            .push((kind(ext).ok_or_else(|| bad(i + 1, "kind"))?, text));
                    } else {
                        let (check, message) = value.split_once(' ').unwrap_or((value, ""));
                        let check =
                            Check::from_name(check).ok_or_else(|| bad(i + 1, "check name"))?;
                        f.problems.push(Problem {
                            check,
                            message: unescape(message),
                        });
                    }
                }
                _ => return Err(bad(i + 1, line)),
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = std::env::temp_dir().join(format!("ch16-collect-{}", std::process::id()));
        let c = Collected {
            release: "1.95.0".into(),
            version: Version {
                major: 1,
                minor: 95,
            },
            compile_fail: BatchStatus::Ok,
            pass: BatchStatus::Failed,
            fixtures: vec![Observed {
                path: "ui/a/b.rs".into(),
                expected_kinds: vec![Kind::Stdout, Kind::Stderr],
                actual: vec![(Kind::Stdout, "x\ny\\n\n".into())],
                problems: vec![Problem {
                    check: Check::Annotations,
                    message: "two\nlines \\ here".into(),
                }],
            }],
        };
        c.write(&dir).unwrap();
        let r = Collected::read(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(r.fixtures[0].actual, c.fixtures[0].actual);
        assert_eq!(
            r.fixtures[0].problems[0].message,
            c.fixtures[0].problems[0].message
        );
        assert_eq!(
            (r.version, r.pass, r.compile_fail),
            (c.version, BatchStatus::Failed, BatchStatus::Ok)
        );
        assert_eq!(r.fixtures[0].expected_kinds, c.fixtures[0].expected_kinds);
        assert!(!r.fixtures[0].blessable());
    }
}
