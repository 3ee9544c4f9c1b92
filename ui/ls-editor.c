/* SPDX-License-Identifier: MIT
 *
 * The program editor. What it knows: the text, where it came from (a file
 * the user opened, one Loopscope saved, a copy of a chapter listing or
 * nothing yet) and whether the user already agreed to save over that
 * file. What it shows on top of the text comes from the window: each live
 * task's line (the same LsTraceState lines the code pane lights, read from
 * the session's cursor, never derived again here) and the line an error
 * came from, as GtkSourceMarks whose attributes colour the line and put an
 * icon in the gutter.
 *
 * Unsaved text is never lost: a second after a change it is written, with
 * its name and file, to the user's state folder, and offered back when
 * Loopscope starts after a crash (ls-window-editor.c asks).
 */
#include "config.h"

#include "ls-editor.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ls-atomic-file.h"

#define CATEGORY_TASK     "loopscope-task"
#define CATEGORY_SELECTED "loopscope-selected"
#define CATEGORY_ERROR    "loopscope-error"
#define TOOLTIP_KEY       "loopscope-tooltip"
#define AUTOSAVE_DELAY_S  1

struct _LsEditor
{
  GtkWidget        parent_instance;

  /* template */
  GtkLabel        *name_label;
  GtkSourceView   *view;

  GtkSourceBuffer *buffer;
  char            *name;
  char            *path;
  gboolean         listing;
  gboolean         path_confirmed;
  guint64          edits;        /* changes to the text so far */
  guint64          run_edits;    /* ... when it was last run */
  int              error_line;
  guint            autosave_id;
  int              slot;         /* its autosave's, or -1 */
  gboolean         loading;      /* set_text: not an edit */
};

G_DEFINE_FINAL_TYPE (LsEditor, ls_editor, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (ls-editor-error-quark, ls_editor_error)

/* ---- what the header says ----------------------------------------------------- */

static void
update_name (LsEditor *self)
{
  gboolean modified = gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
  /* TRANSLATORS: the program's name in the editor, with unsaved changes */
  g_autofree char *text = modified ? g_strdup_printf (_("%s (unsaved)"), self->name)
                                   : g_strdup (self->name);

  gtk_label_set_text (self->name_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label),
                               self->path != NULL ? self->path
                               : self->listing ? _("A copy of the chapter's listing: Save As "
                                                   "keeps it")
                               : _("Not saved yet"));
}

/* ---- autosave ------------------------------------------------------------------ */

/* Each editor of this process that has unsaved text writes its own slot
 * (two windows must not overwrite each other's copy): slot 0 is
 * unsaved-program.py, slot N unsaved-program-N.py, each with its .ini.
 * A slot is taken by an editor that writes or restores it, and never one
 * whose file is there and is no editor's (a crash's, not yet offered). */
#define AUTOSAVE_SLOTS 16

static guint claimed_slots; /* a bit per slot taken by an editor of this process */

static char *
autosave_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "loopscope", NULL);
}

static char *
slot_path (int         slot,
           const char *extension)
{
  g_autofree char *dir = autosave_dir ();
  g_autofree char *name = slot == 0 ? g_strconcat ("unsaved-program.", extension, NULL)
                                    : g_strdup_printf ("unsaved-program-%d.%s", slot, extension);

  return g_build_filename (dir, name, NULL);
}

