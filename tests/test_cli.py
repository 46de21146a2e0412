import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jianfu.cli import main, management_argv

REPO = Path(__file__).resolve().parents[1]


def test_hyphenated_commands_map_to_management_commands():
    assert management_argv(["import-roster", "f.xlsx", "--school", "1"]) == [
        "jianfu",
        "import_roster",
        "f.xlsx",
        "--school",
        "1",
    ]
    assert management_argv(["policy", "check", "x.json"]) == ["jianfu", "policy", "check", "x.json"]


def test_help_lists_demo_serve_and_pass_through(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "jianfu demo" in out and "jianfu serve" in out and "import-roster" in out


# Tests whose commands run on a SQLite database of their own whatever DATABASE_URL says: on the
# suite's PostgreSQL run they would repeat the SQLite run exactly.
skip_on_postgres = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the CLI's SQLite defaults"
)


def run(args, **env):
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "jianfu.cli", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_serve_refuses_the_insecure_default_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update(JIANFU_VAR_DIR=str(tmp_path), DEBUG="0", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "-m", "jianfu.cli", "serve", "--port", "8999"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the demo is the SQLite profile"
)
def test_demo_no_serve_builds_the_demo_and_prints_every_login(tmp_path):
    env = {"JIANFU_VAR_DIR": str(tmp_path)}
    first = run(["demo", "--no-serve"], **env)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "demo.sqlite3").exists()
    for phone in ("13800000001", "13800000011", "13800000041", "13800000042", "13800000051", "13800000052"):
        assert phone in first.stdout
    assert "60个班级" in first.stdout
    # A line per stage while it builds (issue 15), and no address when nothing is served.
    for stage in (
        "正在建立数据库表",
        "正在生成学校 1/3：天河区示范小学",
        "正在生成学校 3/3",
        "名学生与",
        "正在设置校历",
        "课后服务",
    ):
        assert stage in first.stdout, stage
    assert "http://" not in first.stdout and "Ctrl+C" not in first.stdout
    assert "运行 jianfu demo 启动网站" in first.stdout
    # Nothing queued about the made-up history: the worker would log ~750 texts over the logins.
    import sqlite3

    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        queued = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
        assert queued.fetchone() == (0,)
    again = run(["demo", "--no-serve"], **env)
    assert again.returncode == 0 and "演示数据已存在" in again.stdout


def test_demo_on_a_busy_port_says_so_in_one_line_before_building_anything(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["demo", "--port", str(port)], JIANFU_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"端口 {port} 已被占用，换一个：jianfu demo --port ")
    assert not (tmp_path / "demo.sqlite3").exists()


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(
            ["serve", "--port", str(port), "--no-worker"],
            JIANFU_VAR_DIR=str(tmp_path),
            SECRET_KEY="test-key-" + "x" * 40,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"端口 {port} 已被占用，换一个：jianfu serve --port ")


def test_the_port_check_suggests_a_free_port_and_passes_a_free_one():
    import socket

    from jianfu.cli import _port_problem

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        problem = _port_problem("127.0.0.1", port, "jianfu demo")
        assert problem is not None and f"端口 {port} 已被占用" in problem
        free = int(problem.split("--port ")[1].split()[0])
        assert free != port and _port_problem("127.0.0.1", free, "jianfu demo") is None
    assert _port_problem("127.0.0.1", port, "jianfu demo") is None  # free again once closed


def test_the_openapi_document_is_exported_without_a_database(tmp_path):
    db = tmp_path / "none.sqlite3"
    result = run(
        ["export-openapi-schema", "--api", "config.api.api"],
        JIANFU_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{db}",
    )
    assert result.returncode == 0, result.stderr
    assert '"openapi"' in result.stdout and "/api/v1/homework" in result.stdout
    assert not db.exists()


def test_management_commands_pass_through(tmp_path):
    result = run(["check"], JIANFU_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@skip_on_postgres
def test_worker_once_runs_the_periodic_jobs_in_its_own_process(tmp_path):
    env = {"JIANFU_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}"}
    assert run(["migrate"], **env).returncode == 0
    result = run(["worker", "--once"], **env)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "w.sqlite3") as db:
        rows = sorted(db.execute("SELECT job, ok FROM core_periodicrun"))
    assert rows == [
        ("afterschool_uncollected_checks", 1),
        ("complaints_deadline_remind", 1),
        ("complaints_escalate", 1),
        ("feedback_days_seal", 1),
        ("login_failures_prune", 1),
        ("notifications_release", 1),
        ("roster_uploads_purge", 1),
        ("sessions_clear_expired", 1),
        ("task_results_prune", 1),
    ]


