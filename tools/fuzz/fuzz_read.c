/* tools/fuzz/fuzz_read.c - libFuzzer target: every reader through ft_read_memory.
 *
 * The input is a whole file; the format is detected from its magic bytes,
 * so one target reaches the PNG, JPEG, TIFF and PNM decoders.  The pixel
 * limit is lowered to 2^22 so that a valid header announcing a large image
 * is refused early instead of exhausting the fuzzer's memory limit; pages
 * 0 and 1 are both tried so multi-page TIFF directory walking is covered.
 */
#include <stddef.h>
#include <stdint.h>

#include "figtrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ft_ctx *ctx;
  ft_read_params rp;
  ft_image *img = NULL;
  int page;
  if (!ctx) ctx = ft_ctx_new();
  ft_read_params_init(&rp);
  rp.max_pixels = 1u << 22;
  for (page = 0; page < 2; page++) {
    rp.page = page;
    if (ft_read_memory(ctx, data, size, "fuzz", &rp, &img) == FT_OK) {
      /* A decoded image must be self-consistent. */
      if (!img || img->width < 1 || img->height < 1 || img->channels < 1 || img->channels > 4)
        __builtin_trap();
      ft_image_free(img);
      img = NULL;
    } else if (img) {
      __builtin_trap(); /* OUT must stay NULL on failure */
    }
  }
  return 0;
}
