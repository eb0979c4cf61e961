// Asio and Beast compiled for the load generator (the project defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION). The generator has its own
// copy of this unit so that it links nothing of the server.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
