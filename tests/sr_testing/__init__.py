"""Helpers shared by SafeReport's tests: personas, sign-in, the browser harness."""
