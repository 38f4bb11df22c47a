/* src/segment/internal.h - helpers shared by the segmenters.
 * Not installed; names use the ft__ prefix and are not exported. */
#ifndef FT_SEGMENT_INTERNAL_H
#define FT_SEGMENT_INTERNAL_H

#include "core/internal.h"

/* Merge every connected region of lab (pixels of one label) smaller than
 * min_area pixels into the neighbouring label sharing the most pixel edges
 * with it (ties: the lower label), smallest regions first; a region that
 * grows to min_area by absorbing others stays.  Regions of label 0 are
 * 4-connected, those of labels > 0 are 8-connected when fg_conn is 8, else
 * 4-connected.  Only lab->label changes (call ft__labels_summarise after).
 * Progress runs from f0 to f1 of the stage.
 * Returns FT_OK, FT_ERR_NOMEM or FT_ERR_CANCELLED. */
ft_status ft__merge_small(ft_ctx *ctx, ft_labels *lab, int64_t min_area, int fg_conn,
                          double f0, double f1);

/* ft__merge_small for a two-label map (labels 0 and 1, compact or not)
 * and min_area 2 or 3, without labelling every region: a region of one or
 * two pixels has pixels with at most one neighbour of their own label, so
 * only those are looked at, and merging such a region into the other label
 * is flipping its pixels.  The same regions in the same order (one-pixel
 * regions, then two-pixel ones, each in raster order of their first pixel)
 * with the same result: a region that an earlier flip joined to others is
 * no longer small and stays.  info[].area and info[].color are updated
 * from in (as ft__labels_summarise would).  The candidates are found in
 * bands of rows on ctx's threads.  *nflipped (may be NULL) receives the
 * number of pixels flipped.  Returns FT_OK, FT_ERR_NOMEM, FT_ERR_TOOBIG or
 * FT_ERR_CANCELLED. */
ft_status ft__merge_specks(ft_ctx *ctx, ft_labels *lab, int64_t min_area, int fg_conn,
                           const ft_image *in, long *nflipped);

/* Recompute info[].area and info[].color of lab from the pixels of in
 * (mean RGB, alpha composited onto white); an empty label 0 gets white,
 * any other empty label black.  in has lab's size. */
void ft__labels_summarise(ft_labels *lab, const ft_image *in);

/* RGB of pixel i of in as it appears on white paper (gray repeated). */
void ft__pixel_rgb(const ft_image *in, size_t i, double rgb[3]);

/* sRGB-encoded rgb in [0,1] to CIELAB (D65 white, L in 0..100). */
void ft__rgb_to_lab(const double rgb[3], double lab[3]);

/* A two-label map (0 background, 1 FT_CLASS_INK) from mask (n bytes, 1 =
 * ink) with in's size, areas and mean colours from in (alpha not
 * composited), and in's pixel size.  Used by the local thresholds.
 * OUT: caller frees with ft_labels_free(). */
ft_status ft__mask_labels(ft_ctx *ctx, const ft_image *in, const uint8_t *mask,
                          ft_labels **out);

/* A one-channel float image of in's size and pixel size (bit depth 32) for a
 * local threshold's map.  OUT: *out, NULL on failure. */
ft_status ft__threshold_map_new(ft_ctx *ctx, const ft_image *in, ft_image **out);

#endif
