"""The public class page and the parent report endpoint under load, beside a bare Django view.

    uv run python bench/bench_public_page.py [--classes 60|150000] [--seconds 10]
        [--workers <cores>] [--threads 1] [--connections 4] [--kid-order class|interleaved]
    DATABASE_URL=postgres://… uv run python bench/bench_public_page.py --classes 150000

The server is granian (WSGI; by default `jianfu serve --threads 1`, the setting behind a proxy that
buffers uploads: one worker process per core, one blocking thread each, decision 0022; `--threads 4`
for `jianfu serve`'s default, `--workers 1` for one process) on 127.0.0.1; the
load comes from `wrk` (Debian package `wrk`) in a second process, one thread, 4 connections. Each case runs against the same server
configuration in the same run:

- bare: a constant page of the same size (bench/urls.py) — the ceiling for this server and machine;
- public page uncached: the app cache replaced by a dummy cache, so every request renders the page;
- public page cached: the pre-rendered (class, day) page from the app cache;
- report endpoint: POST /api/v1/homework/reports with a new idempotency key each time (a write and a
  commit per request), beside the database's own single-row commit rate measured in-process, and
  beside the signed-in POST that does one single-row commit and nothing else (bench/urls.py): the
  most any signed-in write can reach on this server;
- the class-day load lookup: time per ClassDayLoad get, and its query plan.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TMP = Path(tempfile.mkdtemp(prefix="jianfu-bench-page-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["JIANFU_VAR_DIR"] = str(TMP)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from jianfu.accounts.middleware.sessions import SessionStore  # noqa: E402
from jianfu.accounts.models import Membership, Role, User  # noqa: E402
from jianfu.core.actors import SystemActor  # noqa: E402
from jianfu.core.models import AuditEvent  # noqa: E402
from jianfu.homework.models import ClassDayLoad  # noqa: E402
from jianfu.homework.services import Draft, day_publish, homework_create, publication_ensure  # noqa: E402
from jianfu.schools.calendar.services import term_create  # noqa: E402
from jianfu.schools.models import (  # noqa: E402
    Grade,
    Guardian,
    Region,
    School,
    SchoolClass,
    Student,
    Teacher,
    TeachingAssignment,
)

PORT = 8917


def report_day() -> date:
    now = timezone.localtime()
    return now.date() if now.hour >= 12 else now.date() - timedelta(days=1)


def setup(n_classes: int) -> dict[str, object]:
    call_command("migrate", verbosity=0)
    day = report_day()
    region = Region.objects.create(code="440106", name="天河区", level="district")
    school = School.objects.create(
        code="BENCH00001", name="基准小学", region=region, school_type="primary", first_grade=1, last_grade=6
    )
    grades = [Grade.objects.create(school=school, number=g, stage="primary") for g in range(1, 7)]
    term_create(
        actor=SystemActor("test-setup"),
        school=school,
        school_year="bench",
        kind="autumn",
        start_date=day - timedelta(days=60),
        end_date=day + timedelta(days=60),
    )
    from jianfu.schools.calendar.services import term_days_rebuild
    from jianfu.schools.models import CalendarEntry, SchoolDay

    if not SchoolDay.objects.filter(school=school, date=day, day_type="school_day").exists():
        CalendarEntry.objects.create(school=school, date=day, kind="extra_school_day", name="bench")
        term_days_rebuild(term=school.terms.get())
    # N classes spread over grades 1–6 (class numbers within a grade stay below 32,767).
    for start in range(0, n_classes, 5000):
        batch = [
            SchoolClass(school=school, grade=grades[i % 6], number=1 + i // 6)
            for i in range(start, min(n_classes, start + 5000))
        ]
        SchoolClass.objects.bulk_create(batch)
    class_ids = list(SchoolClass.objects.filter(school=school).order_by("pk").values_list("pk", flat=True))
    # One load row per class for each of the last 7 days: the province-sized history of the table.
    for d in range(7):
        for start in range(0, len(class_ids), 5000):
            ClassDayLoad.objects.bulk_create(
                [
                    ClassDayLoad(
                        school_class_id=cid,
                        school=school,
                        date=day - timedelta(days=d),
                        counted_minutes=40,
                        total_minutes=45,
                        items=3,
                        cap_minutes=60,
                    )
                    for cid in class_ids[start : start + 5000]
                    if not (d == 0 and cid == class_ids[4])
                ]
            )
    target = SchoolClass.objects.get(pk=class_ids[4])  # the first grade-5 class
    teacher_user = User.objects.create_user("13500000001", "bench-pw-123", name="教师")
    teacher = Teacher.objects.create(school=school, user=teacher_user, name="教师")
    Membership.objects.create(user=teacher_user, role=Role.SUBJECT_TEACHER, school=school)
    head_user = User.objects.create_user("13500000002", "bench-pw-123", name="班主任")
    Membership.objects.create(user=head_user, role=Role.HEAD_TEACHER, school_class=target)
    for subject in ("chinese", "math", "english"):
        TeachingAssignment.objects.create(teacher=teacher, school_class=target, subject=subject)
        homework_create(
            actor=teacher_user,
            class_ids=[target.pk],
            date_set=day,
            date_due=day,
            draft=Draft(subject=subject, minutes=15),
            description=f"{subject}：课后练习一页",
            # Posted on `day` itself (yesterday before noon): a past day is refused today.
            now=timezone.now() - timedelta(days=(timezone.localdate() - day).days),
        )
    pub = publication_ensure(actor=head_user, school_class=target)
    day_publish(actor=head_user, school_class=target, on=day)
    parent = User.objects.create_user("13500000003", "bench-pw-123", name="家长")
    Membership.objects.create(user=parent, role=Role.PARENT, school_class=target)
    # The report load: 45 children (a class) in each of up to 20 grade-5 classes, all on one parent account so
    # one session can post for every child; each report counts itself in its class-day's row (the
    # figures are computed once, at noon the next day: decision 0035).
    report_classes = class_ids[4::6][:20]  # grade-5 classes, like the target (class_ids[4])
    Student.objects.bulk_create(
        [
            Student(
                school=school,
                school_class_id=cid,
                registry_id=f"L2016{n * 100 + i:012d}",
                name=f"学生{n}-{i}",
                gender="M",
                birth_date=date(2016, 1, 1),
            )
            for n, cid in enumerate(report_classes)
            for i in range(45)
        ]
    )
    kid_ids = list(Student.objects.filter(school_class_id__in=report_classes).values_list("pk", flat=True))
    Guardian.objects.bulk_create(
        [Guardian(student_id=k, name="家长", phone="13500000003", user=parent) for k in kid_ids]
    )
    session = SessionStore()
    session[SESSION_KEY] = str(parent.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = parent.get_session_auth_hash()
    session.create()
    return {
        "token": pub.token,
        "session": session.session_key,
        "csrf": _get_new_csrf_string(),
        "kids": kid_ids,
        "day": day,
        "class_ids": class_ids,
        "n": len(kid_ids),
    }


WORKERS, THREADS, CONNECTIONS = 1, 1, 4  # set from the command line in main()


def serve(cache: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JIANFU_BENCH_CACHE": cache}
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
    proc = subprocess.Popen(
        [
            granian,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            str(WORKERS),
            "--blocking-threads",
            str(THREADS),
            "--no-ws",
            "--log-level",
            "error",
            "bench.wsgi:application",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Wait until every worker process has answered: a connection the load generator opens on a worker
    # still importing Django waits a second or more, and that wait would land in a case's p99.
    import urllib.request

    pids: set[str] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=1) as r:
                pids.add(r.headers["X-Bench-Pid"])
            if len(pids) >= WORKERS:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start ({len(pids)} of {WORKERS} workers answered)")


def wrk(
    url: str, seconds: int, script: Path | None = None, headers: tuple[str, ...] = ()
) -> dict[str, float]:
    """requests/s, p50 and p99 (ms; 0 when nothing was answered), non-2xx answers and answered requests."""
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url]
    for header in headers:
        cmd[1:1] = ["-H", header]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        if m is None:
            return 0.0
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    answered = re.search(r"(\d+) requests in", out)
    return {
        "rps": rps,
        "p50": pct("50"),
        "p99": pct("99"),
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
        "answered": float(answered.group(1)) if answered else 0.0,
    }


def combined(runs: list[dict[str, float]]) -> dict[str, float]:
    """Several wrk runs of one case as one: requests per second over all of them, the median run's
    p50 and p99 (wrk gives percentiles per run only)."""
    if len(runs) == 1:
        return runs[0]
    answered = sum(r["answered"] for r in runs)
    seconds = sum(r["answered"] / r["rps"] for r in runs if r["rps"])
    return {
        "rps": answered / seconds if seconds else 0.0,
        "p50": statistics.median(r["p50"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "answered": answered,
    }


def commit_rate(seconds: float = 3.0) -> float:
    """Single-row commits through Django's ORM: `atomic(): Model.objects.create()`, one connection."""
    n = 0
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        with transaction.atomic():
            AuditEvent.objects.create(action="bench")
        n += 1
    return n / (time.perf_counter() - start)


