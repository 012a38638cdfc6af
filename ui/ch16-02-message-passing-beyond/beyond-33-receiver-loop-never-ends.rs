//! listing: beyond-33-receiver-loop-never-ends
//! caption: A `for` loop over the receiver waits forever, because `main` still holds a sender
//! teaches: A `for` loop over a `Receiver` ends only when every `Sender` is gone, `main`'s own `tx` included.
//! section: 16.2 Creating Multiple Producers
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#creating-multiple-producers
//! origin: beyond
//! expect: hang
//! output: exact
//! timeout: 3s
//!
//! Each thread gets a clone of `tx` and drops it when it finishes, but the original `tx`
//! lives in `main` until the end of `main`, and `main` is busy in the loop. Iterating over
//! `rx` calls `recv`, which, when no message is queued, waits as long as any sender exists,
//! so after the third message the loop waits for a fourth that no one will send. Listing 16-11 avoids this by moving `tx`
//! itself into the last thread; here `drop(tx);` before the loop would end it after three.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    for id in 1..=3 {
        let tx = tx.clone();
        thread::spawn(move || {
            tx.send(id).unwrap();
        });
    }

    let mut received = 0;
    for _id in rx {
        received += 1;
        println!("received {received} of 3");
    }
    println!("never printed: main's own `tx` keeps the channel open");
}
