"""`styrkort bench evaluate|scorecard|report|import|round|load|all [--size small|full] [--json]`.

Each benchmark is a function ``bench_NAME(size, *, echo=None) -> dict`` in the module
named by ``BENCHMARKS``: it prepares its data (not timed), measures, sends human-readable
lines to ``echo`` (default: standard error) and returns its figures as a JSON-ready dict.
A benchmark whose module is not there yet prints one line saying so and counts as
success, so that scripts can loop over every name.
"""

from __future__ import annotations

import importlib
import inspect
import json

from styrkort.commands import BadInput, StyrkortCommand

BENCHMARKS: dict[str, str] = {
    "evaluate": "styrkort.bench.evaluate:bench_evaluate",
    "scorecard": "styrkort.bench.scorecard:bench_scorecard",
    "report": "styrkort.bench.reports:bench_report",
    "import": "styrkort.bench.imports:bench_import",
    "round": "styrkort.bench.rounds:bench_round",
    "load": "styrkort.bench.load:bench_load",
    "search": "styrkort.bench.search:bench_search",
}


def load_benchmark(name: str):
    """The benchmark function, or None when its module or function does not exist yet."""
    module_name, _, func_name = BENCHMARKS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, func_name, None)


class Command(StyrkortCommand):
    requires_system_checks = []
    help = "Kör prestandamätningar på syntetiska data (se docs/evaluation.md)."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"{' | '.join(BENCHMARKS)} | all")
        parser.add_argument("--size", default="small", help="small (standard) eller full")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Skriv resultatet som JSON."
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=0,
            help="bench scorecard: utfall som sparas per sekund under mätningen (standard 0).",
        )

    def handle(self, *args, name, size, as_json=False, writers=0, **options):
        if size not in ("small", "full"):
            raise BadInput(f"Okänd storlek: '{size}' (använd small eller full).")
        if name != "all" and name not in BENCHMARKS:
            raise BadInput(f"Okänd mätning: '{name}' (använd {', '.join(BENCHMARKS)} eller all).")
        names = list(BENCHMARKS) if name == "all" else [name]
        results = {}
        for bench in names:
            func = load_benchmark(bench)
            if func is None:
                line = f"bench {bench}: inte tillgänglig ännu ({BENCHMARKS[bench]} saknas)."
                self.stderr.write(line) if as_json else self.stdout.write(line)
                results[bench] = {"benchmark": bench, "available": False}
                continue
            echo = self.stderr.write if as_json else self.stdout.write
            parameters = inspect.signature(func).parameters
            kwargs = {"echo": echo} if "echo" in parameters else {}
            if writers and "writers" in parameters:
                kwargs["writers"] = writers
            result = func(size, **kwargs)
            results[bench] = result if isinstance(result, dict) else {"result": result}
            if not as_json and isinstance(result, dict):
                self.stdout.write(f"bench {bench} ({size}):")
                for key, value in result.items():
                    self.stdout.write(f"  {key}: {value}")
        if as_json:
            payload = results if name == "all" else results[name]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
