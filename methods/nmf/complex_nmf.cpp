#include "methods/nmf/complex_nmf.hpp"

#include "core/direct_product.hpp"
#include "core/named_enum.hpp"

namespace nmfbench::nmf {
namespace {

constexpr EnumNames<Normalization, 3> kNormalizationNames{
    {{Normalization::after_w, "after_w"},
     {Normalization::end_rescale_h, "end_rescale_h"},
     {Normalization::end, "end"}}};

}  // namespace

std::string to_string(Normalization n) {
  return enum_name(n, kNormalizationNames);
}
Normalization parse_normalization(std::string_view name) {
  return parse_enum(name, kNormalizationNames, "normalization");
}

ComplexNmfSolver::ComplexNmfSolver(Eigen::Index m, Eigen::Index n, Eigen::Index k)
    : bins_(m), frames_(n), components_(k) {
  const Eigen::Index tile = std::min(kTileColumns, n);
  for (int p = 0; p < kParts; ++p) {
    const Eigen::Index rows = part(m, p).size;
    yhat_[p].resize(m, tile);
    weights_w_[p].resize(2 * rows, tile);
    ratio_w_[p].resize(2 * rows, k);
    weights_h_[p].resize(m, 2 * tile);
    ratio_h_[p].resize(k, 2 * tile);
  }
}

void ComplexNmfSolver::check_sizes(const Array& w, const Array& h) const {
  if (w.rows() != bins_ || h.cols() != frames_ || w.cols() != components_ || h.rows() != w.cols()) {
    throw Error("complex NMF: W is " + std::to_string(w.rows()) + "x" + std::to_string(w.cols()) +
                " and H " + std::to_string(h.rows()) + "x" + std::to_string(h.cols()) +
                ", expected " + std::to_string(bins_) + "xK and Kx" + std::to_string(frames_) +
                " with K = " + std::to_string(components_));
  }
}

void ComplexNmfSolver::update_w(const Array& y, Array& w, const Array& h,
                                const StatisticalModel& model) {
  check_sizes(w, h);
  for_each_part(bins_, [&](int p, Part rows) {
    auto w_part = w.middleRows(rows.first, rows.size);
    Array& ratio = ratio_w_[p];
    for_each_tile({0, frames_}, [&](Part cols) {
      const auto h_tile = h.middleCols(cols.first, cols.size);
      auto yhat = yhat_[p].topLeftCorner(rows.size, cols.size);
      direct_product(columns_view(w_part), strided_view(h_tile), output_view(yhat), false);
      auto weights = weights_w_[p].leftCols(cols.size);
      model.update_weights(y.block(rows.first, cols.first, rows.size, cols.size), yhat,
                           weights.topRows(rows.size), weights.bottomRows(rows.size));
      // Eq. (6), both sums at once, added up over the tiles.
      direct_product(columns_view(weights), strided_view(h_tile.transpose()), output_view(ratio),
                     cols.first > 0);
    });
    w_part *= ratio.topRows(rows.size) / ratio.bottomRows(rows.size).max(kFloor);
  });
}

void ComplexNmfSolver::update_h(const Array& y, const Array& w, Array& h,
                                const StatisticalModel& model) {
  check_sizes(w, h);
  w_transposed_ = w.transpose();  // W^T's columns are contiguous, as direct_product wants
  for_each_part(frames_, [&](int p, Part part_cols) {
    for_each_tile(part_cols, [&](Part cols) {
      auto h_tile = h.middleCols(cols.first, cols.size);
      auto yhat = yhat_[p].leftCols(cols.size);
      direct_product(columns_view(w), strided_view(h_tile), output_view(yhat), false);
      auto weights = weights_h_[p].leftCols(2 * cols.size);
      model.update_weights(y.middleCols(cols.first, cols.size), yhat, weights.leftCols(cols.size),
                           weights.rightCols(cols.size));
      auto ratio = ratio_h_[p].leftCols(2 * cols.size);
      direct_product(columns_view(w_transposed_), strided_view(weights), output_view(ratio),
                     false);  // eq. (7), both sums at once
      h_tile *= ratio.leftCols(cols.size) / ratio.rightCols(cols.size).max(kFloor);
    });
  });
}

void ComplexNmfSolver::iterate(const Array& y, Array& w, Array& h, const StatisticalModel& model,
                               Normalization placement) {
  update_w(y, w, h, model);
  if (placement == Normalization::after_w) normalize_bases(w);
  update_h(y, w, h, model);
  if (placement == Normalization::end_rescale_h) normalize_bases(w, &h);
  if (placement == Normalization::end) normalize_bases(w);
}

void normalize_bases(Array& w, Array* h) {
  const Array sums = w.colwise().sum().max(kFloor);
  w.rowwise() /= sums.row(0);
  if (h) h->colwise() *= sums.row(0).transpose();
}

Real complex_nmf_cost(const Array& y, const Array& w, const Array& h,
                      const StatisticalModel& model) {
  const Array yhat = (w.matrix() * h.matrix()).array().max(kFloor);
  return (yhat.log() + model.neg_log_f(y / yhat)).sum();
}

}  // namespace nmfbench::nmf