static gboolean
slot_has_file (int slot)
{
  g_autofree char *path = slot_path (slot, "py");

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* An unsaved text left by a Loopscope that ended (no editor's here), or -1 */
static int
orphan_slot (void)
{
  for (int slot = 0; slot < AUTOSAVE_SLOTS; slot++)
    if (!(claimed_slots & (1u << slot)) && slot_has_file (slot))
      return slot;
  return -1;
}

static void
release_slot (LsEditor *self)
{
  if (self->slot >= 0)
    claimed_slots &= ~(1u << self->slot);
  self->slot = -1;
}

char *
ls_editor_dup_autosave_path (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return self->slot >= 0 ? slot_path (self->slot, "py") : NULL;
}

gboolean
ls_editor_has_autosave (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  return self->slot >= 0 && slot_has_file (self->slot);
}

gboolean
ls_editor_has_orphan_autosave (void)
{
  return orphan_slot () >= 0;
}

static gboolean
write_atomically (const char  *path,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(LsAtomicFile) file = ls_atomic_file_new (path, error);

  if (file == NULL)
    return FALSE;
  if (!g_output_stream_write_all (ls_atomic_file_get_stream (file), data, length, NULL, NULL,
                                  error))
    return FALSE;
  return ls_atomic_file_commit (file, error);
}

static gboolean
write_autosave (LsEditor  *self,
                GError   **error)
{
  g_autofree char *dir = autosave_dir ();
  g_autofree char *path = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *text = ls_editor_dup_text (self);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *info_text = NULL;
  gsize info_length;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  for (int slot = 0; self->slot < 0 && slot < AUTOSAVE_SLOTS; slot++)
    if (!(claimed_slots & (1u << slot)) && !slot_has_file (slot))
      {
        claimed_slots |= 1u << slot;
        self->slot = slot;
      }
  if (self->slot < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s: every one of its %d copies of unsaved programs is in use", dir,
                   AUTOSAVE_SLOTS);
      return FALSE;
    }
  path = slot_path (self->slot, "py");
  info_path = slot_path (self->slot, "ini");
  g_key_file_set_string (info, "program", "name", self->name);
  if (self->path != NULL)
    g_key_file_set_string (info, "program", "path", self->path);
  g_key_file_set_boolean (info, "program", "listing", self->listing);
  info_text = g_key_file_to_data (info, &info_length, NULL);
  /* the text first: an info file never describes a missing text */
  return write_atomically (path, text, strlen (text), error)
         && write_atomically (info_path, info_text, info_length, error);
}

static gboolean
autosave_timeout (gpointer data)
{
  LsEditor *self = data;
  g_autoptr(GError) error = NULL;

  self->autosave_id = 0;
  if (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer))
      && !write_autosave (self, &error))
    g_warning ("Could not keep a copy of the unsaved program: %s", error->message);
  return G_SOURCE_REMOVE;
}

void
ls_editor_flush_autosave (LsEditor *self)
{
  g_return_if_fail (LS_IS_EDITOR (self));

  if (self->autosave_id != 0)
    {
      g_clear_handle_id (&self->autosave_id, g_source_remove);
      autosave_timeout (self);
    }
}

void
ls_editor_remove_autosave (LsEditor *self)
{
  g_return_if_fail (LS_IS_EDITOR (self));

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->slot >= 0)
    {
      g_autofree char *path = slot_path (self->slot, "py");
      g_autofree char *info_path = slot_path (self->slot, "ini");

      g_unlink (info_path);
      g_unlink (path);
    }
  release_slot (self);
}

gboolean
ls_editor_restore_autosave (LsEditor  *self,
                            GError   **error)
{
  int slot = orphan_slot ();
  g_autofree char *path = NULL;
  g_autofree char *info_path = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  gsize length;

  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);

  if (slot < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no unsaved program to restore"));
      return FALSE;
    }
  path = slot_path (slot, "py");
  info_path = slot_path (slot, "ini");
  if (!g_file_get_contents (path, &text, &length, error))
    return FALSE;
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, LS_EDITOR_ERROR, LS_EDITOR_ERROR_NOT_TEXT,
                   _("%s: not UTF-8 text"), path);
      return FALSE;
    }
  /* without its description (a crash between the two writes) it is an
   * untitled program: the text is what matters */
  if (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
    {
      name = g_key_file_get_string (info, "program", "name", NULL);
      file = g_key_file_get_string (info, "program", "path", NULL);
    }
  /* the copy is this editor's now: its next autosave replaces it */
  ls_editor_remove_autosave (self);
  claimed_slots |= 1u << slot;
  self->slot = slot;
  ls_editor_set_text (self, text, name != NULL ? name : _("untitled.py"), file,
                      g_key_file_get_boolean (info, "program", "listing", NULL), TRUE);
  return TRUE;
}

/* Another program's copy kept, unsaved, after a crash: given up (Discard
 * in the offer to restore it). */
