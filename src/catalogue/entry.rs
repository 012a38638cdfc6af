//! One fixture's entry on its page: lesson, code, what happens when it is
//! built, other versions' texts, the next step and rustc's suggestion.

use super::markdown::{Shows, entry_link, extended, extensions, fence, inline, outcome, versions};
use super::relocate::relocate;
use super::{Links, Render, playground, std_items};
use crate::diff;
use crate::error::{Error, Result};
use crate::model::expect::{ExpectFile, Kind};
use crate::model::fixture::{FIXTURE_CRATES, Fixture, Listing};
use crate::model::header::Expect;
use crate::model::output::{OutputSpec, Stream};
use crate::names::{Bless, Version};
use crate::problem::{Check, Level, Problem};
use std::fmt::Write as _;
use std::path::Path;

/// The entry of a fixture, up to the links to the entries around it.
pub(super) fn entry(r: &Render, (f, l): Shows) -> Result<String> {
    let e = Entry { r, f, l };
    let (h, code) = (&l.header, l.code());
    let (name, short, caption) = (&h.listing, f.short_id(), inline(&h.caption));
    let (section, url, outcome) = (inline(&h.section), &h.url, outcome(l));
    let (play, teaches) = (playground::link(&code), inline(&h.teaches));
    let source = r.links.source(&f.dir, &format!("{}.rs", f.stem));
    // mdBook's attributes on the site: its play button and edition.
    let info = match (r.links, h.expect.is_compile_fail()) {
        (Links::GitHub, _) => "rust",
        (Links::Site { .. }, true) => "rust,compile_fail,edition2024",
        (Links::Site { .. }, false) => "rust,edition2024",
    };
    let extends = extended(r.suite, (f, l)).map_or(String::new(), |to| {
        let link = entry_link(Some(&f.dir), to);
        format!(" · extends [{}]({link})", to.1.header.listing)
    });
    let mut s = format!(
        "\n## {short} · {caption} <a id=\"{name}\"></a>\n\n\
         Book: [{section}]({url}){extends} · {outcome} · [open in the Playground]({play}) · \
         [source]({source})\n\n\
         **Teaches:** {teaches}\n\n> {}\n\n{}",
        inline(&h.lesson.join(" ")),
        fence(info, &code),
    );
    let uses = |k: &&&str| code.contains(&format!("{k}::"));
    for k in FIXTURE_CRATES.iter().filter(uses) {
        let add = format!("add it to your project with `cargo add {k}`");
        w!(s, "It uses the `{k}` crate: {add}.\n\n");
    }
    e.happens(&mut s)?;
    let suggestion = e.suggestion(&code)?;
    e.variants(&mut s)?;
    e.next_step(&mut s, &code);
    s.push_str(&suggestion);
    let beyond: Vec<String> = extensions(r.suite, (f, l))
        .into_iter()
        .map(|x| {
            let (id, caption) = (x.0.short_id(), inline(&x.1.header.caption));
            format!("- [{id} · {caption}]({})\n", entry_link(Some(&f.dir), x))
        })
        .collect();
    if !beyond.is_empty() {
        w!(s, "**Beyond the book:**\n\n{}\n", beyond.concat());
    }
    Ok(s)
}

/// A fixture being shown.
struct Entry<'a> {
    r: &'a Render<'a>,
    f: &'a Fixture,
    l: &'a Listing,
}

impl<'a> Entry<'a> {
    /// A problem of the page with `file`, fixed by blessing the fixture.
    fn problem(&self, file: &Path, said: String, fix: &str) -> Error {
        let bless = Bless::fixture(self.f.short_id());
        let fix = fix.replace("{bless}", &bless.to_string());
        let file = file.to_string_lossy();
        Error::Tree(vec![Problem::said(Check::Page, file, said).edit(fix)])
    }

    /// The un-keyed expectation of `kind`, which every fixture needs.
    fn base(&self, kind: Kind) -> Result<&ExpectFile> {
        let mut files = self.f.expectations.iter();
        let said = || format!("has no `.{}` expectation for its page to show", kind.ext());
        let fix = "run `{bless}`, which writes it and the page";
        let file = files.find(|e| e.kind == kind && e.key.is_none());
        file.ok_or_else(|| self.problem(&self.f.path, said(), fix))
    }

