//! listing: output-only-01-move-drop
//! caption: Adding `move` to 16-04: the vector is used after it moved
//! teaches: Once a value has moved into a thread's closure, the spawning function can no longer use it.
//! section: 16.1 Using move Closures with Threads
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! follows: listing-16-05
//! expect: compile-fail E0382
//! fixed-by: listing-16-05
//!
//! `move` is not a way around the rules. With it, `v` belongs to the closure, and the
//! later `drop(v)` in main uses a value that has already moved: E0382. The compiler
//! suggests cloning before the move; the book's fix is 16-05, where main simply stops
//! using `v` once the thread owns it.

use std::thread;

fn main() {
    let v = vec![1, 2, 3];

    let handle = thread::spawn(move || {
        println!("Here's a vector: {v:?}");
    });

    drop(v); // oh no! //~ ERROR E0382

    handle.join().unwrap();
}
