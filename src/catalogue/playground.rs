//! Links that open a fixture's code in the Rust Playground.

/// The Playground's address for `code`: stable, debug, edition 2024; all but
/// RFC 3986's unreserved characters percent-encoded, to survive any markup.
pub fn link(code: &str) -> String {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
    let byte = |b| match unreserved(b) {
        true => char::from(b).to_string(),
        false => format!("%{b:02X}"),
    };
    let code: String = code.bytes().map(byte).collect();
    format!("https://play.rust-lang.org/?version=stable&mode=debug&edition=2024&code={code}")
}

/// The code a Playground link opens, or `None` when `url` is not one or is
/// not well encoded.
pub fn code_of(url: &str) -> Option<String> {
    let query = url.strip_prefix("https://play.rust-lang.org/?")?;
    let value = query.split('&').find_map(|p| p.strip_prefix("code="))?;
    let value = value.replace('+', " ");
    let mut pieces = value.split('%');
    let mut bytes = pieces.next()?.as_bytes().to_vec();
    for piece in pieces {
        let (hex, rest) = piece.split_at_checked(2)?;
        bytes.push(u8::from_str_radix(hex, 16).ok()?);
        bytes.extend(rest.bytes());
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
