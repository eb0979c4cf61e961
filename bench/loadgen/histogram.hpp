// A latency histogram in the manner of HdrHistogram: log-bucketed with 128 linear sub-buckets per
// power of two, so every recorded value is kept within 1/128 (0.8 %) of its true value from 1 ns
// to the full 64-bit range, in a fixed array (no allocation while recording). One histogram per
// thread and operation is recorded without locks and merged at the end.
#pragma once

#include <array>
#include <cstdint>

namespace tt::bench {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;  // 128
  // Values below 2 * kSubBuckets have an index of their own; above, each power of two [2^k, 2^(k+1))
  // is split into kSubBuckets equal slices. 64-bit values need (64 - kSubBucketBits) such ranges.
  static constexpr std::size_t kIndexCount = (64 - kSubBucketBits) * kSubBuckets + kSubBuckets;

  void record(std::uint64_t value) noexcept;
  void merge(const Histogram& other) noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
  std::uint64_t max() const noexcept { return max_; }
  double mean() const noexcept { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }

  // The value at quantile q in [0, 1]: the smallest recorded value v such that at least
  // ceil(q * count) values are <= v, reported as the highest value of its bucket (never below the
  // truth, so percentiles are not flattered) but never above the largest recorded value.
  // 0 on an empty histogram.
  std::uint64_t value_at_quantile(double q) const noexcept;

  // Bucket arithmetic, public for the tests.
  static std::size_t index_of(std::uint64_t value) noexcept;
  static std::uint64_t lowest_in_bucket(std::size_t index) noexcept;
  static std::uint64_t highest_in_bucket(std::size_t index) noexcept;

 private:
  std::array<std::uint64_t, kIndexCount> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  unsigned __int128 sum_ = 0;
};

}  // namespace tt::bench
