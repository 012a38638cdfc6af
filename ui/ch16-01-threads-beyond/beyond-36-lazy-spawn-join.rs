//! listing: beyond-36-lazy-spawn-join
//! caption: Spawning and joining in one iterator chain runs the threads one after another
//! teaches: Iterator adapters are lazy, so `.map(spawn).map(join)` joins each thread before spawning the next.
//! section: 16.1 Waiting for All Threads to Finish
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#waiting-for-all-threads-to-finish
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `map` does nothing until `collect` asks for an item, and then it runs both closures on
//! that one item: spawn a thread, join it. Only then is the next item asked for, so thread
//! 2 starts after thread 1 has ended, and the output's order is fixed. To run the threads
//! at the same time, collect the `JoinHandle`s into a `Vec` first and join them in a second
//! loop, as listing 16-02 does with one handle.

use std::thread;

fn main() {
    let results: Vec<i32> = (1..=3)
        .map(|i| {
            thread::spawn(move || {
                println!("thread {i} starts");
                println!("thread {i} ends");
                i * 10
            })
        })
        .map(|handle| handle.join().unwrap())
        .collect();
    println!("results: {results:?}");
}
