// Head office and depots as users run them, for the synchronisation tests (SPEC §8): real server
// processes on loopback, each with its own database. Head office runs on the backend under test,
// keeps its port across restarts (the depots' --upstream stays right), and registers sites; a
// depot runs on SQLite with an upstream, a biller of its area, and a short --sync-interval so
// that what head office changes arrives within a second or two.
#pragma once

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "accounts_fixture.hpp"
#include "storage/database.hpp"
#include "storage/job.hpp"
#include "support/test_db.hpp"
#include "util/ids.hpp"

namespace tt::test {

namespace fs = std::filesystem;
using nlohmann::json;

inline const std::string kPw = "depot password 1";

// A loopback port nobody listens on now: head office keeps its address across restarts, as a
// real one does, so the depots' --upstream stays right.
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline boost::asio::awaitable<std::vector<std::string>> read_texts(storage::Tx& tx, std::string sql) {
  const storage::Rows rows = co_await tx.query(sql);
  std::vector<std::string> out;
  for (const auto& r : rows) {
    if (r.is_null(0)) {
      out.push_back("(null)");
    } else {
      out.push_back(r.text(0));
    }
  }
  std::sort(out.begin(), out.end());
  co_return out;
}

// One text column of a query on a database, sorted.
inline std::vector<std::string> texts(const std::string& url, const std::string& sql) {
  auto db = storage::open_database(url, {});
  auto out = run_sync(db->read(storage::job(read_texts, sql)));
  db->close();
  return out;
}

struct SyncSite {
  std::string id;
  std::string token;
};

// Head office: areas Kanpur and Lucknow, sites registered for each.
struct HeadOffice {
  std::uint16_t port = free_port();
  std::unique_ptr<AccountsServer> server;

  HeadOffice() { start(); }
  ServeOptions options() const {
    ServeOptions o;
    o.args = {"--listen", "127.0.0.1:" + std::to_string(port)};
    return o;
  }
  void start() {
    if (!server) {
      server = std::make_unique<AccountsServer>(options());
    } else {
      server->process = std::make_unique<ServerProcess>(server->db.url(), options());
      server->http = server->process->client();
    }
  }
  void stop() { server->process->stop(); }
  void kill() {
    server->process->signal(SIGKILL);
    server->process->wait_exit(std::chrono::seconds(10));
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  // Areas Kanpur and Lucknow, and a site for each: "Kanpur depot", "Lucknow depot".
  std::pair<SyncSite, SyncSite> two_sites() {
    server->add_area("Kanpur");
    server->add_area("Lucknow");
    return {add_site("Kanpur depot", {"Kanpur"}), add_site("Lucknow depot", {"Lucknow"})};
  }

  SyncSite add_site(const std::string& name, const std::vector<std::string>& areas) {
    auto made = server->call("POST", "/api/v1/sites", server->admin, {{"name", name}, {"areas", areas}});
    REQUIRE(made.status == 201);
    return SyncSite{made.json()["site"]["id"].get<std::string>(), made.json()["token"].get<std::string>()};
  }
};

// A depot on SQLite pushing to head office as `site`, with a biller of its area (API token).
struct DepotBox {
  fs::path dir = fs::temp_directory_path() / ("tt-depot-" + util::uuid_v7());
  std::string token_file;
  ServeOptions options;
  std::unique_ptr<AccountsServer> server;
  Caller worker;

  // `upstream`: head office's URL, or a proxy's in front of it.
  // `env`: more environment for the depot's server (a clock set wrong).
  DepotBox(const HeadOffice& hq, const SyncSite& site, const std::string& area, std::string upstream = {},
           std::vector<std::pair<std::string, std::string>> env = {}) {
    options.env = std::move(env);
    fs::create_directories(dir);
    token_file = (dir / "sync-token").string();
    std::ofstream(token_file) << site.token << "\n";
    if (upstream.empty()) upstream = hq.url();
    options.args = {"--upstream", upstream, "--site-id", site.id, "--sync-token-file", token_file, "--sync-interval", "1"};
    server = std::make_unique<AccountsServer>(options, "sqlite");
    // Head office's feed may have brought the area already: the depot pulls at once when it starts.
    const auto made = server->call("POST", "/api/v1/areas", server->admin, {{"name", area}});
    REQUIRE((made.status == 201 || made.status == 409));
    server->add_user("worker", kPw, "biller", area);
    worker = AccountsServer::bearer(server->add_token("scanner", "worker").secret);
  }
  ~DepotBox() { fs::remove_all(dir); }

