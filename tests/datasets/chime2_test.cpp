// The chime2 loader on a tiny fixture tree in the official CHiME2 track 2 layout.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <set>

#include "datasets/dataset.hpp"
#include "test_support.hpp"

namespace nmfbench::data {
namespace {

namespace fs = std::filesystem;

constexpr int kRate = 16000;
constexpr Eigen::Index kLength = 1600;  // 0.1 s
const std::vector<std::string> kSnrFolders = {"m6dB", "m3dB", "0dB", "3dB", "6dB", "9dB"};

struct Utterance {
  std::string set, snr_folder, speaker, utt;
  fs::path relative() const {
    return fs::path(set) / snr_folder / "wsj0" / set / speaker / (utt + ".wav");
  }
  std::string key() const { return set + snr_folder + speaker + utt; }
  // Distinct left and right channels: a loader that averaged them or took the right one
  // would not reproduce the left.
  Signal channel(const std::string& kind, const std::string& side) const {
    return testing::test_signal(kLength, key() + kind + side) * (side == "left" ? 0.3 : 0.1);
  }
};

// train: 20 utterances of 4 speakers, each in two SNR folders (k and k + 3); dev: 2
// utterances, test: 1, both at all six SNRs.
std::vector<Utterance> fixture_utterances() {
  std::vector<Utterance> out;
  for (int n = 0; n < 20; ++n) {
    const std::string speaker = "01" + std::to_string(1 + n / 5);
    for (const int k : {n % 6, (n + 3) % 6})
      out.push_back({"si_tr_s", kSnrFolders[k], speaker, speaker + "c020" + std::to_string(n % 5)});
  }
  for (const auto& [set, utts] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"si_dt_05", {"050a0101", "051a0102"}}, {"si_et_05", {"440c0201"}}}) {
    for (const auto& snr : kSnrFolders) {
      for (const auto& utt : utts) out.push_back({set, snr, utt.substr(0, 3), utt});
    }
  }
  return out;
}

void write_tree(const fs::path& root, std::vector<Utterance> utterances) {
  for (const auto& u : utterances) {
    const Signal speech_left = u.channel("speech", "left"),
                 speech_right = u.channel("speech", "right");
    testing::write_audio_file(root / "scaled" / u.relative(), SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                              std::vector<Signal>{speech_left, speech_right}, kRate);
    testing::write_audio_file(root / "isolated" / u.relative(), SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                              std::vector<Signal>{speech_left + u.channel("noise", "left"),
                                                  speech_right + u.channel("noise", "right")},
                              kRate);
  }
}

Signal as_float(const Signal& x) {
  return x.cast<float>().cast<double>();
}

