/* dossier-gui-test-util.h: what the GUI tests share: running the main loop, finding widgets, screenshots
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dossier-application.h"
#include "dossier-sandbox.h"
#include "dossier-window-private.h"

G_BEGIN_DECLS

/* only against hanging forever: generous, so a loaded machine never meets it */
#define DOSSIER_GUI_TEST_TIMEOUT_SECONDS 60

/* Runs what is pending on the default main context, a little */
void dossier_gui_test_iterate  (void);

/* Runs the main loop until EXPR holds, failing after the timeout */
#define DOSSIER_GUI_TEST_WAIT_UNTIL(expr)                                   \
  G_STMT_START {                                                            \
    gint64 end_ = g_get_monotonic_time ()                                   \
                  + DOSSIER_GUI_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;      \
    while (!(expr))                                                         \
      {                                                                     \
        if (g_get_monotonic_time () > end_)                                 \
          {                                                                 \
            g_test_message ("timed out waiting for: %s", #expr);            \
            g_assert_not_reached ();                                        \
          }                                                                 \
        dossier_gui_test_iterate ();                                        \
      }                                                                     \
  } G_STMT_END

/* The widgets of @type below @widget (itself included) that are mapped
 * (@mapped) or visible with all their parents, into @found */
void dossier_gui_test_collect  (GtkWidget  *widget,
                                GType       type,
                                gboolean    mapped,
                                GPtrArray  *found);
/* Renders @window, as it is drawn once settled, into a PNG at @path */
void dossier_gui_test_save_png (GtkWidget  *window,
                                const char *path);

/* The window of @app at @width x @height, mapped, on the upload flow
 * (it opens on the merchants) */
DossierWindow *dossier_gui_test_open_window     (DossierApplication *app,
                                                 int                 width,
                                                 int                 height);
void           dossier_gui_test_close_window    (DossierWindow      *window);
/* Provider @id chosen as a click does, in the sandbox environment */
void           dossier_gui_test_choose_provider (DossierWindow      *window,
                                                 const char         *id);
/* Next clicked once it can be, landing on @expected */
void           dossier_gui_test_go_next         (DossierWindow      *window,
                                                 DossierStep         expected);
/* The upload of @submission shown as @display_name, or NULL */
DossierUpload *dossier_gui_test_find_upload     (DossierSubmission  *submission,
                                                 const char         *display_name);

/* What a test of a merchant's page against the sandbox sets up first, in
 * main(): a scratch state folder named after @tmpl (XDG_STATE_HOME, into
 * @scratch), the C.UTF-8 locale, GTK and libadwaita, the sandbox on a
 * thread of its own and the built-in providers */
void           dossier_gui_test_init_with_sandbox (int                *argc,
                                                   char             ***argv,
                                                   const char         *tmpl,
                                                   char              **scratch,
                                                   DossierSandbox    **sandbox,
                                                   DossierCatalogue  **catalogue);
/* Undoes it, the scratch folder removed */
void           dossier_gui_test_clear_sandbox     (char              **scratch,
                                                   DossierSandbox    **sandbox,
                                                   DossierCatalogue  **catalogue);

G_END_DECLS
