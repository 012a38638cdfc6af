//! The fixture header: the `//!` block at the top of every fixture that says
//! which listing it is, what it teaches and what must happen when it is built.
//!
//! ```text
//! //! listing: listing-16-03
//! //! caption: Attempting to use a vector created by the main thread in another thread
//! //! section: 16.1 Using move Closures with Threads
//! //! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! //! expect: compile-fail E0373
//! //! fixed-by: listing-16-05
//! //!
//! //! Two to six lines of explanation, in our own words.
//! ```
//!
//! The field list is closed: an unknown, repeated, missing or malformed field
//! is an error naming the file and line.

use crate::error::{Error, Result};
use crate::output::{OutputSpec, Stream};
use std::path::Path;
use std::time::Duration;

/// How many lines of explanation a header must carry.
pub const LESSON_LINES: std::ops::RangeInclusive<usize> = 2..=6;

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
    /// Book section number and heading, e.g. `16.3 Shared Access to Mutex<T>`.
    pub section: String,
    /// The book page and anchor this listing appears under (or extends).
    pub url: String,
    /// Book listing or not.
    pub origin: Origin,
    /// Expected outcome.
    pub expect: Expect,
    /// The fixture that fixes this one, by listing id.
    pub fixed_by: Option<String>,
    /// For fixtures without a listing number: the listing it follows in the book.
    pub follows: Option<String>,
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
    "section",
    "url",
    "origin",
    "expect",
    "fixed-by",
    "follows",
    "output",
    "stream",
    "stream-partial",
    "stderr",
    "timeout",
];

const FIX_FORMAT: &str = "see \"How to read a fixture\" in README.md for the header format";

