/* dossier-merchant-store-private.h: what the store's files share
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/stat.h>

#include "dossier-merchant-private.h"
#include "dossier-merchant-store.h"

G_BEGIN_DECLS

#define FILE_NAME         "merchants.jsonl"
#define REMOVED_FILE_NAME "merchants-removed.jsonl"
#define LOCK_FILE_NAME    "merchants.lock"

/* A temporary file older than this is a left-over of a crash */
#define STALE_TEMPORARY_SECONDS (60 * 60)

/* A record's line as this process last read or wrote it: its text while
 * the record is unchanged, and the version a save merges against */
typedef struct
{
  DossierMerchant *merchant;    /* the object @line was read into or written
                                 * from (a reference): a change count is only
                                 * meaningful for one object */
  guint            generation;  /* of @merchant when @line was its text */
  gboolean         reusable;    /* @line is @merchant's text at @generation
                                 * (not when the load left something out) */
  char            *line;
} CachedLine;

/* A line written back as it is (damaged, newer, a second copy) */
typedef struct
{
  char *id;     /* (nullable): the merchant's id, when the line names one */
  char *line;
} KeptLine;

/* What a load read */
typedef struct
{
  GPtrArray  *items;      /* DossierMerchant, sorted */
  GPtrArray  *kept;       /* KeptLine: lines written back as they are */
  GHashTable *cache;      /* id -> CachedLine */
  GPtrArray  *problems;   /* GError */
  gboolean    exists;
  struct stat st;
} Loaded;

struct _DossierMerchantStore
{
  GObject           parent_instance;

  DossierCatalogue *catalogue;
  char             *directory;
  char             *path;
  GPtrArray        *items;      /* DossierMerchant, sorted */
  GHashTable       *by_id;      /* id -> DossierMerchant (owned by items) */
  GPtrArray        *problems;   /* GError, "file, line N: what is wrong" */
  GPtrArray        *kept;       /* KeptLine: damaged, newer or second lines */
  GHashTable       *cache;      /* id -> CachedLine: each record's line as
                                 * last read or written */
  gboolean          exists;     /* the file existed at the last load or save */
  struct stat       st;         /* and was this one */
  guint             serial;     /* counts what the list took from the file
                                 * (loads, saves): a read begun before is old */
  guint             n_loading;  /* reads running on a worker */
  gboolean          loaded;     /* the list holds a read of the file */
  GError           *load_error; /* why the last read failed, until one works */
};

/* dossier-merchant-store.c */
/* What @loaded read becomes the store's (the main thread) */
void        _dossier_merchant_store_take_loaded      (DossierMerchantStore  *self,
                                                      Loaded                *loaded);
/* A read ended: @error (nullable) says why it failed */
void        _dossier_merchant_store_set_load_result  (DossierMerchantStore  *self,
                                                      const GError          *error);
/* One more read on a worker (@delta 1), or one less (-1): "loading" follows */
void        _dossier_merchant_store_count_loading    (DossierMerchantStore  *self,
                                                      int                    delta);

/* dossier-merchant-store-file.c */
GHashTable *_dossier_merchant_store_new_cache        (void);
/* @line is @merchant's text when @reusable, else only the version read */
void        _dossier_merchant_store_cache_line       (GHashTable            *cache,
                                                      DossierMerchant       *merchant,
                                                      char                  *line,
                                                      gboolean               reusable);
GPtrArray  *_dossier_merchant_store_new_kept         (void);
void        _dossier_merchant_store_loaded_clear     (Loaded                *loaded);
/* Reads the file into @loaded; FALSE only when it exists and cannot be read */
gboolean    _dossier_merchant_store_load_file        (DossierMerchantStore  *self,
                                                      Loaded                *loaded,
                                                      GError               **error);
void        _dossier_merchant_store_remove_stale_temporaries (DossierMerchantStore *self);
/* @directory made if missing, 0700 */
gboolean    _dossier_merchant_store_ensure_directory (const char            *directory,
                                                      GError               **error);
/* @text replaces the file, atomically */
gboolean    _dossier_merchant_store_write_file       (DossierMerchantStore  *self,
                                                      const char            *text,
                                                      gsize                  length,
                                                      GError               **error);
/* Appends @line to the removed merchants' file, synced */
gboolean    _dossier_merchant_store_append_removed   (DossierMerchantStore  *self,
                                                      const char            *line,
                                                      GError               **error);
/* The record's text, from the cache when it has not changed */
char       *_dossier_merchant_store_dup_line         (DossierMerchantStore  *self,
                                                      DossierMerchant       *merchant);
/* The file changed since the store read or wrote it (another process) */
gboolean    _dossier_merchant_store_changed_on_disk  (DossierMerchantStore  *self);
/* Takes the store's lock (merchants.lock): a file descriptor to close, or
 * -1 with @error */
int         _dossier_merchant_store_lock             (DossierMerchantStore  *self,
                                                      GError               **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loaded, _dossier_merchant_store_loaded_clear)

G_END_DECLS
