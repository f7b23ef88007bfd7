"""Risk assessment pages: the 24-item checklist, flags, MARAC suggestion, re-
assessment history, exploitation indicators and NRM guidance.
"""

from __future__ import annotations
