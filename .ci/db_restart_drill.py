"""The database-restart drill (issue 20): `make run`'s supervisor (deploy/supervise.py) serving a site on a
PostgreSQL cluster of the drill's own, which is stopped and started again under it.

It checks that the site answers its Japanese 503 while PostgreSQL is down and 200 again within
BACK_WITHIN seconds of it coming back, with no manual step; that /health/ says unhealthy meanwhile and
the worker's entry comes back by itself; that neither process was lost (same pids); that the worker logs
the outage once each way and sends mail queued afterwards; and that a worker killed with SIGKILL is
started again by the supervisor. Everything it starts is stopped, and its folder removed, even on failure.

The cluster runs as the `postgres` system user (initdb refuses root) on a free port, so the machine's own
cluster on 5432 is never touched. The site uses a throw-away database, media folders and secret key,
and the console mail backend of `make run` (the worker's output is where the drill reads the mail).

    .ci/db-restart-drill
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
UNAVAILABLE = "ただいま一時的にページを表示できません"
BACK_WITHIN = 10  # seconds after PostgreSQL accepts connections again
OUTAGE = 8  # seconds PostgreSQL stays down: the worker's retries wait 1, 2 and 4 s in that time
LOST = "database unavailable"
FOUND = "database available again"

STARTED = time.monotonic()


class DrillFailed(Exception):
    pass


def say(message):
    print(f"db-restart drill [{time.monotonic() - STARTED:5.1f} s] {message}", flush=True)


def check(condition, message):
    if not condition:
        raise DrillFailed(message)
    say(f"ok: {message}")


def wait_for(what, seconds, interval=0.25):
    """Call `what` until it returns something true; that value, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = what()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL 15 cluster in `folder`, owned by the postgres user, on its own port."""

    def __init__(self, folder):
        self.data = folder
        self.port = free_port()

    def as_postgres(self, program, *arguments, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / program), *arguments],
            check=check,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def create(self):
        self.data.mkdir()
        shutil.chown(self.data, "postgres", "postgres")
        self.as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()
        self.as_postgres("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "kyosei")

    def start(self):
        # No Unix socket: nothing is written outside the drill's folder. fsync off: nothing here must last.
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
        log = str(self.data / "postgres.log")
        self.as_postgres("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "30", "start")

    def stop(self, mode="fast"):
        self.as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self):
        if self.as_postgres("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0:
            self.as_postgres("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/kyosei"


class Site:
    """deploy/supervise.py with the site's settings, as `make run` starts it, its output in `log`."""

    def __init__(self, environment, log):
        self.environment = environment
        self.log = log
        self.base = f"http://127.0.0.1:{environment['PORT']}"
        self.supervisor = None

    def start(self):
        with open(self.log, "ab") as output:
            self.supervisor = subprocess.Popen(
                [sys.executable, str(ROOT / "deploy" / "supervise.py")],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def children(self):
        """{"web": pid, "worker": pid} of the supervisor's children now running."""
        listing = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(self.supervisor.pid)], text=True, capture_output=True
        ).stdout
        found = {}
        for line in listing.splitlines():
            pid, arguments = line.split(maxsplit=1)
            if "gunicorn" in arguments:
                found["web"] = int(pid)
            elif "run_worker" in arguments:
                found["worker"] = int(pid)
        return found

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, ""

    def health(self):
        status, body = self.get("/health/")
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {}

    def output(self):
        return Path(self.log).read_text(errors="replace")

    def manage(self, *arguments):
        with open(self.log, "ab") as output:
            subprocess.run(
                [sys.executable, "manage.py", *arguments],
                cwd=ROOT,
                env=self.environment,
                check=True,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def stop(self):
        """SIGTERM to the supervisor, as make passes it on; its exit status."""
        self.supervisor.terminate()
        return self.supervisor.wait(timeout=60)

    def kill_everything(self):
        if self.supervisor is None:
            return
        children = self.children()
        if self.supervisor.poll() is None:
            os.killpg(self.supervisor.pid, signal.SIGKILL)
            self.supervisor.wait()
        for pid in children.values():
            # Each child leads its own process group (gunicorn's workers are in the web server's).
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def heartbeat_age(health):
    detail = health.get("checks", {}).get("worker", {}).get("detail", "")
    match = re.fullmatch(r"last heartbeat (\d+) s ago", detail)
    return int(match.group(1)) if match else None


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def drill(work):
    cluster = Cluster(work / "postgresql")
    cluster.create()
    web_port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kochi_kyosei.settings.production",
        "SECRET_KEY": f"drill-{secrets.token_urlsafe(64)}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{web_port}",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{web_port}",
        "LOCAL_HTTP": "1",
        "STAFF_2FA_REQUIRED": "0",
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "DATABASE_URL": cluster.url(),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PORT": str(web_port),
        "PYTHONUNBUFFERED": "1",
    }
    # `make run` without Redis: the cache lives in the same database, and goes down with it.
    environment.pop("REDIS_URL", None)
    site = Site(environment, work / "site.log")
    try:
        say(f"PostgreSQL cluster of the drill's own at 127.0.0.1:{cluster.port}")
        for step in (
            ["collectstatic", "--noinput", "--verbosity", "0"],
            ["migrate", "--noinput", "--verbosity", "0"],
            ["load_initial_content"],
            ["sync_site_address"],
        ):
            site.manage(*step)
            say(f"manage.py {step[0]} done")
        say(f"starting deploy/supervise.py on port {web_port}")
        site.start()
        exercise(site, cluster)
    except DrillFailed:
        print(f"--- last lines of the site's output ({site.log}):", file=sys.stderr)
        print("\n".join(site.output().splitlines()[-40:]), file=sys.stderr)
        raise
    finally:
        site.kill_everything()
        cluster.remove()


