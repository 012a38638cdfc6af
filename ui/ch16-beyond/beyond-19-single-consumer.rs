//! listing: beyond-19-single-consumer
//! caption: mpsc has one consumer: a Receiver can be neither cloned nor shared
//! teaches: An mpsc `Receiver` is not `Sync`, so several threads cannot share one by reference to receive from it.
//! section: 16.2 Creating Multiple Producers
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#creating-multiple-producers
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: listing-16-11
//!
//! 16-11 clones the transmitter: many producers. The receiver has no `clone` method, and
//! even borrowed by scoped threads it cannot be shared (E0277): `Receiver<T>` is `Send`
//! but not `Sync`, since two threads calling `recv` at once is what "single consumer"
//! rules out. To spread work over several threads, give each its own channel.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<i32>();

    thread::scope(|s| {
        s.spawn(|| rx.recv()); //~ ERROR E0277
        s.spawn(|| rx.recv());
    });
    drop(tx);
}
