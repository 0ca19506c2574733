#include "data/csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigil::data {
namespace {

std::vector<CsvRecord> ReadAll(const std::string& text, std::vector<std::string>* errors = nullptr) {
  auto r = CsvReader::FromString(text, "t.csv");
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (true) {
    auto more = r->Next(&rec);
    if (!more.ok()) {
      if (errors) errors->push_back(more.status().message() + " | " + rec.raw);
      continue;
    }
    if (!*more) break;
    out.push_back(rec);
  }
  return out;
}

TEST(CsvReaderTest, PlainQuotedAndEmbeddedNewlines) {
  auto recs = ReadAll("a,b,c\r\n1,\"x, \"\"y\"\"\",3\n4,\"line1\nline2\",\n7,8,9");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(recs[1].fields[1], "x, \"y\"");
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"4", "line1\nline2", ""}));
  EXPECT_EQ(recs[2].line, 3u);
  EXPECT_EQ(recs[2].end_line, 4u);
  EXPECT_EQ(recs[3].line, 5u);  // line numbers count the embedded newline
  EXPECT_EQ(recs[3].fields[2], "9");
}

TEST(CsvReaderTest, SkipsBomAndKeepsEmptyFields) {
  auto recs = ReadAll("\xEF\xBB\xBFid,v\n1,\n,\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields[0], "id");
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"1", ""}));
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"", ""}));
}

TEST(CsvReaderTest, MalformedRecordsAreReportedAndReadingContinues) {
  std::vector<std::string> errors;
  auto recs = ReadAll("a,b\n1,x\"y\n\"q\"z,2\n3,4\n5,\"open", &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("t.csv:2"), std::string::npos);
  EXPECT_NE(errors[0].find("stray quote"), std::string::npos);
  EXPECT_NE(errors[0].find("| 1,x\"y"), std::string::npos);  // raw text kept
  EXPECT_NE(errors[1].find("t.csv:3"), std::string::npos);
  EXPECT_NE(errors[1].find("after closing quote"), std::string::npos);
  EXPECT_NE(errors[2].find("unterminated"), std::string::npos);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"3", "4"}));
}

TEST(CsvReaderTest, OtherDelimiterAndMissingFile) {
  auto r = CsvReader::FromString("a\tb\n1\t2\n", "t.tsv", '\t');
  CsvRecord rec;
  ASSERT_TRUE(*r->Next(&rec));
  EXPECT_EQ(rec.fields.size(), 2u);
  auto missing = CsvReader::Open("/nonexistent/x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/x.csv"), std::string::npos);
}

TEST(CsvReaderTest, StreamsAcrossChunkBoundaries) {
  std::string path = ::testing::TempDir() + "/big.csv";
  {
    std::ofstream out(path);
    out << "id,text\n";
    for (int i = 0; i < 200000; ++i) out << i << ",\"quoted\nvalue " << i << "\"\n";
  }
  auto r = CsvReader::Open(path);
  ASSERT_TRUE(r.ok());
  CsvRecord rec;
  ASSERT_TRUE(*(*r)->Next(&rec));
  int n = 0;
  while (*(*r)->Next(&rec)) {
    ASSERT_EQ(rec.fields.size(), 2u) << rec.line;
    ASSERT_EQ(rec.fields[0], std::to_string(n));
    ASSERT_EQ(rec.line, static_cast<std::size_t>(2 + 2 * n));
    ++n;
  }
  EXPECT_EQ(n, 200000);
}


TEST(CsvReaderTest, QuotingOffKeepsQuotesAsText) {
  auto r = CsvReader::FromString("1\tsaid \"no\t\"x\n2\t\"\t3\n", "t.tsv", '\t');
  r->set_quoting(false);
  CsvRow row;
  ASSERT_TRUE(*r->NextView(&row));
  EXPECT_EQ(row.fields, (std::vector<std::string_view>{"1", "said \"no", "\"x"}));
  ASSERT_TRUE(*r->NextView(&row));
  EXPECT_EQ(row.fields, (std::vector<std::string_view>{"2", "\"", "3"}));
  EXPECT_EQ(row.line, 2u);
  EXPECT_FALSE(*r->NextView(&row));
}

