// Finite-difference checks of every autodiff op over several shapes, 1x1 included.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/autodiff/gradient_check.hpp"
#include "core/autodiff/ops.hpp"
#include "core/metrics.hpp"
#include "core/parts.hpp"
#include "core/random.hpp"
#include "test_support.hpp"

namespace nmfbench::ad {
namespace {

constexpr Real kTol = 1e-6;

using Shape = std::pair<Eigen::Index, Eigen::Index>;
const std::vector<Shape> kShapes = {{1, 1}, {3, 4}, {5, 1}, {1, 6}};

Array random(Shape s, const std::string& key, Real low = -2, Real high = 2) {
  return RandomStream(11, key).uniform_array(s.first, s.second, low, high);
}

// Reduces an op's output to a scalar with fixed random weights, so that every output
// element's gradient path is exercised with a different weight.
Var project(const Var& y) {
  const Array w =
      RandomStream(5, "weights" + std::to_string(y.rows()) + "x" + std::to_string(y.cols()))
          .uniform_array(y.rows(), y.cols(), -1, 1);
  return sum(y * y.tape().constant(w));
}

void expect_gradients(const std::string& what, const ScalarFunction& f,
                      const std::vector<Array>& inputs, Real tol = kTol) {
  const GradientCheck check = check_gradients(f, inputs);
  EXPECT_LT(check.max_relative_error, tol) << what << ": " << check.worst;
}

using Unary = Var (*)(const Var&);

TEST(AutodiffOps, UnaryFunctions) {
  struct Case {
    const char* name;
    std::function<Var(const Var&)> op;
    Real low, high;  // input range: away from poles and kinks
  };
  const std::vector<Case> cases = {
      {"exp", [](const Var& x) { return exp(x); }, -2, 2},
      {"log", [](const Var& x) { return log(x); }, 0.5, 3},
      {"pow 1.7", [](const Var& x) { return pow(x, 1.7); }, 0.5, 3},
      {"pow -0.5", [](const Var& x) { return pow(x, -0.5); }, 0.5, 3},
      {"square", [](const Var& x) { return square(x); }, -2, 2},
      {"sqrt", [](const Var& x) { return sqrt(x); }, 0.5, 3},
      {"abs", [](const Var& x) { return abs(x); }, 0.1, 2},
      {"abs negative", [](const Var& x) { return abs(x); }, -2, -0.1},
      {"clamp_min", [](const Var& x) { return clamp_min(x, 0.0); }, -2, 2},
      {"relu", [](const Var& x) { return relu(x); }, -2, 2},
      {"softplus", [](const Var& x) { return softplus(x); }, -3, 3},
      {"sigmoid", [](const Var& x) { return sigmoid(x); }, -3, 3},
      {"tanh", [](const Var& x) { return tanh(x); }, -2, 2},
      {"elu", [](const Var& x) { return elu(x, 1.3); }, -2, 2},
      {"negate", [](const Var& x) { return -x; }, -2, 2},
      {"x + 2", [](const Var& x) { return x + 2.0; }, -2, 2},
      {"3 - x", [](const Var& x) { return 3.0 - x; }, -2, 2},
      {"x * 1.5", [](const Var& x) { return 1.5 * x; }, -2, 2},
      {"x / 4", [](const Var& x) { return x / 4.0; }, -2, 2},
      {"2 / x", [](const Var& x) { return 2.0 / x; }, 0.5, 2},
  };
  for (const auto& c : cases) {
    for (const auto& shape : kShapes) {
      Array x = random(shape, c.name, c.low, c.high);
      // Keep clamp/relu inputs off the kink, where the derivative is one-sided.
      if (std::string(c.name) == "clamp_min" || std::string(c.name) == "relu") {
        x = (x.abs() < 0.05).select(x + 0.1, x);
      }
      expect_gradients(std::string(c.name) + " " + std::to_string(shape.first) + "x" +
                           std::to_string(shape.second),
                       [&](Tape&, const std::vector<Var>& v) { return project(c.op(v[0])); }, {x});
    }
  }
}

TEST(AutodiffOps, BinaryArithmeticWithBroadcasting) {
  const std::vector<std::pair<Shape, Shape>> pairs = {
      {{3, 4}, {3, 4}}, {{1, 1}, {1, 1}}, {{3, 4}, {1, 1}}, {{1, 1}, {3, 4}},
      {{3, 4}, {3, 1}}, {{3, 1}, {3, 4}}, {{3, 4}, {1, 4}}, {{1, 4}, {3, 4}}};
  const std::vector<std::pair<const char*, std::function<Var(const Var&, const Var&)>>> ops = {
      {"+", [](const Var& a, const Var& b) { return a + b; }},
      {"-", [](const Var& a, const Var& b) { return a - b; }},
      {"*", [](const Var& a, const Var& b) { return a * b; }},
      {"/", [](const Var& a, const Var& b) { return a / b; }}};
  for (const auto& [name, op] : ops) {
    for (const auto& [sa, sb] : pairs) {
      const Array a = random(sa, "a", 0.5, 2), b = random(sb, "b", 0.5, 2);
      const std::string what = std::string(name) + " " + std::to_string(sa.first) + "x" +
                               std::to_string(sa.second) + " with " + std::to_string(sb.first) +
                               "x" + std::to_string(sb.second);
      expect_gradients(
          what, [&](Tape&, const std::vector<Var>& v) { return project(op(v[0], v[1])); }, {a, b});
    }
  }
}

TEST(AutodiffOps, Glu) {
  for (Shape s : {Shape{2, 1}, Shape{4, 3}, Shape{2, 6}}) {
    expect_gradients(
        "glu rows",
        [&](Tape&, const std::vector<Var>& v) { return project(glu(v[0], Axis::rows)); },
        {random(s, "glu")});
  }
  for (Shape s : {Shape{1, 2}, Shape{3, 4}, Shape{5, 6}}) {
    expect_gradients(
        "glu cols",
        [&](Tape&, const std::vector<Var>& v) { return project(glu(v[0], Axis::cols)); },
        {random(s, "glu")});
  }
}

TEST(AutodiffOps, MatmulWithTransposes) {
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      for (auto [m, k, n] :
           {std::array<Eigen::Index, 3>{1, 1, 1}, {3, 4, 5}, {1, 3, 1}, {4, 1, 2}}) {
        const Array a = ta ? random({k, m}, "a") : random({m, k}, "a");
        const Array b = tb ? random({n, k}, "b") : random({k, n}, "b");
        expect_gradients(
            "matmul",
            [&](Tape&, const std::vector<Var>& v) { return project(matmul(v[0], v[1], ta, tb)); },
            {a, b});
      }
    }
  }
}

