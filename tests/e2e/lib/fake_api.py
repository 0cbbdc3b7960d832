#!/usr/bin/env python3
"""A scripted stand-in for backupd's API, for backupctl's protocol edge cases the real daemon
never produces on demand: a redirect, a listing cursor repeated forever, 429/503 while a job
runs, and job progress that advances only when the test says so (cli_progress_test.sh reads
the screen at each step, so nothing depends on the machine's speed).

Listens on [::1] (so every request also tests backupctl's IPv6 Host header). Writes its port to
PORT_FILE; appends each request's "METHOD PATH Host" to WORK/requests; job 7's progress is read
from WORK/step ("FILES_DONE STATE", default "0 running") at each GET.
  usage: fake_api.py PORT_FILE WORK
"""
import json
import os
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT_FILE, WORK = sys.argv[1], sys.argv[2]
busy_left = {"5": 2}  # job 5 answers 503 then 429 before its 200


def job(job_id, folder, done, total, state):
    return {"id": job_id, "kind": "backup" if job_id != 5 else "verify", "folder": folder,
            "state": state, "files_total": total, "files_copied": done, "files_linked": 0,
            "bytes_total": total * 64, "bytes_copied": done * 64, "error": None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=None, headers=()):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        with open(WORK + "/requests", "a") as log:
            log.write(f"{self.command} {self.path} {self.headers.get('Host')}\n")

    def do_POST(self):
        self.record()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path == "/api/v1/backups":
            self.answer(202, {"batch": "b1", "jobs": [job(7, "big", 0, 100, "queued"),
                                                      job(8, "small", 0, 1, "queued")]})
        elif self.path == "/api/v1/snapshots/5/verify":
            self.answer(202, job(5, "photos", 0, 1, "queued"))
        else:
            self.answer(404, {"error": {"code": "not_found", "message": "fake: " + self.path}})

    def do_GET(self):
        self.record()
        if self.path.startswith("/moved/"):
            self.answer(308, None, [("Location", "https://elsewhere.example/")])
        elif self.path == "/api/v1/stats":
            self.answer(200, {"host": self.headers.get("Host")})
        elif self.path.startswith("/api/v1/snapshots/1/files"):
            self.answer(200, {"entries": [{"name": "a", "type": "file", "mode": 420, "size": 1,
                                           "mtime": "-"}], "next": "same-cursor"})
        elif self.path == "/api/v1/jobs/5":
            if busy_left["5"] > 0:
                busy_left["5"] -= 1
                status = 503 if busy_left["5"] == 1 else 429
                self.answer(status, {"error": {"code": "busy", "message": "fake busy"}},
                            [("Retry-After", "1")])
            else:
                self.answer(200, job(5, "photos", 1, 1, "succeeded"))
        elif self.path == "/api/v1/jobs/7":
            try:
                with open(WORK + "/step") as step:
                    done, state = step.read().split()
            except (OSError, ValueError):
                done, state = "0", "running"
            self.answer(200, job(7, "big", int(done), 100, state))
        elif self.path == "/api/v1/jobs/8":
            self.answer(200, job(8, "small", 1, 1, "succeeded"))
        else:
            self.answer(404, {"error": {"code": "not_found", "message": "fake: " + self.path}})


class Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


server = Server(("::1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as out:
    out.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
