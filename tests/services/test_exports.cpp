// CSV exports (SPEC §3.7) on both backends: every kind parses back as RFC 4180, text that a
// spreadsheet would run is guarded unless raw, dispatchers get their own area, large files come in
// pieces, and a reader that goes away stops the export.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "domain_world.hpp"
#include "services/exports.hpp"
#include "support/csv_reader.hpp"

using namespace tt;
using namespace tt::test;
using services::ExportKind;

namespace {

// Keeps what it is given; refuses after `limit` pieces (a reader that went away).
class CollectSink final : public services::ExportSink {
 public:
  explicit CollectSink(int limit = 1 << 30) : limit_(limit) {}
  std::string text;
  int pieces = 0;

 protected:
  asio::awaitable<bool> deliver(std::string chunk) override {
    if (pieces >= limit_) co_return false;
    ++pieces;
    text += chunk;
    co_return true;
  }

 private:
  int limit_;
};

services::ExportFilter filter_of(std::initializer_list<std::pair<const char*, const char*>> pairs, ExportKind kind) {
  services::ExportFilter f;
  for (const auto& [k, v] : pairs) REQUIRE(services::read_export_filter(f, kind, k, v, util::TimeZone::utc()));
  return f;
}

std::shared_ptr<CollectSink> run_export(World& w, const Caller& c, ExportKind kind, services::ExportFilter f = {},
                                        int limit = 1 << 30) {
  auto sink = std::make_shared<CollectSink>(limit);
  auto s = w.settings;
  run_sync(w.db->read(
      storage::job(services::export_csv, c, kind, f, std::shared_ptr<services::ExportSink>(sink), s)));
  return sink;
}

CsvRows rows_of(World& w, const Caller& c, ExportKind kind, services::ExportFilter f = {}) {
  return read_csv(run_export(w, c, kind, std::move(f))->text);
}

asio::awaitable<void> create_tricky_bill(storage::Tx& tx, Caller c, SettingsPtr s) {
  services::NewBill b;
  b.code = "BILL-CSV";
  b.description = "Rice, 50 kg \"A\" grade; lot 7, row 3";
  b.destination = "=HYPERLINK(\"http://x.invalid\",\"x\")";
  b.capacity = 5;
  co_await services::create_bill(tx, c, b, s);
  const std::string bill = "BILL-CSV", parent = "SB30000";
  co_await services::add_parent_to_bill(tx, c, bill, parent, s, kNoClientScanId);
}

}  // namespace

TEST_CASE("exports: bags and bills parse back intact, with formulas guarded unless raw") {
  World w;
  REQUIRE_FALSE(w.parent(w.biller, "SB30000").refusal);
  REQUIRE(w.child(w.biller, "SB30000", "=1+2").result == domain::ScanResult::linked);
  REQUIRE(w.child(w.biller, "SB30000", "@SUM(1)").result == domain::ScanResult::linked);
  run_sync(w.db->write(storage::job(create_tricky_bill, w.biller, w.settings)));

  const CsvRows bills = rows_of(w, w.admin, ExportKind::bills);
  REQUIRE(bills.size() == 2);
  CHECK(bills[0][0] == "code");
  CHECK(bills[1][0] == "BILL-CSV");
  CHECK(bills[1][1] == "Rice, 50 kg \"A\" grade; lot 7, row 3");
  CHECK(bills[1][2] == "'=HYPERLINK(\"http://x.invalid\",\"x\")");
  CHECK(bills[1][5] == "open");
  CHECK(bills[1][7] == "1");  // parents
  CHECK(bills[1][8] == "2");  // children
  CHECK(bills[1][9] == "2");  // weight_kg
  const CsvRows raw_bills = rows_of(w, w.admin, ExportKind::bills, filter_of({{"raw", "1"}}, ExportKind::bills));
  CHECK(raw_bills[1][2] == "=HYPERLINK(\"http://x.invalid\",\"x\")");

  const CsvRows bags = rows_of(w, w.admin, ExportKind::bags);
  REQUIRE(bags.size() == 4);
  CHECK(bags[0] == std::vector<std::string>{"code", "type", "kind", "area", "parent", "bill", "children",
                                            "created_at", "created_by"});
  CHECK(bags[1][0] == "SB30000");
  CHECK(bags[1][5] == "BILL-CSV");
  CHECK(bags[1][6] == "2");
  CHECK(bags[2][0] == "'=1+2");
  CHECK(bags[2][4] == "SB30000");
  CHECK(bags[2][5] == "BILL-CSV");  // a child's bill is its parent's
  CHECK(bags[3][0] == "'@SUM(1)");
  const CsvRows raw_bags = rows_of(w, w.admin, ExportKind::bags, filter_of({{"raw", "1"}}, ExportKind::bags));
  CHECK(raw_bags[2][0] == "=1+2");
  CHECK(raw_bags[3][0] == "@SUM(1)");

  // Filters: type, bill, dates.
  CHECK(rows_of(w, w.admin, ExportKind::bags, filter_of({{"type", "child"}}, ExportKind::bags)).size() == 3);
  CHECK(rows_of(w, w.admin, ExportKind::bags, filter_of({{"bill", "bill-csv"}}, ExportKind::bags)).size() == 4);
  CHECK(rows_of(w, w.admin, ExportKind::bags, filter_of({{"to", "2000-01-01"}}, ExportKind::bags)).size() == 1);
  CHECK(rows_of(w, w.admin, ExportKind::bills, filter_of({{"status", "completed"}}, ExportKind::bills)).size() == 1);
}

