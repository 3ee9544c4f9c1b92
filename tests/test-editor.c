/* SPDX-License-Identifier: MIT
 *
 * The program editor under Xvfb, driven as a user drives it: the keys and
 * clicks go through the X server (ls-test-input.c). A chapter listing is
 * copied into the editor, edited with keys and run in CPython (the lanes
 * and the gutter's task marks follow the run); a syntax error and an
 * uncaught exception are shown and their lines marked; Stop kills the
 * program's process group; unsaved text is asked about, autosaved and
 * offered back; files that are no program get a message, never a crash.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "ls-application.h"
#include "ls-editor.h"
#include "ls-test-input.h"
#include "ls-test-window.h"
#include "ls-window-private.h"

#define SECOND G_GINT64_CONSTANT (1000000000)

static LsApplication *app;
static char *state_dir;   /* XDG_STATE_HOME of this process */
static char *work_dir;    /* the user's files */

/* ---- helpers ---------------------------------------------------------------- */

static void
iterate (double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

/* A message or question over @window (@kind: the question's name, or NULL
 * for any message dialog). */
static GtkWindow *
dialog_of (LsWindow   *window,
           const char *kind)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data)
        && gtk_widget_get_visible (l->data)
        && gtk_window_get_transient_for (l->data) == GTK_WINDOW (window)
        && (kind == NULL
            || g_strcmp0 (g_object_get_data (l->data, "loopscope-question"), kind) == 0))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

typedef struct
{
  LsWindow   *window;
  const char *kind;
} DialogWait;

static gboolean
has_dialog (gpointer data)
{
  DialogWait *wait = data;

  return dialog_of (wait->window, wait->kind) != NULL;
}

static GtkWindow *
wait_for_dialog (LsWindow   *window,
                 const char *kind)
{
  DialogWait wait = { window, kind };

  g_assert_true (ls_test_wait_until (has_dialog, &wait, 10));
  return dialog_of (window, kind);
}

/* Clicks the dialog's button for @response, as a user would. */
static void
answer (GtkWindow *dialog,
        int        response)
{
  GtkWidget *button;

  ls_test_window_ready (dialog);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  button = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), response);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_nonnull (button);
  ls_test_click_widget (button);
  ls_test_input_settle ();
}

static void
dismiss_error (LsWindow *window)
{
  GtkWindow *dialog = wait_for_dialog (window, NULL);

  g_assert_null (g_object_get_data (G_OBJECT (dialog), "loopscope-question"));
  answer (dialog, GTK_RESPONSE_CLOSE);
  g_assert_null (dialog_of (window, NULL));
}

static char *
editor_text (LsWindow *window)
{
  return ls_editor_dup_text (_ls_window_get_editor (window));
}

/* Puts the text cursor just after the first @needle in the editor. */
static void
cursor_after (LsWindow   *window,
              const char *needle)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (ls_editor_get_buffer (_ls_window_get_editor (window)));
  g_autofree char *text = editor_text (window);
  const char *p = strstr (text, needle);
  GtkTextIter iter;

  g_assert_nonnull (p);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter,
                                      g_utf8_pointer_to_offset (text, p + strlen (needle)));
  gtk_text_buffer_place_cursor (buffer, &iter);
}

static void
type_text (LsWindow   *window,
           const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    ls_test_key (GTK_WIDGET (window), gdk_unicode_to_keyval ((guchar) *p), 0);
}

static char *
write_program (const char *name,
               const char *text)
{
  char *path = g_build_filename (work_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
console_text (LsWindow *window)
{
  return _ls_window_dup_console_text (window);
}

static gboolean
report_shown (gpointer data)
{
  /* the traceback follows the run's end on the idle after the panes */
  return ls_editor_get_error_line (_ls_window_get_editor (data)) != 0;
}

static gboolean
array_has (GArray *lines,
           int     line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_array_index (lines, int, i) == line)
      return TRUE;
  return FALSE;
}

/* Opens @path in the editor, discarding unsaved text if asked. */
static void
open_program (LsWindow   *window,
              const char *path)
{
  ls_window_open_program (window, path);
  ls_test_input_settle ();
  if (dialog_of (window, "unsaved") != NULL)
    answer (dialog_of (window, "unsaved"), GTK_RESPONSE_REJECT);
  g_assert_null (dialog_of (window, NULL));
}

static void
focus_editor (LsWindow *window)
{
  GtkWidget *view = GTK_WIDGET (ls_editor_get_view (_ls_window_get_editor (window)));

  ls_test_window_ready (GTK_WINDOW (window));
  ls_test_click_widget (view);
  g_assert_true (gtk_widget_has_focus (view));
}

/* With $LOOPSCOPE_SCREENSHOTS set, the window as drawn goes to a PNG
 * there, to look at. */
static void
screenshot (LsWindow   *window,
            const char *name)
{
  const char *dir = g_getenv ("LOOPSCOPE_SCREENSHOTS");
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  ls_test_input_settle ();
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
set_dark (gboolean dark)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string (dark ? "dark" : "light"));
  ls_test_input_settle ();
}

