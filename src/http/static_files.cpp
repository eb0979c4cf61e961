#include "http/static_files.hpp"

#include <cctype>
#include <stdexcept>
#include <string>

#include "util/ids.hpp"

namespace tt::http {

namespace {

struct StaticFile {
  std::string_view data;
  std::string_view gzip;  // empty: sent as it is
  std::string_view content_type;
  std::string etag;       // of the plain bytes; the gzip copy's tag ends in -gz
  std::string gzip_etag;
};

StaticFile static_file(const embedded::File& f) {
  const std::string hash = util::sha256_hex(f.data).substr(0, 32);
  return StaticFile{f.data, f.gzip, content_type_for(f.name), "\"" + hash + "\"", "\"" + hash + "-gz\""};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when an If-None-Match header names this entity tag ("*" or one of a comma-separated list,
// weak tags compared weakly as RFC 9110 §13.1.2 asks).
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = trim(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

asio::awaitable<Response> serve_file(RequestContext& ctx, StaticFile file, int status) {
  Response res;
  const bool gzip = !file.gzip.empty() && accepts_gzip(ctx.req.header("accept-encoding").value_or(""));
  const std::string& etag = gzip ? file.gzip_etag : file.etag;
  res.header("ETag", etag);
  res.header("Cache-Control", "no-cache");
  if (!file.gzip.empty()) res.header("Vary", "Accept-Encoding");
  if (const auto inm = ctx.req.header("if-none-match"); status == 200 && inm && etag_matches(*inm, etag)) {
    res.status = 304;
    res.content_type.clear();
    co_return res;
  }
  res.status = status;
  res.content_type = std::string(file.content_type);
  if (file.content_type.starts_with("text/html")) {
    res.header("Content-Security-Policy", std::string(kPageSecurityPolicy));
    res.header("Referrer-Policy", "same-origin");
  }
  if (gzip) {
    res.header("Content-Encoding", "gzip");
    res.body = std::string(file.gzip);
  } else {
    res.body = std::string(file.data);
  }
  co_return res;
}

Handler file_handler(const embedded::File& f, int status = 200) {
  return [file = static_file(f), status](RequestContext& ctx) { return serve_file(ctx, file, status); };
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
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  for (const Type& t : kTypes) {
    if (name.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

bool accepts_gzip(std::string_view header) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const auto semi = item.find(';');
    std::string coding(trim(item.substr(0, semi)));
    for (char& c : coding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (coding != "gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view q = trim(item.substr(semi + 1));
    if (!q.starts_with("q=")) return true;
    q.remove_prefix(2);
    // q=0, q=0.0, q=0.00, q=0.000 refuse the coding; any other weight accepts it.
    return q.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

void add_static_routes(Router& router, std::span<const embedded::File> files) {
  for (const embedded::File& f : files) {
    if (f.name.empty()) continue;
    router.add("GET", "/" + std::string(f.name), Access::public_route(), file_handler(f));
    if (f.name == "index.html") router.add("GET", "/", Access::public_route(), file_handler(f));
  }
}

void add_page_routes(Router& router, std::span<const embedded::File> files, std::string_view html,
                     std::span<const std::string_view> pages) {
  for (const embedded::File& f : files) {
    if (f.name != html) continue;
    for (std::string_view page : pages) router.add("GET", std::string(page), Access::public_route(), file_handler(f));
    router.set_not_found_page(file_handler(f, 404));
    return;
  }
  throw std::logic_error("the web interface has no " + std::string(html));
}

}  // namespace tt::http
