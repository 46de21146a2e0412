"""Nothing lost when a worker dies: family reports sent while the server's worker processes are SIGKILLed.

    uv run python bench/bench_worker_kill.py [--engine sqlite|postgresql] [--reports 1000] [--kills 10]
        [--clients 6] [--workers 2] [--threads 4] [--server jianfu|respawn]
    uv run python bench/bench_worker_kill.py --reports 100 --kills 3        # the short run (CI-sized)

What it does (issue 13, "Prove it stays fixed"):

1. A fresh database — SQLite in a temporary folder, or a PostgreSQL database `jianfu_bench_kill_<pid>`
   created on `--pg-url` and dropped at the end — migrated, with one family (a parent account, its own
   signed-in session) per child, 45 children a class, one child per report.
2. The real server: `python -m jianfu.cli serve --workers W --threads T --no-worker` on 127.0.0.1
   (granian WSGI, the project's own settings). `--server respawn` runs the same granian settings with
   granian's `respawn_failed_workers=True` (bench/_serve_respawn.py), which `jianfu serve` does not set
   today: without it granian stops the whole server when one worker dies (see docs/performance.md).
3. `--clients` threads send the reports (POST /api/v1/homework/reports), paced over about
   `--kills × --seconds-per-kill` seconds so the kills land while reports are in flight. Each report has
   one idempotency key for all its attempts: a connection error, a timeout or a 5xx/429 is retried with
   the SAME key (at most `--retries` times, growing pause); any other answer than 2xx stops the run.
4. A killer thread SIGKILLs one of the server's granian worker processes (children of the server
   process) at random moments, `--kills` times at most. It never kills a worker younger than
   `--min-worker-age` seconds: granian treats the same worker dying twice within 5.5 s as a crash loop
   and exits.
5. At the end, check_stored() reads the database: every acknowledged report is stored exactly once
   (the row for its child and day carries the acknowledged id and key, revision 1, one "filed" audit
   event, no "corrected" one), and each class-day summary counts exactly the stored reports.

Prints the figures (kills, retries, acknowledged, stored, lost, duplicates) and exits non-zero on any
loss, duplicate, report never acknowledged, unexpected answer, or the server exiting.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PORT = 8931
HOST = "127.0.0.1"  # never anything else


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument(
        "--pg-url",
        default="postgres://jianfu:jianfu@127.0.0.1:5432",
        help="PostgreSQL server (role with CREATEDB); the bench creates and drops its own database",
    )
    p.add_argument("--reports", type=int, default=1000, help="family reports to send (one child each)")
    p.add_argument("--kills", type=int, default=10, help="SIGKILLs of a worker process (at most)")
    p.add_argument("--clients", type=int, default=6, help="concurrent client threads")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="`jianfu serve --workers`")
    p.add_argument("--threads", type=int, default=4, help="`jianfu serve --threads` (its default: 4)")
    p.add_argument(
        "--server",
        choices=["jianfu", "respawn"],
        default="jianfu",
        help="jianfu: `jianfu serve` as shipped; respawn: the same with granian's respawn_failed_workers",
    )
    p.add_argument("--retries", type=int, default=30, help="retries of one report, same key")
    p.add_argument(
        "--seconds-per-kill", type=float, default=4.0, help="pace: reports spread over kills × this"
    )
    p.add_argument(
        "--min-worker-age", type=float, default=6.0, help="never kill a worker younger than this (s)"
    )
    p.add_argument("--max-seconds", type=float, default=600.0, help="hard limit for the whole load phase")
    p.add_argument(
        "--resend-every",
        type=int,
        default=5,
        help="send every Nth acknowledged report once more with the same key (0: never)",
    )
    p.add_argument(
        "--fault",
        choices=["none", "new-key-on-resend"],
        default="none",
        help="new-key-on-resend: the resends use a fresh key (a client that forgets its key), "
        "to see the check fail: the server takes them as corrections",
    )
    p.add_argument("--seed", type=int, default=13)
    return p.parse_args()


ARGS = parse_args()
TMP = Path(tempfile.mkdtemp(prefix="jianfu-bench-kill-"))
PG_DB = f"jianfu_bench_kill_{os.getpid()}"
if ARGS.engine == "sqlite":
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
else:
    import psycopg

    with psycopg.connect(f"{ARGS.pg_url}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{PG_DB}"')
    os.environ["DATABASE_URL"] = f"{ARGS.pg_url}/{PG_DB}"
os.environ["JIANFU_VAR_DIR"] = str(TMP)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"  # the project's own settings, not bench's
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
os.environ.pop("REDIS_URL", None)  # each worker's own in-process cache, as in a single-machine install

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from jianfu.accounts.middleware.sessions import SessionStore  # noqa: E402
from jianfu.accounts.models import Membership, Role, User  # noqa: E402
from jianfu.core.models import AuditEvent  # noqa: E402
from jianfu.feedback.models import ClassDayFeedback, FamilyReport  # noqa: E402
from jianfu.schools.models import Grade, Guardian, Region, School, SchoolClass, Student  # noqa: E402

CLASS_SIZE = 45


def report_day() -> date:
    """The day whose report window is open now (noon to noon, docs/decisions/0003)."""
    now = timezone.localtime()
    return now.date() if now.hour >= 12 else now.date() - timedelta(days=1)


@dataclass
class Family:
    student_id: int
    session: str


def build_world(n: int) -> tuple[list[Family], str]:
    """One school, ceil(n / 45) grade-5 classes, n children, each with a parent account signed in."""
    call_command("migrate", verbosity=0, interactive=False)
    region = Region.objects.create(code="440106", name="天河区", level="district")
    school = School.objects.create(
        code="BENCHKILL1", name="基准小学", region=region, school_type="primary", first_grade=1, last_grade=6
    )
    grade = Grade.objects.create(school=school, number=5, stage="primary")
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(school=school, grade=grade, number=c + 1)
            for c in range((n + CLASS_SIZE - 1) // CLASS_SIZE)
        ]
    )
    class_ids = [c.pk for c in classes]
    students = Student.objects.bulk_create(
        [
            Student(
                school=school,
                school_class_id=class_ids[i // CLASS_SIZE],
                registry_id=f"L2016{i:012d}",
                name=f"学生{i}",
                gender="M",
                birth_date=date(2016, 1, 1),
            )
            for i in range(n)
        ]
    )
    password = make_password("bench-pw-123")  # hashed once: every family has the same password
    User.objects.bulk_create(
        [User(phone=f"139{i:08d}", name=f"家长{i}", password=password) for i in range(n)]
    )
    users = {u.phone: u for u in User.objects.filter(phone__startswith="139")}
    student_ids = sorted(s.pk for s in students)
    by_student = {s.pk: s for s in Student.objects.filter(pk__in=student_ids)}
    Guardian.objects.bulk_create(
        [
            Guardian(student_id=sid, name=f"家长{i}", phone=f"139{i:08d}", user=users[f"139{i:08d}"])
            for i, sid in enumerate(student_ids)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=users[f"139{i:08d}"], role=Role.PARENT, school_class_id=by_student[sid].school_class_id
            )
            for i, sid in enumerate(student_ids)
        ]
    )
    families = []
    for i, sid in enumerate(student_ids):
        user = users[f"139{i:08d}"]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        families.append(Family(sid, session.session_key))
    return families, _get_new_csrf_string()


# --- the check (one function, so it can follow the report model if a report gets versions) -------------


@dataclass
class Ack:
    student_id: int
    key: str
    report_id: int
    revision: int
    changed: bool


def check_stored(day: date, acks: list[Ack], sent_student_ids: list[int]) -> dict[str, int]:
    """What the database holds for the reports sent, against what the server acknowledged.

    Today a report is the one FamilyReport row of a (child, day) (unique constraint); a resend with the
    same idempotency key must change nothing, a different key would be a correction (revision + 1 and a
    "family_report_corrected" audit event). So, for every acknowledged report:
    - lost: no row for its child and day, or the row is not the acknowledged one (id or key differ);
    - duplicate: more than one row for the child and day, revision ≠ 1 (a retry taken as a correction),
      or not exactly one "family_report_filed" audit event for the row, or any "corrected" one.
    And for every class-day summary: `reports` equals the rows stored for that class and day
    (the summary is written in the report's transaction; a torn write would show here).
    """
    rows = list(
        FamilyReport.objects.filter(date=day, student_id__in=sent_student_ids).values(
            "id", "student_id", "school_class_id", "idempotency_key", "revision"
        )
    )
    per_child = Counter(r["student_id"] for r in rows)
    by_child = {r["student_id"]: r for r in rows}
    audits = Counter(
        (a["action"], a["object_id"])
        for a in AuditEvent.objects.filter(
            object_type="FamilyReport",
            object_id__in=[str(r["id"]) for r in rows],
            action__in=["family_report_filed", "family_report_corrected"],
        ).values("action", "object_id")
    )
    lost = 0
    for ack in acks:
        row = by_child.get(ack.student_id)
        if row is None or row["id"] != ack.report_id or row["idempotency_key"] != ack.key:
            lost += 1
    duplicates = sum(c - 1 for c in per_child.values() if c > 1)
    duplicates += sum(1 for r in rows if r["revision"] != 1)
    duplicates += sum(1 for r in rows if audits[("family_report_filed", str(r["id"]))] != 1)
    duplicates += sum(audits[("family_report_corrected", str(r["id"]))] for r in rows)
    stored_per_class = Counter(r["school_class_id"] for r in rows)
    summaries = {
        s.school_class_id: s.reports
        for s in ClassDayFeedback.objects.filter(date=day, school_class_id__in=list(stored_per_class))
    }
    summary_mismatch = sum(1 for cid, n in stored_per_class.items() if summaries.get(cid) != n)
    acked = {a.student_id for a in acks}
    return {
        "acknowledged": len(acked),
        "stored": len(rows),
        "stored_unacknowledged": sum(1 for r in rows if r["student_id"] not in acked),
        "lost": lost,
        "duplicates": duplicates,
        "summary_mismatch": summary_mismatch,
    }


# --- server and killer -----------------------------------------------------------------------------------


def start_server() -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "jianfu.cli", "serve", "--host", HOST, "--port", str(PORT)]
    cmd += ["--workers", str(ARGS.workers), "--threads", str(ARGS.threads), "--no-worker"]
    if ARGS.server == "respawn":
        cmd = [sys.executable, str(REPO / "bench" / "_serve_respawn.py"), *cmd[3:]]
    log = (TMP / "server.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=REPO, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited at start; log: {TMP / 'server.log'}")
        if len(worker_pids(proc.pid)) >= ARGS.workers and _healthy():
            # Let every worker finish importing Django before the load (the first answer came from one).
            time.sleep(3)
            return proc
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start in 90 s")


def _healthy() -> bool:
    try:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status < 500
        conn.close()
        return ok
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry.name))
    return out


def worker_pids(server_pid: int) -> list[int]:
    """granian's worker processes: the server's children forked from it (same command line; not a
    multiprocessing resource tracker, nor a `jianfu worker`)."""
    try:
        own = Path(f"/proc/{server_pid}/cmdline").read_bytes()
    except OSError:
        return []
    pids = []
    for pid in _children(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if cmdline == own or (b"spawn_main" in cmdline and b"resource_tracker" not in cmdline):
            pids.append(pid)
    return pids


_TICKS = os.sysconf("SC_CLK_TCK")


def _age(pid: int) -> float:
    try:
        start = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]) / _TICKS
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError):
        return 0.0
    return uptime - start


@dataclass
class Run:
    acks: list[Ack] = field(default_factory=list)
    retries: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    gave_up: list[int] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    kills: list[float] = field(default_factory=list)
    # (seconds since the start the attempt began, what went wrong), for the timeline
    failed_at: list[tuple[float, str]] = field(default_factory=list)
    ack_seconds: list[float] = field(default_factory=list)  # first attempt to the 2xx, per report
    resent: int = 0  # acknowledged reports sent once more on purpose, same key
    resend_bad: list[str] = field(default_factory=list)  # a resend that was not answered "unchanged"
    server_exit: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)


def killer(server: subprocess.Popen[bytes], run: Run, t0: float, span: float, rnd: random.Random) -> None:
    """SIGKILL a worker at `--kills` random moments drawn over the load's span (the first after 1 s)."""
    moments = sorted(rnd.uniform(1.0, max(1.0, span - 1.0)) for _ in range(ARGS.kills))
    for moment in moments:
        if run.done.wait(max(0.0, t0 + moment - time.monotonic())) or server.poll() is not None:
            return
        # A worker that has lived long enough not to trip granian's crash-loop guard.
        ripe: list[int] = []
        for _ in range(int(ARGS.min_worker_age * 10) + 20):
            ripe = [p for p in worker_pids(server.pid) if _age(p) >= ARGS.min_worker_age]
            if ripe or run.done.is_set():
                break
            time.sleep(0.1)
        if not ripe:
            continue
        pid = rnd.choice(ripe)
        try:
            os.kill(pid, signal.SIGKILL)
            run.kills.append(time.monotonic() - t0)
        except ProcessLookupError:
            pass


RETRY_STATUSES = {429, 500, 502, 503, 504}


def client(
    jobs: list[tuple[int, Family]], csrf: str, day: date, run: Run, t0: float, span: float, n: int
) -> None:
    conn: http.client.HTTPConnection | None = None

    def post(body: str, headers: dict[str, str]) -> tuple[dict[str, Any] | None, bool]:
        """POST until a 2xx, the SAME body (and so the same key) each time: (answer or None, stopped)."""
        nonlocal conn
        for attempt in range(ARGS.retries + 1):
            if time.monotonic() - t0 > ARGS.max_seconds or run.server_exit:
                return None, True
            if attempt:
                with run.lock:
                    run.retries += 1
                time.sleep(min(0.05 * 2 ** (attempt - 1), 1.0))
            began = time.monotonic() - t0
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                conn.request("POST", "/api/v1/homework/reports", body=body, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                with run.lock:
                    run.failures[type(exc).__name__] += 1
                    run.failed_at.append((began, type(exc).__name__))
                if conn is not None:
                    conn.close()
                conn = None
                continue
            if 200 <= resp.status < 300:
                return json.loads(payload), False
            if resp.status in RETRY_STATUSES:
                with run.lock:
                    run.failures[f"HTTP {resp.status}"] += 1
                    run.failed_at.append((began, f"HTTP {resp.status}"))
                continue
            with run.lock:
                run.rejected.append(f"HTTP {resp.status}: {payload[:200].decode(errors='replace')}")
            return None, False
        return None, False

    for i, fam in jobs:
        # Pace: report i leaves no earlier than its share of the span, so kills meet reports in flight.
        wait = t0 + span * i / n - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        key = uuid.uuid4().hex  # one key for every attempt of this report
        body = json.dumps(
            {
                "student_id": fam.student_id,
                "date": day.isoformat(),
                "minutes_total": 20 + i % 60,
                "idempotency_key": key,
            }
        )
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"sessionid={fam.session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": f"http://{HOST}:{PORT}/",
        }
        first = time.monotonic()
        data, stopped = post(body, headers)
        if data is None:
            with run.lock:
                run.gave_up.append(fam.student_id)
            if stopped:
                break
            continue
        with run.lock:
            run.acks.append(Ack(fam.student_id, key, data["id"], data["revision"], data["changed"]))
            run.ack_seconds.append(time.monotonic() - first)
        if ARGS.resend_every and i % ARGS.resend_every == 0:
            # A family whose phone did not show the answer sends the same report again, same key:
            # it must get the stored report back, unchanged.
            if ARGS.fault == "new-key-on-resend":
                body = body.replace(key, uuid.uuid4().hex)
            again, stopped = post(body, headers)
            with run.lock:
                run.resent += 1
                if again is None or again["id"] != data["id"] or again["changed"]:
                    run.resend_bad.append(f"{fam.student_id}: first {data}, again {again}")
            if stopped:
                break
    if conn is not None:
        conn.close()


def main() -> int:
    rnd = random.Random(ARGS.seed)
    n = ARGS.reports
    print(f"building {n} families on {ARGS.engine}…", flush=True)
    families, csrf = build_world(n)
    day = report_day()
    connections.close_all()
    server = start_server()
    span = ARGS.kills * ARGS.seconds_per_kill
    run = Run()
    t0 = time.monotonic()
    jobs = list(enumerate(families))
    lanes = [jobs[c :: ARGS.clients] for c in range(ARGS.clients)]
    threads = [threading.Thread(target=client, args=(lane, csrf, day, run, t0, span, n)) for lane in lanes]
    kill_thread = threading.Thread(target=killer, args=(server, run, t0, span, rnd))
    seen_workers: set[int] = set(worker_pids(server.pid))
    try:
        for t in threads:
            t.start()
        kill_thread.start()
        while any(t.is_alive() for t in threads):
            seen_workers.update(worker_pids(server.pid))
            if server.poll() is not None and not run.server_exit:
                run.server_exit = f"exit code {server.returncode} after kill #{len(run.kills)}"
            time.sleep(0.1)
        elapsed = time.monotonic() - t0
        run.done.set()
        kill_thread.join()
    finally:
        run.done.set()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    # Workers left behind by a server that exited (granian may leave one that is slow to stop): the
    # bench started them, so it ends them — only those it saw as this server's workers.
    server_cmdline = " ".join(server.args) if isinstance(server.args, list) else str(server.args)
    for pid in seen_workers:
        try:
            if (
                Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
                == server_cmdline
            ):
                os.kill(pid, signal.SIGKILL)
        except (OSError, UnicodeDecodeError):
            pass
    sent = [f.student_id for f in families]
    result = check_stored(day, run.acks, sent)
    print(
        f"{ARGS.engine}; server: {'jianfu serve' if ARGS.server == 'jianfu' else 'jianfu serve + respawn_failed_workers'}"
        f" --workers {ARGS.workers} --threads {ARGS.threads}; {ARGS.clients} clients; {n} reports over {elapsed:.1f} s"
    )
    short = " (fewer than asked)" if len(run.kills) < ARGS.kills else ""
    print(f"kills done: {len(run.kills)} (at {', '.join(f'{k:.1f}' for k in run.kills)} s){short}")
    print(f"retries (same key): {run.retries}; failed attempts: {dict(run.failures) or 0}")
    print(
        f"acknowledged: {result['acknowledged']}; of them answered changed=false (stored by an earlier attempt"
        f" whose answer was lost): {sum(1 for a in run.acks if not a.changed)}"
    )
    print(
        f"stored: {result['stored']} (of them never acknowledged: {result['stored_unacknowledged']}); "
        f"lost: {result['lost']}; duplicates: {result['duplicates']}; "
        f"class-day summaries not matching the rows: {result['summary_mismatch']}"
    )
    waits = sorted(run.ack_seconds)
    if waits:
        print(
            f"time from first attempt to 2xx: p50 {waits[len(waits) // 2] * 1000:.0f} ms, "
            f"p99 {waits[min(len(waits) - 1, int(len(waits) * 0.99))] * 1000:.0f} ms, max {waits[-1]:.1f} s"
        )
    timeline = Counter(f"{kind}@{int(at)}s" for at, kind in run.failed_at)
    if timeline:
        print(
            f"failed attempts by kind and second: {dict(sorted(timeline.items(), key=lambda kv: int(kv[0].split('@')[1][:-1])))}"
        )
    print(
        f"sent again on purpose after a 2xx, same key: {run.resent}; "
        f"answered other than the stored report unchanged: {len(run.resend_bad)}"
    )
    if run.resend_bad:
        print(f"  first: {run.resend_bad[0]}")
    print(f"never acknowledged after {ARGS.retries} retries or the time limit: {len(run.gave_up)}")
    if run.rejected:
        print(f"refused ({len(run.rejected)}), first: {run.rejected[0]}")
    if run.server_exit:
        print(f"SERVER EXITED: {run.server_exit}; its log: {TMP / 'server.log'}")
        print((TMP / "server.log").read_text(errors="replace")[-1500:])
    bad = (
        result["lost"]
        or result["duplicates"]
        or result["summary_mismatch"]
        or run.gave_up
        or run.rejected
        or run.resend_bad
        or run.server_exit
        or result["acknowledged"] != n
    )
    print("FAIL" if bad else "OK: every acknowledged report stored exactly once")
    return 1 if bad else 0


if __name__ == "__main__":
    code = 2
    try:
        code = main()
    finally:
        connections.close_all()
        if ARGS.engine == "postgresql":
            with psycopg.connect(f"{ARGS.pg_url}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        if code == 0:
            shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(code)
