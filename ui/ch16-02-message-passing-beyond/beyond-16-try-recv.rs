//! listing: beyond-16-try-recv
//! caption: `try_recv`: asking the channel without waiting
//! teaches: `try_recv` returns at once, telling an empty channel apart from one whose senders are all gone.
//! section: 16.2 Sending Multiple Values
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#sending-multiple-values
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The chapter names `try_recv` without showing it: it returns at once, with
//! `Err(TryRecvError::Empty)` while nothing has arrived, the value once one has, and
//! `Err(TryRecvError::Disconnected)` when the channel is empty and every sender is gone.
//! The order here comes from `join` alone, so every run prints the same three lines.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    println!("before anything is sent: {:?}", rx.try_recv());

    let sender = thread::spawn(move || {
        tx.send(String::from("hi")).unwrap();
        // `tx` is dropped here, with the thread's closure.
    });
    sender.join().unwrap();

    println!("after the sender is joined: {:?}", rx.try_recv());
    println!("once every sender is gone: {:?}", rx.try_recv());
}
