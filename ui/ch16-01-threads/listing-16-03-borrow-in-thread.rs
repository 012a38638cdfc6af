//! listing: listing-16-03
//! caption: A thread's closure tries to borrow a vector owned by `main`
//! teaches: A closure given to `thread::spawn` must be `'static`, so it cannot borrow a local of the function that spawns it.
//! section: 16.1 Using move Closures with Threads
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! expect: compile-fail E0373
//! fixed-by: listing-16-05
//! compiler-suggestion-gives: listing-16-05
//!
//! The closure only reads `v`, so Rust captures it by reference. But `spawn` requires a
//! `'static` closure: the new thread may outlive `main`'s stack frame, and the borrow
//! could dangle. E0373 puts it as "closure may outlive the current function, but it
//! borrows `v`, which is owned by the current function", and suggests `move`, which
//! hands ownership of `v` to the thread. Applied, that suggestion gives listing 16-05's
//! code exactly.

use std::thread;

fn main() {
    let v = vec![1, 2, 3];

    let handle = thread::spawn(|| { //~ ERROR E0373
        println!("Here's a vector: {v:?}");
    });

    handle.join().unwrap();
}
