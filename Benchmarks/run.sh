#!/usr/bin/env bash
# Runs digest's benchmarks beside their Python peers and prints the table (see Benchmarks/README.md).
#
# Usage: bash Benchmarks/run.sh [commands] [icalendar] [feeds] [render] [smtp] [filter] [mapping]   (no names: all)
#
# Builds digest-bench (and, for mapping, digest) once as `make release` does (optimised, the Swift runtime linked
# in), installs the Python peers and smtp-sink if missing, generates the data into Benchmarks/work/ (kept between
# runs; delete the folder to regenerate it), runs each benchmark and its peer one after the other in this run, and
# prints the table. Results are in
# Benchmarks/work/results/; running only some benchmarks replaces their rows and keeps the others' last results.
# Environment: SWIFT (default swift), BENCH_PYTHON_10K=1 also runs the Python rendering peer at 10,000 subscribers,
# BENCH_SCRATCH (default: the package's .build) the build folder, passed to every swift build as --scratch-path,
# MAPPING_RUNS (default 5) how many timed runs of each mapping command give the median, COMMAND_RUNS (default 3)
# the same for the whole commands (`commands`: digest send, check and collect).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/Benchmarks
WORK=$BENCH/work
RESULTS=$WORK/results
SWIFT=${SWIFT:-swift}
SCRATCH=${BENCH_SCRATCH:-$ROOT/.build}
RELEASE="-c release --static-swift-stdlib"  # as the Makefile's RELEASE: the binary operators install
MAPPING_RUNS=${MAPPING_RUNS:-5}
COMMAND_RUNS=${COMMAND_RUNS:-3}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

ALL=(commands icalendar feeds render smtp filter mapping)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for name in "$@"; do
    case " ${ALL[*]} " in *" $name "*) ;; *) echo "unknown benchmark '$name'; choose from: ${ALL[*]}" >&2; exit 2 ;; esac
done
wants() { for name in "${SELECTED[@]}"; do [ "$name" = "$1" ] && return 0; done; return 1; }
SELECTED=("$@")

# --- what the peers need -------------------------------------------------------------------------------------------
PEERS="import recurring_ical_events, icalendar, feedparser, jinja2, yaml, jsonpath_ng, lxml"
if ! python3 -c "$PEERS" 2>/dev/null; then
    echo "Installing the Python peers with pip…"
    python3 -m pip install -q --disable-pip-version-check recurring-ical-events icalendar feedparser Jinja2 PyYAML \
        jsonpath-ng lxml
fi
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
if { wants smtp || wants commands; } && [ ! -x "$SINK" ]; then
    echo "Installing postfix for smtp-sink…"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postfix >/dev/null
fi

# --- build once ----------------------------------------------------------------------------------------------------
echo "Building digest-bench (release)…"
$SWIFT build $RELEASE --product digest-bench --scratch-path "$SCRATCH" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
BIN=$($SWIFT build $RELEASE --show-bin-path --scratch-path "$SCRATCH")/digest-bench
[ -x "$BIN" ] || { echo "the release build of digest-bench failed" >&2; exit 1; }
if wants mapping || wants commands; then  # these time the real command, `digest`
    echo "Building digest (release)…"
    status=0  # a failed build must not leave an older binary to be timed
    $SWIFT build $RELEASE --product digest --scratch-path "$SCRATCH" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' ||
        status=${PIPESTATUS[0]}
    DIGEST=$(dirname "$BIN")/digest
    [ "$status" = 0 ] && [ -x "$DIGEST" ] || { echo "the release build of digest failed" >&2; exit 1; }
fi

# --- data ----------------------------------------------------------------------------------------------------------
mkdir -p "$RESULTS"
for name in "${SELECTED[@]}"; do  # the table keeps the other benchmarks' last results
    rm -f "$RESULTS/digest-$name"* "$RESULTS/peer-$name"* "$RESULTS/sink-$name"*
