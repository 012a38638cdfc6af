//! listing: listing-16-06
//! caption: Creating a channel and never using it
//! teaches: A channel carries one message type, which must be written out or inferable from how the channel is used.
//! section: 16.2 Transfer Data Between Threads with Message Passing
//! url: https://doc.rust-lang.org/book/ch16-02-message-passing.html#transfer-data-between-threads-with-message-passing
//! expect: compile-fail E0282
//! fixed-by: listing-16-07
//!
//! `mpsc::channel` is generic over the message type, and nothing in this program says what
//! that type is: no value is ever sent or received. Type inference has nothing to go on, so
//! the compiler stops with E0282 and asks for an annotation. Only the author knows the type,
//! so the compiler cannot apply its help for you. The fix is listing 16-07: it sends a
//! `String`, which settles the type. The help's wording differs between compiler versions.

use std::sync::mpsc;

fn main() {
    let (tx, rx) = mpsc::channel(); //~ ERROR E0282
}
