// `tracetrack routes`: prints every route of the server, one per line: METHOD PATTERN WHO, where
// WHO is "public" or the roles allowed. Operators audit exposure with it, and the permission test
// compares it with its table so that no route can be added without its expected access.
#include <iostream>

#include "api/routes.hpp"
#include "app/commands.hpp"
#include "domain/role.hpp"
#include "http/router.hpp"

namespace tt::app {

std::string routes_usage() {
  return "usage: tracetrack routes\n"
         "Prints every HTTP route, one per line: METHOD PATTERN and who may call it (public, the roles,\n"
         "or site: a depot's sync token).\n";
}

int routes_command(const Config&) {
  const http::Router router = api::route_list();
  for (const http::Route& r : router.routes()) {
    std::string who;
    if (r.access.is_public()) {
      who = "public";
    } else if (r.access.for_sites()) {
      who = "site";
    } else {
      for (auto role : {domain::Role::dispatcher, domain::Role::biller, domain::Role::admin}) {
        if (!r.access.allows(role)) continue;
        if (!who.empty()) who += ',';
        who += domain::to_string(role);
      }
    }
    std::cout << r.method << ' ' << r.pattern << ' ' << who << '\n';
  }
  return 0;
}

}  // namespace tt::app
