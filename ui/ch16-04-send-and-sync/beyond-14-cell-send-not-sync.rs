//! listing: beyond-14-cell-send-not-sync
//! caption: `Cell` can move to another thread but not be shared by two
//! teaches: `Cell<T>` is `Send` when `T` is, but never `Sync`: one thread may own it, two may not share it.
//! section: 16.4 Accessing from Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#accessing-from-multiple-threads
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: beyond-05-atomic-counter
//!
//! `Send` and `Sync` are different promises. Moving a `Cell` into one
//! thread is fine (`Cell<i32>` is `Send`): only that thread can touch it. Sharing one
//! `&Cell` between threads is not: its unsynchronised `set` would race, so `Cell` is not
//! `Sync` and the second half is E0277. An atomic (05) is the shareable version.

use std::cell::Cell;
use std::thread;

fn main() {
    // Send: the cell moves into the thread, and only that thread uses it.
    let owned = Cell::new(1);
    let handle = thread::spawn(move || {
        owned.set(owned.get() + 1);
        owned.get()
    });
    println!("moved: {}", handle.join().unwrap());

    // Not Sync: two threads would share one cell.
    let shared = Cell::new(1);
    thread::scope(|s| {
        s.spawn(|| shared.set(shared.get() + 1)); //~ ERROR E0277
        s.spawn(|| shared.set(shared.get() + 1));
    });
}
