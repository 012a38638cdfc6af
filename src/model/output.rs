//! Run output of runnable fixtures: what is deterministic about it, and the
//! canonical text kept in `.stdout` ("Run output" in CONTRIBUTING.md).

/// How the run output of a fixture is compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputSpec {
    /// Byte for byte.
    Exact,
    /// Per thread: each line in one stream, each stream in order.
    Streams(Vec<Stream>),
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
        let (lines, template) = (expand(template)?, template.into());
        Ok(Stream {
            template,
            lines,
            partial,
            line,
        })
    }
}

impl OutputSpec {
    /// Build a spec from the `output` field and the stream fields.
    pub fn new(mode: &str, streams: Vec<Stream>) -> Result<OutputSpec, String> {
        match mode {
            "exact" if streams.is_empty() => Ok(OutputSpec::Exact),
            "exact" => Err("`output: exact` takes no `stream` lines".into()),
            "streams" if streams.len() < 2 => {
                Err("`output: streams` needs at least two `stream:` lines".into())
            }
            "streams" => {
                for (i, a) in streams.iter().enumerate() {
                    for b in &streams[i + 1..] {
                        if let Some(l) = a.lines.iter().find(|l| b.lines.contains(l)) {
                            let lines = format!("header lines {} and {}", a.line, b.line);
                            return Err(format!("the line `{l}` belongs to two streams ({lines})"));
                        }
                    }
                    let mut seen = a.lines.iter().enumerate();
                    if let Some((_, l)) = seen.find(|(j, l)| a.lines[..*j].contains(l)) {
                        let at = a.line;
                        return Err(format!("the stream on header line {at} repeats `{l}`"));
                    }
                }
                Ok(OutputSpec::Streams(streams))
            }
            _ => Err(format!(
                "unknown output mode `{mode}`; use `exact` or `streams`"
            )),
        }
    }

    /// For a human: what a run with streams prints; `None` for `exact`.
    pub fn describe(&self) -> Option<String> {
        let OutputSpec::Streams(streams) = self else {
            return None;
        };
        let one = |s: &Stream| {
            let (template, n, partial) = (&s.template, s.lines.len(), s.partial);
            let cut = if partial { ", possibly cut short" } else { "" };
            format!("`{template}` ({n} line(s) in order{cut})")
        };
        let all: Vec<String> = streams.iter().map(one).collect();
        let lead = "its threads print at once, their lines interleaved in any way";
        Some(format!("{lead}: {}", all.join(" with ")))
    }