    /// The text of `file` as shown: a `.fixed` file's code without the
    /// header, or the words retold for the code shown.
    fn text(&self, file: &ExpectFile) -> Result<String> {
        let text = (self.r.read)(&file.path)?;
        let len = self.l.header.len;
        if file.kind != Kind::Fixed {
            let fix = "the expectation does not fit the fixture: run `{bless}`";
            let retold = relocate(&text, &self.f.display_path(), len);
            return retold.map_err(|said| self.problem(&file.path, said, fix));
        }
        let header: String = self.l.source.split_inclusive('\n').take(len).collect();
        let said = "its first lines are not the fixture's header".to_string();
        let code = text.strip_prefix(&header).map(str::to_string);
        code.ok_or_else(|| self.problem(&file.path, said, "run `{bless}` to write it again"))
    }

    /// The recorded versions `file` is the expectation for.
    fn versions_of(&self, file: &ExpectFile) -> String {
        let applies = |&v: &Version| {
            let applied = self.f.expectation(file.kind, v);
            applied.is_some_and(|e| e.path == file.path)
        };
        let record = self.r.suite.record.iter().copied();
        versions(&record.filter(applies).collect::<Vec<_>>())
    }

    /// What the compiler says, or what the program prints (and writes to stderr).
    fn happens(&self, s: &mut String) -> Result<()> {
        let h = &self.l.header;
        if h.expect.is_compile_fail() {
            return self.said(s, Kind::Stderr, "**What the compiler says**");
        }
        for a in self.l.annotations.iter().filter(|a| a.level == Level::Warn) {
            let (line, lint) = (a.line - h.len, &a.code);
            let warning = format!("It compiles with a warning, `{lint}` on line {line}");
            w!(s, "{warning} (annotated `//~ WARN {lint}`).\n\n");
        }
        if h.expect.hangs() {
            let secs = h.timeout.as_secs();
            w!(
                s,
                "It never ends on its own: on every run the suite checks that it is still \
                 running after {secs} s, its time limit, and then stops it. What it prints below \
                 is what it printed by then.\n\n"
            );
        }
        match &h.output {
            Some(OutputSpec::Streams(streams)) => self.streams(s, streams),
            _ => self.said(s, Kind::Stdout, "**What it prints**, the same on every run")?,
        }
        if h.run_stderr {
            let lead = "**What it writes to stderr**, its panic message";
            self.said(s, Kind::Stderr, lead)?;
        }
        Ok(())
    }

    /// `lead`, then the base expectation of `kind` and its versions, and
    /// what the page knows of the text: where `$RUST/…` points, panics.
    fn said(&self, s: &mut String, kind: Kind, lead: &str) -> Result<()> {
        let file = self.base(kind)?;
        let (text, versions) = (self.text(file)?, self.versions_of(file));
        match text.is_empty() && kind == Kind::Stdout {
            true => w!(s, "**What it prints:** nothing ({versions}).\n\n"),
            false => w!(s, "{lead} ({versions}):\n\n{}", fence("text", &text)),
        }
        notes(s, &text);
        Ok(())
    }

    /// What a program whose threads interleave prints: each thread's lines.
    fn streams(&self, s: &mut String, streams: &[Stream]) {
        s.push_str(
            "**What it prints** changes from run to run, as its threads take turns: each \
             list below, in its order, mixed with the others in any way, and nothing else.\n\n",
        );
        for (n, stream) in (1..).zip(streams) {
            let count = stream.lines.len();
            match stream.partial {
                true => w!(
                    s,
                    "Thread {n}: a first part of these {count} lines (its thread may be \
                     stopped when `main` returns, even in the middle of a line):\n\n"
                ),
                false => w!(s, "Thread {n}: all {count} lines:\n\n"),
            }
            let lines = &stream.lines;
            let shown = match lines.len() {
                0..=4 => lines.join("\n"),
                n => format!(
                    "{}\n{}\n⋮ ({} more)\n{}",
                    lines[0],
                    lines[1],
                    n - 3,
                    lines[n - 1]
                ),
            };
            s.push_str(&fence("text", &(shown + "\n")));
        }
    }

