//! listing: beyond-30-send-not-sync-type
//! caption: A type of our own that is `Send` but not `Sync`, borrowed by a scoped thread
//! teaches: `T: Sync` means exactly `&T: Send`, so a value whose type is not `Sync` cannot be shared with another thread by `&`.
//! section: 16.4 Accessing from Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#accessing-from-multiple-threads
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: beyond-31-moved-not-shared
//!
//! `Tally` is `Send` and not `Sync`, because its `PhantomData<Cell<()>>` marker is (Rust
//! has no stable way to write `impl !Sync`). The scoped thread calls `t.total()`, so its
//! closure captures `&t`, and sending it to the thread needs `&Tally: Send`, which is
//! `Tally: Sync` by definition: E0277, with the note "required for `&Tally` to implement
//! `Send`". Closures capture fields, not whole values (since edition 2021), so `|| t.n`
//! would capture only `&t.n`, a `&u32`, and compile. An exclusive `&mut t` could go too,
//! since `&mut T` is `Send` when `T` is; beyond-31 moves `t` instead.

use std::cell::Cell;
use std::marker::PhantomData;
use std::thread;

struct Tally {
    n: u32,
    // `Cell<()>` is `Send` but not `Sync`, and so, through this field, is `Tally`.
    _not_sync: PhantomData<Cell<()>>,
}

impl Tally {
    fn total(&self) -> u32 {
        self.n
    }
}

fn main() {
    let t = Tally { n: 3, _not_sync: PhantomData };

    thread::scope(|s| {
        s.spawn(|| t.total()); //~ ERROR E0277
    });
}
