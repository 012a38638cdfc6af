//! listing: beyond-27-move-copies
//! caption: A `move` closure gets its own copy of an `i32`, and `main` keeps the original
//! teaches: `move` copies a `Copy` value into the closure, so the thread changes its copy and `main` keeps its own.
//! section: 16.1 Using move Closures with Threads
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `move` moves what the closure captures, and moving a `Copy` value is copying it. The
//! thread gets its own `count` and adds one to it; `main`'s `count` is untouched and still
//! usable, so using it afterwards is not the E0382 of a moved `Vec` (output-only-01).
//! The two never share anything, so neither sees the other's change: to share one
//! counter, threads need a `Mutex` (16-15) or an atomic (beyond-05).

use std::thread;

fn main() {
    let mut count = 5;

    let handle = thread::spawn(move || {
        count += 1;
        println!("the thread's copy: {count}");
    });
    handle.join().unwrap();

    count += 10;
    println!("main's own: {count}");
}
