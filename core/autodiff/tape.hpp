#pragma once

// A reverse-mode automatic-differentiation tape over Eigen arrays.
//
// One node per array operation, never per scalar (the Stan Math design): the forward pass
// computes the value and, when recording, pushes one backward closure that adds the
// operation's vector-Jacobian product into its inputs' gradients. backward() walks the tape
// once in reverse. Nodes are appended after their inputs, so the tape order is topological.
//
// No global state: one Tape per sweep cell, so cells train in parallel. Inside a
// NoGradScope operations return detached values that own their storage and record nothing,
// so the first T - L iterations of a truncated back-propagation cost no tape memory.
//
// Adding an op (see ops_*.cpp): compute the value with Eigen, then
//   return tape.record(std::move(value), {inputs...}, [=](Tape& t, const Array& out, const Array&
//   g) {
//     t.accumulate(input.id(), <vector-Jacobian product of g>);
//   });
// and add a finite-difference test in tests/core/autodiff_ops_test.cpp.

#include <functional>
#include <initializer_list>
#include <memory>
#include <vector>

#include "core/types.hpp"

namespace nmfbench::ad {

class Tape;

// A value in a computation: either a node on a tape or a detached value.
class Var {
 public:
  Var() = default;
  const Array& value() const;
  Tape& tape() const { return *tape_; }
  int id() const { return id_; }  // -1 for a detached value
  bool requires_grad() const;
  Eigen::Index rows() const { return value().rows(); }
  Eigen::Index cols() const { return value().cols(); }
  Real scalar() const { return value()(0, 0); }

 private:
  friend class Tape;
  Var(Tape* tape, int id) : tape_(tape), id_(id) {}
  Var(Tape* tape, std::shared_ptr<const Array> detached)
      : tape_(tape), detached_(std::move(detached)) {}
  Tape* tape_ = nullptr;
  int id_ = -1;
  std::shared_ptr<const Array> detached_;
};

class Tape {
 public:
  // The vector-Jacobian product of one op: adds into its inputs' gradients through
  // accumulate(). `out` is the op's value, `grad` the loss's gradient with respect to it.
  // Inputs' values are read through the Vars the closure captured: a reference taken before
  // record() may dangle, since recording can move the node list.
  using Backward = std::function<void(Tape&, const Array& out, const Array& grad)>;

  Tape() = default;
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  // A leaf whose gradient backward() computes.
  Var variable(Array value);
  // A leaf without gradient.
  Var constant(Array value);
  // The same, sharing a value that is used on many tapes instead of copying it each time.
  Var constant(std::shared_ptr<const Array> value);

  // Records the result of an op. Inside a NoGradScope, or when no input needs a gradient,
  // nothing is recorded and the value is returned detached.
  Var record(Array value, std::initializer_list<Var> inputs, Backward backward);
  Var record(Array value, const std::vector<Var>& inputs, Backward backward);

  // Seeds d loss / d loss = 1 (loss must be 1x1) and propagates to every node before it.
  void backward(const Var& loss);
  // The accumulated gradient of a node, zeros of its shape if nothing reached it.
  Array grad(const Var& v) const;

  // Adds `g` (or an Eigen expression) into node `id`'s gradient; ignores nodes that need none.
  template <typename Expr>
  void accumulate(int id, const Expr& g);
  // Takes the array over when the node has no gradient yet (saves a copy of large arrays).
  void accumulate(int id, Array&& g);
  // The gradient of node `id` to add into in place (products use it to accumulate without
  // a temporary), zero-initialised on first use; nullptr if the node needs no gradient.
  Array* grad_buffer(int id);

  bool recording() const { return recording_; }
  std::size_t size() const { return nodes_.size(); }
  // Forgets every node; storage of the node list is kept for reuse.
  void clear() { nodes_.clear(); }

 private:
  friend class Var;
  friend class NoGradScope;
  template <typename Range>
  Var record_from(Array value, const Range& inputs, Backward backward);
  struct Node {
    Array value;
    Array grad;  // empty until something flows into it
    Backward backward;
    bool requires_grad = false;
  };
  // The node `id` if it takes a gradient, else nullptr (detached values and constants).
  Node* gradient_node(int id);
  std::vector<Node> nodes_;
  bool recording_ = true;
};

// While alive, operations on `tape` record nothing (torch.no_grad()).
class NoGradScope {
 public:
  explicit NoGradScope(Tape& tape) : tape_(tape), previous_(tape.recording_) {
    tape.recording_ = false;
  }
  ~NoGradScope() { tape_.recording_ = previous_; }
  NoGradScope(const NoGradScope&) = delete;
  NoGradScope& operator=(const NoGradScope&) = delete;

 private:
  Tape& tape_;
  bool previous_;
};

inline Tape::Node* Tape::gradient_node(int id) {
  if (id < 0) return nullptr;
  Node& node = nodes_[static_cast<std::size_t>(id)];
  return node.requires_grad ? &node : nullptr;
}

template <typename Expr>
void Tape::accumulate(int id, const Expr& g) {
  Node* node = gradient_node(id);
  if (!node) return;
  if (node->grad.size() == 0) {
    node->grad = g;
  } else {
    node->grad += g;
  }
}

}  // namespace nmfbench::ad
