"""The benchmarks' shared virtualenv (tools/bench/.venv), where PyPI peers are installed."""

import os
import subprocess
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"


def run_in_venv(script, packages, probe):
    """Re-executes `script` inside tools/bench/.venv, first installing `packages` there
    unless the Python statement `probe` (e.g. "import numpy") already succeeds. Returns
    at once when already running inside the virtualenv."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not (VENV / "bin" / "python").exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    py = str(VENV / "bin" / "python")
    if subprocess.run([py, "-c", probe], capture_output=True).returncode != 0:
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", *packages])
    os.execv(py, [py, script, *sys.argv[1:]])
