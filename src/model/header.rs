//! The fixture header: the `//!` block at the top of every fixture that says
//! which listing it is, what it teaches and what must happen when it is built.
//!
//! ```text
//! //! listing: listing-16-03
//! //! caption: Attempting to use a vector created by the main thread in another thread
//! //! teaches: `thread::spawn` needs a `'static` closure, so it cannot borrow a local.
//! //! section: 16.1 Using move Closures with Threads
//! //! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! //! expect: compile-fail E0373
//! //! fixed-by: listing-16-05
//! //!
//! //! Two to eight lines of explanation, in our own words.
//! ```
//!
//! The field list is closed: an unknown, repeated, missing or malformed field
//! is an error naming the file and line.

use crate::error::{Error, Invalid, Result};
use crate::model::output::{OutputSpec, Stream};
use std::path::Path;
use std::time::Duration;

/// How many lines of explanation a header must carry.
pub const LESSON_LINES: std::ops::RangeInclusive<usize> = 2..=8;

/// The longest `teaches` line, in characters: it is one line of the index.
pub const TEACHES_MAX: usize = 120;

/// The time a runnable fixture gets when its header names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a fixture comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A listing of the book, under the book's own id.
    Book,
    /// An exercise the chapter leaves to the reader; not from the book.
    Beyond,
}

/// What must happen when the fixture is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Compilation fails with exactly these error codes (sorted, distinct).
    CompileFail(Vec<String>),
    /// Compiles, runs, and exits successfully.
    Run,
}

impl Expect {
    /// True for compile-fail fixtures.
    pub fn is_compile_fail(&self) -> bool {
        matches!(self, Expect::CompileFail(_))
    }
}

