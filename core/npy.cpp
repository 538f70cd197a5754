#include "core/npy.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace nmfbench {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLength = 6;

// The integers of a shape tuple such as "(3, 4)" or "(5,)".
std::vector<long> shape_of(const std::string& header, const std::string& what) {
  const auto key = header.find("'shape'");
  const auto open = header.find('(', key);
  const auto close = header.find(')', open);
  if (key == std::string::npos || open == std::string::npos || close == std::string::npos)
    throw Error(what + ": the .npy header has no shape");
  std::vector<long> shape;
  long value = -1;
  for (std::size_t i = open + 1; i <= close; ++i) {
    const char c = header[i];
    if (c >= '0' && c <= '9') {
      if (value > (1L << 40)) throw Error(what + ": the .npy shape is too large");
      value = (value < 0 ? 0 : value * 10) + (c - '0');
    } else if (c == ',' || c == ')') {
      if (value >= 0) shape.push_back(value);
      value = -1;
    } else if (c != ' ') {
      throw Error(what + ": the .npy shape is not a tuple of integers");
    }
  }
  if (shape.empty() || shape.size() > 2) throw Error(what + ": expected a 1-D or 2-D .npy array");
  return shape;
}

}  // namespace

std::string npy_bytes(const Array& array) {
  std::string header = "{'descr': '<f8', 'fortran_order': True, 'shape': (" +
                       std::to_string(array.rows()) + ", " + std::to_string(array.cols()) + "), }";
  // The data starts at a multiple of 64 bytes; the header ends with a newline.
  const std::size_t unpadded = kMagicLength + 4 + header.size() + 1;
  header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::string bytes(kMagic, kMagicLength);
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(array.data()),
               static_cast<std::size_t>(array.size()) * sizeof(double));
  return bytes;
}

Array parse_npy(const std::string& bytes, const std::string& what) {
  if (bytes.size() < kMagicLength + 4 || bytes.compare(0, kMagicLength, kMagic, kMagicLength) != 0)
    throw Error(what + ": not a .npy file");
  const auto byte = [&](std::size_t i) {
    return static_cast<std::size_t>(static_cast<unsigned char>(bytes[i]));
  };
  if (byte(6) != 1)
    throw Error(what + ": .npy version " + std::to_string(byte(6)) + ", expected 1");
  const std::size_t length = byte(8) | (byte(9) << 8);
  if (bytes.size() < 10 + length) throw Error(what + ": the .npy header is truncated");
  const std::string header = bytes.substr(10, length);
  if (header.find("'descr': '<f8'") == std::string::npos)
    throw Error(what + ": expected little-endian float64 ('<f8') data");
  const bool fortran = header.find("'fortran_order': True") != std::string::npos;
  const std::vector<long> shape = shape_of(header, what);
  const Eigen::Index rows = shape[0], cols = shape.size() > 1 ? shape[1] : 1;
  const std::size_t available = (bytes.size() - 10 - length) / sizeof(double);
  if (cols != 0 && static_cast<std::size_t>(rows) > available / static_cast<std::size_t>(cols))
    throw Error(what + ": the .npy shape needs more data than the file holds");
  const std::size_t count = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  if (bytes.size() - 10 - length != count * sizeof(double))
    throw Error(what + ": the .npy data holds " + std::to_string(bytes.size() - 10 - length) +
                " bytes, its shape needs " + std::to_string(count * sizeof(double)));
  std::vector<double> data(count);
  if (count > 0) std::memcpy(data.data(), bytes.data() + 10 + length, count * sizeof(double));
  if (fortran || cols == 1) return Eigen::Map<const Array>(data.data(), rows, cols);
  return Eigen::Map<const Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      data.data(), rows, cols);
}

}  // namespace nmfbench
