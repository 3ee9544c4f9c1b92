/* SPDX-License-Identifier: MIT
 *
 * The GtkApplication. GApplication parses the command line; whatever needs
 * no display (--list, --console, exports) is done in handle-local-options
 * and exits there. What is left is for a window, and goes to the primary
 * instance when Loopscope already runs: trace files through "open" (the
 * desktop file's %F), a scenario through the app.load-scenario action.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ls-application.h"
#include "ls-color-scheme.h"
#include "ls-command-line.h"
#include "ls-trace-json.h"
#include "ls-window.h"

struct _LsApplication
{
  GtkApplication parent_instance;

  GSettings     *settings;
  LsColorScheme *color_scheme;
  gboolean       has_speed;   /* the command line's --speed, for new windows */
  double         speed;
  GHashTable    *loaded;      /* path -> Loaded: trace files the command line read */
};

/* A trace file read before the window exists, so it is read only once. */
typedef struct
{
  LsTrace     *trace;
  LsTraceInfo  info;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_object (&loaded->trace);
  ls_trace_info_clear (&loaded->info);
  g_free (loaded);
}

G_DEFINE_FINAL_TYPE (LsApplication, ls_application, GTK_TYPE_APPLICATION)

static LsWindow *
new_window (LsApplication *self)
{
  LsWindow *window = ls_window_new (GTK_APPLICATION (self), self->settings);

  if (self->has_speed)
    ls_session_set_speed (ls_window_get_session (window), self->speed);
  return window;
}

static LsWindow *
get_window (LsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (LS_IS_WINDOW (window))
    return LS_WINDOW (window);
  return new_window (self);
}

static void
ls_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (LS_APPLICATION (app))));
}

/* Each trace file in a window of its own: they are separate runs. */
static void
ls_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  LsApplication *self = LS_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      LsWindow *window = new_window (self);
      g_autofree char *path = g_file_get_path (files[i]);
      g_autoptr(GError) error = NULL;
      Loaded *loaded = path != NULL ? g_hash_table_lookup (self->loaded, path) : NULL;

      gtk_window_present (GTK_WINDOW (window));
      if (loaded != NULL)
        {
          g_autofree char *name = g_path_get_basename (path);

          ls_session_load_trace (ls_window_get_session (window), loaded->trace, &loaded->info,
                                 name);
          g_hash_table_remove (self->loaded, path);
        }
      else if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (files[i]);

          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("%s: only local files can be opened"), uri);
        }
      else
        ls_window_open_trace (window, path, &error);
      if (error != NULL)
        {
          g_printerr ("loopscope: %s\n", error->message);
          ls_window_show_error (window, _("Could not open the trace"), error->message);
        }
    }
}

/* app.load-scenario (ID, SEED, KNOBS): from this process or a second one
 * (KNOBS: --set's NAME=VALUE, checked there already). */
static void
load_scenario_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  LsApplication *self = user_data;
  const char *id;
  guint32 seed;
  g_autofree const char **knobs = NULL;
  g_autoptr(GError) error = NULL;
  LsWindow *window;

  g_variant_get (parameter, "(&su^a&s)", &id, &seed, &knobs);
  window = get_window (self);
  if (!ls_window_load_scenario_with_knobs (window, id, seed, knobs, &error))
    g_warning ("%s", error->message);
  gtk_window_present (GTK_WINDOW (window));
}

static void
set_speed_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LsApplication *self = user_data;

  self->has_speed = TRUE;
  self->speed = g_variant_get_double (parameter);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (LS_IS_WINDOW (l->data))
      ls_session_set_speed (ls_window_get_session (l->data), self->speed);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Loopscope developers", NULL };
  /* The scenarios and their listings come from this chapter (MIT License). */
  static const char *chapter[] = { "第9章:异步编程基础 (Python asyncio)", "MIT License", NULL };
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

/* Quit closes each window as its close button would: one whose program
 * has unsaved edits asks first (and may stay), and Loopscope ends with its
 * last window. */
static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  if (windows == NULL)
    g_application_quit (G_APPLICATION (user_data));
  g_list_foreach (windows, (GFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
  { "load-scenario", load_scenario_action, "(suas)" },
  { "set-speed", set_speed_action, "d" },
};

static int
ls_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_auto(LsWindowRequest) request = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  status = ls_command_line_handle (options, &request);
  if (status >= 0)
    return status;

  /* trace files are read here, with no display yet: a file Loopscope
   * cannot read is refused on the command line, and the window gets the
   * trace already read */
  for (guint i = 0; request.files != NULL && request.files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (request.files[i]);
      Loaded *loaded = g_new0 (Loaded, 1);

      loaded->trace = ls_trace_load_json_full (request.files[i], &loaded->info, &error);
      if (loaded->trace == NULL)
        {
          loaded_free (loaded);
          g_printerr ("loopscope: %s\n", error->message);
          return 2;
        }
      g_hash_table_replace (LS_APPLICATION (app)->loaded, g_file_get_path (file), loaded);
    }

  /* the rest is for a window: this process's, or the running Loopscope's */
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("loopscope: %s\n", error->message);
      return 1;
    }
  if (request.has_speed)
    g_action_group_activate_action (G_ACTION_GROUP (app), "set-speed",
                                    g_variant_new_double (request.speed));
  if (request.files != NULL)
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; request.files[i] != NULL; i++)
        g_ptr_array_add (files, g_file_new_for_commandline_arg (request.files[i]));
      g_application_open (app, (GFile **) files->pdata, (int) files->len, "");
    }
  else if (request.scenario_id != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "load-scenario",
                                    g_variant_new ("(su^as)", request.scenario_id, request.seed,
                                                   request.knobs != NULL
                                                   ? request.knobs
                                                   : (char *[]) { NULL }));
  else if (g_application_get_is_remote (app))
    g_application_activate (app);
  if (g_application_get_is_remote (app))
    return 0;
  /* go on: this process is Loopscope; activate presents its window */
  return -1;
}

static gboolean
ls_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (!ls_command_line_check ((int) g_strv_length (*arguments), *arguments, &error))
    {
      g_printerr ("loopscope: %s\n", error->message);
      *exit_status = 2;
      return TRUE;
    }
  return G_APPLICATION_CLASS (ls_application_parent_class)->local_command_line (app, arguments,
                                                                                exit_status);
}

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
  g_clear_pointer (&self->loaded, g_hash_table_unref);

  G_OBJECT_CLASS (ls_application_parent_class)->dispose (object);
}

static void
ls_application_class_init (LsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ls_application_dispose;
  app_class->activate = ls_application_activate;
  app_class->open = ls_application_open;
  app_class->startup = ls_application_startup;
  app_class->handle_local_options = ls_application_handle_local_options;
  app_class->local_command_line = ls_application_local_command_line;
}

static void
ls_application_init (LsApplication *self)
{
  self->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, loaded_free);
  /* the actions exist before registration, so a second instance can
   * activate them in this one */
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  ls_command_line_add_options (G_APPLICATION (self));
}

LsApplication *
ls_application_new (void)
{
  return g_object_new (LS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
