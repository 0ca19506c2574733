// SHA-256 (FIPS 180-4), used to identify content: a stored dataset version
// is named by the SHA-256 of the file it was imported from.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

// Incremental hasher: Update() any number of times, then Finish() once.
class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256();
  void Update(const void* data, std::size_t bytes);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Returns the digest. Calling Update() or Finish() afterwards is a
  // programmer error.
  Digest Finish();

 private:
  void Block(const std::uint8_t* p);
  std::uint32_t h_[8];
  std::uint8_t buf_[64];
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
  bool finished_ = false;
};

// 64 lowercase hex digits.
std::string ToHex(const Sha256::Digest& digest);

// Hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace vigil
