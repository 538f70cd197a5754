// Folder manifests and loader options: hostile or mistaken input is an error naming the file,
// the entry and what was expected, never a library exception, an allocation or a silent guess.
#include "datasets/manifest.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>
#include <sstream>

#include "datasets/dataset.hpp"
#include "test_support.hpp"

namespace nmfbench::data {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

std::string json_error(const std::string& text) {
  return error_message([&] { parse_manifest_json(Json::parse(text), "m.json"); });
}

std::string csv_error(const std::string& rows) {
  std::istringstream in("id,split,role,file\n" + rows);
  return error_message([&] { parse_manifest_csv(in, "m.csv"); });
}

void expect_has(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos)
      << "expected \"" << part << "\" in \"" << message << "\"";
}

TEST(Manifest, JsonErrorsNameTheFileAndTheEntry) {
  expect_has(json_error(R"({"examples": [{"id": 1, "split": "s", "sources": ["a"]}]})"),
             "m.json: examples[0].id: got 1, expected a string");
  expect_has(json_error(R"({"examples": [{"id": "x", "split": "s", "sources": "a.wav"}]})"),
             "m.json: examples[0].sources: got \"a.wav\", expected an array of file names");
  expect_has(json_error(R"({"examples": [{"id": "x", "split": "s", "sources": ["a", 2]}]})"),
             "examples[0].sources[1]: got 2, expected a string");
  expect_has(
      json_error(R"({"examples": [{"id": "x", "split": "s", "sources": ["a"], "trainig": []}]})"),
      "examples[0].trainig: unknown field");
  expect_has(json_error(R"({"examples": {}})"), "m.json: manifest.examples: got {}");
  expect_has(json_error(R"([1])"), "m.json: manifest: got [1], expected an object");
}

// Duplicate ids gave two cells with one key, counted twice in the aggregates; one file as two
// sources scored an infinite SI-SDR.
TEST(Manifest, DuplicateIdsAndRepeatedSourcesAreErrors) {
  expect_has(json_error(R"({"examples": [{"id": "x", "split": "s", "sources": ["a"]},
                                         {"id": "x", "split": "s", "sources": ["b"]}]})"),
             "examples[1]: the id 'x' is used twice in split 's'");
  EXPECT_EQ(json_error(R"({"examples": [{"id": "x", "split": "s", "sources": ["a"]},
                                        {"id": "x", "split": "t", "sources": ["b"]}]})"),
            "");
  expect_has(json_error(R"({"examples": [{"id": "x", "split": "s", "sources": ["a", "a"]}]})"),
             "lists 'a' as more than one source");
  expect_has(csv_error("x,s,source0,a\nx,s,source1,a\n"), "lists 'a' as more than one source");
  expect_has(csv_error("x,s,source0,a\nx,s,source0,b\n"),
             "m.csv row 3: example 'x' names source0 twice");
}

// source4294967295 threw std::bad_alloc, source50000000 took 2 GB and 14 s, and
// source99999999999999999999 threw std::stoul's out_of_range.
TEST(Manifest, CsvSourceIndicesAreBoundedBeforeAnyAllocation) {
  for (const char* role :
       {"source4294967295", "source50000000", "source99999999999999999999", "training64"}) {
    expect_has(csv_error(std::string("x,s,") + role + ",a.wav\n"),
               std::string("m.csv row 2: role '") + role + "', expected a source index below 64");
  }
  expect_has(csv_error("x,s,source1,a.wav\n"), "skips source 0");
  expect_has(csv_error("x,s,speaker,a.wav\n"), "expected source<i>, training<i> or noise");
  expect_has(csv_error("x,s,source0\n"), "m.csv row 2: expected id,split,role,file");
  std::istringstream header("file,id\n");
  expect_has(error_message([&] { parse_manifest_csv(header, "m.csv"); }),
             "m.csv: expected the header id,split,role,file");
}

// "pairs_per_set": "2" raised nlohmann's type_error.302; unknown options were ignored.
TEST(LoaderOptions, UnknownKeysAndWrongTypesNameTheOption) {
  expect_has(error_message([] {
               make_dataset("embedded-speakers", {"", 8000, {{"pairs_per_set", "2"}}});
             }),
             "spec.dataset.options.pairs_per_set: got \"2\", expected an integer in [1, 50]");
  expect_has(
      error_message([] {
        make_dataset("embedded-speakers", {"", 8000, {{"pairs_per_sets", 2}}});
      }),
      "embedded-speakers: spec.dataset.options.pairs_per_sets: unknown field; expected one of "
      "pairs_per_set");
  expect_has(
      error_message([] {
        make_dataset("embedded-guitar", {"", 8000, {{"x", 1}}});
      }),
      "embedded-guitar: spec.dataset.options: got {\"x\":1}, expected {}: it takes no options");
  const auto root = testing::scratch_dir();
  expect_has(error_message([&] {
               make_dataset("folder", {root, 8000, {{"manifest", 3}}});
             }),
             "spec.dataset.options.manifest: got 3, expected a string");
  expect_has(error_message([&] {
               make_dataset("librispeech", {root, 8000, {{"pairs_per_set", 0}}});
             }),
             "spec.dataset.options.pairs_per_set: got 0");
  expect_has(error_message([&] {
               make_dataset("timit", {root, 8000, {{"pairs", 1.5}}});
             }),
             "spec.dataset.options.pairs: got 1.5");
}

// "source 0 is silent" named no file.
TEST(Folder, ASilentSourceIsNamedWhenLoaded) {
  const auto root = testing::scratch_dir();
  testing::write_audio_file(root / "a.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                            testing::test_signal(4000, "a"), 8000);
  testing::write_audio_file(root / "quiet.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, Signal::Zero(4000),
                            8000);
  std::ofstream(root / "manifest.json")
      << R"({"examples": [{"id": "x", "split": "s", "sources": ["a.wav", "quiet.wav"]}]})";
  const auto folder = make_dataset("folder", {root, 8000, Json::object()});
  expect_has(error_message([&] { folder->load("s", "x"); }),
             "folder: example 'x': source '" + (root / "quiet.wav").string() + "' is silent");
  std::ofstream(root / "manifest.json") << R"({"examples": [{"id": )" << std::string(100, '[');
  expect_has(error_message([&] {
               make_dataset("folder", {root, 8000, Json::object()});
             }),
             "manifest.json': nested deeper than 64 levels");
}

}  // namespace
}  // namespace nmfbench::data
