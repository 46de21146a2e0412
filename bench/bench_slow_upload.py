"""What one slow upload does to everyone else, at a given number of processes × threads.

    uv run python bench/bench_slow_upload.py [--workers <cores>] [--seconds 8]

granian hands a request to a Python thread as soon as its headers arrive; the thread then waits in
`wsgi.input` for the body. A parent on a weak mobile connection sending a complaint photo (the
service accepts up to 20 MB) holds a thread for as long as the upload takes. This bench runs the
bare constant view (bench/urls.py) under `wrk -c4` twice on the same server: alone, and while one
client uploads 400 KB at 25 KB/s (16 s, longer than the measurement) to a view that reads the
body — for one thread per process and for four (decision 0022). Each request opens its own connection
(`Connection: close`), as phones arriving one after another do, so where the server puts new
connections shows: a connection put on a process whose only thread waits for the upload waits too.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/jianfu-bench-upload.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")

import bench.bench_public_page as page  # noqa: E402  (its server and wrk helpers)

BODY_BYTES, RATE = 400_000, 25_000  # bytes, bytes a second


def slow_upload(stop: threading.Event) -> None:
    """POST BODY_BYTES to /bench/upload/ at RATE bytes a second (until done or stopped)."""
    with socket.create_connection(("127.0.0.1", page.PORT)) as s:
        s.sendall(
            (
                "POST /bench/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/octet-stream\r\nContent-Length: {BODY_BYTES}\r\n\r\n"
            ).encode()
        )
        chunk = b"x" * (RATE // 10)
        sent = 0
        while sent < BODY_BYTES and not stop.is_set():
            s.sendall(chunk)
            sent += len(chunk)
            time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    bare = f"http://127.0.0.1:{page.PORT}/bench/bare/"
    print(
        f"bare constant view under wrk -t1 -c{page.CONNECTIONS} -d{args.seconds}s; granian WSGI "
        f"{args.workers} worker(s); one upload of {BODY_BYTES // 1000} KB at {RATE // 1000} KB/s beside it"
    )
    print(f"{'server':<22} {'upload':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>9} {'answered':>10}")
    for threads in (1, 4):
        page.WORKERS, page.THREADS = args.workers, threads
        server = page.serve("locmem")
        try:
            page.wrk(bare, 2)
            for label in ("none", "one"):
                stop = threading.Event()
                uploader = threading.Thread(target=slow_upload, args=(stop,))
                if label == "one":
                    uploader.start()
                    time.sleep(0.5)  # its headers are in: a thread has taken it
                r = page.wrk(bare, args.seconds, headers=("Connection: close",))
                stop.set()
                if label == "one":
                    uploader.join()
                print(
                    f"{args.workers} x {threads} thread(s){'':<9} {label:<8} {r['rps']:>9,.0f} "
                    f"{r['p50']:>8.2f} {r['p99']:>9.2f} {r['answered']:>10,.0f}"
                )
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
