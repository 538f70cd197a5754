#include <cmath>

#include "core/array_math.hpp"
#include "core/autodiff/ops.hpp"
#include "core/parts.hpp"

namespace nmfbench::ad {
namespace {

std::string shape(const Array& x) {
  return std::to_string(x.rows()) + "x" + std::to_string(x.cols());
}

bool broadcasts_to(const Array& x, Eigen::Index rows, Eigen::Index cols) {
  return (x.rows() == rows || x.rows() == 1) && (x.cols() == cols || x.cols() == 1);
}

Array expand(const Array& x, Eigen::Index rows, Eigen::Index cols) {
  if (x.rows() == rows && x.cols() == cols) return x;
  return x.replicate(rows / x.rows(), cols / x.cols());
}

// Sums a gradient of the broadcast shape back to the operand's own shape.
Array reduce_to(const Array& g, Eigen::Index rows, Eigen::Index cols) {
  if (g.rows() == rows && g.cols() == cols) return g;
  if (rows == 1 && cols == 1) return Array::Constant(1, 1, g.sum());
  if (rows == 1) return g.colwise().sum();
  return g.rowwise().sum();
}

// An elementwise binary op. grad_a/grad_b map (g, A, B) to the gradient with respect to the
// (broadcast) operand; the equal-shape case, by far the most common, copies nothing.
template <typename Forward, typename GradA, typename GradB>
Var binary(const Var& a, const Var& b, const char* name, Forward forward, GradA grad_a,
           GradB grad_b) {
  const Eigen::Index rows = std::max(a.rows(), b.rows());
  const Eigen::Index cols = std::max(a.cols(), b.cols());
  if (!broadcasts_to(a.value(), rows, cols) || !broadcasts_to(b.value(), rows, cols)) {
    throw Error(std::string("autodiff ") + name + ": shapes " + shape(a.value()) + " and " +
                shape(b.value()) + " do not broadcast");
  }
  const bool same = a.rows() == b.rows() && a.cols() == b.cols();
  Array value = same ? Array(forward(a.value(), b.value()))
                     : Array(forward(expand(a.value(), rows, cols), expand(b.value(), rows, cols)));
  return a.tape().record(std::move(value), {a, b}, [=](Tape& t, const Array&, const Array& g) {
    const Array& A = a.value();
    const Array& B = b.value();
    if (same) {
      if (a.requires_grad()) t.accumulate(a.id(), grad_a(g, A, B));
      if (b.requires_grad()) t.accumulate(b.id(), grad_b(g, A, B));
      return;
    }
    const Array Ae = expand(A, rows, cols), Be = expand(B, rows, cols);
    if (a.requires_grad()) t.accumulate(a.id(), reduce_to(grad_a(g, Ae, Be), A.rows(), A.cols()));
    if (b.requires_grad()) t.accumulate(b.id(), reduce_to(grad_b(g, Ae, Be), B.rows(), B.cols()));
  });
}

// An elementwise unary op; grad maps (g, x, y) to the gradient with respect to x.
template <typename Forward, typename Grad>
Var unary(const Var& x, Forward forward, Grad grad) {
  Array value = forward(x.value());
  return x.tape().record(std::move(value), {x}, [=](Tape& t, const Array& y, const Array& g) {
    t.accumulate(x.id(), grad(g, x.value(), y));
  });
}

}  // namespace

Var operator+(const Var& a, const Var& b) {
  return binary(
      a, b, "+", [](const auto& A, const auto& B) { return A + B; },
      [](const auto& g, const auto&, const auto&) { return g; },
      [](const auto& g, const auto&, const auto&) { return g; });
}

Var operator-(const Var& a, const Var& b) {
  return binary(
      a, b, "-", [](const auto& A, const auto& B) { return A - B; },
      [](const auto& g, const auto&, const auto&) { return g; },
      [](const auto& g, const auto&, const auto&) { return -g; });
}

Var operator*(const Var& a, const Var& b) {
  return binary(
      a, b, "*", [](const auto& A, const auto& B) { return A * B; },
      [](const auto& g, const auto&, const auto& B) { return g * B; },
      [](const auto& g, const auto& A, const auto&) { return g * A; });
}

Var operator/(const Var& a, const Var& b) {
  return binary(
      a, b, "/", [](const auto& A, const auto& B) { return A / B; },
      [](const auto& g, const auto&, const auto& B) { return g / B; },
      [](const auto& g, const auto& A, const auto& B) { return -g * A / B.square(); });
}

Var operator-(const Var& a) {
  return unary(
      a, [](const Array& x) { return Array(-x); },
      [](const auto& g, const auto&, const auto&) { return -g; });
}

Var operator+(const Var& a, Real b) {
  return unary(
      a, [b](const Array& x) { return Array(x + b); },
      [](const auto& g, const auto&, const auto&) { return g; });
}
Var operator+(Real a, const Var& b) {
  return b + a;
}
Var operator-(const Var& a, Real b) {
  return a + (-b);
}
Var operator-(Real a, const Var& b) {
  return unary(
      b, [a](const Array& x) { return Array(a - x); },
      [](const auto& g, const auto&, const auto&) { return -g; });
}
Var operator*(const Var& a, Real b) {
  return unary(
      a, [b](const Array& x) { return Array(x * b); },
      [b](const auto& g, const auto&, const auto&) { return g * b; });
}
Var operator*(Real a, const Var& b) {
  return b * a;
}
Var operator/(const Var& a, Real b) {
  return a * (1 / b);
}
Var operator/(Real a, const Var& b) {
  return unary(
      b, [a](const Array& x) { return Array(a / x); },
      [](const auto& g, const auto& x, const auto& y) { return -g * y / x; });
}

Var exp(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.exp()); },
      [](const auto& g, const auto&, const auto& y) { return g * y; });
}

