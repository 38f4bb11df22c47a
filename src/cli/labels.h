/* src/cli/labels.h - the --labels option (instance label image). */
#ifndef FT_CLI_LABELS_H
#define FT_CLI_LABELS_H

/* 1 when name ends in .png, .tif or .tiff (any case), the formats
 * ft_labels_write writes; 0 otherwise. */
int cli_labels_name_ok(const char *name);

#endif
