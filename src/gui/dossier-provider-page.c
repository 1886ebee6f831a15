/* dossier-provider-page.c: step 1, provider, environment, credentials, account
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-sandbox.h"
#include "dossier-keyring-policy.h"
#include "dossier-secrets.h"
#include "dossier-gui-a11y.h"
#include "dossier-gui-util.h"
#include "dossier-merchant-rows.h"
#include "dossier-provider-page.h"

struct _DossierProviderPage
{
  AdwBin             parent_instance;

  /* template */
  GtkListBox        *providers_list;
  AdwComboRow       *environment_row;
  AdwEntryRow       *base_url_row;
  AdwPreferencesGroup *credentials_group;
  GtkWidget         *secret_row;
  GtkWidget         *client_id_row;
  GtkWidget         *client_secret_row;
  AdwActionRow      *check_row;
  GtkWidget         *check_spinner;
  GtkWidget         *check_button;
  AdwPreferencesGroup *account_group;
  GtkWidget         *sandbox_account_button;

  DossierCatalogue  *catalogue;
  DossierSubmission *submission;
  GPtrArray         *editors;        /* DossierFieldEditor, account fields */
  GtkCheckButton    *first_check;
  GCancellable      *cancellable;    /* keyring load and check of this environment */
  guint              syncing : 1;
  guint              credentials_dirty : 1;

  /* which merchant (or none) the files are for */
  DossierMerchantStore *merchant_store;
  AdwComboRow          *merchant_row;
  GPtrArray            *merchant_ids;   /* char *, after "No merchant" */
};

G_DEFINE_FINAL_TYPE (DossierProviderPage, dossier_provider_page, ADW_TYPE_BIN)

enum {
  SIGNAL_PROVIDER_ACTIVATED,
  SIGNAL_CHANGED,
  SIGNAL_KEYRING_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (DossierProviderPage *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static const DossierEnvironment *
current_environment (DossierProviderPage *self)
{
  if (self->submission == NULL)
    return NULL;

  return dossier_provider_lookup_environment (dossier_submission_get_provider (self->submission),
                                              dossier_submission_get_environment (self->submission));
}

static gboolean
in_sandbox (DossierProviderPage *self)
{
  const DossierEnvironment *environment = current_environment (self);

  return environment != NULL && dossier_provider_is_sandbox_url (environment->base_url);
}

static void
fill_credentials (DossierProviderPage *self,
                  const char          *secret,
                  const char          *client_id,
                  const char          *client_secret)
{
  /* typed-in values set the credentials through the rows' handlers */
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret != NULL ? secret : "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id != NULL ? client_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_secret_row),
                         client_secret != NULL ? client_secret : "");
  self->syncing = FALSE;
}

static void
set_check_result (DossierProviderPage *self,
                  const char          *text,
                  const char          *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_row), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_row), "error");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->check_row), css_class);
  adw_action_row_set_subtitle (self->check_row,
                               text != NULL ? text
                               : _("Asks the provider whether they work, without sending a file"));
}

static void
on_credentials_loaded (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierCredentials) loaded = NULL;
  DossierProviderPage *self;

  loaded = dossier_secrets_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DOSSIER_PROVIDER_PAGE (user_data);
  if (loaded == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_KEYRING_PROBLEM], 0, error->message);
      return;
    }

  /* what the clerk typed meanwhile wins */
  if (self->credentials_dirty)
    return;

  fill_credentials (self,
                    dossier_credentials_get_secret (loaded),
                    dossier_credentials_get_client_id (loaded),
                    dossier_credentials_get_client_secret (loaded));
}

