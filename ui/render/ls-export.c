/* SPDX-License-Identifier: MIT
 *
 * Image exports: the title, then ls_timeline_render () with the run's
 * whole range (or the one asked for) and every lane, then the legend, on
 * a cairo image, SVG or PDF surface. The surface writes to a temporary
 * file that is renamed only when cairo reported no error.
 *
 * cairo's SVG surface draws text as glyph outlines: the SVG gets a
 * transparent text layer with the title and lane labels on top, so the
 * labels can be searched, selected and read by tools.
 */
#include "config.h"

#include "ls-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ls-atomic-file.h"
#include "ls-timeline-renderer.h"

#define DEFAULT_WIDTH 1200

void
ls_export_options_init (LsExportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->format = LS_EXPORT_PNG;
  options->scale = 1.0;
  options->legend = TRUE;
  options->t0 = 0;
  options->t1 = -1;
}

gboolean
ls_export_format_for_path (const char     *path,
                           LsExportFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = LS_EXPORT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = LS_EXPORT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = LS_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

/* The rows to draw: the options', or every lane, nothing folded (a new
 * reference either way). */
static LsLaneLayout *
export_layout (LsInterpreter         *model,
               const LsExportOptions *options)
{
  LsLaneLayout *layout;

  if (options->layout != NULL)
    return g_object_ref (options->layout);
  layout = ls_lane_layout_new (model);
  ls_lane_layout_set_grouping (layout, FALSE);
  return layout;
}

static void
make_view (LsInterpreter       *model,
           const LsExportOptions *options,
           double                 width,
           double                 height,
           LsTimelineView        *view)
{
  gint64 end = ls_interpreter_get_end_time (model);

  memset (view, 0, sizeof *view);
  view->width = width;
  view->height = height;
  if (options->t1 > options->t0)
    {
      view->t0 = options->t0;
      view->t1 = options->t1;
    }
  else
    {
      gint64 margin = MAX (end / 50, options->iterations ? LS_ITERATION_SLOT : 1000000);

      /* the whole run, with room on the right for the last marks (a trace
       * from a file may end near the end of time: saturate) */
      view->t0 = 0;
      view->t1 = end > G_MAXINT64 - margin ? G_MAXINT64 : MAX (end, 1) + margin;
    }
  view->now = -1;
  view->cursor = -1;
  view->selected_lane = -1;
  view->dark = options->dark;
}

/* The legend's height for @width, measured on a throwaway surface. */
static double
legend_height (const LsExportOptions *options,
               double                 width)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  LsTimelineView view = { 0 };
  double height;

  view.dark = options->dark;
  height = ls_timeline_render_legend (cr, &view, width);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return height;
}

void
ls_export_get_layout (LsInterpreter       *model,
                      const LsExportOptions *options,
                      double                *timeline_y,
                      double                *width,
                      double                *height)
{
  double w = options->width > 0 ? options->width : DEFAULT_WIDTH;
  double title_h = options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;
  double legend_h = options->legend ? legend_height (options, w) : 0;
  g_autoptr(LsLaneLayout) layout = export_layout (model, options);
  double h = options->height > 0 ? options->height
                                 : title_h + ls_timeline_content_height (layout) + legend_h;

  if (timeline_y != NULL)
    *timeline_y = title_h;
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = MIN (ceil (h), LS_EXPORT_MAX_SIZE);
}

static void
draw (cairo_t               *cr,
      LsInterpreter       *model,
      const LsExportOptions *options,
      double                 width,
      double                 height)
{
  double title_h = options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;
  double legend_h = options->legend ? legend_height (options, width) : 0;
  g_autoptr(LsLaneLayout) layout = export_layout (model, options);
  g_autoptr(LsIterationMap) map = NULL;
  LsInterpreter *drawn = model;
  LsTimelineView view;

  /* the iteration view: the run restamped in steps, the range with it */
  if (options->iterations)
    {
      LsExportOptions steps = *options;

      map = ls_iteration_map_new (ls_interpreter_get_trace (model));
      drawn = ls_iteration_map_get_interpreter (map);
      if (options->t1 > options->t0)
        {
          steps.t0 = ls_iteration_map_time_to_step (map, MAX (options->t0 - 1, 0));
          steps.t1 = MAX (ls_iteration_map_time_to_step (map, options->t1), steps.t0 + 1);
        }
      make_view (drawn, &steps, width, MAX (height - title_h - legend_h, 1), &view);
      view.iterations = map;
    }
  else
    make_view (model, options, width, MAX (height - title_h - legend_h, 1), &view);
  view.layout = layout;
  if (options->title != NULL)
    ls_timeline_render_title (cr, &view, options->title, width);
  cairo_save (cr);
  cairo_translate (cr, 0, title_h);
  ls_timeline_render (cr, drawn, &view);
  cairo_restore (cr);
  if (options->legend)
    {
      cairo_save (cr);
      cairo_translate (cr, 0, height - legend_h);
      ls_timeline_render_legend (cr, &view, width);
      cairo_restore (cr);
    }
}

