//! listing: beyond-19-single-consumer
//! caption: `mpsc` has one consumer: a `Receiver` cannot be cloned, nor shared by reference
//! teaches: An mpsc `Receiver` is not `Sync`, so several threads cannot share one by reference to receive from it.
//! section: 16.2 Creating Multiple Producers
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#creating-multiple-producers
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: beyond-22-shared-receiver
//!
//! 16-11 clones the transmitter: many producers. A receiver cannot be cloned, and no other
//! thread may share it through a `&Receiver`: `Receiver<T>` is `Send` (when `T` is) but never
//! `Sync`, so one scoped thread borrowing it is already E0277 (the compiler reports the
//! first), while moving it, or lending it as `&mut`, to one thread is fine. Two threads calling `recv` on one channel is what "single
//! consumer" rules out. To spread jobs over several workers, share the one receiver behind a
//! lock, `Arc<Mutex<Receiver<T>>>`, as chapter 21's worker pool does (beyond-22), or use a
//! multi-consumer channel. `drop(tx)` comes first so that, were it allowed, each `recv`
//! would return `Err` at once instead of waiting forever for a message.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<i32>();
    drop(tx);

    thread::scope(|s| {
        s.spawn(|| rx.recv()); //~ ERROR E0277
        s.spawn(|| rx.recv());
    });
}
