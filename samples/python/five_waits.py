# The Python side of the "waits" sample: five waits of 100 ms, blocking and then with asyncio.
# Standard library only; prints one line that the Java tour shows next to its own numbers.
import asyncio
import time

WAIT = 0.1


def blocking():
    for _ in range(5):
        time.sleep(WAIT)


async def concurrent():
    await asyncio.gather(*(asyncio.sleep(WAIT) for _ in range(5)))


start = time.perf_counter()
blocking()
blocking_ms = (time.perf_counter() - start) * 1000

start = time.perf_counter()
asyncio.run(concurrent())
async_ms = (time.perf_counter() - start) * 1000

print(f"blocking {blocking_ms:.0f} ms, async {async_ms:.0f} ms")
