/* SPDX-License-Identifier: MIT
 *
 * The console pane: every line a run printed, with its time. The lines
 * after the cursor are dimmed, and a click on any line asks to scrub to the
 * instant it was printed.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_CONSOLE_VIEW (ls_console_view_get_type ())
G_DECLARE_FINAL_TYPE (LsConsoleView, ls_console_view, LS, CONSOLE_VIEW, GtkWidget)

GtkWidget *ls_console_view_new               (void);
void       ls_console_view_clear             (LsConsoleView *self);
guint      ls_console_view_get_n_lines       (LsConsoleView *self);
void       ls_console_view_append            (LsConsoleView *self,
                                              const char    *line,
                                              gint64         time_ns);
/* A line printed by the record before the first @n_records of the run: a
 * click on it can land exactly there. */
void       ls_console_view_append_record     (LsConsoleView *self,
                                              const char    *line,
                                              gint64         time_ns,
                                              guint64        n_records);
/* Dims the lines printed after @time_ns (-1: none, and the view follows
 * the end) and keeps the last line up to it in sight. */
void       ls_console_view_set_cursor        (LsConsoleView *self,
                                              gint64         time_ns);
/* The same, the cursor after the first @n_records (G_MAXUINT64: after
 * every record at @time_ns) */
void       ls_console_view_set_cursor_record (LsConsoleView *self,
                                              gint64         time_ns,
                                              guint64        n_records);
/* The records up to the line's print, or G_MAXUINT64 when not known */
guint64    ls_console_view_get_line_records  (LsConsoleView *self,
                                              guint          line);
gint64     ls_console_view_get_line_time     (LsConsoleView *self,
                                              guint          line);
/* Every line, or only the undimmed ones, joined with newlines. */
char      *ls_console_view_dup_text          (LsConsoleView *self,
                                              gboolean       to_cursor);

G_END_DECLS
