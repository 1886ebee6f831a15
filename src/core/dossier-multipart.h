/* dossier-multipart.h: a streaming multipart/form-data request body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOSSIER_TYPE_MULTIPART (dossier_multipart_get_type ())

G_DECLARE_FINAL_TYPE (DossierMultipart, dossier_multipart, DOSSIER, MULTIPART, GObject)

DossierMultipart *dossier_multipart_new               (void);
DossierMultipart *dossier_multipart_new_with_boundary (const char        *boundary);
void              dossier_multipart_add_field         (DossierMultipart  *self,
                                                       const char        *name,
                                                       const char        *value);
void              dossier_multipart_add_file          (DossierMultipart  *self,
                                                       const char        *name,
                                                       GFile             *file,
                                                       const char        *filename,
                                                       const char        *content_type,
                                                       goffset            offset,
                                                       goffset            length);
const char       *dossier_multipart_get_boundary      (DossierMultipart  *self);
const char       *dossier_multipart_get_content_type  (DossierMultipart  *self);
goffset           dossier_multipart_get_length        (DossierMultipart  *self,
                                                       GError           **error);
GInputStream     *dossier_multipart_open              (DossierMultipart  *self,
                                                       GCancellable      *cancellable,
                                                       GError           **error);
char             *dossier_multipart_escape_value      (const char        *value);

G_END_DECLS
