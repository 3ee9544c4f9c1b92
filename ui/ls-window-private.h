/* SPDX-License-Identifier: MIT
 *
 * What ls-window.c and ls-window-actions.c share, and what the window's
 * tests may read. Not for other code.
 */
#pragma once

#include "ls-code-gutter.h"
#include "ls-compare-view.h"
#include "ls-console-view.h"
#include "ls-lane-filter.h"
#include "ls-knob-panel.h"
#include "ls-timeline.h"
#include "ls-window.h"

G_BEGIN_DECLS

typedef struct _LsWindowEditor LsWindowEditor;
typedef struct _LsEditor LsEditor;

typedef enum
{
  LS_WINDOW_COMPARE_NONE = 0,
  LS_WINDOW_COMPARE_PINNED,   /* A: the pinned run, B: the session's */
  LS_WINDOW_COMPARE_CPYTHON,  /* A: the scenario's run, B: its listing in CPython */
} LsWindowCompareMode;

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
  LsKnobPanel      *knob_panel;
  LsCompareView    *compare_view;
  GtkWidget        *iteration_toggle; /* ls-window-iterations.c */
  LsCodeGutter     *code_gutter;      /* the code pane's task badges */
  GtkWidget        *status_revealer;  /* ls-window-status.c */
  GtkWidget        *status_label;
  char             *status_path;
  guint             status_timeout_id;

  /* the comparison (ls-window-compare.c) */
  LsWindowCompareMode compare_mode;
  gboolean          compare_swapped;
  gboolean          pin_pending;     /* pin once the run has finished */
  gboolean          cpython_pending; /* run the listing once the run has finished */
  LsInterpreter    *pinned;
  LsKnobs          *pinned_knobs;
  guint32           pinned_seed;
  char             *pinned_title;
  LsPythonRun      *cpython;         /* the listing's run in CPython */
  char             *cpython_dir;     /* its folder and file, while it runs */
  char             *cpython_path;
  LsInterpreter    *cpython_c;       /* the scenario's run it is compared with */
  LsInterpreter    *cpython_interpreter;
  guint             compare_idle_id;

  LsWindowEditor   *editor_side;     /* the program editor (ls-window-editor.c) */

  guint             clock_tick_id;
  guint             panes_idle_id;
  gboolean          reload_pending;  /* a new run: the text panes start over */
  guint             console_prints;  /* prints shown in the console */
  guint64           console_scan;    /* the trace read for their records so far */
};

/* ls-window-status.c: "saved to …", with Open Folder */
void        _ls_window_init_status        (LsWindow       *self);
void        _ls_window_dispose_status     (LsWindow       *self);
void        _ls_window_show_saved         (LsWindow       *self,
                                           const char     *path,
                                           gboolean        image);

/* ls-window-iterations.c */
void        _ls_window_class_init_iterations (GtkWidgetClass *widget_class);
void        _ls_window_init_iterations       (LsWindow       *self);

/* ls-window-actions.c */
void        _ls_window_class_init_actions (GtkWidgetClass *widget_class);
void        _ls_window_init_shortcuts     (LsWindow       *self);
void        _ls_window_update_actions     (LsWindow       *self);
void        _ls_window_load_scenario      (LsWindow       *self,
                                           const LsScenario *scenario);

/* ls-window-compare.c */
void        _ls_window_class_init_compare (GtkWidgetClass *widget_class);
void        _ls_window_init_compare       (LsWindow       *self);
void        _ls_window_compare_dispose    (LsWindow       *self);
void        _ls_window_update_compare_actions (LsWindow   *self);
void        _ls_window_compare_describe   (LsWindow       *self,
                                           GString        *out,
                                           gint64          time_ns);
/* The comparison shown, or NULL */
LsCompare  *_ls_window_get_compare        (LsWindow       *self);

/* ls-window-editor.c */
void        _ls_window_class_init_editor  (GtkWidgetClass *widget_class);
void        _ls_window_init_editor        (LsWindow       *self);
void        _ls_window_editor_dispose     (LsWindow       *self);
/* Space: TRUE when it ran the editor's program */
gboolean    _ls_window_editor_run         (LsWindow       *self);
/* TRUE when closing waits for the user (unsaved text) */
gboolean    _ls_window_editor_close_request (LsWindow     *self);
LsEditor   *_ls_window_get_editor         (LsWindow       *self);
/* The program of the session's CPython run, for the code pane, or NULL */
char       *_ls_window_dup_program_text   (LsWindow       *self);

/* For the tests: what the panes show. */
char       *_ls_window_dup_console_text   (LsWindow       *self);
char       *_ls_window_dup_console_text_to_cursor (LsWindow *self);
char       *_ls_window_dup_internals_text (LsWindow       *self);
char       *_ls_window_dup_clock_text     (LsWindow       *self);
LsTimeline *_ls_window_get_timeline       (LsWindow       *self);

G_END_DECLS