/// The parsed header of one fixture.
#[derive(Clone, Debug)]
pub struct Header {
    /// The book's id (`listing-16-13`, `no-listing-01-join-too-early`), or
    /// our own id (`beyond-…`) for fixtures not from the book.
    pub listing: String,
    /// The book's caption, or our own for fixtures not from the book.
    pub caption: String,
    /// What a reader learns from it, in one sentence (`teaches`): the
    /// index's line for the fixture.
    pub teaches: String,
    /// Book section number and heading, e.g. `16.3 Shared Access to Mutex<T>`.
    pub section: String,
    /// The book page and anchor this listing appears under (or extends).
    pub url: String,
    /// Book listing or not.
    pub origin: Origin,
    /// Expected outcome.
    pub expect: Expect,
    /// For a compile-fail fixture: the fixture that fixes it (`fixed-by`).
    pub fixed_by: Option<String>,
    /// For a runnable fixture: the fixture that does the same thing better
    /// (`improved-by`), such as 16-02 waiting for the thread 16-01 leaves
    /// running. Nothing is broken here, so this is not a fix.
    pub improved_by: Option<String>,
    /// For fixtures without a listing number: the listing it follows in the book.
    pub follows: Option<String>,
    /// The fixture whose code rustc's machine-applicable suggestions turn this
    /// compile-fail fixture into (`compiler-suggestion-gives`).
    pub suggestion_gives: Option<String>,
    /// How the run output of a runnable fixture is compared.
    pub output: Option<OutputSpec>,
    /// `stderr: exact`: a runnable fixture's own stderr (a panic message,
    /// say) is compared too, with thread ids normalised.
    pub run_stderr: bool,
    /// Time limit for running the fixture.
    pub timeout: Duration,
    /// The explanation, one entry per line.
    pub lesson: Vec<String>,
    /// Line of each field, for error messages (field name, line).
    pub lines: Vec<(&'static str, usize)>,
    /// Number of lines the header occupies (including the blank line after it).
    pub len: usize,
}

impl Header {
    /// The line a field was given on, or 1.
    pub fn line_of(&self, field: &str) -> usize {
        self.lines
            .iter()
            .find(|(name, _)| *name == field)
            .map_or(1, |&(_, line)| line)
    }
}

const FIELDS: &[&str] = &[
    "listing",
    "caption",
    "teaches",
    "section",
    "url",
    "origin",
    "expect",
    "fixed-by",
    "improved-by",
    "follows",
    "compiler-suggestion-gives",
    "output",
    "stream",
    "stream-partial",
    "stderr",
    "timeout",
];

const FIX_FORMAT: &str = "see \"How to read a fixture\" in README.md for the header format";

/// Parse the header at the top of `source`; `path` is used in errors only.
///
/// In phases: find the `//!` block and split it into fields and lesson,
/// then read each field, then check the fields against each other.
pub fn parse(path: &Path, source: &str) -> Result<Header> {
    let block = Block::locate(path, source)?;
    // Every problem of the header, not only the first: each field is read
    // even when another is wrong.
    let mut errors = block.problems.clone();
    let listing = keep(block.require("listing"), &mut errors);
    let origin = listing
        .as_ref()
        .and_then(|l| keep(block.origin(l), &mut errors));
    let url = keep(block.url(), &mut errors);
    let expect = keep(block.expect(), &mut errors);
    let (output, run_stderr, next_steps, suggestion_gives) = match &expect {
        Some(e) => (
            keep(block.output(e), &mut errors),
            keep(block.run_stderr(e), &mut errors),
            keep(block.next_steps(e), &mut errors),
            keep(block.suggestion_gives(e), &mut errors),
        ),
        None => (None, None, None, None),
    };
    let lesson = keep(block.lesson(), &mut errors);
    let caption = keep(block.caption(), &mut errors);
    let teaches = keep(block.teaches(), &mut errors);
    let section = keep(block.require("section"), &mut errors);
    let timeout = keep(block.timeout(), &mut errors);
    let (
        Some(listing),
        Some(origin),
        Some(url),
        Some(expect),
        Some(output),
        Some(run_stderr),
        Some((fixed_by, improved_by)),
        Some(suggestion_gives),
        Some(lesson),
        Some(caption),
        Some(teaches),
        Some(section),
        Some(timeout),
    ) = (
        listing,
        origin,
        url,
        expect,
        output,
        run_stderr,
        next_steps,
        suggestion_gives,
        lesson,
        caption,
        teaches,
        section,
        timeout,
    )
    else {
        return Err(together(errors));
    };
    if !errors.is_empty() {
        return Err(together(errors));
    }
    Ok(Header {
        listing,
        caption,
        teaches,
        section,
        url,
        origin,
        expect,
        fixed_by,
        improved_by,
        follows: block.value("follows"),
        suggestion_gives,
        output,
        run_stderr,
        timeout,
        lesson,
        lines: block.fields.iter().map(|f| (f.name, f.line)).collect(),
        len: block.end + 1,
    })
}

/// The field `name` is probably a misspelling of: one at most two edits
/// away, if there is exactly one.
fn near(name: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let here = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
                prev = here;
            }
        }
        row[b.len()]
    }
    let mut close = FIELDS.iter().filter(|f| distance(name, f) <= 2);
    match (close.next(), close.next()) {
        (Some(f), None) => Some(f),
        _ => None,
    }
}

/// Problems of one header, in line order: one error, or a tree of them.
fn together(mut errors: Vec<Error>) -> Error {
    errors.sort_by_key(|e| match e {
        Error::Fixture { line, .. } => line.unwrap_or(0),
        _ => 0,
    });
    match errors.len() {
        1 => errors.remove(0),
        _ => Error::Tree(errors),
    }
}

/// The value of `r`, or `None` with its problems added to `errors`.
fn keep<T>(r: Result<T>, errors: &mut Vec<Error>) -> Option<T> {
    r.map_err(|e| errors.extend(e.flatten())).ok()
}

/// One `name: value` line of the header.
struct Field {
    name: &'static str,
    line: usize,
    value: String,
}

