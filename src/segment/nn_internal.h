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

#endif
