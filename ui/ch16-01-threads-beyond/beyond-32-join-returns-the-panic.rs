//! listing: beyond-32-join-returns-the-panic
//! caption: A thread's panic comes back through `join` as `Err`, with its payload
//! teaches: `join` returns a panicked thread's payload as `Err`, usually a `&'static str` or a `String` to downcast.
//! section: 16.1 Waiting for All Threads to Finish
//! url: https://doc.rust-lang.org/book/ch16-01-threads.html#waiting-for-all-threads-to-finish
//! origin: beyond
//! expect: run
//! output: exact
//! stderr: exact
//!
//! With the default `panic = unwind`, a panic ends only its own thread, and `join` hands its
//! payload to the joiner as `Err(Box<dyn Any + Send>)`. Whether a `panic!` message arrives
//! as a `&'static str` or a `String` is unspecified: today one with nothing to format at run
//! time (compilers fold `panic!("literal {}", 7)` into one literal) is a `&'static str`, and
//! one formatted at run time a `String`; `panic_any` can send any type. So a handler tries
//! both with `downcast_ref`, as std's own panic message does. Dropping a `JoinHandle` only
//! detaches its thread: the last one still sends its message. With `RUST_BACKTRACE=1` set,
//! each panic message on stderr is followed by a stack backtrace.

use std::any::Any;
use std::sync::mpsc;
use std::thread;

/// What a panic's payload says, whichever of the two usual types it has.
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        format!("a &'static str: {s:?}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("a String: {s:?}")
    } else {
        "a payload of another type".to_string()
    }
}

fn main() {
    let literal = thread::Builder::new()
        .name("literal".into())
        .spawn(|| panic!("literal {}", 7))
        .unwrap();
    let payload = literal.join().unwrap_err();
    println!("the first thread panicked with {}", message(&*payload));

    // Known only at run time: the number of command-line arguments, plus six.
    let item = std::env::args().count() + 6;
    let runtime = thread::Builder::new()
        .name("runtime".into())
        .spawn(move || panic!("runtime {item}"))
        .unwrap();
    let payload = runtime.join().unwrap_err();
    println!("the second thread panicked with {}", message(&*payload));

    let (tx, rx) = mpsc::channel();
    drop(thread::spawn(move || tx.send("a detached thread").unwrap()));
    println!("{} still runs after its JoinHandle is dropped", rx.recv().unwrap());
}
