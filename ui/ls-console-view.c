/* SPDX-License-Identifier: MIT
 *
 * The console pane, a list of lines (GtkListView): only the rows in sight
 * exist, so a long run's console stays cheap, and a row knows the exact
 * time of its print, so a click scrubs to it. Lines after the cursor are
 * dimmed rather than removed: the whole run stays readable and clickable.
 */
#include "config.h"

#include "ls-console-view.h"

/* ---- one line ------------------------------------------------------------- */

#define LS_TYPE_CONSOLE_LINE (ls_console_line_get_type ())
G_DECLARE_FINAL_TYPE (LsConsoleLine, ls_console_line, LS, CONSOLE_LINE, GObject)

struct _LsConsoleLine
{
  GObject  parent_instance;
  char    *text;
  gint64   time_ns;
  guint64  n_records; /* the records up to its print, or G_MAXUINT64: not known */
  gboolean dimmed;
};

enum
{
  LINE_PROP_0,
  LINE_PROP_DIMMED,
  LINE_N_PROPS
};

static GParamSpec *line_properties[LINE_N_PROPS];

G_DEFINE_FINAL_TYPE (LsConsoleLine, ls_console_line, G_TYPE_OBJECT)

static void
ls_console_line_finalize (GObject *object)
{
  g_free (LS_CONSOLE_LINE (object)->text);
  G_OBJECT_CLASS (ls_console_line_parent_class)->finalize (object);
}

static void
ls_console_line_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case LINE_PROP_DIMMED:
      g_value_set_boolean (value, LS_CONSOLE_LINE (object)->dimmed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_console_line_class_init (LsConsoleLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ls_console_line_finalize;
  object_class->get_property = ls_console_line_get_property;
  line_properties[LINE_PROP_DIMMED] =
    g_param_spec_boolean ("dimmed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, LINE_N_PROPS, line_properties);
}

static void
ls_console_line_init (LsConsoleLine *self)
{
}

static void
line_set_dimmed (LsConsoleLine *line,
                 gboolean       dimmed)
{
  if (line->dimmed == dimmed)
    return;
  line->dimmed = dimmed;
  g_object_notify_by_pspec (G_OBJECT (line), line_properties[LINE_PROP_DIMMED]);
}

/* ---- the view ------------------------------------------------------------- */

struct _LsConsoleView
{
  GtkWidget    parent_instance;

  GtkWidget   *scrolled;
  GtkListView *list;
  GListStore  *lines;    /* LsConsoleLine */
  guint        after;    /* the first dimmed line (n_lines: none) */
  gint64       cursor;
  guint64      cursor_records; /* the cursor is after this many records (G_MAXUINT64: all of
                                 its instant) */
};

enum
{
  LINE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsConsoleView, ls_console_view, GTK_TYPE_WIDGET)

static LsConsoleLine *
line_at (LsConsoleView *self,
         guint          i)
{
  /* the store holds a reference: a borrowed pointer is enough here */
  LsConsoleLine *line = g_list_model_get_item (G_LIST_MODEL (self->lines), i);

  g_object_unref (line);
  return line;
}

static void
update_row (GtkListItem   *item,
            GParamSpec    *pspec,
            LsConsoleLine *line)
{
  GtkWidget *label = gtk_list_item_get_child (item);

  if (line->dimmed)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           LsConsoleView            *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "loopscope-console-line");
  gtk_list_item_set_child (item, label);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          LsConsoleView            *self)
{
  LsConsoleLine *line = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), line->text);
  update_row (item, NULL, line);
  g_signal_connect_object (line, "notify::dimmed", G_CALLBACK (update_row), item,
                           G_CONNECT_SWAPPED);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            LsConsoleView            *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), update_row, item);
}

static void
on_activate (GtkListView   *list,
             guint          position,
             LsConsoleView *self)
{
  g_signal_emit (self, signals[LINE_ACTIVATED], 0, position, line_at (self, position)->time_ns);
}

static void
scroll_to (LsConsoleView *self,
           guint          line)
{
  if (line < g_list_model_get_n_items (G_LIST_MODEL (self->lines))
      && gtk_widget_get_mapped (GTK_WIDGET (self->list)))
    gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", line);
}

static void
ls_console_view_dispose (GObject *object)
{
  LsConsoleView *self = LS_CONSOLE_VIEW (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->lines);

  G_OBJECT_CLASS (ls_console_view_parent_class)->dispose (object);
}

