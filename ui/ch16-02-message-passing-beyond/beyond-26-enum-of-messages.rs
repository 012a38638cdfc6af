//! listing: beyond-26-enum-of-messages
//! caption: One channel carries an enum, so it can send numbers and text
//! teaches: An enum of messages lets one channel carry several kinds of values, and the receiver matches on each.
//! section: 16.2 Transfer Data Between Threads with Message Passing
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#transfer-data-between-threads-with-message-passing
//! origin: beyond
//! expect: run
//! output: exact
//!
//! The fix of beyond-25: the channel's type is `Message`, and each kind of value is one of
//! its variants. A `match` on what arrives must handle every variant, so a kind of message
//! added later is an error (E0004) in each `match` without a `_` arm until it is handled.
//! A message may not borrow from the sending thread's locals (`thread::spawn` takes only
//! `'static` closures), so the text variant owns its `String`.

use std::sync::mpsc;
use std::thread;

enum Message {
    Number(i32),
    Text(String),
}

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        tx.send(Message::Number(1)).unwrap();
        tx.send(Message::Text(String::from("two"))).unwrap();
    });

    for received in rx {
        match received {
            Message::Number(n) => println!("Got the number {n}"),
            Message::Text(s) => println!("Got the text {s:?}"),
        }
    }
}
