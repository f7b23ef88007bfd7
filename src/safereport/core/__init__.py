"""The pure core of SafeReport.

Nothing under this package imports Django (a test enforces it). Policy,
cryptography, the transparency log, risk scoring, choice models and the
simulator live here and receive what they need (keys, storage, clocks) as
arguments, so they can be tested, benchmarked and audited on their own.
"""
