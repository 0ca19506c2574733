#include "core/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

// FIPS 180-2 / NIST example vectors.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, IncrementalEqualsOneShotAtEveryBoundary) {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  // Reference digest of these 300 bytes from Python's hashlib.
  EXPECT_EQ(Sha256Hex(data), "04773f8726c81cafcfa1a09a82664b98b00d2021031a1715bca1154f2dad3472");
  for (std::size_t len : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 128u, 300u}) {
    std::string_view d(data.data(), len);
    for (std::size_t cut = 0; cut <= len; cut += 13) {
      Sha256 h;
      h.Update(d.substr(0, cut));
      h.Update(d.substr(cut));
      EXPECT_EQ(ToHex(h.Finish()), Sha256Hex(d)) << "len " << len << " cut " << cut;
    }
  }
}

}  // namespace
}  // namespace vigil