def exercise(site, cluster):
    check(wait_for(lambda: site.get("/")[0] == 200, 60), "/ answers 200")
    check(
        wait_for(lambda: site.health()[1].get("checks", {}).get("worker", {}).get("ok"), 30),
        "/health/ reports the worker ok",
    )
    before = site.children()
    check(set(before) == {"web", "worker"}, f"the supervisor runs the web server and the worker {before}")

    # --- PostgreSQL goes away ---
    cluster.stop("fast")
    down = time.monotonic()
    say("PostgreSQL stopped (pg_ctl stop -m fast)")
    status, html = site.get("/")
    check(status == 503 and UNAVAILABLE in html, "/ answers 503 with the site's Japanese page")
    status, health = site.health()
    checks = health.get("checks", {})
    check(
        status == 503 and health.get("status") == "unavailable" and not checks.get("database", {}).get("ok"),
        "/health/ answers 503: database unavailable",
    )
    worker = checks.get("worker", {})
    check(worker and not worker.get("ok"), f"/health/ reports the worker not ok ({worker.get('detail')!r})")
    check(wait_for(lambda: LOST in site.output(), 10), "the worker logged that the database went away")
    time.sleep(max(OUTAGE - (time.monotonic() - down), 0))
    check(site.output().count(LOST) == 1, f"after {OUTAGE} s down the worker has logged the outage once")
    check(site.children() == before, "the web server and the worker are still the same processes")

    # --- PostgreSQL comes back ---
    cluster.start()
    up = time.monotonic()
    say(f"PostgreSQL started again after {up - down:.1f} s down")
    check(wait_for(lambda: site.get("/")[0] == 200, BACK_WITHIN), f"/ answers 200 within {BACK_WITHIN} s")
    say(f"/ answered 200 {time.monotonic() - up:.1f} s after PostgreSQL came back")

    def fresh_heartbeat():
        status, health = site.health()
        age = heartbeat_age(health)
        return status == 200 and age is not None and age <= time.monotonic() - up and health

    health = wait_for(fresh_heartbeat, 30)
    check(health, "/health/ answers 200 and the worker's entry is ok with a heartbeat written since")
    detail = health["checks"]["worker"]["detail"]
    say(f"the worker's entry was ok again {time.monotonic() - up:.1f} s after PostgreSQL came back ({detail})")
    check(wait_for(lambda: FOUND in site.output(), 40), "the worker logged that the database is back")
    say(f"the worker logged it {time.monotonic() - up:.1f} s after PostgreSQL came back")

    subject = f"db-restart-drill {secrets.token_hex(6)}"
    site.manage(
        "shell",
        "--no-imports",
        "-c",
        "from declarations.models import OutboundEmail; "
        f"OutboundEmail.objects.queue(to='drill@kyosei.example.jp', subject='{subject}', body='drill')",
    )
    queued = time.monotonic()
    check(wait_for(lambda: f"Subject: {subject}" in site.output(), 30), "the worker sent mail queued afterwards")
    say(f"the mail went {time.monotonic() - queued:.1f} s after it was queued")
    output = site.output()
    check(output.count(LOST) == 1 and output.count(FOUND) == 1, "the outage is logged once each way")
    check(site.children() == before, "no process was restarted: both rode out the outage")

    # --- the worker dies ---
    os.kill(before["worker"], signal.SIGKILL)
    killed = time.monotonic()
    say(f"worker (pid {before['worker']}) killed with SIGKILL")
    restarted = wait_for(lambda: site.children().get("worker") not in (None, before["worker"]) and site.children(), 15)
    check(restarted, "the supervisor started a new worker")
    new_worker = restarted["worker"]
    check(
        wait_for(lambda: re.search(rf"worker \S+-{new_worker} started", site.output()), 30),
        f"the new worker (pid {new_worker}) is running, {time.monotonic() - killed:.1f} s after the kill",
    )
    check(site.children()["web"] == before["web"], "the web server was left alone")

    # --- SIGTERM stops both ---
    children = site.children()
    stopping = time.monotonic()
    code = site.stop()
    check(code == 0, f"SIGTERM stopped the supervisor (exit status {code})")
    check(not any(alive(pid) for pid in children.values()), "both children had stopped before it ended")
    say(f"stopped in {time.monotonic() - stopping:.1f} s")


def main():
    work = Path(tempfile.mkdtemp(prefix="kyosei-db-restart-"))
    work.chmod(0o755)  # the postgres user keeps its cluster in here
    try:
        drill(work)
    except DrillFailed as failure:
        say(f"FAILED: {failure}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