void
ls_editor_discard_orphan_autosave (void)
{
  int slot = orphan_slot ();

  if (slot >= 0)
    {
      g_autofree char *path = slot_path (slot, "py");
      g_autofree char *info_path = slot_path (slot, "ini");

      g_unlink (info_path);
      g_unlink (path);
    }
}

/* ---- the text -------------------------------------------------------------------- */

static void
on_buffer_changed (LsEditor *self)
{
  if (self->loading)
    return;
  self->edits++;
  /* an edit moves what the error mark pointed at */
  ls_editor_mark_error (self, 0, NULL);
  if (self->autosave_id == 0)
    self->autosave_id = g_timeout_add_seconds (AUTOSAVE_DELAY_S, autosave_timeout, self);
}

static void
on_modified_changed (LsEditor *self)
{
  update_name (self);
  /* saved (or undone back to the saved text): no copy to offer back; a
   * new text (set_text) is not a save */
  if (!self->loading && !gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer)))
    ls_editor_remove_autosave (self);
}

void
ls_editor_set_text (LsEditor   *self,
                    const char *text,
                    const char *name,
                    const char *path,
                    gboolean    listing,
                    gboolean    modified)
{
  GtkTextBuffer *buffer;
  GtkTextIter start;

  g_return_if_fail (LS_IS_EDITOR (self));
  g_return_if_fail (text != NULL && name != NULL);

  buffer = GTK_TEXT_BUFFER (self->buffer);
  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->path);
  self->path = g_strdup (path);
  self->listing = listing;
  self->path_confirmed = FALSE;
  self->loading = TRUE;
  ls_editor_show_task_lines (self, NULL, NULL, 0);
  ls_editor_mark_error (self, 0, NULL);
  /* a new text is not something to undo back out of */
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_set_modified (buffer, modified);
  self->loading = FALSE;
  self->edits++;
  update_name (self);
}

gboolean
ls_editor_load_file (LsEditor    *self,
                     const char  *path,
                     GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize length;

  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  display = g_filename_display_name (path);
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", display,
                   g_strerror (saved));
      return FALSE;
    }
  /* a folder, a pipe or a device is nothing to read (a pipe would block) */
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s: not a regular file"), display);
      return FALSE;
    }
  if (st.st_size > LS_EDITOR_MAX_BYTES)
    {
      g_set_error (error, LS_EDITOR_ERROR, LS_EDITOR_ERROR_NOT_TEXT,
                   _("%s: too large for a program (%.1f MB; at most %d MB)"), display,
                   st.st_size / 1e6, LS_EDITOR_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &length, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* it may have grown since the stat */
  if (length > LS_EDITOR_MAX_BYTES)
    {
      g_set_error (error, LS_EDITOR_ERROR, LS_EDITOR_ERROR_NOT_TEXT,
                   _("%s: too large for a program (%.1f MB; at most %d MB)"), display,
                   length / 1e6, LS_EDITOR_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, LS_EDITOR_ERROR, LS_EDITOR_ERROR_NOT_TEXT,
                   _("%s: a binary file, not a Python program"), display);
      return FALSE;
    }
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, LS_EDITOR_ERROR, LS_EDITOR_ERROR_NOT_TEXT,
                   _("%s: not UTF-8 text (Python programs are read as UTF-8)"), display);
      return FALSE;
    }
  name = g_path_get_basename (path);
  ls_editor_set_text (self, text, name, path, FALSE, FALSE);
  return TRUE;
}

gboolean
ls_editor_save_to (LsEditor    *self,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *text = NULL;
  char *copy;

  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = ls_editor_dup_text (self);
  if (!write_atomically (path, text, strlen (text), error))
    return FALSE;
  /* @path may be self->path */
  copy = g_strdup (path);
  g_free (self->path);
  self->path = copy;
  g_free (self->name);
  self->name = g_path_get_basename (copy);
  /* Loopscope wrote it: later saves need no question */
  self->path_confirmed = TRUE;
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  update_name (self);
  return TRUE;
}

char *
ls_editor_dup_text (LsEditor *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
}

const char *
ls_editor_get_name (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return self->name;
}

const char *
ls_editor_get_path (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return self->path;
}

gboolean
ls_editor_get_listing (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  return self->listing;
}

gboolean
ls_editor_get_modified (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  return gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
}