    /// Check `actual` against the spec; the text to compare with `.stdout`
    /// (the complete streams one after another, no partial one).
    pub fn canonical(&self, actual: &str) -> Result<String, String> {
        let OutputSpec::Streams(streams) = self else {
            return Ok(actual.to_string());
        };
        let mut seen: Vec<Vec<&str>> = vec![Vec::new(); streams.len()];
        // A thread cut off when `main` returns may be stopped in the middle of
        // a line: an unterminated last line is a fragment, checked below.
        let cut = actual.rfind('\n').map_or(0, |i| i + 1);
        let (complete, fragment) = actual.split_at(cut);
        for (n, line) in (1..).zip(complete.lines()) {
            let holds = |s: &Stream| s.lines.iter().any(|l| l == line);
            let Some(i) = streams.iter().position(holds) else {
                let said = "belongs to no declared stream";
                return Err(format!("line {n} of the output, `{line}`, {said}"));
            };
            seen[i].push(line);
        }
        let fits = |(s, got): (&Stream, &Vec<&str>)| {
            let next = s.lines.get(got.len());
            s.partial && next.is_some_and(|l| l.starts_with(fragment))
        };
        if !fragment.is_empty() && !streams.iter().zip(&seen).any(fits) {
            return Err(format!(
                "the output ends with an unterminated line `{fragment}` that starts no line a partial stream could print next"
            ));
        }
        let mut canonical = String::new();
        for (s, got) in streams.iter().zip(&seen) {
            let whole = got.len() == s.lines.len();
            if !s.lines.iter().take(got.len()).eq(got) || !(whole || s.partial) {
                let want = if s.partial { "a prefix of" } else { "exactly" };
                let (t, want) = (&s.template, format!("expected {want} {:?}", s.lines));
                return Err(format!("the stream `{t}` printed {got:?}, {want}"));
            }
            if !s.partial {
                canonical.extend(got.iter().map(|l| format!("{l}\n")));
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
    let (before, rest) = template.split_at(open);
    let unbalanced = "unbalanced `{` in the template";
    let (group, after) = rest[1..].split_once('}').ok_or(unbalanced)?;
    if after.contains(['{', '}']) {
        return Err("a template takes one brace group".into());
    }
    let items: Vec<String> = match group.split_once("..") {
        Some((a, b)) => match (a.parse::<u64>(), b.parse::<u64>()) {
            (Ok(a), Ok(b)) if a <= b => (a..=b).map(|n| n.to_string()).collect(),
            _ => return Err(format!("`{{{group}}}` is not a range like {{1..9}}")),
        },
        None if !group.contains(',') || group.split(',').any(str::is_empty) => {
            return Err(format!("`{{{group}}}` is not a list like {{hi,from,the}}"));
        }
        None => group.split(',').map(str::to_string).collect(),
    };
    let line = |i: &String| format!("{before}{i}{after}");
    Ok(items.iter().map(line).collect())
}

/// Run output made repeatable: the thread id a panic message names since
/// Rust 1.91 (`thread 'main' (3511) panicked`) becomes `(ID)`.
pub fn normalize(text: &str) -> String {
    let one = |line: &str| -> Option<String> {
        let rest = line.strip_prefix("thread '")?;
        let close = rest.find("' (")?;
        let after = &rest[close + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let tail = after[digits..].strip_prefix(')').filter(|_| digits > 0)?;
        Some(format!("thread '{}' (ID){tail}", &rest[..close]))
    };
    let line = |l: &str| one(l).unwrap_or_else(|| l.into());
    text.split_inclusive('\n').map(line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_checked_and_canonicalised() {
        let stream = |t, partial, line| Stream::parse(t, partial, line).unwrap();
        let streams = vec![stream("m {1..2}", false, 1), stream("s {a,b,c}", true, 2)];
        let spec = OutputSpec::new("streams", streams).unwrap();
        // Interleaved; in order; a partial stream cut mid-line; then a
        // fragment that starts no next line, a complete stream cut, out of
        // order, incomplete, a partial stream not from its start, a line of
        // no stream.
        for (run, canonical) in [
            ("s a\nm 1\ns b\nm 2\n", Some("m 1\nm 2\n")),
            ("m 1\nm 2\n", Some("m 1\nm 2\n")),
            ("m 1\ns a\nm 2\ns ", Some("m 1\nm 2\n")),
            ("m 1\ns a\nm 2\ns x", None),
            ("s a\nm 1\nm", None),
            ("m 2\nm 1\n", None),
            ("m 1\n", None),
            ("m 1\nm 2\ns b\n", None),
            ("m 1\nm 2\nhello\n", None),
        ] {
            assert_eq!(spec.canonical(run).ok().as_deref(), canonical, "{run}");
        }
        let overlap = vec![stream("a {1..2}", false, 1), stream("a {2..3}", false, 2)];
        assert!(OutputSpec::new("streams", overlap).is_err());
    }

    #[test]
    fn templates_expand_and_thread_ids_are_normalised() {
        assert_eq!(expand("x {1..3}!").unwrap(), ["x 1!", "x 2!", "x 3!"]);
        assert_eq!(expand("plain").unwrap(), ["plain"]);
        assert!(expand("{1..3} {a,b}").is_err());
        assert!(expand("{3..1}").is_err());
        let text =
            "thread '<unnamed>' (3511) panicked at ui/x.rs:3:5:\nboom\nthread 'x' (y) stays\n";
        let want = "thread '<unnamed>' (ID) panicked at ui/x.rs:3:5:\nboom\nthread 'x' (y) stays\n";
        assert_eq!(normalize(text), want);
    }
}
