//! listing: listing-16-02
//! caption: Keeping the `JoinHandle` and joining it at the end of `main`
//! teaches: `join` on a thread's `JoinHandle` blocks until that thread has finished, so none of its work is cut off.
//! section: 16.1 Waiting for All Threads to Finish
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#waiting-for-all-threads-to-finish
//! expect: run
//! output: streams
//! stream: hi number {1..4} from the main thread!
//! stream: hi number {1..9} from the spawned thread!
//!
//! `spawn` hands back a `JoinHandle`; `join` blocks the caller until that thread is done.
//! Joining after main's loop lets both threads run side by side and still guarantees all
//! nine spawned lines appear. The interleaving still varies run to run, so each thread's
//! lines are checked complete and in their own order, not against one fixed transcript.

use std::thread;
use std::time::Duration;

fn main() {
    let handle = thread::spawn(|| {
        for i in 1..10 {
            println!("hi number {i} from the spawned thread!");
            thread::sleep(Duration::from_millis(1));
        }
    });

    for i in 1..5 {
        println!("hi number {i} from the main thread!");
        thread::sleep(Duration::from_millis(1));
    }

    handle.join().unwrap();
}
