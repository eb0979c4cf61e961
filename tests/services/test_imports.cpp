// Import of parent,child pairs (SPEC §3.7) on both backends: rows decided by the scan's rules,
// the three modes, the audit entry and the bags' history, bills, every kind of malformed file
// refused with its message and nothing applied, and the round trip export → import → export.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "domain/import_file.hpp"
#include "domain_world.hpp"
#include "services/exports.hpp"
#include "services/imports.hpp"

using namespace tt;
using namespace tt::test;
using services::ImportMode;
using services::ImportReport;

namespace {

class TextSink final : public services::ExportSink {
 public:
  std::string text;

 protected:
  asio::awaitable<bool> deliver(std::string chunk) override {
    text += chunk;
    co_return true;
  }
};

ImportReport import_text(World& w, const Caller& c, std::string text, ImportMode mode,
                         std::optional<std::string> area = std::nullopt) {
  services::ImportRequest r;
  r.file = std::make_shared<const std::string>(std::move(text));
  r.file_name = "test.csv";
  r.mode = mode;
  r.area = std::move(area);
  auto s = w.settings;
  if (mode == ImportMode::check) return run_sync(w.db->read(storage::job(services::import_links, c, r, s)));
  return run_sync(w.db->write(storage::job(services::import_links, c, r, s)));
}

std::string export_text(World& w, services::ExportKind kind, bool raw) {
  auto sink = std::make_shared<TextSink>();
  services::ExportFilter f;
  f.raw = raw;
  auto s = w.settings;
  run_sync(w.db->read(
      storage::job(services::export_csv, w.admin, kind, f, std::shared_ptr<services::ExportSink>(sink), s)));
  return sink->text;
}

// The message of the domain::Failure an import throws, with its code ("" when none).
std::pair<std::string, std::string> import_failure(World& w, std::string text) {
  try {
    import_text(w, w.admin, std::move(text), ImportMode::valid_rows);
  } catch (const domain::Failure& e) {
    return {std::string(domain::to_string(e.code)), e.what()};
  }
  return {"", ""};
}

std::int64_t changes_written(World& w) {
  return w.count("bags") + w.count("links") + w.count("bills") + w.count("bill_parents") +
         w.count("scan_events") + w.count("audit_log");
}

}  // namespace

TEST_CASE("import: rows are links made by the scan's rules, in one transaction with one audit entry") {
  World w;
  // Header in another order, a BOM, CRLF and LF, blank lines, a last line without its end.
  const std::string file =
      "\xEF\xBB\xBF" "child,parent\r\n"
      "c-1,SB10001\r\n"
      "\r\n"
      "c-2,sb10001\n"
      "\n"
      "c-3,SB10002\r\n"
      "c-1,SB10001";  // the same pair twice: already linked, not an error
  const ImportReport r = import_text(w, w.admin, file, ImportMode::valid_rows, "Lucknow");
  CHECK(r.applied);
  CHECK(r.rows == 4);
  CHECK(r.changed == 3);
  CHECK(r.unchanged == 1);
  CHECK(r.rejected == 0);
  CHECK(r.parents_created == 2);
  CHECK(r.children_created == 3);
  CHECK(r.links == 3);
  CHECK(w.links_of("SB10001") == 2);
  CHECK(w.parent_of("C-3") == "SB10002");
  CHECK(w.count("bags WHERE area_id = $1", params(w.lucknow)) == 5);
  // One audit entry with the counts; each changed row in the scan log as an import.
  CHECK(w.count("audit_log WHERE action = 'import'") == 1);
  CHECK(w.count("audit_log WHERE action = 'import' AND after_json LIKE '%\"changed\":3%'") == 1);
  CHECK(w.count("audit_log") == 1);
  CHECK(w.count("scan_events WHERE action = 'import' AND result = 'linked'") == 3);
  // The bags' history shows the import.
  auto s = w.settings;
  const auto bag = run_sync(w.db->read(storage::job(services::find_bag, w.admin, std::string("C-2"), s, true)));
  REQUIRE(bag);
  REQUIRE_FALSE(bag->history.empty());
  CHECK(bag->history.front().action == "import");
  const auto parent = run_sync(w.db->read(storage::job(services::find_bag, w.admin, std::string("SB10001"), s, true)));
  REQUIRE(parent);
  CHECK(parent->history.size() == 2);
}