TEST(Chime2, ExamplesPerSnrFolderWithTheLeftChannelAsMixture) {
  const auto root = testing::scratch_dir();
  write_tree(root, fixture_utterances());
  const auto chime = make_dataset("chime2", {root, kRate, Json::object()});
  EXPECT_FALSE(chime->stand_in());
  EXPECT_EQ(chime->splits(), (std::vector<std::string>{"train", "dev", "test"}));
  EXPECT_EQ(chime->example_ids("train").size(), 40u);
  EXPECT_EQ(chime->example_ids("test"),
            (std::vector<std::string>{"m6dB/440/440c0201", "m3dB/440/440c0201", "0dB/440/440c0201",
                                      "3dB/440/440c0201", "6dB/440/440c0201", "9dB/440/440c0201"}));
  const auto dev = chime->example_ids("dev");
  ASSERT_EQ(dev.size(), 12u);
  EXPECT_EQ(dev[0], "m6dB/050/050a0101");
  EXPECT_EQ(dev[1], "m6dB/051/051a0102");

  std::vector<std::string> snrs;
  for (const auto& id : dev) snrs.push_back(chime->load("dev", id).labels.at("snr"));
  EXPECT_EQ(snrs, (std::vector<std::string>{"-6dB", "-6dB", "-3dB", "-3dB", "0dB", "0dB", "3dB",
                                            "3dB", "6dB", "6dB", "9dB", "9dB"}));

  const Utterance u{"si_dt_05", "m3dB", "051", "051a0102"};
  const Example e = chime->load("dev", "m3dB/051/051a0102");
  EXPECT_EQ(e.id, "m3dB/051/051a0102");
  EXPECT_EQ(e.split, "dev");
  EXPECT_EQ(e.sample_rate, kRate);
  EXPECT_EQ(e.labels, (std::map<std::string, std::string>{{"snr", "-3dB"}}));
  ASSERT_EQ(e.sources.size(), 2u);
  EXPECT_EQ(e.sources[0].name, "speech");
  EXPECT_EQ(e.sources[0].role, Role::target);
  EXPECT_EQ(e.sources[0].labels.at("speaker"), "051");
  EXPECT_EQ(e.sources[1].name, "noise");
  EXPECT_EQ(e.sources[1].role, Role::interference);
  EXPECT_TRUE(e.training.empty());
  EXPECT_TRUE(e.noise.empty());
  // The files hold float32 samples, read back exactly.
  const Signal left_mixture = as_float(u.channel("speech", "left") + u.channel("noise", "left"));
  EXPECT_TRUE((e.mixture == left_mixture).all());
  EXPECT_TRUE((e.sources[0].audio == as_float(u.channel("speech", "left"))).all());
  EXPECT_TRUE((e.sources[1].audio == e.mixture - e.sources[0].audio).all());

  const auto at8k = make_dataset("chime2", {root, 8000, Json::object()});
  const Example resampled = at8k->load("dev", "m3dB/051/051a0102");
  EXPECT_EQ(resampled.mixture.size(), kLength / 2);
  EXPECT_TRUE((resampled.sources[1].audio == resampled.mixture - resampled.sources[0].audio).all());
}

TEST(Chime2, TrainFractionKeepsAFixedSubsetOfUtterancesAtAllTheirSnrs) {
  const auto root = testing::scratch_dir();
  auto utterances = fixture_utterances();
  write_tree(root / "a", utterances);
  // The same tree with its files created in the opposite order.
  std::reverse(utterances.begin(), utterances.end());
  write_tree(root / "b", utterances);
  const Json tenth = {{"train_fraction", 0.1}};
  const auto ids = make_dataset("chime2", {root / "a", 8000, tenth})->example_ids("train");
  // 2 of the 20 utterances, each at its two SNRs.
  ASSERT_EQ(ids.size(), 4u);
  std::map<std::string, int> per_utterance;
  for (const auto& id : ids) ++per_utterance[id.substr(id.find('/') + 1)];
  EXPECT_EQ(per_utterance.size(), 2u);
  for (const auto& [utt, count] : per_utterance) EXPECT_EQ(count, 2) << utt;
  EXPECT_EQ(make_dataset("chime2", {root / "a", 8000, tenth})->example_ids("train"), ids);
  EXPECT_EQ(make_dataset("chime2", {root / "b", 8000, tenth})->example_ids("train"), ids);
  // Only the training split is thinned.
  EXPECT_EQ(make_dataset("chime2", {root / "a", 8000, tenth})->example_ids("dev").size(), 12u);

  const auto two_snrs = make_dataset("chime2", {root / "a", 8000, {{"snrs", {9, -6}}}});
  const auto dev = two_snrs->example_ids("dev");
  EXPECT_EQ(dev, (std::vector<std::string>{"m6dB/050/050a0101", "m6dB/051/051a0102",
                                           "9dB/050/050a0101", "9dB/051/051a0102"}));
}

