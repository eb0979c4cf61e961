#include "storage/sqlite/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tt::storage::sqlite {

namespace {

void fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DbError("backup: cannot open " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw DbError("backup: cannot flush " + path + ": " + std::strerror(err));
}

}  // namespace

asio::awaitable<void> copy_database(Tx& tx, std::string dest_path) {
  namespace fs = std::filesystem;
  if (dest_path.empty()) throw DbError("backup: no destination file given");
  std::error_code ec;
  if (fs::exists(dest_path, ec)) throw DbError("backup: " + dest_path + " already exists");
  // VACUUM INTO reads one snapshot (writers carry on meanwhile) and writes a compact copy.
  co_await tx.exec("VACUUM INTO $1", params(dest_path));
  fsync_path(dest_path);
  // The new directory entry must reach the disk too, or a power cut could lose the whole file.
  fs::path dir = fs::absolute(fs::path(dest_path), ec).parent_path();
  if (!ec) fsync_path(dir.string());
}

}  // namespace tt::storage::sqlite
