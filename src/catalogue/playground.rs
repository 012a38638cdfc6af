//! Links that open a fixture's code in the Rust Playground.

/// The Playground's address for `code`: stable, debug, edition 2024.
pub fn link(code: &str) -> String {
    format!(
        "https://play.rust-lang.org/?version=stable&mode=debug&edition=2024&code={}",
        encode(code)
    )
}

/// Percent-encoding of everything but RFC 3986's unreserved characters, so
/// the link survives Markdown, HTML and every browser unchanged.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The code a Playground link opens, or `None` when `url` is not one or is
/// not well encoded.
pub fn code_of(url: &str) -> Option<String> {
    let query = url.strip_prefix("https://play.rust-lang.org/?")?;
    let value = query.split('&').find_map(|p| p.strip_prefix("code="))?;
    let mut bytes = Vec::new();
    let mut it = value.bytes();
    while let Some(b) = it.next() {
        match b {
            b'%' => {
                let hex = [it.next()?, it.next()?];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            b'+' => bytes.push(b' '),
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_decodes_to_its_code() {
        let code = "use std::rc::Rc; // 100% é\nfn main() { let s = \"a&b=c#d+e\"; }\n";
        let url = link(code);
        assert!(!url[url.find("code=").unwrap()..].contains(['&', '#', ' ', '\n', '+']));
        assert_eq!(code_of(&url).as_deref(), Some(code));
        assert_eq!(code_of("https://example.com/?code=x"), None);
    }
}