TEST(Chime2, BrokenTreesAndBadOptionsSayWhatIsWrong) {
  const auto root = testing::scratch_dir();
  write_tree(root, fixture_utterances());
  auto message = [&](const Json& options, const std::function<void(const Dataset&)>& use) {
    return testing::error_message([&] { use(*make_dataset("chime2", {root, 8000, options})); });
  };
  auto contains = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  const auto none = [](const Dataset&) {};

  EXPECT_TRUE(contains(message({{"train_fraction", 2}}, none),
                       "spec.dataset.options.train_fraction: got 2, expected a number in (0, 1]"));
  EXPECT_TRUE(contains(message({{"train_fraction", "10%"}}, none),
                       "spec.dataset.options.train_fraction: got \"10%\", expected a number"));
  EXPECT_TRUE(
      contains(message({{"fraction", 0.1}}, none),
               "chime2: spec.dataset.options.fraction: unknown field; expected one of snrs, "
               "train_fraction"));
  EXPECT_TRUE(contains(message({{"snrs", {0, 5}}}, none),
                       "spec.dataset.options.snrs: got [0,5], expected a non-empty list of SNRs"));
  EXPECT_TRUE(contains(message({{"snrs", Json::array()}}, none), "spec.dataset.options.snrs"));
  EXPECT_TRUE(contains(message(Json::array(), none), "spec.dataset.options: got []"));
  EXPECT_TRUE(contains(message(Json::object(), [](const Dataset& d) { d.example_ids("eval"); }),
                       "chime2: unknown split 'eval'; expected one of train, dev, test"));
  EXPECT_TRUE(
      contains(message(Json::object(), [](const Dataset& d) { d.load("dev", "m6dB/050/nope"); }),
               "no example 'm6dB/050/nope' in split dev"));

  const fs::path dev_file = fs::path("si_dt_05/0dB/wsj0/si_dt_05/050/050a0101.wav");
  testing::write_audio_file(
      root / "scaled" / dev_file, SF_FORMAT_WAV | SF_FORMAT_FLOAT,
      std::vector<Signal>{Signal::Zero(kLength - 1), Signal::Zero(kLength - 1)}, kRate);
  const auto mismatch =
      message(Json::object(), [](const Dataset& d) { d.load("dev", "0dB/050/050a0101"); });
  EXPECT_TRUE(contains(mismatch, "has 1600 samples at 16000 Hz but '" +
                                     (root / "scaled" / dev_file).string() +
                                     "' has 1599 at 16000 Hz; expected sample-aligned files"))
      << mismatch;
  testing::write_audio_file(root / "scaled" / dev_file, SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                            std::vector<Signal>{Signal::Zero(kLength), Signal::Zero(kLength)},
                            8000);
  EXPECT_TRUE(
      contains(message(Json::object(), [](const Dataset& d) { d.load("dev", "0dB/050/050a0101"); }),
               "has 1600 at 8000 Hz"));

  fs::remove(root / "scaled" / dev_file);
  EXPECT_TRUE(contains(message(Json::object(), [](const Dataset& d) { d.example_ids("dev"); }),
                       "chime2: 'isolated/" + dev_file.string() + "' has no clean speech 'scaled/" +
                           dev_file.string() + "' under root '" + root.string() + "'"));
  fs::remove_all(root / "isolated" / "si_et_05" / "6dB");
  const auto missing_snr = message(Json::object(), [](const Dataset& d) { d.example_ids("test"); });
  EXPECT_TRUE(
      contains(missing_snr, "chime2: folder 'isolated/si_et_05/6dB' is missing under root '" +
                                root.string() + "'; expected <root>/{isolated,scaled}/"))
      << missing_snr;
  // Without that SNR the split is whole again.
  EXPECT_EQ(message({{"snrs", {-6, -3, 0, 3, 9}}}, [](const Dataset& d) { d.example_ids("test"); }),
            "");
  fs::remove_all(root / "scaled");
  EXPECT_TRUE(
      contains(message(Json::object(), none), "chime2: folder 'scaled' is missing under root '"));
  EXPECT_TRUE(contains(testing::error_message([&] {
                         make_dataset("chime2", {root / "nope", 8000, Json::object()});
                       }),
                       "is not a folder; expected the CHiME2 track 2 folder"));
}

}  // namespace
}  // namespace nmfbench::data
