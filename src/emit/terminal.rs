//! The terminal's words: a problem with its fix, an error, a failed
//! fixture, and a run's overview, a few lines however many fixtures pass.

use crate::check::report::{FixtureReport, Report};
use crate::error::{Error, FileChange, Unfinished};
use crate::model::annotation::{level_word, show};
use crate::model::expect::Kind;
use crate::names::{BLESS, PENDING, RECORD};
use crate::observe::BatchStatus;
use crate::observe::trybuild::NAME;
use crate::problem::{Check, Fix, Problem, What};
use std::fmt::{self, Write as _};

impl fmt::Display for Check {
    /// Its name as the report's JSON spells it: `stderr-text`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let name = serde_json::to_value(self).map_err(|_| fmt::Error)?;
        f.write_str(name.as_str().unwrap_or_default())
    }
}

impl Fix {
    /// The thing to do, in a line: the command to run, or the edit.
    pub fn action(&self) -> String {
        match self {
            Fix::Accept { bless, .. } | Fix::Write(bless) => format!("`{bless}`"),
            Fix::Edit(edit) => edit.clone(),
        }
    }
}

/// Whether a problem is about a file as such: the file is named first, the
/// fix goes on a line of its own.
fn about_a_file(check: Check) -> bool {
    use Check::{Load, NotObserved, Page, Tree};
    matches!(check, Load | Tree | NotObserved | Page)
}

/// What is wrong, in words, without the fix.
fn what(p: &Problem) -> String {
    let body = match &p.what {
        What::Said(text) => text.clone(),
        What::Differs { said, from, to } => {
            let diff = crate::diff::brief(&from.0, &to.0, &from.1, &to.1);
            format!("{said}:\n{diff}")
        }
        What::Annotations {
            missing,
            unexpected,
        } => {
            let said = |e: &crate::problem::Expected| (show(e), level_word(e.level), e.line);
            let missing = missing.iter().map(|e| {
                let ((shown, level, line), code) = (said(e), &e.code);
                let remove = format!("remove `//~ {level} {code}` from line {line}");
                let why = format!("the compiler no longer reports it there: {remove}");
                format!("annotated but not reported: {shown}; {why}, or change the code back")
            });
            let unexpected = unexpected.iter().map(|(e, message)| {
                let ((shown, level, line), code) = (said(e), &e.code);
                let add = format!("add `//~ {level} {code}` at the end of line {line}");
                format!("reported but not annotated: {shown} ({message}); {add}")
            });
            let lines = missing.chain(unexpected).map(|l| format!("    {l}"));
            let lines = lines.collect::<Vec<_>>().join("\n");
            format!("the `//~` annotations disagree with the compiler:\n{lines}")
        }
    };
    match (about_a_file(p.check), p.line) {
        (true, Some(line)) => format!("{}:{line}: {body}", p.file),
        (true, None) => format!("{}: {body}", p.file),
        (false, _) => body,
    }
}

impl fmt::Display for Problem {
    /// The problem in words with its fix: on a line of its own after a
    /// message of several lines or about a file, else after a semicolon.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let what = what(self);
        let Some(fix) = &self.fix else {
            return f.write_str(&what);
        };
        let action = fix.action();
        let fix = match fix {
            Fix::Accept { what, .. } => {
                format!("if the new {what} is right, run {action}; if not, change the fixture")
            }
            Fix::Write(_) => format!("run {action}"),
            Fix::Edit(_) => action,
        };
        match () {
            _ if about_a_file(self.check) => write!(f, "{what}\n  fix: {fix}"),
            _ if what.ends_with('\n') => write!(f, "{what}fix: {fix}"),
            _ => write!(f, "{what}; {fix}"),
        }
    }
}

/// The checkout changed during a run: every file, who may have done it, the fix.
fn changed(files: &[(FileChange, std::path::PathBuf)], ran: &[String]) -> String {
    let how = |c: &FileChange| match c {
        FileChange::Added => "added",
        FileChange::Removed => "removed",
        FileChange::Modified => "modified",
    };
    let each: String = files
        .iter()
        .map(|(c, p)| format!("\n    {} {}", how(c), p.display()))
        .collect();
    let who = match ran {
        [] => "no fixture's program ran, so something else did".to_string(),
        ran => format!("the programs of these fixtures ran: {}", ran.join(", ")),
    };
    format!(
        "the checkout changed while the fixtures' programs ran ({who}); {} file(s):{each}\n  \
         nothing this run saw is trusted, and `{BLESS}` writes nothing from it\n  \
         fix: make the fixture's program write nothing outside its own temporary files (it runs \
         with your permissions); then see `git status`, restore what it changed, and run again",
        files.len()
    )
}

