//! listing: listing-16-08
//! caption: Receiving the value in the main thread
//! teaches: `recv` blocks until a message arrives (or every sender is gone), so here `main` always gets the value sent.
//! section: 16.2 Transfer Data Between Threads with Message Passing
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#transfer-data-between-threads-with-message-passing
//! expect: run
//! output: exact
//!
//! `recv` blocks main until a message arrives (or every sender is dropped), so the
//! value sent by the spawned thread is always printed, whatever the scheduling.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let val = String::from("hi");
        tx.send(val).unwrap();
    });

    let received = rx.recv().unwrap();
    println!("Got: {received}");
}
