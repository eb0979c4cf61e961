#include "support/test_db.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "storage/migrations.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::test {

namespace {

namespace fs = std::filesystem;

// Forwards to the real backend and deletes the database once closed, whichever way the test
// ends. Jobs reach the backend through its public write/read, so they still resume on the
// caller's executor.
class OwnedDatabase final : public storage::Database {
 public:
  OwnedDatabase(std::unique_ptr<storage::Database> inner, std::function<void()> remove)
      : inner_(std::move(inner)), remove_(std::move(remove)) {}
  ~OwnedDatabase() override {
    inner_->close();
    inner_.reset();
    if (remove_) remove_();
  }

  storage::Database& inner() { return *inner_; }
  storage::Dialect dialect() const noexcept override { return inner_->dialect(); }
  asio::awaitable<void> ping() override { co_await inner_->ping(); }
  void close() override { inner_->close(); }
  std::string describe() const override { return inner_->describe(); }
  storage::DbStats stats() const override { return inner_->stats(); }

 protected:
  asio::awaitable<void> run_write(Job job, storage::WriteOptions options) override {
    co_await inner_->write(storage::job(run_job, std::move(job)), std::move(options));
  }
  asio::awaitable<void> run_read(Job job) override { co_await inner_->read(storage::job(run_job, std::move(job))); }

  static asio::awaitable<void> run_job(storage::Tx& tx, Job job) { co_await job(tx); }

 private:
  std::unique_ptr<storage::Database> inner_;
  std::function<void()> remove_;
};

std::string random_suffix() {
  static std::atomic<unsigned> counter{0};
  std::mt19937_64 rng(std::random_device{}());
  return std::to_string(rng() % 1000000000ULL) + "_" + std::to_string(counter++);
}

std::unique_ptr<storage::Database> open_sqlite_test_database(const storage::DbOptions& options) {
  const fs::path dir = fs::temp_directory_path() / ("tracetrack-test-" + random_suffix());
  fs::create_directories(dir);
  try {
    auto db = std::make_unique<storage::sqlite::SqliteDatabase>((dir / "test.db").string(), options);
    return with_cleanup(std::move(db), [dir] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    });
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
}

}  // namespace

std::string backend_name() {
  const char* v = std::getenv("TT_BACKEND");
  return v && *v ? std::string(v) : std::string("sqlite");
}

bool testing_sqlite() { return backend_name() == "sqlite"; }
bool testing_postgres() { return backend_name() == "postgres"; }

std::unique_ptr<storage::Database> with_cleanup(std::unique_ptr<storage::Database> db, std::function<void()> remove) {
  return std::make_unique<OwnedDatabase>(std::move(db), std::move(remove));
}

storage::Database& backend_of(storage::Database& db) {
  if (auto* owned = dynamic_cast<OwnedDatabase*>(&db)) return owned->inner();
  return db;
}

std::unique_ptr<storage::Database> open_test_database(Schema schema, storage::DbOptions options) {
  std::unique_ptr<storage::Database> db;
  const std::string backend = backend_name();
  if (backend == "sqlite") {
    db = open_sqlite_test_database(options);
  } else if (backend == "postgres") {
    db = open_postgres_test_database(options);
  } else {
    throw std::runtime_error("TT_BACKEND must be sqlite or postgres, not \"" + backend + "\"");
  }
  if (schema == Schema::migrated) run_sync(storage::migrate(*db), std::chrono::seconds(60), 1);
  return db;
}

}  // namespace tt::test
