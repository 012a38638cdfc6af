//! listing: beyond-35-scoped-shared-sender
//! caption: Scoped threads send on one channel through a shared `&Sender`, with no clones
//! teaches: `Sender<T>` is `Sync` (since Rust 1.72), so scoped threads can all send through one `&tx`.
//! section: 16.2 Creating Multiple Producers
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#creating-multiple-producers
//! origin: beyond
//! expect: run
//! output: exact
//!
//! Listing 16-11 gives each producer a sender of its own (a clone, or the original), because
//! a closure passed to `thread::spawn` cannot borrow the function's locals. Scoped threads
//! may borrow, and a shared borrow of the sender can go to several threads because
//! `Sender<T>` is `Sync` when `T: Send`. The scope ends after every thread has finished;
//! `drop(tx)` then closes the channel so that `rx.iter()` ends. The arrival order varies, so
//! `main` sorts what it received.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::scope(|s| {
        for id in 1..=3 {
            let tx = &tx; // a shared borrow, not a clone
            s.spawn(move || {
                tx.send(id).unwrap();
            });
        }
    });
    drop(tx);

    let mut ids: Vec<i32> = rx.iter().collect();
    ids.sort();
    println!("received {ids:?}");
}
