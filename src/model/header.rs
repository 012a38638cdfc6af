//! The fixture header: the `//!` block at the top of every fixture that says
//! which listing it is, what it teaches and what must happen when it is
//! built, then an empty `//!` line and the explanation.
//!
//! ```text
//! //! listing: listing-16-03
//! //! caption: A thread's closure tries to borrow a vector owned by main
//! //! teaches: `thread::spawn` needs a `'static` closure, so it cannot borrow a local.
//! //! section: 16.1 Using move Closures with Threads
//! //! url: https://doc.rust-lang.org/book/<the section's page>.html#using-move-closures-with-threads
//! //! expect: compile-fail E0373
//! //! fixed-by: listing-16-05
//! //!
//! //! Two to eight lines of explanation, in our own words.
//! ```
//!
//! Every field is declared once, in [`FIELDS`]: its name, whether a header
//! needs it, how its value is read and the fix for one that does not read.
//! The rules between fields follow ([`rules`]). Every problem of a header
//! is reported at once, in line order.

use crate::model::annotation::is_error_code;
use crate::model::chapter;
use crate::model::output::{OutputSpec, Stream};
use crate::names::is_slug;
use crate::problem::{Check, Problem};
use std::path::Path;
use std::time::Duration;

/// How many lines of explanation a header carries.
const LESSON_LINES: std::ops::RangeInclusive<usize> = 2..=8;

/// The longest `teaches` line, in characters: it is one line of the index.
const TEACHES_MAX: usize = 120;

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
    /// The book's id (`listing-16-13`, `no-listing-01-join-too-early`), or
    /// our own (`beyond-…`).
    pub listing: String,
    /// What the listing does, in a line.
    pub caption: String,
    /// What a reader learns from it, in one sentence: its line in the index.
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
    /// For a runnable one: the fixture that does the same, better (a
    /// runnable fixture has nothing to fix).
    pub improved_by: Option<String>,
    /// For a listing without a number: the listing it follows in the book.
    pub follows: Option<String>,
    /// The fixture rustc's machine-applicable suggestions turn this
    /// compile-fail fixture into.
    pub suggestion_gives: Option<String>,
    /// How a runnable fixture's output is compared.
    pub output: Option<OutputSpec>,
    /// `stderr: exact`: a runnable fixture's own stderr is compared too.
    pub run_stderr: bool,
    /// Its time limit when it runs.
    pub timeout: Duration,
    /// The explanation, a line each.
    pub lesson: Vec<String>,
    /// The line of each field that was given, for messages.
    pub lines: Vec<(&'static str, usize)>,
    /// The lines the header takes, the blank line after it included.
    pub len: usize,
}

impl Header {
    /// The line field `name` was given on, or 1.
    pub fn line_of(&self, name: &str) -> usize {
        self.lines
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(1, |&(_, l)| l)
    }
}

/// A header being read: the header, and what its `output` and stream
/// lines said until they are put together.
struct Draft {
    h: Header,
    mode: Option<String>,
    streams: Vec<Stream>,
}

/// How a field's value is read into the draft (its line given, for streams).
type Read = fn(&mut Draft, &str, usize) -> Result<(), String>;

/// A header field.
struct Field {
    name: &'static str,
    /// Every header has it.
    required: bool,
    /// It may be given more than once.
    repeats: bool,
    read: Read,
    /// The fix for a value that does not read.
    fix: &'static str,
}

/// Put `value` into `slot`: how most fields are read.
fn put<T>(slot: &mut T, value: T) -> Result<(), String> {
    *slot = value;
    Ok(())
}

const fn field(name: &'static str, required: bool, read: Read, fix: &'static str) -> Field {
    Field {
        name,
        required,
        repeats: false,
        read,
        fix,
    }
}

const TEACHES_FIX: &str = "say what the fixture teaches in one sentence of at most 120 characters, \
                           ending in a full stop; the explanation below holds the rest";
const STREAM_FIX: &str = "write a line template such as `Got: {hi,from,the}` or `hi number {1..9} from the main thread!`";

