//! listing: beyond-25-one-type-per-channel
//! caption: Sending an integer and then a string on the same channel
//! teaches: A channel carries values of one type; left unnamed, it is inferred from its first use, so another type is E0308.
//! section: 16.2 Transfer Data Between Threads with Message Passing
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#transfer-data-between-threads-with-message-passing
//! origin: beyond
//! expect: compile-fail E0308
//! fixed-by: beyond-26-enum-of-messages
//!
//! `mpsc::channel()` makes a `Sender<T>` and a `Receiver<T>` for one `T`. Nothing names
//! it here, so the compiler infers it from the first use it checks, here the first `send`: an integer. Then `"two"` is
//! a `&str` where an integer was expected (E0308). To send different kinds of values on
//! one channel, make them variants of one enum and match on what arrives (beyond-26).

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        tx.send(1).unwrap();
        tx.send("two").unwrap(); //~ ERROR E0308
    });

    for received in rx {
        println!("Got: {received}");
    }
}
