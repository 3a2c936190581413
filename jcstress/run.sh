#!/usr/bin/env bash
# Builds the jcstress tests and runs them; results go to jcstress/target/results (index.html).
#   jcstress/run.sh            # quick mode: about a minute per test on a small machine
#   jcstress/run.sh default    # jcstress's default mode, much longer
#   jcstress/run.sh quick -t ChannelCloseVersusSend   # extra arguments go to jcstress
# Other work on the cores makes rare interleavings rarer; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
shift || true

mvn -B -q -ntp -pl jcstress -am package -DskipTests -Dmaven.javadoc.skip
cd jcstress/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -jar jcstress.jar -m "$mode" -r results "$@"
