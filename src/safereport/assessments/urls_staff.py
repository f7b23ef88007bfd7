"""Risk assessments, under /staff/risk/."""

from __future__ import annotations

urlpatterns: list[object] = []
