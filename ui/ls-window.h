/* SPDX-License-Identifier: MIT */
#pragma once

#include <gtk/gtk.h>

#include "ls-export.h"
#include "ls-scenario.h"

G_BEGIN_DECLS

#define LS_TYPE_WINDOW (ls_window_get_type ())
G_DECLARE_FINAL_TYPE (LsWindow, ls_window, LS, WINDOW, GtkApplicationWindow)

LsWindow         *ls_window_new          (GtkApplication *application,
                                          GSettings      *settings);
const LsScenario *ls_window_get_scenario (LsWindow       *self);
LsScenarioRun    *ls_window_get_run      (LsWindow       *self);
gboolean          ls_window_load_scenario_id (LsWindow   *self,
                                              const char *id);
char             *ls_window_dup_console_text (LsWindow   *self);
char             *ls_window_dup_internals_text (LsWindow *self);
void              ls_window_set_cursor   (LsWindow       *self,
                                          gint64          time_ns);
gint64            ls_window_get_cursor   (LsWindow       *self);
GtkWidget        *ls_window_get_timeline (LsWindow       *self);
gboolean          ls_window_open_trace   (LsWindow       *self,
                                          const char     *path,
                                          GError        **error);
gboolean          ls_window_save_trace   (LsWindow       *self,
                                          const char     *path,
                                          GError        **error);
gboolean          ls_window_export_image (LsWindow       *self,
                                          const char     *path,
                                          LsExportFormat  format,
                                          gboolean        visible_range,
                                          int             width,
                                          int             height,
                                          double          scale,
                                          gboolean        dark,
                                          GError        **error);
void              ls_window_set_instant  (LsWindow       *self,
                                          gboolean        instant);

G_END_DECLS
