// `tracetrack export bags|bills|scans|audit [filters] [--raw] > FILE.csv`: the CSV files of
// GET /api/v1/export/KIND.csv, for operators, read straight from the database (SPEC §3.7, §6).
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/io_threads.hpp"
#include "domain/errors.hpp"
#include "domain/identity.hpp"
#include "services/exports.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"

namespace tt::app {

namespace {

constexpr const char* kUsage =
    "usage: tracetrack export bags|bills|scans|audit|links [--from DATE] [--to DATE] [--area NAME] [--type parent|child]\n"
    "                         [--status open|completed] [--bill CODE] [--site ID] [--raw] [--db URL] > FILE.csv";

// Writes the pieces to standard output as they come.
class StdoutSink final : public services::ExportSink {
 protected:
  asio::awaitable<bool> deliver(std::string chunk) override {
    const bool written = std::fwrite(chunk.data(), 1, chunk.size(), stdout) == chunk.size();
    co_return written;
  }
};

// Reads the command's words into a kind and a filter: "--from 2026-11-01", "--from=2026-11-01",
// "--raw". Throws ConfigError for anything else.
struct ExportArgs {
  services::ExportKind kind = services::ExportKind::bags;
  std::vector<std::pair<std::string, std::string>> options;  // key (without --), value
};

ExportArgs parse_args(const std::vector<std::string>& args) {
  if (args.empty()) throw ConfigError(std::string("export needs what to export\n") + kUsage);
  ExportArgs out;
  auto kind = services::parse_export_kind(args.front());
  if (!kind) throw ConfigError("cannot export \"" + args.front() + "\"\n" + kUsage);
  out.kind = *kind;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!a.starts_with("--")) throw ConfigError("unexpected \"" + a + "\"\n" + kUsage);
    std::string key = a.substr(2);
    std::string value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key.resize(eq);
    } else if (key != "raw") {
      if (i + 1 >= args.size()) throw ConfigError("--" + key + " needs a value\n" + kUsage);
      value = args[++i];
    }
    out.options.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace

std::string export_usage() {
  return std::string(kUsage) +
         "\n"
         "Writes bags, bills, scans, the audit log or links (the importer's file) as CSV on standard output, streamed from one consistent\n"
         "snapshot of the database (the server may keep running). Cells a spreadsheet would run as a formula\n"
         "start with ' unless --raw is given (for a machine round trip).\n"
         "  --from, --to DATE  a date (the whole day in the depot's time zone, setting time_zone) or a time\n"
         "                     with its zone (2026-11-29T10:15:00Z); both ends included\n"
         "  --area NAME        bags, bills and scans of one dispatch area\n"
         "  --type, --bill     bags: parents or children; the parents on a bill and their children\n"
         "  --status           bills: open or completed\n"
         "  --site ID          head office: the rows that came from one site (its id: tracetrack site list)\n"
         "  --db URL           sqlite:PATH or postgresql://... [TRACETRACK_DB], default sqlite:tracetrack.db\n";
}

int export_command(const Config& config) {
  ExportArgs args;
  try {
    args = parse_args(config.args);
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
    const util::TimeZone zone = domain::time_zone_of(*settings);
    services::ExportFilter filter;
    for (const auto& [key, value] : args.options) {
      if (!services::read_export_filter(filter, args.kind, key, value, zone)) {
        throw ConfigError("the " + std::string(services::to_string(args.kind)) + " export has no option --" + key +
                          "\n" + kUsage);
      }
    }
    auto sink = std::make_shared<StdoutSink>();
    run_blocking(ioc, db->read(storage::job(services::export_csv, domain::system_identity("console"), args.kind,
                                            filter, std::shared_ptr<services::ExportSink>(sink), settings)));
    std::fflush(stdout);
  } catch (const ConfigError& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    status = 2;
  } catch (const domain::Failure& e) {
    std::cerr << "tracetrack: " << e.what() << '\n';
    status = 2;
  }
  threads.stop();
  db->close();
  return status;
}

}  // namespace tt::app
