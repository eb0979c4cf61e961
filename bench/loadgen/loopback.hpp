// The generator only ever loads a server on this machine: a benchmark aimed at a shared or remote
// host by mistake would be a denial of service. Every address the host name resolves to must be
// a loopback address (127.0.0.0/8, ::1, or ::ffff:127.x.y.z).
#pragma once

#include <boost/asio/ip/address.hpp>

namespace tt::bench {

inline bool is_loopback(const boost::asio::ip::address& a) {
  if (a.is_v4()) return a.to_v4().is_loopback();
  const auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

}  // namespace tt::bench