/// Every field of a header, in the order a header gives them.
const FIELDS: &[Field] = &[
    field(
        "listing",
        true,
        |d, v, _| match is_slug(v) {
            true => put(&mut d.h.listing, v.into()),
            false => Err(format!(
                "listing id `{v}` must be lowercase letters, digits and dashes"
            )),
        },
        "use the book's id, e.g. `listing-16-13`",
    ),
    field(
        "caption",
        true,
        |d, v, _| match v.matches('`').count() % 2 {
            0 => put(&mut d.h.caption, v.into()),
            _ => Err("the caption has an unclosed code span (an odd number of backticks)".into()),
        },
        "close the code span, e.g. `Mutex<T>`, or drop the stray backtick",
    ),
    field(
        "teaches",
        true,
        |d, v, _| teaches(v).map(|()| d.h.teaches = v.into()),
        TEACHES_FIX,
    ),
    field(
        "section",
        true,
        |d, v, _| put(&mut d.h.section, v.into()),
        FORMAT,
    ),
    field(
        "url",
        true,
        |d, v, _| match chapter::of_url(v).is_some() && v.contains(".html#") {
            true => put(&mut d.h.url, v.into()),
            false => Err(format!("`{v}` is not a chapter 16 section address")),
        },
        "use https://doc.rust-lang.org/book/ch16-0N-<page>.html#<heading>",
    ),
    field(
        "origin",
        false,
        |d, v, _| match v {
            "book" => put(&mut d.h.origin, Origin::Book),
            "beyond" => put(&mut d.h.origin, Origin::Beyond),
            _ => Err(format!("origin `{v}` is neither `book` nor `beyond`")),
        },
        "write `origin: beyond` for fixtures not from the book, or drop the field",
    ),
    field(
        "expect",
        true,
        |d, v, _| expect(v).map(|e| d.h.expect = e),
        "write `expect: compile-fail E0382 [E0505 …]` or `expect: run`",
    ),
    field(
        "fixed-by",
        false,
        |d, v, _| put(&mut d.h.fixed_by, Some(v.into())),
        FORMAT,
    ),
    field(
        "improved-by",
        false,
        |d, v, _| put(&mut d.h.improved_by, Some(v.into())),
        FORMAT,
    ),
    field(
        "follows",
        false,
        |d, v, _| put(&mut d.h.follows, Some(v.into())),
        FORMAT,
    ),
    field(
        "compiler-suggestion-gives",
        false,
        |d, v, _| put(&mut d.h.suggestion_gives, Some(v.into())),
        FORMAT,
    ),
    field(
        "output",
        false,
        |d, v, _| put(&mut d.mode, Some(v.into())),
        FORMAT,
    ),
    Field {
        repeats: true,
        ..field(
            "stream",
            false,
            |d, v, line| Stream::parse(v, false, line).map(|s| d.streams.push(s)),
            STREAM_FIX,
        )
    },
    Field {
        repeats: true,
        ..field(
            "stream-partial",
            false,
            |d, v, line| Stream::parse(v, true, line).map(|s| d.streams.push(s)),
            STREAM_FIX,
        )
    },
    field(
        "stderr",
        false,
        |d, v, _| match v {
            "exact" => put(&mut d.h.run_stderr, true),
            _ => Err(format!("unknown stderr mode `{v}`")),
        },
        "write `stderr: exact`, or drop the line to leave stderr unchecked",
    ),
    field(
        "timeout",
        false,
        |d, v, _| match v
            .strip_suffix('s')
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            Some(secs @ 1..=3600) => put(&mut d.h.timeout, Duration::from_secs(secs)),
            _ => Err(format!("timeout `{v}` is not a duration")),
        },
        "write e.g. `timeout: 30s`",
    ),
];

