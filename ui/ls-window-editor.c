/* SPDX-License-Identifier: MIT
 *
 * The window's program editor (LsEditor), beside the timeline: a chapter
 * listing copied into it ("Edit a copy in CPython"), a new program or a
 * .py file opened, run in CPython under Loopscope's tracer through the
 * session (ls_session_load_python, the path `--python` takes), so the
 * timeline, internals, console and code panes fill as for a scenario.
 *
 *  - A run never touches the user's file: the text is written to a private
 *    temporary folder (with the offline stand-ins of aiofiles and aiohttp
 *    beside a listing's copy) and run from there; the folder goes with the
 *    next run or the window.
 *  - Space runs the program when the editor's text has changed since its
 *    last run (and plays, pauses or runs it again otherwise); from the
 *    editor, where Space types, Ctrl+Return runs. Stop kills the program's
 *    process group at once.
 *  - When the run ends with a syntax error or an uncaught exception, the
 *    console shows what Python said (the traceback) and the editor marks
 *    the program's line it points at.
 *  - Unsaved text is asked about before it is replaced or the window
 *    closes; Save over a file Loopscope did not write asks once; the
 *    autosave (LsEditor) is offered back on the next start.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls-editor.h"
#include "ls-window-private.h"

#define STANDINS_RESOURCE RESOURCE_PREFIX "/standins"
#define EDITOR_WIDTH      480

struct _LsWindowEditor
{
  LsEditor   *editor;
  GtkPaned   *paned;
  char       *run_dir;    /* the private folder of the editor's last run */
  char       *run_path;   /* its copy of the program (canonical) */
  guint       marks_idle_id;
  guint       report_idle_id;
  gboolean    owns_session; /* Space is the editor's: its text is what runs */
  gboolean    close_confirmed;
};

typedef void (*Continuation) (LsWindow *self,
                              gpointer  data);

/* ---- the run's folder ------------------------------------------------------------ */

/* Removes a run's folder: only what Loopscope wrote there (the copy and
 * the stand-ins' folders). */
static void
remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (folder == NULL)
    return;
  dir = g_dir_open (folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *init = g_build_filename (path, "__init__.py", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          g_unlink (init);
          g_rmdir (path);
        }
      else
        g_unlink (path);
    }
  g_rmdir (folder);
}

static void
remove_run_folder (LsWindowEditor *side)
{
  remove_folder (side->run_dir);
  g_clear_pointer (&side->run_dir, g_free);
  g_clear_pointer (&side->run_path, g_free);
}

/* The stand-ins of aiofiles and aiohttp a chapter listing imports, beside
 * its copy (the program's folder comes first on sys.path). */
static gboolean
write_standins (const char  *dir,
                GError     **error)
{
  static const char *const packages[] = { "aiofiles", "aiohttp" };

  for (guint i = 0; i < G_N_ELEMENTS (packages); i++)
    {
      g_autofree char *resource = g_strconcat (STANDINS_RESOURCE "/", packages[i],
                                               "/__init__.py", NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, 0, error);
      g_autofree char *folder = g_build_filename (dir, packages[i], NULL);
      g_autofree char *path = g_build_filename (folder, "__init__.py", NULL);
      gsize length;
      const char *data;

      if (bytes == NULL)
        return FALSE;
      data = g_bytes_get_data (bytes, &length);
      if (g_mkdir (folder, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", folder,
                       g_strerror (saved));
          return FALSE;
        }
      if (!g_file_set_contents (path, data, length, error))
        return FALSE;
    }
  return TRUE;
}

/* The program's file name in the run's folder: the editor's name, a .py. */
static char *
run_file_name (LsEditor *editor)
{
  g_autofree char *base = g_path_get_basename (ls_editor_get_name (editor));

  if (base[0] == '.' || base[0] == '\0' || strchr (base, G_DIR_SEPARATOR) != NULL)
    return g_strdup ("program.py");
  if (!g_str_has_suffix (base, ".py"))
    return g_strconcat (base, ".py", NULL);
  return g_steal_pointer (&base);
}

static gboolean
session_runs_editor (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;
  LsPythonRun *run = ls_session_get_python_run (self->session);

  return run != NULL && side->run_path != NULL
         && g_strcmp0 (ls_python_run_get_program (run), side->run_path) == 0;
}

