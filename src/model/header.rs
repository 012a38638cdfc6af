//! The fixture header: the `//!` block at the top of every fixture that says
//! which listing it is, what it teaches and what must happen when it is
//! built, then an empty `//!` line and the explanation (see CONTRIBUTING.md).
//!
//! Every field is declared once, in [`FIELDS`]: its name, whether a header
//! must have it, and how its value is read (which says what is wrong with
//! a value that does not read, and the fix). The rules between fields
//! follow ([`rules`]). Every problem of a header is reported at once, in
//! line order.

use crate::model::annotation::is_error_code;
use crate::model::chapter;
use crate::model::output::{OutputSpec, Stream};
use crate::names::is_slug;
use crate::problem::{Check, Problem};
use std::path::Path;
use std::time::Duration;

/// The time a runnable fixture gets when its header names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the header format is described.
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
}

impl Expect {
    /// True for compile-fail fixtures.
    pub fn is_compile_fail(&self) -> bool {
        matches!(self, Expect::CompileFail(_))
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
    /// For a runnable one: the fixture that does the same, better (it has
    /// nothing to fix).
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
}

/// A header being read: the header, and what its `output` and stream lines
/// said until they are put together.
#[derive(Default)]
struct Draft {
    h: Header,
    mode: Option<String>,
    streams: Vec<Stream>,
}

/// What is wrong with a value, and the fix.
type Bad = (String, &'static str);

/// How a field's value (given on a line) is read into the draft.
type Read = fn(&mut Draft, &str, usize) -> Result<(), Bad>;

/// Whether a header needs a field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Once.
    One,
    /// At most once.
    Maybe,
    /// Any number of times.
    Many,
}

/// Every header field, in the order a header gives them.
const FIELDS: &[(&str, Need, Read)] = &[
    ("listing", Need::One, listing),
    ("caption", Need::One, caption),
    ("teaches", Need::One, teaches),
    ("section", Need::One, |d, v, _| put(&mut d.h.section, v)),
    ("url", Need::One, url),
    ("origin", Need::Maybe, origin),
    ("expect", Need::One, expect),
    ("fixed-by", Need::Maybe, |d, v, _| {
        link(&mut d.h.fixed_by, v)
    }),
    ("improved-by", Need::Maybe, |d, v, _| {
        link(&mut d.h.improved_by, v)
    }),
    ("follows", Need::Maybe, |d, v, _| link(&mut d.h.follows, v)),
    ("compiler-suggestion-gives", Need::Maybe, |d, v, _| {
        link(&mut d.h.suggestion_gives, v)
    }),
    ("output", Need::Maybe, |d, v, _| link(&mut d.mode, v)),
    ("stream", Need::Many, |d, v, l| stream(d, v, l, false)),
    ("stream-partial", Need::Many, |d, v, l| {
        stream(d, v, l, true)
    }),
    ("stderr", Need::Maybe, stderr),
    ("timeout", Need::Maybe, timeout),
];

/// Put `value` into `slot`: how a field that needs no reading is read.
fn set<T>(slot: &mut T, value: T) -> Result<(), Bad> {
    *slot = value;
    Ok(())
}

fn put(slot: &mut String, value: &str) -> Result<(), Bad> {
    set(slot, value.to_string())
}

fn link(slot: &mut Option<String>, value: &str) -> Result<(), Bad> {
    set(slot, Some(value.to_string()))
}

fn listing(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "use the book's id, e.g. `listing-16-13`";
    match is_slug(v) {
        true => put(&mut d.h.listing, v),
        false => Err((
            format!("listing id `{v}` must be lowercase letters, digits and dashes"),
            fix,
        )),
    }
}

/// A caption is shown as Markdown, where a stray backtick would swallow
/// the rest of the line.
fn caption(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "close the code span, e.g. `Mutex<T>`, or drop the stray backtick";
    match v.matches('`').count() % 2 {
        0 => put(&mut d.h.caption, v),
        _ => Err((
            "the caption has an unclosed code span (an odd number of backticks)".into(),
            fix,
        )),
    }
}

/// One sentence ending in a full stop, of at most 120 characters (a line
/// of the index), its code spans closed.
fn teaches(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "say what the fixture teaches in one sentence of at most 120 characters, \
               ending in a full stop; the explanation below holds the rest";
    let bad = |said: String| Err((said, fix));
    let chars = v.chars().count();
    if chars > 120 {
        return bad(format!(
            "the `teaches` line has {chars} characters, more than 120"
        ));
    }
    if !v.ends_with('.') || v.ends_with("..") {
        return bad("the `teaches` line does not end in a full stop".into());
    }
    if v.to_ascii_lowercase().starts_with("not from the book") {
        return bad(
            "the `teaches` line says where the fixture comes from, not what it teaches".into(),
        );
    }
    // A sentence ends at `.`, `!` or `?` and a space, outside code spans
    // (`1.63` and `e.g.` are no ends).
    let mut in_code = false;
    for (i, b) in v.bytes().enumerate() {
        let ends = matches!(b, b'.' | b'!' | b'?') && v.as_bytes().get(i + 1) == Some(&b' ');
        in_code ^= b == b'`';
        if ends && !in_code && !["e.g", "i.e", "vs"].iter().any(|a| v[..i].ends_with(a)) {
            let end = &v[..=i];
            return bad(format!(
                "the `teaches` line holds more than one sentence (one ends at `{end}`)"
            ));
        }
    }
    match in_code {
        true => {
            bad("the `teaches` line has an unclosed code span (an odd number of backticks)".into())
        }
        false => put(&mut d.h.teaches, v),
    }
}

fn url(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "use https://doc.rust-lang.org/book/ch16-0N-<page>.html#<heading>";
    match chapter::of_url(v).is_some() && v.contains(".html#") {
        true => put(&mut d.h.url, v),
        false => Err((format!("`{v}` is not a chapter 16 section address"), fix)),
    }
}

fn origin(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let fix = "write `origin: beyond` for fixtures not from the book, or drop the field";
    match v {
        "book" => set(&mut d.h.origin, Origin::Book),
        "beyond" => set(&mut d.h.origin, Origin::Beyond),
        _ => Err((format!("origin `{v}` is neither `book` nor `beyond`"), fix)),
    }
}

/// `compile-fail E0382 [E0505 …]` (distinct codes, sorted) or `run`.
fn expect(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let bad = |said: String| {
        Err((
            said,
            "write `expect: compile-fail E0382 [E0505 …]` or `expect: run`",
        ))
    };
    let mut words = v.split_whitespace();
    let mut codes: Vec<String> = Vec::new();
    match (words.next(), words.next()) {
        (Some("run"), None) => return set(&mut d.h.expect, Expect::Run),
        (Some("run"), Some(extra)) => return bad(format!("unexpected `{extra}` after `run`")),
        (Some("compile-fail"), first) => {
            for code in first.into_iter().chain(words) {
                if !is_error_code(code) {
                    return bad(format!("`{code}` is not an error code like E0382"));
                }
                if codes.iter().any(|c| c == code) {
                    return bad(format!("error code {code} is listed twice"));
                }
                codes.push(code.to_string());
            }
        }
        _ => return bad(format!("unknown outcome `{v}`")),
    }
    if codes.is_empty() {
        return bad("compile-fail without error codes".into());
    }
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
    match v {
        "exact" => set(&mut d.h.run_stderr, true),
        _ => Err((format!("unknown stderr mode `{v}`"), fix)),
    }
}

fn timeout(d: &mut Draft, v: &str, _: usize) -> Result<(), Bad> {
    let secs = v
        .strip_suffix('s')
        .and_then(|s| s.trim().parse::<u64>().ok());
    match secs {
        Some(secs @ 1..=3600) => set(&mut d.h.timeout, Duration::from_secs(secs)),
        _ => Err((
            format!("timeout `{v}` is not a duration"),
            "write e.g. `timeout: 30s`",
        )),
    }
}

/// A problem found on a line: its line, what is wrong, the fix.
type Found = (usize, String, String);

/// The header at the top of `source`, or every problem it has; `path`
/// names the file in them.
pub fn parse(path: &Path, source: &str) -> Result<Header, Vec<Problem>> {
    let file = path.to_string_lossy().replace('\\', "/");
    let problem =
        |(line, said, fix): Found| Problem::said(Check::Load, &file, said).at(line).edit(fix);
    let all = |found: Vec<Found>| found.into_iter().map(problem).collect::<Vec<_>>();
    let block = Block::split(source).map_err(all)?;
    let mut d = Draft::default();
    d.h.timeout = DEFAULT_TIMEOUT;
    d.h.lines = block
        .fields
        .iter()
        .map(|(name, line, _)| (*name, *line))
        .collect();
    d.h.len = block.end + 1;
    d.h.lesson = block.lesson.iter().map(|(_, l)| l.clone()).collect();
    let mut found = block.problems.clone();
    let mut read_well = Vec::new();
    for (name, line, value) in &block.fields {
        let (_, _, read) = FIELDS
            .iter()
            .find(|(n, ..)| n == name)
            .expect("a known field");
        match read(&mut d, value, *line) {
            Ok(()) => read_well.push(*name),
            Err((said, fix)) => found.push((*line, said, fix.into())),
        }
    }
    found.extend(missing(&block, &d.h));
    found.extend(rules(&mut d, &block, &read_well));
    found.sort_by_key(|f| f.0);
    match found.is_empty() {
        true => Ok(d.h),
        false => Err(all(found)),
    }
}

/// The fields a header must have that are not there (nor there with a
/// problem of their own, already said).
fn missing(block: &Block, h: &Header) -> Vec<Found> {
    let required = FIELDS.iter().filter(|(_, need, _)| *need == Need::One);
    let given = |name: &&str| {
        block.fields.iter().any(|(n, ..)| n == name) || block.attempted.contains(name)
    };
    let missing = required.map(|(name, ..)| *name).filter(|name| !given(name));
    let said = |name: &str| format!("missing header field `{name}`");
    missing
        .map(|name| match name {
            "teaches" => (
                h.line_of("caption") + 1,
                said(name),
                "add `//! teaches: <what a reader learns here, in one sentence>.` after the caption".into(),
            ),
            _ => (1, said(name), format!("add a `//! {name}: …` line to the header; {FORMAT}")),
        })
        .collect()
}

/// The rules between fields, for the fields that read well.
fn rules(d: &mut Draft, block: &Block, read_well: &[&str]) -> Vec<Found> {
    let mut found = lesson(&block.lesson, block.end);
    let h = &d.h;
    let (id, at) = (&h.listing, h.line_of("listing"));
    match (
        h.origin,
        id.starts_with("beyond-"),
        read_well.contains(&"listing"),
    ) {
        (Origin::Beyond, false, true) => found.push((
            at,
            format!("fixture not from the book has id `{id}`"),
            "ids of fixtures not from the book start with `beyond-`".into(),
        )),
        (Origin::Book, true, true) => found.push((
            at,
            format!("`{id}` looks like our own id but `origin` says book"),
            "add `origin: beyond`".into(),
        )),
        _ => {}
    }
    if read_well.contains(&"expect") {
        found.extend(kind_rules(h, block));
        found.extend(output(d));
    }
    found
}

/// The fields only one kind of fixture has: a compile-fail one names its
/// fix, a runnable one may name its improvement and compare its stderr.
fn kind_rules(h: &Header, block: &Block) -> Vec<Found> {
    let fails = h.expect.is_compile_fail();
    let given = |name: &str| block.fields.iter().any(|(n, ..)| *n == name);
    let only = |name: &str, kind: &str, fix: &str| {
        let said = format!("`{name}` only applies to {kind} fixtures");
        (h.line_of(name), said, fix.to_string())
    };
    let mut found = Vec::new();
    if !fails && given("compiler-suggestion-gives") {
        found.push(only(
            "compiler-suggestion-gives",
            "compile-fail",
            "remove the line",
        ));
    }
    if fails && given("stderr") {
        let fix = "remove the line; a compile-fail fixture's diagnostics are always compared";
        found.push(only("stderr", "runnable", fix));
    }
    if fails && given("improved-by") && h.fixed_by.is_some() {
        let fix = "remove the line: a compile-fail fixture names its fix with `fixed-by`";
        found.push(only("improved-by", "runnable", fix));
    }
    match (fails, &h.fixed_by) {
        (false, Some(fix)) => found.push((
            h.line_of("fixed-by"),
            "`fixed-by` only applies to compile-fail fixtures: a runnable one has nothing to fix"
                .into(),
            format!("to point at a listing that does this better, write `improved-by: {fix}`"),
        )),
        (true, None) => found.push((
            h.line_of("expect"),
            "compile-fail fixture without a `fixed-by` field".into(),
            "name the fixture that fixes it, e.g. `fixed-by: listing-16-05`".into(),
        )),
        _ => {}
    }
    found
}

/// `output` and the stream lines, which only runnable fixtures have.
fn output(d: &mut Draft) -> Option<Found> {
    let line = |name: &str| d.h.line_of(name);
    let said = |what: &str| format!("{what} only apply to runnable fixtures");
    match (d.h.expect.is_compile_fail(), d.mode.take()) {
        (true, None) => d
            .streams
            .first()
            .map(|s| (s.line, said("streams"), "remove the stream lines".into())),
        (true, Some(_)) => Some((
            line("output"),
            "`output` only applies to runnable fixtures".into(),
            "remove the `output` line, or change `expect` to `run`".into(),
        )),
        (false, None) => Some((
            line("expect"),
            "runnable fixture without an `output` field".into(),
            "add `output: exact` (or `output: streams` with `stream:` lines)".into(),
        )),
        (false, Some(mode)) => match OutputSpec::new(&mode, std::mem::take(&mut d.streams)) {
            Ok(spec) => {
                d.h.output = Some(spec);
                None
            }
            Err(said) => Some((
                line("output"),
                said,
                "see \"Run output\" in CONTRIBUTING.md".into(),
            )),
        },
    }
}

/// The explanation: two to eight lines, starting with the lesson.
fn lesson(lesson: &[(usize, String)], end: usize) -> Vec<Found> {
    let eight = "2 to 8 lines";
    match lesson.first() {
        None => vec![(
            end,
            "the header has no explanation".into(),
            format!("after the fields, add an empty `//!` line and {eight} saying what the compiler does here and why"),
        )],
        Some((line, text)) if text.to_ascii_lowercase().starts_with("not from the book") => vec![(
            *line,
            "the explanation starts by saying the fixture is not from the book".into(),
            "drop those words (`origin: beyond` says it, and the fixture's page shows where it comes from): \
             start with the lesson"
                .into(),
        )],
        Some((line, _)) if !(2..=8).contains(&lesson.len()) => {
            vec![(*line, format!("the explanation has {} lines", lesson.len()), format!("write {eight}"))]
        }
        Some(_) => Vec::new(),
    }
}

/// The header's lines, split into fields and explanation, before any value
/// is read.
struct Block {
    /// Each field given (its name as [`FIELDS`] has it), its line and value.
    fields: Vec<(&'static str, usize, String)>,
    /// The explanation's lines, with their line numbers.
    lesson: Vec<(usize, String)>,
    /// The 0-based index of the blank line after the header.
    end: usize,
    /// Lines that are not a well-formed field (the rest is still read).
    problems: Vec<Found>,
    /// Fields whose line is there with a problem: not missing.
    attempted: Vec<&'static str>,
}

impl Block {
    /// The header's lines, or the problems that stop their reading.
    fn split(source: &str) -> Result<Block, Vec<Found>> {
        let mut block = Block {
            fields: Vec::new(),
            lesson: Vec::new(),
            end: 0,
            problems: Vec::new(),
            attempted: Vec::new(),
        };
        block.lines(source).map_err(|stop| vec![stop])?;
        if block.end > 0 {
            return Ok(block);
        }
        // No code: the lines that are there say what else is wrong.
        let last = source.lines().count();
        let fix = "add the listing's code after the header".to_string();
        block
            .problems
            .push((last, "the file holds a header and no code".into(), fix));
        Err(block.problems)
    }

