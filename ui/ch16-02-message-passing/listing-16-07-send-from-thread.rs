//! listing: listing-16-07
//! caption: Moving the transmitter into a thread and sending `"hi"`
//! teaches: Sending a value settles the channel's type, and a `move` closure hands the transmitter to the new thread.
//! section: 16.2 Transfer Data Between Threads with Message Passing
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#transfer-data-between-threads-with-message-passing
//! expect: run
//! output: exact
//!
//! Sending a `String` tells inference the channel's type, so 16-06's error is gone. The
//! thread owns `tx` through `move`. `send` returns a `Result` because the receiver may be
//! gone: here `main` may return, dropping `rx`, before the thread sends, and then its
//! `unwrap` panics. Nothing reads `rx` yet: the compiler warns about the unused variable
//! (annotated below), and the program prints nothing to stdout. If the thread gets that far
//! before the process exits, its panic message goes to stderr, so some runs print one there.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel(); //~ WARN unused_variables

    thread::spawn(move || {
        let val = String::from("hi");
        tx.send(val).unwrap();
    });
}
