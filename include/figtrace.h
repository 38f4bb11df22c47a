/* figtrace.h - raster images to editable, journal-ready vector figures.
 *
 * The library is a chain of pure stages:
 *
 *   bytes --read--> ft_image --segment--> ft_labels --trace--> ft_paths
 *         --fit--> ft_paths --style--> ft_doc --write--> SVG
 *
 * Include this header only; it pulls in the parts under figtrace/.
 * Conventions: every name is prefixed ft_ / FT_; calls that can fail
 * return ft_status and leave the detail in the ft_ctx; objects returned
 * through OUT parameters belong to the caller, who frees each with the
 * ft_<type>_free() of its type (all of which accept NULL).
 */
#ifndef FIGTRACE_H
#define FIGTRACE_H

#include "figtrace/common.h"
#include "figtrace/image.h"
#include "figtrace/labels.h"
#include "figtrace/paths.h"
#include "figtrace/doc.h"
#include "figtrace/io.h"
#include "figtrace/stages.h"
#include "figtrace/spec.h"
#include "figtrace/denoise.h"
#include "figtrace/thresholds.h"
#include "figtrace/pipeline.h"
#include "figtrace/presets.h"
#include "figtrace/nn.h"
#include "figtrace/preview.h"

#endif