/// The header's lines, split into fields and lesson, before any field is
/// read.
struct Block<'a> {
    path: &'a Path,
    fields: Vec<Field>,
    /// The lesson's lines, with their line numbers.
    lesson: Vec<(usize, String)>,
    /// The 0-based index of the blank line after the header.
    end: usize,
    /// Lines that are not a well-formed field, found while splitting; the
    /// rest of the header is still read.
    problems: Vec<Error>,
    /// Known fields whose line had a problem (no value): not missing, so
    /// not reported again as missing.
    attempted: Vec<&'static str>,
}

impl<'a> Block<'a> {
    /// Find the `//!` block at the top of `source`, and split it.
    fn locate(path: &'a Path, source: &str) -> Result<Block<'a>> {
        let mut block = Block {
            path,
            fields: Vec::new(),
            lesson: Vec::new(),
            end: 0,
            problems: Vec::new(),
            attempted: Vec::new(),
        };
        if source.lines().next().is_none_or(|l| !l.starts_with("//!")) {
            return Err(block.err(
                1,
                "the file has no header: it does not start with a `//!` line",
                "run `cargo xtask new` to scaffold one, or copy the header of a fixture nearby",
            ));
        }
        let mut in_lesson = false;
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            let Some(rest) = raw.strip_prefix("//!") else {
                block.end = index;
                if !raw.trim().is_empty() {
                    return Err(block.err(
                        line,
                        "the header must be followed by one blank line",
                        "put an empty line between the `//!` header and the code",
                    ));
                }
                break;
            };
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            if in_lesson {
                if let Some((name, _)) = rest.split_once(':')
                    && FIELDS.contains(&name.trim())
                    && !name.contains(' ')
                {
                    return Err(block.err(
                        line,
                        format!("header field `{name}` after the explanation"),
                        "put every `field: value` line before the empty `//!` line that starts the explanation",
                    ));
                }
                if rest.trim().is_empty() {
                    return Err(block.err(
                        line,
                        "blank line inside the lesson text",
                        format!(
                            "keep the explanation as one paragraph of {}",
                            lesson_lines()
                        ),
                    ));
                }
                block.lesson.push((line, rest.trim_end().to_string()));
            } else if rest.trim().is_empty() {
                if block.fields.is_empty() {
                    return Err(block.err(line, "blank line before any header field", FIX_FORMAT));
                }
                in_lesson = true;
            } else {
                match block.field(line, rest) {
                    Ok(field) => block.fields.push(field),
                    Err(e) => {
                        // A known field, or one misspelt, is there: its
                        // problem is this line's, not a missing field.
                        let name = rest.split(':').next().unwrap_or_default().trim();
                        if let Some(known) =
                            FIELDS.iter().find(|&&f| f == name).copied().or(near(name))
                        {
                            block.attempted.push(known);
                        }
                        block.problems.push(e);
                    }
                }
            }
        }
        if block.end == 0 {
            let mut all = block.problems.clone();
            all.push(block.err(
                source.lines().count(),
                "the file holds a header and no code",
                "add the listing's code after the header",
            ));
            return Err(together(all));
        }
        Ok(block)
    }

    /// One `name: value` line, checked against the closed field list.
    fn field(&self, line: usize, text: &str) -> Result<Field> {
        let Some((name, value)) = text.split_once(':') else {
            return Err(self.err(
                line,
                format!("expected `field: value`, found `{}`", text.trim()),
                FIX_FORMAT,
            ));
        };
        let name = name.trim();
        let Some(&known) = FIELDS.iter().find(|&&f| f == name) else {
            let fix = match near(name) {
                Some(field) => format!(
                    "did you mean `{field}`? The fields are: {}",
                    FIELDS.join(", ")
                ),
                None => format!("use one of: {}", FIELDS.join(", ")),
            };
            return Err(self.err(line, format!("unknown header field `{name}`"), fix));
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(self.err(line, format!("field `{name}` has no value"), FIX_FORMAT));
        }
        let repeatable = matches!(known, "stream" | "stream-partial");
        if !repeatable && self.get(known).is_some() {
            return Err(self.err(line, format!("field `{name}` is given twice"), "keep one"));
        }
        Ok(Field {
            name: known,
            line,
            value: value.to_string(),
        })
    }

