//! listing: beyond-31-moved-not-shared
//! caption: The `Send`-but-not-`Sync` type moves into the thread instead of being borrowed
//! teaches: A type that is `Send` but not `Sync` can be given to another thread, as long as no two threads share it.
//! section: 16.4 Accessing from Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#accessing-from-multiple-threads
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The fix of beyond-30: a `move` closure takes `t` itself, and that needs only
//! `Tally: Send`, which it is. One thread at a time uses it: first `main`, then the
//! spawned thread, never both. The thread gives the total back through its handle.

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

    let total = thread::scope(|s| s.spawn(move || t.total()).join().unwrap());
    println!("the thread that owns the tally counted {total}");
}
