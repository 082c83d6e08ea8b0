"""The `styrkort` console script: a thin shell over Django management commands.

styrkort serve [--host H] [--port N] [--production]
styrkort demo
styrkort createadmin [--username U] [--email E]
styrkort worker
styrkort jobs [--json]
styrkort evaluate --org CODE --period PERIOD [--json]
styrkort overview --org CODE --period PERIOD [--json]
styrkort round open|extend|close|reopen|status --org CODE --period PERIOD [--json]
styrkort round remind [--today DATE] [--dry-run] [--json]
styrkort report interim|annual|plan --org CODE --period PERIOD --format F -o FILE
styrkort import outcomes|plans|ledger FILE [--dry-run] [--json]
styrkort backup FILE
styrkort restore FILE [--force]
styrkort kolada kpis FILE | fetch [--org CODE] [--json] | import FILE [--json] [--example]
styrkort bench evaluate|scorecard|report|import [--size small|full]
styrkort manage <any Django management command>
"""

import os
import sys

SUBCOMMANDS = {
    "serve": "serve",
    "demo": "demo",
    "createadmin": "createadmin",
    "evaluate": "evaluate",
    "overview": "overview",
    "report": "report",
    "import": "import_data",
    "bench": "bench",
    "worker": "worker",
    "jobs": "jobs",
    "round": "round",
    "backup": "backup",
    "restore": "restore",
    "kolada": "kolada",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrkort.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        return
    name, rest = argv[0], argv[1:]
    if name == "manage":
        execute_from_command_line(["styrkort manage", *rest])
        return
    if name not in SUBCOMMANDS:
        print(f"styrkort: okänt kommando '{name}'. Se 'styrkort --help'.", file=sys.stderr)
        sys.exit(2)
    if name == "serve" and "--production" in rest:
        # Production settings (secure cookies, HSTS, SSL redirect, hashed static files, no
        # demo data) follow from --production itself, before the settings are read.
        os.environ["STYRKORT_PRODUCTION"] = "true"
    execute_from_command_line([f"styrkort {name}", SUBCOMMANDS[name], *rest])


if __name__ == "__main__":
    main()
