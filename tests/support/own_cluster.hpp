// A PostgreSQL cluster of a test's own (scripts/pg-throwaway, named by TT_PG_THROWAWAY), which the
// test may restart without disturbing the tests running in parallel on the shared one.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace tt::test {

class OwnCluster {
 public:
  explicit OwnCluster(std::string script) : script_(std::move(script)) {
    FILE* out = ::popen((script_ + " start").c_str(), "r");
    REQUIRE(out != nullptr);
    char line[4096];
    while (std::fgets(line, sizeof line, out)) {
      std::string s(line);
      while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
      const std::string url_prefix = "export TRACETRACK_TEST_PG_URL=", dir_prefix = "export TT_PG_DIR=";
      if (s.starts_with(url_prefix)) url_ = s.substr(url_prefix.size());
      if (s.starts_with(dir_prefix)) dir_ = s.substr(dir_prefix.size());
    }
    REQUIRE(::pclose(out) == 0);
    REQUIRE_FALSE(url_.empty());
    REQUIRE_FALSE(dir_.empty());
  }
  ~OwnCluster() {
    if (std::system((script_ + " stop " + dir_).c_str()) != 0) MESSAGE("could not stop the cluster in " << dir_);
  }
  OwnCluster(const OwnCluster&) = delete;
  OwnCluster& operator=(const OwnCluster&) = delete;

  const std::string& url() const { return url_; }
  // Stops and starts the cluster again on the same port.
  bool restart() const { return std::system((script_ + " restart " + dir_ + " >/dev/null").c_str()) == 0; }

 private:
  std::string script_, url_, dir_;
};

}  // namespace tt::test
