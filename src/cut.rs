//! Long text cut to what a person reads, saying how much was cut: every
//! diff, program output and log excerpt a message shows goes through
//! [`text`] (a program may print megabytes, and a line may be one of them).

/// Lines of a long text a message shows, and characters of one line.
pub const LINES: usize = 60;
/// The characters of one line a message shows.
pub const WIDTH: usize = 300;

/// Which lines of a long text to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The first n (a diff, a log's first errors).
    Head(usize),
    /// The last n (what a program printed last).
    Tail(usize),
}

/// `line` (without its line end) cut to its first `width` characters, then
/// `[… N characters cut …]`.
pub fn line(line: &str, width: usize) -> String {
    match line.char_indices().nth(width) {
        Some((at, _)) => {
            let cut = line[at..].chars().count();
            format!("{}[… {cut} characters cut …]", &line[..at])
        }
        None => line.to_string(),
    }
}

/// `text` cut to the lines `keep` says, each cut to `width` characters
/// ([`line()`]), with a line `[… N lines cut …]` where lines were left out;
/// every line ends in `\n`.
pub fn text(text: &str, keep: Keep, width: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let (shown, cut) = match keep {
        Keep::Head(n) => (&lines[..lines.len().min(n)], lines.len().saturating_sub(n)),
        Keep::Tail(n) => (
            &lines[lines.len().saturating_sub(n)..],
            lines.len().saturating_sub(n),
        ),
    };
    let marker = format!("[… {cut} lines cut …]\n");
    let mut out = String::new();
    if cut > 0 && matches!(keep, Keep::Tail(_)) {
        out += &marker;
    }
    for l in shown {
        out += &line(l, width);
        out.push('\n');
    }
    if cut > 0 && matches!(keep, Keep::Head(_)) {
        out += &marker;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_characters_are_cut_saying_how_many() {
        let many: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let head = text(&many, Keep::Head(2), 80);
        assert_eq!(head, "line 0\nline 1\n[… 98 lines cut …]\n");
        let tail = text(&many, Keep::Tail(2), 80);
        assert_eq!(tail, "[… 98 lines cut …]\nline 98\nline 99\n");
        assert_eq!(
            text("é\nab", Keep::Head(5), 1),
            "é\na[… 1 characters cut …]\n"
        );
        assert_eq!(line(&"ü".repeat(10), 4), "üüüü[… 6 characters cut …]");
        assert_eq!(text("", Keep::Tail(3), 1), "");
    }
}
