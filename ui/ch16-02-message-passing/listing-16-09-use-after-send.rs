//! listing: listing-16-09
//! caption: Using a value after sending it down the channel
//! teaches: `send` takes ownership of the value, so the sending thread cannot use it after sending.
//! section: 16.2 Transferring Ownership Through Channels
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#transferring-ownership-through-channels
//! expect: compile-fail E0382
//! fixed-by: listing-16-08
//!
//! `send` takes its argument by value: once `val` is sent, the receiving thread owns it
//! and could change or free it. Printing `val` afterwards is a borrow of a moved value,
//! E0382, caught at compile time instead of as a data race. Listing 16-08 is the same
//! program without the use after the send.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let val = String::from("hi");
        tx.send(val).unwrap();
        println!("val is {val}"); //~ ERROR E0382
    });

    let received = rx.recv().unwrap();
    println!("Got: {received}");
}
