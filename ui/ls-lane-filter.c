/* SPDX-License-Identifier: MIT
 *
 * The lane filter bar. The text goes to the layout as it is typed (a
 * filter of 10,000 names takes about a millisecond), the state choice as
 * a mask of task states read at the cursor, the toggle to the session's
 * "related only". A new run keeps the text and the state (the session
 * carries them over), so the bar only follows the session's toggle.
 */
#include "config.h"

#include "ls-lane-filter.h"

struct _LsLaneFilter
{
  GtkBox           parent_instance;

  LsSession       *session;
  gulong           related_id;

  /* template */
  GtkSearchEntry  *entry;
  GtkDropDown     *states;
  GtkToggleButton *related;
};

G_DEFINE_FINAL_TYPE (LsLaneFilter, ls_lane_filter, GTK_TYPE_BOX)

/* The drop-down's items, in order */
static const guint state_masks[] = {
  0,
  (1u << LS_TASK_STATE_RUNNING) | (1u << LS_TASK_STATE_READY),
  1u << LS_TASK_STATE_WAITING,
  1u << LS_TASK_STATE_DONE,
  1u << LS_TASK_STATE_FAILED,
  1u << LS_TASK_STATE_CANCELLED,
};

static void
on_text_changed (LsLaneFilter *self)
{
  LsLaneLayout *layout = ls_session_get_layout (self->session);

  if (layout != NULL)
    ls_lane_layout_set_filter_text (layout, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
on_states_selected (LsLaneFilter *self)
{
  LsLaneLayout *layout = ls_session_get_layout (self->session);
  guint selected = gtk_drop_down_get_selected (self->states);

  if (layout != NULL && selected < G_N_ELEMENTS (state_masks))
    ls_lane_layout_set_filter_states (layout, state_masks[selected]);
}

static void
on_related_toggled (LsLaneFilter *self)
{
  ls_session_set_related_only (self->session, gtk_toggle_button_get_active (self->related));
}

static void
on_session_related (LsLaneFilter *self)
{
  gtk_toggle_button_set_active (self->related, ls_session_get_related_only (self->session));
}

static void
ls_lane_filter_dispose (GObject *object)
{
  LsLaneFilter *self = LS_LANE_FILTER (object);

  if (self->session != NULL)
    g_clear_signal_handler (&self->related_id, self->session);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), LS_TYPE_LANE_FILTER);

  G_OBJECT_CLASS (ls_lane_filter_parent_class)->dispose (object);
}

static void
ls_lane_filter_class_init (LsLaneFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_lane_filter_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/ls-lane-filter.ui");
  gtk_widget_class_bind_template_child (widget_class, LsLaneFilter, entry);
  gtk_widget_class_bind_template_child (widget_class, LsLaneFilter, states);
  gtk_widget_class_bind_template_child (widget_class, LsLaneFilter, related);
  gtk_widget_class_bind_template_callback (widget_class, on_text_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_states_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_related_toggled);
}

static void
ls_lane_filter_init (LsLaneFilter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ls_lane_filter_new (LsSession *session)
{
  LsLaneFilter *self;

  g_return_val_if_fail (LS_IS_SESSION (session), NULL);

  self = g_object_new (LS_TYPE_LANE_FILTER, NULL);
  self->session = g_object_ref (session);
  self->related_id = g_signal_connect_swapped (session, "notify::related-only",
                                               G_CALLBACK (on_session_related), self);
  return GTK_WIDGET (self);
}

GtkWidget *
ls_lane_filter_get_entry (LsLaneFilter *self)
{
  g_return_val_if_fail (LS_IS_LANE_FILTER (self), NULL);
  return GTK_WIDGET (self->entry);
}