/// The header at the top of `source`, or every problem it has; `path`
/// names the file in them.
pub fn parse(path: &Path, source: &str) -> Result<Header, Vec<Problem>> {
    let file = path.to_string_lossy().replace('\\', "/");
    let problem = |line: usize, said: String, fix: &str| {
        Problem::said(Check::Load, &file, said).at(line).edit(fix)
    };
    let block = Block::split(source).map_err(|stops| {
        stops
            .into_iter()
            .map(|(l, said, fix)| problem(l, said, &fix))
            .collect::<Vec<_>>()
    })?;
    let mut problems: Vec<Problem> = block
        .problems
        .iter()
        .map(|(l, s, f)| problem(*l, s.clone(), f))
        .collect();
    let mut d = Draft {
        h: Header {
            timeout: DEFAULT_TIMEOUT,
            lines: block
                .fields
                .iter()
                .map(|(f, line, _)| (f.name, *line))
                .collect(),
            len: block.end + 1,
            ..Header::default()
        },
        mode: None,
        streams: Vec::new(),
    };
    let mut read_well: Vec<&str> = Vec::new();
    for (f, line, value) in &block.fields {
        match (f.read)(&mut d, value, *line) {
            Ok(()) => read_well.push(f.name),
            Err(said) => problems.push(problem(*line, said, f.fix)),
        }
    }
    for f in FIELDS.iter().filter(|f| f.required) {
        let given = block.fields.iter().any(|(g, ..)| g.name == f.name);
        if !given && !block.attempted.contains(&f.name) {
            problems.push(match f.name {
                "teaches" => problem(
                    d.h.line_of("caption") + 1,
                    "missing header field `teaches`".into(),
                    "add `//! teaches: <what a reader learns here, in one sentence>.` after the caption",
                ),
                name => problem(
                    1,
                    format!("missing header field `{name}`"),
                    &format!("add a `//! {name}: …` line to the header; {FORMAT}"),
                ),
            });
        }
    }
    d.h.lesson = block.lesson.iter().map(|(_, l)| l.clone()).collect();
    problems.extend(
        rules(&mut d, &block, &read_well)
            .into_iter()
            .map(|(l, s, f)| problem(l, s, &f)),
    );
    problems.sort_by_key(|p| p.line);
    match problems.is_empty() {
        true => Ok(d.h),
        false => Err(problems),
    }
}

/// A problem found on a line: its line, what is wrong, the fix.
type Found = (usize, String, String);

/// The rules between fields, for the fields that read well.
fn rules(d: &mut Draft, block: &Block, read_well: &[&str]) -> Vec<Found> {
    let mut found = lesson(&block.lesson, block.end);
    let well = |name: &str| read_well.contains(&name);
    let line = |name: &str| d.h.line_of(name);
    let h = &d.h;
    if well("listing") {
        let at = line("listing");
        match (h.origin, h.listing.starts_with("beyond-")) {
            (Origin::Beyond, false) => found.push((
                at,
                format!("fixture not from the book has id `{}`", h.listing),
                "ids of fixtures not from the book start with `beyond-`".into(),
            )),
            (Origin::Book, true) => found.push((
                at,
                format!(
                    "`{}` looks like our own id but `origin` says book",
                    h.listing
                ),
                "add `origin: beyond`".into(),
            )),
            _ => {}
        }
    }
    if !well("expect") {
        return found;
    }
    let fails = h.expect.is_compile_fail();
    let mut only = |name: &str, when: bool, said: &str, fix: &str| {
        if when && block.fields.iter().any(|(f, ..)| f.name == name) {
            found.push((line(name), said.into(), fix.into()));
        }
    };
    only(
        "compiler-suggestion-gives",
        !fails,
        "`compiler-suggestion-gives` only applies to compile-fail fixtures",
        "remove the line",
    );
    only(
        "stderr",
        fails,
        "`stderr` only applies to runnable fixtures",
        "remove the line; a compile-fail fixture's diagnostics are always compared",
    );
    only(
        "improved-by",
        fails && h.fixed_by.is_some(),
        "`improved-by` only applies to runnable fixtures",
        "remove the line: a compile-fail fixture names its fix with `fixed-by`",
    );
    if let (false, Some(fix)) = (fails, &h.fixed_by) {
        found.push((
            line("fixed-by"),
            "`fixed-by` only applies to compile-fail fixtures: a runnable one has nothing to fix"
                .into(),
            format!("to point at a listing that does this better, write `improved-by: {fix}`"),
        ));
    }
    if fails && h.fixed_by.is_none() {
        found.push((
            line("expect"),
            "compile-fail fixture without a `fixed-by` field".into(),
            "name the fixture that fixes it, e.g. `fixed-by: listing-16-05`".into(),
        ));
    }
    found.extend(output(d, fails));
    found
}

