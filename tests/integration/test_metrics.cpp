// GET /metrics over HTTP (Prometheus text format 0.0.4, read by a strict parser) and the
// structured logs (--log-format json, --log-level) of the real binary, on the backend under test.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

#include "accounts_fixture.hpp"
#include "support/prometheus_text.hpp"

using namespace tt::test;
using nlohmann::json;

namespace {

PrometheusText scrape(AccountsServer& s, const Caller& who) {
  auto r = s.call("GET", "/metrics", who);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  return parse_prometheus_text(r.body);
}

}  // namespace

TEST_CASE("metrics: the text format parses strictly, and the counters move with requests and scans") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("monitor", "monitor password 1", "dispatcher", "Lucknow");
  const Caller prometheus = AccountsServer::bearer(s.add_token("prometheus", "monitor").secret);
  CHECK(s.call("GET", "/metrics", Caller{}).status == 401);

  const auto before = scrape(s, prometheus);
  CHECK(before.types.at("tracetrack_http_requests_total") == "counter");
  CHECK(before.types.at("tracetrack_http_request_duration_seconds") == "histogram");
  CHECK(before.types.at("tracetrack_build_info") == "gauge");
  const bool sqlite = s.db.url().starts_with("sqlite:");
  bool build_info = false;
  for (const auto& [key, value] : before.samples) {
    if (key.starts_with("tracetrack_build_info{")) {
      build_info = value == 1 && key.find(sqlite ? "backend=\"sqlite\"" : "backend=\"postgresql\"") != std::string::npos;
    }
  }
  CHECK(build_info);
  CHECK(before.value("process_resident_memory_bytes") > 1e6);
  CHECK(before.value("process_open_fds") >= 3);
  CHECK(before.value("process_start_time_seconds") > 1.7e9);
  CHECK(before.samples.count("tracetrack_event_stream_clients"));
  if (sqlite) {
    CHECK(before.samples.count("tracetrack_sqlite_wal_bytes"));
    CHECK(before.samples.count("tracetrack_sqlite_write_queue_length"));
  } else {
    CHECK(before.samples.count("tracetrack_db_pool_connections{state=\"idle\"}"));
    CHECK(before.samples.count("tracetrack_db_pool_waits_total"));
  }

  // Requests: by route pattern, method and status; the histogram counts them too.
  for (int i = 0; i < 3; ++i) CHECK(s.call("GET", "/healthz", Caller{}).status == 200);
  CHECK(s.call("GET", "/api/v1/bags/NOSUCHBAG", prometheus).status == 404);
  CHECK(s.call("BREW", "/healthz", Caller{}).status >= 400);
  // Scans: accepted and refused, by the refusal's code.
  const auto parent = s.call("POST", "/api/v1/scans/parent", prometheus, {{"code", "SB10001"}});
  CHECK(parent.status == 201);
  const auto refused = s.call("POST", "/api/v1/scans/child", prometheus, {{"parent", "SB10001"}, {"code", "SB10002"}});
  REQUIRE(refused.status >= 400);
  const std::string code = refused.json()["error"]["code"];

  const auto after = scrape(s, prometheus);
  const std::string healthz = "{method=\"GET\",route=\"/healthz\"";
  CHECK(after.value("tracetrack_http_requests_total" + healthz + ",status=\"200\"}") -
            before.value("tracetrack_http_requests_total" + healthz + ",status=\"200\"}") == 3);
  CHECK(after.value("tracetrack_http_request_duration_seconds_count" + healthz + "}") -
            before.value("tracetrack_http_request_duration_seconds_count" + healthz + "}") == 3);
  CHECK(after.value("tracetrack_http_requests_total{method=\"GET\",route=\"/api/v1/bags/{code}\",status=\"404\"}") == 1);
  CHECK(after.value("tracetrack_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"}") >= 1);
  // An unknown method is counted, but never becomes a label value of its own.
  for (const auto& [key, value] : after.samples) CHECK_MESSAGE(key.find("BREW") == std::string::npos, key);
  CHECK(after.value("tracetrack_scans_total{action=\"parent\",result=\"accepted\"}") == 1);
  // Group commit: the scans were committed by the writer(s), in at least one group, durably.
  CHECK(after.types.at("tracetrack_db_write_groups_total") == "counter");
  CHECK(after.value("tracetrack_db_write_groups_total") >= 1);
  CHECK(after.value("tracetrack_db_write_jobs_total") - before.value("tracetrack_db_write_jobs_total") >= 2);
  CHECK(after.value("tracetrack_db_write_jobs_total") >= after.value("tracetrack_db_write_groups_total"));
  CHECK(after.value("tracetrack_db_commit_seconds_total") > 0);
  CHECK(after.value("tracetrack_db_write_refused_total") == 0);
  if (sqlite) {
    CHECK(after.samples.count("tracetrack_sqlite_checkpoints_total"));
    CHECK(after.samples.count("tracetrack_sqlite_checkpoint_seconds_total"));
  } else {
    CHECK(after.samples.count("tracetrack_db_write_queue_length"));
  }
  CHECK(after.value("tracetrack_scans_total{action=\"child\",result=\"" + code + "\"}") == 1);
}