@skip_on_postgres
def test_serve_and_demo_run_a_worker_beside_the_server_and_stop_it_with_them(tmp_path, monkeypatch):
    from jianfu.cli import _worker_beside

    db = tmp_path / "w.sqlite3"
    monkeypatch.setenv("JIANFU_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    assert run(["migrate"]).returncode == 0
    with _worker_beside(True) as proc:
        assert proc is not None
        deadline = time.monotonic() + 60
        jobs = 0
        while time.monotonic() < deadline and jobs < 9:
            time.sleep(0.2)
            with sqlite3.connect(db) as conn:
                jobs = conn.execute("SELECT count(*) FROM core_periodicrun WHERE ok").fetchone()[0]
        assert jobs == 9 and proc.poll() is None  # ran the day's nine jobs (settings) and keeps running
    assert proc.returncode == 0  # stopped cleanly when the server stopped


def test_serve_refuses_fewer_than_one_thread_or_process(tmp_path):
    for flag in ("--threads", "--workers"):
        result = run(["serve", flag, "0"], JIANFU_VAR_DIR=str(tmp_path), SECRET_KEY="test-key-" + "x" * 40)
        assert result.returncode == 2
        assert "至少为 1" in result.stderr and flag in result.stderr


@skip_on_postgres
def test_serve_answers_with_two_processes_of_one_thread_each(tmp_path):
    import socket
    import urllib.request

    env = {
        "JIANFU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}",
        "SECRET_KEY": "test-key-" + "x" * 40,
        "DEBUG": "0",
    }
    assert run(["migrate"], **env).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jianfu.cli", "serve", "--port", str(port), "--workers", "2", "--threads", "1"]
        + ["--no-worker"],
        cwd=REPO,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as r:
                    status, body = r.status, r.read().decode()
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                time.sleep(0.2)
        assert status == 200 and "登录" in body
    finally:
        proc.terminate()
        proc.wait(timeout=30)


PROXY_PROBE = """
import django
django.setup()
from django.test import RequestFactory
from jianfu.core.web import client_ip
forwarded = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_REAL_IP="203.0.113.7")
plain = RequestFactory().get("/")
print(forwarded.is_secure(), plain.is_secure(), client_ip(forwarded))
"""


@pytest.mark.parametrize(
    ("trust", "seen"),
    [
        ("1", "True False 203.0.113.7"),  # the proxy's word for the scheme and the family's address
        ("0", "False False 127.0.0.1"),  # the connection's own (RequestFactory's REMOTE_ADDR)
    ],
)
def test_the_proxys_headers_are_trusted_only_when_configured(tmp_path, trust, seen):
    env = {**os.environ, "JIANFU_VAR_DIR": str(tmp_path), "TRUST_PROXY_HEADERS": trust}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    out = subprocess.run(
        [sys.executable, "-c", PROXY_PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == seen, out.stderr


@pytest.mark.parametrize(
    ("argv", "env", "threads"),
    [
        ([], {}, 4),
        (["--threads", "1"], {}, 1),
        ([], {"WEB_THREADS": "2"}, 2),
        (["--threads", "3"], {"WEB_THREADS": "2"}, 3),
    ],
)
def test_serve_runs_granian_with_the_threads_asked_for(monkeypatch, settings, argv, env, threads):
    import jianfu.cli as cli

    settings.SECRET_KEY = "test-key-" + "x" * 40
    for name in ("WEB_THREADS", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    called: list[tuple[str, int, int, int]] = []
    monkeypatch.setattr(cli, "_serve", lambda *a: called.append(a))
    monkeypatch.setattr(cli, "_port_problem", lambda *a: None)  # whatever else listens on 8000 here
    assert cli.serve(["--no-worker", "--workers", "2", *argv]) == 0
    assert called == [("127.0.0.1", 8000, 2, threads)]


def test_serve_restarts_a_worker_process_that_dies(monkeypatch):
    """Issue 13 ("nothing lost when a worker dies"): granian's default stops the whole server when a
    worker process is killed; jianfu serve asks it to start the worker again."""
    import granian

    import jianfu.cli as cli

    seen: dict[str, object] = {}

    class Recorder:
        def __init__(self, target: str, **kwargs: object) -> None:
            seen.update(kwargs, target=target)

        def serve(self) -> None:
            seen["served"] = True

    monkeypatch.setattr(granian, "Granian", Recorder)
    cli._serve("127.0.0.1", 8000, 2, 1)
    assert seen["respawn_failed_workers"] is True and seen["workers"] == 2 and seen["served"] is True


def test_a_bad_web_threads_is_a_one_line_error(tmp_path):
    result = run(["serve", "--no-worker"], JIANFU_VAR_DIR=str(tmp_path), WEB_THREADS="many")
    assert result.returncode == 2
    assert "invalid int value: 'many'" in result.stderr and "Traceback" not in result.stderr


# --- which database the CLI uses (docs/decisions/0029-which-database-the-cli-uses.md) ----------------

NOT_MIGRATED = "数据库尚未初始化：请先运行 jianfu migrate 或 jianfu demo / database not migrated"
DEMO_LINE = "使用演示数据库 / using the demo database"


def cli(args, var, **env):
    """The CLI as a person runs it: no DATABASE_URL unless given, var/ in a temporary directory."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    full_env.update(JIANFU_VAR_DIR=str(var), **env)
    return subprocess.run(
        [sys.executable, "-m", "jianfu.cli", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def sqlite_files(var):
    return sorted(p.name for p in Path(var).iterdir() if ".sqlite3" in p.name)


def roster_csv(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("学籍号,姓名,性别,出生日期,年级,班级\nL2015000000000001,林一,男,2015-03-07,5,1\n")
    return path


@skip_on_postgres
def test_commands_on_an_unmigrated_database_say_so_exit_2_and_create_nothing(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    example = REPO / "docs" / "examples" / "policy-check-grade5.json"
    for args in (
        ["import-roster", str(roster_csv(tmp_path)), "--school", "4401060101", "--dry-run"],
        ["policy", "check", str(example)],
        ["escalate-complaints"],
    ):
        result = cli(args, var)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.strip().splitlines() == [
            NOT_MIGRATED + f": run jianfu migrate or jianfu demo first ({var / 'jianfu.sqlite3'})"
        ]
        assert sqlite_files(var) == []  # on main the first command left an empty jianfu.sqlite3 behind
    # An empty file given by DATABASE_URL is read, never written: it stays empty.
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    result = cli(["policy", "check", str(example)], var, DATABASE_URL=f"sqlite:///{empty}")
    assert result.returncode == 2 and NOT_MIGRATED in result.stderr and "Traceback" not in result.stderr
    assert empty.stat().st_size == 0
    # Asking a command for its help needs no database.
    assert cli(["import-roster", "--help"], var).returncode == 0


@skip_on_postgres
def test_after_the_demo_the_cli_uses_its_database_and_says_so_until_jianfu_migrate_makes_one(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    # The demo's database as `jianfu demo` leaves it (migrated; its data does not matter here).
    made = cli(["migrate"], var, DATABASE_URL=f"sqlite:///{var / 'demo.sqlite3'}")
    assert made.returncode == 0, made.stderr
    roster = ["import-roster", str(roster_csv(tmp_path)), "--school", "4401060101", "--dry-run"]

    result = cli(roster, var)
    # It reached the command on a migrated database: no such school there (on main: no such table).
    assert result.returncode == 1 and "学校不存在" in result.stderr, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{DEMO_LINE}: {var / 'demo.sqlite3'}")
    assert "jianfu.sqlite3" not in sqlite_files(var)

    # DATABASE_URL always wins, without the line.
    own = tmp_path / "own.sqlite3"
    result = cli(roster, var, DATABASE_URL=f"sqlite:///{own}")
    assert result.returncode == 2 and DEMO_LINE not in result.stderr and NOT_MIGRATED in result.stderr

    # `jianfu migrate` makes the site's own database rather than migrating the demo's ...
    made = cli(["migrate"], var)
    assert made.returncode == 0 and DEMO_LINE not in made.stderr, made.stderr
    assert "jianfu.sqlite3" in sqlite_files(var)
    # ... and from then on the commands use that one, silently.
    result = cli(roster, var)
    assert result.returncode == 1 and "学校不存在" in result.stderr and DEMO_LINE not in result.stderr


@skip_on_postgres
def test_a_database_behind_the_code_asks_for_migrate_first(tmp_path):
    db = tmp_path / "old.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    assert cli(["migrate"], tmp_path, **env).returncode == 0
    with sqlite3.connect(db) as conn:  # as if the code had gained a migration since
        conn.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations WHERE app = 'schools')"
        )
    conn.close()
    result = cli(["import-roster", "x.csv", "--school", "1"], tmp_path, **env)
    assert result.returncode == 2
    assert "数据库结构不是最新：请先运行 jianfu migrate / database has unapplied migrations" in result.stderr
