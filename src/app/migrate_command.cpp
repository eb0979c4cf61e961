// `tracetrack migrate`: brings the database to this binary's schema and exits (SPEC §6).
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.hpp"
#include "app/io_threads.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace tt::app {

std::string migrate_usage() {
  return "usage: tracetrack migrate [--db URL]\n"
         "Brings the database to this binary's schema and exits (serve does the same at start-up).\n"
         "  --db URL   sqlite:PATH or postgresql://... [TRACETRACK_DB], default sqlite:tracetrack.db\n";
}

int migrate_command(const Config& config) {
  std::unique_ptr<storage::Database> db = open_for_command(config);

  asio::io_context ioc(1);
  IoThreads threads(ioc, 1);
  const storage::MigrationReport report = run_blocking(ioc, storage::migrate(*db));
  threads.stop();
  db->close();

  if (report.applied.empty()) {
    std::cout << db->describe() << ": schema already at version " << report.to_version << '\n';
  } else {
    std::cout << db->describe() << ": schema migrated from version " << report.from_version << " to "
              << report.to_version << '\n';
  }
  return 0;
}

}  // namespace tt::app
