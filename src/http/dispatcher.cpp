#include "http/dispatcher.hpp"

#include <exception>
#include <optional>
#include <string>

#include "accounts/authenticator.hpp"
#include "accounts/credentials.hpp"
#include "domain/errors.hpp"
#include "storage/value.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"

namespace tt::http {

namespace {

// Methods that only read: CSRF protection is needed for the others.
bool is_safe_method(std::string_view method) { return method == "GET" || method == "HEAD"; }

std::string_view raw_path(std::string_view target) { return target.substr(0, target.find('?')); }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// A browser navigating to an address (not a script calling the API).
bool wants_page(const Request& req) {
  if (!is_safe_method(req.method) || req.path.starts_with("/api/")) return false;
  const auto accept = req.header("accept");
  return accept && accept->find("text/html") != std::string_view::npos;
}

// The credentials a request presents, for the authenticator.
accounts::Presented presented(const Request& req) {
  accounts::Presented p;
  if (auto h = req.header("authorization")) p.authorization = std::string(*h);
  p.session_cookie = req.cookie(accounts::kSessionCookie);
  return p;
}

// Runs the route: authentication, role and CSRF checks, then the handler.
asio::awaitable<Response> run_route(const Route& route, Request& req, accounts::Authenticator* authenticator) {
  if (route.access.is_public()) {
    // Public routes (health probes, login, the web UI) never cost a credential lookup.
    RequestContext ctx{req, nullptr};
    co_return co_await route.handler(ctx);
  }

  std::optional<accounts::Principal> principal;
  if (authenticator != nullptr) principal = co_await authenticator->authenticate(presented(req));
  if (!principal) throw domain::Failure(domain::Error::unauthenticated, "Sign in to continue.");
  const bool site = principal->via == accounts::Principal::Via::site_token;
  if (site != route.access.for_sites()) {
    // A depot's token opens the synchronisation routes and nothing else; they are no user's.
    if (site) throw domain::Failure(domain::Error::unauthenticated, "A site's sync token is valid on /api/v1/sync/ only.");
    throw domain::Failure(domain::Error::forbidden, "Only a site's sync token may call this.");
  }
  if (!site && !route.access.allows(principal->role)) {
    throw domain::Failure(domain::Error::forbidden, "Your role does not allow this.");
  }
  if (principal->second_factor_setup_required && !route.access.open_before_second_factor()) {
    throw domain::Failure(domain::Error::second_factor_required,
                          "Administrators must sign in with a one-time code: set up two-factor sign-in on your "
                          "account page first.");
  }
  if (principal->via == accounts::Principal::Via::session_cookie && !is_safe_method(req.method)) {
    // A browser sends the cookie on cross-site requests too; only our own page knows the token.
    const auto token = req.header("x-csrf-token");
    if (!token || principal->csrf_token.empty() || !util::constant_time_equal(*token, principal->csrf_token)) {
      throw domain::Failure(domain::Error::csrf_failed, "The request is missing its security token; reload the page.");
    }
  }
  principal->client = req.remote_addr;
  RequestContext ctx{req, &*principal};
  co_return co_await route.handler(ctx);
}

}  // namespace

Response Dispatcher::failure(const domain::Failure& f) const {
  Response r = error_response(status_of_(f.code), domain::to_string(f.code), f.what());
  if (f.retry_after_seconds) r.header("Retry-After", std::to_string(*f.retry_after_seconds));
  return r;
}

Response Dispatcher::failure(domain::Error code, std::string_view message) const {
  return error_response(status_of_(code), domain::to_string(code), message);
}

asio::awaitable<Response> Dispatcher::handle(Request& req) const {
  std::string_view route = "unmatched";
  Response r = co_await answer(req, route);
  r.route = route;
  co_return r;
}

asio::awaitable<Response> Dispatcher::answer(Request& req, std::string_view& route) const {
  try {
    Router::Match match = router_.match(req.method, raw_path(req.target));
    if (match.route == nullptr) {
      if (match.path_exists) {
        Response r = failure(domain::Error::method_not_allowed, "This address does not accept " + req.method + ".");
        r.header("Allow", join(match.allowed));
        co_return r;
      }
      if (wants_page(req) && router_.not_found_page()) {
        route = "page";  // an address of the web interface: its page, the interface finds where
        RequestContext ctx{req, nullptr};
        co_return co_await router_.not_found_page()(ctx);
      }
      co_return failure(domain::Error::not_found, "Nothing is here.");
    }
    route = match.route->pattern;
    req.params = std::move(match.params);
    co_return co_await run_route(*match.route, req, authenticator_);
  } catch (const domain::Failure& e) {
    co_return failure(e);
  } catch (const storage::Unavailable& e) {
    util::log_warn(std::string("database unavailable: ") + e.what());
    co_return failure(domain::Failure(domain::Error::unavailable, "The server is busy; try again in a moment.", 1));
  } catch (const std::exception& e) {
    util::log_error(req.method + " " + req.path + " failed: " + e.what());
    co_return failure(domain::Error::internal, "Something went wrong on the server.");
  } catch (...) {
    util::log_error(req.method + " " + req.path + " failed with an unknown exception");
    co_return failure(domain::Error::internal, "Something went wrong on the server.");
  }
}

}  // namespace tt::http
