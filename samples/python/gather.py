# The Python side of the "gather" sample: three calls of 300, 200 and 100 ms started together,
# results gathered in input order. Standard library only.
import asyncio
import time


async def call(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} answer"


async def main():
    slow = asyncio.create_task(call("slow", 0.3))
    medium = asyncio.create_task(call("medium", 0.2))
    fast = asyncio.create_task(call("fast", 0.1))
    return await asyncio.gather(slow, medium, fast)


start = time.perf_counter()
results = asyncio.run(main())
print(f"gathered {results} in {(time.perf_counter() - start) * 1000:.0f} ms")
