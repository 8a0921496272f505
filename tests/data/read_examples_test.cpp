#include <gtest/gtest.h>

#include "fastintent/common/error.h"
#include "fastintent/data/dataset.h"
#include "test_files.h"

namespace fastintent::data {
namespace {

using testing::WriteTempFile;

// The message of the InvalidInput thrown by `read`, or "" when nothing was thrown.
template <typename F>
std::string ErrorOf(F&& read) {
  try {
    read();
  } catch (const InvalidInput& error) {
    return error.what();
  }
  return "";
}

TEST(ReadExamples, CsvWithRfc4180Quoting) {
  auto file = WriteTempFile("a.csv",
                            "text,category\r\n"
                            "plain text,x\r\n"
                            "\"with, comma\",y\r\n"
                            "\"a \"\"quoted\"\" word\",x\n"
                            "\"two\nlines\",z\n"
                            "\n"
                            "инет не пашет,internet_down");
  auto examples = ReadExamples(file);
  ASSERT_EQ(examples.size(), 5u);
  EXPECT_EQ(examples[0].text, "plain text");
  EXPECT_EQ(examples[1].text, "with, comma");
  EXPECT_EQ(examples[1].label, "y");
  EXPECT_EQ(examples[2].text, "a \"quoted\" word");
  EXPECT_EQ(examples[3].text, "two\nlines");
  EXPECT_EQ(examples[4].text, "инет не пашет");
  EXPECT_EQ(examples[4].label, "internet_down");
}

TEST(ReadExamples, ColumnsInAnyOrderAndByOption) {
  auto file = WriteTempFile("b.csv", "id,intent,utterance\n1,greet,hello\n2,bye,see you\n");
  ReadOptions options;
  options.text_column = "utterance";
  options.label_column = "intent";
  auto examples = ReadExamples(file, options);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[1].text, "see you");
  EXPECT_EQ(examples[1].label, "bye");
}

TEST(ReadExamples, LabelColumnFallsBackToLabel) {
  auto file = WriteTempFile("c.csv", "text,label\nhi,greet\n");
  EXPECT_EQ(ReadExamples(file).at(0).label, "greet");
}

TEST(ReadExamples, TsvKeepsQuotesLiterally) {
  auto file = WriteTempFile("d.tsv", "text\tcategory\nsay \"hi\", please\tgreet\n");
  auto examples = ReadExamples(file);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].text, "say \"hi\", please");
}

TEST(ReadExamples, JsonLinesWithStringAndIntegerLabels) {
  auto file =
      WriteTempFile("e.jsonl", "{\"text\": \"hi\", \"label\": 3}\n\n{\"text\": \"привет\", \"label\": \"4\"}\n");
  auto examples = ReadExamples(file);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].label, "3");
  EXPECT_EQ(examples[1].text, "привет");
}

TEST(ReadExamples, ExplicitFormatOverridesExtension) {
  auto file = WriteTempFile("f.txt", "text,category\nhi,greet\n");
  ReadOptions options;
  options.format = "csv";
  EXPECT_EQ(ReadExamples(file, options).size(), 1u);
  EXPECT_NE(ErrorOf([&] { ReadExamples(file); }).find("extension"), std::string::npos);
}

TEST(ReadExamples, StripsByteOrderMark) {
  auto file = WriteTempFile("g.csv", "\xEF\xBB\xBFtext,category\nhi,greet\n");
  EXPECT_EQ(ReadExamples(file).at(0).text, "hi");
}

