//! listing: beyond-15-rwlock
//! caption: RwLock: many readers at once, one writer at a time
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `RwLock` is the thread-safe `RefCell`: any number of `read` guards
//! or a single `write` guard. A writer updates a pair of numbers ten times, always both
//! under one write lock; four readers check that they never see the pair half-updated.
//! The final state and the verdict are the same on every run.

use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let pair = Arc::new(RwLock::new((0, 0)));

    let writer = {
        let pair = Arc::clone(&pair);
        thread::spawn(move || {
            for _ in 0..10 {
                let mut p = pair.write().unwrap();
                p.0 += 1;
                thread::yield_now();
                p.1 += 1;
            }
        })
    };
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let pair = Arc::clone(&pair);
            thread::spawn(move || {
                (0..1000).all(|_| {
                    let p = pair.read().unwrap();
                    p.0 == p.1
                })
            })
        })
        .collect();

    writer.join().unwrap();
    let consistent = readers.into_iter().all(|r| r.join().unwrap());
    println!("final pair: {:?}", *pair.read().unwrap());
    println!("4 readers, every read consistent: {consistent}");
}