done
generate() {  # generate OUTPUT SCRIPT ARGS…: runs the generator unless OUTPUT exists
    local output=$1
    shift
    [ -e "$output" ] && return 0
    echo "Generating $(basename "$output")…"
    python3 "$BENCH/$1" "${@:2}"
}
wants icalendar && generate "$WORK/bench.ics" gen_ical.py "$WORK/bench.ics"
wants feeds && generate "$WORK/bench-feed.xml" gen_feed.py "$WORK/bench-feed.xml"
wants render && generate "$WORK/render/subscribers.json" gen_render.py "$WORK/render"
wants smtp && generate "$WORK/smtp/msg-099.eml" gen_smtp.py "$WORK/smtp"
wants mapping && generate "$WORK/mapping/manifest.json" gen_mapping.py "$WORK/mapping"
if wants commands; then
    generate "$WORK/bench.ics" gen_ical.py "$WORK/bench.ics"
    generate "$WORK/bench-feed.xml" gen_feed.py "$WORK/bench-feed.xml"
    for count in 5000 20000; do
        generate "$WORK/send-$count/subscribers" gen_send.py "$WORK/send-$count" --subscribers "$count"
    done
fi

# --- running -------------------------------------------------------------------------------------------------------
run() {  # run NAME COMMAND…: stdout to NAME.json, stderr to NAME.err; a failure is reported and the run goes on
    local name=$1
    shift
    echo "  $name"
    if ! "$@" >"$RESULTS/$name.json" 2>"$RESULTS/$name.err"; then
        echo "  $name failed: $(tail -n 3 "$RESULTS/$name.err")" >&2
        rm -f "$RESULTS/$name.json"
    fi
}

time_runs() {  # time_runs RUNS OUTPUT MANIFEST KEY COMMAND…: whole-process timing, one JSON line like the others'
    # One untimed run first (it warms the page cache) writes the command's output to OUTPUT for the comparison;
    # then RUNS timed runs with the output to /dev/null. Prints the medians of wall and CPU time (user + system,
    # from wait4), the largest peak RSS, every run's wall time, and MANIFEST[KEY] (what the input holds).
    python3 - "$@" <<'PY'
import json, os, statistics, subprocess, sys, time
runs, output, manifest, key, command = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]

def once(stdout):
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=sys.stderr)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{command[0]} exited with {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024

with open(output, "wb") as handle:
    once(handle)
with open(os.devnull, "wb") as null:
    timed = [once(null) for _ in range(runs)]
with open(output, "rb") as handle:
    lines = sum(1 for line in handle if line.strip())
with open(manifest, encoding="utf-8") as handle:
    details = json.load(handle)[key]
details.update(runs=runs, wallRuns=[round(run[0], 4) for run in timed], outputLines=lines)
print(json.dumps({"benchmark": "mapping-" + key, "seconds": statistics.median(run[0] for run in timed),
                  "cpuSeconds": statistics.median(run[1] for run in timed),
                  "peakMemoryMB": round(max(run[2] for run in timed), 1), "details": details}, sort_keys=True))
PY
}

SINK_PID=""
stop_sink() {
    if [ -n "$SINK_PID" ]; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
        SINK_PID=""
    fi
}
trap stop_sink EXIT

start_sink() {  # start_sink NAME: a fresh smtp-sink on a free loopback port; sets PORT and SINK_PID
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local user=()
    [ "$(id -u)" = 0 ] && user=(-u nobody)
    "$SINK" -c "${user[@]}" "127.0.0.1:$PORT" 1000 >"$RESULTS/sink-$1.log" 2>&1 &
    SINK_PID=$!
    python3 - "$PORT" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("smtp-sink did not start")
PY
}

finish_sink() {  # finish_sink NAME: stops the sink and records how many messages it received
    sleep 0.3
    stop_sink
    tr '\r' '\n' <"$RESULTS/sink-$1.log" | grep -o 'mesg=[0-9]*' | tail -n 1 | cut -d= -f2 >"$RESULTS/sink-$1.count" || true
}