def driver_commit_rate(seconds: float = 3.0, barrier: Any = None) -> float:
    """The database's own single-row commit rate: one INSERT per transaction on the driver's cursor
    (sqlite3 or psycopg, autocommit), no Django in the loop, one connection."""
    from jianfu.core.hotpath import adapt

    connection.ensure_connection()
    raw = connection.connection
    mark = "?" if connection.vendor == "sqlite" else "%s"
    sql = (
        f"INSERT INTO {AuditEvent._meta.db_table} (created_at, action, object_type, object_id, region_code, data)"
        f" VALUES ({mark}, 'bench', '', '', '', '{{}}')"
    )
    cursor = raw.cursor()
    stamp = adapt(timezone.now())
    if barrier is not None:
        barrier.wait()
    n = 0
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        cursor.execute(sql, [stamp])
        n += 1
    cursor.close()
    return n / (time.perf_counter() - start)


def driver_commit_rate_concurrent(connections: int, seconds: float = 3.0) -> float:
    """The same single-row commits from `connections` connections at once (one thread each), as many
    as the load generator keeps open: PostgreSQL can flush several transactions' WAL in one write
    (group commit); SQLite takes one writer at a time."""
    import threading

    from django.db import connections as django_connections

    counts: list[float] = []
    barrier = threading.Barrier(connections)

    def run() -> None:
        try:
            counts.append(driver_commit_rate(seconds, barrier))
        finally:
            django_connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts)


