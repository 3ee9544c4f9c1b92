/* SPDX-License-Identifier: MIT
 *
 * The Sweep dialog. The range is checked by ls_sweep_new (), as --sweep's
 * is, and a bad one is said under the controls; the runs go one per idle
 * callback, so the window stays responsive and the progress bar moves;
 * closing the dialog stops them.
 */
#include "config.h"

#include "ls-sweep-dialog.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ls-atomic-file.h"
#include "ls-sweep-renderer.h"
#include "ls-timeline.h"

struct _LsSweepDialog
{
  GtkWindow  parent_instance;

  LsKnobs   *knobs;     /* the other knobs, as the window had them */
  guint32    seed;
  LsSweep   *sweep;
  guint      next;      /* the next value to run */
  guint      idle_id;

  GtkWidget *knob_menu; /* GtkDropDown */
  GtkWidget *from;
  GtkWidget *to;
  GtkWidget *step;
  GtkWidget *run;
  GtkWidget *export;
  GtkWidget *progress;
  GtkWidget *message;
  GtkWidget *chart;
};

G_DEFINE_FINAL_TYPE (LsSweepDialog, ls_sweep_dialog, GTK_TYPE_WINDOW)

static const LsScenario *
scenario_of (LsSweepDialog *self)
{
  return ls_knobs_get_scenario (self->knobs);
}

static guint
chosen_knob (LsSweepDialog *self)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (self->knob_menu));
}

static void
say (LsSweepDialog *self,
     const char    *message,
     gboolean       error)
{
  gtk_label_set_text (GTK_LABEL (self->message), message);
  gtk_widget_set_visible (self->message, message != NULL && *message != '\0');
  if (error)
    gtk_widget_add_css_class (self->message, "error");
  else
    gtk_widget_remove_css_class (self->message, "error");
}

/* The range's controls for the knob chosen: its limits, and a range
 * around its value that shows something (a count from its least, ten
 * values; seconds from half its value to three times it, ten steps) */
static void
set_range_controls (LsSweepDialog *self)
{
  const LsScenario *scenario = scenario_of (self);
  guint knob = chosen_knob (self);
  const LsScenarioKnob *k = &scenario->knobs[knob];
  gboolean seconds = ls_knob_get_info (scenario, knob)->kind == LS_KNOB_SECONDS;
  double value = ls_knobs_get_value (self->knobs, knob);
  double from = seconds ? MAX (k->min, round (value * 50) / 100) : k->min;
  double to = seconds ? MIN (k->max, value * 3) : MIN (k->max, k->min + 9);
  GtkWidget *spins[] = { self->from, self->to, self->step };

  if (to <= from)
    to = k->max;
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      GtkSpinButton *spin = GTK_SPIN_BUTTON (spins[i]);

      gtk_spin_button_set_digits (spin, seconds ? 2 : 0);
      gtk_spin_button_set_increments (spin, seconds ? 0.1 : 1, seconds ? 1 : 5);
      if (spins[i] == self->step)
        gtk_spin_button_set_range (spin, seconds ? 0.01 : 1, MAX (k->max - k->min, 1));
      else
        gtk_spin_button_set_range (spin, k->min, k->max);
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->from), from);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->to), to);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->step),
                             seconds ? MAX (0.01, round ((to - from) * 10) / 100) : 1);
}

static void
on_knob_chosen (LsSweepDialog *self)
{
  set_range_controls (self);
}

static void
stop (LsSweepDialog *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
  gtk_widget_set_sensitive (self->run, TRUE);
  gtk_widget_set_visible (self->progress, FALSE);
}

static gboolean
run_next (gpointer data)
{
  LsSweepDialog *self = data;
  guint n = ls_sweep_get_n_points (self->sweep);
  g_autoptr(GError) error = NULL;

  if (!ls_sweep_run_point (self->sweep, self->next, self->seed, &error))
    {
      self->idle_id = 0;
      stop (self);
      say (self, error->message, TRUE);
      return G_SOURCE_REMOVE;
    }
  self->next++;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), (double) self->next / n);
  gtk_widget_queue_draw (self->chart);
  if (self->next < n)
    return G_SOURCE_CONTINUE;
  self->idle_id = 0;
  stop (self);
  gtk_widget_set_sensitive (self->export, TRUE);
  return G_SOURCE_REMOVE;
}

static char *
spin_text (GtkWidget *spin)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  /* what the spin button shows, not the double behind it */
  return g_strdup (g_ascii_formatd (text, sizeof text, "%.9g",
                                    round (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin))
                                           * 1e9) / 1e9));
}

