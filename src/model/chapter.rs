//! The chapter as data: the only place naming a page's directory, so adding
//! a page is a row here and its directory.

/// A page of the readers' edition: a directory of fixtures under `ui/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// The name `cargo xtask new` takes (`16.1`, `16.1-beyond`, `16.3-guards`).
    pub key: &'static str,
    /// Its heading, the book section's number first: the title of its page.
    pub title: &'static str,
    /// Its directory under `ui/`.
    pub dir: &'static str,
    /// The book's page (`ch16-01-threads`) its fixtures belong to: each
    /// fixture's `url` is on it.
    pub page: &'static str,
    /// What its fixtures are: the book's listings, or our own.
    pub holds: Holds,
}

/// What a page's fixtures are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// The book's listings (`listing-16-NN`, `no-listing-NN`, `output-only-NN`).
    Listings,
    /// Our own examples (`beyond-NN`), the "extras" of the book page.
    Extras,
}

/// Where the book's pages are.
pub const BOOK: &str = "https://doc.rust-lang.org/book/";

/// The hand-written opening of a section page (the first row of its book
/// page), in its directory: the table declares an opening by a row's place.
pub const OPENING: &str = "opening.md";

const P1: &str = "ch16-01-threads";
const P2: &str = "ch16-02-message-passing";
const P3: &str = "ch16-03-shared-state";
const P4: &str = "ch16-04-extensible-concurrency-sync-and-send";

/// A row of the table.
const fn row(
    key: &'static str,
    title: &'static str,
    dir: &'static str,
    page: &'static str,
    holds: Holds,
) -> Section {
    Section {
        key,
        title,
        dir,
        page,
        holds,
    }
}

/// The pages, in reading order: each book page's section first, then its
/// extras.
pub const CHAPTER: &[Section] = &[
    row(
        "16.1",
        "16.1 Using Threads to Run Code Simultaneously",
        "ch16-01-threads",
        P1,
        Holds::Listings,
    ),
    row(
        "16.1-beyond",
        "16.1, beyond the book: `move` and `join`",
        "ch16-01-threads-beyond",
        P1,
        Holds::Extras,
    ),
    row(
        "16.2",
        "16.2 Transfer Data Between Threads with Message Passing",
        "ch16-02-message-passing",
        P2,
        Holds::Listings,
    ),
    row(
        "16.2-beyond",
        "16.2, beyond the book: channels",
        "ch16-02-message-passing-beyond",
        P2,
        Holds::Extras,
    ),
    row(
        "16.3",
        "16.3 Shared-State Concurrency",
        "ch16-03-shared-state",
        P3,
        Holds::Listings,
    ),
    row(
        "16.3-guards",
        "16.3, beyond the book: the lock and its guard",
        "ch16-03-shared-state-beyond-guards",
        P3,
        Holds::Extras,
    ),
    row(
        "16.3-sharing",
        "16.3, beyond the book: other ways to share",
        "ch16-03-shared-state-beyond-sharing",
        P3,
        Holds::Extras,
    ),
    row(
        "16.3-deadlocks",
        "16.3, beyond the book: deadlocks and read-write locks",
        "ch16-03-shared-state-beyond-deadlocks",
        P3,
        Holds::Extras,
    ),
    row(
        "16.4",
        "16.4 Extensible Concurrency with `Send` and `Sync`",
        "ch16-04-send-and-sync",
        P4,
        Holds::Extras,
    ),
];

impl Section {
    /// The book page's address.
    pub fn url(&self) -> String {
        format!("{BOOK}{}.html", self.page)
    }

    /// The first page of its book page (`16.1` for `16.1-beyond`): the
    /// section page, which opens with the section's concepts.
    pub fn section(&self) -> &'static Section {
        self.rows()
            .next()
            .expect("a row's book page has a first row")
    }

    /// Whether it is the section page of its book page, the one page of it
    /// that opens with its [`OPENING`].
    pub fn is_section(&self) -> bool {
        self.section() == self
    }

    /// The rows of its book page, itself among them, in reading order.
    pub fn rows(&self) -> impl Iterator<Item = &'static Section> + use<> {
        let page = self.page;
        CHAPTER.iter().filter(move |s| s.page == page)
    }

    /// The pages of our own fixtures on its book page, other than itself.
    pub fn extras(&self) -> impl Iterator<Item = &'static Section> + '_ {
        let ours = move |s: &&Section| s.holds == Holds::Extras && *s != self;
        self.rows().filter(ours)
    }
}

/// The page whose directory is `dir`.
pub fn of_dir(dir: &str) -> Option<&'static Section> {
    CHAPTER.iter().find(|s| s.dir == dir)
}

/// Whether the fixtures in directory `dir` are our own examples, not the
/// book's listings: its row holds extras, or it has none (the loader
/// refuses a book listing in a directory outside the table).
pub fn is_extras(dir: &str) -> bool {
    of_dir(dir).is_none_or(|s| s.holds == Holds::Extras)
}

/// The section page of the book page `url` is on (with an anchor or not).
pub fn of_url(url: &str) -> Option<&'static Section> {
    let page = url.strip_prefix(BOOK)?;
    let on = |s: &&Section| page.starts_with(&format!("{}.html", s.page));
    CHAPTER.iter().find(on)
}

/// The page `cargo xtask new` names by its key or its directory.
pub fn named(name: &str) -> Option<&'static Section> {
    CHAPTER.iter().find(|s| s.key == name || s.dir == name)
}

/// A directory of fixtures, for messages that need an example.
pub fn example_dir() -> &'static str {
    CHAPTER[0].dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_book_page_opens_with_its_section_page_and_keys_are_unique() {
        for (i, s) in CHAPTER.iter().enumerate() {
            let later = &CHAPTER[i + 1..];
            assert!(later.iter().all(|t| t.key != s.key && t.dir != s.dir));
            assert!(s.dir.starts_with(s.page.get(..7).unwrap_or_default()));
        }
        assert_eq!(
            of_url(&format!("{BOOK}{P3}.html#x")).map(|s| s.key),
            Some("16.3")
        );
        assert_eq!(named("16.3-guards").map(|s| s.section().key), Some("16.3"));
    }
}
