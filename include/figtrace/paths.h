/* figtrace/paths.h - ft_paths, the vector value produced by trace and fit.
 *
 * Coordinates are in the source image's pixel grid: x to the right, y down,
 * (0,0) the top-left corner of the top-left pixel, pixel (i,j) covering the
 * unit square [i,i+1] x [j,j+1].  A path is a start point followed by
 * segments; each segment ends at c[2], so the segments chain end to end.
 * A closed path's last segment ends exactly at its start point.
 *
 * Outlines: the outer boundary of a connected region runs clockwise as seen
 * on screen (y down); the boundary of a hole runs counter-clockwise; so both
 * the nonzero and the even-odd fill rule render holes as holes.  parent links
 * express nesting: a hole's parent is the outline it cuts, an island's parent
 * is the hole it sits in, a top-level outline has parent -1.
 */
#ifndef FIGTRACE_PATHS_H
#define FIGTRACE_PATHS_H

#include "figtrace/common.h"
#include "figtrace/labels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ft_point {
  double x, y;
} ft_point;

typedef enum ft_seg_type {
  FT_SEG_LINE = 1, /* straight line to c[2]; c[0], c[1] unused */
  FT_SEG_CUBIC = 2 /* cubic Bezier with controls c[0], c[1] to end c[2] */
} ft_seg_type;

typedef struct ft_seg {
  int type;       /* an ft_seg_type */
  ft_point c[3];  /* [control 1, control 2, end] */
} ft_seg;

typedef struct ft_path {
  ft_point start;
  int nseg, cap;       /* segments used / allocated */
  ft_seg *seg;         /* [nseg] */
  int closed;          /* 1 closed outline or loop, 0 open stroke */
  int hole;            /* 1 when this closed path bounds a hole of its parent */
  int label;           /* label in the ft_labels it was traced from */
  int class_id;        /* ft_class of that label */
  int parent;          /* index in ft_paths.path of the enclosing path, -1 top level */
  double stroke_width; /* pixels, for open strokes and centerlines; 0 for fills */
} ft_path;

typedef struct ft_paths {
  int width, height;       /* pixel grid the coordinates refer to */
  double pixel_w, pixel_h; /* micrometres per pixel, 0 unknown */
  int npaths, cap;
  ft_path *path;           /* [npaths]; a path's parent always has a smaller index */
  int nlabels;             /* entries in info; 0 when unknown */
  ft_label_info *info;     /* [nlabels] copy of the traced map's label facts (class, colour) */
} ft_paths;

/* An empty set for a width x height grid.  OUT: caller frees with ft_paths_free(). */
FT_API FT_USERESULT ft_status ft_paths_new(ft_ctx *ctx, int width, int height, ft_paths **out);
FT_API void ft_paths_free(ft_paths *ps);

/* Replace ps->info with a copy of info[0..n-1]. */
FT_API FT_USERESULT ft_status ft_paths_set_info(ft_ctx *ctx, ft_paths *ps,
                                                const ft_label_info *info, int n);

/* Append an empty path starting at (x, y) with parent -1 and label 0;
 * *index receives its position.  Pointers into ps->path are invalidated. */
FT_API FT_USERESULT ft_status ft_paths_add(ft_ctx *ctx, ft_paths *ps, double x, double y,
                                           int *index);

/* Append a line segment to (x, y). */
FT_API FT_USERESULT ft_status ft_path_line_to(ft_ctx *ctx, ft_path *p, double x, double y);
/* Append a cubic segment with controls (x1,y1), (x2,y2) ending at (x, y). */
FT_API FT_USERESULT ft_status ft_path_cubic_to(ft_ctx *ctx, ft_path *p, double x1, double y1,
                                               double x2, double y2, double x, double y);

/* Signed area enclosed by a closed path (its segments flattened for cubics
 * using the exact cubic area formula), positive when clockwise on screen. */
FT_API double ft_path_area(const ft_path *p);

/* A deep copy.  OUT: caller frees with ft_paths_free(). */
FT_API FT_USERESULT ft_status ft_paths_copy(ft_ctx *ctx, const ft_paths *in, ft_paths **out);

/* Totals over the set: number of line and cubic segments. */
FT_API void ft_paths_count(const ft_paths *ps, long *lines, long *cubics);

#ifdef __cplusplus
}
#endif
#endif