TEST_CASE("exports: scans and the audit log, and a dispatcher's own area only") {
  World w;
  w.fill(w.dispatcher, "SB31000", 2, "LKO");
  w.fill(w.other_dispatcher, "SB31001", 1, "KNP");
  REQUIRE(w.child(w.dispatcher, "SB31000", "SB31001").result == domain::ScanResult::rejected);

  const CsvRows mine = rows_of(w, w.dispatcher, ExportKind::bags);
  CHECK(mine.size() == 4);  // header, the parent and its two children: nothing of Kanpur
  for (std::size_t i = 1; i < mine.size(); ++i) CHECK(mine[i][3] == "Lucknow");
  CHECK(rows_of(w, w.admin, ExportKind::bags).size() == 6);
  CHECK(rows_of(w, w.admin, ExportKind::bags, filter_of({{"area", "kanpur"}}, ExportKind::bags)).size() == 3);

  const CsvRows scans = rows_of(w, w.admin, ExportKind::scans);
  REQUIRE(scans.size() == 1 + 2 + 3 + 1);  // the header, 2 parents, 3 children, 1 refusal
  CHECK(scans[0] == std::vector<std::string>{"at", "user", "action", "code", "parent", "bill", "result", "reason",
                                             "area", "client", "site"});
  CHECK(scans.back()[6] == "rejected");
  CHECK(scans.back()[7] == "not_a_child");
  CHECK(rows_of(w, w.other_dispatcher, ExportKind::scans).size() == 3);

  const CsvRows audit = rows_of(w, w.admin, ExportKind::audit);
  CHECK(audit[0][0] == "at");
  CHECK(audit.size() > 1);
}

TEST_CASE("exports: a large file comes in pieces, and a reader that goes away stops it") {
  World w;
  for (int p = 0; p < 33; ++p) w.fill(w.biller, "SB" + std::to_string(32000 + p), 30, "BIG" + std::to_string(p));
  auto all = run_export(w, w.admin, ExportKind::bags);
  const CsvRows rows = read_csv(all->text);
  CHECK(rows.size() == 1 + 33 * 31);  // more than one page of 1000 rows
  CHECK(all->pieces >= 2);  // the header goes alone, at once
  auto stopped = run_export(w, w.admin, ExportKind::bags, {}, 1);
  CHECK(stopped->pieces == 1);  // the header alone, then nothing more was read
  CHECK(stopped->text == services::export_header(ExportKind::bags));
}

TEST_CASE("exports: filters that are not the kind's, or malformed, are refused") {
  services::ExportFilter f;
  const auto utc = util::TimeZone::utc();
  CHECK_FALSE(services::read_export_filter(f, ExportKind::bills, "type", "parent", utc));
  CHECK_FALSE(services::read_export_filter(f, ExportKind::audit, "area", "Lucknow", utc));
  CHECK(error_code([&] { services::read_export_filter(f, ExportKind::bags, "type", "box", utc); }) ==
        "invalid_request");
  CHECK(error_code([&] { services::read_export_filter(f, ExportKind::bags, "from", "yesterday", utc); }) ==
        "invalid_request");
  CHECK(error_code([&] { services::read_export_filter(f, ExportKind::bags, "bill", "a b", utc); }) == "invalid_code");
  CHECK(services::parse_export_kind("scans") == ExportKind::scans);
  CHECK_FALSE(services::parse_export_kind("users"));
}
