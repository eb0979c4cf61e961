#include "report.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace tt::bench {

namespace {

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

// Three decimals of a millisecond are microseconds: enough and stable in JSON.
double round3(double v) { return static_cast<double>(std::llround(v * 1000.0)) / 1000.0; }

std::uint64_t count_of(const OpStats& s) { return s.expected + s.unexpected; }

}  // namespace

std::uint64_t successful_scans(const ThreadStats& t) {
  return t.ops[static_cast<std::size_t>(Op::scan_child)].expected;
}

void print_table(std::ostream& out, const RunInfo& info, const ThreadStats& total) {
  char line[256];
  out << "tt_loadgen " << info.target << ": " << info.connections << " connections, " << info.threads
      << " thread(s), ";
  if (info.rate > 0) {
    std::snprintf(line, sizeof line, "open loop at %.0f req/s", info.rate);
    out << line;
  } else {
    out << "closed loop";
  }
  std::snprintf(line, sizeof line, ", window %.1f s (measured %.2f s), run %s\n", info.window_s, info.elapsed_s,
                info.run_id.c_str());
  out << line;
  std::snprintf(line, sizeof line, "%-12s %9s %7s %10s %9s %9s %9s %9s %9s %9s\n", "operation", "count", "errors",
                "ok/s", "mean ms", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms");
  out << line;
  std::uint64_t requests = 0;
  for (Op op : kAllOps) {
    const OpStats& s = total.ops[static_cast<std::size_t>(op)];
    const auto& h = s.latency_ns;
    requests += count_of(s);
    std::snprintf(line, sizeof line, "%-12s %9llu %7llu %10.1f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n",
                  std::string(op_name(op)).c_str(), static_cast<unsigned long long>(count_of(s)),
                  static_cast<unsigned long long>(s.unexpected), static_cast<double>(s.expected) / info.elapsed_s,
                  h.mean() / 1e6, ms(h.value_at_quantile(0.50)), ms(h.value_at_quantile(0.95)),
                  ms(h.value_at_quantile(0.99)), ms(h.value_at_quantile(0.999)), ms(h.max()));
    out << line;
  }
  Histogram all;
  for (const auto& s : total.ops) all.merge(s.latency_ns);
  std::snprintf(line, sizeof line, "%-12s %9llu %7s %10s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n", "all",
                static_cast<unsigned long long>(all.count()), "", "", all.mean() / 1e6, ms(all.value_at_quantile(0.50)),
                ms(all.value_at_quantile(0.95)), ms(all.value_at_quantile(0.99)), ms(all.value_at_quantile(0.999)),
                ms(all.max()));
  out << line;
  std::snprintf(line, sizeof line, "total: %llu requests, %.1f req/s; child scans linked: %.1f/s; parent codes used: %llu\n",
                static_cast<unsigned long long>(requests), static_cast<double>(requests) / info.elapsed_s,
                static_cast<double>(successful_scans(total)) / info.elapsed_s,
                static_cast<unsigned long long>(info.parent_codes_used));
  out << line;
  std::snprintf(line, sizeof line, "generator CPU: %.2f s (%.0f %% of one core)\n", info.generator_cpu_s,
                info.generator_wall_s > 0 ? 100.0 * info.generator_cpu_s / info.generator_wall_s : 0.0);
  out << line;
  if (total.unsent) out << "unsent (open loop, connection still behind at the end): " << total.unsent << "\n";
  if (total.cut) out << "in flight when the run ended (open loop, cut off, not errors): " << total.cut << "\n";
  if (total.reconnects) out << "reconnects: " << total.reconnects << "\n";
  if (total.errors.empty()) {
    out << "errors: none\n";
  } else {
    out << "errors:\n";
    for (const auto& [kind, n] : total.errors) out << "  " << n << "  " << kind << "\n";
  }
}

std::string json_line(const RunInfo& info, const ThreadStats& total) {
  nlohmann::json ops = nlohmann::json::object();
  std::uint64_t requests = 0;
  for (Op op : kAllOps) {
    const OpStats& s = total.ops[static_cast<std::size_t>(op)];
    const auto& h = s.latency_ns;
    requests += count_of(s);
    ops[std::string(op_name(op))] = {
        {"count", count_of(s)},
        {"ok", s.expected},
        {"errors", s.unexpected},
        {"ok_per_s", round3(static_cast<double>(s.expected) / info.elapsed_s)},
        {"mean_ms", round3(h.mean() / 1e6)},
        {"p50_ms", round3(ms(h.value_at_quantile(0.50)))},
        {"p95_ms", round3(ms(h.value_at_quantile(0.95)))},
        {"p99_ms", round3(ms(h.value_at_quantile(0.99)))},
        {"p999_ms", round3(ms(h.value_at_quantile(0.999)))},
        {"max_ms", round3(ms(h.max()))},
    };
  }
  Histogram all;
  for (const auto& s : total.ops) all.merge(s.latency_ns);
  ops["all"] = {
      {"count", all.count()},
      {"mean_ms", round3(all.mean() / 1e6)},
      {"p50_ms", round3(ms(all.value_at_quantile(0.50)))},
      {"p95_ms", round3(ms(all.value_at_quantile(0.95)))},
      {"p99_ms", round3(ms(all.value_at_quantile(0.99)))},
      {"p999_ms", round3(ms(all.value_at_quantile(0.999)))},
      {"max_ms", round3(ms(all.max()))},
  };
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [kind, n] : total.errors) errors[kind] = n;
  nlohmann::json j{
      {"tool", "tt_loadgen"},
      {"target", info.target},
      {"connections", info.connections},
      {"threads", info.threads},
      {"mode", info.rate > 0 ? "open" : "closed"},
      {"rate", info.rate},
      {"window_s", info.window_s},
      {"elapsed_s", round3(info.elapsed_s)},
      {"run_id", info.run_id},
      {"parent_codes_used", info.parent_codes_used},
      {"generator_cpu_s", round3(info.generator_cpu_s)},
      {"generator_wall_s", round3(info.generator_wall_s)},
      {"requests", requests},
      {"requests_per_s", round3(static_cast<double>(requests) / info.elapsed_s)},
      {"child_scans_per_s", round3(static_cast<double>(successful_scans(total)) / info.elapsed_s)},
      {"ops", std::move(ops)},
      {"errors", std::move(errors)},
      {"error_total", total.error_total()},
      {"unsent", total.unsent},
      {"in_flight_at_end", total.cut},
      {"reconnects", total.reconnects},
  };
  j["refused"] = {
      {"count", total.refused_ns.count()},
      {"with_retry_after", total.refused_with_retry_after},
      {"p50_ms", round3(ms(total.refused_ns.value_at_quantile(0.50)))},
      {"p99_ms", round3(ms(total.refused_ns.value_at_quantile(0.99)))},
      {"max_ms", round3(ms(total.refused_ns.max()))},
  };
  if (!total.seconds.empty()) {
    nlohmann::json timeline = nlohmann::json::array();
    for (std::size_t i = 0; i < total.seconds.size(); ++i) {
      const SecondStats& s = total.seconds[i];
      timeline.push_back({
          {"t", round3(info.window_start_unix + static_cast<double>(i))},
          {"scans", s.scans.count()},
          {"scan_p50_ms", round3(ms(s.scans.value_at_quantile(0.50)))},
          {"scan_p99_ms", round3(ms(s.scans.value_at_quantile(0.99)))},
          {"scan_max_ms", round3(ms(s.scans.max()))},
          {"reads", s.reads.count()},
          {"read_p99_ms", round3(ms(s.reads.value_at_quantile(0.99)))},
          {"errors", s.errors},
      });
    }
    j["timeline"] = std::move(timeline);
  }
  return j.dump();
}

}  // namespace tt::bench
