//! listing: listing-16-05
//! caption: A `move` closure takes ownership of the vector
//! teaches: A `move` closure takes ownership of what it uses, so the values go with the new thread and live as long as it needs.
//! section: 16.1 Using move Closures with Threads
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! expect: run
//! output: exact
//!
//! `move` makes the closure own everything it uses, so `v` travels into the new thread
//! and lives exactly as long as that thread needs it. This is the fix for 16-03: the
//! spawned thread prints the vector, and `join` makes `main` wait until it has.

use std::thread;

fn main() {
    let v = vec![1, 2, 3];

    let handle = thread::spawn(move || {
        println!("Here's a vector: {v:?}");
    });

    handle.join().unwrap();
}
