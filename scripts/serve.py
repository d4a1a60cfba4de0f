"""`make run`: the web server and the task worker side by side; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def main() -> int:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    print("\nNabij draait op http://127.0.0.1:8000 — stoppen met Ctrl-C.\n", flush=True)
    processes = [
        subprocess.Popen([PY, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"], cwd=ROOT, env=env),
        subprocess.Popen([PY, "manage.py", "db_worker", "--no-reload"], cwd=ROOT, env=env),
    ]

    def stop(*_args):
        # Ctrl-C in a terminal already reached both children; give them a moment to finish the current
        # request or task, then terminate, then kill what still hangs on.
        for grace, action in ((3, None), (5, "terminate"), (0, "kill")):
            alive = [process for process in processes if process.poll() is None]
            if not alive:
                return
            for process in alive:
                if action:
                    getattr(process, action)()
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(process.poll() is None for process in alive):
                time.sleep(0.1)

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
