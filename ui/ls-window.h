/* SPDX-License-Identifier: MIT
 *
 * The main window: a session's run (a scenario or a trace file) drawn as a
 * timeline, the scenarios in a sidebar, the run controls in the header bar
 * and, around the timeline, the scenario's notes, console, listing and the
 * loop's internals at the cursor.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-export.h"
#include "ls-session.h"

G_BEGIN_DECLS

#define LS_TYPE_WINDOW (ls_window_get_type ())
G_DECLARE_FINAL_TYPE (LsWindow, ls_window, LS, WINDOW, GtkApplicationWindow)

LsWindow         *ls_window_new              (GtkApplication *application,
                                              GSettings      *settings);
LsSession        *ls_window_get_session      (LsWindow       *self);
/* Loads the scenario @id as if picked in the sidebar, with @seed for its
 * randomness; FALSE if there is no such scenario. */
gboolean          ls_window_load_scenario_id (LsWindow       *self,
                                              const char     *id,
                                              guint32         seed);
/* The same with the scenario's knobs set by @knobs ("NAME=VALUE", as
 * --set gives them; NULL: the defaults); FALSE with an error for an
 * unknown scenario or a bad knob, and nothing loaded. */
gboolean          ls_window_load_scenario_with_knobs (LsWindow       *self,
                                              const char        *id,
                                              guint32            seed,
                                              const char *const *knobs,
                                              GError           **error);
/* Reads the trace file at @path (once) and shows it. */
gboolean          ls_window_open_trace       (LsWindow       *self,
                                              const char     *path,
                                              GError        **error);
gboolean          ls_window_save_trace       (LsWindow       *self,
                                              const char     *path,
                                              GError        **error);
/* Writes the timeline as an image; @options' title and range (when
 * @visible_range) are filled in from the window. */
/* A modal error message over the window. */
void              ls_window_show_error       (LsWindow       *self,
                                              const char     *primary,
                                              const char     *secondary);
gboolean          ls_window_export_image     (LsWindow              *self,
                                              const char            *path,
                                              const LsExportOptions *options,
                                              gboolean               visible_range,
                                              GError               **error);

/* The program editor (ls-window-editor.c): opens a .py file in it (asking
 * first about unsaved text; a file that cannot be read gets a message),
 * saves it (asking before it replaces a file Loopscope did not write),
 * and runs its text in CPython. */
void              ls_window_open_program     (LsWindow              *self,
                                              const char            *path);
void              ls_window_save_program     (LsWindow              *self);
gboolean          ls_window_run_program      (LsWindow              *self,
                                              GError               **error);

G_END_DECLS
