#!/usr/bin/env bash
# Runs the benchmarks on JDK 25 (virtual threads) and writes BENCHMARKS.md at the repo root.
#   benchmarks/run.sh quick   # under 10 minutes (9 in S20): one warm-up iteration, B1 without inFlight=16, B4 with 100,000 elements
#   benchmarks/run.sh full    # every parameter, more forks and iterations
# Run it on a quiet machine: other work on the cores distorts every number.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-quick}"

JAVA_HOME="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n 1 || true)"
if [[ -z "$JAVA_HOME" ]]; then
  echo "benchmarks: no Temurin JDK 25 under /usr/lib/jvm; the peers need virtual threads" >&2
  exit 1
fi
export JAVA_HOME
java="$JAVA_HOME/bin/java"

mvn -B -q -ntp -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip
out=benchmarks/target/results
rm -rf "$out" && mkdir -p "$out"

case "$profile" in
  quick) timed=(-f 1 -wi 1 -i 3 -w 1s -r 1s); single=(-f 1 -wi 1 -i 3); calls=(-p inFlight=256,1000); elements=(-p n=100000); tasks=200000 ;;
  full)  timed=(-f 2 -wi 5 -i 5 -w 2s -r 2s); single=(-f 2 -wi 3 -i 5); calls=(); elements=(); tasks=1000000 ;;
  *) echo "usage: benchmarks/run.sh [quick|full]" >&2; exit 2 ;;
esac

jar=benchmarks/target/benchmarks.jar
"$java" -jar "$jar" 'GatherBenchmark|InteropBenchmark|PermitBenchmark' "${timed[@]}" -rf json -rff "$out/timed.json"
"$java" -jar "$jar" 'ChannelBenchmark' "${timed[@]}" "${elements[@]}" -rf json -rff "$out/channel.json"
"$java" -jar "$jar" 'SlowProducerBenchmark' "${timed[@]}" -rf json -rff "$out/slow-producer.json"
"$java" -jar "$jar" 'ManyCallsBenchmark' "${single[@]}" "${calls[@]}" -rf json -rff "$out/calls.json"

for kind in corobridge-sleep corobridge-async kotlinx virtual-threads; do
  "$java" -Xms4g -Xmx8g -cp "$jar" dev.corobridge.benchmarks.ParkedTasksFootprint "$kind" "$tasks" >> "$out/footprint.txt"
done

"$java" -cp "$jar" dev.corobridge.benchmarks.Scenarios 100000 > "$out/scenarios.jsonl"
if command -v python3 > /dev/null; then
  python3 benchmarks/python/scenarios.py 100000 >> "$out/scenarios.jsonl"
  python3 benchmarks/report.py "$profile" "$out" > BENCHMARKS.md
  echo "wrote BENCHMARKS.md"
else
  echo "benchmarks: python3 is needed for the asyncio side and the report; raw results are in $out" >&2
fi
