// A strict reader of the Prometheus text exposition format 0.0.4, for the tests of GET /metrics:
// anything a Prometheus server could reject, or that breaks the format's rules, throws with the
// line at fault. Checked: metric and label names, label value escapes, numbers (with +Inf, -Inf,
// NaN), one HELP and one TYPE per family given before its samples, a family's samples together,
// no series twice, histograms (every series has _bucket lines with le ascending and counts not
// decreasing, a +Inf bucket equal to _count, and a _sum), and a final newline.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tt::test {

struct PrometheusText {
  std::map<std::string, std::string> types;  // family -> counter|gauge|histogram|summary|untyped
  // Every sample, keyed by its name and labels sorted by name: name{a="1",b="2"}.
  std::map<std::string, double> samples;

  // The value of a series, or 0 when the exposition does not have it.
  double value(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? 0 : it->second;
  }
};

struct PrometheusFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

PrometheusText parse_prometheus_text(std::string_view text);

}  // namespace tt::test
