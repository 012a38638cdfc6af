//! listing: listing-16-15
//! caption: Sharing the Mutex through Arc
//! teaches: `Arc<Mutex<T>>` shares one mutex among threads: `Mutex<T>` is `Sync` when `T: Send`, so the `Arc` is `Send`.
//! section: 16.3 Atomic Reference Counting with Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#atomic-reference-counting-with-arct
//! expect: run
//! output: exact
//!
//! `Arc` has `Rc`'s API with an atomic count, so it is `Send` and `Sync` when its
//! contents are. Each thread gets its own clone of the `Arc`, locks the shared mutex and
//! adds one. The threads finish in any order, but all are joined before the read, so
//! the result is always 10.

use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let mut handles = vec![];

    for _ in 0..10 {
        let counter = Arc::clone(&counter);
        let handle = thread::spawn(move || {
            let mut num = counter.lock().unwrap();

            *num += 1;
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    println!("Result: {}", *counter.lock().unwrap());
}
