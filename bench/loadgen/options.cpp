#include "options.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tt::bench {

std::string_view usage() {
  return R"(tt_loadgen: load generator for TraceTrack (loopback targets only)

  --host ADDR           127.0.0.1 (must resolve to loopback addresses only)
  --port N              8080
  --connections N       concurrent keep-alive connections, each a scanner (20)
  --threads N           event-loop threads of the generator (1)
  --duration S          measured seconds (10); the run stops by itself
  --warmup S            seconds run before the measured window, not recorded (0)
  --rate R              open loop: R requests/s over all connections on a fixed schedule, latency
                        measured from each request's intended send time; 0 = closed loop (0)
  --timeout S           per request (10)
  --drain S             open loop: how long a connection that fell behind may go on past the
                        window before its remaining requests are counted as unsent (5)
  --user NAME --password PW   log in (password also from TT_LOADGEN_PASSWORD); connections share it
  --users-file PATH     lines "user:password"; connections take accounts in turn
  --token TOKEN         API token (Authorization: Bearer) instead of a login
  --parent-range LO-HI  numbers of the parent codes to scan, 0-99999 (0-99999)
  --parent-kinds K      sb, m444 or both (both)
  --lookup-range LO-HI  bag lookups read parents of this range (seeded data) instead of the
                        scanner's own recent bags
  --children N          children per parent unless the server says otherwise (30)
  --duplicates F        share of linked children scanned again, expecting already_linked (0.05)
  --rejections F        share of parents that get a parent_full and a not_a_child attempt (0.10)
  --lookups F           share of requests that are GET /bags/{code} (0.02)
  --stats F             share of requests that are GET /stats (0.005)
  --run-id ID           prefix of this run's child codes, [0-9A-Z]{1,12} (derived from the time)
  --seed N              random seed (1)
  --json                end with one JSON line of the results
  --timeline            add a per-second timeline (scans and reads: count, p50, p99, max;
                        errors) to the JSON line, stamped with Unix time
  --healthz             every request is GET /healthz, nobody signs in: the HTTP ceiling
  --check               exit 3 when there were unexpected errors or no successful child scan
)";
}

