"""Serve the site as production does (gunicorn, whitenoise, production settings) on a spare port,
with a throw-away SQLite database and media folder holding the initial content.

Used by `make audit`, `make screenshots` and `make accessibility-report`, and by the suite's load test
(tests/load/), which also runs the background worker beside it and may point it at PostgreSQL; the rest of
the suite uses pytest-django's live server.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def gunicorn_command(port):
    """gunicorn as `make run` and the image start it (deploy/gunicorn.conf.py), on loopback."""
    return [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"]


def spare_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(work, port, database_url=None):
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="kochi_kyosei.settings.production",
        SECRET_KEY="local-" + secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port},http://localhost:{port}",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{port}",
        LOCAL_HTTP="1",
        DATABASE_URL=database_url or f"sqlite:///{work}/db.sqlite3",
        MEDIA_ROOT=str(work / "media"),
        PRIVATE_MEDIA_ROOT=str(work / "private-media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def stop(process, timeout=30):
    process.terminate()
    try:
        # gunicorn finishes the requests in hand first; on a loaded machine that can take longer.
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_site(database_url=None, worker=False, extra_env=None, server_log=None):
    """Yield (base_url, env) for a freshly loaded site; env points manage.py at the same database.

    `database_url`: an empty database to use instead of a throw-away SQLite file. `worker`: run
    `manage.py run_worker` beside gunicorn, as `make run` does. `server_log`: a file that receives
    gunicorn's own log (workers booted, killed) and the site's warnings."""
    work = Path(tempfile.mkdtemp(prefix="kyosei-site-"))
    port = spare_port()
    env = {**site_environment(work, port, database_url), **(extra_env or {})}
    server = background = None
    try:
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_initial_content")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        server = subprocess.Popen(
            gunicorn_command(port),
            cwd=ROOT,
            env=env,
            stderr=server_log or subprocess.DEVNULL,
        )
        if worker:
            background = subprocess.Popen(
                [str(BIN / "python"), "manage.py", "run_worker"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
            )
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base_url + "/", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("gunicorn exited before serving the site")
                time.sleep(0.2)
        yield base_url, env
    finally:
        for process in (server, background):
            if process is not None:
                stop(process)
        shutil.rmtree(work, ignore_errors=True)
