#include "http/static_files.hpp"

#include <string>

#include "util/ids.hpp"

namespace tt::http {

namespace {

struct StaticFile {
  std::string_view data;
  std::string_view content_type;
  std::string etag;
};

// True when an If-None-Match header names this entity tag ("*" or one of a comma-separated list,
// weak tags compared weakly as RFC 9110 §13.1.2 asks).
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

asio::awaitable<Response> serve_file(RequestContext& ctx, StaticFile file) {
  Response res;
  res.header("ETag", file.etag);
  // File names carry no version, so browsers revalidate each time (a cheap 304 thanks to the ETag).
  res.header("Cache-Control", "no-cache");
  if (const auto inm = ctx.req.header("if-none-match"); inm && etag_matches(*inm, file.etag)) {
    res.status = 304;
    res.content_type.clear();
    co_return res;
  }
  res.content_type = std::string(file.content_type);
  if (file.content_type.starts_with("text/html")) {
    res.header("Content-Security-Policy", "frame-ancestors 'none'");
  }
  res.body = std::string(file.data);
  co_return res;
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  struct Type {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  for (const Type& t : kTypes) {
    if (name.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

void add_static_routes(Router& router, std::span<const embedded::File> files) {
  for (const embedded::File& f : files) {
    if (f.name.empty()) continue;
    StaticFile file{f.data, content_type_for(f.name), "\"" + util::sha256_hex(f.data).substr(0, 32) + "\""};
    auto handler = [file](RequestContext& ctx) { return serve_file(ctx, file); };
    router.add("GET", "/" + std::string(f.name), Access::public_route(), handler);
    if (f.name == "index.html") router.add("GET", "/", Access::public_route(), handler);
  }
}

}  // namespace tt::http