    fn lines(&mut self, source: &str) -> Result<(), Found> {
        let stop = |line, said: &str, fix: &str| Err((line, said.to_string(), fix.to_string()));
        if !source.starts_with("//!") {
            let fix =
                "run `cargo xtask new` to scaffold one, or copy the header of a fixture nearby";
            return stop(
                1,
                "the file has no header: it does not start with a `//!` line",
                fix,
            );
        }
        let mut in_lesson = false;
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            let Some(rest) = raw.strip_prefix("//!") else {
                self.end = index;
                if raw.trim().is_empty() {
                    return Ok(());
                }
                let fix = "put an empty line between the `//!` header and the code";
                return stop(line, "the header must be followed by one blank line", fix);
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
        self.lesson.push((line, text.trim_end().to_string()));
        Ok(())
    }

    /// One `name: value` line.
    fn field(&mut self, line: usize, text: &str) {
        let Some((name, value)) = text.split_once(':') else {
            let said = format!("expected `field: value`, found `{}`", text.trim());
            return self.problems.push((line, said, FORMAT.into()));
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(&(known, need, _)) = FIELDS.iter().find(|(n, ..)| *n == name) else {
            self.attempted.extend(near(name));
            let all = FIELDS
                .iter()
                .map(|(n, ..)| *n)
                .collect::<Vec<_>>()
                .join(", ");
            let fix = match near(name) {
                Some(f) => format!("did you mean `{f}`? The fields are: {all}"),
                None => format!("use one of: {all}"),
            };
            return self
                .problems
                .push((line, format!("unknown header field `{name}`"), fix));
        };
        if value.is_empty() {
            self.attempted.push(known);
            let said = format!("field `{name}` has no value");
            self.problems.push((line, said, FORMAT.into()));
        } else if need != Need::Many && self.fields.iter().any(|(n, ..)| *n == known) {
            let said = format!("field `{name}` is given twice");
            self.problems.push((line, said, "keep one".into()));
        } else {
            self.fields.push((known, line, value.to_string()));
        }
    }
}

/// The field `name` is probably a misspelling of: the one field within two
/// edits (insertions, deletions, substitutions) of it, if there is one.
fn near(name: &str) -> Option<&'static str> {
    let distance = |b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in name.chars().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let above = row[j + 1];
                row[j + 1] = (diagonal + usize::from(ca != cb))
                    .min(row[j] + 1)
                    .min(above + 1);
                diagonal = above;
            }
        }
        row[b.len()]
    };
    let mut close = FIELDS.iter().filter(|(f, ..)| distance(f) <= 2);
    match (close.next(), close.next()) {
        (Some((f, ..)), None) => Some(f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A good header, on the first section's page.
    fn good() -> String {
        let url = format!("{}#x", chapter::CHAPTER[0].url());
        format!(
            "//! listing: listing-16-03\n//! caption: c\n//! teaches: One thing.\n//! section: 16.1 s\n//! url: {url}\n\
             //! expect: compile-fail E0373\n//! fixed-by: listing-16-05\n//!\n//! one\n//! two\n\nfn main() {{}}\n"
        )
    }

    /// Every problem of `src`, each as `line: what | fix`.
    fn problems(src: &str) -> Vec<String> {
        let all = parse(Path::new("f.rs"), src).err().unwrap_or_default();
        let line = |p: &Problem| {
            p.to_string()
                .replace("f.rs:", "")
                .replace("\n  fix: ", " | ")
        };
        all.iter().map(line).collect()
    }

    fn with(from: &str, to: &str) -> Vec<String> {
        problems(&good().replace(from, to))
    }

    #[test]
    fn a_good_header_reads() {
        let h = parse(Path::new("f.rs"), &good()).unwrap();
        assert_eq!(h.expect, Expect::CompileFail(vec!["E0373".into()]));
        assert_eq!(
            (h.lesson.len(), h.len, h.teaches.as_str()),
            (2, 11, "One thing.")
        );
    }

    #[test]
    fn every_problem_is_named_by_line_with_its_fix() {
        let misspelt = with("//! caption: c", "//! captoin: c");
        assert!(
            misspelt[0].starts_with("2: unknown header field `captoin` | did you mean `caption`?")
        );
        assert_eq!(misspelt.len(), 1, "{misspelt:?}");
        let two = with("//! section: 16.1 s\n", "//! caption: d\n");
        let fix = format!("add a `//! section: …` line to the header; {FORMAT}");
        assert_eq!(
            two[..2],
            [
                format!("1: missing header field `section` | {fix}"),
                "4: field `caption` is given twice | keep one".into()
            ]
        );
        assert!(with("E0373", "E373")[0].contains(": `E373` is not an error code"));
        let nine = with(
            "//! two\n",
            "//! two\n//! 3\n//! 4\n//! 5\n//! 6\n//! 7\n//! 8\n//! 9\n",
        );
        assert!(nine[0].contains("the explanation has 9 lines | write 2 to 8 lines"));
        assert!(with("//! two\n\n", "//! two\n")[0].contains("followed by one blank line"));
        assert!(
            with("//! two\n", "//! two\n//! follows: x\n")[0]
                .starts_with("11: header field `follows` after")
        );
        let run = with("compile-fail E0373", "run").join("\n");
        assert!(
            run.contains("without an `output` field")
                && run.contains("`fixed-by` only applies to compile-fail"),
            "{run}"
        );
        let run = good()
            .replace("compile-fail E0373", "run\n//! output: exact")
            .replace("fixed-by", "improved-by");
        assert!(
            parse(Path::new("f.rs"), &run)
                .is_ok_and(|h| h.improved_by.as_deref() == Some("listing-16-05"))
        );
        assert!(
            problems(&run.replace("output: exact", "stderr: x"))
                .join("\n")
                .contains("unknown stderr mode")
        );
        assert!(with("//! one\n", "//! Not from the book: one\n")[0].contains("starts by saying"));
        assert!(problems("use std::thread;\n")[0].contains("the file has no header"));
    }

    #[test]
    fn teaches_is_one_sentence_on_one_line() {
        let bad =
            |t: &str| with("//! teaches: One thing.", &format!("//! teaches: {t}"))[0].clone();
        assert!(bad(&format!("{}.", "a".repeat(120))).contains("has 121 characters"));
        assert!(bad("No stop").contains("does not end in a full stop"));
        assert!(bad("One. Two.").contains("more than one sentence (one ends at `One.`)"));
        assert!(bad("Odd `tick.").contains("unclosed code span"));
        assert!(
            with("//! teaches: One thing.\n", "")[0]
                .starts_with("3: missing header field `teaches`")
        );
        for fine in [
            "`thread::scope` (Rust 1.63) joins, e.g. before `main.` returns.",
            "A `&Mutex`, i.e. no `Arc`.",
        ] {
            assert!(with("One thing.", fine).is_empty(), "{fine}");
        }
    }
}
