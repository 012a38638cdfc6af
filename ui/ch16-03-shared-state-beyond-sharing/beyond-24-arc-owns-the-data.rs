//! listing: beyond-24-arc-owns-the-data
//! caption: The `Arc` owns the vector, and each thread holds a clone of the `Arc`
//! teaches: Moving the value into `Arc::new` lets every clone keep it alive, on whichever thread drops last.
//! section: 16.3 Atomic Reference Counting with Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#atomic-reference-counting-with-arct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The fix of beyond-23: `Arc::new(v)` moves the vector into the `Arc`, which frees it
//! when its last clone is dropped, wherever that happens. Nothing borrows from `main`
//! any more, so a clone can move into a `'static` thread. `Arc::strong_count` shows the
//! two owners while the thread runs; after `join` only `main`'s is left.

use std::sync::Arc;
use std::thread;

fn main() {
    let v = vec![1, 2, 3];
    let shared = Arc::new(v);

    let handle = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            println!("the thread sees {shared:?}, {} owners", Arc::strong_count(&shared));
        })
    };
    handle.join().unwrap();
    println!("main sees {shared:?}, {} owner", Arc::strong_count(&shared));
}
