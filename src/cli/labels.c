/* src/cli/labels.c - checks for the --labels option, made before anything
 * is converted so a wrong name is a usage error, not a failed input. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "cli/labels.h"

static int ends_with(const char *s, const char *ext) {
  size_t n = strlen(s), m = strlen(ext);
  return n > m && strcasecmp(s + n - m, ext) == 0;
}

int cli_labels_name_ok(const char *name) {
  return name && (ends_with(name, ".png") || ends_with(name, ".tif") || ends_with(name, ".tiff"));
}