/* ---- tests -------------------------------------------------------------------------- */

static gboolean
autosave_has_crash_text (gpointer data)
{
  g_autofree char *path = ls_editor_dup_autosave_path (_ls_window_get_editor (data));
  g_autofree char *text = NULL;

  return path != NULL && g_file_get_contents (path, &text, NULL, NULL)
         && strstr (text, "#crash") != NULL;
}

/* A Loopscope (a process of its own) gets a new program (Ctrl+N), typed
 * into, and is killed a moment later, as a crash would end it: the next
 * window offers the text back, and Restore puts it back, still unsaved. */
static void
test_restore_after_crash (void)
{
  LsWindow *window;
  LsEditor *editor;
  g_autofree char *text = NULL;

  if (g_test_subprocess ())
    {
      window = ls_test_active_window (app);
      ls_test_window_ready (GTK_WINDOW (window));
      ls_test_key (GTK_WIDGET (window), GDK_KEY_n, GDK_CONTROL_MASK);
      g_assert_true (gtk_widget_has_focus (
        GTK_WIDGET (ls_editor_get_view (_ls_window_get_editor (window)))));
      type_text (window, "#crash");
      ls_test_key (GTK_WIDGET (window), GDK_KEY_Return, 0);
      g_assert_true (ls_test_wait_until (autosave_has_crash_text, window, 10));
      /* no dispose, no flush, no close: gone */
      kill (getpid (), SIGKILL);
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  window = ls_test_active_window (app);
  editor = _ls_window_get_editor (window);
  ls_test_window_ready (GTK_WINDOW (window));
  answer (wait_for_dialog (window, "restore"), GTK_RESPONSE_ACCEPT);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  text = editor_text (window);
  g_assert_true (g_str_has_prefix (text, "#crash\nimport asyncio\n"));
  g_assert_cmpstr (ls_editor_get_name (editor), ==, "untitled.py");
  g_assert_true (ls_editor_get_modified (editor));
  /* still there until it is saved or discarded, and this editor's: no
   * other window would offer it again */
  g_assert_true (ls_editor_has_autosave (editor));
  g_assert_false (ls_editor_has_orphan_autosave ());
}

/* semaphore → Edit a Copy in CPython (a click): the listing in the
 * editor; Semaphore(3) becomes Semaphore(4) with keys; Ctrl+Return runs it
 * in CPython: ten task lanes, the run 2 s shorter, its prints in the
 * console; at 1 s the gutter marks the running tasks' line and the
 * waiting tasks' line. The edit is autosaved within a second or so. */
static void
test_edit_copy_and_run (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);
  LsEditor *editor = _ls_window_get_editor (window);
  GtkWidget *button;
  g_autofree char *text = NULL;
  g_autofree char *console = NULL;
  g_autofree char *autosaved = NULL;
  g_autofree char *autosave_path = NULL;
  g_autoptr(GArray) lines = NULL;
  LsPythonRun *run;
  gint64 end_three;
  gint64 started_us, editor_us;

  ls_session_set_speed (session, LS_LOOP_INSTANT);
  g_assert_true (ls_window_load_scenario_id (window, "semaphore", 0));
  ls_test_window_ready (GTK_WINDOW (window));
  ls_session_complete (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 10));

  button = ls_test_button_for (window->console_notebook, "win.edit-copy");
  g_assert_nonnull (button);
  ls_test_click_widget (button);
  /* the restored text is unsaved: asked first, and discarded */
  answer (wait_for_dialog (window, "unsaved"), GTK_RESPONSE_REJECT);
  g_assert_false (ls_editor_has_autosave (editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpstr (ls_editor_get_name (editor), ==, "semaphore.py");
  g_assert_true (ls_editor_get_listing (editor));
  g_assert_false (ls_editor_get_modified (editor));
  text = editor_text (window);
  g_assert_nonnull (strstr (text, "asyncio.Semaphore(3)"));

  /* as listed, first */
  focus_editor (window);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_Return, GDK_CONTROL_MASK);
  run = ls_session_get_python_run (session);
  g_assert_nonnull (run);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 60));
  g_assert_null (ls_python_run_get_error (run));
  end_three = ls_python_run_get_end_time (run);
  g_assert_cmpint (end_three, ==, 8 * SECOND);

  /* Semaphore(3) → Semaphore(4), typed */
  focus_editor (window);
  cursor_after (window, "Semaphore(3");
  ls_test_key (GTK_WIDGET (window), GDK_KEY_BackSpace, 0);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_4, 0);
  g_free (text);
  text = editor_text (window);
  g_assert_nonnull (strstr (text, "asyncio.Semaphore(4)"));
  g_assert_true (ls_editor_get_modified (editor));

  /* Space in the editor types */
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_free (text);
  text = editor_text (window);
  g_assert_nonnull (strstr (text, "asyncio.Semaphore(4 )"));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_BackSpace, 0);

  started_us = g_get_monotonic_time ();
  ls_test_key (GTK_WIDGET (window), GDK_KEY_Return, GDK_CONTROL_MASK);
  run = ls_session_get_python_run (session);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 60));
  editor_us = g_get_monotonic_time () - started_us;
  g_assert_null (ls_python_run_get_error (run));
  g_assert_cmpint (ls_python_run_get_end_time (run), ==, 6 * SECOND);
  /* for the record, not a limit: the editor's run against the same text
   * run by LsPythonRun alone (what --python does), in this process */
  {
    g_autofree char *copy = write_program ("semaphore-copy.py", text);
    g_autoptr(LsPythonRun) alone = ls_python_run_new (copy, NULL, LS_LOOP_INSTANT);
    gint64 alone_us;

    started_us = g_get_monotonic_time ();
    g_assert_true (ls_python_run_run_to_end (alone, NULL));
    alone_us = g_get_monotonic_time () - started_us;
    g_assert_cmpint (ls_python_run_get_end_time (alone), ==, 6 * SECOND);
    g_test_message ("editor run %.0f ms, LsPythonRun alone %.0f ms: %.2f", editor_us / 1e3,
                    alone_us / 1e3, (double) editor_us / alone_us);
    g_unlink (copy);
  }
  /* main, gather's children: ten tasks of the program, in lanes */
  g_assert_cmpuint (ls_interpreter_get_n_lanes (ls_session_get_interpreter (session)), >=, 11);
  console = console_text (window);
  g_assert_nonnull (strstr (console, "任务0: 开始"));
  g_assert_nonnull (strstr (console, "任务9: 完成"));
  /* the code pane shows the program run, as it shows a listing */
  {
    GtkTextBuffer *code = gtk_text_view_get_buffer (window->code_view);
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    g_free (_ls_window_dup_console_text (window)); /* flushes the panes */
    gtk_text_buffer_get_bounds (code, &start, &end);
    shown = gtk_text_buffer_get_text (code, &start, &end, FALSE);
    g_free (text);
    text = editor_text (window);
    g_assert_cmpstr (shown, ==, text);
  }
  /* the run's copy is elsewhere than anything of the user's */
  g_assert_false (g_str_has_prefix (ls_python_run_get_program (run), work_dir));

  /* at 1 s: four tasks hold a permit on line 8, six wait on line 6 */
  ls_session_set_cursor (session, 1 * SECOND);
  iterate (0.2);
  lines = ls_editor_dup_task_lines (editor);
  g_assert_true (array_has (lines, 8));
  g_assert_true (array_has (lines, 6));
  gtk_notebook_set_current_page (GTK_NOTEBOOK (window->console_notebook), 1);
  screenshot (window, "editor-code-pane.png");
  gtk_notebook_set_current_page (GTK_NOTEBOOK (window->console_notebook), 0);
  screenshot (window, "editor-light.png");
  set_dark (TRUE);
  screenshot (window, "editor-dark.png");
  set_dark (FALSE);

  /* the edit was kept in the state folder within a second or so */
  iterate (1.5);
  autosave_path = ls_editor_dup_autosave_path (editor);
  g_assert_nonnull (autosave_path);
  g_assert_true (g_file_get_contents (autosave_path, &autosaved, NULL, NULL));
  g_assert_nonnull (strstr (autosaved, "asyncio.Semaphore(4)"));
}

