//! A bump allocator over linear memory. Every call runs in a fresh instance, so memory is never
//! reused and `dealloc` does nothing.
//!
//! The heap starts at the linker's `__heap_base` (after the shadow stack and the data), so
//! small allocations use the rest of the initial memory; memory grows only when an allocation
//! does not fit (each grown page costs gas and is zeroed).

use core::alloc::{GlobalAlloc, Layout};

struct Bump;

static mut NEXT: usize = 0;
static mut END: usize = 0;

const PAGE: usize = 64 * 1024;

unsafe extern "C" {
    /// First byte after the stack and the static data (defined by wasm-ld).
    static __heap_base: u8;
}

/// `[start, end)` of `layout` placed at or after `next`, if addressable.
fn place(next: usize, layout: Layout) -> Option<(usize, usize)> {
    let start = next.checked_add(layout.align() - 1)? & !(layout.align() - 1);
    Some((start, start.checked_add(layout.size())?))
}

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if NEXT == 0 {
            NEXT = core::ptr::addr_of!(__heap_base) as usize;
            END = core::arch::wasm32::memory_size(0) * PAGE;
        }
        let Some((mut start, mut end)) = place(NEXT, layout) else {
            return core::ptr::null_mut();
        };
        if end > END {
            let size = core::arch::wasm32::memory_size(0) * PAGE;
            if size != END {
                // The contract grew memory itself: allocate after what it took.
                END = size;
                let Some(placed) = place(size, layout) else {
                    return core::ptr::null_mut();
                };
                (start, end) = placed;
            }
            if end > END {
                let pages = (end - END).div_ceil(PAGE);
                if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                    return core::ptr::null_mut();
                }
                END += pages * PAGE;
            }
        }
        NEXT = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump;
