"""`jianfu serve` exactly as shipped, except that granian respawns a worker process that died.

    python bench/_serve_respawn.py serve [jianfu serve's options]

jianfu/cli.py builds `Granian(...)` without `respawn_failed_workers`, whose default is False: when one
worker process dies, granian stops the whole server. bench/bench_worker_kill.py --server respawn uses
this to measure what turning it on gives; the server is otherwise the same code path.
"""

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import granian

from jianfu import cli


class RespawningGranian(granian.Granian):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["respawn_failed_workers"] = True
        super().__init__(*args, **kwargs)


granian.Granian = RespawningGranian  # jianfu.cli._serve imports it from the package at call time

if __name__ == "__main__":
    raise SystemExit(cli.main(sys.argv[1:]))
