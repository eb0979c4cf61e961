// The load generator's latency histogram: bucket arithmetic, precision and percentiles.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../../bench/loadgen/histogram.hpp"
#include "../../bench/loadgen/rng.hpp"

using tt::bench::Histogram;

TEST_CASE("histogram: small values have a bucket each") {
  for (std::uint64_t v = 0; v < 256; ++v) {
    const auto i = Histogram::index_of(v);
    CHECK(i == v);
    CHECK(Histogram::lowest_in_bucket(i) == v);
    CHECK(Histogram::highest_in_bucket(i) == v);
  }
}

TEST_CASE("histogram: buckets tile the whole 64-bit range without gaps or overlaps") {
  for (std::size_t i = 0; i + 1 < Histogram::kIndexCount; ++i) {
    REQUIRE(Histogram::highest_in_bucket(i) + 1 == Histogram::lowest_in_bucket(i + 1));
  }
  CHECK(Histogram::lowest_in_bucket(0) == 0);
  CHECK(Histogram::highest_in_bucket(Histogram::kIndexCount - 1) == UINT64_MAX);
  CHECK(Histogram::index_of(UINT64_MAX) == Histogram::kIndexCount - 1);
}

TEST_CASE("histogram: every value falls in its bucket, within 1/128 of the bucket's bounds") {
  tt::bench::Rng rng(7);
  std::vector<std::uint64_t> samples{256, 257, 511, 512, 1000, 1023, 1024, 123456789, 1ULL << 40, (1ULL << 40) - 1};
  for (int i = 0; i < 100000; ++i) samples.push_back(rng.next() >> rng.below(64));
  for (auto v : samples) {
    const auto i = Histogram::index_of(v);
    REQUIRE(i < Histogram::kIndexCount);
    const auto lo = Histogram::lowest_in_bucket(i);
    const auto hi = Histogram::highest_in_bucket(i);
    REQUIRE(lo <= v);
    REQUIRE(v <= hi);
    // Bucket width relative to its lower bound: at most 1/128.
    REQUIRE(static_cast<double>(hi - lo) <= static_cast<double>(lo) / 128.0);
  }
}

TEST_CASE("histogram: empty") {
  Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.value_at_quantile(0.5) == 0);
  CHECK(h.value_at_quantile(1.0) == 0);
}

TEST_CASE("histogram: exact percentiles of 1..100") {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  CHECK(h.count() == 100);
  CHECK(h.min() == 1);
  CHECK(h.max() == 100);
  CHECK(h.mean() == doctest::Approx(50.5));
  CHECK(h.value_at_quantile(0.0) == 1);
  CHECK(h.value_at_quantile(0.5) == 50);
  CHECK(h.value_at_quantile(0.95) == 95);
  CHECK(h.value_at_quantile(0.99) == 99);
  CHECK(h.value_at_quantile(0.999) == 100);
  CHECK(h.value_at_quantile(1.0) == 100);
}

TEST_CASE("histogram: percentiles match a sorted reference within the precision, never below it") {
  tt::bench::Rng rng(42);
  Histogram h;
  std::vector<std::uint64_t> ref;
  for (int i = 0; i < 200000; ++i) {
    // Latency-like: mostly ~0.1-2 ms in ns, with a long tail up to seconds.
    std::uint64_t v = 100'000 + rng.below(1'900'000);
    if (rng.chance(0.01)) v += rng.below(2'000'000'000);
    h.record(v);
    ref.push_back(v);
  }
  std::sort(ref.begin(), ref.end());
  for (double q : {0.5, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ref.size())));
    const std::uint64_t truth = ref[std::max<std::size_t>(rank, 1) - 1];
    const std::uint64_t got = h.value_at_quantile(q);
    CAPTURE(q);
    CHECK(got >= truth);
    CHECK(static_cast<double>(got - truth) <= static_cast<double>(truth) / 128.0);
  }
  CHECK(h.max() == ref.back());
  CHECK(h.min() == ref.front());
  CHECK(h.value_at_quantile(1.0) == ref.back());
}

TEST_CASE("histogram: merging equals recording everything in one") {
  tt::bench::Rng rng(3);
  Histogram a, b, all;
  for (int i = 0; i < 50000; ++i) {
    const auto v = rng.below(10'000'000);
    (i % 3 == 0 ? a : b).record(v);
    all.record(v);
  }
  Histogram merged;
  merged.merge(a);
  merged.merge(b);
  merged.merge(Histogram{});  // an empty one changes nothing (min stays right)
  CHECK(merged.count() == all.count());
  CHECK(merged.min() == all.min());
  CHECK(merged.max() == all.max());
  CHECK(merged.mean() == doctest::Approx(all.mean()));
  for (double q : {0.1, 0.5, 0.99, 0.999}) CHECK(merged.value_at_quantile(q) == all.value_at_quantile(q));
}

TEST_CASE("histogram: a single huge value") {
  Histogram h;
  h.record(UINT64_MAX);
  CHECK(h.value_at_quantile(0.5) == UINT64_MAX);
  CHECK(h.max() == UINT64_MAX);
}
