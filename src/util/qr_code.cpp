#include "util/qr_code.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace tt::util {

QrCode encode_qr(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) throw std::runtime_error("the text is too long for a QR code");
  QrCode out;
  out.size = code->width;
  // One rectangle per horizontal run of dark modules keeps the path short (a 33×33 code: a few
  // hundred runs instead of about 500 squares).
  for (int y = 0; y < code->width; ++y) {
    int x = 0;
    while (x < code->width) {
      const auto dark = [&](int col) { return (code->data[y * code->width + col] & 1) != 0; };
      if (!dark(x)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < code->width && dark(end)) ++end;
      out.path += "M" + std::to_string(x) + " " + std::to_string(y) + "h" + std::to_string(end - x) + "v1h-" +
                  std::to_string(end - x) + "z";
      x = end;
    }
  }
  return out;
}

}  // namespace tt::util
