/* SPDX-License-Identifier: MIT
 *
 * Exporting the timeline as an image (PNG, SVG, PDF), drawn by the same
 * renderer as the window, with a title line above and a legend below.
 * Needs no display and no widget.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ls-interpreter.h"
#include "ls-lane-layout.h"

G_BEGIN_DECLS

typedef enum
{
  LS_EXPORT_PNG = 0,
  LS_EXPORT_SVG,
  LS_EXPORT_PDF,
} LsExportFormat;

#define LS_EXPORT_MIN_WIDTH   400
#define LS_EXPORT_MAX_SIZE    16384      /* width or height, before the scale */
#define LS_EXPORT_MAX_PIXELS  (100 * 1000 * 1000) /* a PNG's width × height × scale² */

typedef struct
{
  LsExportFormat  format;
  int             width;    /* pixels (PNG) or points (SVG, PDF); 0: 1200 */
  int             height;   /* the whole image; 0: as tall as the lanes need */
  double          scale;    /* PNG only: pixels per unit (2 for HiDPI); 0: 1 */
  gboolean        dark;
  gint64          t0;       /* the range, ns; t1 <= t0: the whole run */
  gint64          t1;
  const char     *title;    /* the title line, or NULL for none */
  gboolean        legend;
  LsLaneLayout   *layout;   /* the rows as arranged (filtered, folded, pinned); NULL: every
                               lane, nothing folded */
  gboolean        iterations; /* the iteration view: the loop's iterations along the axis
                                 (t0 and t1 stay scenario time) */
} LsExportOptions;

void      ls_export_options_init     (LsExportOptions       *options);
/* From a file name's extension (.png, .svg, .pdf); FALSE if none of them. */
gboolean  ls_export_format_for_path  (const char            *path,
                                      LsExportFormat        *format);
/* Where the timeline (its axis) starts in the image, in units, and the
 * image's size in units, as ls_export_image () lays it out. */
void      ls_export_get_layout       (LsInterpreter       *model,
                                      const LsExportOptions *options,
                                      double                *timeline_y,
                                      double                *width,
                                      double                *height);
/* Writes the image to a temporary file beside @path and renames it: never
 * a partial file. Errors name @path and the problem. */
/* The image, drawn into @out; errors name @name. */
gboolean  ls_export_image_to_stream  (LsInterpreter         *model,
                                      const LsExportOptions *options,
                                      GOutputStream         *out,
                                      const char            *name,
                                      GError               **error);
/* Any drawing as an image of @width × @height units in @options' format
 * (the comparison of two runs uses it): @draw_func draws it from the
 * origin; @text_func (may be NULL) adds an SVG's text layer to the
 * document in @buffer, before its closing tag. */
typedef void (*LsExportDrawFunc) (cairo_t    *cr,
                                  double      width,
                                  double      height,
                                  gpointer    data);
typedef void (*LsExportTextFunc) (GByteArray *buffer,
                                  gpointer    data);
/* For an LsExportTextFunc: one line of text at (@x, @y) in @layer, and the
 * layer (the title, then @texts) put into the SVG document in @buffer
 * before its closing tag, transparent over the drawing. */
void      ls_export_svg_text           (GString               *layer,
                                        double                 x,
                                        double                 y,
                                        const char            *text);
void      ls_export_svg_add_text_layer (GByteArray            *buffer,
                                        const LsExportOptions *options,
                                        const GString         *texts);
gboolean  ls_export_drawing_to_stream (const LsExportOptions *options,
                                       double                 width,
                                       double                 height,
                                       LsExportDrawFunc       draw_func,
                                       LsExportTextFunc       text_func,
                                       gpointer               data,
                                       GOutputStream         *out,
                                       const char            *name,
                                       GError               **error);
gboolean  ls_export_image            (LsInterpreter       *model,
                                      const LsExportOptions *options,
                                      const char            *path,
                                      GError               **error);

G_END_DECLS
