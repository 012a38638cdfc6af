//! The fixture header (format in CONTRIBUTING.md): every field declared once
//! in `FIELDS`, the rules between fields in `Draft`; every problem of a
//! header is reported at once, in line order.

use crate::cut;
use crate::model::annotation::is_error_code;
use crate::model::chapter;
use crate::model::output::{OutputSpec, Stream};
use crate::names::is_slug;
use crate::problem::{Check, Problem, slashed};
use std::mem::take;
use std::path::Path;
use std::time::Duration;

/// The time a runnable fixture gets when its header names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

const FORMAT: &str = "see \"The fixture format\" in CONTRIBUTING.md for the header format";

/// Where a fixture comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// A listing of the book, under the book's own id.
    #[default]
    Book,
    /// An example of our own, for what the chapter leaves to the reader.
    Beyond,
}

/// What must happen when the fixture is built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Expect {
    /// Compilation fails with exactly these error codes (sorted, distinct).
    CompileFail(Vec<String>),
    /// Compiles, runs, and exits successfully.
    #[default]
    Run,
    /// Compiles, runs, and is still running at its time limit, where it is
    /// stopped: a program meant never to end (a deadlock, say).
    Hang,
}

impl Expect {
    /// True for compile-fail fixtures.
    pub fn is_compile_fail(&self) -> bool {
        matches!(self, Expect::CompileFail(_))
    }

    /// True for fixtures meant to be still running at their time limit.
    pub fn hangs(&self) -> bool {
        *self == Expect::Hang
    }
}

/// The header of one fixture, read.
#[derive(Clone, Debug, Default)]
pub struct Header {
    /// The book's id (`listing-16-13`), or our own (`beyond-…`).
    pub listing: String,
    /// What the listing does, in a line.
    pub caption: String,
    /// What a reader learns from it, in a sentence: its line in the index.
    pub teaches: String,
    /// The book section's number and heading.
    pub section: String,
    /// The book page and anchor it appears under (or extends).
    pub url: String,
    /// Book listing or ours.
    pub origin: Origin,
    /// Its outcome.
    pub expect: Expect,
    /// For a compile-fail fixture: the fixture that fixes it.
    pub fixed_by: Option<String>,
    /// For a runnable one: the fixture that does the same, better.
    pub improved_by: Option<String>,
    /// For a listing without a number: the listing it follows in the book.
    pub follows: Option<String>,
    /// The fixture rustc's machine-applicable suggestions turn it into.
    pub suggestion_gives: Option<String>,
    /// How a runnable fixture's output is compared.
    pub output: Option<OutputSpec>,
    /// `stderr: exact`: a runnable fixture's own stderr is compared too.
    pub run_stderr: bool,
    /// Its time limit when it runs.
    pub timeout: Duration,
    /// The explanation, a line each.
    pub lesson: Vec<String>,
    /// The line of each field given, for messages.
    pub lines: Vec<(&'static str, usize)>,
    /// The lines the header takes, the blank line after it included.
    pub len: usize,
}

impl Header {
    /// The line field `name` was given on, or 1.
    pub fn line_of(&self, name: &str) -> usize {
        let at = self.lines.iter().find(|(n, _)| *n == name);
        at.map_or(1, |&(_, l)| l)
    }