static void
update_environment_subtitle (DossierProviderPage *self)
{
  const DossierEnvironment *environment = current_environment (self);
  DossierProvider *provider;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = GTK_WIDGET (self->environment_row);

  gtk_widget_remove_css_class (row, "sandbox");
  gtk_widget_remove_css_class (row, "production");
  if (environment == NULL)
    return;

  provider = dossier_submission_get_provider (self->submission);
  if (dossier_provider_is_sandbox_url (environment->base_url))
    {
      subtitle = g_strdup (_("Sandbox — nothing leaves this computer"));
      gtk_widget_add_css_class (row, "sandbox");
    }
  else if (g_str_equal (environment->id, "production"))
    {
      /* Translators: the warning under a production environment */
      subtitle = g_strdup_printf (_("Real uploads to %s"), dossier_provider_get_name (provider));
      gtk_widget_add_css_class (row, "production");
    }
  else
    subtitle = g_strdup_printf (_("%s’s test server: nothing reaches the merchant’s account"),
                                dossier_provider_get_name (provider));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

/* The environment's name reads in full, even at 360 px: the explanation in
 * the subtitle wraps instead (AdwComboRow's own label ellipsizes, and the
 * long subtitle took its room, leaving "Sa…"). */
static void
environment_item_setup (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_list_item_set_child (item, label);
}

static void
environment_item_bind (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  GtkStringObject *name = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (name));
}

/* A new environment: fresh credentials, from the sandbox's public ones or
 * from the keyring. */
static void
environment_changed (DossierProviderPage *self)
{
  const DossierEnvironment *environment = current_environment (self);
  DossierProvider *provider;
  const DossierAuthSpec *auth;
  g_autoptr(DossierCredentials) credentials = NULL;
  g_autofree char *description = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->submission == NULL || environment == NULL)
    return;

  provider = dossier_submission_get_provider (self->submission);
  auth = dossier_provider_get_auth (provider);

  update_environment_subtitle (self);

  /* an environment without a fixed address needs one from the user */
  gtk_widget_set_visible (GTK_WIDGET (self->base_url_row), *environment->base_url == '\0');
  if (*environment->base_url == '\0')
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));

      dossier_submission_set_base_url (self->submission, *text != '\0' ? text : NULL);
      if (environment->base_url_hint != NULL)
        {
          g_autofree char *tip = g_strdup_printf (_("For example %s"), environment->base_url_hint);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->base_url_row), tip);
        }
    }
  else
    dossier_submission_set_base_url (self->submission, NULL);

  gtk_spinner_stop (GTK_SPINNER (self->check_spinner));
  gtk_widget_set_visible (self->check_spinner, FALSE);
  gtk_widget_set_sensitive (self->check_button, TRUE);

  credentials = dossier_credentials_new ();
  dossier_submission_set_credentials (self->submission, credentials);
  self->credentials_dirty = FALSE;
  fill_credentials (self, NULL, NULL, NULL);
  set_check_result (self, NULL, NULL);

  if (dossier_keyring_policy_source (environment) == DOSSIER_CREDENTIALS_SOURCE_SANDBOX)
    {
      /* the credentials the sandbox accepts, so a new user can upload at once */
      const DossierSandboxSample *sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (provider));

      if (sample == NULL)
        ;
      else if (sample->client_id != NULL)
        fill_credentials (self, NULL, sample->client_id, sample->client_secret);
      else
        fill_credentials (self, sample->secret, NULL, NULL);
      description = g_strdup (_("Filled in with the sandbox’s own credentials"));
    }
  else
    {
      dossier_secrets_load_async (dossier_provider_get_id (provider), environment->id,
                                  self->cancellable, on_credentials_loaded, self);
      if (auth->token_kind != DOSSIER_TOKEN_KIND_NONE)
        /* Translators: "Paste a Bearer token, or enter the Client ID and Secret key to get one" */
        description = g_strdup_printf (_("Paste a %s, or enter the %s and %s to get one. "
                                         "Kept in your keyring."),
                                       auth->secret_label, auth->client_id_label,
                                       auth->client_secret_label);
      else
        description = g_strdup_printf (_("The %s from %s’s dashboard. Kept in your keyring."),
                                       auth->secret_label, dossier_provider_get_name (provider));
    }

  adw_preferences_group_set_description (self->credentials_group, description);
  gtk_widget_set_visible (self->sandbox_account_button,
                          in_sandbox (self) && self->editors->len > 0);
  emit_changed (self);
}

static void
on_environment_selected (DossierProviderPage *self)
{
  DossierProvider *provider;
  guint position;
  const DossierEnvironment *environment;

  if (self->syncing || self->submission == NULL)
    return;

  provider = dossier_submission_get_provider (self->submission);
  position = adw_combo_row_get_selected (self->environment_row);
  if (position >= dossier_provider_get_n_environments (provider))
    return;

  environment = dossier_provider_get_environment (provider, position);
  if (g_strcmp0 (environment->id, dossier_submission_get_environment (self->submission)) == 0)
    return;

  dossier_submission_set_environment (self->submission, environment->id);
  environment_changed (self);
}

