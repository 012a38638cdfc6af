//! listing: no-listing-01-join-too-early
//! caption: Calling `join` before the main thread's loop
//! teaches: Joining a thread before doing other work makes the two run one after the other instead of at once.
//! section: 16.1 Waiting for All Threads to Finish
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#waiting-for-all-threads-to-finish
//! follows: listing-16-02
//! expect: run
//! output: exact
//!
//! Where `join` sits decides how much runs in parallel. Here main blocks on the handle
//! before its own loop, so the spawned thread prints all nine lines first and main's four
//! follow. Nothing overlaps any more, which is why, unlike 16-01 and 16-02, this output
//! is the same on every run.

use std::thread;
use std::time::Duration;

fn main() {
    let handle = thread::spawn(|| {
        for i in 1..10 {
            println!("hi number {i} from the spawned thread!");
            thread::sleep(Duration::from_millis(1));
        }
    });

    handle.join().unwrap();

    for i in 1..5 {
        println!("hi number {i} from the main thread!");
        thread::sleep(Duration::from_millis(1));
    }
}