    fn has(&self, name: &str) -> bool {
        self.lines.iter().any(|(n, _)| *n == name)
    }
}

/// A header being read: its fields are found, read, then checked together.
#[derive(Default)]
struct Draft {
    h: Header,
    fields: Vec<(&'static str, usize, String)>,
    mode: Option<String>,
    streams: Vec<Stream>,
    found: Vec<Found>,
    read_well: Vec<&'static str>,
    /// Fields whose line is there with a problem: not missing.
    attempted: Vec<&'static str>,
}

/// A problem found on a line: its line, what is wrong, the fix.
type Found = (usize, String, String);

/// What is wrong with a value, and the fix.
type Bad = (String, &'static str);

type Read = fn(&mut Draft, &str, usize) -> Result<(), Bad>;

/// How often a header gives a field: once, at most once, any number of times.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    One,
    Maybe,
    Many,
}
use Need::{Many, Maybe, One};

/// The outcomes `expect` names by a word alone (the other is `compile-fail`
/// with its error codes), and what a fixture of each does.
const OUTCOMES: &[(&str, Expect)] = &[("run", Expect::Run), ("hang", Expect::Hang)];

/// Every header field, in the order a header gives them: its name, how
/// often it is given, the most characters its value may have (each but
/// `teaches`'s at least 1.5 times the longest in `ui/` when it was set;
/// CONTRIBUTING.md's table says them), and how it is read.
const FIELDS: &[(&str, Need, usize, Read)] = &[
    ("listing", One, 64, listing),
    ("caption", One, 160, caption),
    ("teaches", One, 120, teaches),
    ("section", One, 120, |d, v, _| {
        set(&mut d.h.section, v.into())
    }),
    ("url", One, 200, url),
    ("origin", Maybe, 16, origin),
    ("expect", One, 100, expect),
    ("fixed-by", Maybe, 64, |d, v, _| put(&mut d.h.fixed_by, v)),
    ("improved-by", Maybe, 64, |d, v, _| {
        put(&mut d.h.improved_by, v)
    }),
    ("follows", Maybe, 64, |d, v, _| put(&mut d.h.follows, v)),
    ("compiler-suggestion-gives", Maybe, 64, |d, v, _| {
        put(&mut d.h.suggestion_gives, v)
    }),
    ("output", Maybe, 16, |d, v, _| put(&mut d.mode, v)),
    ("stream", Many, 200, |d, v, l| stream(d, v, l, false)),
    ("stream-partial", Many, 200, |d, v, l| stream(d, v, l, true)),
    ("stderr", Maybe, 16, stderr),
    ("timeout", Maybe, 16, timeout),
];

/// The most characters a line of the explanation may have.
const LESSON_WIDTH: usize = 200;

/// Where the limits are documented.
const LIMITS: &str = "see \"Header fields\" in CONTRIBUTING.md for each field's limit";

fn set<T>(slot: &mut T, value: T) -> Result<(), Bad> {
    *slot = value;
    Ok(())
}

fn put(slot: &mut Option<String>, value: &str) -> Result<(), Bad> {
    set(slot, Some(value.to_string()))
}

fn ensure(ok: bool, said: impl Into<String>, fix: &'static str) -> Result<(), Bad> {
    if ok { Ok(()) } else { Err((said.into(), fix)) }
}

fn listing(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let said = format!("listing id `{v}` must be lowercase letters, digits and dashes");
    ensure(is_slug(v), said, "use the book's id, e.g. `listing-16-13`")?;
    set(&mut d.h.listing, v.into())
}

/// A caption is Markdown, where a stray backtick swallows the line.
fn caption(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let said = "the caption has an unclosed code span (an odd number of backticks)";
    let fix = "close the code span, e.g. `Mutex<T>`, or drop the stray backtick";
    ensure(v.matches('`').count().is_multiple_of(2), said, fix)?;
    set(&mut d.h.caption, v.into())
}

/// One sentence ending in a full stop (of at most 120 characters: `FIELDS`).
fn teaches(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "say what the fixture teaches in one sentence of at most 120 characters, \
               ending in a full stop; the explanation below holds the rest";
    let said = "the `teaches` line does not end in a full stop";
    ensure(v.ends_with('.') && !v.ends_with(".."), said, fix)?;
    let where_from = v.to_ascii_lowercase().starts_with("not from the book");
    let said = "the `teaches` line says where the fixture comes from, not what it teaches";
    ensure(!where_from, said, fix)?;
    // A sentence ends at `.`, `!` or `?` and a space, outside code spans
    // (`1.63` and `e.g.` are no ends).
    let mut in_code = false;
    for (i, b) in v.bytes().enumerate() {
        let ends = matches!(b, b'.' | b'!' | b'?') && v.as_bytes().get(i + 1) == Some(&b' ');
        in_code ^= b == b'`';
        if ends && !in_code && !["e.g", "i.e", "vs"].iter().any(|a| v[..i].ends_with(a)) {
            let end = &v[..=i];
            let said = "the `teaches` line holds more than one sentence";
            return Err((format!("{said} (one ends at `{end}`)"), fix));
        }
    }
    let said = "the `teaches` line has an unclosed code span (an odd number of backticks)";
    ensure(!in_code, said, fix)?;
    set(&mut d.h.teaches, v.into())
}

fn url(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let ok = chapter::of_url(v).is_some() && v.contains(".html#");
    let said = format!("`{v}` is not a chapter 16 section address");
    let fix = "use https://doc.rust-lang.org/book/ch16-0N-<page>.html#<heading>";
    ensure(ok, said, fix)?;
    set(&mut d.h.url, v.into())
}

fn origin(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "write `origin: beyond` for fixtures not from the book, or drop the field";
    match v {
        "book" => set(&mut d.h.origin, Origin::Book),
        "beyond" => set(&mut d.h.origin, Origin::Beyond),
        _ => Err((format!("origin `{v}` is neither `book` nor `beyond`"), fix)),
    }
}

/// `compile-fail E0382 [E0505 …]` (distinct codes, sorted), or a word of `OUTCOMES`.
fn expect(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "write `expect: compile-fail E0382 [E0505 …]`, `expect: run` (it runs and exits 0) \
               or `expect: hang` (it is still running at its time limit)";
    let mut words = v.split_whitespace();
    let (first, second) = (words.next(), words.next());
    let word = OUTCOMES.iter().find(|(word, _)| Some(*word) == first);
    let first = match (word, first, second) {
        (Some((_, outcome)), _, None) => return set(&mut d.h.expect, outcome.clone()),
        (Some((w, _)), _, Some(x)) => return Err((format!("unexpected `{x}` after `{w}`"), fix)),
        (None, Some("compile-fail"), first) => first,
        _ => return Err((format!("unknown outcome `{v}`"), fix)),
    };
    let mut codes: Vec<String> = Vec::new();
    for code in first.into_iter().chain(words) {
        let said = format!("`{code}` is not an error code like E0382");
        ensure(is_error_code(code), said, fix)?;
        let said = format!("error code {code} is listed twice");
        ensure(!codes.iter().any(|c| c == code), said, fix)?;
        codes.push(code.to_string());
    }
    ensure(!codes.is_empty(), "compile-fail without error codes", fix)?;
    codes.sort();
    set(&mut d.h.expect, Expect::CompileFail(codes))
}

fn stream(d: &mut Draft, v: &str, line: usize, partial: bool) -> Result<(), Bad> {
    let fix = "write a line template such as `Got: {hi,from,the}` or `hi number {1..9} from the main thread!`";
    let stream = Stream::parse(v, partial, line).map_err(|said| (said, fix))?;
    d.streams.push(stream);
    Ok(())
}

fn stderr(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "write `stderr: exact`, or drop the line to leave stderr unchecked";
    ensure(v == "exact", format!("unknown stderr mode `{v}`"), fix)?;
    set(&mut d.h.run_stderr, true)
}

fn timeout(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let secs = v.strip_suffix('s').map(|s| s.trim().parse::<u64>());
    let Some(Ok(secs @ 1..=3600)) = secs else {
        let said = format!("timeout `{v}` is not a duration");
        return Err((said, "write e.g. `timeout: 30s`"));
    };
    set(&mut d.h.timeout, Duration::from_secs(secs))
}

/// The header at the top of `source`, or every problem it has; `path`
/// names the file in them.
pub fn parse(path: &Path, source: &str) -> Result<Header, Vec<Problem>> {
    let file = slashed(path);
    let problem =
        |(line, said, fix): Found| Problem::said(Check::Load, &file, said).at(line).edit(fix);
    let all = |found: Vec<Found>| found.into_iter().map(problem).collect::<Vec<_>>();
    let mut d = Draft::default();
    d.lines(source).map_err(|stop| all(vec![stop]))?;
    if d.h.len == 0 {
        // No code: the lines that are there say what else is wrong.
        let said = "the file holds a header and no code";
        let fix = "add the listing's code after the header";
        d.say(source.lines().count(), said, fix);
        return Err(all(d.found));
    }
    d.read();
    d.found.sort_by_key(|f| f.0);
    let read = d.found.is_empty().then_some(d.h).ok_or(d.found);
    read.map_err(all)
}

impl Draft {
    fn say(&mut self, line: usize, said: impl Into<String>, fix: impl Into<String>) {
        self.found.push((line, said.into(), fix.into()));
    }