TEST_CASE("metrics: the strict parser refuses what Prometheus would") {
  const std::string ok =
      "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n"
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n";
  CHECK(parse_prometheus_text(ok).value("a_total{x=\"1\"}") == 2);
  const char* bad[] = {
      "# TYPE a counter\na 1",                                         // no final newline
      "a 1\n",                                                         // no TYPE
      "# TYPE a counter\na{x=\"1} 1\n",                                // unterminated value
      "# TYPE a counter\na{x=\"\\q\"} 1\n",                            // bad escape
      "# TYPE a counter\na{1x=\"1\"} 1\n",                             // bad label name
      "# TYPE a counter\na one\n",                                     // not a number
      "# TYPE a counter\na 1\na 2\n",                                  // a series twice
      "# TYPE a counter\n# TYPE a counter\na 1\n",                     // TYPE twice
      "# TYPE a counter\na 1\n# TYPE b gauge\nb 1\na{y=\"2\"} 1\n",    // a family split
      "# TYPE a counter\na 1\n# HELP a late\n",                        // described after its samples
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",  // decreasing
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",                        // no +Inf
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",                     // != count
      "# TYPE a countr\na 1\n",                                        // unknown type
  };
  for (const char* text : bad) CHECK_THROWS_AS_MESSAGE(parse_prometheus_text(text), PrometheusFormatError, text);
}

TEST_CASE("logs: --log-format json writes one JSON object per line; --log-level warn drops info") {
  ScratchDatabase db;
  ServerProcess server(db.url(), ServeOptions{{"--log-format", "json"}, {}, std::chrono::seconds(60)});
  auto c = server.client();
  CHECK(c.get("/healthz").status == 200);
  CHECK(c.get("/api/v1/no/such/thing%0a%22").status == 404);
  server.stop();
  std::istringstream lines(server.output());
  int objects = 0, access = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const auto j = json::parse(line, nullptr, false);
    REQUIRE_MESSAGE(j.is_object(), line);
    CHECK(j.contains("time"));
    ++objects;
    if (j.contains("status")) {
      ++access;
      CHECK(j["duration_us"].is_number_integer());
    } else {
      CHECK(j["level"].is_string());
      CHECK(j["message"].is_string());
    }
  }
  CHECK(objects >= 4);  // database, schema, listening, two requests, stopped
  CHECK(access == 2);
  CHECK(server.output().find("\"message\":\"TraceTrack listening on http://127.0.0.1:") != std::string::npos);

  ScratchDatabase quiet_db;
  ServerProcess quiet(quiet_db.url(), ServeOptions{{"--log-level", "warn", "--no-access-log"}, {}, std::chrono::seconds(60)});
  quiet.stop();
  CHECK(quiet.output().find(" info ") == std::string::npos);
  CHECK(quiet.output().find("listening on") != std::string::npos);  // the announcement is not a log level's

  CHECK(run_tracetrack({"serve", "--log-format", "xml"}).exit_code == 2);
  CHECK(run_tracetrack({"serve", "--log-level", "loud"}).exit_code == 2);
}