typedef struct
{
  GOutputStream *out;     /* or NULL: into buffer */
  GByteArray    *buffer;
  GError        *error;
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (sink->out == NULL)
    {
      g_byte_array_append (sink->buffer, data, length);
      return CAIRO_STATUS_SUCCESS;
    }
  if (!g_output_stream_write_all (sink->out, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

void
ls_export_svg_text (GString    *layer,
                    double      x,
                    double      y,
                    const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (layer, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, y, escaped);
}

void
ls_export_svg_add_text_layer (GByteArray            *buffer,
                              const LsExportOptions *options,
                              const GString         *texts)
{
  g_autoptr(GString) layer = g_string_new ("<g id=\"loopscope-text\" style=\"fill-opacity:0;"
                                           "font-family:sans-serif;font-size:12px\">\n");
  const char *end_tag = "</svg>";
  gsize end;

  if (options->title != NULL)
    {
      g_autofree char *title = g_markup_escape_text (options->title, -1);

      g_string_append_printf (layer, "<title>%s</title>\n", title);
      ls_export_svg_text (layer, 8, LS_TIMELINE_TITLE_HEIGHT / 2 + 4, options->title);
    }
  g_string_append_len (layer, texts->str, texts->len);
  g_string_append (layer, "</g>\n");

  for (end = buffer->len; end >= strlen (end_tag); end--)
    if (memcmp (buffer->data + end - strlen (end_tag), end_tag, strlen (end_tag)) == 0)
      break;
  if (end < strlen (end_tag))
    return;
  end -= strlen (end_tag);
  g_byte_array_remove_range (buffer, end, buffer->len - end);
  g_byte_array_append (buffer, (const guint8 *) layer->str, layer->len);
  g_byte_array_append (buffer, (const guint8 *) "</svg>\n", 7);
}

/* The lanes' labels as text, for the transparent layer */
static void
add_svg_text_layer (GByteArray            *buffer,
                    LsInterpreter         *model,
                    const LsExportOptions *options)
{
  g_autoptr(GString) texts = g_string_new (NULL);
  double title_h = options->title != NULL ? LS_TIMELINE_TITLE_HEIGHT : 0;
  g_autoptr(LsLaneLayout) layout = export_layout (model, options);
  LsTimelineView view = { 0 };

  view.layout = layout;
  for (guint row = 0; row < ls_lane_layout_get_n_rows (layout); row++)
    ls_export_svg_text (texts, 8 + MIN (ls_lane_layout_get_row (layout, row)->depth, 6) * 12.0,
                        title_h + ls_timeline_view_row_y (&view, row)
                        + LS_TIMELINE_LANE_HEIGHT / 2 + 4,
                        ls_lane_layout_get_row_label (layout, row));
  ls_export_svg_add_text_layer (buffer, options, texts);
}

static gboolean
check_options (const LsExportOptions *options,
               double                 width,
               double                 height,
               const char            *path,
               GError               **error)
{
  double scale = options->format == LS_EXPORT_PNG ? options->scale : 1.0;

  if (options->width != 0 && (options->width < LS_EXPORT_MIN_WIDTH
                              || options->width > LS_EXPORT_MAX_SIZE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: the width must be between %d and %d"), path, LS_EXPORT_MIN_WIDTH,
                   LS_EXPORT_MAX_SIZE);
      return FALSE;
    }
  if (options->height < 0 || options->height > LS_EXPORT_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: the height must be between 1 and %d"), path, LS_EXPORT_MAX_SIZE);
      return FALSE;
    }
  if (!(scale >= 0.25 && scale <= 8.0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: the scale must be between 0.25 and 8"), path);
      return FALSE;
    }
  if (width * scale * height * scale > LS_EXPORT_MAX_PIXELS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: %.0f × %.0f pixels is too large (at most %d million)"), path,
                   width * scale, height * scale, LS_EXPORT_MAX_PIXELS / 1000000);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  LsInterpreter         *model;
  const LsExportOptions *options;
} TimelineDrawing;

static void
draw_timeline (cairo_t  *cr,
               double    width,
               double    height,
               gpointer  data)
{
  TimelineDrawing *d = data;

  draw (cr, d->model, d->options, width, height);
}

static void
timeline_text_layer (GByteArray *buffer,
                     gpointer    data)
{
  TimelineDrawing *d = data;

  add_svg_text_layer (buffer, d->model, d->options);
}

/**
 * ls_export_image_to_stream:
 * @name: how errors name the destination (its path)
 *
 * Draws the image into @out. The caller decides what becomes of the
 * stream (ls_export_image () renames it into place; the command line
 * commits several outputs together).
 */
gboolean
ls_export_image_to_stream (LsInterpreter         *model,
                           const LsExportOptions *options,
                           GOutputStream         *out,
                           const char            *name,
                           GError               **error)
{
  TimelineDrawing drawing = { model, options };
  double width, height;

  g_return_val_if_fail (LS_IS_INTERPRETER (model), FALSE);
  g_return_val_if_fail (options != NULL && G_IS_OUTPUT_STREAM (out) && name != NULL, FALSE);

  ls_export_get_layout (model, options, NULL, &width, &height);
  return ls_export_drawing_to_stream (options, width, height, draw_timeline, timeline_text_layer,
                                      &drawing, out, name, error);
}

gboolean
ls_export_drawing_to_stream (const LsExportOptions *options,
                             double                 width,
                             double                 height,
                             LsExportDrawFunc       draw_func,
                             LsExportTextFunc       text_func,
                             gpointer               data,
                             GOutputStream         *out,
                             const char            *name,
                             GError               **error)
{
  cairo_surface_t *surface = NULL;
  cairo_t *cr;
  cairo_status_t status;
  Sink sink = { 0 };

  g_return_val_if_fail (options != NULL && G_IS_OUTPUT_STREAM (out) && name != NULL, FALSE);

  if (!check_options (options, width, height, name, error))
    return FALSE;
  sink.out = out;

  switch (options->format)
    {
    case LS_EXPORT_PNG:
      {
        double scale = options->scale > 0 ? options->scale : 1.0;

        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                              (int) ceil (height * scale));
        cairo_surface_set_device_scale (surface, scale, scale);
      }
      break;
    case LS_EXPORT_SVG:
      sink.buffer = g_byte_array_new ();
      sink.out = NULL;
      surface = cairo_svg_surface_create_for_stream (sink_write, &sink, width, height);
      break;
    case LS_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, width, height);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  cr = cairo_create (surface);
  draw_func (cr, width, height, data);
  if (options->format == LS_EXPORT_PDF)
    cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && options->format == LS_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, sink_write, &sink);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status == CAIRO_STATUS_SUCCESS && sink.error == NULL && sink.buffer != NULL)
    {
      if (text_func != NULL)
        text_func (sink.buffer, data);
      g_output_stream_write_all (out, sink.buffer->data, sink.buffer->len, NULL, NULL,
                                 &sink.error);
    }
  g_clear_pointer (&sink.buffer, g_byte_array_unref);
  if (sink.error != NULL)
    {
      g_set_error (error, sink.error->domain, sink.error->code, _("%s: cannot write: %s"), name,
                   sink.error->message);
      g_clear_error (&sink.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: cannot draw: %s"), name,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
ls_export_image (LsInterpreter         *model,
                 const LsExportOptions *options,
                 const char            *path,
                 GError               **error)
{
  g_autoptr(LsAtomicFile) file = NULL;
  double width, height;

  g_return_val_if_fail (LS_IS_INTERPRETER (model), FALSE);
  g_return_val_if_fail (options != NULL && path != NULL, FALSE);

  /* a size the image cannot have is refused before any file is made */
  ls_export_get_layout (model, options, NULL, &width, &height);
  if (!check_options (options, width, height, path, error))
    return FALSE;
  file = ls_atomic_file_new (path, error);
  if (file == NULL
      || !ls_export_image_to_stream (model, options, ls_atomic_file_get_stream (file), path,
                                     error))
    return FALSE;
  return ls_atomic_file_commit (file, error);
}