    /// Finds the header's fields and explanation, or the problem that stops it.
    fn lines(&mut self, source: &str) -> Result<(), Found> {
        let stop = |line, said: &str, fix: &str| Err((line, said.to_string(), fix.to_string()));
        if !source.starts_with("//!") {
            let said = "the file has no header: it does not start with a `//!` line";
            let fix =
                "run `cargo xtask new` to scaffold one, or copy the header of a fixture nearby";
            return stop(1, said, fix);
        }
        let mut in_lesson = false;
        for (line, raw) in (1..).zip(source.lines()) {
            let Some(rest) = raw.strip_prefix("//!") else {
                self.h.len = line;
                let said = "the header must be followed by one blank line";
                let fix = "put an empty line between the `//!` header and the code";
                let blank = raw.trim().is_empty();
                return if blank { Ok(()) } else { stop(line, said, fix) };
            };
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            match (in_lesson, rest.trim().is_empty()) {
                (true, _) => self.lesson_line(line, rest)?,
                (false, true) if self.fields.is_empty() => {
                    return stop(line, "blank line before any header field", FORMAT);
                }
                (false, true) => in_lesson = true,
                (false, false) => self.field(line, rest),
            }
        }
        Ok(())
    }

    fn lesson_line(&mut self, line: usize, text: &str) -> Result<(), Found> {
        let stop = |said: String, fix: &str| Err((line, said, fix.to_string()));
        if let Some((name, _)) = text.split_once(':')
            && !name.contains(' ')
            && FIELDS.iter().any(|(n, ..)| *n == name.trim())
        {
            let fix = "put every `field: value` line before the empty `//!` line that starts the explanation";
            return stop(format!("header field `{name}` after the explanation"), fix);
        }
        if text.trim().is_empty() {
            let fix = "keep the explanation as one paragraph of 2 to 8 lines";
            return stop("blank line inside the lesson text".into(), fix);
        }
        let chars = text.trim_end().chars().count();
        if chars > LESSON_WIDTH {
            let said = format!(
                "this line of the explanation has {chars} characters, more than its limit of {LESSON_WIDTH}"
            );
            let fix = format!("break it into lines of at most {LESSON_WIDTH} characters; {LIMITS}");
            self.say(line, said, fix);
        }
        self.h.lesson.push(text.trim_end().to_string());
        Ok(())
    }

