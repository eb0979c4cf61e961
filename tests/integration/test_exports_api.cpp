// GET /api/v1/export/{bags,bills,scans,audit}.csv and `tracetrack export` (SPEC §3.7) against the
// real server: streamed CSV that parses back, guarded formulas unless raw, the area rule, filters.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"
#include "support/csv_reader.hpp"

using namespace tt::test;

namespace {

void tricky_depot(Depot& d) {
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB40000"}}).status == 201);
  for (const char* child : {"=1+2", "@SUM(1)"}) {
    REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB40000"}, {"code", child}}).status ==
            200);
  }
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller,
                 {{"code", "BILL-CSV"},
                  {"description", "Rice, 50 kg \"A\" grade; lot 7, row 3"},
                  {"destination", "=HYPERLINK(\"http://x.invalid\",\"x\")"},
                  {"capacity", 3}})
              .status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-CSV/parents", d.biller, {{"code", "SB40000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.other_dispatcher, {{"code", "SB40001"}}).status == 201);
}

}  // namespace

TEST_CASE("GET /export/*.csv streams RFC 4180 files, formulas guarded unless raw=1") {
  Depot d;
  tricky_depot(d);
  auto bills = d.call("GET", "/api/v1/export/bills.csv", d.admin);
  REQUIRE(bills.status == 200);
  CHECK(bills.header("content-type") == "text/csv; charset=utf-8");
  CHECK(bills.header("transfer-encoding") == "chunked");
  CHECK(bills.header("content-disposition")->find("tracetrack-bills-") != std::string::npos);
  const CsvRows b = read_csv(bills.body);
  REQUIRE(b.size() == 2);
  CHECK(b[1][1] == "Rice, 50 kg \"A\" grade; lot 7, row 3");
  CHECK(b[1][2] == "'=HYPERLINK(\"http://x.invalid\",\"x\")");
  CHECK(read_csv(d.call("GET", "/api/v1/export/bills.csv?raw=1", d.admin).body)[1][2] ==
        "=HYPERLINK(\"http://x.invalid\",\"x\")");

  const CsvRows bags = read_csv(d.call("GET", "/api/v1/export/bags.csv", d.admin).body);
  REQUIRE(bags.size() == 5);
  CHECK(bags[2][0] == "'=1+2");
  CHECK(bags[3][0] == "'@SUM(1)");
  CHECK(bags[3][5] == "BILL-CSV");
  const CsvRows raw = read_csv(d.call("GET", "/api/v1/export/bags.csv?raw=1&type=child", d.admin).body);
  REQUIRE(raw.size() == 3);
  CHECK(raw[1][0] == "=1+2");
  CHECK(raw[2][0] == "@SUM(1)");

  // A dispatcher exports their own area only.
  const CsvRows kanpur = read_csv(d.call("GET", "/api/v1/export/bags.csv", d.other_dispatcher).body);
  REQUIRE(kanpur.size() == 2);
  CHECK(kanpur[1][0] == "SB40001");
  CHECK(read_csv(d.call("GET", "/api/v1/export/scans.csv", d.other_dispatcher).body).size() == 2);
  CHECK(read_csv(d.call("GET", "/api/v1/export/audit.csv", d.admin).body).size() > 1);

  check_error(d.call("GET", "/api/v1/export/bills.csv?type=parent", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/export/bags.csv?from=yesterday", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/export/bags.csv?bill=a%20b", d.admin), 422, "invalid_code");
}

TEST_CASE("tracetrack export writes the same file as the API, for operators") {
  Depot d;
  tricky_depot(d);
  const auto api = d.call("GET", "/api/v1/export/bags.csv?raw=1", d.admin);
  REQUIRE(api.status == 200);
  const auto cli = run_tracetrack({"export", "bags", "--raw", "--db", d.db.url()});
  REQUIRE(cli.exit_code == 0);
  CHECK(cli.output == api.body);
  const auto filtered = run_tracetrack({"export", "bills", "--status=completed", "--db", d.db.url()});
  CHECK(filtered.exit_code == 0);
  CHECK(read_csv(filtered.output).size() == 1);
  const auto wrong = run_tracetrack({"export", "bills", "--type", "parent", "--db", d.db.url()});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.output.find("no option --type") != std::string::npos);
  const auto unknown = run_tracetrack({"export", "users", "--db", d.db.url()});
  CHECK(unknown.exit_code == 2);
}

TEST_CASE("GET /bills/{code}/report.csv: one line per parent, the bill's columns repeated, formulas guarded") {
  Depot d;
  tricky_depot(d);
  auto r = d.call("GET", "/api/v1/bills/bill-csv/report.csv", d.biller);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "text/csv; charset=utf-8");
  CHECK(r.header("content-disposition") == "attachment; filename=\"bill-BILL-CSV.csv\"");
  const CsvRows rows = read_csv(r.body);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == "bill");
  CHECK(rows[1] == std::vector<std::string>{"BILL-CSV", "Rice, 50 kg \"A\" grade; lot 7, row 3",
                                            "'=HYPERLINK(\"http://x.invalid\",\"x\")", "", "open", "SB40000", "SB",
                                            "2", "2", "30", rows[1][10], "bina"});
  CHECK(read_csv(d.call("GET", "/api/v1/bills/BILL-CSV/report.csv?raw=1", d.biller).body)[1][2] ==
        "=HYPERLINK(\"http://x.invalid\",\"x\")");
  check_error(d.call("GET", "/api/v1/bills/BILL-CSV/report.csv", d.other_dispatcher), 404, "not_found");
}
