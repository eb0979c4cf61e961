// tt_loadgen: N scanners on keep-alive connections against a TraceTrack server on this machine,
// for a bounded time; prints throughput and latency percentiles per operation, and errors.
#include <sys/resource.h>
#include <sys/time.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <thread>

#include "login.hpp"
#include "loopback.hpp"
#include "options.hpp"
#include "report.hpp"
#include "scanner.hpp"

namespace {

using namespace tt::bench;

// Each connection is a file descriptor: raise the soft limit to the hard one.
void raise_fd_limit(std::uint32_t connections) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur < connections + 32) {
    std::cerr << "tt_loadgen: warning: open-file limit " << lim.rlim_cur << " is below " << connections
              << " connections; some will fail (raise it with ulimit -n)\n";
  }
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Resolves the host and refuses anything that is not loopback.
std::optional<tcp::endpoint> resolve_loopback(const Options& o) {
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
  if (ec || results.empty()) {
    std::cerr << "tt_loadgen: cannot resolve " << o.host << ": " << ec.message() << "\n";
    return std::nullopt;
  }
  for (const auto& r : results) {
    if (!is_loopback(r.endpoint().address())) {
      std::cerr << "tt_loadgen: refusing " << o.host << " (" << r.endpoint().address().to_string()
                << "): only loopback targets may be loaded\n";
      return std::nullopt;
    }
  }
  return results.begin()->endpoint();
}

// Logs every account in at once, before the run.
std::optional<std::vector<Credentials>> sign_in(const Options& o, const tcp::endpoint& ep) {
  if (!o.token.empty()) return std::vector<Credentials>{Credentials{{}, {}, o.token}};
  if (o.mix.healthz_only) return std::vector<Credentials>{Credentials{}};
  asio::io_context io;
  std::vector<std::variant<Credentials, LoginFailure>> results(o.accounts.size());
  const auto timeout = std::chrono::seconds(60);  // password hashing is deliberately slow
  for (std::size_t i = 0; i < o.accounts.size(); ++i) {
    asio::co_spawn(io, login(ep, o.accounts[i], timeout), [&results, i](std::exception_ptr e, auto r) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          results[i] = LoginFailure{ex.what()};
        }
      } else {
        results[i] = std::move(r);
      }
    });
  }
  io.run();
  std::vector<Credentials> out;
  for (auto& r : results) {
    if (auto* f = std::get_if<LoginFailure>(&r)) {
      std::cerr << "tt_loadgen: " << f->message << "\n";
      return std::nullopt;
    }
    out.push_back(std::get<Credentials>(std::move(r)));
  }
  return out;
}

int run(const Options& o) {
  auto endpoint = resolve_loopback(o);
  if (!endpoint) return 2;
  raise_fd_limit(o.connections);
  auto credentials = sign_in(o, *endpoint);
  if (!credentials) return 1;

  RunShared shared;
  shared.options = &o;
  shared.endpoint = *endpoint;
  shared.credentials = std::move(*credentials);
  shared.run_id = o.run_id.empty() ? make_run_id() : o.run_id;
  ParentCodeAllocator parents(o.parents);
  shared.parents = &parents;

  std::vector<std::unique_ptr<ThreadContext>> threads;
  for (std::uint32_t t = 0; t < o.threads; ++t) threads.push_back(std::make_unique<ThreadContext>());
  for (std::uint32_t c = 0; c < o.connections; ++c) {
    auto& tc = *threads[c % o.threads];
    asio::co_spawn(tc.io, run_scanner(shared, tc, c), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
  std::vector<std::thread> workers;
  for (auto& tc : threads) {
    workers.emplace_back([&tc] {
      try {
        tc->io.run();
      } catch (const std::exception& e) {
        // A bug in the generator, not a server failure: stop loudly rather than report half a run.
        std::cerr << "tt_loadgen: internal error: " << e.what() << "\n";
        std::abort();
      }
    });
  }

  // Every connection opens (or fails to) before the clock starts.
  const auto connect_limit = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(o.timeout_s + 5));
  while (shared.ready.load() < o.connections && Clock::now() < connect_limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (shared.connect_failed.load() == o.connections) {
    std::cerr << "tt_loadgen: no connection could be opened\n";
  }
  const double cpu_at_start = cpu_seconds();
  const double unix_at_start =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count() + 0.001;
  shared.start_ns.store(now_ns() + 1'000'000);
  shared.started.store(true);
  for (auto& tc : threads) asio::post(tc->io, [&tc] { tc->gate.cancel(); });
  for (auto& w : workers) w.join();
  const double cpu_used = cpu_seconds() - cpu_at_start;
  const double wall = static_cast<double>(now_ns() - shared.start_ns.load()) / 1e9;

  ThreadStats total;
  for (auto& tc : threads) total.merge(tc->stats);

  RunInfo info;
  info.target = o.host + ":" + std::to_string(o.port);
  info.connections = o.connections;
  info.threads = o.threads;
  info.rate = o.rate;
  info.window_s = o.duration_s;
  const double measure_start_s = static_cast<double>(shared.start_ns.load()) / 1e9 + o.warmup_s;
  info.elapsed_s = std::max(o.duration_s, static_cast<double>(total.last_completion_ns) / 1e9 - measure_start_s);
  info.run_id = shared.run_id;
  info.parent_codes_used = parents.handed_out();
  info.generator_cpu_s = cpu_used;
  info.generator_wall_s = wall;
  info.window_start_unix = unix_at_start + o.warmup_s;

  print_table(std::cout, info, total);
  if (o.json) std::cout << json_line(info, total) << "\n";
  std::cout.flush();

  if (o.check) {
    if (total.error_total() > 0 || total.unsent > 0) {
      std::cerr << "tt_loadgen: check failed: " << total.error_total() << " unexpected errors, " << total.unsent
                << " unsent\n";
      return 3;
    }
    if (successful_scans(total) == 0) {
      std::cerr << "tt_loadgen: check failed: no child scan succeeded\n";
      return 3;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  std::optional<std::string> password_env;
  if (const char* p = std::getenv("TT_LOADGEN_PASSWORD")) password_env = p;
  auto parsed = parse_options(args, password_env);
  if (std::holds_alternative<HelpRequested>(parsed)) {
    std::cout << usage();
    return 0;
  }
  if (auto* err = std::get_if<ParseError>(&parsed)) {
    std::cerr << "tt_loadgen: " << err->message << "\n\n" << usage();
    return 2;
  }
  try {
    return run(std::get<Options>(parsed));
  } catch (const std::exception& e) {
    std::cerr << "tt_loadgen: " << e.what() << "\n";
    return 1;
  }
}
