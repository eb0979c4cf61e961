#include "http/router.hpp"

#include <algorithm>

#include "domain/errors.hpp"

namespace tt::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether the route's pattern matches the decoded segments. `literal_mask` gets one bit per
// segment, literal segments set, most significant first: a larger mask is a more specific route.
bool pattern_matches(const Route& route, const std::vector<std::string>& segments, std::uint64_t& literal_mask) {
  if (route.segments.size() != segments.size()) return false;
  literal_mask = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    literal_mask <<= 1;
    const std::string& pat = route.segments[i];
    if (is_param(pat)) {
      if (segments[i].empty()) return false;  // a parameter is never empty
    } else {
      if (pat != segments[i]) return false;
      literal_mask |= 1;
    }
  }
  return true;
}

}  // namespace

Access Access::roles(std::initializer_list<domain::Role> roles) { return Access(false, mask_of(roles)); }

Access Access::to(domain::Permission p) { return Access(false, mask_of(domain::permission_row(p).roles)); }

unsigned Access::mask_of(std::span<const domain::Role> roles) noexcept {
  unsigned mask = 0;
  for (const domain::Role r : roles) mask |= 1u << static_cast<unsigned>(r);
  return mask;
}

const accounts::Principal& RequestContext::principal() const {
  if (user == nullptr) throw domain::Failure(domain::Error::unauthenticated, "Sign in to continue.");
  return *user;
}

void Router::add(std::string method, std::string pattern, Access access, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Route route{std::move(method), std::move(pattern), access, std::move(handler), {}};
  for (const std::string_view s : split_path(route.pattern)) route.segments.emplace_back(s);
  if (route.segments.size() > 64) throw std::invalid_argument("route pattern too deep: " + route.pattern);
  for (const Route& r : routes_) {
    if (r.method == route.method && r.segments.size() == route.segments.size()) {
      // Two routes that differ only in parameter names would make matching depend on order.
      bool same = true;
      for (std::size_t i = 0; i < r.segments.size() && same; ++i) {
        const bool both_params = is_param(r.segments[i]) && is_param(route.segments[i]);
        same = both_params || r.segments[i] == route.segments[i];
      }
      if (same) throw std::invalid_argument("duplicate route " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  // Segments are split before they are decoded, so an encoded slash (%2F) stays inside its
  // segment: /bags/A%2FB names the bag "A/B", never the path /bags/A/B.
  std::vector<std::string> segments;
  for (const std::string_view s : split_path(path)) segments.push_back(percent_decode(s, false));

  Match result;
  const Route* best = nullptr;
  const Route* best_get = nullptr;  // HEAD is answered by the GET route when there is no HEAD route
  std::uint64_t best_mask = 0;
  std::uint64_t best_get_mask = 0;
  for (const Route& route : routes_) {
    std::uint64_t mask = 0;
    if (!pattern_matches(route, segments, mask)) continue;
    if (std::find(result.allowed.begin(), result.allowed.end(), route.method) == result.allowed.end()) {
      result.allowed.push_back(route.method);
    }
    if (route.method == method) {
      if (best == nullptr || mask > best_mask) {
        best = &route;
        best_mask = mask;
      }
    } else if (method == "HEAD" && route.method == "GET") {
      if (best_get == nullptr || mask > best_get_mask) {
        best_get = &route;
        best_get_mask = mask;
      }
    }
  }
  if (best == nullptr) best = best_get;
  if (best == nullptr) {
    result.path_exists = !result.allowed.empty();
    return result;
  }
  result.route = best;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& pat = best->segments[i];
    if (is_param(pat)) result.params.emplace(pat.substr(1, pat.size() - 2), std::move(segments[i]));
  }
  return result;
}

}  // namespace tt::http
