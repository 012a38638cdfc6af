//! listing: listing-16-10
//! caption: Sending several values with a pause between each
//! teaches: Iterating over a `Receiver` yields each message in order until every sender has been dropped.
//! section: 16.2 Sending Multiple Values
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#sending-multiple-values
//! expect: run
//! output: exact
//!
//! Treating `rx` as an iterator receives until the channel closes, which happens when the
//! thread ends and drops `tx`. One producer sends in order, so the four lines always
//! arrive in order, about a second apart (the run takes some four seconds).

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let vals = vec![
            String::from("hi"),
            String::from("from"),
            String::from("the"),
            String::from("thread"),
        ];

        for val in vals {
            tx.send(val).unwrap();
            thread::sleep(Duration::from_secs(1));
        }
    });

    for received in rx {
        println!("Got: {received}");
    }
}
