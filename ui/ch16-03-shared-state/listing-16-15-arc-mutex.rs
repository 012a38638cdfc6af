//! listing: listing-16-15
//! caption: Sharing the `Mutex<T>` through an `Arc<T>`
//! teaches: `Arc<T>` may cross threads only when `T: Send + Sync`, which `Mutex<T>` is whenever `T: Send`.
//! section: 16.3 Atomic Reference Counting with Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#atomic-reference-counting-with-arct
//! expect: run
//! output: exact
//!
//! `Arc` has `Rc`'s API with an atomic count. Its clones share `&T` across threads, and the
//! last one to go drops `T` on whichever thread that is, so `Arc<T>` is `Send` (and `Sync`)
//! exactly when `T` is both `Send` and `Sync`. `Mutex<T>` is both whenever `T` is `Send`,
//! so `Arc<Mutex<i32>>` qualifies. Each thread gets its own clone of the `Arc`, locks the
//! shared mutex and adds one. The threads finish in any order, but all are joined before the
//! read, so the result is always 10.

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
