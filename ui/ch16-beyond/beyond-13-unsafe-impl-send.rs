//! listing: beyond-13-unsafe-impl-send
//! caption: Promising Send by hand with unsafe impl
//! section: 16.4 Implementing Send and Sync Manually Is Unsafe
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#implementing-send-and-sync-manually-is-unsafe
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `Buffer` now owns its allocation outright, and nothing else keeps
//! a pointer to it, so moving it to another thread is sound. The compiler cannot see
//! that, so we state it with `unsafe impl Send`, and the `SAFETY` comment records why.
//! The type is still not `Sync`: sharing `&Buffer` between threads stays refused.

use std::thread;

struct Buffer {
    data: *mut u8,
    len: usize,
}

// SAFETY: a `Buffer` is the only owner of its allocation (made in `new`,
// freed in `drop`) and hands out no pointers to it, so whichever thread
// holds the `Buffer` has exclusive access to the bytes.
unsafe impl Send for Buffer {}

impl Buffer {
    fn new(bytes: Vec<u8>) -> Buffer {
        let mut bytes = bytes.into_boxed_slice();
        let len = bytes.len();
        let data = bytes.as_mut_ptr();
        std::mem::forget(bytes);
        Buffer { data, len }
    }

    fn sum(&self) -> u32 {
        // SAFETY: `data` points to `len` initialised bytes owned by `self`.
        let bytes = unsafe { std::slice::from_raw_parts(self.data, self.len) };
        bytes.iter().map(|&b| u32::from(b)).sum()
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        // SAFETY: rebuilds the box leaked in `new`, exactly once.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.data, self.len)) });
    }
}

fn main() {
    let buffer = Buffer::new(vec![1, 2, 3]);
    let handle = thread::spawn(move || buffer.sum());
    println!("sum computed on another thread: {}", handle.join().unwrap());
}