namespace {

template <class T>
bool parse_int(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

bool parse_double(std::string_view s, double& out) {
  // std::from_chars for double is in GCC 11+, but strtod also accepts what users type.
  std::string tmp(s);
  char* end = nullptr;
  out = std::strtod(tmp.c_str(), &end);
  return !tmp.empty() && end == tmp.c_str() + tmp.size() && std::isfinite(out);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::variant<std::vector<Account>, ParseError> parse_users_file(std::string_view text) {
  std::vector<Account> out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == line.size()) {
      return ParseError{"users file line " + std::to_string(line_no) + ": expected user:password"};
    }
    out.push_back(Account{std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  if (out.empty()) return ParseError{"users file has no accounts"};
  return out;
}

std::variant<Options, ParseError, HelpRequested> parse_options(const std::vector<std::string_view>& args,
                                                               std::optional<std::string> password_env) {
  Options o;
  std::optional<std::string> user, password, users_file;
  std::optional<std::string_view> parent_range_text, lookup_range_text;
  ParentKinds kinds = ParentKinds::both;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--help" || a == "-h") return HelpRequested{};
    if (a == "--json") { o.json = true; continue; }
    if (a == "--timeline") { o.timeline = true; continue; }
    if (a == "--healthz") { o.mix.healthz_only = true; continue; }
    if (a == "--check") { o.check = true; continue; }
    if (i + 1 >= args.size()) return ParseError{std::string(a) + " needs a value (or is unknown)"};
    const std::string_view v = args[++i];
    const auto bad = [&] { return ParseError{"bad value for " + std::string(a) + ": '" + std::string(v) + "'"}; };

    if (a == "--host") o.host = v;
    else if (a == "--port") { if (!parse_int(v, o.port) || o.port == 0) return bad(); }
    else if (a == "--connections") { if (!parse_int(v, o.connections) || o.connections < 1 || o.connections > 20000) return bad(); }
    else if (a == "--threads") { if (!parse_int(v, o.threads) || o.threads < 1 || o.threads > 64) return bad(); }
    else if (a == "--duration") { if (!parse_double(v, o.duration_s) || o.duration_s <= 0 || o.duration_s > 3600) return bad(); }
    else if (a == "--warmup") { if (!parse_double(v, o.warmup_s) || o.warmup_s < 0 || o.warmup_s > 600) return bad(); }
    else if (a == "--rate") { if (!parse_double(v, o.rate) || o.rate < 0 || o.rate > 1e7) return bad(); }
    else if (a == "--timeout") { if (!parse_double(v, o.timeout_s) || o.timeout_s <= 0 || o.timeout_s > 600) return bad(); }
    else if (a == "--drain") { if (!parse_double(v, o.drain_s) || o.drain_s < 0 || o.drain_s > 600) return bad(); }
    else if (a == "--user") user = std::string(v);
    else if (a == "--password") password = std::string(v);
    else if (a == "--users-file") users_file = std::string(v);
    else if (a == "--token") { o.token = v; if (o.token.empty()) return bad(); }
    else if (a == "--parent-range") parent_range_text = v;
    else if (a == "--parent-kinds") { auto k = parse_parent_kinds(v); if (!k) return bad(); kinds = *k; }
    else if (a == "--lookup-range") lookup_range_text = v;
    else if (a == "--children") { if (!parse_int(v, o.mix.capacity) || o.mix.capacity < 1 || o.mix.capacity > 10000) return bad(); }
    else if (a == "--duplicates") { if (!parse_double(v, o.mix.duplicate_share) || o.mix.duplicate_share < 0 || o.mix.duplicate_share > 1) return bad(); }
    else if (a == "--rejections") { if (!parse_double(v, o.mix.rejection_share) || o.mix.rejection_share < 0 || o.mix.rejection_share > 1) return bad(); }
    else if (a == "--lookups") { if (!parse_double(v, o.mix.lookup_share) || o.mix.lookup_share < 0 || o.mix.lookup_share > 1) return bad(); }
    else if (a == "--stats") { if (!parse_double(v, o.mix.stats_share) || o.mix.stats_share < 0 || o.mix.stats_share > 1) return bad(); }
    else if (a == "--run-id") { o.run_id = v; if (!valid_run_id(o.run_id)) return bad(); }
    else if (a == "--seed") { if (!parse_int(v, o.seed)) return bad(); }
    else return ParseError{"unknown option " + std::string(a)};
  }

  if (o.mix.lookup_share + o.mix.stats_share > 1) return ParseError{"--lookups plus --stats exceed 1"};

  if (parent_range_text) {
    auto r = parse_parent_range(*parent_range_text, kinds);
    if (!r) return ParseError{"bad --parent-range '" + std::string(*parent_range_text) + "': want LO-HI within 0-99999"};
    o.parents = *r;
  } else {
    o.parents.kinds = kinds;
  }
  if (lookup_range_text) {
    auto r = parse_parent_range(*lookup_range_text, ParentKinds::both);
    if (!r) return ParseError{"bad --lookup-range '" + std::string(*lookup_range_text) + "': want LO-HI within 0-99999"};
    o.mix.lookup_range = *r;
  }

  if (!password && password_env) password = std::move(password_env);
  const int methods = (user ? 1 : 0) + (users_file ? 1 : 0) + (o.token.empty() ? 0 : 1);
  if (o.mix.healthz_only) {
    if (methods != 0) return ParseError{"--healthz signs nobody in: leave out --user, --users-file and --token"};
    return o;
  }
  if (methods != 1) return ParseError{"give exactly one of --user (with --password), --users-file or --token"};
  if (user) {
    if (!password) return ParseError{"--user needs --password (or TT_LOADGEN_PASSWORD)"};
    o.accounts.push_back(Account{*user, *password});
  }
  if (users_file) {
    auto text = read_file(*users_file);
    if (!text) return ParseError{"cannot read " + *users_file};
    auto parsed = parse_users_file(*text);
    if (auto* err = std::get_if<ParseError>(&parsed)) return *err;
    o.accounts = std::move(std::get<std::vector<Account>>(parsed));
  }
  return o;
}

}  // namespace tt::bench