  HttpResponse scan_parent(const std::string& code) {
    return server->call("POST", "/api/v1/scans/parent", worker, {{"code", code}});
  }
  HttpResponse scan_child(const std::string& parent, const std::string& code) {
    return server->call("POST", "/api/v1/scans/child", worker, {{"parent", parent}, {"code", code}});
  }
  json status() { return server->call("GET", "/api/v1/sync/status", server->admin).json(); }
  // The status once the pusher is in `state`, or the last one seen after 10 s.
  json status_when(const std::string& state) {
    json s = status();
    for (int i = 0; i < 100 && s["state"] != state; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s = status();
    }
    return s;
  }
  void kill_and_restart() {
    server->process->signal(SIGKILL);
    server->process->wait_exit(std::chrono::seconds(10));
    server->process = std::make_unique<ServerProcess>(server->db.url(), options);
    server->http = server->process->client();
  }

  // Waits until head office acknowledged everything this depot wrote.
  bool drained(std::chrono::seconds limit = std::chrono::seconds(90)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      const json s = status();
      if (s["backlog_ops"] == 0 && s["state"] == "ok") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    MESSAGE("depot status: " << status().dump());
    return false;
  }
};

// What the depot holds of a table is at head office, row for row (by uid), and marked as the
// site's.
inline void check_arrived(const DepotBox& depot, const HeadOffice& hq, const std::string& table, const std::string& site_id) {
  const auto here = texts(depot.server->db.url(), "SELECT uid FROM " + table);
  const auto there = texts(hq.server->db.url(), "SELECT t.uid FROM " + table +
                                                    " t JOIN sites s ON s.id = t.site_id WHERE s.uid = '" + site_id + "'");
  INFO("table " << table);
  CHECK(here.size() == there.size());
  CHECK(here == there);
}

// A loopback proxy in front of head office that loses the answer to chosen pushes: it passes the
// request on, lets head office apply and answer it, then closes the depot's connection without a
// byte of the answer (a link that drops at the worst moment). It keeps every push and its answer,
// to be replayed later. One connection at a time: the pusher opens one per request.
class AnswerDroppingProxy {
 public:
  AnswerDroppingProxy(std::uint16_t upstream, int drop_pushes) : upstream_(upstream), drop_(drop_pushes) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~AnswerDroppingProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int dropped() const { return dropped_; }
  // Loses the answers to the next `n` pushes too.
  void drop_next(int n) { drop_ += n; }
  // The bodies of the pushes that went through, and of head office's answers, in order.
  std::vector<std::pair<std::string, std::string>> pushes() const {
    const std::lock_guard lock(mutex_);
    return pushes_;
  }

 private:
  // One HTTP message (headers and a Content-Length body) from `fd`; empty when the peer closed.
  static std::string read_message(int fd) {
    std::string data;
    char buf[65536];
    std::size_t need = std::string::npos;
    for (;;) {
      if (need == std::string::npos) {
        const auto end = data.find("\r\n\r\n");
        if (end != std::string::npos) {
          std::size_t length = 0;
          std::string head = data.substr(0, end);
          for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (auto at = head.find("content-length:"); at != std::string::npos) length = std::stoul(head.substr(at + 15));
          need = end + 4 + length;
        }
      }
      if (need != std::string::npos && data.size() >= need) return data;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return {};
      data.append(buf, static_cast<std::size_t>(n));
    }
  }
  static std::string body_of(const std::string& message) {
    const auto end = message.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : message.substr(end + 4);
  }
  static void send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }
  void serve() {
    while (!stopping_) {
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      const int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(upstream_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        // One request and its answer per connection (the pusher's way); keep-alive is not needed.
        const std::string request = read_message(client);
        if (!request.empty()) {
          send_all(server, request);
          const std::string answer = read_message(server);
          const bool push = request.rfind("POST /api/v1/sync/push", 0) == 0;
          if (push) {
            const std::lock_guard lock(mutex_);
            pushes_.emplace_back(body_of(request), body_of(answer));
          }
          if (push && drop_ > 0) {
            --drop_;
            ++dropped_;
          } else {
            send_all(client, answer);
          }
        }
      }
      ::close(server);
      ::close(client);
    }
  }

  std::uint16_t upstream_;
  std::atomic<int> drop_;
  std::atomic<int> dropped_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> pushes_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace tt::test
