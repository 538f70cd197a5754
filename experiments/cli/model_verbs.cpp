#include <filesystem>
#include <iostream>

#include "core/audio_io.hpp"
#include "core/resample.hpp"
#include "core/stft.hpp"
#include "experiments/cli/verbs.hpp"
#include "experiments/model_file.hpp"

namespace nmfbench::cli {
namespace {

// Runs a trained model (a model file the sweep runner wrote under OUT/<name>/trained/) on the
// user's own recording and writes the estimates as WAV files.
int apply_model(Task task, const Args& args) {
  const std::filesystem::path model_path = args.get("model"), in = args.get("in");
  const exp::Model model = exp::read_model(model_path);
  if (model.task != task) {
    throw Error("model '" + model_path.string() + "' was trained for the task '" +
                to_string(model.task) + "'; run it with nmfbench " + to_string(model.task));
  }
  Audio audio = read_audio(in);
  if (audio.sample_rate != model.sample_rate) {
    std::cerr << "resampling '" << in.string() << "' from " << audio.sample_rate << " Hz to the "
              << model.sample_rate << " Hz the model was trained at\n";
    audio = resample(audio, model.sample_rate);
  }
  if (audio.samples.abs().maxCoeff() == 0) throw Error("'" + in.string() + "' is silent");

  const Stft stft(model.stft);
  const int iterations = args.get_int("iterations");
  if (iterations < 1) throw UsageError{"--iterations: expected a positive count"};
  std::vector<Signal> estimates;
  RunContext context{RandomStream(static_cast<std::uint64_t>(args.get_int("seed")), "apply"),
                     {iterations},
                     [&](int, const std::vector<ComplexArray>& sources) {
                       estimates.clear();
                       for (const auto& s : sources)
                         estimates.push_back(stft.inverse(s, audio.samples.size()));
                     }};
  model.method->run(task, stft.forward(audio.samples), context);
  for (const auto& estimate : estimates) {
    // The input was checked above, so a non-finite estimate comes from the model's state.
    if (!all_finite(estimate))
      throw Error("model '" + model_path.string() + "': its estimate for '" + in.string() +
                  "' is not finite; the state it holds (Phi's parameters, bases) is out of range");
  }

  const std::filesystem::path out = args.get("out");
  std::filesystem::create_directories(out);
  for (std::size_t l = 0; l < estimates.size(); ++l) {
    const std::filesystem::path file =
        out / (task == Task::denoise ? std::string("denoised.wav")
                                     : "source" + std::to_string(l + 1) + ".wav");
    write_wav(file, {estimates[l], model.sample_rate});
    std::cout << "wrote " << file.string() << "\n";
  }
  std::cout << model.label << " (" << to_string(task) << ", " << iterations << " iterations) on "
            << in.string() << "\n";
  return kExitOk;
}

void declare(Args& a, const char* default_iterations) {
  a.option("model", "FILE", "a model file the runner wrote under OUT/<spec name>/trained/")
      .option("in", "WAV", "the recording to process (resampled to the model's rate if need be)")
      .option("out", "DIR", "output folder", "out/apply")
      .option("iterations", "N", "multiplicative-update iterations", default_iterations)
      .option("seed", "N", "seed of the random initialisation", "1");
}

}  // namespace

Verb denoise_verb() {
  return {"denoise", "--model FILE --in WAV [--out DIR] [--iterations N] [--seed N]",
          "Denoise a recording with a trained model (paper 000, Algorithm 1); writes "
          "DIR/denoised.wav.",
          [](Args& a) { declare(a, "300"); },
          [](const Args& args) { return apply_model(Task::denoise, args); }};
}

Verb separate_verb() {
  return {"separate", "--model FILE --in WAV [--out DIR] [--iterations N] [--seed N]",
          "Separate a mixture with a trained model holding each source's bases (paper 000, "
          "Algorithm 2); writes DIR/source1.wav, source2.wav, ...",
          [](Args& a) { declare(a, "100"); },
          [](const Args& args) { return apply_model(Task::separate, args); }};
}

}  // namespace nmfbench::cli