/* ---- running ---------------------------------------------------------------------- */

static void
update_editor_actions (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;
  gboolean shown = gtk_widget_get_visible (GTK_WIDGET (side->editor));
  const LsScenario *scenario = ls_session_get_scenario (self->session);
  gboolean ours = session_runs_editor (self);

  g_autofree char *listing = scenario != NULL ? ls_scenario_get_listing (scenario) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-copy", listing != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-program", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-program",
                                 shown && ours && !ls_session_get_finished (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-program", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-program-as", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-editor", shown);
}

gboolean
ls_window_run_program (LsWindow  *self,
                       GError   **error)
{
  LsWindowEditor *side;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  double speed;

  g_return_val_if_fail (LS_IS_WINDOW (self), FALSE);

  side = self->editor_side;
  text = ls_editor_dup_text (side->editor);
  dir = g_dir_make_tmp ("loopscope-program-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  name = run_file_name (side->editor);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_set_contents (path, text, -1, error)
      || (ls_editor_get_listing (side->editor) && !write_standins (dir, error)))
    {
      remove_folder (dir);
      return FALSE;
    }
  /* the last run's folder: its program is read already, or stopped now */
  remove_run_folder (side);
  side->run_dir = g_steal_pointer (&dir);
  side->run_path = g_canonicalize_filename (path, NULL);
  side->owns_session = TRUE;
  ls_editor_mark_error (side->editor, 0, NULL);
  ls_editor_mark_run (side->editor);
  speed = ls_session_get_speed (self->session);
  if (!ls_session_load_python (self->session, side->run_path, NULL,
                               speed == LS_LOOP_INSTANT ? LS_LOOP_INSTANT : speed, error))
    {
      remove_run_folder (side);
      return FALSE;
    }
  update_editor_actions (self);
  return TRUE;
}

static void
run_program (LsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!ls_window_run_program (self, &error))
    ls_window_show_error (self, _("Could not run the program"), error->message);
}

/* Space: the editor's program when its text is what should run next. */
gboolean
_ls_window_editor_run (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;

  if (side == NULL || !side->owns_session || !gtk_widget_get_visible (GTK_WIDGET (side->editor)))
    return FALSE;
  if (session_runs_editor (self) && !ls_editor_get_changed_since_run (side->editor))
    return FALSE; /* pause, continue or run again, as for any run */
  run_program (self);
  return TRUE;
}

static void
run_program_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  run_program (LS_WINDOW (widget));
}

static void
stop_program_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);

  if (session_runs_editor (self))
    ls_python_run_stop (ls_session_get_python_run (self->session));
}

/* ---- what the run said ----------------------------------------------------------- */

/* Python names the run's copy; the user knows the program by its name. */
static char *
with_program_name (LsWindow   *self,
                   const char *text)
{
  LsWindowEditor *side = self->editor_side;
  g_autofree char *name = run_file_name (side->editor);
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_auto(GStrv) parts = g_strsplit (valid, side->run_path, -1);

  return g_strjoinv (name, parts);
}

/* The line of the program a traceback's last frame in it names
 * (File "PATH", line N), or 0. */
static int
traceback_line (const char *text,
                const char *path)
{
  g_autofree char *needle = g_strdup_printf ("File \"%s\", line ", path);
  const char *p = text;
  int line = 0;

  while ((p = strstr (p, needle)) != NULL)
    {
      p += strlen (needle);
      line = atoi (p);
    }
  return line;
}

/* "PATH:N: SyntaxError: ..." (the tracer's words when it cannot compile
 * the program): N, or 0. */
static int
syntax_error_line (const char *message,
                   const char *path)
{
  const char *p = strstr (message, path);

  if (p == NULL || p[strlen (path)] != ':')
    return 0;
  return atoi (p + strlen (path) + 1);
}

/* A traceback's frame in Loopscope's tracer (File ".../loopscope_trace/
 * ...", with its source line and carets under it) is not the program's:
 * left out, so that what remains is what python3 PROGRAM.py would show. */
