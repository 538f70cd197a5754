#include "core/allocator.hpp"

#include <malloc.h>

namespace nmfbench {

void keep_large_blocks_in_heap() {
  // Blocks up to 256 MiB come from the heap; freed memory is returned to the system only
  // when 1 GiB of it lies unused at the top of the heap.
  constexpr int kMmapThreshold = 256 << 20;
  constexpr int kTrimThreshold = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

}  // namespace nmfbench
