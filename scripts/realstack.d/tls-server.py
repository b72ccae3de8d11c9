#!/usr/bin/env python3
"""The real stack's TLS endpoint (scripts/realstack): HTTPS on 127.0.0.1, answering
"ok" to every GET, for the blackbox exporter to probe.

    tls-server.py PORT CERTIFICATE KEY

It reads CERTIFICATE and KEY again at the first handshake after either file changed
(their mtimes), as a server with a reload hook would: a renewal that replaces the file
is served from the next connection on, without a restart. A pair that does not load
(a file half written) leaves the last good one in service until the next change.
"""
import http.server
import os
import ssl
import sys
import threading


class ServedCertificate:
    def __init__(self, certificate, key):
        self.certificate = certificate
        self.key = key
        self.lock = threading.Lock()
        self.stamp = None
        self.context = None

    def current(self):
        try:
            stamp = (os.stat(self.certificate).st_mtime_ns, os.stat(self.key).st_mtime_ns)
        except OSError as e:
            print(f"tls-server: {e}; serving the last certificate loaded", file=sys.stderr, flush=True)
            return self.context
        with self.lock:
            if stamp != self.stamp:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                try:
                    context.load_cert_chain(self.certificate, self.key)
                except (OSError, ssl.SSLError) as e:
                    print(f"tls-server: cannot load {self.certificate}: {e}; serving the last one loaded",
                          file=sys.stderr, flush=True)
                    return self.context
                self.context, self.stamp = context, stamp
                print(f"tls-server: serving {self.certificate} (mtime {stamp[0]})", file=sys.stderr, flush=True)
            return self.context


class Handler(http.server.BaseHTTPRequestHandler):
    def setup(self):
        self.request.settimeout(5)
        self.request.do_handshake()
        super().setup()

    def do_GET(self):
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, served):
        self.served = served
        super().__init__(address, Handler)

    def get_request(self):
        sock, address = super().get_request()
        context = self.served.current()
        if context is None:
            sock.close()
            raise OSError("no certificate loaded yet")
        return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        # A client that gives up mid-handshake is no news; say it in one line.
        print(f"tls-server: {client_address[0]}: {sys.exc_info()[1]}", file=sys.stderr, flush=True)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: tls-server.py PORT CERTIFICATE KEY")
    served = ServedCertificate(sys.argv[2], sys.argv[3])
    if served.current() is None:
        sys.exit(f"tls-server: {sys.argv[2]} and {sys.argv[3]} do not load")
    Server(("127.0.0.1", int(sys.argv[1])), served).serve_forever()


if __name__ == "__main__":
    main()
