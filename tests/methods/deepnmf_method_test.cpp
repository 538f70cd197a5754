// snmf and deep_nmf as methods: bases learnt on a split, deep NMF trained by the shared loop
// with the multiplicative optimiser, C = 0 reproducing sparse NMF, the state round trip and
// the parameter counts of Table 2.
#include <gtest/gtest.h>

#include "core/bss_eval.hpp"
#include "core/random.hpp"
#include "methods/deepnmf/dictionary.hpp"
#include "methods/registry.hpp"
#include "test_support.hpp"

namespace nmfbench::deepnmf {
namespace {

// Two sources, a harmonic "speech" and white noise, of 0.25 s at 8 kHz per example.
struct SyntheticSplit {
  Stft stft{StftConfig{.window_length = 64, .fft_size = 64, .hop = 16, .window = WindowType::hann}};
  TrainingSet set(std::size_t size, const std::string& key) const {
    return {&stft, size, [key](std::size_t i, RandomStream& rng) {
              TrainingItem item;
              const Signal speech = testing::test_signal(2000, key + std::to_string(i));
              const Signal noise = 0.3 * rng.normal_array(2000, 1).col(0);
              item.references = {speech, noise};
              item.mixture = speech + noise;
              return item;
            }};
  }
};

RunContext context_of(std::uint64_t seed) {
  return {RandomStream(seed, "config"), {}, nullptr, nullptr};
}

const Json kBases = {{"rank", 4}, {"context", 3}, {"dictionary_iterations", 10}};

std::vector<ComplexArray> estimates(Method& method, const ComplexArray& mixture, int iteration) {
  RunContext context = context_of(1);
  context.checkpoints = {iteration};
  std::vector<ComplexArray> out;
  context.report = [&](int, const std::vector<ComplexArray>& s) { out = s; };
  method.run(Task::separate, mixture, context);
  return out;
}

// snmf with the bases of kBases and deep_nmf with `deep`, each trained on `data` with the
// stream of `seed`, so that both learn the same W_bar.
std::pair<std::unique_ptr<Method>, std::unique_ptr<Method>> snmf_and_deep_nmf(
    const TrainingData& data, const Json& deep, std::uint64_t seed) {
  auto snmf = method_registry().make("snmf", Task::separate, kBases);
  auto deep_nmf = method_registry().make("deep_nmf", Task::separate, deep);
  RunContext a = context_of(seed), b = context_of(seed);
  snmf->train(Task::separate, data, a);
  deep_nmf->train(Task::separate, data, b);
  return {std::move(snmf), std::move(deep_nmf)};
}

std::vector<Real> validation_losses(const Json& summary) {
  std::vector<Real> losses;
  for (const Json& entry : summary["training_log"])
    if (entry.contains("validation_loss")) losses.push_back(entry["validation_loss"]);
  return losses;
}

TEST(DeepNmfMethod, WithoutUntiedLayersItIsSnmf) {
  const SyntheticSplit split;
  const TrainingData data{split.set(4, "train"), {}};
  Json deep = kBases;
  deep["layers"] = 5;
  deep["untied"] = 0;
  deep["epochs"] = 0;
  const auto [snmf, deep_nmf] = snmf_and_deep_nmf(data, deep, 3);
  RandomStream rng = context_of(3).rng;
  const ComplexArray mixture = split.stft.forward(data.train.draw(1, rng).mixture);
  const auto x = estimates(*snmf, mixture, 5), y = estimates(*deep_nmf, mixture, 5);
  ASSERT_EQ(x.size(), 2u);
  for (std::size_t l = 0; l < x.size(); ++l) EXPECT_TRUE((x[l] == y[l]).all());
}

TEST(DeepNmfMethod, TrainingLowersTheLossAndTheStateTravels) {
  const SyntheticSplit split;
  const TrainingData data{split.set(6, "train"), split.set(3, "validation")};
  Json p = kBases;
  p["layers"] = 3;
  p["untied"] = 2;
  p["epochs"] = 6;
  p["batch_size"] = 2;
  auto method = method_registry().make("deep_nmf", Task::separate, p);
  RunContext context = context_of(4);
  method->train(Task::separate, data, context);
  const Json summary = method->summary();
  const std::vector<Real> validation = validation_losses(summary);
  ASSERT_GE(validation.size(), 2u);
  EXPECT_LT(*std::min_element(validation.begin() + 1, validation.end()), validation.front());
  // F = 33 bins, R = 4 + 4, context 3, C = 2.
  EXPECT_EQ(summary["parameters"]["D_F"], 3 * 33 * 8);
  EXPECT_EQ(summary["parameters"]["P_D"], 2 * 33 * 8);
  EXPECT_EQ(summary["parameters"]["P"], 5 * 33 * 8);

  auto loaded = method_registry().make("deep_nmf", Task::separate, p);
  loaded->load_state(Json::parse(method->save_state().dump()));
  const ComplexArray mixture = split.stft.forward(data.validation.draw(0, context.rng).mixture);
  const auto x = estimates(*method, mixture, 3), y = estimates(*loaded, mixture, 3);
  for (std::size_t l = 0; l < x.size(); ++l) EXPECT_TRUE((x[l] == y[l]).all());
}

// Paper 001's claim in small: trained from sparse NMF's bases, deep NMF lowers its validation
// loss and separates the speech of unseen mixtures better than sparse NMF with as many
// iterations.
TEST(DeepNmfMethod, TrainingRaisesSpeechSdrOverSnmfOnUnseenMixtures) {
  const SyntheticSplit split;
  const TrainingData data{split.set(6, "train"), split.set(3, "validation")};
  const TrainingSet dev = split.set(4, "dev");
  Json deep = kBases;
  deep["layers"] = 3;
  deep["untied"] = 2;
  deep["epochs"] = 6;
  deep["batch_size"] = 2;
  const auto [sparse, deep_nmf] = snmf_and_deep_nmf(data, deep, 5);
  const std::vector<Real> validation = validation_losses(deep_nmf->summary());
  ASSERT_GE(validation.size(), 2u);
  EXPECT_LT(validation.back(), validation.front());
  const auto speech_sdr = [&](Method& method) {
    Real total = 0;
    for (std::size_t i = 0; i < dev.size; ++i) {
      RandomStream rng(9, "dev" + std::to_string(i));
      const TrainingItem item = dev.draw(i, rng);
      const ComplexArray mixture = split.stft.forward(item.mixture);
      std::vector<Signal> separated;
      for (const ComplexArray& s : estimates(method, mixture, 3))
        separated.push_back(split.stft.inverse(s, item.mixture.size()));
      total += bss_eval_sources(item.references, separated, false).sdr[0];
    }
    return total / static_cast<Real>(dev.size);
  };
  const Real gain = speech_sdr(*deep_nmf) - speech_sdr(*sparse);
  EXPECT_GT(gain, 0.5);
}

// A burst of sound then silence: most context frames that hear the burst have a silent
// current frame, which would give deep NMF's untied bases an all-zero column (and a NaN
// norm) if it were an exemplar.
TEST(DeepNmfMethod, ExemplarsHaveASoundingCurrentFrame) {
  const SyntheticSplit split;
  const TrainingSet bursts{&split.stft, 3, [](std::size_t i, RandomStream&) {
                             Signal burst = Signal::Zero(2000);
                             burst.head(40) = testing::test_signal(40, "burst" + std::to_string(i));
                             return TrainingItem{burst, {burst}, {}};
                           }};
  RunContext context = context_of(2);
  const DictionaryOptions options{.rank = 6, .context = 9, .iterations = 5};
  const Array w_bar = learn_context_bases(bursts, options, context, "test");
  EXPECT_GT(w_bar.bottomRows(split.stft.bins()).colwise().maxCoeff().minCoeff(), 0);
}

TEST(DeepNmfMethod, DnnMaskTrainsWithEarlyStoppingAndReportsOnce) {
  const SyntheticSplit split;
  const TrainingData data{split.set(6, "train"), split.set(3, "validation")};
  const Json p = {{"context", 3}, {"epochs", 8}, {"batch_size", 2}, {"learning_rate", 0.002}};
  auto method = method_registry().make("dnn_mask", Task::separate, p);
  RunContext context = context_of(6);
  method->train(Task::separate, data, context);
  const Json summary = method->summary();
  const std::vector<Real> validation = validation_losses(summary);
  ASSERT_GE(validation.size(), 2u);
  EXPECT_LT(*std::min_element(validation.begin() + 1, validation.end()), validation.front());
  EXPECT_EQ(summary["parameters"]["P"], (99 + 1) * 256 + 2 * 257 * 256 + 257 * 33);
  const ComplexArray mixture = split.stft.forward(data.validation.draw(0, context.rng).mixture);
  const auto sources = estimates(*method, mixture, 0);
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_LT((sources[0] + sources[1] - mixture).abs().maxCoeff(), 1e-12);
}

TEST(DeepNmfMethod, RefusesWhatItCannotUse) {
  Json p = kBases;
  p["optimizer"] = "adam";
  EXPECT_NE(testing::error_message([&] {
              method_registry().make("deep_nmf", Task::separate, p);
            }).find("only under 'multiplicative'"),
            std::string::npos);
  auto snmf = method_registry().make("snmf", Task::separate, kBases);
  EXPECT_NE(testing::error_message([&] {
              estimates(*snmf, ComplexArray::Ones(33, 10), 1);
            }).find("snmf: the context bases were never learnt"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              snmf->load_state(Json::object());
            }).find("snmf state: expected a field 'bases'"),
            std::string::npos);
  const SyntheticSplit split;
  Json big = kBases;
  big["rank"] = 5000;
  auto greedy = method_registry().make("snmf", Task::separate, big);
  RunContext context = context_of(1);
  EXPECT_NE(testing::error_message([&] {
              greedy->train(Task::separate, {split.set(1, "t"), {}}, context);
            }).find("fewer than rank = 5000"),
            std::string::npos);
}

}  // namespace
}  // namespace nmfbench::deepnmf
