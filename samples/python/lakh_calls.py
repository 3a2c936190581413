# The Python side of the "lakh" sample: N requests to a local HTTP server (5% of answers are
# 503s), at most 64 in flight, each retried up to 3 times. Standard library only: the server is
# asyncio.start_server, the client speaks HTTP/1.1 over asyncio streams and keeps 64 connections
# alive (as Java's HttpClient does); taking a connection from the pool is the "semaphore".
import asyncio
import random
import sys
import time

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
IN_FLIGHT = 64
handlers = set()


async def handle(reader, writer):
    handlers.add(asyncio.current_task())
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            n = int(request.split(b" ", 2)[1].split(b"n=")[1])
            if random.random() < 0.05:
                status, body = b"503 Service Unavailable", b"busy, try again"
            else:
                status, body = b"200 OK", str(n * n).encode()
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except asyncio.IncompleteReadError:  # the client closed its connection: we are done
        writer.close()


async def square(connections, n):
    reader, writer = await connections.get()
    try:
        writer.write(f"GET /square?n={n} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        body = await reader.readexactly(length)
    finally:
        connections.put_nowait((reader, writer))
    if not head.startswith(b"HTTP/1.1 200"):
        raise IOError(f"HTTP error for n={n}")
    return int(body)


async def call_with_retry(connections, n):
    for attempt in range(3):
        try:
            return await square(connections, n)
        except IOError:
            if attempt == 2:
                raise
            await asyncio.sleep(0.005 * 2 ** attempt)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    connections = asyncio.Queue()
    for _ in range(IN_FLIGHT):
        connections.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    start = time.perf_counter()
    results = await asyncio.gather(*(call_with_retry(connections, n) for n in range(CALLS)), return_exceptions=True)
    elapsed = time.perf_counter() - start
    while not connections.empty():
        connections.get_nowait()[1].close()
    await asyncio.gather(*handlers)
    server.close()
    failed = sum(isinstance(r, Exception) for r in results)
    print(f"{CALLS:,} calls in {elapsed:.1f} s ({CALLS / elapsed:,.0f} calls/s), {failed} failed 3 times")


asyncio.run(main())