gboolean
ls_editor_get_path_confirmed (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  return self->path_confirmed;
}

void
ls_editor_set_path_confirmed (LsEditor *self,
                              gboolean  confirmed)
{
  g_return_if_fail (LS_IS_EDITOR (self));
  self->path_confirmed = confirmed;
}

gboolean
ls_editor_get_changed_since_run (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), FALSE);
  return self->edits != self->run_edits;
}

void
ls_editor_mark_run (LsEditor *self)
{
  g_return_if_fail (LS_IS_EDITOR (self));
  self->run_edits = self->edits;
}

/* ---- marks ---------------------------------------------------------------------- */

static void
add_mark (LsEditor   *self,
          int         line,
          const char *category,
          const char *tooltip)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkSourceMark *mark;
  GtkTextIter iter;

  if (line <= 0 || line > gtk_text_buffer_get_line_count (buffer))
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
  mark = gtk_source_buffer_create_source_mark (self->buffer, NULL, category, &iter);
  g_object_set_data_full (G_OBJECT (mark), TOOLTIP_KEY, g_strdup (tooltip), g_free);
}

static void
remove_marks (LsEditor   *self,
              const char *category)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, category);
}

void
ls_editor_show_task_lines (LsEditor           *self,
                           LsInterpreter      *interpreter,
                           const LsTraceState *state,
                           guint32             selected)
{
  g_autoptr(GHashTable) lines = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int selected_line = 0;

  g_return_if_fail (LS_IS_EDITOR (self));

  remove_marks (self, CATEGORY_TASK);
  remove_marks (self, CATEGORY_SELECTED);
  if (state == NULL || interpreter == NULL)
    return;
  /* line → the names of the tasks on it */
  lines = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < state->tasks->len; i++)
    {
      const LsTaskEntry *t = &g_array_index (state->tasks, LsTaskEntry, i);
      GPtrArray *names;

      if (t->line <= 0 || t->state >= LS_TASK_STATE_DONE)
        continue;
      if (t->task_id == selected)
        selected_line = t->line;
      names = g_hash_table_lookup (lines, GINT_TO_POINTER (t->line));
      if (names == NULL)
        {
          names = g_ptr_array_new ();
          g_hash_table_insert (lines, GINT_TO_POINTER (t->line), names);
        }
      g_ptr_array_add (names, (gpointer) ls_interpreter_get_task_name (interpreter, t->task_id));
    }
  g_hash_table_iter_init (&iter, lines);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *names = value;
      g_autofree char *tooltip = NULL;

      g_ptr_array_add (names, NULL);
      tooltip = g_strjoinv (", ", (char **) names->pdata);
      add_mark (self, GPOINTER_TO_INT (key),
                GPOINTER_TO_INT (key) == selected_line ? CATEGORY_SELECTED : CATEGORY_TASK,
                tooltip);
    }
}

GArray *
ls_editor_dup_task_lines (LsEditor *self)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (int));
  GtkTextIter iter;

  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &iter);
  do
    {
      g_autoptr(GSList) marks = gtk_source_buffer_get_source_marks_at_iter (self->buffer, &iter,
                                                                            NULL);

      for (GSList *l = marks; l != NULL; l = l->next)
        {
          const char *category = gtk_source_mark_get_category (l->data);

          if (g_str_equal (category, CATEGORY_TASK) || g_str_equal (category, CATEGORY_SELECTED))
            {
              int line = gtk_text_iter_get_line (&iter) + 1;

              g_array_append_val (lines, line);
              break;
            }
        }
    }
  while (gtk_text_iter_forward_line (&iter));
  return lines;
}

void
ls_editor_mark_error (LsEditor   *self,
                      int         line,
                      const char *message)
{
  GtkTextIter iter;

  g_return_if_fail (LS_IS_EDITOR (self));

  if (self->error_line != 0)
    remove_marks (self, CATEGORY_ERROR);
  self->error_line = 0;
  if (line <= 0 || line > gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer)))
    return;
  self->error_line = line;
  add_mark (self, line, CATEGORY_ERROR, message);
  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, line - 1);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->view), &iter, 0.1, FALSE, 0, 0);
}

