//! What building a large folder tree costs in allocations, from the parser's answers to the
//! tree: the tree's own strings (raw name, path, name, parent) and nothing per folder beyond them.
//! A 10,000-folder listing once cost more than twice that per folder (copies of names and
//! attributes for intermediate lists, sort keys and lookup tables), which showed in the
//! whole-process benchmark.

use inlet_core::folders::{FolderCounts, FolderTreeBuilder};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting the allocations of the thread that asks it to.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call goes to the system allocator as it came; only a thread-local count is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, ALLOCATIONS.with(Cell::get))
}

#[test]
fn a_10000_folder_tree_allocates_only_its_own_strings() {
    // The benchmark's tree: eight top-level folders (some not ASCII, some spelled in modified
    // UTF-7 on the wire), their children and grandchildren, with Dovecot's attributes and counts.
    let names: Vec<String> = inlet_testkit::make_folders_tree(10_000)
        .into_iter()
        .map(|name| name.replace('&', "&-").replace('É', "&AMk-").replace('é', "&AOk-"))
        .collect();
    // Borrowed, as the IMAP parser hands them over.
    let attributes = ["\\HasNoChildren", "\\Subscribed"];
    let counts = FolderCounts { messages: Some(3), unseen: Some(1) };

    let (tree, allocations) = allocations_of(|| {
        let mut builder = FolderTreeBuilder::default();
        for name in &names {
            builder.add(name, Some("/"), attributes.iter().copied());
            builder.set_counts(name, counts);
        }
        builder.finish(|_| false)
    });

    assert_eq!(tree.folders.len(), 10_000);
    assert_eq!(tree.folders[0].path, "Clients");
    assert_eq!(tree.folders[1].path, "Clients/Client 001");
    assert!(tree.folders.iter().any(|f| f.path == "Équipe/Membre 001/2019"));
    assert!(tree.folders.iter().all(|f| f.messages == Some(3) && f.subscribed));
    // Per folder: its raw name, its path, its name and its parent's name (four), plus a handful
    // for the whole tree (its vectors, the index, the sort keys' buffer).
    let per_folder = allocations as f64 / 10_000.0;
    assert!(per_folder < 4.5, "{allocations} allocations for 10,000 folders ({per_folder:.2} each)");
}
