/* src/segment/nn_internal.h - helpers shared by the U-Net segmenter files
 * (unet.c, instances.c, labels_write.c).  Not installed. */
#ifndef FT_SEGMENT_NN_INTERNAL_H
#define FT_SEGMENT_NN_INTERNAL_H

#include "core/internal.h"
#include "figtrace/segment_nn.h"

/* Fill lab->info[l].color with the mean colour of label l's pixels in img
 * (same size as lab; gray replicated, alpha ignored) and count the areas.
 * img NULL: mid gray for every label but the background (white). */
void ft__labels_mean_colors(ft_labels *lab, const ft_image *img);

/* ft_split_instances with the markers of step 1 given: markers [h][w]
 * holds a positive marker label (or 0) per pixel; marked foreground pixels
 * start with that label (pixels of one label need not be connected) and the
 * rest proceeds as in ft_split_instances.  markers NULL: seed components. */
ft_status ft__split_instances_marked(ft_ctx *ctx, const ft_tensor *prob, const ft_image *colour,
                                     const ft_instance_params *p, const int32_t *markers,
                                     ft_labels **out);

/* Typical stroke width in pixels of the ink prob > cut of a w x h map:
 * 4 m - 2, m the mean over ink pixels of the chamfer 3-4 distance to the
 * nearest background pixel (outside the map is background), in pixels:
 * for a straight bar k pixels wide along a pixel axis (distances 1, 2, ..
 * and back) k when k is even, k + 1/k when odd; within about a pixel at
 * other angles, and a little high where strokes meet.  0 when there are fewer
 * than 64 ink pixels (too few to say) or out of memory. */
double ft__ink_stroke_width(const float *prob, int w, int h, float cut);

/* Typical diameter in pixels of the bright blobs of a w x h image in 0..1
 * (values outside are clipped), from the maxima of its scale-normalised
 * Laplacian-of-Gaussian scale space (blobs.c): 2 sqrt 2 times the median
 * scale of the blobs found, or 0 when there is none.  Meant for images of
 * at most 512 px a side (the cost is 24 Gaussians of the image). */
double ft__blob_diameter(const float *x, int w, int h);

#endif