static gboolean
tracer_frame (const char *line)
{
  return g_str_has_prefix (line, "  File \"")
         && strstr (line, G_DIR_SEPARATOR_S "loopscope_trace" G_DIR_SEPARATOR_S) != NULL;
}

static void
append_lines (LsWindow   *self,
              const char *text,
              gint64      time_ns)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);
  gboolean skipping = FALSE;

  /* no empty last line for the final newline */
  while (n > 0 && lines[n - 1][0] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = NULL;

      if (tracer_frame (lines[i]))
        skipping = TRUE;
      else if (skipping && !g_str_has_prefix (lines[i], "    "))
        skipping = FALSE;
      if (skipping)
        continue;
      line = g_strdup_printf ("[%8.3f] %s", time_ns / 1e9, lines[i]);
      ls_console_view_append (self->console_view, line, time_ns);
    }
}

static gboolean
report_idle (gpointer data)
{
  LsWindow *self = data;
  LsWindowEditor *side = self->editor_side;
  LsPythonRun *run = ls_session_get_python_run (self->session);
  const GError *error;
  const char *exception;
  const char *errors;
  gint64 end;

  side->report_idle_id = 0;
  if (run == NULL || !session_runs_editor (self) || !ls_python_run_get_finished (run))
    return G_SOURCE_REMOVE;
  error = ls_python_run_get_error (run);
  exception = ls_python_run_get_exception (run);
  errors = ls_python_run_get_stderr (run);
  end = ls_python_run_get_end_time (run);
  if (error != NULL && g_error_matches (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_STOPPED))
    append_lines (self, _("Stopped."), end);
  else if (error != NULL)
    {
      g_autofree char *message = with_program_name (self, error->message);

      append_lines (self, message, end);
      ls_editor_mark_error (side->editor, syntax_error_line (error->message, side->run_path),
                            message);
    }
  else
    {
      g_autofree char *text = errors != NULL ? with_program_name (self, errors) : NULL;

      /* the traceback (or what else the program wrote on stderr) */
      if (text != NULL && text[0] != '\0')
        append_lines (self, text, end);
      if (exception != NULL)
        {
          g_autofree char *message = g_utf8_make_valid (exception, -1);

          ls_editor_mark_error (side->editor, traceback_line (errors, side->run_path), message);
        }
      else if (ls_python_run_get_exit_status (run) != 0)
        {
          g_autofree char *status = g_strdup_printf (_("Exit status %d"),
                                                     ls_python_run_get_exit_status (run));

          append_lines (self, status, end);
        }
    }
  update_editor_actions (self);
  return G_SOURCE_REMOVE;
}

static void
on_session_finished (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;

  update_editor_actions (self);
  if (!ls_session_get_finished (self->session) || !session_runs_editor (self))
    return;
  /* after the panes (G_PRIORITY_HIGH_IDLE) have shown the run's last
   * prints, so the traceback comes after them; before the next redraw */
  if (side->report_idle_id == 0)
    side->report_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, report_idle, self, NULL);
}

/* ---- the task marks ----------------------------------------------------------------- */

static gboolean
marks_idle (gpointer data)
{
  LsWindow *self = data;
  LsWindowEditor *side = self->editor_side;

  side->marks_idle_id = 0;
  if (session_runs_editor (self) && !ls_editor_get_changed_since_run (side->editor))
    ls_editor_show_task_lines (side->editor, ls_session_get_interpreter (self->session),
                               ls_session_get_cursor_state (self->session),
                               ls_session_get_selected_task (self->session));
  else
    ls_editor_show_task_lines (side->editor, NULL, NULL, 0);
  return G_SOURCE_REMOVE;
}

static void
queue_marks (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;

  if (side->marks_idle_id == 0 && gtk_widget_get_visible (GTK_WIDGET (side->editor)))
    side->marks_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 5, marks_idle, self, NULL);
}

static void
on_session_loaded (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;

  /* something else loaded (a scenario, a trace): Space is its again */
  if (!session_runs_editor (self))
    side->owns_session = FALSE;
  update_editor_actions (self);
  queue_marks (self);
}

/* ---- asking before text is lost ------------------------------------------------------- */

