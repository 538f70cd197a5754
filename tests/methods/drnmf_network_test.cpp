#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/autodiff/gradient_check.hpp"
#include "core/autodiff/ops.hpp"
#include "core/optim/optimizers.hpp"
#include "core/random.hpp"
#include "methods/drnmf/ista.hpp"
#include "methods/drnmf/network.hpp"
#include "methods/drnmf_reference.hpp"
#include "test_support.hpp"

namespace nmfbench::drnmf {
namespace {

using testing::case_of;
using testing::expect_gradients_match_differences;
using testing::read;
using testing::read_flat;
using testing::slice;

// A DR-NMF reference case: its batch, raw parameters and network options.
struct Case {
  explicit Case(const std::string& name) : c(case_of(name)) {
    const Json& p = c["params"];
    const std::string in = c["inputs_of"].get<std::string>() + "_";
    F = p["F"].get<Eigen::Index>();
    options = {
        .speech = p["Ny"].get<Eigen::Index>(),
        .ista = {.layers = p["K"].get<int>(),
                 .first_layer = p["first_layer"] == "ista" ? FirstLayer::ista : FirstLayer::code,
                 .lambda = p["lam1"].get<Real>(),
                 .eps = p["eps"].get<Real>()},
        .mask_eps = p["mask_eps"].get<Real>()};
    N = options.speech + p["Nv"].get<Eigen::Index>();
    lengths = p["lengths"].get<std::vector<Eigen::Index>>();
    const auto x = read_flat(in + "X.npy"), y = read_flat(in + "Y.npy");
    Tpad = static_cast<Eigen::Index>(x.size()) / (F * static_cast<Eigen::Index>(lengths.size()));
    std::vector<Array> xs, ys;
    for (std::size_t b = 0; b < lengths.size(); ++b) {
      xs.push_back(slice(x, b, F, Tpad).leftCols(lengths[b]));
      ys.push_back(slice(y, b, F, Tpad).leftCols(lengths[b]));
    }
    batch = SequenceBatch::pack(xs, ys);
    parameters = read_parameters(in, "");
  }

  // The raw parameters in the reference's files `prefix` + name (Wr, ar, h0r, Wyr, Wvr).
  ParameterSet read_parameters(const std::string& prefix, const std::string& kind) const {
    ParameterSet p;
    const auto wr = read_flat(prefix + kind + "Wr.npy");
    for (int k = 0; k < options.ista.layers; ++k)
      p.add("Wr" + std::to_string(k + 1), slice(wr, static_cast<std::size_t>(k), F, N));
    p.add("ar", read(prefix + kind + "ar.npy"));
    p.add("h0r", read(prefix + kind + "h0r.npy"));
    p.add("Wyr", read(prefix + kind + "Wyr.npy"));
    p.add("Wvr", read(prefix + kind + "Wvr.npy"));
    return p;
  }

  // Sequence b of a B x rows x Tpad reference array, valid frames only.
  Array sequence(const std::string& file, std::size_t b, Eigen::Index rows, std::size_t inner = 0,
                 std::size_t inner_count = 1) const {
    return slice(read_flat(file), b * inner_count + inner, rows, Tpad).leftCols(lengths[b]);
  }

