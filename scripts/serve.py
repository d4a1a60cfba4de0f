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
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()

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
