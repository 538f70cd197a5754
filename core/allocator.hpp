#pragma once

namespace nmfbench {

// Called once at the start of a program (never by library code): glibc serves every block
// above 128 KiB with a fresh mmap and unmaps it on free, so each spectrogram-sized temporary
// costs page faults on first touch; that doubled the time of a multiplicative-update iteration.
// Raising the mmap and trim thresholds keeps such blocks in the heap for reuse.
void keep_large_blocks_in_heap();

}  // namespace nmfbench