TEST(ReadExamplesErrors, EmptyFile) {
  auto file = WriteTempFile("empty.csv", "");
  auto message = ErrorOf([&] { ReadExamples(file); });
  EXPECT_NE(message.find("empty.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
}

TEST(ReadExamplesErrors, HeaderOnly) {
  auto file = WriteTempFile("header.csv", "text,category\n");
  EXPECT_NE(ErrorOf([&] { ReadExamples(file); }).find("no examples"), std::string::npos);
}

TEST(ReadExamplesErrors, UnknownColumnListsColumnsPresent) {
  auto file = WriteTempFile("cols.csv", "sentence,intent\nhi,greet\n");
  auto message = ErrorOf([&] { ReadExamples(file); });
  EXPECT_NE(message.find("cols.csv:1"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown column \"text\""), std::string::npos) << message;
  EXPECT_NE(message.find("\"sentence\", \"intent\""), std::string::npos) << message;
}

TEST(ReadExamplesErrors, UnknownJsonKeyListsKeysPresent) {
  auto file =
      WriteTempFile("keys.jsonl", "{\"text\": \"hi\", \"category\": \"a\"}\n{\"txt\": \"x\", \"category\": \"a\"}\n");
  auto message = ErrorOf([&] { ReadExamples(file); });
  EXPECT_NE(message.find("keys.jsonl:2"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key \"text\""), std::string::npos) << message;
  EXPECT_NE(message.find("keys present: category, txt"), std::string::npos) << message;
}

TEST(ReadExamplesErrors, MalformedJsonNamesLine) {
  auto file = WriteTempFile("bad.jsonl", "{\"text\": \"hi\", \"category\": \"a\"}\n{\"text\": \n");
  EXPECT_NE(ErrorOf([&] { ReadExamples(file); }).find("bad.jsonl:2: malformed JSON"), std::string::npos);
}

TEST(ReadExamplesErrors, NumberOverflowInJsonIsMalformedJson) {  // found by data_reader_fuzz
  auto file = WriteTempFile("big.jsonl", "{\"text\": \"hi\", \"category\": 1E999999999}\n");
  EXPECT_NE(ErrorOf([&] { ReadExamples(file); }).find("big.jsonl:1: malformed JSON"), std::string::npos);
}

TEST(ReadExamplesErrors, NonUtf8TextNamesLine) {
  auto file = WriteTempFile("latin1.csv", "text,category\nok,a\ncaf\xE9,a\n");
  auto message = ErrorOf([&] { ReadExamples(file); });
  EXPECT_NE(message.find("latin1.csv:3"), std::string::npos) << message;
  EXPECT_NE(message.find("not valid UTF-8"), std::string::npos) << message;
}

TEST(ReadExamplesErrors, RejectsOverlongAndSurrogateEncodings) {
  EXPECT_NE(ErrorOf([&] { ReadExamples(WriteTempFile("o.csv", "text,category\n\xC0\xAF,a\n")); }), "");
  EXPECT_NE(ErrorOf([&] { ReadExamples(WriteTempFile("s.csv", "text,category\n\xED\xA0\x80,a\n")); }), "");
  EXPECT_NE(ErrorOf([&] { ReadExamples(WriteTempFile("t.csv", "text,category\n\xD0,a\n")); }), "");
}

TEST(ReadExamplesErrors, MissingFieldNamesLine) {
  auto file = WriteTempFile("short.csv", "text,category\nhi,greet\n\"multi\nline\",x\nno label here\n");
  auto message = ErrorOf([&] { ReadExamples(file); });
  EXPECT_NE(message.find("short.csv:5"), std::string::npos) << message;
  EXPECT_NE(message.find("got 1 fields, expected 2"), std::string::npos) << message;
}

TEST(ReadExamplesErrors, UnterminatedQuote) {
  auto file = WriteTempFile("quote.csv", "text,category\n\"never closed,a\n");
  auto message = ErrorOf([&] { ReadExamples(file); });
  EXPECT_NE(message.find("quote.csv:2"), std::string::npos) << message;
  EXPECT_NE(message.find("unterminated"), std::string::npos) << message;
}

TEST(ReadExamplesErrors, EmptyLabel) {
  auto file = WriteTempFile("nolabel.csv", "text,category\nhi,\n");
  EXPECT_NE(ErrorOf([&] { ReadExamples(file); }).find("nolabel.csv:2: empty label"), std::string::npos);
}

TEST(ReadExamplesErrors, MissingFileIsIoError) { EXPECT_THROW(ReadExamples("/nonexistent/fastintent/x.csv"), IoError); }

TEST(LabelSet, SortedUnique) {
  std::vector<Example> examples{{"a", "b"}, {"c", "a"}, {"d", "b"}};
  EXPECT_EQ(LabelSet(examples), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace fastintent::data

namespace fastintent::data {
namespace {

TEST(WriteCsv, RoundTripsThroughReadExamples) {
  const std::vector<Example> examples = {
      {"плохо, очень \"плохо\"", "complaint"}, {"line\nbreak", "other"}, {"plain", "a,b"}};
  const auto file = testing::WriteTempFile("out.csv", "");
  WriteCsv(examples, file);
  const auto back = ReadExamples(file);
  ASSERT_EQ(back.size(), examples.size());
  for (std::size_t i = 0; i < examples.size(); ++i) {
    EXPECT_EQ(back[i].text, examples[i].text);
    EXPECT_EQ(back[i].label, examples[i].label);
  }
}

TEST(WriteCsv, UnwritablePathIsAnIoError) {
  EXPECT_THROW(WriteCsv({{"a", "b"}}, "/proc/fastintent-no/such.csv"), IoError);
}

}  // namespace
}  // namespace fastintent::data
