//! listing: listing-16-04
//! caption: `main` drops the vector the thread's closure borrowed
//! teaches: A thread may not borrow a value that the spawning function could drop while the thread still uses it.
//! section: 16.1 Using move Closures with Threads
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#using-move-closures-with-threads
//! expect: compile-fail E0373 E0505
//! fixed-by: listing-16-05
//! compiler-suggestion-gives: output-only-01-move-drop
//!
//! Why the borrow in 16-03 is refused: here main frees `v` while the thread may still be
//! about to read it. The compiler reports the same E0373 on the closure, and E0505 on
//! `drop(v)`, a move out of `v` while the closure still borrows it. The compiler's own
//! suggestion, `move`, gives output-only-01-move-drop, which still fails (E0382): `v` must
//! also stay untouched afterwards, as in 16-05.

use std::thread;

fn main() {
    let v = vec![1, 2, 3];

    let handle = thread::spawn(|| { //~ ERROR E0373
        println!("Here's a vector: {v:?}");
    });

    drop(v); // oh no! //~ ERROR E0505

    handle.join().unwrap();
}
