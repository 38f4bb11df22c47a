/* src/io/read_jpeg.c - JPEG reader on libjpeg-turbo, from memory.
 *
 * Baseline and progressive JPEG (ITU-T T.81) through jpeg_mem_src().  Gray
 * stays one channel, YCbCr/RGB becomes RGB, and CMYK/YCCK is decoded to CMYK
 * and converted here: R = (1-C)(1-K) and so on.  Files carrying an Adobe
 * APP14 marker store CMYK inverted (the Photoshop convention, followed by
 * libjpeg's own djpeg and most readers), so there R = C*K on the stored
 * values.
 *
 * The EXIF Orientation tag (EXIF 2.3 Sec. 4.6.4, tag 0x0112) is read from the
 * APP1 segment with libexif and applied, so the image comes out the way a
 * viewer shows it.
 *
 * Pixel size: JFIF density is used when its unit is dots per inch or per
 * centimetre, except 72 and 96 dpi.  Those two are what cameras, screenshot
 * tools and image editors write when they know nothing about the physical
 * size; a scanner writes the real resolution (150, 300, 600 dpi...), which
 * is what gives a scanned sketch its size on paper.  Unit 0 (aspect ratio
 * only) gives no size.
 *
 * libjpeg reports errors by longjmp; warnings that mean the data is damaged
 * (premature end of file, corrupt entropy data, markers out of place) are
 * errors here too, so a truncated file never decodes as a half-gray image.
 */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl/jpeg.h"
#include "io/internal.h"

typedef struct jpeg_fail {
  struct jpeg_error_mgr pub;
  jmp_buf jb;
  char msg[JMSG_LENGTH_MAX];
  ft_status status; /* what the failure means */
} jpeg_fail;

static void jpeg_fail_exit(j_common_ptr cinfo) {
  jpeg_fail *f = (jpeg_fail *)cinfo->err;
  cinfo->err->format_message(cinfo, f->msg);
  switch (cinfo->err->msg_code) {
    case JERR_OUT_OF_MEMORY: f->status = FT_ERR_NOMEM; break;
    case JERR_BAD_PRECISION:
    case JERR_NOT_COMPILED:
    case JERR_CONVERSION_NOTIMPL:
      f->status = FT_ERR_UNSUPPORTED;
      break;
    default: f->status = FT_ERR_FORMAT; break;
  }
  longjmp(f->jb, 1);
}

/* Warnings (level -1) that mean the image data is truncated or damaged. */
static int damaging_warning(int code) {
  switch (code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_BOGUS_PROGRESSION:
    case JWRN_EXTRANEOUS_DATA:
    case JWRN_HUFF_BAD_CODE:
      return 1;
    default:
      return 0;
  }
}

static void jpeg_emit(j_common_ptr cinfo, int level) {
  jpeg_fail *f = (jpeg_fail *)cinfo->err;
  if (level < 0) {
    if (damaging_warning(cinfo->err->msg_code)) {
      if (cinfo->err->msg_code == JWRN_JPEG_EOF)
        snprintf(f->msg, sizeof f->msg, "premature end of data");
      else
        cinfo->err->format_message(cinfo, f->msg);
      f->status = FT_ERR_FORMAT;
      longjmp(f->jb, 1);
    }
    cinfo->err->num_warnings++;
  }
}

static void jpeg_silent(j_common_ptr cinfo) { (void)cinfo; }

/* EXIF orientation 1..8 from the APP1 segments saved by the decoder; 1 when
 * there is none or it is not readable. */
static int exif_orientation(j_decompress_ptr cinfo) {
  jpeg_saved_marker_ptr m;
  int o = 1;
  for (m = cinfo->marker_list; m; m = m->next) {
    ExifData *ed;
    ExifEntry *e;
    if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 || memcmp(m->data, "Exif\0\0", 6) != 0)
      continue;
    ed = exif_data_new_from_data(m->data, m->data_length);
    if (!ed) continue;
    e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->data && e->size >= 2) {
      int v = exif_get_short(e->data, exif_data_get_byte_order(ed));
      if (v >= 1 && v <= 8) o = v;
    }
    exif_data_unref(ed);
    break;
  }
  return o;
}

