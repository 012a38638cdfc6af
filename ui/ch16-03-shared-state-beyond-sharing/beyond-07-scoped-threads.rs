//! listing: beyond-07-scoped-threads
//! caption: Scoped threads share a `&Mutex` without `Arc`
//! teaches: Scoped threads may borrow from the function that starts them, so a `&Mutex` is shared without an `Arc`.
//! section: 16.3 Multiple Ownership with Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#multiple-ownership-with-multiple-threads
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `Arc` exists because a spawned thread may outlive the data it uses.
//! `thread::scope` (Rust 1.63+) joins every thread before it returns, so the threads may
//! borrow `counter` from the stack: a plain `&Mutex<i32>` is enough, since `Mutex` is
//! `Sync`. The count is 10 once the scope ends.

use std::sync::Mutex;
use std::thread;

fn main() {
    let counter = Mutex::new(0);

    thread::scope(|s| {
        for _ in 0..10 {
            s.spawn(|| {
                let mut num = counter.lock().unwrap();
                *num += 1;
            });
        }
    });

    println!("Result: {}", *counter.lock().unwrap());
}
