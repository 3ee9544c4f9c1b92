/* SPDX-License-Identifier: MIT
 *
 * The code pane's left gutter: beside each line of the listing a task is
 * at (at the cursor), a badge naming it, the selected task's emphasised.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_CODE_GUTTER (ls_code_gutter_get_type ())
G_DECLARE_FINAL_TYPE (LsCodeGutter, ls_code_gutter, LS, CODE_GUTTER, GtkWidget)

/* A gutter set on @view's left side. */
GtkWidget  *ls_code_gutter_new          (GtkTextView  *view);
void        ls_code_gutter_clear        (LsCodeGutter *self);
/* @name is at @line (1-based): badges of one line are joined in order */
void        ls_code_gutter_add          (LsCodeGutter *self,
                                         int           line,
                                         const char   *name,
                                         gboolean      selected);
/* What the badge of @line says ("Task 0, Task 1"), or NULL for none */
char       *ls_code_gutter_dup_text     (LsCodeGutter *self,
                                         int           line);
/* Whether @line's badge names the selected task */
gboolean    ls_code_gutter_get_selected (LsCodeGutter *self,
                                         int           line);

G_END_DECLS