/// Parse the header at the top of `source`; `path` is used in errors only.
pub fn parse(path: &Path, source: &str) -> Result<Header> {
    let err = |line: usize, problem: String, fix: &str| {
        Error::fixture(path, Some(line), problem, fix.to_string())
    };

    let mut fields: Vec<(&'static str, usize, String)> = Vec::new();
    let mut lesson = Vec::new();
    let mut in_lesson = false;
    let mut len = 0;
    for (index, raw) in source.lines().enumerate() {
        let line = index + 1;
        let Some(rest) = raw.strip_prefix("//!") else {
            len = index;
            if !raw.trim().is_empty() {
                return Err(err(
                    line,
                    "the header must be followed by one blank line".into(),
                    "put an empty line between the `//!` header and the code",
                ));
            }
            break;
        };
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        if in_lesson {
            if rest.trim().is_empty() {
                return Err(err(
                    line,
                    "blank line inside the lesson text".into(),
                    "keep the explanation as one paragraph of 2 to 6 lines",
                ));
            }
            lesson.push((line, rest.trim_end().to_string()));
            continue;
        }
        if rest.trim().is_empty() {
            if fields.is_empty() {
                return Err(err(
                    line,
                    "blank line before any header field".into(),
                    FIX_FORMAT,
                ));
            }
            in_lesson = true;
            continue;
        }
        let Some((name, value)) = rest.split_once(':') else {
            return Err(err(
                line,
                format!("expected `field: value`, found `{}`", rest.trim()),
                FIX_FORMAT,
            ));
        };
        let name = name.trim();
        let Some(&known) = FIELDS.iter().find(|&&f| f == name) else {
            return Err(err(
                line,
                format!("unknown header field `{name}`"),
                &format!("use one of: {}", FIELDS.join(", ")),
            ));
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(err(
                line,
                format!("field `{name}` has no value"),
                FIX_FORMAT,
            ));
        }
        let repeatable = matches!(known, "stream" | "stream-partial");
        if !repeatable && fields.iter().any(|(n, _, _)| *n == known) {
            return Err(err(
                line,
                format!("field `{name}` is given twice"),
                "keep one",
            ));
        }
        fields.push((known, line, value.to_string()));
    }
    if source.lines().next().is_none_or(|l| !l.starts_with("//!")) {
        return Err(err(
            1,
            "the file does not start with a `//!` header".into(),
            "run `cargo xtask new` to scaffold one, or copy the header of a fixture nearby",
        ));
    }
    if len == 0 {
        return Err(err(
            source.lines().count(),
            "the file holds a header and no code".into(),
            "add the listing's code after the header",
        ));
    }
    let header_end = len;

    let get = |name: &str| fields.iter().find(|(n, _, _)| *n == name);
    let require = |name: &str| {
        get(name).map(|(_, _, v)| v.clone()).ok_or_else(|| {
            err(
                1,
                format!("missing header field `{name}`"),
                &format!("add a `//! {name}: …` line to the header; {FIX_FORMAT}"),
            )
        })
    };

    let listing = require("listing")?;
    let listing_line = get("listing").map_or(1, |f| f.1);
    if listing.is_empty()
        || !listing
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err(
            listing_line,
            format!("listing id `{listing}` must be lowercase letters, digits and dashes"),
            "use the book's id, e.g. `listing-16-13`",
        ));
    }

    let origin = match get("origin").map(|f| (f.1, f.2.as_str())) {
        None | Some((_, "book")) => Origin::Book,
        Some((_, "beyond")) => Origin::Beyond,
        Some((line, other)) => {
            return Err(err(
                line,
                format!("origin `{other}` is neither `book` nor `beyond`"),
                "write `origin: beyond` for fixtures not from the book, or drop the field",
            ));
        }
    };
    if origin == Origin::Beyond && !listing.starts_with("beyond-") {
        return Err(err(
            listing_line,
            format!("fixture not from the book has id `{listing}`"),
            "ids of fixtures not from the book start with `beyond-`",
        ));
    }
    if origin == Origin::Book && listing.starts_with("beyond-") {
        return Err(err(
            listing_line,
            format!("`{listing}` looks like our own id but `origin` says book"),
            "add `origin: beyond`",
        ));
    }

    let url = require("url")?;
    if !url.starts_with("https://doc.rust-lang.org/book/ch16-0") || !url.contains(".html#") {
        return Err(err(
            get("url").map_or(1, |f| f.1),
            format!("`{url}` is not a chapter 16 section address"),
            "use https://doc.rust-lang.org/book/ch16-0N-<page>.html#<heading>",
        ));
    }

    let expect_line = get("expect").map_or(1, |f| f.1);
    let expect = parse_expect(&require("expect")?).map_err(|p| {
        err(
            expect_line,
            p,
            "write `expect: compile-fail E0382 [E0505 …]` or `expect: run`",
        )
    })?;

    let timeout = match get("timeout") {
        None => DEFAULT_TIMEOUT,
        Some((_, line, value)) => parse_duration(value).ok_or_else(|| {
            err(
                *line,
                format!("timeout `{value}` is not a duration"),
                "write e.g. `timeout: 30s`",
            )
        })?,
    };

    let streams: Vec<Stream> = fields
        .iter()
        .filter(|(n, _, _)| matches!(*n, "stream" | "stream-partial"))
        .map(|(n, line, v)| {
            Stream::parse(v, *n == "stream-partial", *line)
                .map_err(|p| err(*line, p, "write a line template such as `Got: {hi,from,the}` or `hi number {1..9} from the main thread!`"))
        })
        .collect::<Result<_>>()?;
    let output = match (&expect, get("output")) {
        (Expect::CompileFail(_), None) => {
            if let Some(s) = streams.first() {
                return Err(err(
                    s.line,
                    "streams only apply to runnable fixtures".into(),
                    "remove the stream lines",
                ));
            }
            None
        }
        (Expect::CompileFail(_), Some((_, line, _))) => {
            return Err(err(
                *line,
                "`output` only applies to runnable fixtures".into(),
                "remove the `output` line, or change `expect` to `run`",
            ));
        }
        (Expect::Run, None) => {
            return Err(err(
                expect_line,
                "runnable fixture without an `output` field".into(),
                "add `output: exact` (or `output: streams` with `stream:` lines)",
            ));
        }
        (Expect::Run, Some((_, line, mode))) => {
            let spec = OutputSpec::new(mode, streams)
                .map_err(|p| err(*line, p, "see \"Run output\" in README.md"))?;
            Some(spec)
        }
    };

    let run_stderr = match get("stderr") {
        None => false,
        Some((_, line, _)) if expect.is_compile_fail() => {
            return Err(err(
                *line,
                "`stderr` only applies to runnable fixtures".into(),
                "remove the line; a compile-fail fixture's diagnostics are always compared",
            ));
        }
        Some((_, _, v)) if v == "exact" => true,
        Some((_, line, v)) => {
            return Err(err(
                *line,
                format!("unknown stderr mode `{v}`"),
                "write `stderr: exact`, or drop the line to leave stderr unchecked",
            ));
        }
    };
    let fixed_by = get("fixed-by").map(|f| f.2.clone());
    if expect.is_compile_fail() && fixed_by.is_none() {
        return Err(err(
            expect_line,
            "compile-fail fixture without a `fixed-by` field".into(),
            "name the fixture that fixes it, e.g. `fixed-by: listing-16-05`",
        ));
    }

    if lesson.is_empty() {
        return Err(err(
            header_end,
            "the header has no explanation".into(),
            "after the fields, add an empty `//!` line and 2 to 6 lines saying what the compiler does here and why",
        ));
    }
    if !LESSON_LINES.contains(&lesson.len()) {
        return Err(err(
            lesson[0].0,
            format!("the explanation has {} lines", lesson.len()),
            "write 2 to 6 lines",
        ));
    }

    let mut lines: Vec<(&'static str, usize)> = fields.iter().map(|(n, l, _)| (*n, *l)).collect();
    lines.push(("lesson", lesson[0].0));
    Ok(Header {
        listing,
        caption: require("caption")?,
        section: require("section")?,
        url,
        origin,
        expect,
        fixed_by,
        follows: get("follows").map(|f| f.2.clone()),
        output,
        run_stderr,
        timeout,
        lesson: lesson.into_iter().map(|(_, text)| text).collect(),
        lines,
        len: header_end + 1,
    })
}

