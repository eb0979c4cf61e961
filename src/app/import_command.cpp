// `tracetrack import FILE [--check | --valid-rows] [--area NAME]`: the importer of POST
// /api/v1/import/links for operators (SPEC §3.7, §6), run straight on the database as the console.
// Without --check or --valid-rows every row is applied, or none when one is refused.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "app/commands.hpp"
#include "app/io_threads.hpp"
#include "domain/errors.hpp"
#include "domain/identity.hpp"
#include "services/imports.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage =
    "usage: tracetrack import FILE.csv [--check | --valid-rows] [--area NAME] [--db URL]";

// Exit statuses besides 0 (applied, or a check that found nothing wrong) and 2 (usage, file).
constexpr int kRowsRefused = 3;

struct ImportArgs {
  std::string file;
  services::ImportMode mode = services::ImportMode::all_or_nothing;
  std::optional<std::string> area;
};

ImportArgs parse_args(const std::vector<std::string>& args) {
  ImportArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--check") {
      out.mode = services::ImportMode::check;
    } else if (a == "--valid-rows") {
      out.mode = services::ImportMode::valid_rows;
    } else if (a == "--area" || a.starts_with("--area=")) {
      if (a == "--area") {
        if (i + 1 >= args.size()) throw ConfigError(std::string("--area needs a name\n") + kUsage);
        out.area = args[++i];
      } else {
        out.area = a.substr(7);
      }
    } else if (a.starts_with("--") || !out.file.empty()) {
      throw ConfigError("unexpected \"" + a + "\"\n" + kUsage);
    } else {
      out.file = a;
    }
  }
  if (out.file.empty()) throw ConfigError(std::string("import needs the file to read\n") + kUsage);
  return out;
}

// The whole file, refused when larger than `limit` bytes.
std::string read_file(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + path);
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) {
      throw ConfigError(path + " is larger than " + std::to_string(limit >> 20) +
                        " MB: split it, or raise --max-import");
    }
  }
  return text;
}

void print_report(const services::ImportReport& r, std::ostream& out) {
  for (const auto& x : r.rejections) {
    out << "line " << x.line << " (" << x.parent << "," << x.child;
    if (!x.bill.empty()) out << "," << x.bill;
    out << "): " << x.message << '\n';
  }
  if (r.rejected > static_cast<std::int64_t>(r.rejections.size())) {
    out << "... and " << (r.rejected - static_cast<std::int64_t>(r.rejections.size())) << " more refused rows\n";
  }
  out << r.rows << " rows: " << r.changed << " to apply, " << r.unchanged << " already so, " << r.rejected
      << " refused\n";
  if (r.applied) {
    out << "applied: " << r.parents_created << " parent bags and " << r.children_created << " child bags created, "
        << r.links << " links, " << r.bills_created << " bills created, " << r.bill_adds << " parents put on bills\n";
  } else if (r.mode == services::ImportMode::check) {
    out << "nothing applied (--check)\n";
  } else {
    out << "nothing applied: rows were refused (fix them, or apply the others with --valid-rows)\n";
  }
}

}  // namespace

std::string import_usage() {
  return std::string(kUsage) +
         "\n"
         "Reads a CSV file of parent,child pairs (optionally bill, bill_capacity, bill_description,\n"
         "bill_destination, bill_vehicle; the first line names the columns, in any order: the file of\n"
         "`tracetrack export links`), checks every row with the rules of a scan, and applies it in one\n"
         "transaction: every row, or none when a row is refused.\n"
         "  --check        only report what would be applied and which rows are refused, and why\n"
         "  --valid-rows   apply the rows that pass and leave the refused ones\n"
         "  --area NAME    the dispatch area of the bags the file creates\n"
         "  --db URL       sqlite:PATH or postgresql://... [TRACETRACK_DB], default sqlite:tracetrack.db\n"
         "Files are at most 100,000 rows and --max-import bytes (32 MB). Exit status: 0 applied (or a\n"
         "clean check), 3 rows refused and nothing applied, 2 a file or option that cannot be used.\n";
}

int import_command(const Config& config) {
  ImportArgs args;
  std::string text;
  try {
    args = parse_args(config.args);
    text = read_file(args.file, config.max_import_bytes);
  } catch (const ConfigError& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    return 2;
  }
  std::unique_ptr<storage::Database> db = open_existing_for_command(config);
  if (!db) return 1;
  asio::io_context ioc(1);
  IoThreads threads(ioc, 1);
  int status = 0;
  try {
    auto settings = std::make_shared<const domain::Settings>(
        run_blocking(ioc, db->read(storage::job(services::load_bag_settings))));
    services::ImportRequest request;
    request.file = std::make_shared<const std::string>(std::move(text));
    request.file_name = std::filesystem::path(args.file).filename().string();
    request.mode = args.mode;
    request.area = args.area;
    const services::Caller console = domain::system_identity("console");
    services::ImportReport report;
    if (args.mode == services::ImportMode::check) {
      report = run_blocking(ioc, db->read(storage::job(services::import_links, console, request, settings)));
    } else {
      report = run_blocking(ioc, db->write(storage::job(services::import_links, console, request, settings), storage::write_alone()));
    }
    print_report(report, std::cout);
    if (!report.applied && report.rejected > 0) status = kRowsRefused;
  } catch (const domain::Failure& e) {
    std::cerr << "tracetrack: " << args.file << ": " << e.what() << '\n';
    status = 2;
  }
  threads.stop();
  db->close();
  return status;
}

}  // namespace tt::app
