//! listing: beyond-34-rwlock-read-twice
//! caption: One thread takes a second read lock while a writer waits, and blocks
//! teaches: Taking a second read lock in the same thread can block forever behind a waiting writer.
//! section: 16.3 Comparing RefCell<T>/Rc<T> and Mutex<T>/Arc<T> (read-write locks)
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#comparing-refcelltrct-and-mutextarct
//! origin: beyond
//! expect: hang
//! output: exact
//! timeout: 3s
//!
//! Many readers may share an `RwLock`, so reading twice looks harmless. But `main` still
//! holds `first` when it asks again, and a writer is already waiting for `first` to go. On
//! Linux, std's `RwLock` queues new readers behind a waiting writer, so the second `read`
//! waits for the writer, which waits for `first`: a deadlock. The loop on `try_read` makes
//! the writer's waiting certain instead of likely. The docs promise no policy: a waiting
//! writer may or may not block `read`, and `read` may panic if the thread already holds
//! the lock. Whatever the platform, do not take it twice in one thread.

use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let lock = Arc::new(RwLock::new(0));
    let first = lock.read().unwrap();

    let writer_lock = Arc::clone(&lock);
    let writer = thread::spawn(move || {
        *writer_lock.write().unwrap() += 1;
    });

    // `try_read` starts failing once the writer is waiting for the lock.
    while lock.try_read().is_ok() {
        thread::yield_now();
    }
    println!("holding a read lock, with a writer waiting; reading again");
    let second = lock.read().unwrap(); // queued behind the writer, which waits for `first`
    println!("never printed on Linux: {} {}", *first, *second);
    drop((first, second));
    writer.join().unwrap();
}