    fn field(&mut self, line: usize, text: &str) {
        let Some((name, value)) = text.split_once(':') else {
            let said = format!(
                "expected `field: value`, found `{}`",
                cut::line(text.trim(), 60)
            );
            return self.say(line, said, FORMAT);
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(&(known, need, max, _)) = FIELDS.iter().find(|(n, ..)| *n == name) else {
            self.attempted.extend(near(name));
            let all: Vec<&str> = FIELDS.iter().map(|(n, ..)| *n).collect();
            let fix = match near(name) {
                Some(f) => format!("did you mean `{f}`? The fields are: {}", all.join(", ")),
                None => format!("use one of: {}", all.join(", ")),
            };
            let said = format!("unknown header field `{}`", cut::line(name, 60));
            return self.say(line, said, fix);
        };
        let chars = value.chars().count();
        if value.is_empty() {
            self.attempted.push(known);
            self.say(line, format!("field `{name}` has no value"), FORMAT);
        } else if chars > max {
            self.attempted.push(known);
            let said =
                format!("the `{name}` field has {chars} characters, more than its limit of {max}");
            self.say(
                line,
                said,
                format!("shorten it to at most {max} characters; {LIMITS}"),
            );
        } else if need != Many && self.fields.iter().any(|(n, ..)| *n == known) {
            self.say(line, format!("field `{name}` is given twice"), "keep one");
        } else {
            self.fields.push((known, line, value.to_string()));
        }
    }

    /// Reads every field, then checks what is missing and the rules between
    /// the fields that read well.
    fn read(&mut self) {
        self.h.timeout = DEFAULT_TIMEOUT;
        self.h.lines = self.fields.iter().map(|(n, l, _)| (*n, *l)).collect();
        for (name, line, value) in self.fields.clone() {
            let (.., read) = FIELDS.iter().find(|(n, ..)| *n == name).expect("a field");
            match read(self, &value, line) {
                Ok(()) => self.read_well.push(name),
                Err((said, fix)) => self.say(line, said, fix),
            }
        }
        self.missing();
        self.lesson();
        let (id, at) = (self.h.listing.clone(), self.h.line_of("listing"));
        let ours = self.read_well.contains(&"listing") && id.starts_with("beyond-");
        let book = self.read_well.contains(&"listing") && !ours;
        if book && self.h.origin == Origin::Beyond {
            let fix = "ids of fixtures not from the book start with `beyond-`";
            self.say(at, format!("fixture not from the book has id `{id}`"), fix);
        } else if ours && self.h.origin == Origin::Book {
            let said = format!("`{id}` looks like our own id but `origin` says book");
            self.say(at, said, "add `origin: beyond`");
        }
        if self.read_well.contains(&"expect") {
            self.kind_rules();
            self.output();
        }
    }

    /// The fields a header must have that are not there, not even wrong.
    fn missing(&mut self) {
        for (name, need, ..) in FIELDS {
            if *need != One || self.h.has(name) || self.attempted.contains(name) {
                continue;
            }
            let said = format!("missing header field `{name}`");
            if *name == "teaches" {
                let fix = "add `//! teaches: <what a reader learns here, in one sentence>.` after the caption";
                self.say(self.h.line_of("caption") + 1, said, fix);
            } else {
                let fix = format!("add a `//! {name}: …` line to the header; {FORMAT}");
                self.say(1, said, fix);
            }
        }
    }

    /// The explanation: two to eight lines, starting with the lesson.
    fn lesson(&mut self) {
        // The lesson's lines run up to the blank line that ends the header.
        let n = self.h.lesson.len();
        let Some(first) = self.h.lesson.first().cloned() else {
            let fix = "after the fields, add an empty `//!` line and 2 to 8 lines saying what the compiler does here and why";
            return self.say(self.h.len - 1, "the header has no explanation", fix);
        };
        let at = self.h.len - n;
        if first.to_ascii_lowercase().starts_with("not from the book") {
            let said = "the explanation starts by saying the fixture is not from the book";
            let fix = "drop those words (`origin: beyond` says it, and the fixture's page shows where it comes from): \
                       start with the lesson";
            self.say(at, said, fix);
        } else if !(2..=8).contains(&n) {
            let said = format!("the explanation has {n} lines");
            self.say(at, said, "write 2 to 8 lines");
        }
    }

    /// The fields only one kind of fixture has.
    fn kind_rules(&mut self) {
        let fails = self.h.expect.is_compile_fail();
        let always = "remove the line; a compile-fail fixture's diagnostics are always compared";
        let fixed = "remove the line: a compile-fail fixture names its fix with `fixed-by`";
        let run = "remove the `output` line, or change `expect` to `run`";
        let kind = if fails { "runnable" } else { "compile-fail" };
        let improved = fails && self.h.fixed_by.is_some();
        for (name, wrong, fix) in [
            ("compiler-suggestion-gives", !fails, "remove the line"),
            ("stderr", fails, always),
            ("improved-by", improved, fixed),
            ("output", fails, run),
        ] {
            if wrong && self.h.has(name) {
                let said = format!("`{name}` only applies to {kind} fixtures");
                self.say(self.h.line_of(name), said, fix);
            }
        }
        match (fails, self.h.fixed_by.clone()) {
            (false, Some(fix)) => {
                let said = "`fixed-by` only applies to compile-fail fixtures: a runnable one has nothing to fix";
                let better = "to point at a listing that does this better, write";
                let fix = format!("{better} `improved-by: {fix}`");
                self.say(self.h.line_of("fixed-by"), said, fix);
            }
            (true, None) => {
                let said = "compile-fail fixture without a `fixed-by` field";
                let fix = "name the fixture that fixes it, e.g. `fixed-by: listing-16-05`";
                self.say(self.h.line_of("expect"), said, fix);
            }
            _ => {}
        }
    }

    /// `output` and the stream lines, which only runnable fixtures have.
    fn output(&mut self) {
        let streams = take(&mut self.streams);
        let (output, expect) = (self.h.line_of("output"), self.h.line_of("expect"));
        match (self.h.expect.is_compile_fail(), self.mode.take()) {
            (true, None) => {
                if let Some(s) = streams.first() {
                    let said = "streams only apply to runnable fixtures";
                    self.say(s.line, said, "remove the stream lines");
                }
            }
            (true, Some(_)) => {} // said by `kind_rules`
            (false, None) => {
                let said = "runnable fixture without an `output` field";
                let fix = "add `output: exact` (or `output: streams` with `stream:` lines)";
                self.say(expect, said, fix);
            }
            (false, Some(mode)) => match OutputSpec::new(&mode, streams) {
                Ok(spec) => self.h.output = Some(spec),
                Err(said) => self.say(output, said, "see \"Run output\" in CONTRIBUTING.md"),
            },
        }
    }
}

/// The one field within two edits of `name`, if there is one.
fn near(name: &str) -> Option<&'static str> {
    let name: Vec<char> = name.chars().collect();
    let close =
        |(f, ..): &&(&str, Need, usize, Read)| within(&name, &f.chars().collect::<Vec<_>>(), 2);
    let mut close = FIELDS.iter().filter(close);
    match (close.next(), close.next()) {
        (Some((f, ..)), None) => Some(f),
        _ => None,
    }
}

/// Whether `a` is within `n` insertions, deletions or substitutions of `b`.
fn within(a: &[char], b: &[char], n: usize) -> bool {
    match (a, b) {
        ([], _) | (_, []) => a.len().max(b.len()) <= n,
        ([x, ra @ ..], [y, rb @ ..]) if x == y => within(ra, rb, n),
        ([_, ra @ ..], [_, rb @ ..]) => {
            n > 0 && (within(ra, rb, n - 1) || within(ra, b, n - 1) || within(a, rb, n - 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A good header, with `from` replaced by `to`.
    fn good(from: &str, to: &str) -> String {
        let url = format!("{}#x", chapter::CHAPTER[0].url());
        format!(
            "//! listing: listing-16-03\n//! caption: c\n//! teaches: One thing.\n//! section: 16.1 s\n//! url: {url}\n\
             //! expect: compile-fail E0373\n//! fixed-by: listing-16-05\n//!\n//! one\n//! two\n\nfn main() {{}}\n"
        )
        .replace(from, to)
    }

    /// Every problem of `good(from, to)`, a line each: `line: what | fix`.
    fn with(from: &str, to: &str) -> String {
        let all = parse(Path::new("f.rs"), &good(from, to)).err();
        let line = |p: &Problem| p.to_string().replace("\n  fix: ", " | ");
        let all: Vec<String> = all.unwrap_or_default().iter().map(line).collect();
        all.join("\n").replace("f.rs:", "")
    }

    #[test]
    fn a_good_header_reads() {
        let h = parse(Path::new("f.rs"), &good("", "")).unwrap();
        assert_eq!(h.expect, Expect::CompileFail(vec!["E0373".into()]));
        let got = (h.lesson.len(), h.len, h.teaches.as_str());
        assert_eq!(got, (2, 11, "One thing."));
        let run = good("compile-fail E0373", "run\n//! output: exact");
        let h = parse(Path::new("f.rs"), &run.replace("fixed-by", "improved-by")).unwrap();
        assert_eq!(h.improved_by.as_deref(), Some("listing-16-05"));
        let hang = run
            .replace("run", "hang")
            .replace("fixed-by", "improved-by");
        let h = parse(Path::new("f.rs"), &hang).unwrap();
        assert!(h.expect.hangs() && !h.expect.is_compile_fail());
        for fine in [
            "`thread::scope` (Rust 1.63) joins, e.g. before `main.` returns.",
            "A `&Mutex`, i.e. no `Arc`.",
        ] {
            assert_eq!(with("One thing.", fine), "", "{fine}");
        }
    }

    /// Each case: `from|to|` and a problem of the result, or its start.
    #[test]
    fn every_problem_is_named_by_line_with_its_fix() {
        let format = format!("add a `//! section: …` line to the header; {FORMAT}");
        let two = format!(
            "1: missing header field `section` | {format}\n4: field `caption` is given twice | keep one"
        );
        assert_eq!(with("//! section: 16.1 s\n", "//! caption: d\n"), two);
        let long = format!(
            "One thing.|{}.|3: the `teaches` field has 121 characters, more than its limit of 120",
            "a".repeat(120)
        );
        for case in [
            &long,
            "One thing.|No stop|3: the `teaches` line does not end in a full stop",
            "One thing.|One. Two.|3: the `teaches` line holds more than one sentence (one ends at `One.`)",
            "One thing.|Odd `tick.|3: the `teaches` line has an unclosed code span",
            "//! teaches: One thing.\n||3: missing header field `teaches`",
            "E0373|E373|6: `E373` is not an error code",
            "E0373|E0373 E0373|6: error code E0373 is listed twice",
            "//! two\n|//! two\n//! 3\n//! 4\n//! 5\n//! 6\n//! 7\n//! 8\n//! 9\n|9: the explanation has 9 lines | write 2 to 8 lines",
            "//! two\n\n|//! two\n|11: the header must be followed by one blank line",
            "//! two\n|//! two\n//! follows: x\n|11: header field `follows` after",
            "compile-fail E0373|run|6: runnable fixture without an `output` field",
            "compile-fail E0373|run\n//! output: exact|8: `fixed-by` only applies to compile-fail",
            "compile-fail E0373|hang\n//! output: exact|8: `fixed-by` only applies to compile-fail",
            "compile-fail E0373|hang forever|6: unexpected `forever` after `hang`",
            "compile-fail E0373|hangs|6: unknown outcome `hangs` | write `expect: compile-fail E0382 [E0505 …]`, `expect: run`",
            "compile-fail E0373|hang|6: runnable fixture without an `output` field",
            "compile-fail E0373|hang\n//! output: exact\n//! compiler-suggestion-gives: x|8: `compiler-suggestion-gives` only",
            "compile-fail E0373|run\n//! stderr: x|7: unknown stderr mode",
            "//! one\n|//! Not from the book: one\n|9: the explanation starts by saying",
            "//! listing: listing-16-03|use std::thread;|1: the file has no header",
            "//! listing: listing-16-03|//! listing: beyond-03|1: `beyond-03` looks like our own id",
            "//! fixed-by: listing-16-05|//! output: exact|6: compile-fail fixture without a `fixed-by`",
            "E0373|E0373\n//! stderr: exact|7: `stderr` only applies to runnable fixtures",
            "E0373|E0373\n//! output: exact|7: `output` only applies to runnable fixtures",
            "-05|-05\n//! improved-by: x|8: `improved-by` only applies to runnable",
            "compile-fail E0373|run\n//! output: exact\n//! compiler-suggestion-gives: x|8: `compiler-suggestion-gives` only",
        ] {
            let mut parts = case.splitn(3, '|');
            let [from, to, want] = [(); 3].map(|()| parts.next().unwrap());
            let got = with(from, to);
            assert!(got.lines().any(|l| l.starts_with(want)), "{case}\n{got}");
        }
    }

    /// Each field's limit, and the explanation's, is the one CONTRIBUTING.md
    /// gives; a value over it is named by line, the value never quoted.
    #[test]
    fn every_limit_is_documented_and_enforced() {
        let doc = include_str!("../../CONTRIBUTING.md");
        for (name, _, max, _) in FIELDS {
            let row = doc.lines().find(|l| {
                let first = l.split('|').nth(1).unwrap_or_default();
                first.split(", ").any(|f| f.trim() == format!("`{name}`"))
            });
            let row = row.unwrap_or_else(|| panic!("no row for `{name}` in CONTRIBUTING.md"));
            assert_eq!(
                row.split('|').nth(3).map(str::trim),
                Some(&*max.to_string()),
                "{row}"
            );
        }
        let lesson = format!("explanation lines of at most {LESSON_WIDTH} characters");
        assert!(
            doc.contains(&lesson),
            "CONTRIBUTING.md does not say `{lesson}`"
        );
        let long = "b".repeat(161);
        let caption = with("//! caption: c", &format!("//! caption: {long}"));
        assert_eq!(
            caption,
            format!(
                "2: the `caption` field has 161 characters, more than its limit of 160 | shorten it to \
                     at most 160 characters; {LIMITS}"
            )
        );
        let lesson = with("//! two", &format!("//! {}", "c".repeat(201)));
        assert!(
            lesson.starts_with("10: this line of the explanation has 201 characters"),
            "{lesson}"
        );
    }
}
