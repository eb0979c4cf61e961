// The one translation unit that compiles Asio and Beast: the project defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION, so every other file includes
// only their declarations, which keeps rebuilding a handler fast.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
