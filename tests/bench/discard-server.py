#!/usr/bin/env python3
# discard-server.py: an upload endpoint that reads the body and drops it
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: discard-server.py [--cert CERT --key KEY]
#
# For build-aux/benchmark.sh: listens on a free port of 127.0.0.1 (over TLS
# with --cert/--key, HTTP/1.1 either way), prints "Listening on URL", and
# answers every POST, once its body (Content-Length or chunked) has been
# read and dropped -- no hashing, no disk -- with 201 and
# {"id": "discard-N", "received": BYTES}, also printed as a line "discard-N
# BYTES" on stdout. So the client is what is measured.

import argparse
import itertools
import json
import socket
import socketserver
import ssl
import sys

BUFFER = 1 << 20
counter = itertools.count(1)


class Handler(socketserver.BaseRequestHandler):
    def read_line(self):
        while b"\r\n" not in self.pending:
            data = self.request.recv(65536)
            if not data:
                raise EOFError
            self.pending += data
        line, _, self.pending = self.pending.partition(b"\r\n")
        return line

    def discard(self, length):
        """Drops @length bytes; returns how many came"""
        got = min(len(self.pending), length)
        self.pending = self.pending[got:]
        view = memoryview(bytearray(BUFFER))
        while got < length:
            n = self.request.recv_into(view, min(BUFFER, length - got))
            if n == 0:
                raise EOFError
            got += n
        return got

    def handle(self):
        self.pending = b""
        try:
            while True:
                request = self.read_line()
                if not request:
                    continue
                headers = {}
                while True:
                    line = self.read_line()
                    if not line:
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                received = 0
                if headers.get("expect", "").lower() == "100-continue":
                    self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                if "chunked" in headers.get("transfer-encoding", "").lower():
                    while True:
                        size = int(self.read_line().split(b";")[0], 16)
                        if size == 0:
                            while self.read_line():
                                pass
                            break
                        received += self.discard(size)
                        self.read_line()
                else:
                    received = self.discard(int(headers.get("content-length", "0")))
                answer_id = "discard-%d" % next(counter)
                body = json.dumps({"id": answer_id, "received": received}).encode()
                # for the benchmark, which cannot see every client's answer
                print("%s %d" % (answer_id, received), flush=True)
                close = headers.get("connection", "").lower() == "close"
                self.request.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: %d\r\n%s\r\n" % (len(body), b"Connection: close\r\n" if close else b"")
                                     + body)
                if close:
                    return
        except (EOFError, ConnectionError, ssl.SSLError):
            return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, context):
        self.context = context
        super().__init__(("127.0.0.1", 0), Handler)

    def get_request(self):
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.context is not None:
            sock = self.context.wrap_socket(sock, server_side=True)
        return sock, address


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        context.set_alpn_protocols(["http/1.1"])
    server = Server(context)
    scheme = "https" if context else "http"
    print("Listening on %s://127.0.0.1:%d" % (scheme, server.server_address[1]), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
