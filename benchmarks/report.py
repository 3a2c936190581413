# Writes BENCHMARKS.md from the results of benchmarks/run.sh (JMH JSON, footprint, scenarios).
# Every table puts corobridge beside its peers from the same run, with the ratio to native kotlinx.
import json
import os
import platform
import sys

profile, results = sys.argv[1], sys.argv[2]

TARGETS = {
    "ManyCallsBenchmark": ("B1", "100,000 calls, N in flight, simulated I/O (ms per 100,000 calls)",
                           "nativeSemaphoreAwaitAll", "≤ 1.10× native; within 1.10× of ⌈100,000/N⌉ × latency"),
    "PermitBenchmark": ("B2/B3", "semaphore (permits=4) and mutex (permits=1), ns per protected increment",
                        "nativeContended", "B2 ≤ 1.15× native contended; B3 ≤ 1.2× native"),
    "ChannelBenchmark": ("B4", "producer/consumer of n integers (1,000,000; 100,000 in the quick profile), ms", "nativeChannel",
                         "≤ 1.15× native with iterator/forEach consumption"),
    "SlowProducerBenchmark": ("B4", "a consumer waiting on a slower producer: n integers, workMicros of work before each, ms",
                              "nativeChannel", "≤ 1.15× native with iterator consumption"),
    "GatherBenchmark": ("B5", "task group of n children, gathered, µs", "nativeAwaitAll", "≤ 1.15× native; linear in n"),
    "InteropBenchmark": ("B7", "interop round trips, ns per call", "nativeFuture", "≤ 150 ns overhead per call over native"),
}


def load(name):
    path = os.path.join(results, name)
    return json.load(open(path)) if os.path.exists(path) else []


def machine(runs):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    java = f"JDK {runs[0]['jdkVersion']} ({runs[0]['vmName']} {runs[0]['vmVersion']})" if runs else "JDK ?"
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, {java}"


def params(run):
    return ", ".join(f"{k}={v}" for k, v in sorted(run.get("params", {}).items()))


# Which native-kotlinx benchmark each other benchmark is compared with, where it is not the class default.
PAIRS = {
    "corobridgeCall": "nativeFuture",
    "corobridgeSuspendAwaitCompleted": "nativeAwaitCompleted",
    "corobridgeSuspendAwaitPending": "nativeAwaitPending",
    "corobridgeUncontended": "nativeUncontended",
    "corobridgeContended": "nativeContended",
    "jdkSemaphoreVirtualThreads": "nativeContended",
    "jdkSemaphorePlatformThreads": "nativeContended",
}


def native_for(run, default_native, same_class_runs):
    method = run["benchmark"].rsplit(".", 1)[1]
    target = method if method.startswith("native") else PAIRS.get(method, default_native)
    candidates = [r for r in same_class_runs
                  if r["benchmark"].endswith("." + target) and r.get("params") == run.get("params")]
    return candidates[0] if candidates else None


runs = load("timed.json") + load("channel.json") + load("slow-producer.json") + load("calls.json")
out = ["# Benchmarks", "",
       f"Profile **{profile}**, run with `benchmarks/run.sh {profile}` on {machine(runs)}. "
       "All peers of a table ran in the same JMH run, on JDK 25 (virtual threads). "
       "Ratio = score / native kotlinx score for the same parameters (lower is better for time).", ""]

for cls, (code, title, native, target) in TARGETS.items():
    mine = [r for r in runs if r["benchmark"].split(".")[-2] == cls]
    if not mine:
        continue
    settings = mine[0]
    out += [f"## {code}: {title}", "",
            f"Target: {target}. Settings: {settings['mode']}, forks {settings['forks']}, "
            f"warm-up {settings['warmupIterations']} × {settings['warmupTime']}, "
            f"measurement {settings['measurementIterations']} × {settings['measurementTime']}.", "",
            "| benchmark | params | score | error | unit | × native |", "|---|---|---|---|---|---|"]
    for run in sorted(mine, key=lambda r: (params(r), r["benchmark"])):
        metric = run["primaryMetric"]
        base = native_for(run, native, mine)
        ratio = f"{metric['score'] / base['primaryMetric']['score']:.2f}" if base and base["primaryMetric"]["score"] else "–"
        out.append(f"| {run['benchmark'].rsplit('.', 1)[1]} | {params(run)} | {metric['score']:.3f} | "
                   f"{metric['scoreError']:.3f} | {metric['scoreUnit']} | {ratio} |")
    out.append("")

footprint = os.path.join(results, "footprint.txt")
if os.path.exists(footprint):
    rows = [line.split() for line in open(footprint) if line.strip()]
    base = next((float(r[2]) for r in rows if r[0] == "kotlinx"), None)
    out += ["## B6: heap bytes per parked task (each waiting an hour)", "",
            "Target: ≤ 0.5 KB per task, below virtual threads. One JVM per kind; heap used after GC, "
            "before and after starting the tasks.", "",
            "| kind | tasks | bytes per task | × native |", "|---|---|---|---|"]
    for kind, count, per_task in rows:
        out.append(f"| {kind} | {int(count):,} | {float(per_task):.0f} | {float(per_task) / base:.2f} |" if base
                   else f"| {kind} | {int(count):,} | {float(per_task):.0f} | – |")
    out.append("")

scenarios = os.path.join(results, "scenarios.jsonl")
if os.path.exists(scenarios):
    rows = [json.loads(line) for line in open(scenarios) if line.strip().startswith("{")]
    out += ["## The seeds' scenarios: Python asyncio and corobridge", "",
            "Same scenario, best of three runs each, wall time (`benchmarks/python/scenarios.py` and "
            "`dev.corobridge.benchmarks.Scenarios`).", "",
            "| scenario | python asyncio ms | corobridge ms |", "|---|---|---|"]
    for name in dict.fromkeys(r["scenario"] for r in rows):
        by = {r["runtime"]: r["ms"] for r in rows if r["scenario"] == name}
        out.append(f"| {name} | {by.get('python asyncio', '–')} | {by.get('corobridge', '–')} |")
    out.append("")

analysis = os.path.join(os.path.dirname(__file__), "ANALYSIS.md")
if os.path.exists(analysis):
    out += [open(analysis).read()]

print("\n".join(out))
