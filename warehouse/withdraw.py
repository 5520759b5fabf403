"""Withdraw a load: a bad delivery undone, in one transaction, without losing anything.

The load is marked withdrawn (who, when, why); the revisions it made current stop being current; for each
key they held, the latest remaining delivery from a load that is not withdrawn becomes current again (as a
'reinstated' revision with that delivery's file and row). Every earlier state stays in observation_history
and can be reproduced as at any moment before the withdrawal. Loading the same bytes again later is a new
load, which is how a withdrawal is undone.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.sqlfiles import fetch_one, named_queries, run_named, transaction

WITHDRAW_SQL = "withdraw.sql"


class WithdrawError(ValueError):
    """The load cannot be withdrawn (unknown id, or withdrawn already); the message says which."""


@dataclass(frozen=True)
class Withdrawal:
    load_id: int
    source_file: str
    withdrawn_at: datetime
    rows_closed: int  # revisions of this load that stopped being current
    rows_reinstated: int  # of those keys, how many have an earlier delivery current again


def _affected(cursor: duckdb.DuckDBPyConnection) -> int:
    rows = cursor.fetchall()
    return int(rows[0][0]) if rows else 0


def withdraw_load(con: duckdb.DuckDBPyConnection, load_id: int, reason: str, by: str | None = None,
                  now: datetime | None = None) -> Withdrawal:
    if not reason.strip():
        raise WithdrawError("give the reason for withdrawing the load; it is kept in the loads view")
    now = now or datetime.now()
    params = {"load_id": load_id, "withdrawn_at": now, "reason": reason.strip(),
              "withdrawn_by": by or getpass.getuser()}
    with transaction(con):
        found = fetch_one(con, named_queries(WITHDRAW_SQL)["find_load"], params)
        if found is None:
            raise WithdrawError(f"there is no load {load_id}: see `outcomes query \"SELECT * FROM loads\"`")
        if found[2] is not None:
            raise WithdrawError(f"load {load_id} ({found[1]}) was already withdrawn on {found[2]:%Y-%m-%d %H:%M}")
        run_named(con, WITHDRAW_SQL, "mark_withdrawn", params).fetchall()
        run_named(con, WITHDRAW_SQL, "collect_withdrawn_current", params).fetchall()
        closed = _affected(run_named(con, WITHDRAW_SQL, "close_withdrawn", params))
        reinstated = _affected(run_named(con, WITHDRAW_SQL, "reinstate_latest_remaining", params))
        run_named(con, WITHDRAW_SQL, "drop_withdrawn_current").fetchall()
    return Withdrawal(load_id, str(found[1]), now, closed, reinstated)
