#include "core/line_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace vigil {
namespace {

std::vector<std::string> All(const std::string& text) {
  std::istringstream in(text);
  LineReader r(in, "t.jsonl");
  std::vector<std::string> out;
  std::string line;
  while (true) {
    auto more = r.Next(&line);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    out.push_back(line);
  }
  return out;
}

TEST(LineReaderTest, SplitsLinesLikeGetline) {
  EXPECT_EQ(All(""), std::vector<std::string>{});
  EXPECT_EQ(All("a"), std::vector<std::string>{"a"});
  EXPECT_EQ(All("a\n"), std::vector<std::string>{"a"});
  EXPECT_EQ(All("a\n\nb"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(All("a\r\nb\r\n"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(All("\n"), std::vector<std::string>{""});
}

TEST(LineReaderTest, ALineOverTheLimitIsAnErrorNamingItsNumber) {
  std::istringstream in("ok\n" + std::string(3 << 20, 'x') + "\nafter\n");
  LineReader r(in, "big.jsonl", std::size_t{2} << 20);
  std::string line;
  ASSERT_TRUE(*r.Next(&line));
  EXPECT_EQ(line, "ok");
  auto st = r.Next(&line);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().message(), "big.jsonl:2: line longer than 2 MiB, the limit for one line");
  EXPECT_LE(line.size(), std::size_t{2} << 20);
}

TEST(LineReaderTest, ALineOfExactlyTheLimitIsRead) {
  std::istringstream in(std::string(1 << 20, 'y') + "\n");
  LineReader r(in, "t", std::size_t{1} << 20);
  std::string line;
  ASSERT_TRUE(*r.Next(&line));
  EXPECT_EQ(line.size(), std::size_t{1} << 20);
  EXPECT_EQ(r.line_number(), 1u);
  EXPECT_FALSE(*r.Next(&line));
}

}  // namespace
}  // namespace vigil
