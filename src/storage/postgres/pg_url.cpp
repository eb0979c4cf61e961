#include "storage/postgres/pg_url.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <memory>
#include <string_view>

#include "storage/value.hpp"

namespace tt::storage::pg {

namespace {

constexpr std::string_view kPreparedKey = "prepared_statements";

bool parse_switch(std::string_view v) {
  if (v == "on" || v == "true" || v == "1") return true;
  if (v == "off" || v == "false" || v == "0") return false;
  throw DbError("prepared_statements must be on or off, not '" + std::string(v) + "'");
}

bool is_uri(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

// Removes "prepared_statements=V" from a URI's query string.
std::string strip_from_uri(const std::string& url, bool& prepared) {
  const auto q = url.find('?');
  if (q == std::string::npos) return url;
  std::string out = url.substr(0, q);
  std::string_view query(url);
  query.remove_prefix(q + 1);
  char sep = '?';
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.starts_with(kPreparedKey) && item.size() > kPreparedKey.size() && item[kPreparedKey.size()] == '=') {
      prepared = parse_switch(item.substr(kPreparedKey.size() + 1));
      continue;
    }
    if (item.empty()) continue;
    out += sep;
    out += item;
    sep = '&';
  }
  return out;
}

// Removes "prepared_statements=V" from a key=value connection string.
std::string strip_from_keywords(const std::string& conninfo, bool& prepared) {
  std::string out;
  std::size_t i = 0;
  while (i < conninfo.size()) {
    const bool at_word = i == 0 || std::isspace(static_cast<unsigned char>(conninfo[i - 1]));
    if (at_word && std::string_view(conninfo).substr(i).starts_with(std::string(kPreparedKey) + "=")) {
      std::size_t end = i + kPreparedKey.size() + 1;
      std::size_t value_end = end;
      while (value_end < conninfo.size() && !std::isspace(static_cast<unsigned char>(conninfo[value_end]))) ++value_end;
      prepared = parse_switch(std::string_view(conninfo).substr(end, value_end - end));
      i = value_end;
      continue;
    }
    out += conninfo[i++];
  }
  return out;
}

struct OptionsFree {
  void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};

}  // namespace

Target parse_target(const std::string& url) {
  Target t;
  t.conninfo = is_uri(url) ? strip_from_uri(url, t.prepared_statements)
                           : strip_from_keywords(url, t.prepared_statements);

  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsFree> options(PQconninfoParse(t.conninfo.c_str(), &error));
  if (!options) {
    std::string message = error ? error : "out of memory";
    if (error) PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw DbError("invalid PostgreSQL URL: " + message);
  }

  std::string user, host, port, dbname;
  for (PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (!o->val) continue;
    const std::string_view key = o->keyword;
    if (key == "user") user = o->val;
    else if (key == "host") host = o->val;
    else if (key == "hostaddr" && host.empty()) host = o->val;
    else if (key == "port") port = o->val;
    else if (key == "dbname") dbname = o->val;
  }
  t.description = "postgresql://";
  if (!user.empty()) t.description += user + "@";
  t.description += host.empty() ? "localhost" : host;
  if (!port.empty()) t.description += ":" + port;
  t.description += "/" + dbname;
  return t;
}

}  // namespace tt::storage::pg
