/* SPDX-License-Identifier: MIT
 *
 * LsEditor: the pane where a Python program is written or changed before
 * Loopscope runs it in CPython (GtkSourceView: Python highlighting, line
 * numbers, a mark in the gutter on each task's line and on the line an
 * error came from). It holds the program's text and where it came from;
 * the window runs it (ls-window-editor.c).
 */
#pragma once

#include <gtk/gtk.h>
#include <gtksourceview/gtksource.h>

#include "ls-interpreter.h"

G_BEGIN_DECLS

#define LS_EDITOR_ERROR (ls_editor_error_quark ())

typedef enum
{
  LS_EDITOR_ERROR_NOT_TEXT,  /* binary, not UTF-8, or too large */
} LsEditorError;

/* A program file larger than this is refused: it is not one to read. */
#define LS_EDITOR_MAX_BYTES (4 * 1024 * 1024)

#define LS_TYPE_EDITOR (ls_editor_get_type ())
G_DECLARE_FINAL_TYPE (LsEditor, ls_editor, LS, EDITOR, GtkWidget)

GQuark         ls_editor_error_quark     (void);

GtkWidget     *ls_editor_new             (void);
GtkSourceView *ls_editor_get_view        (LsEditor    *self);
GtkSourceBuffer *ls_editor_get_buffer    (LsEditor    *self);

/* A new text: @name is what it is called ("semaphore.py"), @path the file
 * it saves to (NULL: Save asks where). @listing: a copy of a chapter
 * listing, run with the offline stand-ins of aiofiles and aiohttp. The
 * text is unmodified unless @modified (a restored autosave). */
void           ls_editor_set_text        (LsEditor    *self,
                                          const char  *text,
                                          const char  *name,
                                          const char  *path,
                                          gboolean     listing,
                                          gboolean     modified);
/* Reads a program file; FALSE (nothing changed) with a one-line error
 * naming the file when it is missing, unreadable, binary, not UTF-8 or
 * larger than LS_EDITOR_MAX_BYTES. */
gboolean       ls_editor_load_file       (LsEditor    *self,
                                          const char  *path,
                                          GError     **error);
/* Writes the text to @path all or nothing (ls-atomic-file); the buffer is
 * then tied to @path and unmodified. */
gboolean       ls_editor_save_to         (LsEditor    *self,
                                          const char  *path,
                                          GError     **error);
char          *ls_editor_dup_text        (LsEditor    *self);
const char    *ls_editor_get_name        (LsEditor    *self);
/* The file the text saves to, or NULL */
const char    *ls_editor_get_path        (LsEditor    *self);
gboolean       ls_editor_get_listing     (LsEditor    *self);
gboolean       ls_editor_get_modified    (LsEditor    *self);
/* Saving over @path needs no question: Loopscope wrote it (Save As), or
 * the user already said yes once. */
gboolean       ls_editor_get_path_confirmed (LsEditor *self);
void           ls_editor_set_path_confirmed (LsEditor *self,
                                             gboolean  confirmed);
/* Whether the text changed since ls_editor_mark_run () (what was run). */
gboolean       ls_editor_get_changed_since_run (LsEditor *self);
void           ls_editor_mark_run        (LsEditor    *self);

/* Each live task's line at @state (NULL: none), the selected task's
 * standing out; tooltips on the marks name the tasks. */
void           ls_editor_show_task_lines (LsEditor           *self,
                                          LsInterpreter      *interpreter,
                                          const LsTraceState *state,
                                          guint32             selected);
/* The line an error came from (1-based; 0 clears), with its message as
 * the mark's tooltip. The line scrolls into view. */
void           ls_editor_mark_error      (LsEditor    *self,
                                          int          line,
                                          const char  *message);
int            ls_editor_get_error_line  (LsEditor    *self);
/* The lines that carry a task mark, for the tests (1-based, sorted) */
GArray        *ls_editor_dup_task_lines  (LsEditor    *self);

/* Autosave: the text and where it came from, in the user's state folder
 * (g_get_user_state_dir ()/loopscope, a file of its own for each editor),
 * a second after each change while it is unsaved; removed once saved or
 * discarded, left there when Loopscope ends otherwise. */
char          *ls_editor_dup_autosave_path (LsEditor  *self);
gboolean       ls_editor_has_autosave    (LsEditor    *self);
/* An unsaved text left by a Loopscope that ended without saving it */
gboolean       ls_editor_has_orphan_autosave (void);
void           ls_editor_discard_orphan_autosave (void);
/* Loads that text, still unsaved, as this editor's; FALSE when there is
 * none or it cannot be read. */
gboolean       ls_editor_restore_autosave (LsEditor   *self,
                                           GError    **error);
void           ls_editor_remove_autosave (LsEditor    *self);
/* Writes it now if a write is pending (tests, closing). */
void           ls_editor_flush_autosave  (LsEditor    *self);

G_END_DECLS
