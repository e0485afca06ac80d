"""`make run`'s two processes, kept running: the web server (gunicorn) and the background worker
(manage.py run_worker). One that exits, for whatever reason, is started again after RESTART_PAUSE; only
Ctrl-C or SIGTERM stops the site, and then both are stopped cleanly (gunicorn finishes the requests in
hand, the worker its task) before this ends.

    PORT=8000 .venv/bin/python deploy/supervise.py

Run with the site's settings in the environment (the Makefile's RUN_ENV). Standard library only, so it
runs before and without Django; the drill .ci/db-restart-drill runs it the same way.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Workers, threads, timeouts and request limits: the same file the image and the suite's served site use.
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
# A process that fails at once is started every two seconds, not in a loop that eats a core.
RESTART_PAUSE = 2.0
# gunicorn's graceful timeout is 30 s; after that a child that has not ended is killed.
STOP_WITHIN = 40.0


def programs(port):
    bin_dir = Path(sys.executable).parent
    return {
        "web": [str(bin_dir / "gunicorn"), "--config", str(GUNICORN_CONFIG), "--bind", f"127.0.0.1:{port}"],
        "worker": [sys.executable, "manage.py", "run_worker"],
    }


def say(message):
    print(f"supervise: {message}", file=sys.stderr, flush=True)


def ending(code):
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"


class Supervisor:
    def __init__(self, programs):
        self.programs = programs
        self.children = {}
        self.start_at = dict.fromkeys(programs, 0.0)
        self.stopping = False

    def on_signal(self, signum, frame):
        if self.stopping:  # asked twice: stop waiting
            for child in self.children.values():
                child.kill()
        self.stopping = True

    def run(self):
        signal.signal(signal.SIGINT, self.on_signal)
        signal.signal(signal.SIGTERM, self.on_signal)
        while not self.stopping:
            for name, child in list(self.children.items()):
                code = child.poll()
                if code is not None:
                    del self.children[name]
                    self.start_at[name] = time.monotonic() + RESTART_PAUSE
                    say(f"{name} ended ({ending(code)}); starting it again in {RESTART_PAUSE:g} s")
            for name, when in list(self.start_at.items()):
                if time.monotonic() >= when and not self.stopping:
                    del self.start_at[name]
                    self.start(name)
            time.sleep(0.2)
        self.stop()

    def start(self, name):
        # In a process group of its own: Ctrl-C in the terminal reaches this process only, which then
        # asks each child once (a second signal makes the worker abandon the task in hand).
        child = subprocess.Popen(self.programs[name], cwd=ROOT, process_group=0)
        self.children[name] = child
        say(f"{name} started (pid {child.pid})")

    def stop(self):
        say("stopping " + " and ".join(self.children) if self.children else "stopping")
        for child in self.children.values():
            child.terminate()
        deadline = time.monotonic() + STOP_WITHIN
        for name, child in self.children.items():
            try:
                code = child.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                child.kill()
                code = child.wait()
            say(f"{name} stopped ({ending(code)})")


if __name__ == "__main__":
    Supervisor(programs(os.environ.get("PORT", "8000"))).run()