/* A syntax error typed into a user's program: the run does not start, the
 * console says why and the editor marks the line; the file itself is not
 * touched and nothing is written beside it. Then an uncaught exception:
 * its traceback in the console, the line that raised marked. */
static void
test_errors_marked (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);
  LsEditor *editor = _ls_window_get_editor (window);
  static const char program[] =
    "import asyncio\n"
    "\n"
    "async def main():\n"
    "    print(\"hi\")\n"
    "    await asyncio.sleep(1)\n"
    "\n"
    "asyncio.run(main())\n";
  static const char raising[] =
    "import asyncio\n"
    "\n"
    "async def worker():\n"
    "    await asyncio.sleep(1)\n"
    "    raise ValueError(\"boom\")\n"
    "\n"
    "async def main():\n"
    "    await asyncio.create_task(worker())\n"
    "\n"
    "asyncio.run(main())\n";
  g_autofree char *path = write_program ("hello.py", program);
  g_autofree char *raising_path = write_program ("raising.py", raising);
  g_autofree char *on_disk = NULL;
  g_autofree char *console = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  open_program (window, path);
  g_assert_cmpstr (ls_editor_get_path (editor), ==, path);
  focus_editor (window);
  cursor_after (window, "print(\"hi\")");
  type_text (window, ")");
  ls_test_key (GTK_WIDGET (window), GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 30));
  g_assert_true (ls_test_wait_until (report_shown, window, 10));
  g_assert_cmpint (ls_editor_get_error_line (editor), ==, 4);
  console = console_text (window);
  g_assert_nonnull (strstr (console, "hello.py:4: SyntaxError"));
  /* the user's file is as it was, alone in its folder */
  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, program);
  dir = g_dir_open (work_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_equal (name, "hello.py") || g_str_equal (name, "raising.py"));

  /* an edit clears the mark: the line may not be the one any more */
  ls_test_key (GTK_WIDGET (window), GDK_KEY_BackSpace, 0);
  g_assert_cmpint (ls_editor_get_error_line (editor), ==, 0);

  /* Space, with the focus out of the editor, runs the program opened */
  open_program (window, raising_path);
  gtk_widget_grab_focus (GTK_WIDGET (window->timeline));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_space, 0);
  g_assert_nonnull (ls_session_get_python_run (session));
  g_assert_cmpstr (ls_python_run_get_program (ls_session_get_python_run (session)), !=,
                   raising_path);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 30));
  g_assert_true (ls_test_wait_until (report_shown, window, 10));
  g_assert_cmpint (ls_editor_get_error_line (editor), ==, 5);
  g_free (console);
  console = console_text (window);
  g_assert_nonnull (strstr (console, "Traceback (most recent call last):"));
  g_assert_nonnull (strstr (console, "File \"raising.py\", line 5, in worker"));
  g_assert_nonnull (strstr (console, "ValueError: boom"));
  /* the tracer's own frames are not the program's */
  g_assert_null (strstr (console, "loopscope_trace"));
  screenshot (window, "editor-exception.png");
}