typedef struct
{
  LsWindow     *self;
  Continuation  then;
  gpointer      data;
  GDestroyNotify destroy;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->destroy != NULL)
    pending->destroy (pending->data);
  g_free (pending);
}

static void
pending_run (Pending *pending)
{
  pending->then (pending->self, pending->data);
  pending_free (pending);
}

static GtkWidget *
question (LsWindow   *self,
          const char *primary,
          const char *secondary)
{
  GtkWidget *dialog;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return dialog;
}

static void save_as (LsWindow *self, Pending *after);

static void
save_then (LsWindow *self,
           Pending  *after)
{
  LsEditor *editor = self->editor_side->editor;
  g_autoptr(GError) error = NULL;

  if (ls_editor_get_path (editor) == NULL)
    {
      save_as (self, after);
      return;
    }
  if (!ls_editor_save_to (editor, ls_editor_get_path (editor), &error))
    {
      ls_window_show_error (self, _("Could not save the program"), error->message);
      if (after != NULL)
        pending_free (after);
      return;
    }
  if (after != NULL)
    pending_run (after);
}

static void
on_discard_response (GtkDialog *dialog,
                     int        response,
                     Pending   *pending)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_REJECT)
    {
      /* discarded: no copy to offer back either */
      ls_editor_remove_autosave (pending->self->editor_side->editor);
      pending_run (pending);
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    save_then (pending->self, pending);
  else
    pending_free (pending);
}

/* Runs @then now if the text has no unsaved changes; otherwise once the
 * user has saved or discarded them (never if they cancel). */
static void
unless_unsaved (LsWindow      *self,
                Continuation   then,
                gpointer       data,
                GDestroyNotify destroy)
{
  LsEditor *editor = self->editor_side->editor;
  Pending *pending = g_new0 (Pending, 1);
  g_autofree char *primary = NULL;
  GtkWidget *dialog;

  pending->self = self;
  pending->then = then;
  pending->data = data;
  pending->destroy = destroy;
  if (!ls_editor_get_modified (editor))
    {
      pending_run (pending);
      return;
    }
  primary = g_strdup_printf (_("Save the changes to “%s”?"), ls_editor_get_name (editor));
  dialog = question (self, primary, _("The program has changes that were not saved. If you "
                                      "do not save them, they are lost."));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard"), GTK_RESPONSE_REJECT);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Save"), GTK_RESPONSE_ACCEPT);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_set_data (G_OBJECT (dialog), "loopscope-question", (gpointer) "unsaved");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response), pending);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- showing text ----------------------------------------------------------------------- */

static void
show_editor (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;
  int width = gtk_widget_get_width (GTK_WIDGET (side->paned));

  if (!gtk_widget_get_visible (GTK_WIDGET (side->editor)))
    {
      gtk_widget_set_visible (GTK_WIDGET (side->editor), TRUE);
      if (width > 2 * EDITOR_WIDTH)
        gtk_paned_set_position (side->paned, width - EDITOR_WIDTH);
      else
        gtk_paned_set_position (side->paned, MAX (width / 2, 200));
    }
  side->owns_session = TRUE;
  gtk_widget_grab_focus (GTK_WIDGET (ls_editor_get_view (side->editor)));
  update_editor_actions (self);
  queue_marks (self);
}

typedef struct
{
  char    *text;
  char    *name;
  gboolean listing;
} NewText;

static void
new_text_free (gpointer data)
{
  NewText *t = data;

  g_free (t->text);
  g_free (t->name);
  g_free (t);
}

static void
set_new_text (LsWindow *self,
              gpointer  data)
{
  NewText *t = data;

  ls_editor_set_text (self->editor_side->editor, t->text, t->name, NULL, t->listing, FALSE);
  show_editor (self);
}

static void
replace_text (LsWindow   *self,
              const char *text,
              const char *name,
              gboolean    listing)
{
  NewText *t = g_new0 (NewText, 1);

  t->text = g_strdup (text);
  t->name = g_strdup (name);
  t->listing = listing;
  unless_unsaved (self, set_new_text, t, new_text_free);
}