TEST(AutodiffOps, ReductionsNormalisationsAndSlices) {
  const std::vector<std::pair<const char*, std::function<Var(const Var&)>>> ops = {
      {"sum", [](const Var& x) { return sum(x); }},
      {"mean", [](const Var& x) { return mean(x); }},
      {"column_sums", [](const Var& x) { return column_sums(x); }},
      {"row_sums", [](const Var& x) { return row_sums(x); }},
      {"column_means", [](const Var& x) { return column_means(x); }},
      {"row_means", [](const Var& x) { return row_means(x); }},
      {"normalize_columns_sum", [](const Var& x) { return normalize_columns_sum(x); }},
      {"normalize_columns_l2", [](const Var& x) { return normalize_columns_l2(x); }},
      {"slice_rows", [](const Var& x) { return slice_rows(x, x.rows() / 2, (x.rows() + 1) / 2); }},
      {"slice_cols", [](const Var& x) { return slice_cols(x, x.cols() / 2, (x.cols() + 1) / 2); }},
      {"concat_rows",
       [](const Var& x) {
         return concat_rows({x, square(x), x});
       }},
      {"concat_cols",
       [](const Var& x) {
         return concat_cols({x, exp(x)});
       }},
  };
  for (const auto& [name, op] : ops) {
    for (const auto& shape : kShapes) {
      expect_gradients(name, [&](Tape&, const std::vector<Var>& v) { return project(op(v[0])); },
                       {random(shape, name, 0.2, 2)});
    }
  }
}