static void
on_base_url_changed (DossierProviderPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));

  if (self->submission == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->base_url_row)))
    return;

  dossier_submission_set_base_url (self->submission, *text != '\0' ? text : NULL);
  emit_changed (self);
}

static void
on_credential_changed (DossierProviderPage *self,
                       GtkEditable         *row)
{
  DossierCredentials *credentials;
  const char *text = gtk_editable_get_text (row);

  if (self->submission == NULL)
    return;

  credentials = dossier_submission_get_credentials (self->submission);
  if (credentials == NULL)
    return;

  if (row == GTK_EDITABLE (self->secret_row))
    dossier_credentials_set_secret (credentials, text);
  else if (row == GTK_EDITABLE (self->client_id_row))
    dossier_credentials_set_client_id (credentials, text);
  else
    dossier_credentials_set_client_secret (credentials, text);

  if (!self->syncing)
    {
      self->credentials_dirty = TRUE;
      set_check_result (self, NULL, NULL);
    }
  emit_changed (self);
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  DossierProviderPage *self;

  sentence = dossier_submission_check_credentials_finish (DOSSIER_SUBMISSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DOSSIER_PROVIDER_PAGE (user_data);
  gtk_spinner_stop (GTK_SPINNER (self->check_spinner));
  gtk_widget_set_visible (self->check_spinner, FALSE);
  gtk_widget_set_sensitive (self->check_button, TRUE);

  if (sentence != NULL)
    set_check_result (self, sentence, "success");
  else
    set_check_result (self, error->message, "error");
}

static void
on_check_clicked (DossierProviderPage *self)
{
  if (self->submission == NULL)
    return;

  gtk_widget_set_sensitive (self->check_button, FALSE);
  gtk_widget_set_visible (self->check_spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->check_spinner));
  adw_action_row_set_subtitle (self->check_row, _("Checking…"));
  dossier_submission_check_credentials_async (self->submission, self->cancellable,
                                              on_check_done, self);
}

static void
on_editor_value (DossierFieldEditor  *editor,
                 GParamSpec          *pspec,
                 DossierProviderPage *self)
{
  if (self->submission == NULL)
    return;

  dossier_submission_set_value (self->submission,
                                dossier_field_get_name (dossier_field_editor_get_field (editor)),
                                dossier_field_editor_get_value (editor));
  emit_changed (self);
}

static void
on_sandbox_account_clicked (DossierProviderPage *self)
{
  const DossierSandboxSample *sample;

  if (self->submission == NULL)
    return;

  sample = dossier_sandbox_lookup_sample (dossier_provider_get_id (dossier_submission_get_provider (self->submission)));
  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);
      const char *name = dossier_field_get_name (dossier_field_editor_get_field (editor));
      const char *value = dossier_sandbox_sample_lookup_value (sample, name);

      if (value != NULL)
        dossier_field_editor_set_value (editor, value);
    }
}

static void
clear_editors (DossierProviderPage *self)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);

      g_signal_handlers_disconnect_by_data (editor, self);
      adw_preferences_group_remove (self->account_group, dossier_field_editor_get_row (editor));
    }
  g_ptr_array_set_size (self->editors, 0);
}

static void
build_account_rows (DossierProviderPage *self)
{
  DossierProvider *provider = dossier_submission_get_provider (self->submission);
  GListModel *fields = dossier_provider_get_fields (provider);
  guint n = g_list_model_get_n_items (fields);

  clear_editors (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierField) field = g_list_model_get_item (fields, i);
      DossierFieldEditor *editor;
      const char *value;

      if (dossier_field_get_scope (field) != DOSSIER_FIELD_SCOPE_ACCOUNT)
        continue;

      editor = dossier_field_editor_new (field);
      g_ptr_array_add (self->editors, editor);
      adw_preferences_group_add (self->account_group, dossier_field_editor_get_row (editor));

      value = dossier_submission_get_value (self->submission, dossier_field_get_name (field));
      if (value == NULL)
        value = dossier_field_get_default_value (field);
      g_signal_connect (editor, "notify::value", G_CALLBACK (on_editor_value), self);
      dossier_field_editor_set_value (editor, value);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->account_group), self->editors->len > 0);
}