def lookup(class_ids: list[int], day: date) -> tuple[float, str]:
    import random

    rnd = random.Random(1)
    picks = [rnd.choice(class_ids) for _ in range(2000)]
    start = time.perf_counter()
    for cid in picks:
        ClassDayLoad.objects.filter(school_class_id=cid, date=day).first()
    per = (time.perf_counter() - start) / len(picks) * 1000
    plan = ClassDayLoad.objects.filter(school_class_id=class_ids[-1], date=day).explain()
    return per, plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--classes", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="granian worker processes (`jianfu serve`: one per core)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="granian blocking threads per worker (`jianfu serve --threads 1`, behind a buffering proxy)",
    )
    parser.add_argument("--connections", type=int, default=4, help="wrk's open connections")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the three signed-in POST cases (report, bare, one commit) this many times, one after "
        "another, each for --seconds: on a shared machine the load drifts, and the report's share of "
        "the one-commit POST is then taken round by round, from runs seconds apart",
    )
    parser.add_argument(
        "--kid-order",
        choices=["class", "interleaved"],
        default="class",
        help="order of the children the report load posts for: class by class (consecutive reports, "
        "and so wrk's concurrent connections, mostly in one class, whose reports take turns on its "
        "row lock), or one class after another for each report (concurrent reports in different classes)",
    )
    args = parser.parse_args()
    global WORKERS, THREADS, CONNECTIONS
    WORKERS, THREADS, CONNECTIONS = args.workers, args.threads, args.connections
    data = setup(args.classes)
    day = data["day"]
    lua = TMP / "report.lua"
    kid_ids = data["kids"]
    if args.kid_order == "interleaved":
        class_of = dict(Student.objects.filter(pk__in=kid_ids).values_list("pk", "school_class_id"))
        rank: dict[int, int] = {}
        seen: dict[int, int] = {}
        for k in sorted(kid_ids):
            rank[k] = seen.get(class_of[k], 0)
            seen[class_of[k]] = rank[k] + 1
        kid_ids = sorted(kid_ids, key=lambda k: (rank[k], class_of[k]))
    kids = ",".join(str(k) for k in kid_ids)
    lua.write_text(f"""
local kids = {{{kids}}}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "sessionid={data["session"]}; csrftoken={data["csrf"]}"
wrk.headers["X-CSRFToken"] = "{data["csrf"]}"
wrk.headers["Referer"] = "http://127.0.0.1:{PORT}/"
request = function()
  counter = counter + 1
  local kid = kids[(counter % #kids) + 1]
  local body = string.format('{{"student_id": %d, "date": "{day.isoformat()}", "minutes_total": %d, "idempotency_key": "k%d-%d"}}', kid, 20 + counter % 60, math.random(1, 1000000000), counter)
  return wrk.format(nil, "/api/v1/homework/reports", nil, body)
end
""")
    bare_lua = TMP / "bare_post.lua"
    bare_lua.write_text(lua.read_text().replace("/api/v1/homework/reports", "/bench/bare-post/"))
    commit_lua = TMP / "commit_post.lua"
    commit_lua.write_text(lua.read_text().replace("/api/v1/homework/reports", "/bench/commit-post/"))
    base = f"http://127.0.0.1:{PORT}"
    page = f"{base}/p/{data['token']}/"
    results: list[tuple[str, dict[str, float]]] = []
    server = serve("dummy")
    try:
        wrk(f"{base}/bench/bare/", 2)
        results.append(("bare Django view (constant page)", wrk(f"{base}/bench/bare/", args.seconds)))
        results.append(("public class page, uncached (renders each time)", wrk(page, args.seconds)))
    finally:
        server.terminate()
        server.wait()
    server = serve("locmem")
    try:
        wrk(page, 2)
        results.append(
            ("bare Django view (same server, app cache on)", wrk(f"{base}/bench/bare/", args.seconds))
        )
        results.append(("public class page, from the app cache", wrk(page, args.seconds)))
        posts: list[list[dict[str, float]]] = [[], [], []]
        for _ in range(args.rounds):
            for runs, script in zip(posts, (lua, bare_lua, commit_lua), strict=True):
                runs.append(wrk(base, args.seconds, script))
        for label, runs in zip(
            (
                "report endpoint (POST, one write + commit each)",
                "bare signed-in POST (session, CSRF, JSON; no write)",
                "signed-in POST + one single-row commit (ORM)",
            ),
            posts,
            strict=True,
        ):
            results.append((label, combined(runs)))
    finally:
        server.terminate()
        server.wait()
    commits = commit_rate()
    driver_commits = driver_commit_rate()
    driver_commits_n = driver_commit_rate_concurrent(CONNECTIONS)
    per_lookup, plan = lookup(data["class_ids"], day)
    engine = connection.vendor
    print(
        f"{engine}, {len(data['class_ids']):,} classes, {ClassDayLoad.objects.count():,} class-day load rows; "
        f"granian WSGI {WORKERS} worker(s) x {THREADS} thread(s); wrk -t1 -c{CONNECTIONS} -d{args.seconds}s; "
        f"reports' children in {args.kid_order} order"
    )
    print(f"{'case':<52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for label, r in results:
        print(f"{label:<52} {r['rps']:>9,.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['errors']:>8.0f}")
    bare1, unc, bare2, cached, reports, bare_post, commit_post = (r for _, r in results)
    print(
        f"\npublic page uncached / bare: {unc['rps'] / bare1['rps']:.0%}   cached / bare: {cached['rps'] / bare2['rps']:.0%}"
    )
    print(
        f"p99/p50: uncached {unc['p99'] / unc['p50']:.1f}, cached {cached['p99'] / cached['p50']:.1f}, "
        f"reports {reports['p99'] / reports['p50']:.1f}"
    )
    print(
        f"single-row commits, one connection, in-process: through the ORM {commits:,.0f}/s, "
        f"on the driver {driver_commits:,.0f}/s; on the driver from {CONNECTIONS} connections at once "
        f"{driver_commits_n:,.0f}/s"
    )
    print(
        f"report endpoint / ORM commit rate: {reports['rps'] / commits:.0%}; "
        f"/ driver commit rate: {reports['rps'] / driver_commits:.0%}; "
        f"/ driver, {CONNECTIONS} connections: {reports['rps'] / driver_commits_n:.0%}; "
        f"/ bare signed-in POST: {reports['rps'] / bare_post['rps']:.0%}"
    )
    print(
        f"signed-in POST + one commit / ORM commit rate: {commit_post['rps'] / commits:.0%} "
        f"(the most any signed-in write could reach on this server); "
        f"report endpoint / that: {reports['rps'] / commit_post['rps']:.0%}"
    )
    if args.rounds > 1:
        shares = [r["rps"] / c["rps"] for r, c in zip(posts[0], posts[2], strict=True)]
        print(
            f"report endpoint / one-commit POST, round by round: {', '.join(f'{x:.0%}' for x in shares)};"
            f" median {statistics.median(shares):.0%} (req/s and p50/p99 above: all rounds' requests,"
            f" the median round's p50 and p99)"
        )
    print(f"class-day load lookup: {per_lookup:.3f} ms each; plan: {' '.join(plan.split())}")
    print(f"(settings: {settings.DATABASES['default']['ENGINE']})")


if __name__ == "__main__":
    main()
