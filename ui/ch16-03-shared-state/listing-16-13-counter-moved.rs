//! listing: listing-16-13
//! caption: Ten threads each increment a counter guarded by a `Mutex<T>`
//! teaches: A value moved into one thread's closure cannot also move into the next: ten threads cannot all own one `Mutex`.
//! section: 16.3 Shared Access to Mutex<T>
//! url: https://doc.rust-lang.org/book/ch16-03-shared-state.html#shared-access-to-mutext
//! expect: compile-fail E0382
//! fixed-by: listing-16-14
//!
//! The first iteration's `move` closure takes the one `counter`; the second iteration
//! has nothing left to move, and main wants it back at the end. The compiler reports
//! E0382 where main uses it, pointing at the move "in previous iteration of loop".
//! One value cannot have ten owners. The next step, 16-14, tries shared ownership with
//! `Rc` and fails again, because `Rc` cannot go to another thread; the fix that compiles
//! is 16-15's `Arc`.

use std::sync::Mutex;
use std::thread;

fn main() {
    let counter = Mutex::new(0);
    let mut handles = vec![];

    for _ in 0..10 {
        let handle = thread::spawn(move || {
            let mut num = counter.lock().unwrap();

            *num += 1;
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    println!("Result: {}", *counter.lock().unwrap()); //~ ERROR E0382
}
