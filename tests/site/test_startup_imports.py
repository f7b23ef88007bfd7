"""A Django process starts without the scientific libraries or the PDF maker.

The choice model and the simulator need SciPy and matplotlib (over a second to
import); every web worker, job worker and management command loads the URL
configuration, which names the survey pages. ``core.choice`` and
``core.simulate`` import those parts on first use (``core/lazy.py``), and the
survey views import the analysis inside the views that draw it; fpdf2 (half
a second) is imported when the first leaflet is drawn. Run in a
fresh interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, os, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every app's views, as the system checks load them
from safereport.core.choice import Design, NO_REPORT
from safereport.core.simulate import Regime
heavy = sorted(m for m in ("scipy", "matplotlib", "scipy.stats", "fpdf") if m in sys.modules)
from safereport.core.choice import estimate
from safereport.core.simulate import simulate_reporting
print(json.dumps({"at_start": heavy, "on_use": "scipy.stats" in sys.modules}))
"""


def test_a_django_process_starts_without_scipy_or_matplotlib(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safereport.settings",
        "SAFEREPORT_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["at_start"] == []
    assert found["on_use"] is True  # the names still work: imported when asked for
