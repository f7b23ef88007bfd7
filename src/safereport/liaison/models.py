"""Police liaison: the three ways to involve the police, acknowledgement, crime
reference, follow-up questions, progress updates the reporter reads,
printable summary.
"""

from __future__ import annotations