/// A committed update not finished: where it stopped and why, if it was
/// under way; what is left; what to do.
fn unfinished(u: &Unfinished) -> String {
    let Unfinished {
        left,
        done,
        blocked,
        stopped_at,
    } = u;
    let n = left.len();
    let first = left
        .first()
        .map_or(String::new(), |p| format!(" (first: {})", p.display()));
    let Some((at, error)) = stopped_at else {
        let (why, fix) = match blocked {
            Some(b) => (
                format!(
                    "; `{}` cannot be replaced or removed ({})",
                    b.file.display(),
                    b.why
                ),
                format!("{}, then ", b.fix),
            ),
            None => Default::default(),
        };
        return format!(
            "`{PENDING}` holds an update that `{BLESS}` committed and did not finish: {n} file(s) are still to be \
             written or removed{first}{why}.\n  fix: {fix}run `{BLESS}`, which finishes it first"
        );
    };
    let at = at.display();
    let (why, fix) = match blocked {
        Some(b) => (format!("{}: {error}", b.why), b.fix.clone()),
        None => (
            error.clone(),
            format!("remove what keeps `{at}` from being replaced"),
        ),
    };
    let total = done + n;
    format!(
        "the update `{BLESS}` committed stopped at `{at}` ({why}): {done} of {total} file(s) are written or \
         removed, {n} are not yet{first}; `cargo test` and `cargo xtask check` refuse to run until they are\n  \
         fix: {fix}, then run `{BLESS}`, which finishes the update first"
    )
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let text = match self {
            Error::Io(path, error) => format!("{}: {error}", path.display()),
            Error::Tree(problems) => {
                let each: String = problems.iter().map(|p| format!("\n{p}")).collect();
                format!("the fixture tree has {} problem(s):{each}", problems.len())
            }
            Error::Toolchain { toolchain, problem } => {
                format!("toolchain `{toolchain}`: {problem}")
            }
            Error::Unfinished(u) => unfinished(u),
            Error::Journal(path, line) => format!(
                "{}:{line}: unreadable journal of an interrupted bless\n  fix: inspect it, then delete `{PENDING}` \
                 and run `{BLESS}` again",
                path.display()
            ),
            Error::Unrecorded(v) => format!(
                "compiler version {v} is not in {RECORD} yet: bless it for every fixture first (without --filter); \
                 nothing was changed"
            ),
            Error::Unwritable(dir, file, error) => {
                let (dir, file) = (dir.display(), file.display());
                format!(
                    "{dir}: cannot write here ({error}), so `{file}` cannot be updated; nothing was changed\n  fix: \
                     make `{dir}` writable (its permissions, `chattr -i`, a read-only mount), then run the command again"
                )
            }
            Error::Unreplaceable(b) => format!(
                "{}: cannot be replaced or removed ({}), so the update cannot be made; nothing was changed\n  \
                 fix: {}, then run the command again",
                b.file.display(),
                b.why,
                b.fix
            ),
            Error::Tool { problem, fix } | Error::Checkout { problem, fix } => {
                format!("{problem}\n  fix: {fix}")
            }
            Error::Changed { files, ran } => changed(files, ran),
            Error::Internal(problem) => {
                let bug = "this is a bug in the suite; nothing was changed";
                format!("internal error: {problem}\n  {bug}")
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for Error {}

/// One failed fixture: its path and what it is expected to do, then each
/// problem with its fix.
pub fn failure(f: &FixtureReport) -> String {
    let expected = match (f.loads, f.codes.as_slice()) {
        (false, _) => "does not load".into(),
        (true, []) if f.hangs => "hangs".into(),
        (true, []) => "runs".into(),
        (true, codes) => codes.join(" "),
    };
    let mut s = format!("FAIL {}  ({} {expected})\n", f.path, f.id);
    for p in &f.problems {
        let text = p.to_string().replace('\n', "\n  ");
        let _ = match p.check {
            Check::NotObserved => writeln!(s, "  {text}"),
            check => writeln!(s, "  {check}: {text}"),
        };
    }
    s
}

/// The tree's own problems (none: empty).
pub fn tree_failure(tree: &[Problem]) -> String {
    if tree.is_empty() {
        return String::new();
    }
    let n = tree.len();
    let mut s = format!("FAIL the fixture tree (ui/): {n} problem(s) of no one fixture\n");
    for p in tree {
        let _ = writeln!(s, "  {}", p.to_string().replace('\n', "\n  "));
    }
    s
}

/// A summary line: its title, the problems it counts, and which fixtures.
type Line = (&'static str, &'static [Check], fn(&FixtureReport) -> bool);

/// One line per check, in the order the checks run.
const LINES: &[Line] = {
    use Check::*;
    &[
        (
            "outcome (fails / builds, runs, exits 0 or hangs)",
            &[Outcome, NotObserved, NotReached, Load],
            |_| true,
        ),
        ("annotations (//~)", &[Annotations], |_| true),
        ("run output", &[Output], |f| f.codes.is_empty()),
        ("expectation files", &[Expectation], |_| true),
        (
            "the compiler's suggestion (.fixed, compiler-suggestion-gives)",
            &[Fixed, SuggestionClaim],
            |f| {
                let counted = |p: &Problem| matches!(p.check, Fixed | SuggestionClaim);
                f.actual(Kind::Fixed).is_some() || f.problems.iter().any(counted)
            },
        ),
        // Titled by whether it was compared (`overview`).
        (".stderr text", &[StderrText], |f| !f.codes.is_empty()),
    ]
};

/// What a run did: counts per check, the batches, the compiles, what was
/// hidden or skipped (`toolchain_hint` names the toolchain in the command
/// that covers it), the tree's problems.
pub fn overview(r: &Report, toolchain_hint: Option<&str>) -> String {
    let compile_fail = r.fixtures.iter().filter(|f| !f.codes.is_empty()).count();
    let broken = r.fixtures.iter().filter(|f| !f.loads).count();
    let runnable = r.fixtures.len() - compile_fail - broken;
    let observed = r.observed_only;
    let verb = if observed { "observed" } else { "checked" };
    let broken = (broken > 0).then(|| format!(", {broken} that do(es) not load"));
    let filtered = (r.filtered_out > 0).then(|| format!(" ({} filtered out)", r.filtered_out));
    let hang = r.fixtures.iter().filter(|f| f.hangs).count();
    let hang = (hang > 0).then(|| format!(" ({hang} meant to hang)"));
    let (label, n) = (&r.label, r.fixtures.len());
    let (broken, filtered) = (broken.unwrap_or_default(), filtered.unwrap_or_default());
    let hang = hang.unwrap_or_default();
    let mut s = format!(
        "  {verb} on {label}: {n} fixture(s), {compile_fail} compile-fail and {runnable} runnable{hang}{broken}{filtered}\n"
    );
    for (title, counts, applies) in LINES {
        // A fixture that did not load counts only where that is said.
        let counted = |f: &&FixtureReport| applies(f) && (f.loads || counts.contains(&Check::Load));
        let of: Vec<&FixtureReport> = r.fixtures.iter().filter(counted).collect();
        let failed = |f: &&&FixtureReport| f.problems.iter().any(|p| counts.contains(&p.check));
        let failed = of.iter().filter(failed).count();
        let stderr = *counts == [Check::StderrText];
        let title = match (stderr, observed) {
            _ if of.is_empty() => continue,
            (true, true) => format!("{title}, not compared (observed only)"),
            (true, false) => format!("{title}, compared by {NAME}"),
            (false, _) => title.to_string(),
        };
        let mark = match failed {
            _ if stderr && observed => "--  ",
            0 => "ok  ",
            _ => "FAIL",
        };
        let _ = writeln!(s, "  {mark} {title}: {}/{}", of.len() - failed, of.len());
    }
    batches(r, &mut s);
    let compiles = r.compiles();
    let ran: usize = compiles.iter().map(|(_, n)| n).sum();
    let fixtures = compiles.iter().filter(|(_, n)| *n > 0).count();
    let ran = format!("rustc ran {ran} time(s) in this run, for {fixtures} fixture(s)");
    let _ = writeln!(s, "  --   {ran}; cargo kept the rest");
    notes(r, &mut s, toolchain_hint);
    if !r.tree.is_empty() {
        let _ = write!(s, "\n{}", tree_failure(&r.tree));
    }
    s
}

/// How trybuild's batches ended, and where their reports are.
fn batches(r: &Report, s: &mut String) {
    let (compile_fail, pass) = (&r.compile_fail, &r.pass);
    for (name, (count, batch)) in [("compile-fail batch", compile_fail), ("pass batches", pass)] {
        let (mark, more) = match batch {
            BatchStatus::None => continue,
            BatchStatus::Ok => ("ok  ", ""),
            BatchStatus::Failed => ("FAIL", ", failures below"),
        };
        let _ = writeln!(s, "  {mark} {NAME} {name}: {count} fixture(s){more}");
    }
    for log in &r.logs {
        let _ = writeln!(s, "       {NAME}'s own report: {}", log.display());
    }
}

/// What was hidden or skipped, and how to cover it.
fn notes(r: &Report, s: &mut String, toolchain_hint: Option<&str>) {
    if r.rust_src_hidden {
        s.push_str(
            "  note: rust-src is installed; fixtures were compiled against a sysroot without std's sources,\n    \
             so the diagnostics are those of a toolchain without rust-src\n",
        );
    }
    if r.blessed {
        return;
    }
    let stderr = r.fixtures.iter().filter(|f| !f.codes.is_empty()).count();
    let stdout = r.fixtures.len() - stderr;
    let record: Vec<String> = r.record.iter().map(ToString::to_string).collect();
    let mut record = record.join(", ");
    let unreadable = r.tree.iter().any(|p| p.file == RECORD);
    if unreadable {
        record = "no readable version".into();
    } else if record.is_empty() {
        record = "none".into();
    }
    let hint = toolchain_hint.map(|t| format!(" --toolchain {t}"));
    let _ = writeln!(
        s,
        "  SKIPPED exact comparisons: expectations were never blessed for this compiler's version\n    \
         (ui/toolchains.txt lists {record}), so {stderr} .stderr comparison(s) ({NAME}) and {stdout} .stdout\n    \
         comparison(s) were not made; outcome, annotations and output promises were checked.\n    \
         To cover this compiler: {BLESS}{}",
        hint.unwrap_or_default()
    );
}
