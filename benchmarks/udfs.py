"""KP_* worksheet functions: cost per call after warm-up, against a bare dict lookup in the same run.

    python benchmarks/udfs.py [--calls 100000]

Fills a temporary store with two quarters (35 regions each), warms the cache with every call
once, then times a shuffled mix of calls (all functions, municipalities, regions, 'Nederland',
both periods, and a few wrong names). The baseline is a loop doing a dict lookup per item over
the same mixed list. A second figure times the same mix with the answer memo switched off
(every call resolves names and computes from the in-memory index).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from xlkp.checks import check_sections
from xlkp.samples import sample_sections
from xlkp.store import Store


def build(path: Path) -> list[tuple]:
    sections = []
    with Store.open(path) as store:
        for period in ("2021-Q1", "2022-Q1"):
            quarter = sample_sections(period)
            store.replace_periods(quarter, check_sections(quarter), "benchmark")
            sections += quarter
    municipalities = sorted({r.municipality.strip() for s in sections for r in s.rows})
    regions = sorted({s.region for s in sections})
    areas = municipalities + regions + ["Nederland", "alkmar", "Heerhugowaard"]
    calls = []
    for area in areas:
        for period in (None, "2021-Q1", "Eerste kwartaal 2022"):
            calls += [
                ("KP_COVERAGE", (area, period)),
                ("KP_TOTAL", (area, period)),
                ("KP_VALUE", (area, 2.0, period)),
                ("KP_VALUE", (area, "Totaal", period)),
                ("KP_REGISTER", (area, period)),
                ("KP_CHECK", (area, period)),
            ]
        calls.append(("KP_REGION", (area,)))
    calls += [("KP_TABLE", (r, None)) for r in regions] + [("KP_PERIODS", ())]
    return calls


def run(udfs, calls: list[tuple], memo: bool = True) -> float:
    functions = [(getattr(udfs, name), args) for name, args in calls]
    error = udfs.KPFormulaError
    forget = udfs._cache.memo.clear if not memo else (lambda: None)  # the index stays loaded
    start = time.perf_counter()
    for function, args in functions:
        forget()
        try:  # noqa: SIM105 (contextlib.suppress would add its own cost to the timing)
            function(*args)
        except error:
            pass
    return time.perf_counter() - start


def baseline(calls: list[tuple]) -> float:
    table = {(name, args): 0 for name, args in calls}
    keys = [(name, args) for name, args in calls]
    start = time.perf_counter()
    for key in keys:
        table[key]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ["XLKP_STORE"] = str(Path(directory) / "store.sqlite")
        calls = build(Path(os.environ["XLKP_STORE"]))
        from xlkp.excel import udfs

        udfs.reset()
        t0 = time.perf_counter()
        run(udfs, calls[:1])
        first = time.perf_counter() - t0  # opens the store and builds the index
        run(udfs, calls)  # warm-up: every distinct call once
        rng = random.Random(args.seed)
        mix = [rng.choice(calls) for _ in range(args.calls)]
        udfs_s = min(run(udfs, mix) for _ in range(3))
        base_s = min(baseline(mix) for _ in range(3))
        # memo off: names resolved and figures computed from the index on every call
        unmemo = mix[: max(1, args.calls // 10)]
        cold_s = min(run(udfs, unmemo, memo=False) for _ in range(3)) / len(unmemo) * len(mix)
        udfs.reset()
    per = 1e6 / len(mix)
    print(f"{len(mix):,} mixed calls over {len(calls):,} distinct ones (Python {sys.version.split()[0]})")
    print(f"first call (open store, build index): {first * 1e3:8.1f} ms")
    print(f"KP_* after warm-up:                   {udfs_s * per:8.2f} µs/call")
    print(f"bare dict lookup (baseline):          {base_s * per:8.2f} µs/call")
    print(f"ratio:                                {udfs_s / base_s:8.1f} x")
    print(f"memo off (index only):                {cold_s * per:8.2f} µs/call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
