//! What building a large folder tree costs in allocations: the tree's own strings (path, name,
//! parent, and the key that finds a folder by name), and nothing per folder beyond them. Each of
//! 10,000 folders used to cost twice that (a copy of its raw name, a lower-case sort key, a
//! lower-case copy of every attribute), which showed in the whole-process benchmark.

use inlet_core::folders::{FolderCounts, FolderTree, ListedFolder};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

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
    let listed: Vec<ListedFolder> = names
        .iter()
        .map(|name| ListedFolder {
            raw_name: name.clone(),
            delimiter: Some("/".into()),
            attributes: vec!["\\HasNoChildren".into(), "\\Subscribed".into()],
        })
        .collect();
    let counts: HashMap<String, FolderCounts> =
        names.iter().map(|n| (n.clone(), FolderCounts { messages: Some(3), unseen: Some(1) })).collect();
    let subscribed = HashSet::new();

    let (tree, allocations) = allocations_of(|| FolderTree::build(listed, &counts, &subscribed));

    assert_eq!(tree.folders.len(), 10_000);
    assert_eq!(tree.folders[0].path, "Clients");
    assert_eq!(tree.folders[1].path, "Clients/Client 001");
    assert!(tree.folders.iter().any(|f| f.path == "Équipe/Membre 001/2019"));
    // Per folder: its path, its name, its parent's name and the index's key (four), plus a
    // handful for the whole tree (its vectors, the index, the sort keys' buffer).
    let per_folder = allocations as f64 / 10_000.0;
    assert!(per_folder < 4.5, "{allocations} allocations for 10,000 folders ({per_folder:.2} each)");
}
