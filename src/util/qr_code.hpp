// A QR code (ISO/IEC 18004) of a short text, encoded by libqrencode, as the web page draws it: one
// SVG path of the dark modules in module units, with no markup to insert (the page builds the
// <svg> element itself). Used for the otpauth:// address of a second-factor enrolment.
#pragma once

#include <string>
#include <string_view>

namespace tt::util {

struct QrCode {
  int size = 0;      // modules per side, without the quiet zone
  std::string path;  // SVG path data: "M x y h1 v1 h-1 z" per run of dark modules, in a size×size box
};

// Error correction level M (15 % of the modules may be lost: a scratched phone screen, a glare).
// Throws std::runtime_error when the text cannot be encoded (longer than a QR code holds).
QrCode encode_qr(std::string_view text);

}  // namespace tt::util