static gboolean
process_gone (gpointer data)
{
  pid_t pid = GPOINTER_TO_INT (data);
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *close_paren;

  if (kill (pid, 0) != 0)
    return errno == ESRCH;
  /* a zombie no one reaps here is gone too */
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  close_paren = strrchr (stat, ')');
  return close_paren != NULL && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
has_lanes (gpointer data)
{
  LsInterpreter *interpreter = ls_session_get_interpreter (data);

  return interpreter != NULL && ls_interpreter_get_n_lanes (interpreter) >= 1;
}

static gboolean
console_says_stopped (gpointer data)
{
  g_autofree char *console = console_text (data);

  return strstr (console, "Stopped.") != NULL;
}

/* A program that runs on and starts a child process: a click on Stop ends
 * the run at once and kills the child with it (its process group). */
static void
test_stop (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsSession *session = ls_window_get_session (window);
  LsEditor *editor = _ls_window_get_editor (window);
  g_autofree char *pid_path = g_build_filename (work_dir, "child.pid", NULL);
  g_autofree char *program = g_strdup_printf (
    "import asyncio, subprocess\n"
    "\n"
    "async def main():\n"
    "    child = subprocess.Popen([\"sleep\", \"60\"])\n"
    "    with open(%s, \"w\") as f:\n"
    "        f.write(str(child.pid))\n"
    "    while True:\n"
    "        await asyncio.sleep(0.05)\n"
    "\n"
    "asyncio.run(main())\n", "\"CHILD_PID\"");
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", pid_path);
  g_auto(GStrv) parts = g_strsplit (program, "\"CHILD_PID\"", -1);
  g_autofree char *text = g_strjoinv (quoted, parts);
  g_autofree char *path = write_program ("forever.py", text);
  g_autofree char *pid_text = NULL;
  GtkWidget *stop;
  LsPythonRun *run;
  pid_t child;

  ls_session_set_speed (session, 1.0);
  open_program (window, path);
  focus_editor (window);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_Return, GDK_CONTROL_MASK);
  run = ls_session_get_python_run (session);
  g_assert_true (ls_test_wait_until (file_exists, pid_path, 30));
  iterate (0.3);
  g_assert_true (g_file_get_contents (pid_path, &pid_text, NULL, NULL));
  child = atoi (pid_text);
  g_assert_cmpint (child, >, 0);
  g_assert_false (process_gone (GINT_TO_POINTER (child)));
  /* live: the program's task is in a lane while it runs */
  g_assert_true (ls_test_wait_until (has_lanes, session, 10));
  g_assert_false (ls_session_get_finished (session));

  stop = ls_test_button_for (GTK_WIDGET (editor), "win.stop-program");
  ls_test_click_widget (stop);
  g_assert_true (ls_test_wait_until (ls_test_session_finished, session, 5));
  g_assert_true (g_error_matches (ls_python_run_get_error (run), LS_PYTHON_RUN_ERROR,
                                  LS_PYTHON_RUN_ERROR_STOPPED));
  g_assert_true (ls_test_wait_until (process_gone, GINT_TO_POINTER (child), 5));
  g_assert_true (ls_test_wait_until (console_says_stopped, window, 5));
  ls_session_set_speed (session, LS_LOOP_INSTANT);
  g_unlink (pid_path);
}