    fn err(&self, line: usize, problem: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::fixture(self.path, Some(line), problem, fix)
    }

    fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(|f| f.value.clone())
    }

    /// The line of field `name`, or 1 when it is missing.
    fn line(&self, name: &str) -> usize {
        self.get(name).map_or(1, |f| f.line)
    }

    fn require(&self, name: &str) -> Result<String> {
        self.value(name).ok_or_else(|| {
            self.missing(
                name,
                1,
                format!("add a `//! {name}: …` line to the header; {FIX_FORMAT}"),
            )
        })
    }

    /// Field `name` is missing (said at `line`), unless its line is there
    /// with a problem of its own, already reported.
    fn missing(&self, name: &str, line: usize, fix: String) -> Error {
        if self.attempted.contains(&name) {
            return Error::Tree(Vec::new());
        }
        self.err(line, format!("missing header field `{name}`"), fix)
    }

    /// `origin`, checked against the shape of the listing id.
    fn origin(&self, listing: &str) -> Result<Origin> {
        let at = self.line("listing");
        if !crate::layout::is_slug(listing) {
            return Err(self.err(
                at,
                format!("listing id `{listing}` must be lowercase letters, digits and dashes"),
                "use the book's id, e.g. `listing-16-13`",
            ));
        }
        let origin = match self.get("origin").map(|f| (f.line, f.value.as_str())) {
            None | Some((_, "book")) => Origin::Book,
            Some((_, "beyond")) => Origin::Beyond,
            Some((line, other)) => {
                return Err(self.err(
                    line,
                    format!("origin `{other}` is neither `book` nor `beyond`"),
                    "write `origin: beyond` for fixtures not from the book, or drop the field",
                ));
            }
        };
        match (origin, listing.starts_with("beyond-")) {
            (Origin::Beyond, false) => Err(self.err(
                at,
                format!("fixture not from the book has id `{listing}`"),
                "ids of fixtures not from the book start with `beyond-`",
            )),
            (Origin::Book, true) => Err(self.err(
                at,
                format!("`{listing}` looks like our own id but `origin` says book"),
                "add `origin: beyond`",
            )),
            _ => Ok(origin),
        }
    }

    fn url(&self) -> Result<String> {
        let url = self.require("url")?;
        if !url.starts_with("https://doc.rust-lang.org/book/ch16-0") || !url.contains(".html#") {
            return Err(self.err(
                self.line("url"),
                format!("`{url}` is not a chapter 16 section address"),
                "use https://doc.rust-lang.org/book/ch16-0N-<page>.html#<heading>",
            ));
        }
        Ok(url)
    }

    fn expect(&self) -> Result<Expect> {
        parse_expect(&self.require("expect")?).map_err(|p| {
            self.err(
                self.line("expect"),
                p,
                "write `expect: compile-fail E0382 [E0505 …]` or `expect: run`",
            )
        })
    }

    fn timeout(&self) -> Result<Duration> {
        let Some(f) = self.get("timeout") else {
            return Ok(DEFAULT_TIMEOUT);
        };
        parse_duration(&f.value).ok_or_else(|| {
            self.err(
                f.line,
                format!("timeout `{}` is not a duration", f.value),
                "write e.g. `timeout: 30s`",
            )
        })
    }

    /// `output` and its `stream` lines, which only runnable fixtures have.
    fn output(&self, expect: &Expect) -> Result<Option<OutputSpec>> {
        let streams: Vec<Stream> = self
            .fields
            .iter()
            .filter(|f| matches!(f.name, "stream" | "stream-partial"))
            .map(|f| {
                Stream::parse(&f.value, f.name == "stream-partial", f.line).map_err(|p| {
                    self.err(
                        f.line,
                        p,
                        "write a line template such as `Got: {hi,from,the}` or `hi number {1..9} from the main thread!`",
                    )
                })
            })
            .collect::<Result<_>>()?;
        match (expect, self.get("output")) {
            (Expect::CompileFail(_), None) => match streams.first() {
                Some(s) => Err(self.err(
                    s.line,
                    "streams only apply to runnable fixtures",
                    "remove the stream lines",
                )),
                None => Ok(None),
            },
            (Expect::CompileFail(_), Some(f)) => Err(self.err(
                f.line,
                "`output` only applies to runnable fixtures",
                "remove the `output` line, or change `expect` to `run`",
            )),
            (Expect::Run, None) => Err(self.err(
                self.line("expect"),
                "runnable fixture without an `output` field",
                "add `output: exact` (or `output: streams` with `stream:` lines)",
            )),
            (Expect::Run, Some(f)) => OutputSpec::new(&f.value, streams)
                .map(Some)
                .map_err(|p| self.err(f.line, p, "see \"Run output\" in README.md")),
        }
    }

    /// `teaches`: one line, one sentence ending in a full stop, at most
    /// [`TEACHES_MAX`] characters.
    /// `caption`: one line, its code spans closed (pages render it as
    /// Markdown, where a stray backtick would swallow the rest of the line).
    fn caption(&self) -> Result<String> {
        let caption = self.require("caption")?;
        if caption.matches('`').count() % 2 == 1 {
            return Err(self.err(
                self.line("caption"),
                "the caption has an unclosed code span (an odd number of backticks)",
                "close the code span, e.g. `Mutex<T>`, or drop the stray backtick",
            ));
        }
        Ok(caption)
    }

    fn teaches(&self) -> Result<String> {
        let Some(f) = self.get("teaches") else {
            return Err(self.missing(
                "teaches",
                self.line("caption") + 1,
                "add `//! teaches: <what a reader learns here, in one sentence>.` after the caption"
                    .into(),
            ));
        };
        check_teaches(&f.value).map_err(|p| {
            self.err(
                f.line,
                p,
                format!(
                    "say what the fixture teaches in one sentence of at most {TEACHES_MAX} characters, \
                     ending in a full stop; the explanation below holds the rest"
                ),
            )
        })?;
        Ok(f.value.clone())
    }

    /// `compiler-suggestion-gives`, for compile-fail fixtures only.
    fn suggestion_gives(&self, expect: &Expect) -> Result<Option<String>> {
        match self.get("compiler-suggestion-gives") {
            Some(f) if !expect.is_compile_fail() => Err(self.err(
                f.line,
                "`compiler-suggestion-gives` only applies to compile-fail fixtures",
                "remove the line",
            )),
            other => Ok(other.map(|f| f.value.clone())),
        }
    }

    /// `fixed-by` and `improved-by`: a compile-fail fixture must name its
    /// fix, and only it can have one; only a runnable fixture can be
    /// improved on.
    fn next_steps(&self, expect: &Expect) -> Result<(Option<String>, Option<String>)> {
        let fixed_by = self.get("fixed-by");
        let improved_by = self.get("improved-by");
        match (expect.is_compile_fail(), fixed_by, improved_by) {
            (true, None, _) => Err(self.err(
                self.line("expect"),
                "compile-fail fixture without a `fixed-by` field",
                "name the fixture that fixes it, e.g. `fixed-by: listing-16-05`",
            )),
            (true, Some(_), Some(f)) => Err(self.err(
                f.line,
                "`improved-by` only applies to runnable fixtures",
                "remove the line: a compile-fail fixture names its fix with `fixed-by`",
            )),
            (false, Some(f), _) => Err(self.err(
                f.line,
                "`fixed-by` only applies to compile-fail fixtures: a runnable one has nothing to fix",
                format!(
                    "to point at a listing that does this better, write `improved-by: {}`",
                    f.value
                ),
            )),
            (_, fixed_by, improved_by) => Ok((
                fixed_by.map(|f| f.value.clone()),
                improved_by.map(|f| f.value.clone()),
            )),
        }
    }

    /// `stderr: exact`, for runnable fixtures only.
    fn run_stderr(&self, expect: &Expect) -> Result<bool> {
        match self.get("stderr") {
            None => Ok(false),
            Some(f) if expect.is_compile_fail() => Err(self.err(
                f.line,
                "`stderr` only applies to runnable fixtures",
                "remove the line; a compile-fail fixture's diagnostics are always compared",
            )),
            Some(f) if f.value == "exact" => Ok(true),
            Some(f) => Err(self.err(
                f.line,
                format!("unknown stderr mode `{}`", f.value),
                "write `stderr: exact`, or drop the line to leave stderr unchecked",
            )),
        }
    }

    /// The explanation: [`LESSON_LINES`] lines, starting with the lesson (a fixture
    /// not from the book says so by its `origin`; its page shows the
    /// explanation under its caption).
    fn lesson(&self) -> Result<Vec<String>> {
        if let Some((line, text)) = self.lesson.first()
            && text.to_ascii_lowercase().starts_with("not from the book")
        {
            return Err(self.err(
                *line,
                "the explanation starts by saying the fixture is not from the book",
                "drop those words (`origin: beyond` says it, and the fixture's page shows where it comes from): \
                 start with the lesson",
            ));
        }
        if self.lesson.is_empty() {
            return Err(self.err(
                self.end,
                "the header has no explanation",
                format!(
                    "after the fields, add an empty `//!` line and {} saying what the compiler does here and why",
                    lesson_lines()
                ),
            ));
        }
        if !LESSON_LINES.contains(&self.lesson.len()) {
            return Err(self.err(
                self.lesson[0].0,
                format!("the explanation has {} lines", self.lesson.len()),
                format!("write {}", lesson_lines()),
            ));
        }
        Ok(self.lesson.iter().map(|(_, text)| text.clone()).collect())
    }
}

