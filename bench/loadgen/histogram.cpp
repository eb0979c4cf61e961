#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tt::bench {

std::size_t Histogram::index_of(std::uint64_t value) noexcept {
  if (value < 2 * kSubBuckets) return static_cast<std::size_t>(value);
  // value in [2^m, 2^(m+1)) with m >= kSubBucketBits + 1: drop `shift` low bits so that the
  // remaining mantissa lies in [kSubBuckets, 2 * kSubBuckets).
  const int m = std::bit_width(value) - 1;
  const int shift = m - kSubBucketBits;
  const std::uint64_t mantissa = value >> shift;
  return static_cast<std::size_t>(static_cast<std::uint64_t>(shift) * kSubBuckets + mantissa);
}

std::uint64_t Histogram::lowest_in_bucket(std::size_t index) noexcept {
  if (index < 2 * kSubBuckets) return index;
  const std::uint64_t shift = index / kSubBuckets - 1;
  const std::uint64_t mantissa = index - shift * kSubBuckets;
  return mantissa << shift;
}

std::uint64_t Histogram::highest_in_bucket(std::size_t index) noexcept {
  if (index < 2 * kSubBuckets) return index;
  const std::uint64_t shift = index / kSubBuckets - 1;
  const std::uint64_t mantissa = index - shift * kSubBuckets;
  // (mantissa + 1) << shift overflows for the very last bucket: compute it as low + (2^shift - 1).
  return (mantissa << shift) + ((std::uint64_t{1} << shift) - 1);
}

void Histogram::record(std::uint64_t value) noexcept {
  ++counts_[index_of(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& other) noexcept {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kIndexCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

std::uint64_t Histogram::value_at_quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank of the wanted value, 1-based: at least 1, at most count.
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kIndexCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(highest_in_bucket(i), max_);
  }
  return max_;
}

}  // namespace tt::bench
