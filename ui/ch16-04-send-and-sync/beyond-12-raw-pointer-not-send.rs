//! listing: beyond-12-raw-pointer-not-send
//! caption: A struct holding a raw pointer is not `Send`
//! teaches: A struct with a raw-pointer field is not `Send` by default, so the compiler will not let it move to another thread.
//! section: 16.4 Transferring Ownership Between Threads
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#transferring-ownership-between-threads
//! origin: beyond
//! expect: compile-fail E0277
//! fixed-by: beyond-13-unsafe-impl-send
//!
//! `Send` is derived automatically from a type's fields, and raw
//! pointers are neither `Send` nor `Sync`: the compiler cannot know who else points at
//! the same memory. So `Buffer` is not `Send`, and moving it into `spawn` is E0277.
//! Only the author can promise more, with `unsafe impl Send` (13).

use std::thread;

struct Buffer {
    data: *mut u8,
    len: usize,
}

impl Buffer {
    fn sum(&self) -> u32 {
        // SAFETY: `data` must point to `len` bytes that outlive `self`; no lifetime says so.
        let bytes = unsafe { std::slice::from_raw_parts(self.data, self.len) };
        bytes.iter().map(|&b| u32::from(b)).sum()
    }
}

fn main() {
    let mut bytes = vec![1u8, 2, 3];
    let buffer = Buffer {
        data: bytes.as_mut_ptr(),
        len: bytes.len(),
    };

    let handle = thread::spawn(move || buffer.sum()); //~ ERROR E0277

    println!("sum computed on another thread: {}", handle.join().unwrap());
}
