/* SPDX-License-Identifier: MIT
 *
 * The code pane's gutter (gtk_text_view_set_gutter): a badge per line that
 * tasks are at, naming them, so the lit lines say which task is where. The
 * selected task's badge is filled in the selection's colour, the others
 * in the colour the lines are lit with. It redraws as the view scrolls and
 * is as wide as its longest badge needs, within bounds.
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "ls-code-gutter.h"

#define MIN_WIDTH  24
#define MAX_WIDTH  180
#define PAD        6

typedef struct
{
  int      line;
  GString *names;
  gboolean selected;
} Badge;

struct _LsCodeGutter
{
  GtkWidget      parent_instance;

  GtkTextView   *view;          /* not owned: the gutter is its child */
  GtkAdjustment *vadjustment;
  GArray        *badges;        /* Badge, by line */
  int            width;
};

G_DEFINE_FINAL_TYPE (LsCodeGutter, ls_code_gutter, GTK_TYPE_WIDGET)

static void
badge_clear (gpointer data)
{
  Badge *badge = data;

  g_string_free (badge->names, TRUE);
}

static int
text_width (LsCodeGutter *self,
            const char   *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

static void
update_width (LsCodeGutter *self)
{
  int width = MIN_WIDTH;

  for (guint i = 0; i < self->badges->len; i++)
    width = MAX (width, text_width (self, g_array_index (self->badges, Badge, i).names->str)
                        + 3 * PAD);
  width = MIN (width, MAX_WIDTH);
  /* it only grows within a run: the code must not jump left and right as
   * the cursor moves */
  if (width > self->width)
    {
      self->width = width;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

static void
ls_code_gutter_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  LsCodeGutter *self = LS_CODE_GUTTER (widget);

  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? self->width : 0;
}

static void
rounded (cairo_t *cr,
         double   x,
         double   y,
         double   w,
         double   h,
         double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
ls_code_gutter_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  LsCodeGutter *self = LS_CODE_GUTTER (widget);
  GtkTextBuffer *buffer;
  GdkRGBA fg;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->view == NULL || self->badges->len == 0 || width <= 0 || height <= 0)
    return;
  buffer = gtk_text_view_get_buffer (self->view);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; i < self->badges->len; i++)
    {
      const Badge *badge = &g_array_index (self->badges, Badge, i);
      g_autoptr(PangoLayout) layout = NULL;
      GtkTextIter iter;
      int y, h, wy, tw, th;
      double bw;

      if (badge->line <= 0 || badge->line > gtk_text_buffer_get_line_count (buffer))
        continue;
      gtk_text_buffer_get_iter_at_line (buffer, &iter, badge->line - 1);
      gtk_text_view_get_line_yrange (self->view, &iter, &y, &h);
      gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_LEFT, 0, y, NULL, &wy);
      if (wy + h < 0 || wy > height)
        continue;
      layout = gtk_widget_create_pango_layout (widget, badge->names->str);
      if (badge->selected)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_layout_set_width (layout, (width - 3 * PAD) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &tw, &th);
      bw = MIN (tw + 2 * PAD, width - PAD);
      /* the colours of the lit lines: amber, the selection blue */
      if (badge->selected)
        cairo_set_source_rgba (cr, 0.0, 114 / 255.0, 178 / 255.0, 0.9);
      else
        cairo_set_source_rgba (cr, 229 / 255.0, 165 / 255.0, 10 / 255.0, 0.55);
      rounded (cr, width - PAD / 2.0 - bw, wy + 1, bw, MAX (h - 2, 4), 4);
      cairo_fill (cr);
      if (badge->selected)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
      cairo_move_to (cr, width - PAD / 2.0 - bw + PAD, wy + (h - th) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

static void
set_vadjustment (LsCodeGutter *self)
{
  GtkAdjustment *adjustment = self->view != NULL
                              ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view))
                              : NULL;

  if (adjustment == self->vadjustment)
    return;
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, gtk_widget_queue_draw, self);
  g_set_object (&self->vadjustment, adjustment);
  if (adjustment != NULL)
    g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                              self);
}