TEST(AutodiffOps, Conv1d) {
  for (bool causal : {true, false}) {
    for (auto [cin, cout, taps, frames] :
         {std::array<Eigen::Index, 4>{1, 1, 1, 1}, {3, 2, 3, 7}, {2, 4, 5, 4}}) {
      expect_gradients(
          causal ? "conv1d causal" : "conv1d anticausal",
          [&](Tape&, const std::vector<Var>& v) { return project(conv1d(v[0], v[1], causal)); },
          {random({cin, frames}, "x"), random({cout, taps * cin}, "w")});
    }
  }
}

TEST(AutodiffOps, Lstm) {
  for (bool hard : {false, true}) {
    for (auto [inputs, hidden, sequences, frames] :
         {std::array<Eigen::Index, 4>{1, 1, 1, 1}, {3, 2, 2, 4}, {2, 3, 3, 3}}) {
      expect_gradients(
          hard ? "lstm hard sigmoid" : "lstm",
          [&](Tape&, const std::vector<Var>& v) {
            return project(lstm(v[0], v[1], v[2], v[3], sequences, hard));
          },
          {random({inputs, sequences * frames}, "x"), random({4 * hidden, inputs}, "w_ih"),
           random({4 * hidden, hidden}, "w_hh"), random({4 * hidden, 1}, "bias")});
    }
  }
}

// One step of the recurrence written out for a single sequence of two frames.
TEST(AutodiffOps, LstmMatchesTheDefinition) {
  Tape tape;
  const Array x = random({2, 2}, "x"), w_ih = random({4, 2}, "w_ih"), w_hh = random({4, 1}, "w_hh"),
              bias = random({4, 1}, "bias");
  const Array h =
      lstm(tape.constant(x), tape.constant(w_ih), tape.constant(w_hh), tape.constant(bias), 1)
          .value();
  const auto sigmoid = [](Real z) { return 1 / (1 + std::exp(-z)); };
  Real h_prev = 0, c = 0;
  for (Eigen::Index t = 0; t < 2; ++t) {
    const Eigen::Vector4d z =
        w_ih.matrix() * x.matrix().col(t) + bias.matrix().col(0) + w_hh.matrix().col(0) * h_prev;
    c = sigmoid(z(1)) * c + sigmoid(z(0)) * std::tanh(z(2));
    h_prev = sigmoid(z(3)) * std::tanh(c);
    EXPECT_NEAR(h(0, t), h_prev, 1e-14) << t;
  }
  EXPECT_NE(testing::error_message([&] {
              lstm(tape.constant(x), tape.constant(w_ih), tape.constant(w_hh), tape.constant(bias),
                   3);
            }).find("are not frames of 3 sequences"),
            std::string::npos);
}

TEST(AutodiffOps, Conv1dMatchesTheDefinition) {
  Tape tape;
  const Array x = random({2, 6}, "x"), w = random({3, 2 * 3}, "w");
  const Array y = conv1d(tape.constant(x), tape.constant(w), true).value();
  for (Eigen::Index t = 0; t < 6; ++t) {
    Eigen::VectorXd expected = Eigen::VectorXd::Zero(3);
    for (Eigen::Index k = 0; k < 3 && k <= t; ++k) {
      expected += w.matrix().middleCols(k * 2, 2) * x.matrix().col(t - k);
    }
    EXPECT_LT((y.matrix().col(t) - expected).norm(), 1e-12) << t;
  }
}