static void
on_run (LsSweepDialog *self)
{
  const LsScenario *scenario = scenario_of (self);
  guint knob = chosen_knob (self);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *step = NULL;
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  LsSweep *sweep;

  /* a value typed and not yet taken counts */
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->from));
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->to));
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->step));
  from = spin_text (self->from);
  to = spin_text (self->to);
  step = spin_text (self->step);
  spec = g_strdup_printf ("%s=%s..%s:%s", scenario->knobs[knob].name, from, to, step);
  sweep = ls_sweep_new (self->knobs, spec, &error);
  if (sweep == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_pointer (&self->sweep, ls_sweep_free);
  self->sweep = sweep;
  self->next = 0;
  say (self, NULL, FALSE);
  gtk_widget_set_sensitive (self->run, FALSE);
  gtk_widget_set_sensitive (self->export, FALSE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  gtk_widget_set_visible (self->progress, TRUE);
  gtk_widget_queue_draw (self->chart);
  self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, run_next, self, NULL);
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  LsSweepDialog *self = data;

  if (self->sweep != NULL)
    ls_sweep_render (cr, self->sweep, width, height,
                     ls_timeline_widget_is_dark (GTK_WIDGET (area)));
}

/* ---- the export ------------------------------------------------------------------- */

static char *
title_of (LsSweepDialog *self)
{
  const LsScenario *scenario = scenario_of (self);
  g_autofree char *others = ls_sweep_describe_others (self->sweep);

  return g_strdup_printf (_("%s — total duration by %s — %s%sseed %u"), _(scenario->title),
                          _(scenario->knobs[ls_sweep_get_knob (self->sweep)].label), others,
                          *others != '\0' ? ", " : "", self->seed);
}

static gboolean
export_to (LsSweepDialog *self,
           const char    *path,
           GError       **error)
{
  g_autoptr(LsAtomicFile) file = NULL;
  g_autofree char *title = title_of (self);
  LsExportOptions options;

  ls_export_options_init (&options);
  if (!ls_export_format_for_path (path, &options.format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("%s: name the file .png, .svg or .pdf"), path);
      return FALSE;
    }
  options.dark = ls_timeline_widget_is_dark (self->chart);
  options.title = title;
  file = ls_atomic_file_new (path, error);
  return file != NULL
         && ls_sweep_export_to_stream (self->sweep, &options, ls_atomic_file_get_stream (file),
                                       path, error)
         && ls_atomic_file_commit (file, error);
}

