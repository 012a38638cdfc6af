//! listing: listing-16-14
//! caption: Trying `Rc<T>` to share the `Mutex<T>` between threads
//! teaches: `Rc<T>` is not `Send`, because its count is not atomic, so `thread::spawn` refuses a closure that holds one.
//! section: 16.3 Multiple Ownership with Multiple Threads
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#multiple-ownership-with-multiple-threads
//! expect: compile-fail E0277
//! fixed-by: listing-16-15
//!
//! `Rc` updates its reference count with plain, non-atomic arithmetic, so two threads
//! cloning or dropping it at once could corrupt the count. It is therefore not `Send`,
//! and `spawn` requires its closure (and all it captures) to be `Send`: E0277. The
//! atomic twin, `Arc`, is the fix in 16-15.

use std::rc::Rc;
use std::sync::Mutex;
use std::thread;

fn main() {
    let counter = Rc::new(Mutex::new(0));
    let mut handles = vec![];

    for _ in 0..10 {
        let counter = Rc::clone(&counter);
        let handle = thread::spawn(move || { //~ ERROR E0277
            let mut num = counter.lock().unwrap();

            *num += 1;
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    println!("Result: {}", *counter.lock().unwrap());
}