ft_status ft__read_jpeg(ft_ctx *ctx, const unsigned char *data, size_t len, const char *name,
                        const ft_read_params *p, ft_image **out) {
  struct jpeg_decompress_struct cinfo;
  jpeg_fail fail;
  JSAMPLE *volatile line = NULL;
  ft_image *volatile img = NULL;
  int channels, comps, orientation, inverted;
  unsigned w, h;
  ft_status st;

  *out = NULL;
  if ((st = ft__jpeg_require(ctx))) return st;
  memset(&cinfo, 0, sizeof cinfo);
  memset(&fail, 0, sizeof fail);
  cinfo.err = jpeg_std_error(&fail.pub);
  fail.pub.error_exit = jpeg_fail_exit;
  fail.pub.emit_message = jpeg_emit;
  fail.pub.output_message = jpeg_silent;
  if (setjmp(fail.jb)) {
    jpeg_destroy_decompress(&cinfo);
    free(line);
    ft_image_free(img);
    return ft__fail(ctx, fail.status ? fail.status : FT_ERR_FORMAT, "%s: jpeg: %s", name,
                    fail.msg);
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)len);
  jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(&cinfo, TRUE);
  w = cinfo.image_width;
  h = cinfo.image_height;
  if ((st = ft__read_check_size(ctx, name, "jpeg", w, h, p))) {
    jpeg_destroy_decompress(&cinfo);
    return st;
  }
  orientation = exif_orientation(&cinfo);
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
      cinfo.out_color_space = JCS_GRAYSCALE;
      channels = 1;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo.out_color_space = JCS_CMYK;
      channels = 3;
      break;
    default:
      cinfo.out_color_space = JCS_RGB;
      channels = 3;
      break;
  }
  inverted = cinfo.out_color_space == JCS_CMYK && cinfo.saw_Adobe_marker;
  jpeg_start_decompress(&cinfo);
  comps = cinfo.output_components;
  if (cinfo.output_width != w || cinfo.output_height != h ||
      comps != (cinfo.out_color_space == JCS_CMYK ? 4 : channels)) {
    jpeg_destroy_decompress(&cinfo);
    return ft__fail(ctx, FT_ERR_INTERNAL, "%s: jpeg: unexpected decoder output layout", name);
  }
  line = ft__malloc_n(w, (size_t)comps);
  if (!line) {
    jpeg_destroy_decompress(&cinfo);
    return ft__fail(ctx, FT_ERR_NOMEM, "%s: jpeg: out of memory", name);
  }
  {
    ft_image *im;
    if ((st = ft__read_new_image(ctx, name, "jpeg", (int)w, (int)h, channels, 0, &im))) {
      jpeg_destroy_decompress(&cinfo);
      free(line);
      return st;
    }
    img = im;
  }
  while (cinfo.output_scanline < h) {
    JSAMPROW rp = line;
    unsigned y = cinfo.output_scanline, x;
    float *d = img->data + (size_t)y * w * channels;
    if (jpeg_read_scanlines(&cinfo, &rp, 1) != 1) {
      snprintf(fail.msg, sizeof fail.msg, "premature end of data");
      fail.status = FT_ERR_FORMAT;
      longjmp(fail.jb, 1);
    }
    if (cinfo.out_color_space == JCS_CMYK) {
      for (x = 0; x < w; x++, d += 3) {
        const JSAMPLE *s = line + 4 * (size_t)x;
        float c = s[0] / 255.0f, m = s[1] / 255.0f, ye = s[2] / 255.0f, k = s[3] / 255.0f;
        if (!inverted) {
          c = 1.0f - c;
          m = 1.0f - m;
          ye = 1.0f - ye;
          k = 1.0f - k;
        }
        /* with (possibly re-)inverted values, c = 1 - C, k = 1 - K */
        d[0] = c * k;
        d[1] = m * k;
        d[2] = ye * k;
      }
    } else {
      size_t i, n = (size_t)w * channels;
      for (i = 0; i < n; i++) d[i] = line[i] / 255.0f;
    }
  }
  jpeg_finish_decompress(&cinfo);
  img->bit_depth = 8;
  if (cinfo.saw_JFIF_marker && (cinfo.density_unit == 1 || cinfo.density_unit == 2) &&
      cinfo.X_density > 1 && cinfo.Y_density > 1) {
    double um = cinfo.density_unit == 1 ? 25400.0 : 10000.0;
    int placeholder = cinfo.density_unit == 1 &&
                      ((cinfo.X_density == 72 && cinfo.Y_density == 72) ||
                       (cinfo.X_density == 96 && cinfo.Y_density == 96));
    if (!placeholder) {
      img->pixel_w = um / cinfo.X_density;
      img->pixel_h = um / cinfo.Y_density;
    }
  }
  jpeg_destroy_decompress(&cinfo);
  free(line);
  {
    ft_image *im = img;
    if ((st = ft__read_orient(ctx, name, "jpeg", &im, orientation))) {
      ft_image_free(im);
      return st;
    }
    *out = im;
  }
  return FT_OK;
}
