/* tools/fuzz/fuzz_spec.c - libFuzzer target: the denoise chain spec parser.
 *
 * The input, cut at its first NUL, is a --denoise style spec such as
 * "median:r=2,flatten:r=40,mode=divide"; parsing must either succeed or
 * fail cleanly, never read past the string or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "figtrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static ft_ctx *ctx;
  ft_denoise_chain *chain = NULL;
  char *spec;
  if (!ctx) ctx = ft_ctx_new();
  spec = malloc(size + 1);
  if (!spec) return 0;
  memcpy(spec, data, size);
  spec[size] = '\0';
  if (ft_denoise_chain_parse(ctx, spec, &chain) == FT_OK) {
    if (!chain) __builtin_trap();
    ft_denoise_chain_free(chain);
  } else if (chain) {
    __builtin_trap();
  }
  free(spec);
  return 0;
}
