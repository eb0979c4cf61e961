// POST /api/v1/import/links and `tracetrack import` (SPEC §3.7) against the real server: the
// report of refused rows, the three modes, admins only, the size limit, and the round trip
// export links → import into an empty database → export, over HTTP and on the command line.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "depot_fixture.hpp"

using namespace tt::test;

namespace {

HttpResponse post_file(Depot& d, const std::string& target, const Credentials& who, const std::string& file) {
  Headers h = who.headers;
  h.emplace_back("Content-Type", "text/csv");
  auto c = d.client();
  return c.request("POST", target, file, h);
}

// Three good rows and three refused ones (lines 3, 5 and 6).
const std::string kFile =
    "parent,child\r\n"
    "SB60001,imp-1\r\n"
    "SB60001,two words\r\n"
    "SB60001,imp-2\r\n"
    "SB60001,SB60002\r\n"
    "X-1,imp-3\r\n"
    "SB60003,imp-4\r\n";

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("POST /import/links: check reports, all applies nothing when a row is refused, valid applies the rest") {
  Depot d;
  const std::int64_t bags = d.count("bags");

  auto check = post_file(d, "/api/v1/import/links?mode=check", d.admin, kFile);
  REQUIRE(check.status == 200);
  auto report = check.json();
  CHECK(report["applied"] == false);
  CHECK(report["rows"] == 6);
  CHECK(report["changed"] == 3);
  CHECK(report["rejected"] == 3);
  REQUIRE(report["rejections"].size() == 3);
  CHECK(report["rejections"][0]["line"] == 3);
  CHECK(report["rejections"][0]["child"] == "two words");
  CHECK(report["rejections"][0]["code"] == "invalid_code");
  CHECK(report["rejections"][1]["code"] == "not_a_child");
  CHECK(report["rejections"][2]["message"] ==
        "X-1 is not a parent bag code: parent codes are SB + 5 digits or M444- + 5 digits.");
  CHECK(d.count("bags") == bags);

  auto all = post_file(d, "/api/v1/import/links?mode=all", d.admin, kFile);
  check_error(all, 422, "rows_rejected");
  CHECK(all.json()["error"]["message"] == "3 of 6 rows were refused, so nothing was applied.");
  CHECK(all.json()["report"]["rejected"] == 3);
  CHECK(d.count("bags") == bags);

  auto valid = post_file(d, "/api/v1/import/links?mode=valid&area=Kanpur&name=list.csv", d.admin, kFile);
  REQUIRE(valid.status == 200);
  CHECK(valid.json()["applied"] == true);
  CHECK(valid.json()["links"] == 3);
  CHECK(d.count("bags") == bags + 5);
  CHECK(d.count("bags b JOIN areas a ON a.id = b.area_id WHERE a.name = 'Kanpur' AND b.code LIKE 'IMP-%'") == 3);
  CHECK(d.count("audit_log WHERE action = 'import' AND after_json LIKE '%list.csv%'") == 1);
  // The bag's history shows the import.
  auto bag = d.call("GET", "/api/v1/bags/IMP-1", d.admin);
  REQUIRE(bag.status == 200);
  CHECK(bag.json()["history"][0]["action"] == "import");
}

TEST_CASE("POST /import/links: admins only; a clear message for a bad mode, a bad file, a file too large") {
  Depot d;
  check_error(post_file(d, "/api/v1/import/links?mode=check", d.biller, kFile), 403, "forbidden");
  check_error(post_file(d, "/api/v1/import/links", d.admin, kFile), 400, "invalid_request");
  check_error(post_file(d, "/api/v1/import/links?mode=maybe", d.admin, kFile), 400, "invalid_request");
  auto bad = post_file(d, "/api/v1/import/links?mode=valid", d.admin, "parent,child\r\nSB1,\"open\r\n");
  check_error(bad, 400, "invalid_file");
  CHECK(bad.json()["error"]["message"] == "Line 2: a quoted cell is not closed (a \" is missing).");
  check_error(post_file(d, "/api/v1/import/links?mode=valid&area=Nowhere", d.admin, kFile), 422, "unknown_area");

  // 2 million rows (38 MB): over the import size, refused as soon as its length is announced (a
  // browser sends the length first and reads the answer).
  std::size_t huge = std::string_view("parent,child\r\n").size();
  char line[32];
  for (int i = 0; i < 2'000'000; ++i) {
    huge += static_cast<std::size_t>(std::snprintf(line, sizeof line, "SB%05d,C%07d\r\n", i % 100000, i));
  }
  CHECK(huge > (32u << 20));
  RawConnection raw(d.process->host(), d.process->port());
  std::string head = "POST /api/v1/import/links?mode=check HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\n";
  for (const auto& [name, value] : d.admin.headers) head += name + ": " + value + "\r\n";
  head += "Content-Length: " + std::to_string(huge) + "\r\n\r\n";
  REQUIRE(raw.send(head));
  const auto big = raw.read_response();
  REQUIRE(big.has_value());
  check_error(*big, 413, "payload_too_large");
  CHECK_MESSAGE(big->json()["error"]["message"].get<std::string>().find("32 MB") != std::string::npos, big->body);
  // Without credentials, not even a file within the limit is read.
  RawConnection anon(d.process->host(), d.process->port());
  REQUIRE(anon.send("POST /api/v1/import/links?mode=check HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n"));
  const auto refused = anon.read_response();
  REQUIRE(refused.has_value());
  check_error(*refused, 401, "unauthenticated");
  // Other routes keep the ordinary limit.
  check_error(d.call("POST", "/api/v1/areas", d.admin, std::string(2u << 20, 'x')), 413, "payload_too_large");
}

TEST_CASE("export links → import into an empty database → export: the same file, over HTTP and the command line") {
  Depot source;
  for (const char* parent : {"SB61001", "SB61002"}) {
    REQUIRE(source.call("POST", "/api/v1/scans/parent", source.admin, {{"code", parent}}).status == 201);
  }
  for (const char* child : {"rt-1", "=1+2", "@SUM(1)"}) {
    REQUIRE(source.call("POST", "/api/v1/scans/child", source.admin, {{"parent", "SB61001"}, {"code", child}}).status ==
            200);
  }
  REQUIRE(source.call("POST", "/api/v1/bills", source.biller,
                      {{"code", "BILL-RT"},
                       {"description", "Rice, 50 kg \"A\" grade; lot 7, row 3"},
                       {"destination", "=HYPERLINK(\"http://x.invalid\",\"x\")"},
                       {"capacity", 3}})
              .status == 201);
  REQUIRE(source.call("POST", "/api/v1/bills/BILL-RT/parents", source.biller, {{"code", "SB61001"}}).status == 201);
  const auto exported = source.call("GET", "/api/v1/export/links.csv?raw=1", source.admin);
  REQUIRE(exported.status == 200);
  CHECK(exported.body.find("SB61001,=1+2,BILL-RT,3,\"Rice, 50 kg \"\"A\"\" grade; lot 7, row 3\",") != std::string::npos);

  Depot by_http;
  auto imported = post_file(by_http, "/api/v1/import/links?mode=all", by_http.admin, exported.body);
  REQUIRE(imported.status == 200);
  CHECK(by_http.call("GET", "/api/v1/export/links.csv?raw=1", by_http.admin).body == exported.body);

  Depot by_command;
  const std::string path = write_temp("tt-import-roundtrip.csv", exported.body);
  const auto cli = run_tracetrack({"import", path, "--db", by_command.db.url()});
  CHECK(cli.exit_code == 0);
  CHECK(cli.output.find("applied: 2 parent bags and 3 child bags created, 3 links, 1 bills created") != std::string::npos);
  CHECK(run_tracetrack({"export", "links", "--raw", "--db", by_command.db.url()}).output == exported.body);

  // Refused rows: nothing applied, exit status 3, each row's reason in words.
  const std::string bad = write_temp("tt-import-bad.csv", kFile);
  const auto refused = run_tracetrack({"import", bad, "--db", by_command.db.url()});
  CHECK(refused.exit_code == 3);
  CHECK(refused.output.find("line 3 (SB60001,two words): The bag code contains whitespace") != std::string::npos);
  CHECK(refused.output.find("nothing applied") != std::string::npos);
  std::filesystem::remove(path);
  std::filesystem::remove(bad);
}
