/* tools/fuzz/fuzz_model.c - libFuzzer target: the safetensors model loader.
 *
 * ft_model_load_memory parses the JSON header, the architecture metadata
 * and the tensor table and checks shapes and offsets against the data;
 * every malformed input must come back as an error with nothing leaked.
 * Seed it with the fixtures under tests/data/nn/.
 */
#include <stddef.h>
#include <stdint.h>

#include "figtrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ft_ctx *ctx;
  ft_model *m = NULL;
  if (!ctx) ctx = ft_ctx_new();
  if (ft_model_load_memory(ctx, data, size, "fuzz", &m) == FT_OK) {
    if (!m || !ft_model_get_info(m)) __builtin_trap();
    ft_model_free(m);
  } else if (m) {
    __builtin_trap();
  }
  return 0;
}