  const Json& c;
  NetworkOptions options;
  Eigen::Index F, N, Tpad;
  std::vector<Eigen::Index> lengths;
  SequenceBatch batch;
  ParameterSet parameters;
};

void expect_close(const Array& got, const Array& want, Real tolerance, const std::string& what) {
  ASSERT_EQ(got.rows(), want.rows()) << what;
  ASSERT_EQ(got.cols(), want.cols()) << what;
  const Real scale = std::max<Real>(1e-300, want.abs().maxCoeff());
  EXPECT_LE((got - want).abs().maxCoeff(), tolerance * scale) << what;
}

// Every case in both forms of the ISTA terms.
class DrNmfReference : public ::testing::TestWithParam<std::tuple<std::string, Form>> {
 protected:
  std::string name() const { return std::get<0>(GetParam()); }
  Case make() const {
    Case c(name());
    c.options.ista.form = std::get<1>(GetParam());
    return c;
  }
};

TEST_P(DrNmfReference, ForwardMatchesEveryLayerFrameAndTheMask) {
  const Case c = make();
  const std::string name = this->name() + "_";
  const Forward out = Network(c.options).forward(c.parameters, c.batch);
  for (std::size_t b = 0; b < c.lengths.size(); ++b) {
    for (int k = 0; k < c.options.ista.layers; ++k)
      expect_close(c.batch.unpack(out.h[k], b),
                   c.sequence(name + "h.npy", b, c.N, k, c.options.ista.layers), 1e-10,
                   "h layer " + std::to_string(k + 1) + " sequence " + std::to_string(b));
    expect_close(c.batch.unpack(out.mask, b), c.sequence(name + "mask.npy", b, c.F), 1e-10, "mask");
    expect_close(c.batch.unpack(out.mask * c.batch.x, b), c.sequence(name + "est.npy", b, c.F),
                 1e-10, "estimate");
  }
}

TEST_P(DrNmfReference, LossAndEveryGradientMatch) {
  Case c = make();
  const std::string name = this->name() + "_";
  const Real loss = Network(c.options).loss(c.parameters, c.batch, true);
  EXPECT_NEAR(loss, c.c["loss"].get<Real>(), 1e-10 * loss);
  EXPECT_NEAR(loss * static_cast<Real>(c.F * c.batch.valid_frames()), c.c["loss_sum"].get<Real>(),
              1e-10 * c.c["loss_sum"].get<Real>());
  const ParameterSet want = c.read_parameters(name, "grad_");
  for (const auto& p : want.names())
    expect_close(c.parameters.grad(p), want.value(p), 1e-8, "gradient of " + p);
}

TEST_P(DrNmfReference, OneKerasAdamStepMatches) {
  Case c = make();
  Network(c.options).loss(c.parameters, c.batch, true);
  Adam({.lr = c.c["params"]["adam_lr"].get<Real>(), .keras = true}).step(c.parameters);
  const ParameterSet want = c.read_parameters(name() + "_", "adam_");
  for (const auto& p : want.names())
    expect_close(c.parameters.value(p), want.value(p), 1e-10, "parameter " + p);
}

INSTANTIATE_TEST_SUITE_P(Cases, DrNmfReference,
                         ::testing::Combine(::testing::Values("small", "small_ista", "case2"),
                                            ::testing::Values(Form::factored, Form::gram)),
                         [](const auto& info) {
                           return std::get<0>(info.param) +
                                  (std::get<1>(info.param) == Form::gram ? "_gram" : "_factored");
                         });

TEST(DrNmfNetwork, GradientsMatchFiniteDifferences) {
  for (const std::string name : {"small", "small_ista"}) {
    for (const Form form : {Form::factored, Form::gram}) {
      Case c(name);
      c.options.ista.form = form;
      const Network network(c.options);
      network.loss(c.parameters, c.batch, true);
      expect_gradients_match_differences(
          c.parameters, [&] { return network.loss(c.parameters, c.batch, false); }, 7, 1e-9, name);
    }
  }
}

// The recurrence's node alone, every input differentiated (x too), in both forms and with both
// first layers: 2 sequences of 3 frames, K = 2, F = 4, N = 3; lambda closes some of the gates.
TEST(DrNmfNetwork, UnfoldedIstaGradientsMatchFiniteDifferences) {
  RandomStream rng(11, "unfolded-ista");
  const std::vector<Array> inputs = {rng.uniform_array(4, 6, 0.5, 2),
                                     rng.uniform_array(4, 3, 0.2, 1),
                                     rng.uniform_array(4, 3, 0.2, 1), rng.uniform_array(2, 1, 2, 4),
                                     rng.uniform_array(3, 1, 0.1, 1)};
  const Array projection = rng.uniform_array(3, 6, -1, 1);
  for (const FirstLayer first : {FirstLayer::code, FirstLayer::ista}) {
    for (const Form form : {Form::factored, Form::gram}) {
      const UnfoldingOptions o{
          .layers = 2, .first_layer = first, .lambda = 1.5, .eps = 1e-3, .form = form};
      {
        ad::Tape tape;
        const auto v = [&](std::size_t i) { return tape.constant(inputs[i]); };
        const Array top = unfolded_ista(v(0), {v(1), v(2)}, v(3), v(4), 2, o).top.value();
        ASSERT_TRUE((top == 0).any() && (top > 0).any());
      }
      const ad::GradientCheck check = ad::check_gradients(
          [&](ad::Tape& tape, const std::vector<ad::Var>& v) {
            const ad::Var top = unfolded_ista(v[0], {v[1], v[2]}, v[3], v[4], 2, o).top;
            return ad::sum(top * tape.constant(projection));
          },
          inputs);
      EXPECT_LT(check.max_relative_error, 1e-7) << check.worst;
    }
  }
  ad::Tape tape;
  const auto var = [&](std::size_t i) { return tape.constant(inputs[i]); };
  EXPECT_NE(nmfbench::testing::error_message([&] {
              unfolded_ista(var(0), {var(1), var(2)}, var(3), var(4), 4, {});
            }).find("are not frames of 4 sequences"),
            std::string::npos);
  EXPECT_NE(nmfbench::testing::error_message([&] {
              unfolded_ista(var(0), {var(1), var(0)}, var(3), var(4), 2, {});
            }).find("dictionary 2 is 4 x 6"),
            std::string::npos);
}

// A batch large enough that each frame's products are split across the two threads gives what
// its sequences give alone (where nothing is split), for the output and every gradient, and
// the same bits on one thread and on two: F = 129, N = 1100, 32 sequences of 2 frames.
TEST(DrNmfNetwork, SplitProductsGiveWhatEachSequenceGivesAlone) {
  constexpr Eigen::Index F = 129, N = 1100, B = 32, frames = 2;
  RandomStream rng(12, "unfolded-ista-split");
  Array w = rng.uniform_array(F, N, 0.05, 1);
  w.rowwise() /= w.matrix().colwise().norm().array();
  const std::vector<Array> inputs = {rng.uniform_array(F, B * frames, 0, 0.5), w,
                                     rng.uniform_array(F, N, 0.05, 0.1), Array::Constant(2, 1, 40),
                                     rng.uniform_array(N, 1, 0, 0.1)};
  const Array projection = rng.uniform_array(N, B * frames, -1, 1);
  // Columns of sequence b: frame t is column t B + b.
  const auto sequence = [&](const Array& a, Eigen::Index b) {
    Array out(a.rows(), frames);
    for (Eigen::Index t = 0; t < frames; ++t) out.col(t) = a.col(t * B + b);
    return out;
  };
  struct Result {
    Array top;
    std::vector<Array> grads;
  };
  const auto run = [](const std::vector<Array>& in, const Array& p, Eigen::Index sequences,
                      const UnfoldingOptions& o) {
    ad::Tape tape;
    std::vector<ad::Var> v;
    for (const Array& a : in) v.push_back(tape.variable(a));
    const ad::Var top = unfolded_ista(v[0], {v[1], v[2]}, v[3], v[4], sequences, o).top;
    tape.backward(ad::sum(top * tape.constant(p)));
    Result r{top.value(), {}};
    for (const ad::Var& x : v) r.grads.push_back(tape.grad(x));
    return r;
  };
  for (const Form form : {Form::factored, Form::gram}) {
    const UnfoldingOptions o{.layers = 2, .lambda = 0.01, .form = form};
    Result one, two;
    {
      const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 1);
      one = run(inputs, projection, B, o);
    }
    {
      const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
      two = run(inputs, projection, B, o);
    }
    ASSERT_TRUE((one.top == two.top).all());
    for (std::size_t i = 0; i < one.grads.size(); ++i)
      ASSERT_TRUE((one.grads[i] == two.grads[i]).all()) << "input " << i;
    Result alone{Array::Zero(N, B * frames), {}};
    for (const Array& a : inputs) alone.grads.push_back(Array::Zero(a.rows(), a.cols()));
    for (Eigen::Index b = 0; b < B; ++b) {
      std::vector<Array> in = inputs;
      in[0] = sequence(inputs[0], b);
      const Result r = run(in, sequence(projection, b), 1, o);
      for (Eigen::Index t = 0; t < frames; ++t) {
        alone.top.col(t * B + b) = r.top.col(t);
        alone.grads[0].col(t * B + b) = r.grads[0].col(t);
      }
      for (std::size_t i = 1; i < r.grads.size(); ++i) alone.grads[i] += r.grads[i];
    }
    expect_close(one.top, alone.top, 1e-12, "output");
    for (std::size_t i = 0; i < one.grads.size(); ++i)
      expect_close(one.grads[i], alone.grads[i], 1e-10, "gradient of input " + std::to_string(i));
  }
}

TEST(DrNmfNetwork, UntrainedTiedNetworkIsWarmStartIsta) {
  // Alg. 2 exactly: the ista form without the code's leak, one dictionary for every layer.
  const Case c("small_ista");
  const Array w = c.parameters.value("Wr1").exp();
  const Array wn = w.rowwise() / w.matrix().colwise().norm().array();
  const Real alpha = 12;
  NetworkOptions options = c.options;
  const Array uniform = Array::Constant(c.N, 1, 0.3);
  ParameterSet p = initial_parameters(wn, alpha, options, uniform);
  const Forward out = Network(options).forward(p, c.batch);
  // The network's dictionary, exp(log(1e-7 + W)) normalised.
  const Array e = p.value("Wr2").exp();
  const Array tied = e.rowwise() / e.matrix().colwise().norm().array();
  const Array h0 = (1 + p.value("h0r").exp()).log();
  const Ista ista(tied, {.alpha = std::exp(p.value("ar")(0)), .lambda = options.ista.lambda});
  for (std::size_t b = 0; b < c.lengths.size(); ++b)
    expect_close(c.batch.unpack(out.h.back(), b),
                 ista.warm_start(c.batch.unpack(c.batch.x, b), h0, options.ista.layers), 1e-10,
                 "sequence " + std::to_string(b));
}

TEST(DrNmfSequences, SplitsAsTheReference) {
  const Json& c = case_of("split");
  Eigen::Index padded = 0;
  const auto chunks = split_utterances(c["params"]["lengths"].get<std::vector<Eigen::Index>>(),
                                       c["params"]["maxlen"].get<Eigen::Index>(), padded);
  EXPECT_EQ(padded, c["Tpad"].get<Eigen::Index>());
  ASSERT_EQ(chunks.size(), c["chunks"].size());
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].utterance, c["chunks"][i][0].get<std::size_t>());
    EXPECT_EQ(chunks[i].start, c["chunks"][i][1].get<Eigen::Index>());
    EXPECT_EQ(chunks[i].end, c["chunks"][i][2].get<Eigen::Index>());
  }
  EXPECT_THROW(split_utterances({3}, 0, padded), Error);
}

}  // namespace
}  // namespace nmfbench::drnmf