static const char new_program[] =
  "import asyncio\n"
  "\n"
  "\n"
  "async def worker(name, delay):\n"
  "    print(f\"{name} starts\")\n"
  "    await asyncio.sleep(delay)\n"
  "    print(f\"{name} is done\")\n"
  "\n"
  "\n"
  "async def main():\n"
  "    await asyncio.gather(worker(\"A\", 1), worker(\"B\", 2))\n"
  "\n"
  "\n"
  "asyncio.run(main())\n";

static void
new_program_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  replace_text (LS_WINDOW (widget), new_program, _("untitled.py"), FALSE);
}

/* The scenario's chapter listing, with the run's knob values (what the
 * code pane shows and Compare with CPython runs). */
static void
edit_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LsWindow *self = LS_WINDOW (widget);
  const LsScenario *scenario = ls_session_get_scenario (self->session);
  const LsKnobs *knobs = ls_session_get_knobs (self->session);
  g_autofree char *listing = NULL;
  g_autofree char *name = NULL;

  if (scenario == NULL || (listing = ls_scenario_get_listing (scenario)) == NULL)
    return;
  if (knobs != NULL)
    {
      char *with_knobs = ls_knobs_apply_to_listing (knobs, listing);

      g_free (listing);
      listing = with_knobs;
    }
  name = g_strconcat (scenario->id, ".py", NULL);
  replace_text (self, listing, name, TRUE);
}

static void
open_path_now (LsWindow *self,
               gpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!ls_editor_load_file (self->editor_side->editor, data, &error))
    {
      ls_window_show_error (self, _("Could not open the program"), error->message);
      return;
    }
  show_editor (self);
}

void
ls_window_open_program (LsWindow   *self,
                        const char *path)
{
  g_return_if_fail (LS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  unless_unsaved (self, open_path_now, g_strdup (path), g_free);
}

static GtkFileFilter *
python_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Python programs"));
  gtk_file_filter_add_pattern (filter, "*.py");
  gtk_file_filter_add_mime_type (filter, "text/x-python");
  gtk_file_filter_add_mime_type (filter, "text/x-python3");
  return filter;
}

static void
open_response (GtkNativeDialog *chooser,
               int              response,
               LsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        ls_window_open_program (self, path);
      else if (file != NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          ls_window_show_error (self, _("Could not open the program"), uri);
        }
    }
  g_object_unref (chooser);
}

static void
open_program_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open Program"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), python_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- saving ---------------------------------------------------------------------------- */

static void
save_as_response (GtkNativeDialog *chooser,
                  int              response,
                  Pending         *after)
{
  LsWindow *self = g_object_get_data (G_OBJECT (chooser), "loopscope-window");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      /* the chooser asked before an existing file is chosen */
      if (path != NULL && ls_editor_save_to (self->editor_side->editor, path, &error))
        {
          if (after != NULL)
            pending_run (after);
          after = NULL;
        }
      else
        ls_window_show_error (self, _("Could not save the program"),
                              error != NULL ? error->message : _("not a local file"));
    }
  if (after != NULL)
    pending_free (after);
  g_object_unref (chooser);
}

static void
save_as (LsWindow *self,
         Pending  *after)
{
  LsEditor *editor = self->editor_side->editor;
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Save Program"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), python_filter ());
  /* beside the file it came from, if any */
  if (ls_editor_get_path (editor) != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (ls_editor_get_path (editor));
      g_autoptr(GFile) folder = g_file_get_parent (file);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), ls_editor_get_name (editor));
  g_object_set_data (G_OBJECT (chooser), "loopscope-window", self);
  g_signal_connect (chooser, "response", G_CALLBACK (save_as_response), after);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_replace_response (GtkDialog *dialog,
                     int        response,
                     LsWindow  *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  ls_editor_set_path_confirmed (self->editor_side->editor, TRUE);
  save_then (self, NULL);
}

