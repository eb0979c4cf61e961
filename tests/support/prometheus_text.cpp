#include "support/prometheus_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <vector>

namespace tt::test {

namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

bool valid_metric_name(std::string_view s) {
  return !s.empty() && name_start(s[0]) && std::all_of(s.begin(), s.end(), name_char);
}

bool valid_label_name(std::string_view s) {
  return !s.empty() && name_start(s[0]) && s[0] != ':' && std::all_of(s.begin(), s.end(), [](char c) {
    return name_char(c) && c != ':';
  }) && !s.starts_with("__");
}

double parse_number(std::string_view s, const std::string& where) {
  if (s == "+Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  if (s == "NaN") return NAN;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    throw PrometheusFormatError(where + ": not a number: " + std::string(s));
  }
  return v;
}

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

Sample parse_sample(std::string_view line, const std::string& where) {
  Sample out;
  std::size_t i = 0;
  while (i < line.size() && name_char(line[i])) ++i;
  out.name = std::string(line.substr(0, i));
  if (!valid_metric_name(out.name)) throw PrometheusFormatError(where + ": bad metric name");
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (true) {
      if (i < line.size() && line[i] == '}') {
        ++i;
        break;
      }
      std::size_t start = i;
      while (i < line.size() && line[i] != '=') ++i;
      const std::string label(line.substr(start, i - start));
      if (!valid_label_name(label)) throw PrometheusFormatError(where + ": bad label name '" + label + "'");
      if (i + 1 >= line.size() || line[i + 1] != '"') throw PrometheusFormatError(where + ": label value not quoted");
      i += 2;
      std::string value;
      while (true) {
        if (i >= line.size()) throw PrometheusFormatError(where + ": unterminated label value");
        const char c = line[i++];
        if (c == '"') break;
        if (c == '\\') {
          if (i >= line.size()) throw PrometheusFormatError(where + ": dangling escape");
          const char e = line[i++];
          if (e == 'n') value += '\n';
          else if (e == '\\' || e == '"') value += e;
          else throw PrometheusFormatError(where + ": bad escape \\" + std::string(1, e));
        } else {
          value += c;
        }
      }
      for (const auto& l : out.labels) {
        if (l.first == label) throw PrometheusFormatError(where + ": label " + label + " twice");
      }
      out.labels.emplace_back(label, value);
      if (i < line.size() && line[i] == ',') ++i;
      else if (i < line.size() && line[i] == '}') continue;
      else throw PrometheusFormatError(where + ": expected , or } after a label");
    }
  }
  if (i >= line.size() || line[i] != ' ') throw PrometheusFormatError(where + ": no space before the value");
  std::string_view rest = line.substr(i + 1);
  const auto space = rest.find(' ');
  out.value = parse_number(rest.substr(0, space), where);
  if (space != std::string_view::npos) {
    std::int64_t ts = 0;
    auto t = rest.substr(space + 1);
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ts);
    if (ec != std::errc() || end != t.data() + t.size()) throw PrometheusFormatError(where + ": bad timestamp");
  }
  return out;
}

std::string series_key(const std::string& name, std::vector<std::pair<std::string, std::string>> labels) {
  std::sort(labels.begin(), labels.end());
  std::string key = name;
  if (!labels.empty()) {
    key += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i) key += ',';
      key += labels[i].first + "=\"" + labels[i].second + "\"";
    }
    key += '}';
  }
  return key;
}

// The family a sample name belongs to, given the declared types.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (name.ends_with(suffix)) {
      const std::string base = name.substr(0, name.size() - suffix.size());
      auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return name;
}

void check_histograms(const PrometheusText& t) {
  for (const auto& [family, type] : t.types) {
    if (type != "histogram") continue;
    // Group buckets by the series' other labels.
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // series -> (le, count)
    for (const auto& [key, value] : t.samples) {
      const std::string prefix = family + "_bucket";
      if (!key.starts_with(prefix + "{")) continue;
      const auto le_at = key.find("le=\"");
      if (le_at == std::string::npos) throw PrometheusFormatError(key + ": a bucket without le");
      const auto le_end = key.find('"', le_at + 4);
      const double le = parse_number(key.substr(le_at + 4, le_end - le_at - 4), key);
      std::string rest = key.substr(prefix.size());
      rest.erase(le_at - prefix.size(), le_end + 1 - le_at);
      // Tidy the separators left around the removed label.
      for (std::string bad : {",,", "{,", ",}"}) {
        for (auto at = rest.find(bad); at != std::string::npos; at = rest.find(bad)) {
          rest.replace(at, bad.size(), bad == ",," ? "," : bad == "{," ? "{" : "}");
        }
      }
      if (rest == "{}") rest.clear();
      buckets[rest].emplace_back(le, value);
    }
    for (auto& [labels, list] : buckets) {
      std::sort(list.begin(), list.end());
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (list[i].second < list[i - 1].second) {
          throw PrometheusFormatError(family + labels + ": bucket counts decrease");
        }
      }
      if (list.empty() || !std::isinf(list.back().first)) throw PrometheusFormatError(family + labels + ": no +Inf bucket");
      const auto count = t.samples.find(family + "_count" + labels);
      const auto sum = t.samples.find(family + "_sum" + labels);
      if (count == t.samples.end() || sum == t.samples.end()) {
        throw PrometheusFormatError(family + labels + ": _count or _sum missing");
      }
      if (count->second != list.back().second) throw PrometheusFormatError(family + labels + ": +Inf bucket != _count");
    }
  }
}

}  // namespace

PrometheusText parse_prometheus_text(std::string_view text) {
  if (text.empty() || text.back() != '\n') throw PrometheusFormatError("the exposition must end with a newline");
  PrometheusText out;
  std::set<std::string> helped, finished;
  std::string current;  // the family whose samples are being read
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const std::string where = "line " + std::to_string(++line_no);
    if (line.empty()) continue;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const bool is_type = line[2] == 'T';
      const auto rest = line.substr(7);
      const auto sp = rest.find(' ');
      const std::string name(rest.substr(0, sp));
      if (!valid_metric_name(name)) throw PrometheusFormatError(where + ": bad metric name in a comment");
      if (finished.count(name) || current == name) {
        throw PrometheusFormatError(where + ": " + name + " described after its samples");
      }
      if (is_type) {
        const std::string type(sp == std::string_view::npos ? "" : rest.substr(sp + 1));
        static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary", "untyped"};
        if (!kTypes.count(type)) throw PrometheusFormatError(where + ": unknown type '" + type + "'");
        if (!out.types.emplace(name, type).second) throw PrometheusFormatError(where + ": second TYPE of " + name);
      } else if (!helped.insert(name).second) {
        throw PrometheusFormatError(where + ": second HELP of " + name);
      }
      continue;
    }
    if (line.starts_with('#')) continue;  // another comment
    Sample s = parse_sample(line, where);
    const std::string family = family_of(s.name, out.types);
    if (!out.types.count(family)) throw PrometheusFormatError(where + ": " + s.name + " has no TYPE before it");
    if (family != current) {
      if (!current.empty()) finished.insert(current);
      if (finished.count(family)) throw PrometheusFormatError(where + ": samples of " + family + " are not together");
      current = family;
    }
    const std::string key = series_key(s.name, s.labels);
    if (!out.samples.emplace(key, s.value).second) throw PrometheusFormatError(where + ": " + key + " twice");
  }
  check_histograms(out);
  return out;
}

}  // namespace tt::test
