//! listing: listing-16-01
//! caption: A spawned thread prints while the main thread prints
//! teaches: A spawned thread runs alongside `main`, and the process ends when `main` returns, whether the thread is done or not.
//! section: 16.1 Creating a New Thread with spawn
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#creating-a-new-thread-with-spawn
//! expect: run
//! improved-by: listing-16-02
//! output: streams
//! stream: hi number {1..4} from the main thread!
//! stream-partial: hi number {1..9} from the spawned thread!
//!
//! `thread::spawn` starts the closure on a new OS thread and returns at once.
//! Nothing here waits for that thread: when `main` returns the whole process exits,
//! so the spawned loop is usually cut off part-way. The scheduler decides the interleaving,
//! so the suite checks only what is certain: main's four lines in order, and some prefix
//! of the spawned thread's nine. Listing 16-02 keeps the handle and waits.

use std::thread;
use std::time::Duration;

fn main() {
    thread::spawn(|| {
        for i in 1..10 {
            println!("hi number {i} from the spawned thread!");
            thread::sleep(Duration::from_millis(1));
        }
    });

    for i in 1..5 {
        println!("hi number {i} from the main thread!");
        thread::sleep(Duration::from_millis(1));
    }
}