/* Save: over a file Loopscope did not write, only once the user said so. */
void
ls_window_save_program (LsWindow *self)
{
  LsEditor *editor;
  g_autofree char *primary = NULL;
  GtkWidget *dialog;

  g_return_if_fail (LS_IS_WINDOW (self));

  editor = self->editor_side->editor;
  if (ls_editor_get_path (editor) == NULL || ls_editor_get_path_confirmed (editor))
    {
      save_then (self, NULL);
      return;
    }
  primary = g_strdup_printf (_("Replace “%s”?"), ls_editor_get_name (editor));
  dialog = question (self, primary, _("Saving writes the edited program over the file it was "
                                      "opened from."));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Replace"), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_set_data (G_OBJECT (dialog), "loopscope-question", (gpointer) "replace");
  g_signal_connect (dialog, "response", G_CALLBACK (on_replace_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_program_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ls_window_save_program (LS_WINDOW (widget));
}

static void
save_program_as_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  save_as (LS_WINDOW (widget), NULL);
}

static void
hide_editor_now (LsWindow *self,
                 gpointer  data)
{
  LsWindowEditor *side = self->editor_side;

  gtk_widget_set_visible (GTK_WIDGET (side->editor), FALSE);
  ls_editor_set_text (side->editor, "", _("untitled.py"), NULL, FALSE, FALSE);
  side->owns_session = FALSE;
  update_editor_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

static void
close_editor_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  unless_unsaved (LS_WINDOW (widget), hide_editor_now, NULL, NULL);
}

/* ---- closing and starting ----------------------------------------------------------------- */

static gboolean
close_idle (gpointer data)
{
  gtk_window_close (data);
  return G_SOURCE_REMOVE;
}

static void
close_now (LsWindow *self,
           gpointer  data)
{
  self->editor_side->close_confirmed = TRUE;
  /* on its own turn: not inside the question's response, whose dialog
   * the window's end would take with it */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_idle, g_object_ref (self), g_object_unref);
}

gboolean
_ls_window_editor_close_request (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;

  if (side == NULL || side->close_confirmed || !ls_editor_get_modified (side->editor))
    return FALSE;
  unless_unsaved (self, close_now, NULL, NULL);
  return TRUE;
}

static void
on_restore_response (GtkDialog *dialog,
                     int        response,
                     LsWindow  *self)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    {
      if (ls_editor_restore_autosave (self->editor_side->editor, &error))
        show_editor (self);
      else
        ls_window_show_error (self, _("Could not restore the unsaved program"), error->message);
    }
  else if (response == GTK_RESPONSE_REJECT)
    ls_editor_discard_orphan_autosave ();
}

