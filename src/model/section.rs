//! The chapter's sections and the fixture directories under `ui/`: one
//! table, read by the readers' pages and by `cargo xtask new`.

/// A section of chapter 16 in the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// `16.1`.
    pub number: &'static str,
    /// The section's heading, number first.
    pub title: &'static str,
    /// The book page's file name without `.html` (`ch16-01-threads`).
    pub page: &'static str,
}

impl Section {
    /// The book page's address.
    pub fn url(&self) -> String {
        format!("https://doc.rust-lang.org/book/{}.html", self.page)
    }
}

/// The chapter's sections, in reading order.
pub const SECTIONS: &[Section] = &[
    Section {
        number: "16.1",
        title: "16.1 Using Threads to Run Code Simultaneously",
        page: "ch16-01-threads",
    },
    Section {
        number: "16.2",
        title: "16.2 Transfer Data Between Threads with Message Passing",
        page: "ch16-02-message-passing",
    },
    Section {
        number: "16.3",
        title: "16.3 Shared-State Concurrency",
        page: "ch16-03-shared-state",
    },
    Section {
        number: "16.4",
        title: "16.4 Extensible Concurrency with the Send and Sync Traits",
        page: "ch16-04-extensible-concurrency-sync-and-send",
    },
];

/// A directory of fixtures under `ui/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// The directory's name (`ch16-01-threads`).
    pub dir: &'static str,
    /// What `cargo xtask new` calls it (`16.1`, `beyond`).
    pub key: &'static str,
    /// The heading of its page.
    pub title: &'static str,
    /// The book page a new fixture's `url` starts on.
    pub page: &'static str,
}

/// The fixture directories, in reading order: one per book section with
/// listings, then our own fixtures.
pub const GROUPS: &[Group] = &[
    Group {
        dir: "ch16-01-threads",
        key: "16.1",
        title: "16.1 Using Threads to Run Code Simultaneously",
        page: "ch16-01-threads",
    },
    Group {
        dir: "ch16-02-message-passing",
        key: "16.2",
        title: "16.2 Transfer Data Between Threads with Message Passing",
        page: "ch16-02-message-passing",
    },
    Group {
        dir: "ch16-03-shared-state",
        key: "16.3",
        title: "16.3 Shared-State Concurrency",
        page: "ch16-03-shared-state",
    },
    Group {
        dir: BEYOND,
        key: "beyond",
        title: "Beyond the book: the chapter's open questions, and 16.4 Send and Sync",
        page: "ch16-03-shared-state",
    },
];

/// The directory of fixtures that are not from the book.
pub const BEYOND: &str = "ch16-beyond";

/// The group in directory `dir`.
pub fn group(dir: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.dir == dir)
}

/// The book section whose page `url` is on.
pub fn of_url(url: &str) -> Option<&'static Section> {
    SECTIONS
        .iter()
        .find(|s| url.starts_with(&format!("https://doc.rust-lang.org/book/{}.html", s.page)))
}
