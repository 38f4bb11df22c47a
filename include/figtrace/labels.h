/* figtrace/labels.h - ft_labels, the label map every segmenter produces.
 *
 * One label per pixel: an int32 in label[], or, in a compact map (at most 256
 * labels, made by ft_labels_new_compact or by ft_segment when asked), one
 * byte in label8[] with label NULL.  ft_labels_get() reads either;
 * ft_labels_widen() turns a compact map into the int32 form.  ft_trace and
 * ft_labels_write read both; other stages taking a label map widen a copy
 * or need the int32 form (documented there).  Label 0 is the background and is never traced.
 * Labels 1..nlabels-1 are regions; a region may consist of several connected
 * components (all ink of a line drawing is one label) or exactly one (an
 * instance segmenter gives every nucleus its own label).  Per-label facts
 * live in info[label], so later stages need not know which segmenter ran.
 */
#ifndef FIGTRACE_LABELS_H
#define FIGTRACE_LABELS_H

#include "figtrace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a label stands for; the style stage puts each class in its own layer. */
typedef enum ft_class {
  FT_CLASS_BACKGROUND = 0,
  FT_CLASS_INK = 1,     /* ink of a drawing or thresholded figure */
  FT_CLASS_REGION = 2,  /* one colour of a quantised figure */
  FT_CLASS_NUCLEUS = 3, /* one segmented object instance */
  FT_CLASS_STROKE = 4   /* a pen line (centerline tracing) */
} ft_class;

typedef struct ft_label_info {
  int class_id;   /* an ft_class */
  float color[3]; /* mean RGB of the label's pixels in the source, [0,1] */
  int64_t area;   /* pixel count */
} ft_label_info;

typedef struct ft_labels {
  int width, height;
  int32_t *label;      /* [height][width], values 0..nlabels-1; NULL when compact */
  int nlabels;         /* number of labels including background 0 */
  ft_label_info *info; /* [nlabels] */
  double pixel_w, pixel_h; /* micrometres per pixel, copied from the image; 0 unknown */
  uint8_t *label8;     /* compact map: [height][width], values 0..nlabels-1; else NULL */
} ft_labels;

/* Label of pixel i (= y * width + x), whatever the storage. */
static inline int32_t ft_labels_get(const ft_labels *lab, size_t i) {
  return lab->label ? lab->label[i] : (int32_t)lab->label8[i];
}

/* A zero-filled map (all background) with nlabels >= 1 entries in info,
 * all of class FT_CLASS_BACKGROUND.  OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_labels_new(ft_ctx *ctx, int width, int height, int nlabels,
                                            ft_labels **out);
FT_API void ft_labels_free(ft_labels *lab);

/* As ft_labels_new, but compact: one byte per pixel in label8 (label is
 * NULL); nlabels 1..256, else FT_ERR_INVAL.
 * OUT: caller frees with ft_labels_free(). */
FT_API FT_USERESULT ft_status ft_labels_new_compact(ft_ctx *ctx, int width, int height,
                                                    int nlabels, ft_labels **out);

/* Give a compact map the int32 form in place (label8 freed, label set);
 * nothing to do for a map that has it.  FT_ERR_NOMEM leaves lab unchanged. */
FT_API FT_USERESULT ft_status ft_labels_widen(ft_ctx *ctx, ft_labels *lab);

/* Recompute info[].area (and nothing else) from the label array. */
FT_API void ft_labels_count(ft_labels *lab);

#ifdef __cplusplus
}
#endif
#endif