/// [`LESSON_LINES`] in words, for messages.
fn lesson_lines() -> String {
    format!("{} to {} lines", LESSON_LINES.start(), LESSON_LINES.end())
}

/// The rule for a `teaches` line (see [`Block::teaches`]).
fn check_teaches(text: &str) -> Result<(), Invalid> {
    let chars = text.chars().count();
    if chars > TEACHES_MAX {
        return Err(
            format!("the `teaches` line has {chars} characters, more than {TEACHES_MAX}").into(),
        );
    }
    if !text.ends_with('.') || text.ends_with("..") {
        return Err("the `teaches` line does not end in a full stop".into());
    }
    if text.to_ascii_lowercase().starts_with("not from the book") {
        return Err(
            "the `teaches` line says where the fixture comes from, not what it teaches".into(),
        );
    }
    // A sentence ends at `.`, `!` or `?` followed by a space, outside code
    // spans (`1.63`, `e.g.` and `Ordering::Relaxed.` inside backticks do not).
    let mut in_code = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?' if !in_code && bytes.get(i + 1) == Some(&b' ') => {
                let before = &text[..i];
                if !(before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("vs")) {
                    return Err(format!(
                        "the `teaches` line holds more than one sentence (one ends at `{}`)",
                        &text[..=i]
                    )
                    .into());
                }
            }
            _ => {}
        }
    }
    if in_code {
        return Err(
            "the `teaches` line has an unclosed code span (an odd number of backticks)".into(),
        );
    }
    Ok(())
}