/// `output` and the stream lines, which only runnable fixtures have.
fn output(d: &mut Draft, fails: bool) -> Option<Found> {
    let line = |name: &str| d.h.line_of(name);
    match (fails, d.mode.take()) {
        (true, None) => d.streams.first().map(|s| {
            let fix = "remove the stream lines".to_string();
            (
                s.line,
                "streams only apply to runnable fixtures".into(),
                fix,
            )
        }),
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

/// The explanation's rules: two to eight lines, starting with the lesson.
fn lesson(lesson: &[(usize, String)], end: usize) -> Vec<Found> {
    let words = format!("{} to {} lines", LESSON_LINES.start(), LESSON_LINES.end());
    match lesson.first() {
        None => vec![(
            end,
            "the header has no explanation".into(),
            format!("after the fields, add an empty `//!` line and {words} saying what the compiler does here and why"),
        )],
        Some((line, text)) if text.to_ascii_lowercase().starts_with("not from the book") => vec![(
            *line,
            "the explanation starts by saying the fixture is not from the book".into(),
            "drop those words (`origin: beyond` says it, and the fixture's page shows where it comes from): \
             start with the lesson"
                .into(),
        )],
        Some((line, _)) if !LESSON_LINES.contains(&lesson.len()) => vec![(
            *line,
            format!("the explanation has {} lines", lesson.len()),
            format!("write {words}"),
        )],
        Some(_) => Vec::new(),
    }
}

/// The header's lines, split into fields and explanation, before any
/// value is read.
struct Block {
    /// Each field given, with its line and value.
    fields: Vec<(&'static Field, usize, String)>,
    /// The explanation's lines, with their line numbers.
    lesson: Vec<(usize, String)>,
    /// The 0-based index of the blank line after the header.
    end: usize,
    /// Lines that are not a well-formed field (the rest is still read).
    problems: Vec<Found>,
    /// Fields whose line is there with a problem: not missing.
    attempted: Vec<&'static str>,
}

/// A problem that stops the reading of a header: its line, what is wrong,
/// the fix.
type Stop = Found;

impl Block {
    /// The header's lines, or the problems that stop its reading.
    fn split(source: &str) -> Result<Block, Vec<Stop>> {
        Block::lines(source)
            .map_err(|stop| vec![stop])
            .and_then(|block| match block.end {
                // No code: the lines that are there say what else is wrong.
                0 => {
                    let mut all = block.problems;
                    let fix = "add the listing's code after the header".to_string();
                    all.push((
                        source.lines().count(),
                        "the file holds a header and no code".into(),
                        fix,
                    ));
                    Err(all)
                }
                _ => Ok(block),
            })
    }

    fn lines(source: &str) -> Result<Block, Stop> {
        let mut block = Block {
            fields: Vec::new(),
            lesson: Vec::new(),
            end: 0,
            problems: Vec::new(),
            attempted: Vec::new(),
        };
        if !source.starts_with("//!") {
            return Err((
                1,
                "the file has no header: it does not start with a `//!` line".into(),
                "run `cargo xtask new` to scaffold one, or copy the header of a fixture nearby"
                    .into(),
            ));
        }
        let mut in_lesson = false;
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            let Some(rest) = raw.strip_prefix("//!") else {
                if !raw.trim().is_empty() {
                    let fix = "put an empty line between the `//!` header and the code";
                    return Err((
                        line,
                        "the header must be followed by one blank line".into(),
                        fix.into(),
                    ));
                }
                block.end = index;
                break;
            };
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            if in_lesson {
                block.lesson_line(line, rest)?;
            } else if rest.trim().is_empty() {
                if block.fields.is_empty() {
                    return Err((
                        line,
                        "blank line before any header field".into(),
                        FORMAT.into(),
                    ));
                }
                in_lesson = true;
            } else {
                block.field(line, rest);
            }
        }
        Ok(block)
    }

    fn lesson_line(&mut self, line: usize, text: &str) -> Result<(), Stop> {
        if let Some((name, _)) = text.split_once(':')
            && !name.contains(' ')
            && FIELDS.iter().any(|f| f.name == name.trim())
        {
            return Err((
                line,
                format!("header field `{name}` after the explanation"),
                "put every `field: value` line before the empty `//!` line that starts the explanation".into(),
            ));
        }
        if text.trim().is_empty() {
            return Err((
                line,
                "blank line inside the lesson text".into(),
                "keep the explanation as one paragraph of 2 to 8 lines".into(),
            ));
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
        let Some(f) = FIELDS.iter().find(|f| f.name == name) else {
            self.attempted.extend(near(name));
            let said = format!("unknown header field `{name}`");
            let all = FIELDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
            let fix = match near(name) {
                Some(f) => format!("did you mean `{f}`? The fields are: {all}"),
                None => format!("use one of: {all}"),
            };
            return self.problems.push((line, said, fix));
        };
        let said = if value.is_empty() {
            format!("field `{name}` has no value")
        } else if !f.repeats && self.fields.iter().any(|(g, ..)| g.name == name) {
            self.problems.push((
                line,
                format!("field `{name}` is given twice"),
                "keep one".into(),
            ));
            return;
        } else {
            return self.fields.push((f, line, value.to_string()));
        };
        self.attempted.push(f.name);
        self.problems.push((line, said, FORMAT.into()));
    }
}

/// The field `name` is probably a misspelling of: the one field within
/// two edits of it, if there is exactly one.
fn near(name: &str) -> Option<&'static str> {
    let mut close = FIELDS.iter().filter(|f| distance(name, f.name) <= 2);
    match (close.next(), close.next()) {
        (Some(f), None) => Some(f.name),
        _ => None,
    }
}

/// Edits (insertions, deletions, substitutions) from `a` to `b`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
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
}

/// The rule of a `teaches` line: one sentence ending in a full stop, at
/// most [`TEACHES_MAX`] characters, its code spans closed.
fn teaches(text: &str) -> Result<(), String> {
    let chars = text.chars().count();
    if chars > TEACHES_MAX {
        return Err(format!(
            "the `teaches` line has {chars} characters, more than {TEACHES_MAX}"
        ));
    }
    if !text.ends_with('.') || text.ends_with("..") {
        return Err("the `teaches` line does not end in a full stop".into());
    }
    if text.to_ascii_lowercase().starts_with("not from the book") {
        return Err(
            "the `teaches` line says where the fixture comes from, not what it teaches".into(),
        );
    }
    // A sentence ends at `.`, `!` or `?` and a space, outside code spans
    // (`1.63` and `e.g.` are no ends).
    let mut in_code = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?' if !in_code && text.as_bytes().get(i + 1) == Some(&b' ') => {
                let before = &text[..i];
                if !["e.g", "i.e", "vs"].iter().any(|a| before.ends_with(a)) {
                    let end = &text[..=i];
                    return Err(format!(
                        "the `teaches` line holds more than one sentence (one ends at `{end}`)"
                    ));
                }
            }
            _ => {}
        }
    }
    match in_code {
        true => {
            Err("the `teaches` line has an unclosed code span (an odd number of backticks)".into())
        }
        false => Ok(()),
    }
}

