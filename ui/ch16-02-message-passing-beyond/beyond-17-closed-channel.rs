//! listing: beyond-17-closed-channel
//! caption: What a closed channel does: `send` fails, `recv` ends
//! teaches: `send` fails once the receiver is gone, and `recv` fails once every sender is gone and nothing is left.
//! section: 16.2 Sending Multiple Values
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#sending-multiple-values
//! origin: beyond
//! expect: run
//! output: exact
//!
//! Once the receiver is dropped, `send` returns `Err(SendError(value))` and hands the
//! value back. Once every sender is dropped and the queue is empty, `recv` returns
//! `Err(RecvError)`: that is what ends 16-10's `for` loop over `rx`. The thread is joined
//! before reading, so the order of the lines never depends on timing.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<String>();
    drop(rx);
    match tx.send(String::from("lost")) {
        Ok(()) => println!("sent"),
        Err(mpsc::SendError(value)) => println!("send failed and gave back {value:?}"),
    }

    let (tx, rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for n in 1..=3 {
            tx.send(n).unwrap();
        }
    });
    producer.join().unwrap();
    for n in &rx {
        println!("got {n}");
    }
    println!("the loop ended; recv now gives {:?}", rx.recv());
}