fn parse_expect(value: &str) -> Result<Expect, Invalid> {
    let mut words = value.split_whitespace();
    match words.next() {
        Some("run") => match words.next() {
            None => Ok(Expect::Run),
            Some(extra) => Err(format!("unexpected `{extra}` after `run`").into()),
        },
        Some("compile-fail") => {
            let mut codes: Vec<String> = Vec::new();
            for code in words {
                if !is_error_code(code) {
                    return Err(format!("`{code}` is not an error code like E0382").into());
                }
                if codes.iter().any(|c| c == code) {
                    return Err(format!("error code {code} is listed twice").into());
                }
                codes.push(code.to_string());
            }
            if codes.is_empty() {
                return Err("compile-fail without error codes".into());
            }
            codes.sort();
            Ok(Expect::CompileFail(codes))
        }
        _ => Err(format!("unknown outcome `{value}`").into()),
    }
}

/// `E` followed by four digits.
pub fn is_error_code(code: &str) -> bool {
    code.len() == 5 && code.starts_with('E') && code[1..].bytes().all(|b| b.is_ascii_digit())
}

fn parse_duration(value: &str) -> Option<Duration> {
    let secs: u64 = value.strip_suffix('s')?.trim().parse().ok()?;
    (secs > 0 && secs <= 3600).then(|| Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "//! listing: listing-16-03\n//! caption: c\n//! teaches: One thing.\n//! section: 16.1 s\n//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#x\n//! expect: compile-fail E0373\n//! fixed-by: listing-16-05\n//!\n//! one\n//! two\n\nfn main() {}\n";

    fn error(src: &str) -> String {
        parse(Path::new("ui/x/f.rs"), src).unwrap_err().to_string()
    }

    #[test]
    fn good_header() {
        let h = parse(Path::new("f.rs"), GOOD).unwrap();
        assert_eq!(h.expect, Expect::CompileFail(vec!["E0373".into()]));
        assert_eq!(h.lesson.len(), 2);
        assert_eq!(h.len, 11);
        assert_eq!(h.teaches, "One thing.");
    }

    #[test]
    fn errors_name_file_and_line() {
        let unknown = GOOD.replace("//! caption: c", "//! captoin: c");
        assert!(
            error(&unknown).starts_with(
                "ui/x/f.rs:2: unknown header field `captoin`\n  fix: did you mean `caption`?"
            ),
            "{}",
            error(&unknown)
        );
        let missing = GOOD.replace("//! caption: c\n", "");
        assert!(error(&missing).contains("missing header field `caption`"));
        let twice = GOOD.replace("//! caption: c\n", "//! caption: c\n//! caption: d\n");
        assert!(
            error(&twice).starts_with("ui/x/f.rs:3: field `caption` is given twice"),
            "{}",
            error(&twice)
        );
        let bad_code = GOOD.replace("E0373", "E373");
        assert!(error(&bad_code).starts_with("ui/x/f.rs:6: `E373` is not an error code"));
        let eight = GOOD.replace(
            "//! two\n",
            "//! two\n//! 3\n//! 4\n//! 5\n//! 6\n//! 7\n//! 8\n",
        );
        assert_eq!(parse(Path::new("f.rs"), &eight).unwrap().lesson.len(), 8);
        let long = eight.replace("//! 8\n", "//! 8\n//! 9\n");
        assert!(
            error(&long).contains("the explanation has 9 lines")
                && error(&long).contains("write 2 to 8 lines"),
            "{}",
            error(&long)
        );
        let no_blank = GOOD.replace("//! two\n\n", "//! two\n");
        assert!(error(&no_blank).contains("followed by one blank line"));
        let late = GOOD.replace("//! two\n", "//! two\n//! follows: listing-16-02\n");
        assert!(
            error(&late).starts_with("ui/x/f.rs:11: header field `follows` after the explanation"),
            "{}",
            error(&late)
        );
        let run_without_output = GOOD.replace("compile-fail E0373", "run");
        assert!(error(&run_without_output).contains("without an `output` field"));
        // Every problem of the header, in line order, not only the first.
        let two = GOOD
            .replace("//! caption: c\n", "//! caption: c\n//! caption: d\n")
            .replace("//! section: 16.1 s\n", "");
        let both = error(&two);
        assert!(
            both.contains("ui/x/f.rs:1: missing header field `section`")
                && both.contains("ui/x/f.rs:3: field `caption` is given twice"),
            "{both}"
        );
        assert!(both.find(":1: missing").unwrap() < both.find(":3: field").unwrap());
    }

    #[test]
    fn a_fix_is_for_what_fails_and_an_improvement_for_what_runs() {
        let run = GOOD
            .replace("compile-fail E0373", "run\n//! output: exact")
            .replace("fixed-by", "improved-by");
        let h = parse(Path::new("f.rs"), &run).unwrap();
        assert_eq!(
            (h.fixed_by, h.improved_by.as_deref()),
            (None, Some("listing-16-05"))
        );
        let run_fixed = run.replace("improved-by", "fixed-by");
        assert!(
            error(&run_fixed)
                .starts_with("ui/x/f.rs:8: `fixed-by` only applies to compile-fail fixtures")
                && error(&run_fixed).contains("write `improved-by: listing-16-05`"),
            "{}",
            error(&run_fixed)
        );
        let fail_improved = GOOD.replace(
            "//! fixed-by: listing-16-05\n",
            "//! fixed-by: listing-16-05\n//! improved-by: listing-16-02\n",
        );
        assert!(
            error(&fail_improved)
                .starts_with("ui/x/f.rs:8: `improved-by` only applies to runnable fixtures"),
            "{}",
            error(&fail_improved)
        );
        let fail_improved_only = GOOD.replace("fixed-by", "improved-by");
        assert!(error(&fail_improved_only).contains("without a `fixed-by` field"));
    }

    #[test]
    fn a_lesson_starts_with_what_it_teaches() {
        let not_from = GOOD.replace("//! one\n", "//! Not from the book: one\n");
        assert!(
            error(&not_from).starts_with(
                "ui/x/f.rs:9: the explanation starts by saying the fixture is not from the book"
            ),
            "{}",
            error(&not_from)
        );
    }

    #[test]
    fn teaches_is_one_sentence_on_one_line() {
        let with = |t: &str| GOOD.replace("//! teaches: One thing.", &format!("//! teaches: {t}"));
        let missing = GOOD.replace("//! teaches: One thing.\n", "");
        assert!(
            error(&missing).starts_with("ui/x/f.rs:3: missing header field `teaches`")
                && error(&missing).contains("add `//! teaches:"),
            "{}",
            error(&missing)
        );
        assert!(error(&with("")).starts_with("ui/x/f.rs:3: field `teaches` has no value"));
        let long = format!("{}.", "a".repeat(120));
        assert!(
            error(&with(&long)).starts_with("ui/x/f.rs:3: the `teaches` line has 121 characters"),
            "{}",
            error(&with(&long))
        );
        assert!(error(&with("No stop")).contains("does not end in a full stop"));
        assert!(
            error(&with("One. Two.")).contains("more than one sentence (one ends at `One.`)"),
            "{}",
            error(&with("One. Two."))
        );
        assert!(error(&with("Why? Because.")).contains("more than one sentence"));
        assert!(error(&with("Odd `tick.")).contains("unclosed code span"));
        let caption = GOOD.replace("//! caption: c", "//! caption: A `Mutex<T> alone");
        assert!(
            error(&caption).starts_with("ui/x/f.rs:2: the caption has an unclosed code span"),
            "{}",
            error(&caption)
        );
        assert!(
            error(&with("Not from the book, but true.")).contains("where the fixture comes from")
        );
        // Full stops inside code spans and abbreviations are not sentence ends.
        for fine in [
            "`thread::scope` (Rust 1.63) joins, e.g. before `main.` returns.",
            "Scoped threads share a `&Mutex`, i.e. no `Arc`.",
        ] {
            assert_eq!(parse(Path::new("f.rs"), &with(fine)).unwrap().teaches, fine);
        }
    }

    #[test]
    fn a_file_without_a_header_is_told_so() {
        let message = error("use std::thread;\n\nfn main() {}\n");
        assert!(
            message.starts_with(
                "ui/x/f.rs:1: the file has no header: it does not start with a `//!` line"
            ) && message.contains("cargo xtask new"),
            "{message}"
        );
    }
}
