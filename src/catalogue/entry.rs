//! One fixture's entry on its page: lesson, code, what happens when it is
//! built, other versions' texts, the next step and rustc's suggestion.

use super::markdown::{Shows, entry_link, fence, inline, ours, outcome, versions};
use super::relocate::relocate;
use super::{Links, Render, playground};
use crate::diff;
use crate::error::{Error, Result};
use crate::model::expect::{self, ExpectFile, Kind};
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
    let level = if ours(&f.dir) { "###" } else { "##" };
    let (name, caption) = (&h.listing, inline(&h.caption));
    let (section, url, outcome) = (inline(&h.section), &h.url, outcome(l));
    let (play, teaches) = (playground::link(&code), inline(&h.teaches));
    let source = e.link(&format!("{}.rs", f.stem));
    // mdBook's attributes on the site: its play button and edition.
    let info = match (r.links, h.expect.is_compile_fail()) {
        (Links::GitHub, _) => "rust",
        (Links::Site { .. }, true) => "rust,compile_fail,edition2024",
        (Links::Site { .. }, false) => "rust,edition2024",
    };
    let mut s = format!(
        "\n{level} {name} · {caption} <a id=\"{name}\"></a>\n\n\
         Book: [{section}]({url}) · {outcome} · [open in the Playground]({play}){}\n\n\
         **Teaches:** {teaches}\n\n> {}\n\n{}",
        source.map_or(String::new(), |link| format!(" · [source]({link})")),
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
    Ok(s + &suggestion)
}

/// A fixture being shown.
struct Entry<'a> {
    r: &'a Render<'a>,
    f: &'a Fixture,
    l: &'a Listing,
}

impl Entry<'_> {
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
        let text = (self.r.read)(&file.path).map_err(Error::io_on(&file.path))?;
        let (text, len) = (expect::lf(text), self.l.header.len);
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

    fn link(&self, name: &str) -> Option<String> {
        let path = format!("ui/{}/{name}", self.f.dir);
        self.r.links.source(name, &path)
    }

    /// `` [`name`](link) ``, or just `` `name` `` where there is no link.
    fn file_ref(&self, name: &str) -> String {
        let link = self.link(name);
        link.map_or(format!("`{name}`"), |link| format!("[`{name}`]({link})"))
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
            let lead = "**What it writes to stderr**, its panic message, with the thread's id \
                        shown as `(ID)` since it changes on every run";
            self.said(s, Kind::Stderr, lead)?;
        }
        Ok(())
    }

    /// `lead`, then the base expectation of `kind`, its versions and file.
    fn said(&self, s: &mut String, kind: Kind, lead: &str) -> Result<()> {
        let file = self.base(kind)?;
        let (text, versions) = (self.text(file)?, self.versions_of(file));
        let recorded = format!("{versions}, recorded in {}", self.file_ref(&file.name()));
        match text.is_empty() && kind == Kind::Stdout {
            true => w!(s, "**What it prints:** nothing ({recorded}).\n\n"),
            false => w!(s, "{lead} ({recorded}):\n\n{}", fence("text", &text)),
        }
        Ok(())
    }

    /// What a program whose threads interleave prints: each thread's sequence.
    fn streams(&self, s: &mut String, streams: &[Stream]) {
        s.push_str(
            "**What it prints** changes from run to run: its threads run at the same time, \
             and the scheduler decides which of their lines comes next. What every run \
             shows, and the suite checks on every run: the lines of each sequence below, \
             in that sequence's order, mixed with the other sequences' lines in any way, \
             and no other line.\n\n",
        );
        for (n, stream) in (1..).zip(streams) {
            let count = stream.lines.len();
            match stream.partial {
                true => w!(
                    s,
                    "Sequence {n}: a first part of these {count} lines, in this order (its \
                     thread may be stopped when `main` returns, even in the middle of a line):\n\n"
                ),
                false => w!(s, "Sequence {n}: all {count} lines, in this order:\n\n"),
            }
            s.push_str(&fence("text", &(stream.lines.join("\n") + "\n")));
        }
        let file = self.file_ref(&format!("{}.stdout", self.f.stem));
        w!(
            s,
            "The recorded {file} holds, one after another, the sequences that every run \
             completes: a canonical form for comparing, not what a run prints."
        );
        if streams.iter().any(|s| s.partial) {
            s.push_str(
                " A sequence that may be cut short is left out of it, since no run can \
                 promise how far it gets: it is checked against its list above.",
            );
        }
        s.push_str("\n\n");
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
                let diff = diff::unified(&old, &new, &before.name(), &file.name());
                w!(
                    s,
                    "**From rustc {key} on**, {what} this instead (recorded in {}); how it differs \
                     from {}:\n\n{}",
                    self.file_ref(&file.name()),
                    self.versions_of(before),
                    fence("diff", &diff)
                );
            }
        }
        Ok(())
    }

    /// The fix (`fixed-by`) or the improvement (`improved-by`): a diff or a link.
    fn next_step(&self, s: &mut String, code: &str) {
        let h = &self.l.header;
        let named = h.fixed_by.as_deref().or(h.improved_by.as_deref());
        let Some(to) = named.and_then(|id| self.r.suite.by_id(id)) else {
            return;
        };
        let (theirs, link) = (&to.1.header, entry_link(Some(&self.f.dir), to));
        let link = format!("[{}]({link})", theirs.listing);
        // A fix that fails too is the book's next step.
        let lead = match (h.expect.is_compile_fail(), &theirs.expect) {
            (true, Expect::Run) => format!("**The fix** is {link}"),
            (true, Expect::Hang) => {
                format!("**The next step** is {link}, which compiles but never ends")
            }
            (true, Expect::CompileFail(codes)) => {
                let codes = codes.join(", ");
                format!("**The next step** is {link}, which does not compile either ({codes})")
            }
            (false, _) => format!("**The next step** is {link}"),
        };
        let their_code = to.1.code();
        if diff::is_small_edit(code, &their_code) {
            let diff = diff::unified(code, &their_code, &h.listing, &theirs.listing);
            let diff = fence("diff", &diff);
            w!(s, "{lead}, this edit:\n\n{diff}");
        } else {
            let caption = inline(&theirs.caption);
            w!(s, "{lead}, a different program: {caption}.\n\n");
        }
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
        let diff = diff::unified(code, &self.text(file)?, &h.listing, &theirs);
        Ok(format!(
            "**The compiler's own suggestion**, its machine-applicable fixes applied as \
             `cargo fix` would (recorded in {}), gives the code of [{}]({}); comments, `//~` \
             markers among them, stay as they were, and the suite compares the code only:\n\n{}",
            self.file_ref(&file.name()),
            gives.1.header.listing,
            entry_link(Some(&self.f.dir), gives),
            fence("diff", &diff)
        ))
    }
}
