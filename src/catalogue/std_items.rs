//! What a compiler message's `$RUST/…` location points to in the standard
//! library: one row per note that leads there, so that the page can say it
//! (the bound a `required by a bound in` note means, say) under the message.
//! `tests/catalogue.rs` checks that every such note of every expectation
//! file has a row, and each row against the installed std documentation.

/// A note of a compiler message that points into the standard library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StdItem {
    /// The note's text after `note: `, up to where it names the fixture's
    /// own types (`required by a bound in `spawn``).
    pub note: &'static str,
    /// The file the note's `-->` names, after `$RUST/`.
    pub file: &'static str,
    /// What the page says it points to, after "`$RUST` is the standard
    /// library's source: " (Markdown).
    pub says: &'static str,
    /// The documentation page, under [`RUST_DOCS`](crate::names::RUST_DOCS).
    pub doc: &'static str,
    /// Texts that page shows (tags removed, entities decoded): the bound or
    /// the signature `says` quotes.
    pub doc_shows: &'static [&'static str],
}

/// Every note the expectation files have that points into `$RUST/`.
pub const STD_ITEMS: &[StdItem] = &[
    StdItem {
        note: "required by a bound in `spawn`",
        file: "std/src/thread/functions.rs",
        says: "the bound is `F: FnOnce() -> T + Send + 'static` (and `T: Send + 'static`) \
               on `std::thread::spawn`: the closure, and all it captures, must be `Send`",
        doc: "std/thread/fn.spawn.html",
        doc_shows: &["F: FnOnce() -> T + Send + 'static", "T: Send + 'static"],
    },
    StdItem {
        note: "requirement that the value outlives `'static` introduced here",
        file: "std/src/thread/functions.rs",
        says: "the bound is `F: FnOnce() -> T + Send + 'static` on `std::thread::spawn`: \
               the closure may borrow nothing that lives shorter than the program",
        doc: "std/thread/fn.spawn.html",
        doc_shows: &["F: FnOnce() -> T + Send + 'static"],
    },
    StdItem {
        note: "required by a bound in `Scope::<'scope, 'env>::spawn`",
        file: "std/src/thread/scoped.rs",
        says: "the bound is `F: FnOnce() -> T + Send + 'scope` (and `T: Send + 'scope`) on \
               `std::thread::Scope::spawn`: the closure, and all it captures, must be `Send`",
        doc: "std/thread/struct.Scope.html",
        doc_shows: &["F: FnOnce() -> T + Send + 'scope", "T: Send + 'scope"],
    },
    StdItem {
        note: "method defined here",
        file: "std/src/sync/mpsc.rs",
        says: "the definition of `Sender::send`, \
               `pub fn send(&self, t: T) -> Result<(), SendError<T>>`: \
               every value sent has the channel's one type `T`",
        doc: "std/sync/mpsc/struct.Sender.html",
        doc_shows: &["pub fn send(&self, t: T) -> Result<(), SendError<T>>"],
    },
    StdItem {
        note: "`std::sync::Mutex<",
        file: "std/src/sync/poison/mutex.rs",
        says: "the definition of `std::sync::Mutex`, `pub struct Mutex<T: ?Sized>`, \
               which implements no arithmetic: the value is reached through `lock`",
        doc: "std/sync/struct.Mutex.html",
        doc_shows: &["pub struct Mutex<T: ?Sized>"],
    },
    StdItem {
        note: "the method `push` exists on the type `Vec<",
        file: "alloc/src/vec/mod.rs",
        says: "the definition of `Vec::push`, `pub fn push(&mut self, value: T)`",
        doc: "std/vec/struct.Vec.html",
        doc_shows: &["pub fn push(&mut self, value: T)"],
    },
    StdItem {
        note: "required because it appears within the type `PhantomData<",
        file: "core/src/marker.rs",
        says: "the definition of `std::marker::PhantomData`, `pub struct PhantomData<T>`, \
               which is `Send` or `Sync` exactly when `T` is",
        doc: "std/marker/struct.PhantomData.html",
        doc_shows: &[
            "pub struct PhantomData<T>",
            "impl<T> Sync for PhantomData<T>",
        ],
    },
];

/// A `$RUST/…` location in a message: the note above it, and its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Points {
    /// The note's text after `note: `.
    pub note: String,
    /// The file after `$RUST/`.
    pub file: String,
}

/// Every `--> $RUST/…` location of `text` with the note line above it.
pub fn points(text: &str) -> Vec<Points> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(file) = line.trim_start().strip_prefix("--> $RUST/") else {
            continue;
        };
        let note = i.checked_sub(1).map_or("", |j| lines[j]);
        let note = note.strip_prefix("note: ").unwrap_or(note);
        let file = file.split(':').next().unwrap_or(file);
        out.push(Points {
            note: note.to_string(),
            file: file.to_string(),
        });
    }
    out
}

/// The row for `p`, if the table has one.
pub fn item(p: &Points) -> Option<&'static StdItem> {
    STD_ITEMS
        .iter()
        .find(|r| p.file == r.file && p.note.starts_with(r.note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_pointing_into_std_finds_its_row() {
        let text =
            "note: required by a bound in `spawn`\n  --> $RUST/std/src/thread/functions.rs\n";
        let p = points(text);
        assert_eq!(p.len(), 1);
        assert!(item(&p[0]).is_some_and(|r| r.says.contains("std::thread::spawn")));
        let other = "note: required by a bound in `spawn`\n  --> $RUST/std/src/other.rs\n";
        assert_eq!(item(&points(other)[0]), None);
    }
}