/* Save over a file the user opened asks first; once agreed, Save saves
 * without asking. */
static void
test_save_asks (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsEditor *editor = _ls_window_get_editor (window);
  g_autofree char *path = write_program ("mine.py", "print('mine')\n");
  g_autofree char *on_disk = NULL;

  open_program (window, path);
  focus_editor (window);
  cursor_after (window, "print('mine')");
  type_text (window, "#");
  ls_test_key (GTK_WIDGET (window), GDK_KEY_s, GDK_CONTROL_MASK);
  answer (wait_for_dialog (window, "replace"), GTK_RESPONSE_CANCEL);
  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, "print('mine')\n");
  g_assert_true (ls_editor_get_modified (editor));

  focus_editor (window);
  ls_test_key (GTK_WIDGET (window), GDK_KEY_s, GDK_CONTROL_MASK);
  answer (wait_for_dialog (window, "replace"), GTK_RESPONSE_ACCEPT);
  g_free (on_disk);
  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, "print('mine')#\n");
  g_assert_false (ls_editor_get_modified (editor));
  g_assert_false (ls_editor_has_autosave (editor));

  focus_editor (window);
  cursor_after (window, "print('mine')#");
  type_text (window, "#");
  ls_test_key (GTK_WIDGET (window), GDK_KEY_s, GDK_CONTROL_MASK);
  g_assert_null (dialog_of (window, NULL));
  g_free (on_disk);
  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, "print('mine')##\n");
}

static GtkWindow *
file_chooser_of (LsWindow *window)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER (l->data) && gtk_widget_get_visible (l->data)
        && gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
has_file_chooser (gpointer data)
{
  return file_chooser_of (data) != NULL;
}

static gboolean
no_file_chooser (gpointer data)
{
  return file_chooser_of (data) == NULL;
}

/* The question GTK's file chooser asks before it replaces a file */
static GtkWindow *
replace_question_of (GtkWindow *chooser)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data)
        && gtk_window_get_transient_for (l->data) == chooser)
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
has_replace_question (gpointer data)
{
  return replace_question_of (data) != NULL;
}

