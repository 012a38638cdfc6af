//! listing: beyond-13-unsafe-impl-send
//! caption: Promising `Send` by hand with `unsafe impl`
//! teaches: `unsafe impl Send` is the author's promise, unchecked by the compiler, that moving the type between threads is sound.
//! section: 16.4 Implementing Send and Sync Manually Is Unsafe
//! url: https://doc.rust-lang.org/book/ch16-04-extensible-concurrency-sync-and-send.html#implementing-send-and-sync-manually-is-unsafe
//! origin: beyond
//! expect: run
//! output: exact
//!
//! `Buffer` owns its allocation: `new` gives up the box with `Box::into_raw` (the box is
//! never used again, so the pointer stays valid), `drop` takes it back exactly once, and
//! no copy of the pointer leaves the type. Whichever thread holds the `Buffer` therefore
//! has the bytes to itself, so moving it is sound; the compiler cannot see that, so we
//! state it with `unsafe impl Send`. It is still not `Sync`: `&Buffer` stays unshared.

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
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        // The box is consumed here, not touched after: `data` keeps the
        // right to the allocation until `drop` hands it back to a box.
        let data = Box::into_raw(boxed).cast::<u8>();
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
        // SAFETY: rebuilds the box given up in `new`, exactly once.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(self.data, self.len)) });
    }
}

fn main() {
    let buffer = Buffer::new(vec![1, 2, 3]);
    let handle = thread::spawn(move || buffer.sum());
    println!("sum computed on another thread: {}", handle.join().unwrap());
}
