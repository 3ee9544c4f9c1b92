/* SPDX-License-Identifier: MIT
 *
 * What ls-window.c and ls-window-actions.c share, and what the window's
 * tests may read. Not for other code.
 */
#pragma once

#include "ls-console-view.h"
#include "ls-lane-filter.h"
#include "ls-timeline.h"
#include "ls-window.h"

G_BEGIN_DECLS

struct _LsWindow
{
  GtkApplicationWindow parent_instance;

  GSettings        *settings;
  LsSession        *session;
  guint32           seed;           /* for new runs (the command line's --seed) */

  /* template */
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *clock_label;
  GtkToggleButton  *sidebar_button;
  GtkButton        *run_button;
  GtkDropDown      *speed_dropdown;
  GtkPaned         *main_paned;
  GtkPaned         *content_paned;
  GtkPaned         *bottom_paned;
  GtkWidget        *console_notebook;
  GtkWidget        *internals_box;
  GtkWidget        *sidebar;
  GtkSearchEntry   *search_entry;
  GtkListBox       *scenario_list;
  GtkLabel         *notes_label;
  GtkBox           *timeline_box;
  LsConsoleView    *console_view;
  GtkTextView      *code_view;
  GtkLabel         *internals_label;
  LsTimeline       *timeline;
  LsLaneFilter     *lane_filter;

  guint             clock_tick_id;
  guint             panes_idle_id;
  gboolean          reload_pending;  /* a new run: the text panes start over */
  guint             console_prints;  /* prints shown in the console */
};

/* ls-window-actions.c */
void        _ls_window_class_init_actions (GtkWidgetClass *widget_class);
void        _ls_window_init_shortcuts     (LsWindow       *self);
void        _ls_window_update_actions     (LsWindow       *self);
void        _ls_window_load_scenario      (LsWindow       *self,
                                           const LsScenario *scenario);

/* For the tests: what the panes show. */
char       *_ls_window_dup_console_text   (LsWindow       *self);
char       *_ls_window_dup_console_text_to_cursor (LsWindow *self);
char       *_ls_window_dup_internals_text (LsWindow       *self);
char       *_ls_window_dup_clock_text     (LsWindow       *self);
LsTimeline *_ls_window_get_timeline       (LsWindow       *self);

G_END_DECLS