    /// Each version-keyed expectation, against the text before it.
    fn variants(&self, s: &mut String) -> Result<()> {
        let all = &self.f.expectations;
        for kind in self.l.kinds() {
            let mut files: Vec<_> = all.iter().filter(|e| e.kind == kind).collect();
            files.sort_by_key(|e| e.key);
            for pair in files.windows(2) {
                let (before, file) = (pair[0], pair[1]);
                let Some(key) = file.key else { continue };
                let what = match kind {
                    Kind::Stderr if self.l.header.expect.is_compile_fail() => "the compiler says",
                    Kind::Stderr => "it writes to stderr",
                    Kind::Stdout => "it prints",
                    Kind::Fixed => "the compiler's suggestion gives",
                };
                let (old, new) = (self.text(before)?, self.text(file)?);
                let names = (before.name(), file.name());
                let diff = diff::unified_with(&old, &new, (&names.0, &names.1), 2);
                w!(
                    s,
                    "**From rustc {key} on**, {what} this instead; how it differs from {}:\n\n{}",
                    self.versions_of(before),
                    fence("diff", &diff)
                );
            }
        }
        Ok(())
    }

    /// The fix (`fixed-by`) or the improvement (`improved-by`): a diff or a
    /// link; where the fix fails too, also the first fix down the chain
    /// that compiles.
    fn next_step(&self, s: &mut String, code: &str) {
        let h = &self.l.header;
        let named = h.fixed_by.as_deref().or(h.improved_by.as_deref());
        let Some(to) = named.and_then(|id| self.r.suite.by_id(id)) else {
            return;
        };
        let theirs = &to.1.header;
        let link = |to: Shows| {
            let id = &to.1.header.listing;
            format!("[{id}]({})", entry_link(Some(&self.f.dir), to))
        };
        let lead = match (h.expect.is_compile_fail(), &theirs.expect) {
            (true, Expect::Run) => format!("**The fix** is {}", link(to)),
            (true, Expect::Hang) => format!(
                "**The next step** is {}, which compiles but never ends",
                link(to)
            ),
            (true, Expect::CompileFail(codes)) => {
                let codes = codes.join(", ");
                let working = self.working_fix(to).map_or(String::new(), |w| {
                    format!(" · **the working fix:** {}", link(w))
                });
                format!(
                    "**Next step:** {} (does not compile either: {codes}){working}.\n\n\
                     From this listing to the next step",
                    link(to)
                )
            }
            (false, _) => format!("**The next step** is {}", link(to)),
        };
        let their_code = to.1.code();
        if diff::is_small_edit(code, &their_code) {
            let diff = diff::unified_with(code, &their_code, (&h.listing, &theirs.listing), 1);
            let diff = fence("diff", &diff);
            w!(s, "{lead}, this edit:\n\n{diff}");
        } else {
            let caption = inline(&theirs.caption);
            w!(s, "{lead}, a different program: {caption}.\n\n");
        }
    }

    /// Following `fixed-by` from `from`, the first fixture that compiles.
    fn working_fix(&self, from: Shows<'a>) -> Option<Shows<'a>> {
        let mut at = from;
        for _ in 0..self.r.suite.fixtures.len() {
            if !at.1.header.expect.is_compile_fail() {
                return Some(at);
            }
            at = self.r.suite.by_id(at.1.header.fixed_by.as_deref()?)?;
        }
        None
    }

    /// rustc's suggestions applied (`.fixed`) as a diff; empty when none is claimed.
    fn suggestion(&self, code: &str) -> Result<String> {
        let h = &self.l.header;
        let named = h.suggestion_gives.as_deref();
        let Some(gives) = named.and_then(|id| self.r.suite.by_id(id)) else {
            return Ok(String::new());
        };
        let file = self.base(Kind::Fixed)?;
        let theirs = format!("{} (rustc's suggestion)", h.listing);
        let diff = diff::unified_with(code, &self.text(file)?, (&h.listing, &theirs), 1);
        Ok(format!(
            "**The compiler's own suggestion**, applied as `cargo fix` would, gives the code \
             of [{}]({}), comments aside:\n\n{}",
            gives.1.header.listing,
            entry_link(Some(&self.f.dir), gives),
            fence("diff", &diff)
        ))
    }
}

/// What the page adds under a message or a program's stderr: where each
/// `$RUST/…` location points, and what `RUST_BACKTRACE=1` changes.
fn notes(s: &mut String, text: &str) {
    let mut seen = Vec::new();
    for p in std_items::points(text) {
        let Some(row) = std_items::item(&p) else {
            continue;
        };
        if seen.contains(&row) {
            continue;
        }
        seen.push(row);
        w!(
            s,
            "`$RUST/{}` is the standard library's source: {}.\n\n",
            p.file,
            row.says
        );
    }
    if text.contains("panicked at") {
        s.push_str(
            "With `RUST_BACKTRACE=1` set, a stack backtrace follows each panic message, \
             and the ``note: run with `RUST_BACKTRACE=1` …`` line is not printed.\n\n",
        );
    }
}
