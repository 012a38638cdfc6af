//! listing: listing-16-11
//! caption: Two producers sending through clones of one transmitter
//! teaches: Cloning the transmitter gives one channel several producers, and receiving ends only when all of them are dropped.
//! section: 16.2 Creating Multiple Producers
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#creating-multiple-producers
//! expect: run
//! output: streams
//! stream: Got: {hi,from,the,thread}
//! stream: Got: {more,messages,for,you}
//!
//! `tx.clone()` gives a second sender for the same channel; the loop ends only after both
//! senders are dropped. How the two threads' messages interleave depends on scheduling,
//! so the check is per thread: all of each thread's lines, in that thread's order.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    // --snip--

    let (tx, rx) = mpsc::channel();

    let tx1 = tx.clone();
    thread::spawn(move || {
        let vals = vec![
            String::from("hi"),
            String::from("from"),
            String::from("the"),
            String::from("thread"),
        ];

        for val in vals {
            tx1.send(val).unwrap();
            thread::sleep(Duration::from_secs(1));
        }
    });

    thread::spawn(move || {
        let vals = vec![
            String::from("more"),
            String::from("messages"),
            String::from("for"),
            String::from("you"),
        ];

        for val in vals {
            tx.send(val).unwrap();
            thread::sleep(Duration::from_secs(1));
        }
    });

    for received in rx {
        println!("Got: {received}");
    }

    // --snip--
}
