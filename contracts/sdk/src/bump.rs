//! A bump allocator over linear memory. Every call runs in a fresh instance, so memory is never
//! reused and `dealloc` does nothing.

use core::alloc::{GlobalAlloc, Layout};

struct Bump;

static mut NEXT: usize = 0;
static mut END: usize = 0;

const PAGE: usize = 64 * 1024;

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let align = layout.align();
        let mut start = (NEXT + align - 1) & !(align - 1);
        let mut end = start + layout.size();
        if NEXT == 0 || end > END {
            // Grow memory by enough pages for this allocation.
            let needed = if NEXT == 0 {
                layout.size() + align
            } else {
                end - END
            };
            let pages = needed.div_ceil(PAGE);
            let prev = core::arch::wasm32::memory_grow(0, pages);
            if prev == usize::MAX {
                return core::ptr::null_mut();
            }
            if NEXT == 0 {
                NEXT = prev * PAGE;
            }
            END = (prev + pages) * PAGE;
            start = (NEXT + align - 1) & !(align - 1);
            end = start + layout.size();
        }
        NEXT = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump;