fn parse_expect(value: &str) -> Result<Expect, String> {
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

    const GOOD: &str = "//! listing: listing-16-03\n//! caption: c\n//! section: 16.1 s\n//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#x\n//! expect: compile-fail E0373\n//! fixed-by: listing-16-05\n//!\n//! one\n//! two\n\nfn main() {}\n";

    fn error(src: &str) -> String {
        parse(Path::new("ui/x/f.rs"), src).unwrap_err().to_string()
    }

    #[test]
    fn good_header() {
        let h = parse(Path::new("f.rs"), GOOD).unwrap();
        assert_eq!(h.expect, Expect::CompileFail(vec!["E0373".into()]));
        assert_eq!(h.lesson.len(), 2);
        assert_eq!(h.len, 10);
    }

    #[test]
    fn errors_name_file_and_line() {
        let unknown = GOOD.replace("//! caption: c", "//! captoin: c");
        assert!(
            error(&unknown).starts_with("ui/x/f.rs:2: unknown header field `captoin`"),
            "{}",
            error(&unknown)
        );
        let missing = GOOD.replace("//! caption: c\n", "");
        assert!(error(&missing).contains("missing header field `caption`"));
        let twice = GOOD.replace("//! caption: c\n", "//! caption: c\n//! caption: d\n");
        assert!(error(&twice).starts_with("ui/x/f.rs:3: field `caption` is given twice"));
        let bad_code = GOOD.replace("E0373", "E373");
        assert!(error(&bad_code).starts_with("ui/x/f.rs:5: `E373` is not an error code"));
        let long = GOOD.replace("//! two\n", "//! two\n//! 3\n//! 4\n//! 5\n//! 6\n//! 7\n");
        assert!(error(&long).contains("the explanation has 7 lines"));
        let no_blank = GOOD.replace("//! two\n\n", "//! two\n");
        assert!(error(&no_blank).contains("followed by one blank line"));
        let run_without_output = GOOD.replace("compile-fail E0373", "run");
        assert!(error(&run_without_output).contains("without an `output` field"));
    }
}