// Above kPartedMultiplyAdds the products run in parts (frames for the output and dL/dx, the
// more numerous channels for dL/dW, through X G^T when those are the input's): the output and
// both gradients against the definition, and the same bits on one and two threads.
TEST(AutodiffOps, Conv1dInPartsMatchesTheDefinitionOnOneAndTwoThreads) {
  for (bool causal : {true, false}) {
    // Both splits of dL/dW, each also with more taps than frames.
    for (auto [cin, cout, taps, frames] : {std::array<Eigen::Index, 4>{40, 30, 3, 1201},
                                           {30, 40, 3, 1201},
                                           {200, 150, 120, 3},
                                           {150, 200, 120, 3}}) {
      ASSERT_GE(static_cast<double>(cin * cout * taps * frames), kPartedMultiplyAdds);
      const Array x = random({cin, frames}, "x"), w = random({cout, taps * cin}, "w");
      const Array r = random({cout, frames}, "r");  // dL/dy of L = sum(r .* y)
      struct Results {
        Array y, dx, dw;
      };
      const auto run = [&](std::size_t threads) {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        Tape tape;
        const Var xv = tape.variable(x), wv = tape.variable(w);
        const Var y = conv1d(xv, wv, causal);
        tape.backward(sum(y * tape.constant(r)));
        return Results{y.value(), tape.grad(xv), tape.grad(wv)};
      };
      const Results one = run(1), two = run(2);
      EXPECT_TRUE((one.y == two.y).all() && (one.dx == two.dx).all() && (one.dw == two.dw).all())
          << cin << " " << cout << " " << taps << " " << causal;
      Eigen::MatrixXd y = Eigen::MatrixXd::Zero(cout, frames),
                      dx = Eigen::MatrixXd::Zero(cin, frames),
                      dw = Eigen::MatrixXd::Zero(cout, taps * cin);
      for (Eigen::Index k = 0; k < taps; ++k) {
        const auto wk = w.matrix().middleCols(k * cin, cin);
        for (Eigen::Index t = 0; t < frames; ++t) {
          const Eigen::Index source = causal ? t - k : t + k;
          if (source < 0 || source >= frames) continue;
          y.col(t) += wk * x.matrix().col(source);
          dx.col(source) += wk.transpose() * r.matrix().col(t);
          dw.middleCols(k * cin, cin) += r.matrix().col(t) * x.matrix().col(source).transpose();
        }
      }
      EXPECT_LT((two.y.matrix() - y).cwiseAbs().maxCoeff(), 1e-12);
      EXPECT_LT((two.dx.matrix() - dx).cwiseAbs().maxCoeff(), 1e-12);
      EXPECT_LT((two.dw.matrix() - dw).cwiseAbs().maxCoeff(), 1e-10);
    }
  }
}

TEST(AutodiffOps, Losses) {
  const Signal ref = random({40, 1}, "ref").col(0);
  expect_gradients("si_sdr", [&](Tape&, const std::vector<Var>& v) { return si_sdr(ref, v[0]); },
                   {Array(ref + 0.5 * random({40, 1}, "noise").col(0))});
  expect_gradients("loss_ma", [&](Tape&, const std::vector<Var>& v) { return loss_ma(ref, v[0]); },
                   {Array(ref + 0.5 * random({40, 1}, "noise").col(0))});
  for (const auto& shape : kShapes) {
    expect_gradients("mse", [&](Tape&, const std::vector<Var>& v) { return mse(v[0], v[1]); },
                     {random(shape, "a"), random(shape, "b")});
    expect_gradients("kl",
                     [&](Tape&, const std::vector<Var>& v) { return kl_divergence(v[0], v[1]); },
                     {random(shape, "a", 0.2, 2), random(shape, "b", 0.2, 2)});
  }
}

TEST(AutodiffOps, LossValuesMatchTheMetrics) {
  Tape tape;
  const Signal ref = random({50, 1}, "ref").col(0);
  const Signal est = ref + 0.3 * random({50, 1}, "n").col(0);
  EXPECT_DOUBLE_EQ(si_sdr(ref, tape.variable(est)).scalar(), nmfbench::si_sdr(ref, est));
  EXPECT_DOUBLE_EQ(loss_ma(ref, tape.variable(est)).scalar(), nmfbench::loss_ma(ref, est));
  Array a(1, 2), b(1, 2);
  a << 0.0, 2.0;
  b << 1.0, 1.0;
  // 0 log 0 = 0: D = (0 - 0 + 1) + (2 log 2 - 2 + 1).
  EXPECT_NEAR(kl_divergence(tape.constant(a), tape.constant(b)).scalar(), 2 * std::log(2.0), 1e-15);
}

}  // namespace
}  // namespace nmfbench::ad
