# Seed 000's and seed 004's scenarios in Python asyncio (standard library only), timed the same
# way as the Java side (dev.corobridge.benchmarks.Scenarios). Prints one JSON object per line.
import asyncio
import json
import sys
import time

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


async def many_calls(calls, in_flight, latency):
    slots = asyncio.Semaphore(in_flight)

    async def call(i):
        async with slots:
            await asyncio.sleep(latency)
            return i

    return len(await asyncio.gather(*(call(i) for i in range(calls))))


async def cake_and_groceries(minute):
    async def bake():
        await asyncio.sleep(15 * minute)
        await asyncio.sleep(45 * minute)

    async def shop():
        await asyncio.sleep(20 * minute)

    await asyncio.gather(bake(), shop())


async def five_waits(wait):
    await asyncio.gather(*(asyncio.sleep(wait) for _ in range(5)))


def timed(name, make):
    """Runs a fresh coroutine from make() three times and keeps the best time, as the Java side does."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        asyncio.run(make())
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"scenario": name, "runtime": "python asyncio", "ms": round(best * 1000, 1)}))


timed(f"seed 000: {CALLS:,} calls, 1 ms each, 1,000 in flight", lambda: many_calls(CALLS, 1000, 0.001))
timed(f"seed 000: {CALLS:,} calls, 0 ms each, 1,000 in flight", lambda: many_calls(CALLS, 1000, 0))
timed("seed 004: cake and groceries, 1 min = 5 ms (ideal 300 ms)", lambda: cake_and_groceries(0.005))
timed("seed 004: five 100 ms waits (ideal 100 ms)", lambda: five_waits(0.1))
