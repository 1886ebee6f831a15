/* dossier-checklist-match.c: a checklist in numbers, and the item a dropped file's name points at
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file dropped on a merchant's page goes to the item its name points
 * at: the words of the name (accents and case folded) against the item's
 * keywords, which are descriptor data (the item's own "keywords", then the
 * keywords of the choices its upload makes: DOKU's code KTP has "ktp").
 * Only items that still need a file take one; when two items fit as well,
 * none is chosen and the clerk is asked.
 */

#include "config.h"

#include <string.h>

#include "dossier-checklist-private.h"

void
dossier_checklist_get_summary (DossierChecklist        *self,
                               DossierChecklistSummary *out)
{
  GBytes *answer, *files;
  gint64 asked_at = 0;

  g_return_if_fail (DOSSIER_IS_CHECKLIST (self));
  g_return_if_fail (out != NULL);

  *out = (DossierChecklistSummary) { 0 };
  out->missing = dossier_checklist_count (self, DOSSIER_CHECKLIST_STATE_MISSING);
  out->rejected = dossier_checklist_count (self, DOSSIER_CHECKLIST_STATE_REJECTED);
  out->pending = dossier_checklist_count (self, DOSSIER_CHECKLIST_STATE_UPLOADED);
  out->accepted = dossier_checklist_count (self, DOSSIER_CHECKLIST_STATE_ACCEPTED);
  out->expired = dossier_checklist_count (self, DOSSIER_CHECKLIST_STATE_EXPIRED);
  if (_dossier_checklist_get_answers (self, &answer, &files, &asked_at))
    out->checked_at = asked_at;
  else
    out->checked_at = _dossier_checklist_get_computed_at (self);
}

/* The words of @text: runs of letters and digits, accents and case folded */
static GPtrArray *
words_of (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folded = dossier_merchant_fold_for_search (text);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return words;
}

static gboolean
has_word (GPtrArray  *words,
          const char *word)
{
  for (guint i = 0; i < words->len; i++)
    if (g_str_equal (g_ptr_array_index (words, i), word))
      return TRUE;
  return FALSE;
}

/* How many words of @keyword the name has, 0 unless it has them all */
static guint
score_keyword (GPtrArray  *name_words,
               const char *keyword)
{
  g_autoptr(GPtrArray) words = words_of (keyword);

  for (guint i = 0; i < words->len; i++)
    if (!has_word (name_words, g_ptr_array_index (words, i)))
      return 0;
  return words->len;
}

static gboolean
takes_a_file (DossierChecklistItem *item)
{
  switch (item->state)
    {
    case DOSSIER_CHECKLIST_STATE_MISSING:
    case DOSSIER_CHECKLIST_STATE_REJECTED:
    case DOSSIER_CHECKLIST_STATE_EXPIRED:
      return TRUE;
    case DOSSIER_CHECKLIST_STATE_UPLOADED:
    case DOSSIER_CHECKLIST_STATE_ACCEPTED:
    default:
      return FALSE;
    }
}

/**
 * dossier_checklist_match_file:
 * @file_name: a file's name ("KTP Budi.jpg"); its extension is not read
 *
 * The item still needing a file (missing, rejected or expired) whose
 * keywords the name has: the longest keyword met wins; a tie between two
 * items, or no keyword met, is no match.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL
 */
DossierChecklistItem *
dossier_checklist_match_file (DossierChecklist *self,
                              const char       *file_name)
{
  g_autoptr(GPtrArray) name_words = NULL;
  g_autofree char *stem = NULL;
  DossierChecklistItem *best = NULL;
  guint best_score = 0;
  gboolean tie = FALSE;
  const char *dot;
  guint n;

  g_return_val_if_fail (DOSSIER_IS_CHECKLIST (self), NULL);

  if (file_name == NULL)
    return NULL;
  dot = strrchr (file_name, '.');
  stem = dot != NULL && dot != file_name ? g_strndup (file_name, dot - file_name) : g_strdup (file_name);
  name_words = words_of (stem);

  n = g_list_model_get_n_items (G_LIST_MODEL (self));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DossierChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (self), i);
      const char * const *keywords = dossier_checklist_item_get_keywords (item);
      guint score = 0;

      if (!takes_a_file (item))
        continue;
      for (guint k = 0; keywords[k] != NULL; k++)
        score = MAX (score, score_keyword (name_words, keywords[k]));
      if (score == 0 || score < best_score)
        continue;
      if (score == best_score)
        {
          tie = TRUE;
          continue;
        }
      best = item;
      best_score = score;
      tie = FALSE;
    }

  return best != NULL && !tie ? g_object_ref (best) : NULL;
}
