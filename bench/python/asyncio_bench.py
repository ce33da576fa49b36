"""The scheduler workloads of bench/scheduler.ts, in Python asyncio, for comparison.

    python3 bench/python/asyncio_bench.py resumptions <tasks> <yields> <runs>
    python3 bench/python/asyncio_bench.py sleepers <count> <spread_seconds> <seed>

Each prints one JSON line. Resumptions: `tasks` tasks each doing `yields`
`await asyncio.sleep(0)`, each of which is one step of the task (one
resumption), plus the first step. Sleepers: `count` tasks created at once, each
sleeping uniformly in [0, spread); a wake is due `d` after the moment all were
created (t0), the same definition as bench/workers/sleepers.ts, where every
sleep starts at the logical instant the clock starts.
"""
import asyncio
import gc
import json
import random
import resource
import sys
import time


def rss_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def peak_rss_bytes():
    """VmHWM: peak RSS since exec (ru_maxrss would include the parent's RSS, carried over across fork and exec)."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def percentile(sorted_values, p):
    rank = -(-p * len(sorted_values) // 100)  # ceil
    return sorted_values[min(len(sorted_values) - 1, max(0, int(rank) - 1))]


async def yielder(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def resumption_run(tasks, yields):
    coros = [yielder(yields) for _ in range(tasks)]
    cpu = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*coros)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    count = tasks * (yields + 1)
    return count / wall, count / cpu


def resumptions(tasks, yields, runs):
    """Per run: resumptions per second of wall time and of process CPU time (as the Node side reports)."""
    results = [asyncio.run(resumption_run(tasks, yields)) for _ in range(runs + 1)][1:]
    return {'tasks': tasks, 'yields': yields, 'rates': [w for w, _ in results], 'cpuRates': [c for _, c in results]}


def sleepers(count, spread, seed):
    rng = random.Random(seed)
    durations = [rng.random() * spread for _ in range(count)]
    late = [0.0] * count
    own_late = [0.0] * count
    gc.collect()
    base_rss = rss_bytes()

    async def main():
        loop = asyncio.get_running_loop()

        async def sleeper(i, t0):
            began = loop.time()
            await asyncio.sleep(durations[i])
            now = loop.time()
            late[i] = now - (t0 + durations[i])
            own_late[i] = now - (began + durations[i])

        t0 = loop.time()
        tasks = [asyncio.ensure_future(sleeper(i, t0)) for i in range(count)]
        await asyncio.gather(*tasks)
        return loop.time() - t0

    total = asyncio.run(main())
    late.sort()
    own_late.sort()
    return {
        'count': count,
        'spread': spread,
        'totalMs': total * 1000,
        'lateMs': {k: percentile(late, p) * 1000 for k, p in (('p50', 50), ('p99', 99))} | {'max': late[-1] * 1000},
        'ownLateMs': {k: percentile(own_late, p) * 1000 for k, p in (('p50', 50), ('p99', 99))} | {'max': own_late[-1] * 1000},
        'memory': {'baseRss': base_rss, 'peakRss': peak_rss_bytes()},
    }


if __name__ == '__main__':
    kind = sys.argv[1]
    if kind == 'resumptions':
        result = resumptions(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif kind == 'sleepers':
        result = sleepers(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(f'unknown workload {kind!r}')
    result['python'] = sys.version.split()[0]
    print(json.dumps(result))