static void
ls_code_gutter_dispose (GObject *object)
{
  LsCodeGutter *self = LS_CODE_GUTTER (object);

  if (self->view != NULL)
    g_signal_handlers_disconnect_by_func (self->view, set_vadjustment, self);
  self->view = NULL;
  set_vadjustment (self);

  G_OBJECT_CLASS (ls_code_gutter_parent_class)->dispose (object);
}

static void
ls_code_gutter_finalize (GObject *object)
{
  g_array_unref (LS_CODE_GUTTER (object)->badges);

  G_OBJECT_CLASS (ls_code_gutter_parent_class)->finalize (object);
}

static void
ls_code_gutter_class_init (LsCodeGutterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_code_gutter_dispose;
  object_class->finalize = ls_code_gutter_finalize;
  widget_class->measure = ls_code_gutter_measure;
  widget_class->snapshot = ls_code_gutter_snapshot;
  gtk_widget_class_set_css_name (widget_class, "loopscope-code-gutter");
}

static void
ls_code_gutter_init (LsCodeGutter *self)
{
  self->badges = g_array_new (FALSE, TRUE, sizeof (Badge));
  g_array_set_clear_func (self->badges, badge_clear);
  self->width = MIN_WIDTH;
}

GtkWidget *
ls_code_gutter_new (GtkTextView *view)
{
  LsCodeGutter *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (LS_TYPE_CODE_GUTTER, NULL);
  self->view = view;
  gtk_text_view_set_gutter (view, GTK_TEXT_WINDOW_LEFT, GTK_WIDGET (self));
  g_signal_connect_swapped (view, "notify::vadjustment", G_CALLBACK (set_vadjustment), self);
  set_vadjustment (self);
  return GTK_WIDGET (self);
}

void
ls_code_gutter_clear (LsCodeGutter *self)
{
  g_return_if_fail (LS_IS_CODE_GUTTER (self));

  if (self->badges->len == 0)
    return;
  g_array_set_size (self->badges, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static Badge *
find_badge (LsCodeGutter *self,
            int           line)
{
  for (guint i = 0; i < self->badges->len; i++)
    if (g_array_index (self->badges, Badge, i).line == line)
      return &g_array_index (self->badges, Badge, i);
  return NULL;
}

void
ls_code_gutter_add (LsCodeGutter *self,
                    int           line,
                    const char   *name,
                    gboolean      selected)
{
  Badge *badge;

  g_return_if_fail (LS_IS_CODE_GUTTER (self));
  g_return_if_fail (name != NULL);

  if ((badge = find_badge (self, line)) == NULL)
    {
      Badge fresh = { line, g_string_new (NULL), FALSE };

      g_array_append_val (self->badges, fresh);
      badge = &g_array_index (self->badges, Badge, self->badges->len - 1);
    }
  /* the selected task first: it is the one looked for */
  if (selected)
    {
      if (badge->names->len > 0)
        g_string_prepend (badge->names, ", ");
      g_string_prepend (badge->names, name);
    }
  else
    {
      if (badge->names->len > 0)
        g_string_append (badge->names, ", ");
      g_string_append (badge->names, name);
    }
  badge->selected |= selected;
  update_width (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

char *
ls_code_gutter_dup_text (LsCodeGutter *self,
                         int           line)
{
  Badge *badge;

  g_return_val_if_fail (LS_IS_CODE_GUTTER (self), NULL);
  badge = find_badge (self, line);
  return badge != NULL ? g_strdup (badge->names->str) : NULL;
}

gboolean
ls_code_gutter_get_selected (LsCodeGutter *self,
                             int           line)
{
  Badge *badge;

  g_return_val_if_fail (LS_IS_CODE_GUTTER (self), FALSE);
  badge = find_badge (self, line);
  return badge != NULL && badge->selected;
}
