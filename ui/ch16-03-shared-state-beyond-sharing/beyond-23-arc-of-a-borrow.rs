//! listing: beyond-23-arc-of-a-borrow
//! caption: An `Arc` holding a reference still cannot go to a spawned thread
//! teaches: An `Arc` of a borrow of a local still borrows it, so it cannot go to `thread::spawn`, which needs `'static`.
//! section: 16.3 Atomic Reference Counting with Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#atomic-reference-counting-with-arct
//! origin: beyond
//! expect: compile-fail E0597
//! fixed-by: beyond-24-arc-owns-the-data
//!
//! Wrapping a value in `Arc` does not make it live longer: `Arc::new(&v)` counts
//! references to a borrow of `v`, and the borrow is still tied to `main`'s frame. A clone
//! moved into `thread::spawn` needs that borrow to be `'static`, so E0597 says `v` does
//! not live long enough. Let the `Arc` own the data, `Arc::new(v)` (beyond-24), or borrow
//! from a `thread::scope` (beyond-07), whose threads end before `v` does.

use std::sync::Arc;
use std::thread;

fn main() {
    let v = vec![1, 2, 3];
    let shared = Arc::new(&v); //~ ERROR E0597

    let handle = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || println!("{shared:?}"))
    };
    handle.join().unwrap();
}
