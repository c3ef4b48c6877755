// RenderQrPng: the module matrix scaled up into a 1-bit grayscale PNG, written to memory.
//
// libpng reports errors by longjmp to a setjmp point. Jumping over a C++ frame skips its
// destructors, so the rule here is: every C++ object (strings, vectors, unique_ptrs) lives in
// RenderQrPng, which never calls setjmp; WritePngRows holds the setjmp and only raw pointers
// and integers; and the callbacks libpng calls (WriteToSink, OnPngError) have no live C++
// objects when they jump. The longjmp therefore only ever crosses libpng's own C frames.
#include <png.h>

#include <csetjmp>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "base/assert.h"
#include "qrimage/qr_image.h"

namespace qb::qrimage {
namespace {

// Shared with libpng's callbacks through its io and error pointers. Trivially destructible.
struct PngSink {
  std::string* out = nullptr;
  char error[128] = {};
};

// One packed 1-bit row per module row (quiet zone included); every pixel row of a module row
// is the same bytes, so the whole image is never materialised.
struct PngPlan {
  uint32_t side_px = 0;
  int32_t module_px = 0;
  const uint8_t* module_rows = nullptr;  // side_modules rows of row_bytes each
  size_t row_bytes = 0;
};

void WriteToSink(png_structp png, png_bytep data, png_size_t length) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  bool appended = true;
  try {
    sink->out->append(reinterpret_cast<const char*>(data), length);
  } catch (const std::bad_alloc&) {
    appended = false;
  }
  // Outside the catch block, so the jump does not leave an exception half-handled.
  if (!appended) png_error(png, "out of memory");
}

void FlushSink(png_structp) {}

[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::strncpy(sink->error, message, sizeof(sink->error) - 1);
  png_longjmp(png, 1);
}

void OnPngWarning(png_structp, png_const_charp) {}

// Returns false when libpng reported an error (the message is in the sink). The caller owns
// and destroys `png` and `info` either way.
bool WritePngRows(png_structp png, png_infop info, const PngPlan* plan) {
  if (setjmp(png_jmpbuf(png)) != 0) return false;
  png_set_IHDR(png, info, plan->side_px, plan->side_px, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (uint32_t y = 0; y < plan->side_px; ++y) {
    size_t module_row = y / static_cast<uint32_t>(plan->module_px);
    png_write_row(png, plan->module_rows + module_row * plan->row_bytes);
  }
  png_write_end(png, info);
  return true;
}

// Packs the module rows, MSB first as PNG wants; 1 = white, so dark modules are 0 bits.
std::vector<uint8_t> PackModuleRows(const QrModules& modules, const QrImageOptions& options,
                                    size_t row_bytes) {
  const int32_t margin = options.margin_modules;
  const int32_t side_modules = modules.width + 2 * margin;
  const uint32_t side_px = static_cast<uint32_t>(side_modules * options.module_px);
  std::vector<uint8_t> rows(static_cast<size_t>(side_modules) * row_bytes, 0);
  for (int32_t row = 0; row < side_modules; ++row) {
    uint8_t* packed = rows.data() + static_cast<size_t>(row) * row_bytes;
    for (uint32_t x_px = 0; x_px < side_px; ++x_px) {
      int32_t x = static_cast<int32_t>(x_px) / options.module_px - margin;
      int32_t y = row - margin;
      bool inside = x >= 0 && y >= 0 && x < modules.width && y < modules.width;
      bool dark = inside && modules.IsDark(x, y);
      if (!dark) packed[x_px / 8] |= static_cast<uint8_t>(0x80u >> (x_px % 8));
    }
  }
  return rows;
}

}  // namespace

Status RenderQrPng(std::string_view text, const QrImageOptions& options, std::string* png_out) {
  if (Status status = ValidateQrImageOptions(options); !status.ok()) return status;
  QrModules modules;
  if (Status status = EncodeQrModules(text, options.level, &modules); !status.ok()) return status;

  // At most (177 + 32) * 32 = 6688 pixels a side: 836 bytes a packed row.
  const int32_t side_modules = modules.width + 2 * options.margin_modules;
  const uint32_t side_px = static_cast<uint32_t>(side_modules * options.module_px);
  const size_t row_bytes = (side_px + 7) / 8;
  std::vector<uint8_t> module_rows = PackModuleRows(modules, options, row_bytes);

  std::string encoded;
  PngSink sink;
  sink.out = &encoded;
  PngPlan plan;
  plan.side_px = side_px;
  plan.module_px = options.module_px;
  plan.module_rows = module_rows.data();
  plan.row_bytes = row_bytes;

  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, OnPngError, OnPngWarning);
  if (png == nullptr) return Status::IoError("png_create_write_struct failed");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return Status::IoError("png_create_info_struct failed");
  }
  png_set_write_fn(png, &sink, WriteToSink, FlushSink);
  bool written = WritePngRows(png, info, &plan);
  png_destroy_write_struct(&png, &info);
  if (!written) return Status::IoError(std::string("libpng: ") + sink.error);

  *png_out = std::move(encoded);
  return Status::Ok();
}

}  // namespace qb::qrimage