int
ls_editor_get_error_line (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), 0);
  return self->error_line;
}

static char *
query_tooltip (GtkSourceMarkAttributes *attributes,
               GtkSourceMark           *mark,
               gpointer                 user_data)
{
  return g_strdup (g_object_get_data (G_OBJECT (mark), TOOLTIP_KEY));
}

static void
set_mark_attributes (LsEditor   *self,
                     const char *category,
                     const char *colour,
                     const char *icon,
                     int         priority)
{
  g_autoptr(GtkSourceMarkAttributes) attributes = gtk_source_mark_attributes_new ();
  GdkRGBA rgba;

  gdk_rgba_parse (&rgba, colour);
  gtk_source_mark_attributes_set_background (attributes, &rgba);
  gtk_source_mark_attributes_set_icon_name (attributes, icon);
  g_signal_connect (attributes, "query-tooltip-text", G_CALLBACK (query_tooltip), NULL);
  gtk_source_view_set_mark_attributes (self->view, category, attributes, priority);
}

/* ---- light and dark ----------------------------------------------------------- */

static void
update_style_scheme (LsEditor *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = FALSE;
  g_autofree char *theme = NULL;

  g_object_get (settings, "gtk-application-prefer-dark-theme", &dark,
                "gtk-theme-name", &theme, NULL);
  dark = dark || (theme != NULL && g_str_has_suffix (theme, "-dark"));
  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (
                                        manager, dark ? "Adwaita-dark" : "Adwaita"));
}

/* ---- GObject -------------------------------------------------------------------- */

static void
ls_editor_dispose (GObject *object)
{
  LsEditor *self = LS_EDITOR (object);
  GtkWidget *child;

  /* what was typed in the last second is kept too */
  if (self->autosave_id != 0)
    ls_editor_flush_autosave (self);
  /* a copy left there is offered back by the next window */
  release_slot (self);
  g_signal_handlers_disconnect_by_data (gtk_settings_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LS_TYPE_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (ls_editor_parent_class)->dispose (object);
}

static void
ls_editor_finalize (GObject *object)
{
  LsEditor *self = LS_EDITOR (object);

  g_free (self->name);
  g_free (self->path);

  G_OBJECT_CLASS (ls_editor_parent_class)->finalize (object);
}

static void
ls_editor_class_init (LsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_editor_dispose;
  object_class->finalize = ls_editor_finalize;

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/ls-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LsEditor, name_label);
  gtk_widget_class_bind_template_child (widget_class, LsEditor, view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loopscope-editor");
}

static void
ls_editor_init (LsEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->slot = -1;
  self->buffer = gtk_source_buffer_new_with_language (
    gtk_source_language_manager_get_language (languages, "python3"));
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->view), GTK_TEXT_BUFFER (self->buffer));
  self->name = g_strdup (_("untitled.py"));

  set_mark_attributes (self, CATEGORY_TASK, "rgba(229,165,10,0.30)", "media-record-symbolic", 10);
  set_mark_attributes (self, CATEGORY_SELECTED, "rgba(0,114,178,0.35)", "go-next-symbolic", 20);
  set_mark_attributes (self, CATEGORY_ERROR, "rgba(224,27,36,0.30)", "dialog-error-symbolic",
                       30);

  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (on_buffer_changed), self);
  g_signal_connect_swapped (self->buffer, "modified-changed", G_CALLBACK (on_modified_changed),
                            self);
  g_signal_connect_swapped (gtk_settings_get_default (), "notify::gtk-application-prefer-dark-theme",
                            G_CALLBACK (update_style_scheme), self);
  g_signal_connect_swapped (gtk_settings_get_default (), "notify::gtk-theme-name",
                            G_CALLBACK (update_style_scheme), self);
  update_style_scheme (self);
  update_name (self);
}

GtkWidget *
ls_editor_new (void)
{
  return g_object_new (LS_TYPE_EDITOR, NULL);
}

GtkSourceView *
ls_editor_get_view (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return self->view;
}

GtkSourceBuffer *
ls_editor_get_buffer (LsEditor *self)
{
  g_return_val_if_fail (LS_IS_EDITOR (self), NULL);
  return self->buffer;
}
