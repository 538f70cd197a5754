// Reading untrusted JSON: nesting depth, folders given as files, and integers that would wrap.
#include "core/json.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json_field.hpp"
#include "test_support.hpp"

namespace nmfbench {
namespace {

using testing::error_message;

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(static_cast<std::size_t>(depth), '[') + inner +
         std::string(static_cast<std::size_t>(depth), ']');
}

// 60,000 nested brackets overflowed the stack when the value was copied, printed or destroyed.
TEST(Json, DeepNestingIsAnErrorNamingTheSource) {
  EXPECT_NO_THROW(parse_json(nested(kMaxJsonDepth), "x"));
  const std::string msg = error_message([] { parse_json(nested(60000), "spec 'deep.json'"); });
  EXPECT_NE(msg.find("spec 'deep.json': nested deeper than 64 levels at byte 64"),
            std::string::npos)
      << msg;
  const std::string inside = R"({"dataset": {"options": )" + nested(60000) + "}}";
  EXPECT_NE(error_message([&] { parse_json(inside, "s"); }).find("nested deeper"),
            std::string::npos);
  // Brackets inside strings are text, not nesting.
  EXPECT_NO_THROW(parse_json("{\"a\": \"" + std::string(1000, '[') + "\\\"\"}", "x"));
}

// Found by fuzzing: nlohmann reports a number beyond double's range as out_of_range, not as a
// parse error, and it escaped naming no file.
TEST(Json, ANumberBeyondDoubleIsInvalidJson) {
  const std::string msg = error_message([] { parse_json(R"({"seed": 1e999})", "spec 's.json'"); });
  EXPECT_NE(msg.find("spec 's.json': not valid JSON ([json.exception.out_of_range.406] number "
                     "overflow parsing '1e999')"),
            std::string::npos)
      << msg;
}

TEST(Json, FilesThatAreNotJsonNameThemselves) {
  const auto dir = testing::scratch_dir();
  EXPECT_NE(error_message([&] { read_json_file(dir, "model"); }).find("is a folder"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              read_json_file(dir / "absent.json", "spec");
            }).find("absent.json': cannot be read"),
            std::string::npos);
  std::ofstream(dir / "empty.json").flush();
  EXPECT_NE(error_message([&] {
              read_json_file(dir / "empty.json", "spec");
            }).find("empty.json': not valid JSON"),
            std::string::npos);
  std::ofstream(dir / "deep.json") << nested(100000);
  EXPECT_NE(error_message([&] {
              read_json_file(dir / "deep.json", "spec");
            }).find("deep.json': nested deeper"),
            std::string::npos);
}

// 4294967297 read as an int is 1: ranges are compared before any conversion.
TEST(Json, IntegersOutOfRangeNeverWrap) {
  const Json big = Json::parse("[4294967297, 18446744073709551615, -9223372036854775808, 1e300]");
  for (std::size_t i = 0; i < big.size(); ++i) {
    const std::string msg = error_message([&] { json_integer(big[i], "list", 0, 1000000); });
    EXPECT_NE(msg.find("list: got"), std::string::npos) << msg;
    EXPECT_NE(msg.find("expected an integer in [0, 1000000]"), std::string::npos) << msg;
  }
  EXPECT_EQ(json_integer(Json(7u), "x", 0, 10), 7);
  // A long value is shortened in the message.
  const std::string msg =
      error_message([] { json_string(Json(std::vector<int>(10000, 1)), "list"); });
  EXPECT_LT(msg.size(), 200u);
}

}  // namespace
}  // namespace nmfbench
