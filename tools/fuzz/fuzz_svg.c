/* tools/fuzz/fuzz_svg.c - libFuzzer target: decode, trace, write SVG and a preview.
 *
 * Whatever image a fuzzed file decodes to (at most 2^18 pixels, to keep
 * iterations fast) runs through the whole default pipeline - threshold,
 * trace, fit, style - and is written as SVG into a memory sink, then
 * rendered as a small PNG preview (ft_render_png) with the image as
 * underlay.  The SVG must be non-empty and end with its closing tag.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "figtrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ft_ctx *ctx;
  ft_options opt;
  ft_image *img = NULL;
  ft_doc *doc = NULL;
  ft_sink *sink = NULL;
  ft_preview_params pp;
  if (!ctx) {
    ctx = ft_ctx_new();
    ft_ctx_set_threads(ctx, 1);
  }
  ft_options_init(&opt);
  opt.read.max_pixels = 1u << 18;
  if (ft_read_memory(ctx, data, size, "fuzz", &opt.read, &img) != FT_OK) return 0;
  if (ft_pipeline_run(ctx, &opt, img, &doc) == FT_OK) {
    if (ft_sink_open_memory(ctx, &sink) == FT_OK) {
      if (ft_write_svg(ctx, doc, &opt.svg, sink) == FT_OK) {
        size_t len = 0;
        const char *svg = ft_sink_memory_data(sink, &len);
        if (!svg || len == 0 || !strstr(svg, "</svg>")) __builtin_trap();
      }
      (void)ft_sink_close(ctx, sink, 0);
    }
    if (ft_sink_open_memory(ctx, &sink) == FT_OK) {
      ft_preview_params_init(&pp);
      pp.max_size = 64;
      pp.underlay = img;
      pp.outlines = (int)(size & 1);
      (void)ft_render_png(ctx, doc, &pp, sink);
      (void)ft_sink_close(ctx, sink, 0);
    }
  }
  ft_doc_free(doc);
  ft_image_free(img);
  return 0;
}
