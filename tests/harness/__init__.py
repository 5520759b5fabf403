"""Reusable harnesses for the warehouse's reliability tests (issue 5), extended by the reliability proof
(issue 10) rather than rewritten:

- ``pipeline``: ``outcomes run`` in a child process that can stop at a named point (a breakpoint in the
  code path: validating, mid-load inside the transaction, computing, publishing, reporting) or at a
  random moment, so a test can SIGKILL it exactly there; plus an in-process run through Dagster.
- ``readers``: analysts in other processes holding the published file open (or reconnecting in a loop)
  with the recommended read-only connection, recording every answer and error as JSON lines.
- ``contents``: the content of every analyst view, ignoring load ids, revision ids and timestamps, so
  "a rerun after a kill equals one clean run" is one comparison.
- ``files``: landing folders built from the SAMPLE DATA, a revised extract, file hashes;
  ``processes``: the environment every child process needs.
"""
