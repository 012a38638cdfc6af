//! The chapter as data: the only place naming a section's directory, so
//! adding a section is a row here and its directory.

/// A section of the chapter, or the directory of our own fixtures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// Its number (`16.1`), or `beyond` for our own fixtures.
    pub key: &'static str,
    /// Its heading, number first: the title of its page.
    pub title: &'static str,
    /// The directory of its fixtures under `ui/`, if it has any.
    pub dir: Option<&'static str>,
    /// The book's page (`ch16-01-threads`); for ours, a new one's default.
    pub page: &'static str,
    /// A section of the book, rather than our own fixtures.
    pub book: bool,
}

/// Where the book's pages are.
pub const BOOK: &str = "https://doc.rust-lang.org/book/";

/// The chapter, in reading order; our own fixtures last.
pub const CHAPTER: &[Section] = &[
    Section {
        key: "16.1",
        title: "16.1 Using Threads to Run Code Simultaneously",
        dir: Some("ch16-01-threads"),
        page: "ch16-01-threads",
        book: true,
    },
    Section {
        key: "16.2",
        title: "16.2 Transfer Data Between Threads with Message Passing",
        dir: Some("ch16-02-message-passing"),
        page: "ch16-02-message-passing",
        book: true,
    },
    Section {
        key: "16.3",
        title: "16.3 Shared-State Concurrency",
        dir: Some("ch16-03-shared-state"),
        page: "ch16-03-shared-state",
        book: true,
    },
    Section {
        key: "16.4",
        title: "16.4 Extensible Concurrency with the Send and Sync Traits",
        dir: None,
        page: "ch16-04-extensible-concurrency-sync-and-send",
        book: true,
    },
    Section {
        key: "beyond",
        title: "Beyond the book: the chapter's open questions, and 16.4 Send and Sync",
        dir: Some("ch16-beyond"),
        page: "ch16-03-shared-state",
        book: false,
    },
];

impl Section {
    /// The book page's address.
    pub fn url(&self) -> String {
        format!("{BOOK}{}.html", self.page)
    }
}

/// The section whose directory is `dir`.
pub fn of_dir(dir: &str) -> Option<&'static Section> {
    CHAPTER.iter().find(|s| s.dir == Some(dir))
}

/// The book section whose page `url` is on (with an anchor or not).
pub fn of_url(url: &str) -> Option<&'static Section> {
    let page = url.strip_prefix(BOOK)?;
    let on = |s: &&Section| page.starts_with(&format!("{}.html", s.page));
    CHAPTER.iter().filter(|s| s.book).find(on)
}

/// The section `cargo xtask new` names by its key or its directory.
pub fn named(name: &str) -> Option<&'static Section> {
    let named = |s: &&Section| s.key == name || s.dir == Some(name);
    CHAPTER.iter().filter(|s| s.dir.is_some()).find(named)
}

/// A directory of fixtures, for messages that need an example.
pub fn example_dir() -> &'static str {
    CHAPTER.iter().find_map(|s| s.dir).unwrap_or_default()
}
