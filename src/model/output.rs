//! Run output of runnable fixtures: what is deterministic about it, and the
//! canonical text that is stored in the `.stdout` expectation.
//!
//! `output: exact` compares the whole output. `output: streams` is for
//! programs whose threads interleave at the scheduler's whim: each `stream:`
//! line of the header is a template of one thread's lines, in order, with at
//! most one brace group (`{1..9}` counts, `{hi,from,the}` lists). Then
//! * every line printed must belong to exactly one stream;
//! * each stream's lines appear in its own order, complete;
//! * a `stream-partial:` stream may stop early (its thread is cut off when
//!   `main` returns), so it must be a prefix of its template;
//! * the canonical output, compared with `.stdout`, is the complete streams
//!   one after another; partial streams are checked against their template
//!   only, because no run can promise how far they get.

/// How the run output of a fixture is compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputSpec {
    /// Byte for byte.
    Exact,
    /// Per stream, as described in the module docs.
    Streams(Vec<Stream>),
}

impl OutputSpec {
    /// For a human: what a run prints, when its threads interleave; `None`
    /// for `exact` output, which is its `.stdout`.
    pub fn describe(&self) -> Option<String> {
        let OutputSpec::Streams(streams) = self else {
            return None;
        };
        let parts: Vec<String> = streams
            .iter()
            .map(|s| {
                format!(
                    "`{}` ({} line(s) in order{})",
                    s.template,
                    s.lines.len(),
                    if s.partial {
                        ", possibly cut short"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        Some(format!(
            "its threads print at once, their lines interleaved in any way: {}",
            parts.join(" with ")
        ))
    }
}

/// One thread's lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stream {
    /// The template as written in the header.
    pub template: String,
    /// The template expanded, in order.
    pub lines: Vec<String>,
    /// May stop early.
    pub partial: bool,
    /// Header line it was declared on.
    pub line: usize,
}

impl Stream {
    /// Parse and expand one stream template.
    pub fn parse(template: &str, partial: bool, line: usize) -> Result<Stream, String> {
        Ok(Stream {
            template: template.to_string(),
            lines: expand(template)?,
            partial,
            line,
        })
    }
}

impl OutputSpec {
    /// Build a spec from the `output` field and the stream fields.
    pub fn new(mode: &str, streams: Vec<Stream>) -> Result<OutputSpec, String> {
        match mode {
            "exact" => match streams.first() {
                None => Ok(OutputSpec::Exact),
                Some(_) => Err("`output: exact` takes no `stream` lines".into()),
            },
            "streams" => {
                if streams.len() < 2 {
                    return Err("`output: streams` needs at least two `stream:` lines".into());
                }
                for (i, a) in streams.iter().enumerate() {
                    for b in &streams[i + 1..] {
                        if let Some(l) = a.lines.iter().find(|l| b.lines.contains(l)) {
                            return Err(format!(
                                "the line `{l}` belongs to two streams (header lines {} and {})",
                                a.line, b.line
                            ));
                        }
                    }
                    if let Some(dup) = a
                        .lines
                        .iter()
                        .enumerate()
                        .find(|(j, l)| a.lines[..*j].contains(l))
                    {
                        return Err(format!(
                            "the stream on header line {} repeats `{}`",
                            a.line, dup.1
                        ));
                    }
                }
                Ok(OutputSpec::Streams(streams))
            }
            other => Err(format!(
                "unknown output mode `{other}`; use `exact` or `streams`"
            )),
        }
    }

    /// Check `actual` against what the spec promises, and give back the text
    /// to compare with the `.stdout` expectation.
    pub fn canonical(&self, actual: &str) -> Result<String, String> {
        let streams = match self {
            OutputSpec::Exact => return Ok(actual.to_string()),
            OutputSpec::Streams(streams) => streams,
        };
        let mut seen: Vec<Vec<&str>> = vec![Vec::new(); streams.len()];
        // A thread cut off when `main` returns may be stopped in the middle of
        // a line: an unterminated last line is a fragment, checked below.
        let (complete, fragment) = match actual.rfind('\n') {
            _ if actual.ends_with('\n') || actual.is_empty() => (actual, ""),
            Some(i) => (&actual[..=i], &actual[i + 1..]),
            None => ("", actual),
        };
        for (n, line) in complete.lines().enumerate() {
            match streams
                .iter()
                .position(|s| s.lines.iter().any(|l| l == line))
            {
                Some(i) => seen[i].push(line),
                None => {
                    return Err(format!(
                        "line {} of the output, `{line}`, belongs to no declared stream",
                        n + 1
                    ));
                }
            }
        }
        if !fragment.is_empty() {
            let fits = streams.iter().zip(&seen).any(|(s, got)| {
                s.partial
                    && s.lines
                        .get(got.len())
                        .is_some_and(|next| next.starts_with(fragment))
            });
            if !fits {
                return Err(format!(
                    "the output ends with an unterminated line `{fragment}` that starts no line a partial stream could print next"
                ));
            }
        }
        let mut canonical = String::new();
        for (stream, got) in streams.iter().zip(&seen) {
            let ok = if stream.partial {
                got.len() <= stream.lines.len() && stream.lines.iter().zip(got).all(|(a, b)| a == b)
            } else {
                got.len() == stream.lines.len() && stream.lines.iter().zip(got).all(|(a, b)| a == b)
            };
            if !ok {
                let want = if stream.partial {
                    "a prefix of"
                } else {
                    "exactly"
                };
                return Err(format!(
                    "the stream `{}` printed {:?}, expected {want} {:?}",
                    stream.template, got, stream.lines
                ));
            }
            if !stream.partial {
                for line in got {
                    canonical.push_str(line);
                    canonical.push('\n');
                }
            }
        }
        Ok(canonical)
    }
}

/// Expand the single brace group of a template (or none).
fn expand(template: &str) -> Result<Vec<String>, String> {
    let Some(open) = template.find('{') else {
        if template.contains('}') {
            return Err("unbalanced `}` in the template".into());
        }
        return Ok(vec![template.to_string()]);
    };
    let close = template[open..]
        .find('}')
        .map(|i| open + i)
        .ok_or("unbalanced `{` in the template")?;
    let (before, group, after) = (
        &template[..open],
        &template[open + 1..close],
        &template[close + 1..],
    );
    if after.contains('{') || after.contains('}') {
        return Err("a template takes one brace group".into());
    }
    let items: Vec<String> = if let Some((a, b)) = group.split_once("..") {
        let (a, b): (u64, u64) = match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) if a <= b => (a, b),
            _ => {
                return Err(format!("`{{{group}}}` is not a range like {{1..9}}"));
            }
        };
        (a..=b).map(|n| n.to_string()).collect()
    } else {
        let items: Vec<String> = group.split(',').map(str::to_string).collect();
        if items.len() < 2 || items.iter().any(String::is_empty) {
            return Err(format!("`{{{group}}}` is not a list like {{hi,from,the}}"));
        }
        items
    };
    Ok(items
        .iter()
        .map(|i| format!("{before}{i}{after}"))
        .collect())
}

/// Run output made repeatable: since Rust 1.91 a panic message names the
/// thread's numeric id (`thread 'main' (3511) panicked at …`), which
/// changes every run; it becomes `(ID)`.
pub fn normalize(text: &str) -> String {
    let one = |line: &str| -> Option<String> {
        let rest = line.strip_prefix("thread '")?;
        let close = rest.find("' (")?;
        let after = &rest[close + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let tail = after[digits..].strip_prefix(')').filter(|_| digits > 0)?;
        Some(format!("thread '{}' (ID){tail}", &rest[..close]))
    };
    text.split_inclusive('\n')
        .map(|l| one(l).unwrap_or_else(|| l.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> OutputSpec {
        OutputSpec::new(
            "streams",
            vec![
                Stream::parse("m {1..2}", false, 1).unwrap(),
                Stream::parse("s {a,b,c}", true, 2).unwrap(),
            ],
        )
        .unwrap()
    }

    #[test]
    fn interleaving_is_canonicalised() {
        assert_eq!(
            spec().canonical("s a\nm 1\ns b\nm 2\n").unwrap(),
            "m 1\nm 2\n"
        );
        assert_eq!(spec().canonical("m 1\nm 2\n").unwrap(), "m 1\nm 2\n");
    }

    #[test]
    fn a_partial_stream_may_be_cut_mid_line() {
        assert_eq!(spec().canonical("m 1\ns a\nm 2\ns ").unwrap(), "m 1\nm 2\n");
        // Not a prefix of the partial stream's next line.
        assert!(spec().canonical("m 1\ns a\nm 2\ns x").is_err());
        // A complete stream is never cut.
        assert!(spec().canonical("s a\nm 1\nm").is_err());
    }

    #[test]
    fn order_completeness_and_membership_are_checked() {
        assert!(spec().canonical("m 2\nm 1\n").is_err());
        assert!(spec().canonical("m 1\n").is_err());
        assert!(spec().canonical("m 1\nm 2\ns b\n").is_err());
        assert!(spec().canonical("m 1\nm 2\nhello\n").is_err());
    }

    #[test]
    fn thread_ids_are_normalised() {
        let text =
            "thread '<unnamed>' (3511) panicked at ui/x.rs:3:5:\nboom\nthread 'x' (y) stays\n";
        assert_eq!(
            normalize(text),
            "thread '<unnamed>' (ID) panicked at ui/x.rs:3:5:\nboom\nthread 'x' (y) stays\n"
        );
    }

    #[test]
    fn templates_expand() {
        assert_eq!(expand("x {1..3}!").unwrap(), ["x 1!", "x 2!", "x 3!"]);
        assert_eq!(expand("plain").unwrap(), ["plain"]);
        assert!(expand("{1..3} {a,b}").is_err());
        assert!(expand("{3..1}").is_err());
        assert!(
            OutputSpec::new(
                "streams",
                vec![
                    Stream::parse("a {1..2}", false, 1).unwrap(),
                    Stream::parse("a {2..3}", false, 2).unwrap()
                ]
            )
            .is_err()
        );
    }
}