static void
on_check_toggled (GtkCheckButton      *check,
                  DossierProviderPage *self)
{
  DossierProvider *provider = g_object_get_data (G_OBJECT (check), "provider");

  if (self->syncing || !gtk_check_button_get_active (check))
    return;

  g_signal_emit (self, signals[SIGNAL_PROVIDER_ACTIVATED], 0, provider);
}

static GtkWidget *
create_provider_row (gpointer item,
                     gpointer user_data)
{
  DossierProviderPage *self = user_data;
  DossierProvider *provider = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dossier_provider_get_name (provider));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dossier_provider_get_description (provider));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, dossier_provider_get_name (provider),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, dossier_provider_get_description (provider),
                                  -1);
  if (self->first_check == NULL)
    self->first_check = GTK_CHECK_BUTTON (check);
  else
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->first_check);

  g_object_set_data_full (G_OBJECT (check), "provider", g_object_ref (provider), g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "provider-id",
                          g_strdup (dossier_provider_get_id (provider)), g_free);
  g_object_set_data (G_OBJECT (row), "check", check);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);

  return row;
}

static void
sync_provider_rows (DossierProviderPage *self)
{
  const char *id = NULL;

  if (self->submission != NULL)
    id = dossier_provider_get_id (dossier_submission_get_provider (self->submission));

  self->syncing = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->providers_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");

      if (check != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (row), "provider-id"), id) == 0)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    }
  self->syncing = FALSE;
}

void
dossier_provider_page_set_catalogue (DossierProviderPage *self,
                                     DossierCatalogue    *catalogue)
{
  g_return_if_fail (DOSSIER_IS_PROVIDER_PAGE (self));

  g_set_object (&self->catalogue, catalogue);
  self->first_check = NULL;
  gtk_list_box_bind_model (self->providers_list, G_LIST_MODEL (catalogue),
                           create_provider_row, self, NULL);
  sync_provider_rows (self);
}

/* The merchant combo row follows the submission's merchant */
static void
sync_merchant_row (DossierProviderPage *self)
{
  const char *id = self->submission != NULL ? dossier_submission_get_merchant_id (self->submission) : NULL;

  if (self->merchant_row == NULL)
    return;
  self->syncing = TRUE;
  adw_combo_row_set_selected (self->merchant_row, dossier_merchant_rows_position (self->merchant_ids, id));
  self->syncing = FALSE;
}

static void
fill_merchant_row (DossierProviderPage *self)
{
  g_autoptr(GtkStringList) names = dossier_merchant_rows_choices (self->merchant_store, self->merchant_ids);

  self->syncing = TRUE;
  adw_combo_row_set_model (self->merchant_row, G_LIST_MODEL (names));
  self->syncing = FALSE;
  sync_merchant_row (self);
}

/* A merchant chosen: its id on the submission, its account values in the
 * rows (what the record does not have stays as typed) */
static void
on_merchant_selected (DossierProviderPage *self)
{
  guint selected = adw_combo_row_get_selected (self->merchant_row);
  const char *id = dossier_merchant_rows_id_at (self->merchant_ids, selected);
  DossierMerchant *merchant = id != NULL ? dossier_merchant_store_lookup (self->merchant_store, id) : NULL;
  DossierProvider *provider;

  if (self->syncing || self->submission == NULL)
    return;
  dossier_submission_set_merchant_id (self->submission,
                                      merchant != NULL ? dossier_merchant_get_id (merchant) : NULL);
  provider = dossier_submission_get_provider (self->submission);
  for (guint i = 0; merchant != NULL && i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);
      const char *value = dossier_merchant_get_account_value (merchant, dossier_provider_get_id (provider),
                                                              dossier_field_get_name (dossier_field_editor_get_field (editor)));

      if (value != NULL)
        dossier_field_editor_set_value (editor, value);
    }
  emit_changed (self);
}

