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

#endif