static GtkWidget *
button_labelled (GtkWidget  *widget,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = button_labelled (child, label)) != NULL)
        return found;
    }
  return NULL;
}

/* Names @name in @window's Save chooser and clicks its Save button. */
static GtkWindow *
choose_save_name (LsWindow   *window,
                  const char *name)
{
  g_autoptr(GFile) folder = g_file_new_for_path (work_dir);
  GtkWindow *chooser;

  g_assert_true (ls_test_wait_until (has_file_chooser, window, 10));
  chooser = file_chooser_of (window);
  /* once it has shown its first folder: a change cancels that loading */
  ls_test_window_ready (chooser);
  iterate (0.5);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  iterate (0.5);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  G_GNUC_END_IGNORE_DEPRECATIONS
  iterate (0.2);
  answer (chooser, GTK_RESPONSE_ACCEPT);
  return chooser;
}

/* A new program has no file: Save asks where (GtkFileChooserNative, here
 * GTK's own dialog). Over an existing file it asks first; No keeps the
 * file as it was. A new name saves there, and the text is then that
 * file's, saved. */
static void
test_save_as (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsEditor *editor = _ls_window_get_editor (window);
  g_autofree char *mine = g_build_filename (work_dir, "mine.py", NULL);
  g_autofree char *fresh = g_build_filename (work_dir, "fresh.py", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  GtkWindow *chooser, *question;
  GtkWidget *no;

  g_assert_true (g_file_get_contents (mine, &before, NULL, NULL));
  ls_test_window_ready (GTK_WINDOW (window));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_n, GDK_CONTROL_MASK);
  g_assert_cmpstr (ls_editor_get_name (editor), ==, "untitled.py");
  g_assert_null (ls_editor_get_path (editor));
  type_text (window, "#");
  ls_test_key (GTK_WIDGET (window), GDK_KEY_s, GDK_CONTROL_MASK);

  chooser = choose_save_name (window, "mine.py");
  g_assert_true (ls_test_wait_until (has_replace_question, chooser, 10));
  question = replace_question_of (chooser);
  ls_test_window_ready (question);
  no = button_labelled (GTK_WIDGET (question), "_Cancel");
  g_assert_nonnull (no);
  ls_test_click_widget (no);
  g_assert_true (g_file_get_contents (mine, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  g_assert_null (ls_editor_get_path (editor));

  /* the chooser is still open, on the same folder */
  choose_save_name (window, "fresh.py");
  g_assert_true (ls_test_wait_until (no_file_chooser, window, 10));
  g_assert_cmpstr (ls_editor_get_path (editor), ==, fresh);
  g_assert_cmpstr (ls_editor_get_name (editor), ==, "fresh.py");
  g_assert_false (ls_editor_get_modified (editor));
  g_assert_true (g_file_get_contents (fresh, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "#import asyncio\n"));
}

/* Files that are no program: a message naming the file and the reason,
 * the editor's text unchanged. */
static void
test_hostile_files (void)
{
  LsWindow *window = ls_test_active_window (app);
  g_autofree char *before = NULL;
  g_autofree char *missing = g_build_filename (work_dir, "missing.py", NULL);
  g_autofree char *binary = g_build_filename (work_dir, "binary.py", NULL);
  g_autofree char *latin1 = g_build_filename (work_dir, "latin1.py", NULL);
  g_autofree char *huge = g_build_filename (work_dir, "huge.py", NULL);
  g_autofree char *fifo = g_build_filename (work_dir, "fifo.py", NULL);
  const char *paths[] = { missing, binary, latin1, huge, fifo, work_dir };
  static const guint8 elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0 };
  FILE *f;

  g_assert_true (g_file_set_contents (binary, (const char *) elf, sizeof elf, NULL));
  g_assert_true (g_file_set_contents (latin1, "print('caf\xe9')\n", -1, NULL));
  f = fopen (huge, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, LS_EDITOR_MAX_BYTES + 1, SEEK_SET), ==, 0);
  fputc ('\n', f);
  fclose (f);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  /* nothing unsaved to ask about: the message comes at once */
  g_assert_false (ls_editor_get_modified (_ls_window_get_editor (window)));
  before = editor_text (window);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *after = NULL;

      ls_window_open_program (window, paths[i]);
      dismiss_error (window);
      after = editor_text (window);
      g_assert_cmpstr (after, ==, before);
    }
  g_unlink (binary);
  g_unlink (latin1);
  g_unlink (huge);
  g_unlink (fifo);
}