Var log(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.log()); },
      [](const auto& g, const auto& v, const auto&) { return g / v; });
}

Var pow(const Var& x, Real p) {
  return unary(
      x, [p](const Array& v) { return Array(v.pow(p)); },
      [p](const auto& g, const auto& v, const auto&) { return g * p * v.pow(p - 1); });
}

Var square(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.square()); },
      [](const auto& g, const auto& v, const auto&) { return 2 * g * v; });
}

Var sqrt(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.sqrt()); },
      [](const auto& g, const auto&, const auto& y) { return 0.5 * g / y; });
}

Var abs(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.abs()); },
      [](const auto& g, const auto& v, const auto&) { return g * v.sign(); });
}

Var clamp_min(const Var& x, Real floor) {
  return unary(
      x, [floor](const Array& v) { return Array(v.max(floor)); },
      [floor](const auto& g, const auto& v, const auto&) {
        return (v >= floor).select(g, Real(0));
      });
}

Var relu(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.max(Real(0))); },
      [](const auto& g, const auto& v, const auto&) { return (v > 0).select(g, Real(0)); });
}

Var softplus(const Var& x) {
  if (!x.tape().recording() || !x.requires_grad())
    return x.tape().constant(nmfbench::softplus(x.value()));
  // The derivative comes with the value, from the same exponentials, and is kept for backward.
  auto derivative = std::make_shared<Array>();
  Array value = nmfbench::softplus(x.value(), *derivative);
  return x.tape().record(std::move(value), {x},
                         [x, derivative](Tape& t, const Array&, const Array& g) {
                           Array grad(g.rows(), g.cols());
                           for_each_chunk(g.size(), [&](Eigen::Index first, Eigen::Index size) {
                             elements(grad, first, size) =
                                 elements(g, first, size) * elements(*derivative, first, size);
                           });
                           t.accumulate(x.id(), std::move(grad));
                         });
}

Var sigmoid(const Var& x) {
  return unary(
      x, [](const Array& v) { return nmfbench::sigmoid(v); },
      [](const auto& g, const auto&, const auto& y) { return g * y * (1 - y); });
}

Var tanh(const Var& x) {
  return unary(
      x, [](const Array& v) { return Array(v.tanh()); },
      [](const auto& g, const auto&, const auto& y) { return g * (1 - y.square()); });
}

Var elu(const Var& x, Real alpha) {
  return unary(
      x, [alpha](const Array& v) { return Array((v > 0).select(v, alpha * (v.exp() - 1))); },
      [alpha](const auto& g, const auto& v, const auto& y) {
        return (v > 0).select(g, g * (y + alpha));
      });
}

Var glu(const Var& x, Axis axis) {
  const bool by_rows = axis == Axis::rows;
  const Eigen::Index n = by_rows ? x.rows() : x.cols();
  if (n % 2 != 0) {
    throw Error("autodiff glu: the split dimension has odd size " + std::to_string(n));
  }
  const Eigen::Index h = n / 2;
  auto first = [=](const Array& v) { return by_rows ? Array(v.topRows(h)) : Array(v.leftCols(h)); };
  auto second = [=](const Array& v) {
    return by_rows ? Array(v.bottomRows(h)) : Array(v.rightCols(h));
  };
  Array value = first(x.value()) * nmfbench::sigmoid(second(x.value()));
  return x.tape().record(std::move(value), {x}, [=](Tape& t, const Array&, const Array& g) {
    const Array a = first(x.value());
    const Array s = nmfbench::sigmoid(second(x.value()));
    Array grad(x.rows(), x.cols());
    if (by_rows) {
      grad.topRows(h) = g * s;
      grad.bottomRows(h) = g * a * s * (1 - s);
    } else {
      grad.leftCols(h) = g * s;
      grad.rightCols(h) = g * a * s * (1 - s);
    }
    t.accumulate(x.id(), grad);
  });
}

}  // namespace nmfbench::ad
