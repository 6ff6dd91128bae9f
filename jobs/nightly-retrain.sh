#!/usr/bin/env bash
# Nightly retrain through spark-submit: `tracer update` (or `tracer fit`) on the cluster jar (everything but Spark),
# on whatever Spark 3.5 / Scala 2.12 installation spark-submit belongs to (YARN, standalone,
# Kubernetes or local). See docs/operations.md.
#
# Environment:
#   TRACES             trace table URI (required), e.g. s3://bucket/traces/ or a Delta path
#   TRACER_HISTORY     trace history Delta table URI: when set, the run is `tracer update`
#                      (merge TRACES into the history, refit on all of it, promote only a
#                      certified policy); when unset, `tracer fit` on TRACES alone
#   TRACER_PROFILE     config profile URI (default: file:<repo>/conf/local.conf); use a URI with a
#                      scheme: a bare path resolves against the cluster's default file system
#   TRACER_JAR         cluster jar (default: <repo>/target/tracer-spark-cluster.jar)
#   TRACER_TARGET      agreement target of the published policy (default: 0.95)
#   TRACER_RUN_ID      run id (default: nightly-<UTC date>, so a re-run the same night replaces
#                      that night's table rows instead of adding a second run)
#   TRACER_DEPLOY_MODE client (default) or cluster; client keeps the driver's exit code as
#                      spark-submit's exit code, which is what alerting reads
#   TRACER_DRIVER_MEMORY  driver heap (default: 8g)
#   TRACER_SPARK_ARGS  more spark-submit options, e.g. "--master yarn --num-executors 4"
#   SPARK_SUBMIT       the spark-submit to run (default: $SPARK_HOME/bin/spark-submit, else PATH)
#
# Java 17 module flags (--add-opens) are not passed here: Spark 3.5's launcher adds them to the
# driver, and SparkContext adds them to the executors (org.apache.spark.launcher.JavaModuleOptions).
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ -z "${TRACES:-}" ]; then
  echo "nightly-retrain: set TRACES to the trace table URI" >&2
  exit 2
fi
JAR="${TRACER_JAR:-$HOME_DIR/target/tracer-spark-cluster.jar}"
case "$JAR" in
  *://*|*:/*) ;;  # remote or qualified: spark-submit fetches it
  *) if [ ! -f "$JAR" ]; then
       echo "nightly-retrain: $JAR not found; build it first: mvn -B -DskipTests package" >&2
       exit 2
     fi ;;
esac
PROFILE="${TRACER_PROFILE:-file:$HOME_DIR/conf/local.conf}"
RUN_ID="${TRACER_RUN_ID:-nightly-$(date -u +%Y%m%d)}"
if [ -n "${SPARK_SUBMIT:-}" ]; then
  SUBMIT="$SPARK_SUBMIT"
elif [ -n "${SPARK_HOME:-}" ]; then
  SUBMIT="$SPARK_HOME/bin/spark-submit"
else
  SUBMIT="spark-submit"
fi

if [ -n "${TRACER_HISTORY:-}" ]; then
  COMMAND=(update --history "$TRACER_HISTORY")
else
  COMMAND=(fit)
fi

# One YARN attempt: a failed fit is reported, not silently run a second time.
# shellcheck disable=SC2086
exec "$SUBMIT" \
  --class io.tracer.cli.TracerCli \
  --name tracer-nightly-retrain \
  --deploy-mode "${TRACER_DEPLOY_MODE:-client}" \
  --driver-memory "${TRACER_DRIVER_MEMORY:-8g}" \
  --conf spark.yarn.maxAppAttempts=1 \
  ${TRACER_SPARK_ARGS:-} \
  "$JAR" \
  "${COMMAND[@]}" --traces "$TRACES" --target "${TRACER_TARGET:-0.95}" --conf "$PROFILE" --run-id "$RUN_ID"