static gboolean
window_gone (gpointer data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return g_list_find (windows, data) == NULL;
}

/* Closing with unsaved text asks, and so does Quit; Cancel keeps the
 * window and the text, Discard closes it and leaves no autosave behind. */
static void
test_close_asks (void)
{
  LsWindow *window = ls_test_active_window (app);
  LsEditor *editor = _ls_window_get_editor (window);
  g_autofree char *path = write_program ("closing.py", "print('closing')\n");
  g_autofree char *autosave = NULL;

  open_program (window, path);
  focus_editor (window);
  type_text (window, "x");
  g_assert_true (ls_editor_get_modified (editor));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_w, GDK_CONTROL_MASK);
  answer (wait_for_dialog (window, "unsaved"), GTK_RESPONSE_CANCEL);
  g_assert_false (window_gone (window));
  g_assert_true (ls_editor_get_modified (editor));
  /* Quit (Ctrl+Q) asks the same, and Cancel keeps Loopscope running */
  ls_test_window_ready (GTK_WINDOW (window));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_q, GDK_CONTROL_MASK);
  answer (wait_for_dialog (window, "unsaved"), GTK_RESPONSE_CANCEL);
  g_assert_false (window_gone (window));
  g_assert_true (ls_editor_get_modified (editor));

  ls_editor_flush_autosave (editor);
  g_assert_true (ls_editor_has_autosave (editor));
  autosave = ls_editor_dup_autosave_path (editor);
  g_assert_true (g_file_test (autosave, G_FILE_TEST_EXISTS));
  ls_test_window_ready (GTK_WINDOW (window));
  ls_test_key (GTK_WIDGET (window), GDK_KEY_w, GDK_CONTROL_MASK);
  answer (wait_for_dialog (window, "unsaved"), GTK_RESPONSE_REJECT);
  g_assert_true (ls_test_wait_until (window_gone, window, 5));
  g_assert_false (g_file_test (autosave, G_FILE_TEST_EXISTS));
  g_assert_false (ls_editor_has_orphan_autosave ());
}

static void
remove_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}

int
main (int argc, char *argv[])
{
  g_autofree char *loopscope_state = NULL;
  int status;

  /* a state folder of this run's own, before GLib reads it; a subprocess
   * (the crash) shares its parent's */
  if (g_getenv ("LOOPSCOPE_TEST_EDITOR_STATE") != NULL)
    {
      state_dir = g_strdup (g_getenv ("LOOPSCOPE_TEST_EDITOR_STATE"));
      work_dir = g_strdup (g_getenv ("LOOPSCOPE_TEST_EDITOR_FILES"));
    }
  else
    {
      state_dir = g_dir_make_tmp ("loopscope-editor-state-XXXXXX", NULL);
      work_dir = g_dir_make_tmp ("loopscope-editor-files-XXXXXX", NULL);
      g_assert_nonnull (state_dir);
      g_assert_nonnull (work_dir);
      g_setenv ("LOOPSCOPE_TEST_EDITOR_STATE", state_dir, TRUE);
      g_setenv ("LOOPSCOPE_TEST_EDITOR_FILES", work_dir, TRUE);
    }
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  loopscope_state = g_build_filename (state_dir, "loopscope", NULL);

  app = ls_test_window_init (&argc, &argv, "test-editor");

  /* in this order: each goes on from where the last left the editor */
  g_test_add_func ("/ui/editor/restore-after-crash", test_restore_after_crash);
  g_test_add_func ("/ui/editor/edit-copy-and-run", test_edit_copy_and_run);
  g_test_add_func ("/ui/editor/errors-marked", test_errors_marked);
  g_test_add_func ("/ui/editor/stop", test_stop);
  g_test_add_func ("/ui/editor/save-asks", test_save_asks);
  g_test_add_func ("/ui/editor/save-as", test_save_as);
  g_test_add_func ("/ui/editor/hostile-files", test_hostile_files);
  g_test_add_func ("/ui/editor/close-asks", test_close_asks);

  status = g_test_run ();
  g_clear_object (&app);
  if (!g_test_subprocess ())
    {
      remove_files (loopscope_state);
      g_rmdir (state_dir);
      remove_files (work_dir);
    }
  return status;
}
