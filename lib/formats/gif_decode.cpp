// GIF through giflib: the first frame only, drawn on the logical screen (the
// rest of the screen in the background colour). Records are read one at a
// time (no DGifSlurp), so an animation of a million frames costs one frame.
#include <cstring>
#include <memory>
#include <string>

#include <gif_lib.h>

#include "formats/image_decode.hpp"

namespace trawl::formats {
namespace {

struct Input {
  std::span<const std::byte> bytes;
  size_t offset = 0;
};

int on_read(GifFileType* gif, GifByteType* out, int length) {
  auto* input = static_cast<Input*>(gif->UserData);
  if (length <= 0) return 0;
  const size_t n = std::min(static_cast<size_t>(length), input->bytes.size() - input->offset);
  std::memcpy(out, input->bytes.data() + input->offset, n);
  input->offset += n;
  return static_cast<int>(n);
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int ignored = 0;
    DGifCloseFile(gif, &ignored);
  }
};

Error gif_error(const GifFileType* gif, const char* what) {
  const char* text = GifErrorString(gif->Error);
  return make_error(Errc::data_loss, std::string("gif: ") + what + ": " + (text ? text : "unknown error"));
}

Status skip_extension(GifFileType* gif) {
  int code = 0;
  GifByteType* block = nullptr;
  if (DGifGetExtension(gif, &code, &block) != GIF_OK) return gif_error(gif, "bad extension");
  while (block != nullptr) {
    if (DGifGetExtensionNext(gif, &block) != GIF_OK) return gif_error(gif, "bad extension");
  }
  return ok_status();
}

Result<RgbImage> draw_first_frame(GifFileType* gif, const ImageLimits& limits) {
  const GifImageDesc& frame = gif->Image;
  if (Status size = check_image_size(frame.Width > 0 ? frame.Width : 0, frame.Height > 0 ? frame.Height : 0, limits,
                                     "gif frame");
      !size)
    return size.error();
  const bool screen = gif->SWidth > 0 && gif->SHeight > 0;
  const uint32_t width = screen ? static_cast<uint32_t>(gif->SWidth) : static_cast<uint32_t>(frame.Width);
  const uint32_t height = screen ? static_cast<uint32_t>(gif->SHeight) : static_cast<uint32_t>(frame.Height);
  if (Status size = check_image_size(width, height, limits, "gif"); !size) return size.error();
  auto image = allocate_image(width, height);
  if (!image) return image.error();

  const ColorMapObject* map = frame.ColorMap ? frame.ColorMap : gif->SColorMap;
  const int colors = map ? map->ColorCount : 0;
  auto colour = [&](int index, uint8_t* out) {
    if (index < colors) {
      out[0] = map->Colors[index].Red, out[1] = map->Colors[index].Green, out[2] = map->Colors[index].Blue;
    } else if (!map) {  // no colour table at all: read indices as grey levels
      out[0] = out[1] = out[2] = static_cast<uint8_t>(index);
    } else {
      out[0] = out[1] = out[2] = 0;
    }
  };
  if (gif->SColorMap && gif->SBackGroundColor < gif->SColorMap->ColorCount) {
    const GifColorType& bg = gif->SColorMap->Colors[gif->SBackGroundColor];
    for (size_t i = 0; i < image->rgb.size(); i += 3)
      image->rgb[i] = bg.Red, image->rgb[i + 1] = bg.Green, image->rgb[i + 2] = bg.Blue;
  }

  std::vector<GifPixelType> line(static_cast<size_t>(frame.Width));
  // Interlaced frames store rows in four passes: 0,8,16.. then 4,12.. then 2,6.. then 1,3..
  static constexpr int kStart[4] = {0, 4, 2, 1};
  static constexpr int kStep[4] = {8, 8, 4, 2};
  const int passes = frame.Interlace ? 4 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    const int start = frame.Interlace ? kStart[pass] : 0;
    const int step = frame.Interlace ? kStep[pass] : 1;
    for (int y = start; y < frame.Height; y += step) {
      if (DGifGetLine(gif, line.data(), frame.Width) != GIF_OK) return gif_error(gif, "bad image data");
      const int64_t row = static_cast<int64_t>(frame.Top) + y;
      if (row < 0 || row >= height) continue;
      for (int x = 0; x < frame.Width; ++x) {
        const int64_t column = static_cast<int64_t>(frame.Left) + x;
        if (column < 0 || column >= width) continue;
        colour(line[static_cast<size_t>(x)], image->rgb.data() + (static_cast<size_t>(row) * width + column) * 3);
      }
    }
  }
  return image;
}

}  // namespace

Result<RgbImage> decode_gif(std::span<const std::byte> bytes, const ImageLimits& limits) {
  Input input{bytes, 0};
  int error = 0;
  std::unique_ptr<GifFileType, GifCloser> gif(DGifOpen(&input, on_read, &error));
  if (!gif) {
    const char* text = GifErrorString(error);
    return make_error(Errc::data_loss, std::string("gif: cannot open: ") + (text ? text : "unknown error"));
  }
  for (;;) {
    GifRecordType record = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif.get(), &record) != GIF_OK) return gif_error(gif.get(), "bad record");
    switch (record) {
      case IMAGE_DESC_RECORD_TYPE:
        if (DGifGetImageDesc(gif.get()) != GIF_OK) return gif_error(gif.get(), "bad image descriptor");
        return draw_first_frame(gif.get(), limits);
      case EXTENSION_RECORD_TYPE:
        if (Status skipped = skip_extension(gif.get()); !skipped) return skipped.error();
        break;
      case TERMINATE_RECORD_TYPE:
        return make_error(Errc::data_loss, "gif: no image in the file");
      default:
        return make_error(Errc::data_loss, "gif: unknown record type");
    }
  }
}

}  // namespace trawl::formats
