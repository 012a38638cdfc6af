//! listing: beyond-18-join-value
//! caption: A thread's result comes back through its `JoinHandle`
//! teaches: `join` returns what the thread's closure returned, so a thread can hand back its result without a channel.
//! section: 16.1 Waiting for All Threads to Finish
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#waiting-for-all-threads-to-finish
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `spawn` returns a `JoinHandle<T>`, where `T` is what the closure returns, and `join`
//! hands it back as `Ok(T)` (or `Err` if the thread panicked). So a thread can compute a
//! value and give it to whoever joins it, without a channel or a lock; here two threads
//! each sum half of a vector.

use std::thread;

fn main() {
    let numbers: Vec<u64> = (1..=100).collect();
    let (low, high) = numbers.split_at(50);
    let (low, high) = (low.to_vec(), high.to_vec());

    let first: thread::JoinHandle<u64> = thread::spawn(move || low.iter().sum());
    let second = thread::spawn(move || high.iter().sum::<u64>());

    let (a, b) = (first.join().unwrap(), second.join().unwrap());
    println!("first half: {a}, second half: {b}, total: {}", a + b);
}
