//! listing: beyond-05-atomic-counter
//! caption: Listing 16-15's counter with `AtomicUsize` and no `Mutex`
//! teaches: A counter shared by threads can be an atomic integer in an `Arc`, with no mutex and no guard.
//! section: 16.3 Atomic Reference Counting with Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#atomic-reference-counting-with-arct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The chapter suggests atomics for simple counters; this is 16-15 with an `AtomicUsize`
//! in the `Arc` instead of a `Mutex<i32>`. `fetch_add` is one indivisible
//! read-modify-write, so no lock and no guard are needed. `Ordering::Relaxed` suffices:
//! only the count matters (no other data is published through it), and `join` makes
//! every increment visible to `main`, so the count is always 10.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn main() {
    let counter = Arc::new(AtomicUsize::new(0));
    let mut handles = vec![];

    for _ in 0..10 {
        let counter = Arc::clone(&counter);
        let handle = thread::spawn(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    println!("Result: {}", counter.load(Ordering::Relaxed));
}
