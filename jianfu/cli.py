"""The `jianfu` command.

jianfu demo [--port 8000] [--reset] [--no-serve] [--no-worker]   the demo district on SQLite (var/demo.sqlite3)
jianfu serve [--host 127.0.0.1] [--port 8000] [--workers N] [--threads N] [--no-worker]   production WSGI server (granian)
jianfu worker [--once]   background tasks and periodic jobs (serve and demo start one unless --no-worker)
jianfu <command> [...]   any Django management command; hyphens become underscores
                          (jianfu migrate, jianfu import-roster FILE --school CODE, jianfu policy check FILE.json)

Database: DATABASE_URL, else var/jianfu.sqlite3; when only the demo's var/demo.sqlite3 exists, the
commands other than migrate use it and say so on stderr (docs/decisions/0029-which-database-the-cli-uses.md).
"""

from __future__ import annotations

import argparse
import errno
import functools
import gettext
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _(message: str) -> str:
    """A message of the root catalogue in both languages, "中文 / English" (placeholders are filled
    afterwards, in both at once): a terminal has no language choice, and much of this runs before
    Django is set up, so the compiled catalogue is read here directly."""
    english = _english().gettext(message)
    return message if english == message else f"{message} / {english}"


@functools.cache
def _english() -> gettext.NullTranslations:
    try:
        with (REPO / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:  # no compiled catalogue: Chinese alone
        return gettext.NullTranslations()


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _serve(host: str, port: int, workers: int, threads: int) -> None:
    """Granian in WSGI mode: measured at 1.6× gunicorn on a bare Django view here, while ASGI served
    this synchronous Django at 0.18× (issue #2), so Django is never run under ASGI. `threads` is the
    number of requests one process serves at once (docs/decisions/0022-threads-and-slow-uploads.md)."""
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        "config.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        # A worker process that dies (out of memory, a crash in a C library, a SIGKILL) is started
        # again; without it granian stops the whole server at the first death
        # (bench/bench_worker_kill.py; docs/performance.md "Nothing lost when a worker dies").
        respawn_failed_workers=True,
        log_access=False,
    ).serve()


