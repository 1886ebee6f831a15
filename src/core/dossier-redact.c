/* dossier-redact.c: the one place where secrets are masked
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DossierRedact holds the secrets of a job (keys, tokens, client
 * secrets, the Authorization header values sent) and masks them in what
 * goes to people or to disk. The rule:
 *
 * - A secret is never written anywhere on its own: it only travels in a
 *   request header. What is masked is what a provider (or the user) puts
 *   back into a text.
 * - Prose (a provider's message, an error, a problem shown to the clerk):
 *   a text that is exactly a known credential is replaced as a whole,
 *   whatever its length; inside a longer text, only exact occurrences of
 *   secrets of at least DOSSIER_REDACT_MIN_LENGTH (8) bytes are replaced.
 *   Tokens and keys are longer than that. A shorter secret is not looked
 *   for inside text: replacing every "t" of a message destroys it and the
 *   masked letters spell the secret.
 * - Data (remote ids, links, request ids, codes, file names): never altered
 *   by a short secret, not even when the whole value equals it (an id "t"
 *   is an id). A secret of 8 bytes or more inside data is masked all the
 *   same: a link or id that carries the key is itself a credential, and a
 *   key never reaches the history or a terminal.
 * - Longer secrets are replaced first ("Bearer KEY" before "KEY").
 * - One placeholder everywhere: DOSSIER_REDACT_PLACEHOLDER, "[hidden]".
 *
 * The secrets are wiped from memory when freed. A DossierRedact may be
 * filled and applied from several threads.
 */

#include "config.h"

#include <string.h>

#include "dossier-redact.h"

struct _DossierRedact
{
  GMutex     lock;
  GPtrArray *secrets;   /* char *, longest first, no duplicates */
};

static void
wipe_free (gpointer data)
{
  char *str = data;

  if (str == NULL)
    return;
  memset (str, 0, strlen (str));
  g_free (str);
}

DossierRedact *
dossier_redact_new (void)
{
  DossierRedact *self = g_new0 (DossierRedact, 1);

  g_mutex_init (&self->lock);
  self->secrets = g_ptr_array_new_with_free_func (wipe_free);
  return self;
}

void
dossier_redact_free (DossierRedact *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->secrets);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * dossier_redact_add:
 * @secret: (nullable): a credential; %NULL or "" is ignored
 */
void
dossier_redact_add (DossierRedact *self,
                    const char    *secret)
{
  gsize len;
  guint at;

  g_return_if_fail (self != NULL);

  if (secret == NULL || *secret == '\0')
    return;

  len = strlen (secret);
  g_mutex_lock (&self->lock);
  for (at = 0; at < self->secrets->len; at++)
    {
      const char *known = g_ptr_array_index (self->secrets, at);

      if (strcmp (known, secret) == 0)
        {
          g_mutex_unlock (&self->lock);
          return;
        }
      if (strlen (known) < len)
        break;
    }
  g_ptr_array_insert (self->secrets, at, g_strdup (secret));
  g_mutex_unlock (&self->lock);
}

/**
 * dossier_redact_add_header_value:
 * @value: (nullable): an Authorization (or API key) header value
 *
 * Adds the whole value and, for "Scheme CREDENTIAL", the credential.
 */
void
dossier_redact_add_header_value (DossierRedact *self,
                                 const char    *value)
{
  const char *space;

  g_return_if_fail (self != NULL);

  if (value == NULL)
    return;

  dossier_redact_add (self, value);
  space = strchr (value, ' ');
  if (space != NULL)
    {
      while (*space == ' ')
        space++;
      dossier_redact_add (self, space);
    }
}

void
dossier_redact_add_strv (DossierRedact      *self,
                         const char * const *secrets)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    dossier_redact_add (self, secrets[i]);
}

gboolean
dossier_redact_is_empty (DossierRedact *self)
{
  gboolean empty;

  g_return_val_if_fail (self != NULL, TRUE);

  g_mutex_lock (&self->lock);
  empty = self->secrets->len == 0;
  g_mutex_unlock (&self->lock);
  return empty;
}

static char *
apply (DossierRedact *self,
       const char    *text,
       gboolean       prose)
{
  GString *out;

  if (text == NULL)
    return NULL;

  g_mutex_lock (&self->lock);

  if (prose)
    for (guint i = 0; i < self->secrets->len; i++)
      if (strcmp (text, g_ptr_array_index (self->secrets, i)) == 0)
        {
          g_mutex_unlock (&self->lock);
          return g_strdup (DOSSIER_REDACT_PLACEHOLDER);
        }

  out = g_string_new (text);
  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);

      if (strlen (secret) >= DOSSIER_REDACT_MIN_LENGTH)
        g_string_replace (out, secret, DOSSIER_REDACT_PLACEHOLDER, 0);
    }

  g_mutex_unlock (&self->lock);
  return g_string_free (out, FALSE);
}

/**
 * dossier_redact_apply:
 * @text: (nullable): prose: a message, an error
 *
 * Returns: (transfer full) (nullable): @text with the secrets masked
 */
char *
dossier_redact_apply (DossierRedact *self,
                      const char    *text)
{
  g_return_val_if_fail (self != NULL, NULL);

  return apply (self, text, TRUE);
}

/**
 * dossier_redact_apply_data:
 * @text: (nullable): data: an id, a link, a code, a file name
 *
 * Returns: (transfer full) (nullable): @text with the secrets of
 *   DOSSIER_REDACT_MIN_LENGTH bytes or more masked
 */
char *
dossier_redact_apply_data (DossierRedact *self,
                           const char    *text)
{
  g_return_val_if_fail (self != NULL, NULL);

  return apply (self, text, FALSE);
}

static void
scrub (DossierRedact  *self,
       char          **text,
       gboolean        prose)
{
  char *safe;

  if (text == NULL || *text == NULL)
    return;

  safe = apply (self, *text, prose);
  if (strcmp (safe, *text) == 0)
    {
      wipe_free (safe);
      return;
    }
  wipe_free (*text);
  *text = safe;
}

/* In place; what is replaced is wiped */
void
dossier_redact_scrub (DossierRedact  *self,
                      char          **text)
{
  g_return_if_fail (self != NULL);

  scrub (self, text, TRUE);
}

void
dossier_redact_scrub_data (DossierRedact  *self,
                           char          **text)
{
  g_return_if_fail (self != NULL);

  scrub (self, text, FALSE);
}