echo "Running (each benchmark beside its peer):"
command_config() {  # command_config FOLDER NAME TRANSPORT: a digest.yaml for the example sources and FOLDER's readers
    cat >"$1/digest-$2.yaml" <<YAML
newsletter:
  title: "Företagsfrämjarna i Dalarna"
  from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
  language: sv
  timeZone: Europe/Stockholm
  baseURL: https://digest.example.se
  listID: veckodigest.example.se
  postalAddress: "Företagsfrämjarna i Dalarna · Box 712 · 791 29 Falun"
sources:
  - {name: kalendarium, kind: event, url: $ROOT/examples/sources/kalendarium.ics, format: ical}
  - {name: utlysningar, kind: funding, url: $ROOT/examples/sources/utlysningar.xml, format: rss, topics: [finansiering]}
  - {name: redaktionen, kind: funding, url: $ROOT/examples/sources/redaktionen.yaml, format: yaml, topics: [finansiering]}
subscribers: subscribers
templates: $ROOT/templates
topics: $ROOT/topics.yaml
state: state-$2/state.sqlite
delivery:
$3
YAML
}
if wants commands; then  # whole commands, process start to exit, beside Python peers doing the same job
    export DIGEST_UNSUBSCRIBE_SECRET=bench-secret
    NOW=2026-12-01T08:00:00+01:00
    SENT='([0-9]+) skickade'
    for count in 5000 20000; do
        folder=$WORK/send-$count
        start_sink "send-$count"
        command_config "$folder" smtp "  transport: smtp://127.0.0.1:$PORT
  starttls: never
  connections: 4"
        run "digest-send-smtp-$count" python3 "$BENCH/time_command.py" "send-smtp-$count" "$COMMAND_RUNS" --warm \
            --reset-ledger "$folder/state-smtp/state.sqlite" --count-from "$SENT" -- \
            "$DIGEST" send --config "$folder/digest-smtp.yaml" --now "$NOW"
        finish_sink "send-$count"
    done
    folder=$WORK/send-20000
    command_config "$folder" maildir "  transport: maildir:outbox"
    run digest-send-maildir-20000 python3 "$BENCH/time_command.py" send-maildir-20000 "$COMMAND_RUNS" --warm \
        --reset-ledger "$folder/state-maildir/state.sqlite" --fresh "$folder/outbox" --count-from "$SENT" -- \
        "$DIGEST" send --config "$folder/digest-maildir.yaml" --now "$NOW"
    rm -rf "$folder/outbox"
    # The peer reads 2,000 of the same files (at its rate 20,000 would take minutes); rates are compared.
    "$DIGEST" collect --json --config "$folder/digest-smtp.yaml" --now "$NOW" >"$folder/items.jsonl"
    start_sink send-python
    run peer-send python3 "$BENCH/peer_send.py" "$folder" --port "$PORT" --connections 4 --count 2000 --repo "$ROOT"
    finish_sink send-python
    # digest check: without a state (every file read and checked), and after a run kept the checked files.
    command_config "$folder" check-cold "  transport: maildir:outbox"
    run digest-check-cold python3 "$BENCH/time_command.py" check-cold "$COMMAND_RUNS" -- \
        "$DIGEST" check --config "$folder/digest-check-cold.yaml"
    run digest-check-warm python3 "$BENCH/time_command.py" check-warm "$COMMAND_RUNS" --warm -- \
        "$DIGEST" check --config "$folder/digest-maildir.yaml"
    # digest collect --json on the parsers' inputs, as whole commands beside the peers' whole scripts.
    cat >"$WORK/collect-feed.yaml" <<YAML
newsletter: {title: "Bench", from: "Bench <bench@example.se>", timeZone: Europe/Stockholm}
sources:
  - {name: feed, kind: funding, url: $WORK/bench-feed.xml, format: rss}