void
dossier_provider_page_set_merchant_store (DossierProviderPage  *self,
                                          DossierMerchantStore *store)
{
  g_return_if_fail (DOSSIER_IS_PROVIDER_PAGE (self));

  if (self->merchant_store != NULL)
    g_signal_handlers_disconnect_by_data (self->merchant_store, self);
  g_set_object (&self->merchant_store, store);
  if (store == NULL)
    return;

  if (self->merchant_row == NULL)
    {
      GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->account_group));

      /* first on the page: whose documents these are */
      self->merchant_row = dossier_merchant_rows_new_choice (box);
      g_signal_connect_swapped (self->merchant_row, "notify::selected", G_CALLBACK (on_merchant_selected), self);
    }
  g_signal_connect_swapped (store, "items-changed", G_CALLBACK (fill_merchant_row), self);
  fill_merchant_row (self);
}

AdwComboRow *
dossier_provider_page_get_merchant_row (DossierProviderPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), NULL);
  return self->merchant_row;
}

void
dossier_provider_page_set_submission (DossierProviderPage *self,
                                      DossierSubmission   *submission)
{
  DossierProvider *provider;
  const DossierAuthSpec *auth;
  g_autoptr(GtkStringList) names = NULL;
  guint n, selected = 0;

  g_return_if_fail (DOSSIER_IS_PROVIDER_PAGE (self));

  if (self->submission == submission)
    return;
  g_set_object (&self->submission, submission);
  sync_provider_rows (self);
  clear_editors (self);
  if (submission == NULL)
    return;

  provider = dossier_submission_get_provider (submission);
  auth = dossier_provider_get_auth (provider);

  /* environments */
  names = gtk_string_list_new (NULL);
  n = dossier_provider_get_n_environments (provider);
  for (guint i = 0; i < n; i++)
    {
      const DossierEnvironment *environment = dossier_provider_get_environment (provider, i);

      gtk_string_list_append (names, environment->name);
      if (g_strcmp0 (environment->id, dossier_submission_get_environment (submission)) == 0)
        selected = i;
    }
  self->syncing = TRUE;
  adw_combo_row_set_model (self->environment_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->environment_row, selected);
  self->syncing = FALSE;

  /* credentials, labelled as the provider's own documents call them */
  gtk_widget_set_visible (GTK_WIDGET (self->credentials_group),
                          auth->scheme != DOSSIER_AUTH_SCHEME_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), auth->secret_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->secret_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, auth->secret_label, -1);
  gtk_widget_set_visible (self->client_id_row, auth->token_kind != DOSSIER_TOKEN_KIND_NONE);
  gtk_widget_set_visible (self->client_secret_row, auth->token_kind != DOSSIER_TOKEN_KIND_NONE);
  if (auth->token_kind != DOSSIER_TOKEN_KIND_NONE)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_id_row), auth->client_id_label);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_secret_row),
                                     auth->client_secret_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->client_id_row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, auth->client_id_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->client_secret_row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, auth->client_secret_label, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->check_row),
                          auth->check_path != NULL || auth->token_kind != DOSSIER_TOKEN_KIND_NONE);

  build_account_rows (self);
  environment_changed (self);
  g_signal_connect_object (submission, "notify::merchant-id", G_CALLBACK (sync_merchant_row), self,
                           G_CONNECT_SWAPPED);
  sync_merchant_row (self);
}

/* Ready when the submission says so: the address, credentials and account
 * fields are core's to judge (dossier_submission_settings_ready()) */
gboolean
dossier_provider_page_is_ready (DossierProviderPage  *self,
                                char                **out_reason)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), FALSE);

  if (self->submission == NULL)
    {
      if (out_reason != NULL)
        *out_reason = g_strdup (_("Choose a provider"));
      return FALSE;
    }

  return dossier_submission_settings_ready (self->submission, out_reason);
}

static void
on_credentials_saved (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DossierProviderPage) self = user_data;

  if (!dossier_secrets_save_finish (result, &error))
    g_signal_emit (self, signals[SIGNAL_KEYRING_PROBLEM], 0, error->message);
}

/* Moving on: credentials go to the keyring as core's policy says (typed
 * ones for a real environment) */
