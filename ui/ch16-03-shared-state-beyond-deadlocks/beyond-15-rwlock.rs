//! listing: beyond-15-rwlock
//! caption: `RwLock`: many readers at once, one writer at a time
//! teaches: An `RwLock` admits many readers at once or one writer alone, never both at the same time.
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `RwLock` is the thread-safe `RefCell`: any number of `read` guards or one `write` guard.
//! Readers share `&T` across threads and a writer on any thread gets `&mut T`, so `RwLock<T>`
//! is `Sync` only when `T` is both `Sync` and `Send`; `Mutex<T>` asks only `T: Send`, and is
//! what makes a `Send`-only type shareable. Whether waiting writers go before new readers is
//! left to the platform. Here four readers first hold read guards all at once (a barrier
//! waits for all four while they hold them), then keep reading while a writer updates a pair
//! ten times, taking the write lock for each update: no reader ever sees the pair half-updated, and the end
//! state is the same on every run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, RwLock};
use std::thread;

fn main() {
    let pair = Arc::new(RwLock::new((0, 0)));
    let together = Arc::new(Barrier::new(5));
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (pair, together, done) = (Arc::clone(&pair), Arc::clone(&together), Arc::clone(&done));
            thread::spawn(move || {
                let held = pair.read().unwrap();
                // All four pass only while each holds its read guard.
                together.wait();
                drop(held);
                let mut consistent = true;
                while !done.load(Ordering::Acquire) {
                    let p = pair.read().unwrap();
                    consistent &= p.0 == p.1;
                }
                consistent
            })
        })
        .collect();
    together.wait();
    println!("4 readers held read guards at the same time");

    let writer = {
        let (pair, done) = (Arc::clone(&pair), Arc::clone(&done));
        thread::spawn(move || {
            for _ in 0..10 {
                let mut p = pair.write().unwrap();
                p.0 += 1;
                thread::yield_now();
                p.1 += 1;
            }
            done.store(true, Ordering::Release);
        })
    };

    writer.join().unwrap();
    let consistent = readers.into_iter().all(|r| r.join().unwrap());
    println!("final pair: {:?}", *pair.read().unwrap());
    println!("every read while the writer ran was consistent: {consistent}");
}
