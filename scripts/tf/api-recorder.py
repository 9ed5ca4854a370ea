#!/usr/bin/env python3
"""Loopback HTTP server that records every request and answers 404 (Databricks error shape).

Used by validate-stacks.sh --record-api as DATABRICKS_HOST, to prove which Terraform steps call the
Databricks API. Listens on 127.0.0.1 only.

Usage: api-recorder.py PORT_FILE LOG_FILE
  Binds an ephemeral port, writes it to PORT_FILE, appends one JSON line per request to LOG_FILE.
"""
import http.server
import json
import sys


def main() -> None:
    port_file, log_file = sys.argv[1], sys.argv[2]

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode(errors="replace") if length else ""
            with open(log_file, "a", encoding="utf-8") as log:
                log.write(json.dumps({"method": self.command, "path": self.path, "body": body[:500]}) + "\n")
            payload = b'{"error_code":"NOT_FOUND","message":"api-recorder: no API calls expected"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _record

        def log_message(self, *args) -> None:  # keep stderr quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file, "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