void
dossier_provider_page_commit (DossierProviderPage *self)
{
  const DossierEnvironment *environment;

  g_return_if_fail (DOSSIER_IS_PROVIDER_PAGE (self));

  environment = current_environment (self);
  if (!dossier_keyring_policy_should_save (environment, self->credentials_dirty))
    return;

  self->credentials_dirty = FALSE;
  dossier_secrets_save_async (dossier_provider_get_id (dossier_submission_get_provider (self->submission)),
                              environment->id,
                              dossier_submission_get_credentials (self->submission),
                              NULL, on_credentials_saved, g_object_ref (self));
}

static void
dossier_provider_page_dispose (GObject *object)
{
  DossierProviderPage *self = DOSSIER_PROVIDER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->editors != NULL)
    {
      for (guint i = 0; i < self->editors->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->editors, i), self);
      g_clear_pointer (&self->editors, g_ptr_array_unref);
    }
  g_clear_object (&self->submission);
  g_clear_object (&self->catalogue);
  if (self->merchant_store != NULL)
    g_signal_handlers_disconnect_by_data (self->merchant_store, self);
  g_clear_object (&self->merchant_store);
  g_clear_pointer (&self->merchant_ids, g_ptr_array_unref);

  /* AdwBin owns the template's top widget: release it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_PROVIDER_PAGE);

  G_OBJECT_CLASS (dossier_provider_page_parent_class)->dispose (object);
}

static void
dossier_provider_page_class_init (DossierProviderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_provider_page_dispose;

  signals[SIGNAL_PROVIDER_ACTIVATED] =
    g_signal_new ("provider-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOSSIER_TYPE_PROVIDER);
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_KEYRING_PROBLEM] =
    g_signal_new ("keyring-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dossierapp/Dossier/dossier-provider-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, providers_list);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, environment_row);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, check_row);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, account_group);
  gtk_widget_class_bind_template_child (widget_class, DossierProviderPage, sandbox_account_button);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sandbox_account_clicked);
}

static void
dossier_provider_page_init (DossierProviderPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* the reveal buttons of the secrets, named as their tooltips */
  _dossier_gui_name_icon_buttons (self->secret_row);
  _dossier_gui_name_icon_buttons (self->client_secret_row);

  self->editors = g_ptr_array_new_with_free_func (g_object_unref);
  self->merchant_ids = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (environment_item_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (environment_item_bind), NULL);
  adw_combo_row_set_factory (self->environment_row, factory);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->environment_row), 0);
  g_signal_connect_swapped (self->environment_row, "notify::selected",
                            G_CALLBACK (on_environment_selected), self);
  g_signal_connect_swapped (self->base_url_row, "changed",
                            G_CALLBACK (on_base_url_changed), self);
  g_signal_connect_swapped (self->secret_row, "changed", G_CALLBACK (on_credential_changed), self);
  g_signal_connect_swapped (self->client_id_row, "changed", G_CALLBACK (on_credential_changed), self);
  g_signal_connect_swapped (self->client_secret_row, "changed", G_CALLBACK (on_credential_changed), self);
}

GtkWidget *
dossier_provider_page_get_provider_row (DossierProviderPage *self,
                                        const char          *provider_id)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->providers_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "provider-id"), provider_id) == 0)
      return row;

  return NULL;
}

AdwComboRow *
dossier_provider_page_get_environment_row (DossierProviderPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), NULL);
  return self->environment_row;
}

GtkEditable *
dossier_provider_page_get_secret_row (DossierProviderPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), NULL);
  return GTK_EDITABLE (self->secret_row);
}

GtkEditable *
dossier_provider_page_get_client_id_row (DossierProviderPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), NULL);
  return GTK_EDITABLE (self->client_id_row);
}

DossierFieldEditor *
dossier_provider_page_get_editor (DossierProviderPage *self,
                                  const char          *name)
{
  g_return_val_if_fail (DOSSIER_IS_PROVIDER_PAGE (self), NULL);

  for (guint i = 0; i < self->editors->len; i++)
    {
      DossierFieldEditor *editor = g_ptr_array_index (self->editors, i);

      if (g_strcmp0 (dossier_field_get_name (dossier_field_editor_get_field (editor)), name) == 0)
        return editor;
    }

  return NULL;
}
