"""`make bench`: seed a benchmark database, serve the app with gunicorn and production settings,
drive it with wrk, and report requests per second, latency and queries per page.

Needs PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL) and wrk (Debian package).
Writes bench/results/<timestamp>.json and prints a table. Only loopback is ever contacted.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
RESULTS = BASE_DIR / "bench" / "results"
PYTHON = sys.executable

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motovault_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
HEAVY = "heavy"
TYPICAL = "demo"
PASSWORD = "bench-motovault"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(**extra) -> dict:
    """Production settings: DEBUG off, PostgreSQL, Redis; TLS is declared by a proxy header."""
    return {
        **os.environ,
        "ENV_FILE": "/dev/null",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "s3cret-" * 8,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": "motovault-bench",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "EMAIL_URL": "consolemail://",
        **extra,
    }


def manage(*args, env=None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env or app_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def recreate_database(args) -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        [
            "psql",
            admin_url,
            "-qc",
            f'DROP DATABASE IF EXISTS "{name}"',
            "-c",
            f'CREATE DATABASE "{name}"',
        ],
        check=True,
    )
    print(f"Seeding {name}: {args.owners} owners with typical data, and one heavy owner")
    manage("migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(
        "seed_demo",
        "--users",
        str(args.owners),
        "--vehicles-per-user",
        "2",
        "--fuel-logs-per-vehicle",
        "150",
        "--maintenance-per-vehicle",
        "12",
        "--prefix",
        TYPICAL,
        "--password",
        PASSWORD,
        "--seed",
        "1",
    )
    manage(
        "seed_demo",
        "--users",
        "1",
        "--vehicles-per-user",
        "10",
        "--fuel-logs-per-vehicle",
        str(args.heavy_logs),
        "--maintenance-per-vehicle",
        "500",
        "--prefix",
        HEAVY,
        "--password",
        PASSWORD,
        "--seed",
        "2",
    )
    # A database in service has planner statistics; right after a bulk load it has none.
    subprocess.run(["psql", DATABASE_URL, "-qc", "ANALYZE"], check=True)
    print(f"  seeded in {time.monotonic() - started:.0f} s")


def in_process_figures(base_url: str, stub_url: str) -> dict:
    """Session cookies, page URLs, queries per page, and the in-process timings."""
    script = BASE_DIR / "bench" / "inprocess.py"
    env = app_env(
        PLACES_BASE_URL=f"{stub_url}/places",
        GOOGLE_MAPS_API_KEY="bench-key",
        DJANGO_SETTINGS_MODULE="motovault.settings",
        BENCH_BASE_URL=base_url,
    )
    result = subprocess.run(
        [PYTHON, str(script)], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"in-process measurements failed:\n{result.stderr}")
    return json.loads(result.stdout)


def gunicorn(port: int, stub_url: str, workers: int) -> subprocess.Popen:
    env = app_env(
        PLACES_BASE_URL=f"{stub_url}/places", GOOGLE_MAPS_API_KEY="bench-key", BENCH_CEILING="1"
    )
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--error-logfile",
            str(RESULTS / "gunicorn-errors.log"),
        ],
        cwd=BASE_DIR,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("gunicorn did not start")


def warm(url: str, cookie: str | None) -> None:
    """Load the page once through the server wrk will drive, so wrk measures the page seen
    again. Its key holds the address, so the in-process warm-up's "testserver" pages are not
    this one; without this, 15 of wrk's connections queue behind its first make. What a page
    costs to make is measured in process (bench/inprocess.py)."""
    headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30):
        pass


WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, cookie: str | None, *, seconds: int, connections: int, script: Path | None = None
) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = {p: float(v) * UNITS[u] for p, v, u in WRK_LATENCY.findall(output)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


PROFILES = BASE_DIR / "bench" / "profiles"
TOP_FRAMES = 15


@contextmanager
def profiling(args, servers: list[subprocess.Popen], title: str) -> Iterator[str | None]:
    """py-spy samples the servers' workers for as long as wrk drives one page; the page's top
    frames are written to bench/profiles/<run>/ and the file's path given back."""
    if not args.profile:
        yield None
        return
    folder = PROFILES / args.run_name
    folder.mkdir(parents=True, exist_ok=True)
    raw = [Path(tempfile.mkstemp(suffix=".txt")[1]) for _ in servers]
    samplers = [
        subprocess.Popen(
            [
                str(Path(PYTHON).with_name("py-spy")),
                "record",
                "--pid",
                str(server.pid),
                "--subprocesses",
                "--nonblocking",
                "--full-filenames",
                "--rate",
                "250",
                "--duration",
                str(args.seconds),
                "--format",
                "raw",
                "--output",
                str(output),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for server, output in zip(servers, raw, strict=True)
    ]
    out = folder / (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + ".txt")
    yield str(out.relative_to(BASE_DIR))
    for sampler in samplers:
        sampler.wait(timeout=args.seconds + 30)
    stacks = [line for path in raw for line in path.read_text().splitlines()]
    out.write_text(top_frames(title, stacks))
    for path in raw:
        path.unlink()


def top_frames(title: str, stacks: list[str]) -> str:
    """Where the workers spent their samples: by function including what it calls (our code
    only, where a page's time goes) and by function alone (everything, what the time is)."""
    total = 0
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    for line in stacks:
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        # "function (path/to/file.py:123)", without the line: one entry per function.
        # The first frames name the processes (gunicorn's master, then the worker).
        frames = [
            re.sub(r":\d+\)$", ")", frame)
            for frame in stack.split(";")
            if not frame.startswith("process ")
        ]
        for frame in set(frames):
            # Our middleware wraps every request: it would head every list.
            if (
                f"({BASE_DIR}/" in frame
                and "/.venv/" not in frame
                and "Middleware.__call__" not in frame
            ):
                inclusive[frame] = inclusive.get(frame, 0) + samples
        if frames:
            own[frames[-1]] = own.get(frames[-1], 0) + samples
    lines = [f"{title}: {total:,} samples of the gunicorn workers, busy only", ""]
    for heading, counts in (
        ("Including what they call, our code", inclusive),
        ("Alone, everything", own),
    ):
        lines.append(f"{heading}:")
        for frame, samples in sorted(counts.items(), key=lambda item: -item[1])[:TOP_FRAMES]:
            short = frame.replace(str(BASE_DIR) + "/", "")
            short = re.sub(r"\(.*site-packages/", "(", short)
            lines.append(f"  {samples / max(total, 1):6.1%}  {short}")
        lines.append("")
    return "\n".join(lines)


def worker_memory_kib(master: subprocess.Popen) -> list[int]:
    children = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--owners", type=int, default=1000)
    parser.add_argument("--heavy-logs", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--soak-seconds", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="Keep the seeded database.")
    parser.add_argument(
        "--two-servers",
        action="store_true",
        help="Two gunicorn servers (each with --workers) behind HAProxy, round-robin, to "
        "compare with one (docs/scaling.md).",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Sample every page's gunicorn workers with py-spy while wrk drives it, and write "
        "each page's top frames to bench/profiles/ (the figures of such a run are lower).",
    )
    parser.add_argument(
        "--pgbouncer",
        action="store_true",
        help="Seed and serve through PgBouncer in transaction pooling mode (.ci/pgbouncer.sh).",
    )
    args = parser.parse_args()
    args.run_name = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    if args.profile and not Path(PYTHON).with_name("py-spy").exists():
        sys.exit("py-spy is not installed: make .venv/.test-deps")
    if args.pgbouncer and "PGBOUNCER_PORT" not in os.environ:
        # Run again under .ci/pgbouncer.sh, which starts PgBouncer in front of the benchmark
        # database, sets DATABASE_URL to it and DATABASE_POOLER=pgbouncer (passed on to gunicorn
        # by app_env), and stops it when the run ends.
        os.execvpe(
            "bash",
            [
                "bash",
                str(BASE_DIR / ".ci" / "pgbouncer.sh"),
                "sh",
                "-c",
                'BENCH_DATABASE_URL="$DATABASE_URL" exec "$@"',
                "bench",
                PYTHON,
                str(Path(__file__).resolve()),
                *sys.argv[1:],
            ],
            {**os.environ, "DATABASE_URL": DATABASE_URL},
        )
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        recreate_database(args)
    with tempfile.TemporaryDirectory() as static_root:
        os.environ["STATIC_ROOT"] = static_root
        manage("collectstatic", "--noinput", "-v0")
        run(args)


def run(args) -> None:
    sys.path.insert(0, str(BASE_DIR))
    from motovault.tests.browser.stub_services import StubServices
    from motovault.tests.load_balancer import load_balancer

    ports = [free_port() for _ in range(2 if args.two_servers else 1)]
    with StubServices() as stub, ExitStack() as stack:
        servers = [gunicorn(port, stub.url, args.workers) for port in ports]
        try:
            if args.two_servers:
                # docs/scaling.md's topology: HAProxy, round-robin, over both servers.
                base = stack.enter_context(load_balancer(free_port(), ports))
            else:
                base = f"http://127.0.0.1:{ports[0]}"
            figures = in_process_figures(base, stub.url)
            pages = []
            for name, path, who in figures["pages"]:
                cookie = figures["cookies"].get(who)
                warm(base + path, cookie)
                with profiling(args, servers, f"{name} ({who or 'anonymous'})") as profile:
                    measured = wrk(
                        base + path, cookie, seconds=args.seconds, connections=args.connections
                    )
                if profile:
                    measured["profile"] = profile
                measured.update(
                    page=name,
                    owner=who or "anonymous",
                    path=path,
                    queries=figures["queries"].get(f"{name}:{who}"),
                )
                pages.append(measured)
                print(
                    f"  {name:<28} {who or 'anonymous':<9} {measured['rps']:>8.0f} req/s "
                    f"p50 {measured['p50_ms']:>6.2f} ms  p99 {measured['p99_ms']:>6.2f} ms  "
                    f"{measured['queries']} queries"
                )
            ceiling = next(p["rps"] for p in pages if p["page"] == "ceiling")
            for page in pages:
                page["fraction_of_ceiling"] = round(page["rps"] / ceiling, 3)
            soak = run_soak(args, base, figures, servers)
        finally:
            stack.close()
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count()},
        "settings": {
            "connections": args.connections,
            "seconds": args.seconds,
            "workers": args.workers,
            "servers": "two, behind HAProxy" if args.two_servers else "one",
            "owners": args.owners,
            "heavy_logs_per_vehicle": args.heavy_logs,
            "pgbouncer": args.pgbouncer,
            "profiled": args.profile,
        },
        "pages": pages,
        "in_process": figures["timings"],
        "soak": soak,
    }
    out = RESULTS / f"{args.run_name}.json"
    out.write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nWritten to {out.relative_to(BASE_DIR)}")


def run_soak(args, base, figures, servers) -> dict:
    if args.soak_seconds <= 0:
        return {}
    cookie = figures["cookies"][HEAVY]
    before = [kib for server in servers for kib in worker_memory_kib(server)]
    script = BASE_DIR / "bench" / "soak.lua"
    env_script = Path(tempfile.mkdtemp()) / "soak.lua"
    env_script.write_text(
        script.read_text()
        .replace("{{CSRF}}", figures["csrf"]["token"])
        .replace("{{VEHICLE}}", figures["csrf"]["vehicle"])
        .replace("{{ORIGIN}}", base.replace("http://", "https://"))
    )
    write_cookie = f"{cookie}; csrftoken={figures['csrf']['cookie']}"
    written_before = soak_records()
    measured = wrk(
        base + "/", write_cookie, seconds=args.soak_seconds, connections=32, script=env_script
    )
    after = [kib for server in servers for kib in worker_memory_kib(server)]
    errors_log = RESULTS / "gunicorn-errors.log"
    server_errors = errors_log.read_text().count("Traceback") if errors_log.exists() else 0
    measured.update(
        worker_rss_kib_before=before,
        worker_rss_kib_after=after,
        server_errors_logged=server_errors,
        records_written=soak_records() - written_before,
    )
    return measured


def soak_records() -> int:
    """The soak's writes that reached the database (a 3xx could also be a redirect to log in)."""
    count = "SELECT count(*) FROM maintenance WHERE notes = 'soak'"
    output = subprocess.run(["psql", DATABASE_URL, "-tAc", count], capture_output=True, text=True)
    return int(output.stdout.strip() or 0)


def print_table(report: dict) -> None:
    print(
        f"\n{'page':<28} {'owner':<9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'queries':>7} {'of ceiling':>10}"
    )
    for page in report["pages"]:
        print(
            f"{page['page']:<28} {page['owner']:<9} {page['rps']:>8.0f} "
            f"{page['p50_ms']:>7.2f} {page['p99_ms']:>7.2f} {page['queries']!s:>7} "
            f"{page['fraction_of_ceiling']:>10.0%}"
        )
    print("\nIn process (median of repeated runs):")
    for name, value in report["in_process"].items():
        print(f"  {name:<44} {value}")
    if report["soak"]:
        soak = report["soak"]
        print(
            f"\nSoak: {soak['requests']:,} requests at 32 connections, "
            f"{soak['non_2xx_3xx']} non-2xx/3xx, {soak['server_errors_logged']} server errors, "
            f"{soak['records_written']:,} records written; "
            f"worker RSS {soak['worker_rss_kib_before']} -> {soak['worker_rss_kib_after']} KiB"
        )


if __name__ == "__main__":
    main()
