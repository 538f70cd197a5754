#pragma once

#include <filesystem>
#include <string_view>

namespace nmfbench {

// Writes `text` to `path` so that readers see the old file or the whole new one, never a part:
// the text goes to a temporary file beside it (named by process, thread and a counter, so that
// concurrent writers never share one), which is flushed to disk and then renamed into place.
// Any failed write, flush or close (a full disk, a file size limit) removes the temporary file
// and throws Error naming `path`; the old file, if any, stays as it was.
void write_atomically(const std::filesystem::path& path, std::string_view text);

// A temporary name beside `path` that no other process or thread uses at the same time.
std::filesystem::path unique_temporary(const std::filesystem::path& path);

}  // namespace nmfbench