TEST(CsvReaderTest, RecordsLongerThanTheReadBlockAndCrLfAtBlockEdges) {
  // Records of every length around the 1 MiB block size, CRLF line ends and
  // doubled quotes: each record must come back whole wherever a block ends.
  std::string path = ::testing::TempDir() + "/long.csv";
  std::vector<std::string> values;
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 40; ++i) {
      std::string v(static_cast<std::size_t>(40000 + i * 997), 'x');
      v[100] = '"';
      v[v.size() / 2] = '\n';
      values.push_back(v);
      std::string quoted;
      for (char c : v) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      out << i << ",\"" << quoted << "\"\r\n";
    }
    out << "big,\"" << std::string(3 << 20, 'y') << "\"\r\n";
  }
  auto r = CsvReader::Open(path);
  ASSERT_TRUE(r.ok());
  CsvRow row;
  std::size_t line = 1;
  for (int i = 0; i < 40; ++i) {
    auto got = (*r)->NextView(&row);
    ASSERT_TRUE(got.ok() && *got) << i;
    ASSERT_EQ(row.fields.size(), 2u);
    EXPECT_EQ(row.fields[0], std::to_string(i));
    EXPECT_EQ(row.fields[1], values[static_cast<std::size_t>(i)]);
    EXPECT_EQ(row.line, line);
    line += 2;
  }
  ASSERT_TRUE(*(*r)->NextView(&row));
  EXPECT_EQ(row.fields[1].size(), 3u << 20);
  EXPECT_FALSE(*(*r)->NextView(&row));
  EXPECT_EQ((*r)->bytes_read(), std::filesystem::file_size(path));
}

TEST(CsvReaderTest, SeparatorsExactlyAtTheFirstBlockEnd) {
  // The first read is 1 MiB: put a CR of CRLF, the first quote of a doubled
  // quote, a closing quote and a delimiter on its last byte and the byte after.
  constexpr std::size_t kBlock = 1 << 20;
  struct Case {
    std::string tail;  // text whose first byte lands on the block's last byte
    std::vector<std::string> last_fields;
  };
  const std::vector<Case> cases = {
      {"\r\nnext,row\r\n", {"next", "row"}},
      {"\"\"more\",z\n", {"", "z"}},
      {"\",z\n", {"", "z"}},
      {",z\nnext,row\n", {"next", "row"}},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    std::string path = ::testing::TempDir() + "/edge" + std::to_string(c) + ".csv";
    std::string head = "id,text\n1,";
    if (c == 1 || c == 2) head += "\"";  // the field is quoted
    std::string text = head + std::string(kBlock - 1 - head.size(), 'x') + cases[c].tail;
    ASSERT_EQ(text.substr(kBlock - 1, cases[c].tail.size()), cases[c].tail);
    std::ofstream(path, std::ios::binary) << text;
    auto r = CsvReader::Open(path);
    ASSERT_TRUE(r.ok());
    CsvRecord rec;
    std::vector<CsvRecord> recs;
    while (true) {
      auto got = (*r)->Next(&rec);
      ASSERT_TRUE(got.ok()) << c << ": " << got.status().message();
      if (!*got) break;
      recs.push_back(rec);
    }
    ASSERT_GE(recs.size(), 2u) << c;
    EXPECT_EQ(recs[1].fields[0], "1") << c;
    if (c == 0) {
      ASSERT_EQ(recs.size(), 3u);
      EXPECT_EQ(recs[1].fields[1], std::string(kBlock - 1 - head.size(), 'x'));
      EXPECT_EQ(recs[2].fields, cases[c].last_fields);
      EXPECT_EQ(recs[2].line, 3u);
    } else if (c == 1) {
      ASSERT_EQ(recs.size(), 2u);
      EXPECT_EQ(recs[1].fields[1], std::string(kBlock - 1 - head.size(), 'x') + "\"more");
      EXPECT_EQ(recs[1].fields[2], "z");
    } else if (c == 2) {
      ASSERT_EQ(recs.size(), 2u);
      EXPECT_EQ(recs[1].fields[1], std::string(kBlock - 1 - head.size(), 'x'));
      EXPECT_EQ(recs[1].fields[2], "z");
    } else {
      ASSERT_EQ(recs.size(), 3u);
      EXPECT_EQ(recs[1].fields[2], "z");
      EXPECT_EQ(recs[2].fields, cases[c].last_fields);
    }
    EXPECT_EQ((*r)->bytes_read(), text.size()) << c;
  }
}

// Hostile input costs bounded memory: a record longer than the limit stops
// reading with a message naming file and line.
TEST(CsvReaderTest, RecordLongerThanTheLimitStopsWithFileAndLine) {
  for (const std::string& big : {"a,\"" + std::string(3 << 20, 'x') + "\"\n",  // a 3 MiB field
                                 std::string(5 << 20, 'y') + "\n"}) {              // a 5 MiB line
    auto r = CsvReader::FromString("h1,h2\n1,2\n" + big + "3,4\n", "big.csv");
    r->set_max_record_bytes(1 << 20);
    CsvRecord rec;
    ASSERT_TRUE(*r->Next(&rec));
    ASSERT_TRUE(*r->Next(&rec));
    auto got = r->Next(&rec);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_EQ(got.status().message(),
              "big.csv:3: record longer than 1 MiB, the limit for one record; reading stops here (is "
              "this the right file?)");
  }
  EXPECT_EQ(CsvReader::kDefaultMaxRecordBytes, std::size_t{64} << 20);
}

}  // namespace
}  // namespace vigil::data
