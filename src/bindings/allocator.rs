//! The wasm build's global allocator: talc instead of Rust's default dlmalloc.
//!
//! Why: dlmalloc is about 9 KB of the wasm before wasm-opt (malloc alone 5.1 KB). talc
//! is maintained, written as a drop-in for dlmalloc on wasm, and its wasm setup grows
//! the heap with `memory.grow` and extends it in place (no separate heaps to fragment).
//! It took 6.8 KB off the optimized wasm: the single file went from 72,105 to 69,322
//! bytes gzip (-2,783). Measured against dlmalloc in the same runs: no wasm memory growth
//! of its own (1,000,000 streamed records: 1,152 -> 1,280 KiB with either, the id set's
//! bitmap; four such reads in one process stay at 1,280 KiB; tests/node/wasm-memory
//! guards this), and read CPU within the noise (median of 7 reads of 100,000 records at
//! 0 ms: +0.3% sequential, -1.4% `concurrency: 4`, -0.6% cursor). Also measured:
//! `lol_alloc` saved 573 bytes more but searches its free list linearly on every
//! allocation and free and calls itself a learning project; rlsf (TLSF) saved 60 bytes
//! more with pool coalescing, 193 without it (then pools never merge).
//!
//! Only this module is compiled for wasm32; host tests keep the system allocator.

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