static void
ls_console_view_class_init (LsConsoleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_console_view_dispose;

  /**
   * LsConsoleView::line-activated:
   * @line: the line clicked
   * @time_ns: when it was printed
   */
  signals[LINE_ACTIVATED] =
    g_signal_new ("line-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "console");
}

static void
ls_console_view_init (LsConsoleView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->cursor = -1;
  self->cursor_records = G_MAXUINT64;
  self->lines = g_list_store_new (LS_TYPE_CONSOLE_LINE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  self->list = GTK_LIST_VIEW (gtk_list_view_new (
    GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->lines)))),
    factory));
  gtk_list_view_set_single_click_activate (self->list, TRUE);
  /* a click scrubs; the keyboard scrubs on the timeline. A focused row
   * would also be remembered by the notebook after the row is gone. */
  gtk_widget_set_can_focus (GTK_WIDGET (self->list), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "loopscope-console");
  g_signal_connect (self->list, "activate", G_CALLBACK (on_activate), self);
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->list));
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

GtkWidget *
ls_console_view_new (void)
{
  return g_object_new (LS_TYPE_CONSOLE_VIEW, NULL);
}

void
ls_console_view_clear (LsConsoleView *self)
{
  g_return_if_fail (LS_IS_CONSOLE_VIEW (self));

  g_list_store_remove_all (self->lines);
  self->after = 0;
  self->cursor = -1;
  self->cursor_records = G_MAXUINT64;
}

guint
ls_console_view_get_n_lines (LsConsoleView *self)
{
  g_return_val_if_fail (LS_IS_CONSOLE_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->lines));
}

/* Whether @line was printed after the cursor: a later instant, or a later
 * record of the cursor's instant */
static gboolean
after_cursor (LsConsoleView *self,
              LsConsoleLine *line)
{
  if (self->cursor < 0)
    return FALSE;
  return line->time_ns > self->cursor
         || (line->time_ns == self->cursor && line->n_records != G_MAXUINT64
             && line->n_records > self->cursor_records);
}

void
ls_console_view_append (LsConsoleView *self,
                        const char    *text,
                        gint64         time_ns)
{
  ls_console_view_append_record (self, text, time_ns, G_MAXUINT64);
}

void
ls_console_view_append_record (LsConsoleView *self,
                               const char    *text,
                               gint64         time_ns,
                               guint64        n_records)
{
  g_autoptr(LsConsoleLine) line = NULL;
  guint n;

  g_return_if_fail (LS_IS_CONSOLE_VIEW (self));

  line = g_object_new (LS_TYPE_CONSOLE_LINE, NULL);
  line->text = g_strdup (text);
  line->time_ns = time_ns;
  line->n_records = n_records;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->lines));
  line->dimmed = after_cursor (self, line);
  if (self->after == n && !line->dimmed)
    self->after = n + 1;
  g_list_store_append (self->lines, line);
  if (self->cursor < 0)
    scroll_to (self, n);
}

void
ls_console_view_set_cursor (LsConsoleView *self,
                            gint64         time_ns)
{
  ls_console_view_set_cursor_record (self, time_ns, G_MAXUINT64);
}

void
ls_console_view_set_cursor_record (LsConsoleView *self,
                                   gint64         time_ns,
                                   guint64        n_records)
{
  guint n, lo = 0, hi, after;

  g_return_if_fail (LS_IS_CONSOLE_VIEW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->lines));
  hi = n;
  self->cursor = time_ns;
  self->cursor_records = n_records;
  if (time_ns < 0)
    after = n;
  else
    {
      /* lines are in the order of their records: the first one printed
       * after the cursor */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (!after_cursor (self, line_at (self, mid)))
            lo = mid + 1;
          else
            hi = mid;
        }
      after = lo;
    }
  for (guint i = MIN (after, self->after); i < MAX (after, self->after) && i < n; i++)
    line_set_dimmed (line_at (self, i), i >= after);
  self->after = after;
  scroll_to (self, after > 0 ? after - 1 : 0);
}

guint64
ls_console_view_get_line_records (LsConsoleView *self,
                                  guint          line)
{
  g_return_val_if_fail (LS_IS_CONSOLE_VIEW (self), G_MAXUINT64);
  g_return_val_if_fail (line < g_list_model_get_n_items (G_LIST_MODEL (self->lines)),
                        G_MAXUINT64);
  return line_at (self, line)->n_records;
}

gint64
ls_console_view_get_line_time (LsConsoleView *self,
                               guint          line)
{
  g_return_val_if_fail (LS_IS_CONSOLE_VIEW (self), -1);
  g_return_val_if_fail (line < g_list_model_get_n_items (G_LIST_MODEL (self->lines)), -1);
  return line_at (self, line)->time_ns;
}

char *
ls_console_view_dup_text (LsConsoleView *self,
                          gboolean       to_cursor)
{
  GString *text = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (LS_IS_CONSOLE_VIEW (self), NULL);

  n = to_cursor ? self->after : g_list_model_get_n_items (G_LIST_MODEL (self->lines));
  for (guint i = 0; i < n; i++)
    {
      g_string_append (text, line_at (self, i)->text);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}