TEST_CASE("import: refused rows are reported in words; the three modes") {
  World w;
  w.fill(w.biller, "SB20001", 30, "full");               // a full parent
  w.fill(w.biller, "SB20002", 1, "placed");              // placed-1 is in SB20002
  w.bill(w.biller, "DONE-1", 1, {"SB20002"}, true);      // on a completed bill
  const std::int64_t before = changes_written(w);
  const std::string file =
      "parent,child\r\n"
      "SB20003,new-1\r\n"
      "SB20003,bad code\r\n"          // line 3: invalid code
      "SB20001,new-2\r\n"             // line 4: parent full
      "SB20003,placed-1\r\n"          // line 5: in another parent
      "SB20003,SB20009\r\n"           // line 6: a parent code as child
      "SB20002,new-3\r\n"             // line 7: parent on a completed bill
      "X-1,new-4\r\n"                 // line 8: not a parent code
      "SB20003,new-5\r\n";

  SUBCASE("check reports and changes nothing") {
    const ImportReport r = import_text(w, w.admin, file, ImportMode::check);
    CHECK_FALSE(r.applied);
    CHECK(r.rows == 8);
    CHECK(r.changed == 2);
    CHECK(r.rejected == 6);
    REQUIRE(r.rejections.size() == 6);
    CHECK(r.rejections[0].line == 3);
    CHECK(r.rejections[0].code == domain::Error::invalid_code);
    CHECK(r.rejections[0].child == "bad code");
    CHECK(r.rejections[1].code == domain::Error::parent_full);
    CHECK(r.rejections[1].message == "Parent bag SB20001 is full: it holds 30 of 30 children.");
    CHECK(r.rejections[2].code == domain::Error::linked_elsewhere);
    CHECK(r.rejections[2].message == "Bag PLACED-1 is already in parent bag SB20002; relink it to move it.");
    CHECK(r.rejections[3].code == domain::Error::not_a_child);
    CHECK(r.rejections[4].code == domain::Error::bill_completed);
    CHECK(r.rejections[5].line == 8);
    CHECK(r.rejections[5].code == domain::Error::not_a_parent);
    CHECK(changes_written(w) == before);
  }
  SUBCASE("all or nothing applies nothing when a row is refused") {
    const ImportReport r = import_text(w, w.admin, file, ImportMode::all_or_nothing);
    CHECK_FALSE(r.applied);
    CHECK(r.rejected == 6);
    CHECK(changes_written(w) == before);
  }
  SUBCASE("valid rows applies the rows that pass") {
    const ImportReport r = import_text(w, w.admin, file, ImportMode::valid_rows);
    CHECK(r.applied);
    CHECK(r.changed == 2);
    CHECK(w.links_of("SB20003") == 2);
    CHECK(w.links_of("SB20001") == 30);
    CHECK(w.parent_of("PLACED-1") == "SB20002");
    CHECK(w.count("bags WHERE code IN ('NEW-2', 'NEW-3', 'NEW-4', 'SB20009', 'X-1')") == 0);
  }
  SUBCASE("rows fill a parent up to its capacity and no further, as scans do") {
    std::string many = "parent,child\n";
    for (int i = 1; i <= 32; ++i) many += "SB20004,k-" + std::to_string(i) + "\n";
    const ImportReport r = import_text(w, w.admin, many, ImportMode::valid_rows);
    CHECK(r.changed == 30);
    CHECK(r.rejected == 2);
    CHECK(w.links_of("SB20004") == 30);
  }
}

TEST_CASE("import: bill columns put parents on bills by the bill's rules") {
  World w;
  w.fill(w.biller, "SB40001", 1, "b");
  w.bill(w.biller, "OLD-1", 1, {"SB40001"});
  const std::string file =
      "parent,child,bill,bill_capacity,bill_destination\r\n"
      "SB40002,d-1,NEW-BILL,2,Kanpur depot\r\n"
      "SB40002,d-2,NEW-BILL,,\r\n"         // the bill's fields come from its first row
      "SB40003,,NEW-BILL,,\r\n"            // a parent alone onto the bill
      "SB40004,,NEW-BILL,,\r\n"            // line 5: the bill is full (capacity 2)
      "SB40001,,NEW-BILL,,\r\n"            // line 6: on another bill
      "SB40005,,LATER-BILL,,\r\n";         // line 7: a new bill needs its capacity
  const ImportReport r = import_text(w, w.admin, file, ImportMode::valid_rows);
  CHECK(r.bills_created == 1);
  CHECK(r.bill_adds == 2);
  REQUIRE(r.rejected == 3);
  CHECK(r.rejections[0].code == domain::Error::bill_full);
  CHECK(r.rejections[0].message == "Bill NEW-BILL is full: it carries 2 of 2 parent bags.");
  CHECK(r.rejections[1].code == domain::Error::on_another_bill);
  CHECK(r.rejections[2].code == domain::Error::invalid_capacity);
  CHECK(w.count("bills WHERE code = 'NEW-BILL' AND capacity = 2 AND destination = 'Kanpur depot'") == 1);
  CHECK(w.count("bill_parents bp JOIN bills b ON b.id = bp.bill_id WHERE b.code = 'NEW-BILL'") == 2);
  CHECK(w.count("scan_events WHERE action = 'import' AND bill_code = 'NEW-BILL'") == 2);
}