fn expect(value: &str) -> Result<Expect, String> {
    let mut words = value.split_whitespace();
    match words.next() {
        Some("run") => match words.next() {
            None => Ok(Expect::Run),
            Some(extra) => Err(format!("unexpected `{extra}` after `run`")),
        },
        Some("compile-fail") => {
            let mut codes: Vec<String> = Vec::new();
            for code in words {
                if !is_error_code(code) {
                    return Err(format!("`{code}` is not an error code like E0382"));
                }
                if codes.iter().any(|c| c == code) {
                    return Err(format!("error code {code} is listed twice"));
                }
                codes.push(code.to_string());
            }
            if codes.is_empty() {
                return Err("compile-fail without error codes".into());
            }
            codes.sort();
            Ok(Expect::CompileFail(codes))
        }
        _ => Err(format!("unknown outcome `{value}`")),
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
        all.iter()
            .map(|p| {
                let crate::problem::What::Said(said) = &p.what else {
                    unreachable!()
                };
                let fix = match &p.fix {
                    Some(crate::problem::Fix::Edit(f)) => f.as_str(),
                    _ => "",
                };
                format!("{}: {said} | {fix}", p.line.unwrap_or(0))
            })
            .collect()
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
        assert_eq!(
            two[0],
            format!(
                "1: missing header field `section` | add a `//! section: …` line to the header; {FORMAT}"
            )
        );
        assert_eq!(two[1], "4: field `caption` is given twice | keep one");
        assert!(with("E0373", "E373")[0].starts_with("6: `E373` is not an error code"));
        assert!(
            with(
                "//! two\n",
                "//! two\n//! 3\n//! 4\n//! 5\n//! 6\n//! 7\n//! 8\n//! 9\n"
            )[0]
            .starts_with("9: the explanation has 9 lines | write 2 to 8 lines")
        );
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
        assert!(problems("use std::thread;\n")[0].starts_with("1: the file has no header"));
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
