// Model files keep large arrays in .npy sidecars named, with their checksums, by the JSON;
// readers put them back, and a missing, changed or foreign sidecar is an error naming it.
#include "experiments/model_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/npy.hpp"
#include "core/optim/parameters.hpp"
#include "test_support.hpp"

namespace nmfbench::exp {
namespace {

namespace fs = std::filesystem;

Json document_with(const ParameterSet& arrays) {
  const ExperimentSpec spec = parse_spec(Json::parse(R"({
    "name": "m", "seed": 1, "task": "denoise",
    "dataset": {"loader": "embedded-guitar", "splits": ["A"]},
    "stft": {"window": "hann", "window_length": 256, "hop": 64},
    "methods": [{"method": "complex_nmf"}], "checkpoints": {"list": [1]}})"));
  return model_document(spec, spec.methods[0], {{"arrays", arrays.to_json()}, {"note", "kept"}});
}

void write_all(const std::vector<std::pair<fs::path, std::string>>& files) {
  for (const auto& [path, bytes] : files) std::ofstream(path, std::ios::binary) << bytes;
}

TEST(ModelFile, LargeArraysTravelInChecksummedSidecars) {
  const auto dir = testing::scratch_dir();
  ParameterSet arrays;
  arrays.add("large", RandomStream(1, "large").normal_array(80, 60));  // 4800 values
  arrays.add("small", Array::Constant(2, 3, 0.5));
  const auto files = model_files(dir / "abc.json", document_with(arrays));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].first, dir / "abc.0.npy");
  EXPECT_EQ(files[1].first, dir / "abc.json");  // the JSON last
  const Json stored = Json::parse(files[1].second);
  EXPECT_EQ(stored["state"]["arrays"]["large"]["npy"], "abc.0.npy");
  EXPECT_FALSE(stored["state"]["arrays"]["large"].contains("data"));
  EXPECT_TRUE(stored["state"]["arrays"]["small"].contains("data"));
  EXPECT_EQ(parse_npy(files[0].second, "sidecar").matrix(), arrays.value("large").matrix());
  write_all(files);

  // Read back exactly, as if the arrays had been in the JSON.
  const Json state = read_model_state(dir / "abc.json");
  EXPECT_EQ(state["note"], "kept");
  const ParameterSet loaded = ParameterSet::from_json(state["arrays"]);
  EXPECT_EQ(loaded.value("large").matrix(), arrays.value("large").matrix());

  // A changed sidecar is refused, naming it.
  std::string bytes = files[0].second;
  bytes[bytes.size() - 1] ^= 1;
  std::ofstream(dir / "abc.0.npy", std::ios::binary) << bytes;
  EXPECT_NE(testing::error_message([&] {
              read_model_state(dir / "abc.json");
            }).find("sidecar '" + (dir / "abc.0.npy").string() + "' does not match its checksum"),
            std::string::npos);
  fs::remove(dir / "abc.0.npy");
  EXPECT_NE(testing::error_message([&] { read_model_state(dir / "abc.json"); }).find("is missing"),
            std::string::npos);
  // Only a file beside the model may be named.
  Json escaping = stored;
  escaping["state"]["arrays"]["large"]["npy"] = "../abc.0.npy";
  std::ofstream(dir / "escape.json") << escaping.dump();
  EXPECT_NE(testing::error_message([&] {
              read_model_state(dir / "escape.json");
            }).find("a sidecar must be a file name beside it"),
            std::string::npos);
}

TEST(Npy, RoundTripsAndRejectsWhatItCannotRead) {
  const Array a = RandomStream(2, "npy").normal_array(3, 5);
  EXPECT_EQ(parse_npy(npy_bytes(a), "a").matrix(), a.matrix());
  EXPECT_EQ(npy_bytes(a).find("\n") % 64, 63u);  // data aligned at 64 bytes
  std::string wrong = npy_bytes(a);
  wrong.replace(wrong.find("<f8"), 3, "<f4");
  EXPECT_NE(testing::error_message([&] {
              parse_npy(wrong, "w.npy");
            }).find("w.npy: expected little-endian float64"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              parse_npy(npy_bytes(a).substr(0, 100), "t.npy");
            }).find("t.npy"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { parse_npy("hello", "h"); }).find("not a .npy file"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::exp