TEST_CASE("import: a malformed file gets a clear message and changes nothing") {
  World w;
  const std::int64_t before = changes_written(w);
  struct Case {
    const char* name;
    std::string text;
    const char* code;
    const char* message;
  };
  std::string long_line = "parent,child\r\nSB1,";
  long_line.append(10 * 1024 * 1024, 'A');
  std::string junk = "parent,child\r\n";
  for (int i = 0; i < 256; ++i) junk += static_cast<char>((i * 37) & 0xFF);
  std::string too_many = "parent,child\n";
  for (std::size_t i = 0; i <= domain::kImportMaxRows; ++i) too_many += "SB10001,c\n";
  const Case cases[] = {
      {"wrong column count", "parent,child\r\nSB10001,a\r\nSB10001,b,c\r\n", "invalid_file",
       "Line 3: the row has 3 cells where the first line names 2 columns."},
      {"unbalanced quotes", "parent,child\r\nSB10001,\"a\r\nSB10001,b\r\n", "invalid_file",
       "Line 2: a quoted cell is not closed (a \" is missing)."},
      {"text after a quote", "parent,child\r\nSB10001,\"a\"b\r\n", "invalid_file",
       "Line 2: there is text after the closing quote of a cell."},
      {"a 10 MB line", long_line, "invalid_file", "Line 2: the line is longer than 4096 bytes"},
      {"binary junk", junk, "invalid_file", "Line 2: the file holds a NUL byte: it is not a text file."},
      {"invalid UTF-8", "parent,child\r\nSB10001,caf\xE9\r\n", "invalid_file",
       "Line 2: the file is not UTF-8 text"},
      {"no header", "SB10001,c-1\r\nSB10001,c-2\r\n", "invalid_file",
       "Line 1: the first line must name the columns"},
      {"a column missing", "parent,bill\r\nSB10001,B-1\r\n", "invalid_file",
       "Line 1: the first line must name both the parent and the child columns."},
      {"a column twice", "parent,child,Child\r\nSB10001,a,b\r\n", "invalid_file",
       "Line 1: the column child is named twice."},
      {"empty file", "", "invalid_file", "The file is empty"},
      {"header only", "\xEF\xBB\xBFparent,child\r\n\r\n", "invalid_file", "The file holds no rows"},
      {"too many rows", too_many, "payload_too_large", "The file has more than 100000 rows"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const auto [code, message] = import_failure(w, c.text);
    CHECK(code == c.code);
    CHECK(message.starts_with(c.message));
  }
  CHECK(changes_written(w) == before);
}

TEST_CASE("import: export links raw, import into an empty database, export again: the same file") {
  World source;
  source.fill(source.biller, "SB50001", 3, "x");
  REQUIRE_FALSE(source.parent(source.biller, "SB50002").refusal);      // a parent with no children
  REQUIRE_FALSE(source.parent(source.biller, "SB50003").refusal);
  REQUIRE(source.child(source.biller, "SB50003", "=1+2").result == domain::ScanResult::linked);
  REQUIRE(source.child(source.biller, "SB50003", "@SUM(1)").result == domain::ScanResult::linked);
  REQUIRE(source.child(source.biller, "SB50003", "free-1").result == domain::ScanResult::linked);
  auto s = source.settings;
  run_sync(source.db->write(storage::job(services::unlink, source.biller, std::string("FREE-1"), s)));  // a child in no parent
  services::NewBill bill{"BILL-RT", "Rice, 50 kg \"A\" grade; lot 7, row 3", std::string("=HYPERLINK(\"http://x.invalid\",\"x\")"),
                         std::string("UP32 AB 1234"), 5};
  run_sync(source.db->write(storage::job(services::create_bill, source.biller, bill, s)));
  source.bill(source.biller, "BILL-2", 3, {"SB50003"}, true);
  run_sync(source.db->write(storage::job(services::add_parent_to_bill, source.biller, std::string("BILL-RT"),
                                         std::string("SB50001"), s, kNoClientScanId)));

  const std::string raw = export_text(source, services::ExportKind::links, true);
  const std::string guarded = export_text(source, services::ExportKind::links, false);
  CHECK(raw.starts_with(domain::import_header()));
  CHECK(raw.find("\r\n,FREE-1,,,,,\r\n") != std::string::npos);
  CHECK(guarded.find("'=1+2") != std::string::npos);

  for (const std::string* file : {&raw, &guarded}) {
    World target;
    const ImportReport r = import_text(target, target.admin, *file, ImportMode::all_or_nothing);
    CHECK(r.applied);
    CHECK(r.rejected == 0);
    CHECK(export_text(target, services::ExportKind::links, true) == raw);
    CHECK(export_text(target, services::ExportKind::links, false) == guarded);
  }
}
