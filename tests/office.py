"""LibreOffice, the reader users have, for tests that open what Styrkort writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path


def soffice_convert(path: Path, out_dir: Path, to: str = "pdf", infilter: str = "") -> Path:
    """Convert with LibreOffice headless (`soffice`) and return the file it wrote."""
    soffice(path, out_dir, to, infilter)
    converted = out_dir / f"{path.stem}.{to}"
    assert converted.exists(), f"LibreOffice wrote no {to} for {path.name}"
    return converted


def soffice(path: Path, out_dir: Path, to: str, infilter: str = "") -> None:
    """Convert with LibreOffice headless, with a profile of its own (runs in parallel);
    `to` is the target format with its filter options, `infilter` the import filter's
    options (a CSV's separator, encoding, language)."""
    profile = Path(f"/tmp/lo_profile_{os.getpid()}_{uuid.uuid4().hex[:8]}")
    try:
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                *([f"--infilter={infilter}"] if infilter else []),
                "--convert-to",
                to,
                "--outdir",
                str(out_dir),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
