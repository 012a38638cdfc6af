//! What the readers' pages must show of a fixture, found independently of
//! the generator (`src/catalogue/`), for the tests that read the pages
//! (as Markdown, and as the browser made them); and the verdict they give.

use ch16_ui::model::fixture::Listing;

/// The fixture's code as a reader types it: the file after its `//!`
/// lines and the blank line below them.
pub fn fixture_code(l: &Listing) -> String {
    let lines: Vec<&str> = l.source.lines().collect();
    let start = lines
        .iter()
        .position(|l| !l.starts_with("//!"))
        .unwrap_or(0)
        + 1;
    lines[start..].iter().map(|l| format!("{l}\n")).collect()
}

/// The entry of fixture `id` in `page`: from its anchor to the next entry's.
pub fn entry_of<'p>(page: &'p str, id: &str) -> Option<&'p str> {
    let at = page.find(&format!("<a id=\"{id}\"></a>"))?;
    let rest = &page[at..];
    let end = rest[1..].find("<a id=\"").map_or(rest.len(), |i| i + 1);
    Some(&rest[..end])
}

/// The text a browser shows for some HTML: tags dropped, entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// `s` with HTML's usual entities decoded; `&amp;` goes last, so that an
/// escaped entity such as `&amp;lt;` stays the text `&lt;`.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A test's verdict from the problems it found: each an `error:` line, then
/// the `fix` that mends them all (`None`: the errors say it).
pub fn verdict(problems: &[String], fix: Option<&str>) -> Result<(), String> {
    if problems.is_empty() {
        return Ok(());
    }
    let fix = fix.map_or(String::new(), |fix| format!("\n  fix: {fix}"));
    Err(format!("error: {}{fix}", problems.join("\nerror: ")))
}
