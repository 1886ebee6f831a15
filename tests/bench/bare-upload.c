/* bare-upload.c: a file handed to libsoup as the request body, nothing more
 *
 * Copyright 2026 The Dossier developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bare-upload URL FILE [CA_FILE]: POSTs FILE's stream (Content-Length,
 * application/octet-stream) with one SoupSession, trusting CA_FILE when
 * given, and prints the status and the answer (and on stderr the HTTP
 * version libsoup negotiated). BARE_BYTES=1: the file loaded into memory
 * and handed over as GBytes instead. build-aux/benchmark.sh
 * times it beside dossier-cli: the floor libsoup itself sets.
 */

#include <libsoup/soup.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (argc < 3)
    {
      g_printerr ("Usage: %s URL FILE [CA_FILE]\n", argv[0]);
      return 2;
    }
  if (argc > 3)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (argv[3], &error);

      if (database == NULL)
        g_error ("%s", error->message);
      soup_session_set_tls_database (session, database);
    }

  file = g_file_new_for_commandline_arg (argv[2]);
  stream = g_file_read (file, NULL, &error);
  info = stream ? g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &error) : NULL;
  if (info == NULL)
    g_error ("%s", error->message);

  msg = soup_message_new ("POST", argv[1]);
  if (g_strcmp0 (g_getenv ("BARE_BYTES"), "1") == 0)
    {
      /* the whole file in memory as GBytes: does libsoup write it in larger
       * pieces? (no: the same 8 KiB splice on HTTP/1) */
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);

      if (bytes == NULL)
        g_error ("%s", error->message);
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
    }
  else
    soup_message_set_request_body (msg, "application/octet-stream", G_INPUT_STREAM (stream),
                                   g_file_info_get_size (info));
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    g_error ("%s", error->message);
  /* the protocol ALPN gave (build-aux/benchmark.sh also checks nginx's log) */
  g_printerr ("bare-upload: %s\n",
              soup_message_get_http_version (msg) == SOUP_HTTP_2_0 ? "HTTP/2" : "HTTP/1.x");
  g_print ("%u %.*s\n", soup_message_get_status (msg),
           (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  return soup_message_get_status (msg) == 201 ? 0 : 1;
}