def _port_problem(host: str, port: int, command: str) -> str | None:
    """Why the server could not listen on host:port, or None: asked before anything is built or
    served, so a busy port is one line (with a free one to try) rather than granian's traceback after
    the demo was loaded. Binding is the only reliable question; another program could still take the
    port in the moment before the server binds it."""
    try:
        _try_bind(host, port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            return _("无法使用端口 %(port)s：%(reason)s") % {"port": port, "reason": exc.strerror or exc}
        suggestion = next((p for p in range(port + 1, min(port + 50, 65536)) if _is_free(host, p)), None)
        if suggestion is None:
            return _("端口 %(port)s 已被占用") % {"port": port}
        return _("端口 %(port)s 已被占用，换一个：%(command)s --port %(free)s") % {
            "port": port,
            "command": command,
            "free": suggestion,
        }
    return None


def _try_bind(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the server will: a port whose last connections are in TIME_WAIT is free to listen on
        # (on Windows the same option would let two programs share a port, so it is left off there).
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def _is_free(host: str, port: int) -> bool:
    try:
        _try_bind(host, port)
    except OSError:
        return False
    return True


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `_` translates it where it is shown."""
    return message


# What `jianfu demo` says as each stage of the build starts (jianfu.demo.loader.Progress).
DEMO_STAGES = {
    "school": gettext_noop("正在生成学校 %(index)s/%(total)s：%(name)s（%(classes)s个班级，含教师与学生）…"),
    "families": gettext_noop("正在写入%(students)s名学生与%(guardians)s位监护人…"),
    "calendar": gettext_noop("正在设置校历与区级减负规则…"),
    "homework": gettext_noop("正在生成%(school)s近五个上学日的作业与家长反馈…"),
    "afterschool": gettext_noop("正在生成%(school)s的课后服务：课程、报名与签到…"),
    "exams": gettext_noop("正在安排%(school)s的期末考试…"),
}


def _demo_progress() -> Callable[[str, Mapping[str, Any]], None]:
    """Prints each stage with the seconds since the build began: on a busy machine the build takes
    minutes, and a line with a moving clock shows it is not stuck."""
    began = time.monotonic()

    def show(stage: str, facts: Mapping[str, Any]) -> None:
        print(f"  {time.monotonic() - began:4.0f}s  " + _(DEMO_STAGES[stage]) % facts, flush=True)

    return show


@contextmanager
def _worker_beside(enabled: bool) -> Iterator[subprocess.Popen[bytes] | None]:
    """`jianfu worker` as a child process for as long as the web server runs: texts get sent and
    complaints past their deadline escalate without a separate service or a cron entry."""
    if not enabled:
        yield None
        return
    proc = subprocess.Popen([sys.executable, "-m", "jianfu.cli", "worker"], env=os.environ.copy())
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="jianfu demo", description="Serve the demo district on SQLite.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--reset", action="store_true", help="delete and rebuild the demo database")
    parser.add_argument(
        "--no-serve", action="store_true", help="load the demo and print the logins, then exit"
    )
    parser.add_argument("--no-worker", action="store_true", help="do not start `jianfu worker` beside it")
    args = parser.parse_args(argv)
    if not args.no_serve:
        busy = _port_problem("127.0.0.1", args.port, "jianfu demo")
        if busy is not None:
            print(busy, file=sys.stderr)
            return 2
    var = Path(os.environ.get("JIANFU_VAR_DIR", REPO / "var"))
    var.mkdir(parents=True, exist_ok=True)
    db = var / "demo.sqlite3"
    if "DATABASE_URL" not in os.environ:
        if args.reset:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    _django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from jianfu.demo.loader import DEMO_PASSWORD, LOGINS, is_loaded, load_demo

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print(_("正在建立数据库表…"), flush=True)  # the first run's migrate takes seconds to a minute
    call_command("migrate", verbosity=0, interactive=False)
    if is_loaded():
        print(_("演示数据已存在（--reset 可重建）"))
    else:
        print(_("正在生成演示数据…"), flush=True)
        counts = load_demo(progress=_demo_progress())
        print(
            _(
                "已生成：%(schools)s所学校，%(classes)s个班级，%(students)s名学生，"
                "%(guardians)s位监护人，%(teachers)s名教师"
            )
            % counts
        )
    print("\n" + _("演示登录（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
    for login in LOGINS:
        print(f"  {login.phone}  {login.role_zh:<12} {login.scope}  ({login.role_en})")
    two_step = _("两步验证（%(phones)s）：运行 jianfu demo-code 手机号，或在验证器App中添加密钥 %(key)s")
    print(
        "  "
        + two_step % {"phones": "13800000001, 13800000003", "key": "NJUW C3TG OUWW IZLN N4WX I53P FVZX IZLQ"}
    )
    if args.no_serve:
        print("\n" + _("演示数据已就绪；运行 jianfu demo 启动网站"), flush=True)
        return 0
    url = f"http://127.0.0.1:{args.port}/accounts/login/"
    print("\n" + _("打开 %(url)s（Ctrl+C 停止）") % {"url": url}, flush=True)
    with _worker_beside(not args.no_worker):
        # One process for one visitor clicking around; its threads let a slow page and the htmx
        # requests beside it overlap (throughput is not the point of the demo).
        _serve("127.0.0.1", args.port, 1, 4)
    return 0


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="jianfu serve", description="Production WSGI server (granian + whitenoise)."
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    # String defaults go through type=int like the flags, so a bad WEB_CONCURRENCY or WEB_THREADS
    # is argparse's one-line error, not a traceback.
    parser.add_argument(
        "--workers",
        type=int,
        default=os.environ.get("WEB_CONCURRENCY") or str(os.cpu_count() or 1),
        help="processes (default: WEB_CONCURRENCY, else one per core)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=os.environ.get("WEB_THREADS") or "4",
        help="requests each process serves at once (default: WEB_THREADS, else 4; 1 behind a proxy that "
        "buffers uploads: docs/decisions/0022-threads-and-slow-uploads.md)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start `jianfu worker` beside the server (when workers run as their own service)",
    )
    args = parser.parse_args(argv)
    if args.workers < 1 or args.threads < 1:
        print(_("--workers 与 --threads 至少为 1"), file=sys.stderr)
        return 2
    _django_setup()
    from django.conf import settings

    if settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY and not settings.DEBUG:
        print(
            _("拒绝启动：请设置环境变量 SECRET_KEY"),
            file=sys.stderr,
        )
        return 2
    busy = _port_problem(args.host, args.port, "jianfu serve")
    if busy is not None:
        print(busy, file=sys.stderr)
        return 2
    with _worker_beside(not args.no_worker):
        _serve(args.host, args.port, args.workers, args.threads)
    return 0


# Management commands that do not read jianfu's tables: they run whatever state the database is in
# (migrate creates it). Every other command, jianfu's own first of all, is refused with a one-line
# message on an unmigrated database instead of a "no such table" traceback.
NO_SCHEMA_NEEDED = frozenset(
    {
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "dbshell",
        "diffsettings",
        "export_openapi_schema",  # django-ninja's (installed for its Swagger UI): builds the document only
        "findstatic",
        "help",
        "makemessages",
        "makemigrations",
        "migrate",
        "optimizemigration",
        "sendtestemail",
        "shell",
        "showmigrations",
        "sqlflush",
        "sqlmigrate",
        "sqlsequencereset",
        "squashmigrations",
        "startapp",
        "startproject",
        "test",
        "version",
    }
)


def _not_migrated(db: str) -> str:
    return _("数据库尚未初始化：请先运行 jianfu migrate 或 jianfu demo") + f" ({db})"


def _out_of_date(fix: str, db: str) -> str:
    return _("数据库结构不是最新：请先运行 %(fix)s") % {"fix": fix} + f" ({db})"


def var_dir() -> Path:
    """Where the demo and the default SQLite database live (the settings read the same variable)."""
    return Path(os.environ.get("JIANFU_VAR_DIR", REPO / "var"))


def database_choose(command: str) -> None:
    """Without DATABASE_URL, a command after `jianfu demo` works on the demo's database, not on an
    empty var/jianfu.sqlite3 it would create. Only while var/jianfu.sqlite3 does not exist (a site
    that ran `jianfu migrate` keeps its own), never for `migrate` (which is how that database is
    made) nor `serve` (which never reaches here), and always said on stderr."""
    if os.environ.get("DATABASE_URL") or command == "migrate":
        return
    var = var_dir()
    demo_db, default_db = var / "demo.sqlite3", var / "jianfu.sqlite3"
    if demo_db.exists() and not default_db.exists():
        os.environ["DATABASE_URL"] = f"sqlite:///{demo_db}"
        why = _("未设置 DATABASE_URL，%(name)s 不存在") % {"name": default_db.name}
        using = _("使用演示数据库")
        print(f"{using}: {demo_db} ({why})", file=sys.stderr)


def _database_label(db: Mapping[str, Any]) -> str:
    """The database named for a person: a SQLite file's path, or name@host (never a password)."""
    if "sqlite" in str(db["ENGINE"]):
        return str(db["NAME"])
    return f"{db['NAME']}@{db.get('HOST') or 'localhost'}"


def database_problem() -> str | None:
    """Why the default database cannot serve a command, or None. A SQLite file that does not exist is
    not opened (Django's connection would create it empty); one that exists is first read
    read-only, so a check never writes."""
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    db = settings.DATABASES["default"]
    label = _database_label(db)
    demo = Path(str(db["NAME"])).name == "demo.sqlite3"
    if "sqlite" in str(db["ENGINE"]):
        path = Path(str(db["NAME"]))
        if not path.is_file() or path.stat().st_size == 0:
            return _not_migrated(label)
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = ro.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            ro.close()
        if found is None:
            return _not_migrated(label)
    executor = MigrationExecutor(connection)
    if not executor.recorder.has_table():
        return _not_migrated(label)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        fix = "jianfu demo --no-serve" if demo else "jianfu migrate"
        return _out_of_date(fix, label)
    return None


def management_argv(argv: list[str]) -> list[str]:
    """`jianfu import-roster …` → `manage.py import_roster …`."""
    return ["jianfu", argv[0].replace("-", "_"), *argv[1:]]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if args[0] == "demo":
        return demo(args[1:])
    if args[0] == "serve":
        return serve(args[1:])
    command = args[0].replace("-", "_")
    database_choose(command)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line, get_commands

    asks_help = any(a in ("-h", "--help") for a in args[1:])
    if command not in NO_SCHEMA_NEEDED and not asks_help:
        _django_setup()  # before get_commands(), which caches what it finds and sees the apps only then
        if command in get_commands():
            problem = database_problem()
            if problem is not None:
                print(problem, file=sys.stderr)
                return 2
    execute_from_command_line(management_argv(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
