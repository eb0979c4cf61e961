// Maps method + path (with {param} segments) to coroutine handlers, each with the access rule it
// declares. The rule is checked in one place (Dispatcher) before any handler runs, and the route
// table is enumerable so tests can prove every route has an entry in the permission table.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/principal.hpp"
#include "domain/errors.hpp"
#include "domain/permissions.hpp"
#include "http/message.hpp"

namespace tt::http {

// Who may call a route. Public routes need no credentials; the others need a principal whose role
// is in the set. Area restrictions depend on the data and are applied by the services, which
// receive the principal.
class Access {
 public:
  static Access public_route() { return Access(true, 0); }
  static Access any_user() { return Access(false, 0b111); }
  static Access roles(std::initializer_list<domain::Role> roles);
  // The roles the permission table gives `p` (domain/permissions.hpp).
  static Access to(domain::Permission p);
  // The synchronisation routes (SPEC §8, /api/v1/sync/*): a depot's sync token only. A site token
  // is refused everywhere else as if it were no credential, and a user here is forbidden.
  static Access sites() { Access a(false, 0); a.sites_ = true; return a; }

  // The same access, also open to a session that must set up a second factor before anything
  // else (an administrator when the setting requires one): signing out, reading who one is, and
  // the set-up itself.
  Access before_second_factor() const noexcept {
    Access a = *this;
    a.before_second_factor_ = true;
    return a;
  }

  bool is_public() const noexcept { return public_; }
  bool allows(domain::Role r) const noexcept { return (mask_ >> static_cast<unsigned>(r)) & 1u; }
  bool open_before_second_factor() const noexcept { return before_second_factor_; }
  bool for_sites() const noexcept { return sites_; }

 private:
  Access(bool pub, unsigned mask) : public_(pub), mask_(mask) {}
  static unsigned mask_of(std::span<const domain::Role> roles) noexcept;
  bool public_;
  unsigned mask_;
  bool before_second_factor_ = false;
  bool sites_ = false;
};

// The request as a handler sees it, with its caller once the pipeline has checked who it is. What
// else a handler needs is bound to it when its route is registered.
struct RequestContext {
  Request& req;
  const accounts::Principal* user = nullptr;  // never null on non-public routes

  const accounts::Principal& principal() const;  // throws domain::Failure 401 when absent
};

using Handler = std::function<asio::awaitable<Response>(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;  // e.g. /api/v1/bags/{code}
  Access access;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, Handler handler);

  struct Match {
    const Route* route = nullptr;            // null when nothing matched
    bool path_exists = false;                // some route has this path with another method (405)
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed;        // methods of the routes with this path (Allow header)
  };
  // `path` is the raw (still percent-encoded) path: it is split on '/' first and each segment then
  // decoded, so an encoded slash stays inside its parameter. Literal segments win over {param}
  // segments, so /bags/search beats /bags/{code}. HEAD falls back to the GET route.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const noexcept { return routes_; }

  // What a browser gets, instead of a JSON 404, when it asks for an HTML page (GET or HEAD with
  // text/html in Accept) at an address outside /api/ that no route serves: the web application,
  // which shows "no page here" in its own frame. Empty by default.
  void set_not_found_page(Handler handler) { not_found_page_ = std::move(handler); }
  const Handler& not_found_page() const noexcept { return not_found_page_; }

 private:
  std::vector<Route> routes_;
  Handler not_found_page_;
};

}  // namespace tt::http
