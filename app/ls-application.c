/* SPDX-License-Identifier: MIT
 *
 * The GtkApplication: app-wide actions, accelerators and the About dialog.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-application.h"
#include "ls-color-scheme.h"
#include "ls-window.h"

struct _LsApplication
{
  GtkApplication parent_instance;

  GSettings     *settings;
  LsColorScheme *color_scheme;
  char          *initial_scenario;
  char          *initial_trace;    /* a trace file to show, checked by the command line */
};

G_DEFINE_FINAL_TYPE (LsApplication, ls_application, GTK_TYPE_APPLICATION)

static void
ls_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      LsApplication *self = LS_APPLICATION (app);

      window = GTK_WINDOW (ls_window_new (GTK_APPLICATION (app), self->settings));
      if (self->initial_scenario != NULL)
        ls_window_load_scenario_id (LS_WINDOW (window), self->initial_scenario);
      if (self->initial_trace != NULL)
        {
          g_autoptr(GError) error = NULL;

          /* the command line checked the file already; it may have changed since */
          if (!ls_window_open_trace (LS_WINDOW (window), self->initial_trace, &error))
            g_printerr ("loopscope: %s\n", error->message);
        }
    }
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Loopscope developers", NULL };
  /* The scenarios and their listings come from this chapter (MIT License). */
  static const char *chapter[] = { "第9章:异步编程基础 (Python asyncio), MIT License", NULL };
  GtkAboutDialog *about;

  about = g_object_new (GTK_TYPE_ABOUT_DIALOG,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "program-name", _("Loopscope"),
                        "logo-icon-name", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("See how an asyncio event loop schedules your coroutines"),
                        "license-type", GTK_LICENSE_MIT_X11,
                        "authors", developers,
                        "website", "https://github.com/loopscope/loopscope",
                        "copyright", "© 2026 The Loopscope developers",
                        NULL);
  gtk_about_dialog_add_credit_section (about, _("Scenarios from the chapter"), chapter);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
ls_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  LsApplication *self = LS_APPLICATION (app);
  g_autoptr(GAction) color_scheme_action = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;

  G_APPLICATION_CLASS (ls_application_parent_class)->startup (app);

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  self->settings = g_settings_new (APP_ID);
  self->color_scheme = ls_color_scheme_new (self->settings);
  color_scheme_action = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (app), color_scheme_action);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
ls_application_dispose (GObject *object)
{
  LsApplication *self = LS_APPLICATION (object);

  g_clear_object (&self->color_scheme);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->initial_scenario, g_free);
  g_clear_pointer (&self->initial_trace, g_free);

  G_OBJECT_CLASS (ls_application_parent_class)->dispose (object);
}

static void
ls_application_class_init (LsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ls_application_dispose;
  app_class->activate = ls_application_activate;
  app_class->startup = ls_application_startup;
}

static void
ls_application_init (LsApplication *self)
{
}

LsApplication *
ls_application_new (void)
{
  return g_object_new (LS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

void
ls_application_set_initial_scenario (LsApplication *self,
                                     const char    *scenario_id)
{
  g_return_if_fail (LS_IS_APPLICATION (self));
  g_free (self->initial_scenario);
  self->initial_scenario = g_strdup (scenario_id);
}

void
ls_application_set_initial_trace (LsApplication *self,
                                  const char    *path)
{
  g_return_if_fail (LS_IS_APPLICATION (self));
  g_free (self->initial_trace);
  self->initial_trace = g_strdup (path);
}

/* For the window: the trace file given on the command line, or NULL. */
const char *
ls_application_get_initial_trace (LsApplication *self)
{
  g_return_val_if_fail (LS_IS_APPLICATION (self), NULL);
  return self->initial_trace;
}