subscribers: $WORK/send-5000/subscribers
templates: $ROOT/templates
topics: $ROOT/topics.yaml
state: $WORK/collect-state/state.sqlite
YAML
    sed -e "s#url: $WORK/bench-feed.xml, format: rss#url: $WORK/bench.ics, format: ical#" -e 's#kind: funding#kind: event#' \
        "$WORK/collect-feed.yaml" >"$WORK/collect-ical.yaml"
    run digest-collect-feed python3 "$BENCH/time_command.py" collect-feed "$COMMAND_RUNS" --warm -- \
        "$DIGEST" collect --json --config "$WORK/collect-feed.yaml" --now "$NOW" --until 2027-12-31
    run peer-collect-feed python3 "$BENCH/time_command.py" collect-feed-peer "$COMMAND_RUNS" -- \
        python3 "$BENCH/peer_feed.py" "$WORK/bench-feed.xml"
    run digest-collect-ical python3 "$BENCH/time_command.py" collect-ical "$COMMAND_RUNS" --warm -- \
        "$DIGEST" collect --json --config "$WORK/collect-ical.yaml" --now 2027-01-01T00:00:00+01:00 --until 2028-01-01
    run peer-collect-ical python3 "$BENCH/time_command.py" collect-ical-peer "$COMMAND_RUNS" -- \
        python3 "$BENCH/peer_ical.py" "$WORK/bench.ics"
fi
if wants icalendar; then
    run digest-icalendar "$BIN" icalendar "$WORK/bench.ics"
    run peer-icalendar python3 "$BENCH/peer_ical.py" "$WORK/bench.ics"
fi
if wants feeds; then
    run digest-feeds "$BIN" feeds "$WORK/bench-feed.xml"
    run digest-text "$BIN" text "$WORK/bench-feed.xml"
    run peer-feeds python3 "$BENCH/peer_feed.py" "$WORK/bench-feed.xml"
fi
if wants render; then
    run digest-render-2000 "$BIN" render "$WORK/render" --count 2000 --config "$ROOT/digest.yaml"
    run digest-render-10000 "$BIN" render "$WORK/render" --count 10000 --config "$ROOT/digest.yaml"
    # Two threads on a shared 2-core machine vary by a third from run to run: the judged row is the median of three.
    for attempt in 1 2 3; do
        run "digest-render-10000-jobs2-run$attempt" "$BIN" render "$WORK/render" --count 10000 --jobs 2 \
            --config "$ROOT/digest.yaml"
    done
    run digest-render-10000-jobs2-no-reuse "$BIN" render "$WORK/render" --count 10000 --jobs 2 --no-reuse \
        --config "$ROOT/digest.yaml"
    run peer-render-2000 python3 "$BENCH/peer_render.py" "$WORK/render" --count 2000 --repo "$ROOT"
    if [ "${BENCH_PYTHON_10K:-0}" = 1 ]; then
        run peer-render-10000 python3 "$BENCH/peer_render.py" "$WORK/render" --count 10000 --repo "$ROOT"
    fi
fi
if wants smtp; then
    for connections in 1 4; do
        start_sink "smtp-$connections"
        run "digest-smtp-$connections" "$BIN" smtp "$WORK/smtp" --port "$PORT" --connections "$connections" --count 5000
        finish_sink "smtp-$connections"
    done
    start_sink smtp-python
    run peer-smtp python3 "$BENCH/peer_smtp.py" "$WORK/smtp" --port "$PORT" --count 5000
    finish_sink smtp-python
fi
if wants filter; then
    run digest-filter "$BIN" filter --subscribers 100000 --items 2000
fi
if wants mapping; then  # whole commands, process start to exit; the outputs are compared by report.py
    MAPPING=$WORK/mapping
    for format in json html; do
        run "digest-mapping-$format" time_runs "$MAPPING_RUNS" "$RESULTS/digest-mapping-$format.out.jsonl" \
            "$MAPPING/manifest.json" "$format" "$DIGEST" collect --json --config "$MAPPING/$format.yaml" \
            --now 2026-12-01T08:00:00+01:00 --until 2027-12-31
        run "peer-mapping-$format" time_runs "$MAPPING_RUNS" "$RESULTS/peer-mapping-$format.out.jsonl" \
            "$MAPPING/manifest.json" "$format" python3 "$BENCH/peer_mapping.py" "$format" \
            "$MAPPING/bench-calls.$format" --now 2026-12-01T08:00:00+01:00
    done
fi

echo
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
echo
python3 "$BENCH/report.py" "$RESULTS"
