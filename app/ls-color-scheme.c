/* SPDX-License-Identifier: MIT
 *
 * Light or dark: the user's choice in the main menu (GSettings
 * "color-scheme": system, light or dark), and for "system" the desktop's
 * preference as the settings portal tells it (org.freedesktop.appearance
 * color-scheme: 1 prefers dark), followed live. GTK 4.8 has no style
 * manager of its own, so the result goes to GtkSettings'
 * gtk-application-prefer-dark-theme, which every widget and the timeline's
 * theme colours follow.
 */
#include "config.h"

#include "ls-color-scheme.h"

#define PORTAL_BUS_NAME  "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS  "org.freedesktop.portal.Settings"
#define APPEARANCE       "org.freedesktop.appearance"

struct _LsColorScheme
{
  GObject       parent_instance;

  GSettings    *settings;
  GDBusProxy   *portal;
  GCancellable *cancellable;
  gboolean      system_prefers_dark;
  gboolean      dark;
};

G_DEFINE_FINAL_TYPE (LsColorScheme, ls_color_scheme, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (LsColorScheme *self)
{
  g_autofree char *choice = g_settings_get_string (self->settings, "color-scheme");
  gboolean dark;

  if (g_str_equal (choice, "dark"))
    dark = TRUE;
  else if (g_str_equal (choice, "light"))
    dark = FALSE;
  else
    dark = self->system_prefers_dark;

  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
  if (dark != self->dark)
    {
      self->dark = dark;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
    }
}

static void
portal_signal (GDBusProxy *proxy,
               const char *sender,
               const char *signal,
               GVariant   *parameters,
               gpointer    user_data)
{
  LsColorScheme *self = user_data;
  const char *ns, *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_str_equal (signal, "SettingChanged"))
    return;
  g_variant_get (parameters, "(&s&sv)", &ns, &key, &value);
  if (g_str_equal (ns, APPEARANCE) && g_str_equal (key, "color-scheme"))
    {
      self->system_prefers_dark = g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32)
                                  && g_variant_get_uint32 (value) == 1;
      update (self);
    }
}

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LsColorScheme) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) outer = NULL;
  g_autoptr(GVariant) inner = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, NULL);
  if (reply == NULL)
    return; /* no portal, or no such setting: "system" means light */
  g_variant_get (reply, "(v)", &outer);
  inner = g_variant_is_of_type (outer, G_VARIANT_TYPE_VARIANT) ? g_variant_get_variant (outer)
                                                                 : g_variant_ref (outer);
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    {
      self->system_prefers_dark = g_variant_get_uint32 (inner) == 1;
      update (self);
    }
}

static void
proxy_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LsColorScheme) self = user_data;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, NULL);

  if (proxy == NULL)
    return;
  self->portal = proxy;
  g_signal_connect_object (proxy, "g-signal", G_CALLBACK (portal_signal), self, 0);
  g_dbus_proxy_call (proxy, "Read", g_variant_new ("(ss)", APPEARANCE, "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, 2000, self->cancellable, read_done,
                     g_object_ref (self));
}

static void
ls_color_scheme_dispose (GObject *object)
{
  LsColorScheme *self = LS_COLOR_SCHEME (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->portal);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ls_color_scheme_parent_class)->dispose (object);
}

static void
ls_color_scheme_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LsColorScheme *self = LS_COLOR_SCHEME (object);

  switch (prop_id)
    {
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_color_scheme_class_init (LsColorSchemeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_color_scheme_dispose;
  object_class->get_property = ls_color_scheme_get_property;

  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ls_color_scheme_init (LsColorScheme *self)
{
  self->cancellable = g_cancellable_new ();
}

LsColorScheme *
ls_color_scheme_new (GSettings *settings)
{
  LsColorScheme *self = g_object_new (LS_TYPE_COLOR_SCHEME, NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::color-scheme", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
  g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                            NULL, PORTAL_BUS_NAME, PORTAL_PATH, PORTAL_SETTINGS,
                            self->cancellable, proxy_ready, g_object_ref (self));
  return self;
}

gboolean
ls_color_scheme_get_dark (LsColorScheme *self)
{
  g_return_val_if_fail (LS_IS_COLOR_SCHEME (self), FALSE);
  return self->dark;
}
