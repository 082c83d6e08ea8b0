"""A worker forked from the preloaded application has its chart engine warm before the
first chart is asked for: the first chart after a start is no slower than later ones."""

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import os, sys, threading, time, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrkort.settings")
    django.setup()
    from styrkort.web import charts
    charts.prepare_for_workers()  # what styrkort.wsgi does in gunicorn's master
    pid = os.fork()
    if pid:
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
    for t in threading.enumerate():  # the worker's warm-up, started at the fork
        if t.name == "chart-warm-up":
            t.join(60)
    def chart(n):
        points = [charts.ChartPoint(str(2020 + i), i, "total", float(i * n)) for i in range(4)]
        started = time.perf_counter()
        assert charts.render_svg(points, title=f"Diagram {n}", unit="st").startswith("<svg")
        return time.perf_counter() - started
    first, later = chart(1), min(chart(2), chart(3), chart(4))
    print(f"{first * 1000:.0f} {later * 1000:.0f}")
    os._exit(0 if first <= 3 * later + 0.15 else 3)
    """
)


def test_first_chart_in_a_forked_worker_is_as_fast_as_later_ones():
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, (done.stdout, done.stderr[-2000:])