static void
export_response (GtkNativeDialog *chooser,
                 int              response,
                 LsSweepDialog   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        say (self, _("Only local files can be written"), TRUE);
      else if (!export_to (self, path, &error))
        say (self, error->message, TRUE);
      else
        {
          g_autofree char *done = g_strdup_printf (_("Saved %s"), path);

          say (self, done, FALSE);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_export (LsSweepDialog *self)
{
  const LsScenario *scenario = scenario_of (self);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->sweep == NULL)
    return;
  name = g_strdup_printf ("%s-sweep-%s.png", scenario->id,
                          scenario->knobs[ls_sweep_get_knob (self->sweep)].name);
  /* GTK's chooser asks before it lets a file be replaced */
  chooser = gtk_file_chooser_native_new (_("Export Sweep"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the object ------------------------------------------------------------------- */

const LsSweep *
ls_sweep_dialog_get_sweep (LsSweepDialog *self)
{
  g_return_val_if_fail (LS_IS_SWEEP_DIALOG (self), NULL);
  return self->sweep;
}

gboolean
ls_sweep_dialog_is_running (LsSweepDialog *self)
{
  g_return_val_if_fail (LS_IS_SWEEP_DIALOG (self), FALSE);
  return self->idle_id != 0;
}

GtkWidget *
ls_sweep_dialog_get_part (LsSweepDialog *self,
                          const char    *name)
{
  struct { const char *name; GtkWidget *widget; } parts[] = {
    { "knob", self->knob_menu }, { "from", self->from }, { "to", self->to },
    { "step", self->step }, { "run", self->run }, { "export", self->export },
    { "chart", self->chart }, { "message", self->message },
  };

  g_return_val_if_fail (LS_IS_SWEEP_DIALOG (self), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_strcmp0 (parts[i].name, name) == 0)
      return parts[i].widget;
  return NULL;
}

static void
ls_sweep_dialog_dispose (GObject *object)
{
  LsSweepDialog *self = LS_SWEEP_DIALOG (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);

  G_OBJECT_CLASS (ls_sweep_dialog_parent_class)->dispose (object);
}

static void
ls_sweep_dialog_finalize (GObject *object)
{
  LsSweepDialog *self = LS_SWEEP_DIALOG (object);

  g_clear_pointer (&self->sweep, ls_sweep_free);
  g_clear_pointer (&self->knobs, ls_knobs_free);

  G_OBJECT_CLASS (ls_sweep_dialog_parent_class)->finalize (object);
}

static void
ls_sweep_dialog_class_init (LsSweepDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_sweep_dialog_dispose;
  object_class->finalize = ls_sweep_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ls_sweep_dialog_init (LsSweepDialog *self)
{
}

static GtkWidget *
labelled (GtkWidget  *grid,
          int         column,
          const char *text,
          GtkWidget  *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_grid_attach (GTK_GRID (grid), label, column, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), control, column, 1, 1, 1);
  return control;
}

static GtkWidget *
range_spin (void)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1, 1);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return spin;
}

LsSweepDialog *
ls_sweep_dialog_new (GtkWindow     *parent,
                     const LsKnobs *knobs,
                     guint32        seed)
{
  LsSweepDialog *self;
  const LsScenario *scenario;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *box, *grid, *header, *others;
  g_autofree char *title = NULL;
  g_autofree char *described = NULL;

  g_return_val_if_fail (knobs != NULL, NULL);
  scenario = ls_knobs_get_scenario (knobs);
  g_return_val_if_fail (scenario->n_knobs > 0, NULL);

  self = g_object_new (LS_TYPE_SWEEP_DIALOG, "transient-for", parent, "modal", TRUE,
                       "destroy-with-parent", TRUE, "default-width", 720,
                       "default-height", 560, NULL);
  self->knobs = ls_knobs_copy (knobs);
  self->seed = seed;
  title = g_strdup_printf (_("Sweep — %s"), _(scenario->title));
  gtk_window_set_title (GTK_WINDOW (self), title);
  header = gtk_header_bar_new ();
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_window_set_child (GTK_WINDOW (self), box);

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_box_append (GTK_BOX (box), grid);
  for (guint i = 0; i < scenario->n_knobs; i++)
    gtk_string_list_append (names, _(scenario->knobs[i].label));
  self->knob_menu = labelled (grid, 0, _("_Knob"),
                              gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  self->from = labelled (grid, 1, _("_From"), range_spin ());
  self->to = labelled (grid, 2, _("_To"), range_spin ());
  self->step = labelled (grid, 3, _("_Step"), range_spin ());
  self->run = gtk_button_new_with_mnemonic (_("_Run"));
  gtk_widget_add_css_class (self->run, "suggested-action");
  gtk_widget_set_tooltip_text (self->run, _("Run the scenario once for each value, on the "
                                            "virtual clock"));
  gtk_widget_set_valign (self->run, GTK_ALIGN_END);
  gtk_grid_attach (GTK_GRID (grid), self->run, 4, 1, 1, 1);
  self->export = gtk_button_new_with_mnemonic (_("_Export Image…"));
  gtk_widget_set_sensitive (self->export, FALSE);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->export);

  described = ls_knobs_describe (knobs);
  others = gtk_label_new (NULL);
  {
    g_autofree char *text =
      *described != '\0'
      /* TRANSLATORS: under the sweep's controls: the window's knobs off
       * their default ("Timeout (s) 5"), and the seed; the knob swept
       * takes the range's values instead */
      ? g_strdup_printf (_("Each run has the window's knobs (%s) but the one swept; seed %u"),
                         described, seed)
      : g_strdup_printf (_("The other knobs at their defaults; seed %u"), seed);

    gtk_label_set_text (GTK_LABEL (others), text);
  }
  gtk_label_set_xalign (GTK_LABEL (others), 0);
  gtk_label_set_wrap (GTK_LABEL (others), TRUE);
  gtk_widget_add_css_class (others, "dim-label");
  gtk_box_append (GTK_BOX (box), others);

  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (box), self->message);

  self->progress = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (box), self->progress);

  self->chart = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->chart, TRUE);
  gtk_widget_set_hexpand (self->chart, TRUE);
  gtk_widget_set_size_request (self->chart, 480, 300);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->chart), draw_chart, self, NULL);
  gtk_box_append (GTK_BOX (box), self->chart);

  set_range_controls (self);
  g_signal_connect_swapped (self->knob_menu, "notify::selected", G_CALLBACK (on_knob_chosen),
                            self);
  g_signal_connect_swapped (self->run, "clicked", G_CALLBACK (on_run), self);
  g_signal_connect_swapped (self->export, "clicked", G_CALLBACK (on_export), self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->run);
  return self;
}