/* After a crash (or a quit with unsaved text): the text is offered back. */
static void
offer_restore (LsWindow *self)
{
  GtkWidget *dialog;

  g_signal_handlers_disconnect_by_func (self, offer_restore, NULL);
  if (!ls_editor_has_orphan_autosave ())
    return;
  dialog = question (self, _("Restore the unsaved program?"),
                     _("Loopscope ended while a program in the editor had changes that were "
                       "not saved."));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard"), GTK_RESPONSE_REJECT);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Restore"), GTK_RESPONSE_ACCEPT);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_set_data (G_OBJECT (dialog), "loopscope-question", (gpointer) "restore");
  g_signal_connect (dialog, "response", G_CALLBACK (on_restore_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- setting up --------------------------------------------------------------------------- */

/* The code pane shows a CPython run's program as it shows a scenario's
 * listing, its tasks' lines lit: the file the run read (the editor's copy
 * stays until the next run), if it is still there and is text. */
char *
_ls_window_dup_program_text (LsWindow *self)
{
  LsPythonRun *run = ls_session_get_python_run (self->session);
  g_autofree char *text = NULL;
  gsize length;

  if (run == NULL
      || !g_file_get_contents (ls_python_run_get_program (run), &text, &length, NULL)
      || length > LS_EDITOR_MAX_BYTES || memchr (text, '\0', length) != NULL
      || !g_utf8_validate_len (text, length, NULL))
    return NULL;
  return g_steal_pointer (&text);
}

LsEditor *
_ls_window_get_editor (LsWindow *self)
{
  return self->editor_side != NULL ? self->editor_side->editor : NULL;
}

void
_ls_window_editor_dispose (LsWindow *self)
{
  LsWindowEditor *side = self->editor_side;

  if (side == NULL)
    return;
  g_clear_handle_id (&side->marks_idle_id, g_source_remove);
  g_clear_handle_id (&side->report_idle_id, g_source_remove);
  /* the session stops its run as it goes; the folder goes now */
  remove_run_folder (side);
  g_clear_pointer (&self->editor_side, g_free);
}

void
_ls_window_init_editor (LsWindow *self)
{
  LsWindowEditor *side = g_new0 (LsWindowEditor, 1);
  GtkWidget *content = GTK_WIDGET (self->content_paned);
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkWidget *edit_copy;
  static const struct
  {
    guint           key;
    GdkModifierType mods;
    const char     *action;
  } editor_keys[] = {
    { GDK_KEY_Return, GDK_CONTROL_MASK, "win.run-program" },
    { GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.run-program" },
    { GDK_KEY_period, GDK_CONTROL_MASK, "win.stop-program" },
    { GDK_KEY_s, GDK_CONTROL_MASK, "win.save-program" },
    { GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-program-as" },
    { GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-program-as" },
    { GDK_KEY_o, GDK_CONTROL_MASK, "win.open-program" },
    { GDK_KEY_n, GDK_CONTROL_MASK, "win.new-program" },
  };

  self->editor_side = side;
  /* beside the Console and Code tabs, where the listing shows */
  edit_copy = gtk_button_new_with_mnemonic (_("_Edit a Copy in CPython"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit_copy), "win.edit-copy");
  gtk_widget_set_tooltip_text (edit_copy, _("Open the listing in the editor, change it and run "
                                            "it in CPython (Space)"));
  gtk_widget_add_css_class (edit_copy, "flat");
  gtk_notebook_set_action_widget (GTK_NOTEBOOK (self->console_notebook), edit_copy,
                                  GTK_PACK_END);
  side->editor = LS_EDITOR (ls_editor_new ());
  gtk_widget_set_visible (GTK_WIDGET (side->editor), FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (side->editor), 280, -1);

  /* the editor beside what the window shows of the run: the paned takes
   * the content's place */
  g_object_ref (content);
  gtk_paned_set_end_child (self->main_paned, NULL);
  side->paned = GTK_PANED (gtk_paned_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_paned_set_start_child (side->paned, content);
  gtk_paned_set_end_child (side->paned, GTK_WIDGET (side->editor));
  gtk_paned_set_shrink_end_child (side->paned, FALSE);
  gtk_paned_set_resize_end_child (side->paned, FALSE);
  gtk_paned_set_end_child (self->main_paned, GTK_WIDGET (side->paned));
  g_object_unref (content);

  /* in the editor, where keys type: these take precedence over the
   * window's own Ctrl+S and Ctrl+O (the trace's) */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "loopscope-editor-keys");
  for (guint i = 0; i < G_N_ELEMENTS (editor_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (gtk_keyval_trigger_new (editor_keys[i].key, editor_keys[i].mods),
                        gtk_named_action_new (editor_keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (side->editor), keys);

  g_signal_connect_object (self->session, "loaded", G_CALLBACK (on_session_loaded), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "changed", G_CALLBACK (queue_marks), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::cursor", G_CALLBACK (queue_marks), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::selected-lane", G_CALLBACK (queue_marks),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::finished", G_CALLBACK (on_session_finished),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (offer_restore), NULL);
  update_editor_actions (self);
}

void
_ls_window_class_init_editor (GtkWidgetClass *widget_class)
{
  g_type_ensure (LS_TYPE_EDITOR);
  gtk_widget_class_install_action (widget_class, "win.edit-copy", NULL, edit_copy_action);
  gtk_widget_class_install_action (widget_class, "win.new-program", NULL, new_program_action);
  gtk_widget_class_install_action (widget_class, "win.open-program", NULL, open_program_action);
  gtk_widget_class_install_action (widget_class, "win.save-program", NULL, save_program_action);
  gtk_widget_class_install_action (widget_class, "win.save-program-as", NULL,
                                   save_program_as_action);
  gtk_widget_class_install_action (widget_class, "win.close-editor", NULL, close_editor_action);
  gtk_widget_class_install_action (widget_class, "win.run-program", NULL, run_program_action);
  gtk_widget_class_install_action (widget_class, "win.stop-program", NULL, stop_program_action);
  /* wherever the focus is (in the editor, its own controller has them first) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK,
                                       "win.stop-program", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-program", NULL);
}
