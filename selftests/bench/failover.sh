#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failover benchmark (not a test: it prints numbers and passes or fails
# nothing). Two vesp namespaces joined by two underlay paths (the
# topology of ../lib_path.sh), liveness at each INTERVAL with a multiplier
# of 3 and a 500 ms hold-down at both ends. A numbered UDP stream of
# 1000 packets a second goes from A to B while path 1 is cut, in both
# directions (A's veth down) or in one (ESP from A to B dropped as B
# receives it); then the cut is undone.
#
# For each cut:
#   outage_ms       the longest run of packets missing x 1 ms (the send
#                   interval): how long traffic did not flow
#   lost            every packet missing
#   switch_back_ms  from undoing the cut to the event that moved traffic
#                   back to path 1: path 1 found alive again, plus the
#                   hold-down
# Printed as medians over CUTS cuts for each interval and kind of cut,
# written to DIR/failover.csv (one line per cut), with DIR/timeline.png:
# packets received per 10 ms across the first 100 ms both-way cut.
#
# Runs in the VM, where the module is loaded, as root:
#   flock /var/lock/vesp-vm.lock selftests/vm/run.sh --timeout 1500 \
#       --results DIR --cmd 'selftests/bench/failover.sh'
# and the files land in DIR/guest/failover.
#
# Usage: failover.sh [-o DIR] [-n CUTS] [-i "50 100 300"]

here=$(dirname "$(readlink -f "$0")")
# This tree's CLI, not one installed elsewhere: the bench needs its options.
: "${VESP_CLI:=$here/../../userspace/build/vesp}"
# shellcheck source=selftests/lib.sh
source "$here/../lib.sh"
# shellcheck source=selftests/lib_esp.sh
source "$SELFTEST_DIR/lib_esp.sh"
# shellcheck source=selftests/lib_path.sh
source "$SELFTEST_DIR/lib_path.sh"

out=/run/vesp/failover
cuts=5
intervals="50 100 300"
while getopts "o:n:i:h" opt; do
	case $opt in
	o) out=$OPTARG ;;
	n) cuts=$OPTARG ;;
	i) intervals=$OPTARG ;;
	*) sed -n 's/^# \?//p' "$0" | sed -n '/^Failover/,/^Usage/p'; exit 1 ;;
	esac
done

# A cut that does not take is reported after 10 s, not the tests' 60.
WAIT_TIMEOUT=10
BUSYWAIT_TIMEOUT=$((WAIT_TIMEOUT * 1000))
RATE=1000
COUNT=3000
HOLD_DOWN=500
# Longer than the longest outage (one way at 300 ms), or the receiver stops.
STREAM_IDLE=3

require_cmds ip jq tc python3
[ -x "$VESP_CLI" ] || { echo "vesp CLI $VESP_CLI missing" >&2; exit 1; }
[ -d /sys/module/vesp ] || modprobe -q vesp || { echo "no vesp module" >&2; exit 1; }
mkdir -p "$out" 2> /dev/null || out=$(mktemp -d)
csv=$out/failover.csv
echo "interval_ms,cut,run,sent,received,lost,longest_gap,outage_ms,switch_back_ms" > "$csv"
trap cleanup_all EXIT

# A timestamped monitor of A's events (EPOCHREALTIME on each line), in
# sync once it saw the acquire that traffic without an SA draws.
ts_monitor_start()
{
	local file=$1

	ip netns exec "$NS_A" "$VESP_CLI" -j monitor |
		while IFS= read -r line; do
			echo "$EPOCHREALTIME $line"
		done > "$file" &
	busywait "$BUSYWAIT_TIMEOUT" monitor_synced "$NS_A" "$file" 10.0.2.1
}

# switch_back_ms FILE SINCE: ms from SINCE (EPOCHREALTIME) to the first
# switch to path 1 after it.
switch_back_ms()
{
	awk -v since="$2" '$1 > since && /"path_event":"switched"/ &&
		/"path":\{"id":1,/ { printf "%d\n", ($1 - since) * 1000; exit }' "$1"
}

cut_path1()
{
	case $1 in
	both) ip -n "$NS_A" link set a1 "$2" ;;
	one_way) if [ "$2" = down ]; then drop_one_way add; else drop_one_way del; fi ;;
	esac
}

median()
{
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

run_interval()
{
	local interval=$1 dir cut run since back outage log
	local -A report=()

	INTERVAL=$interval
	RET=$ksft_pass
	setup_paths set || return
	dir=$(mktemp -d)
	defer rm -rf "$dir"
	ts_monitor_start "$dir/events" || { echo "monitor did not start" >&2; return 1; }
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	liveness_on "$HOLD_DOWN" "$NS_A" "$NS_B" || return
	for cut in both one_way; do
		for ((run = 1; run <= cuts; run++)); do
			wait_all_up "$NS_A" "$NS_B"
			log=
			[ "$interval/$cut/$run" = 100/both/1 ] && log=$out/timeline-100-both.log
			stream_start "$dir" "$RATE" "$COUNT" "$log" || return
			sleep 1
			cut_path1 "$cut" down
			wait_active "$NS_A" 2
			stream_end "$dir" report
			since=$EPOCHREALTIME
			cut_path1 "$cut" up
			wait_active "$NS_A" 1
			back=$(switch_back_ms "$dir/events" "$since")
			outage=${report[longest_gap]:-}
			[ -n "$outage" ] && outage=$((outage * 1000 / RATE))
			echo "$interval,$cut,$run,$(cat "$dir/sent"),${report[received]:-},${report[lost]:-},${report[longest_gap]:-},$outage,${back:-}" >> "$csv"
			[ "$RET" -eq "$ksft_pass" ] || { echo "run $interval/$cut/$run: $RET_MSG" >&2; RET=$ksft_pass; }
		done
	done
	cleanup_all
}

for interval in $intervals; do
	run_interval "$interval" || echo "interval $interval: setup failed: $RET_MSG" >&2
	cleanup_all
done

echo "vesp failover, $RATE packets/s, multiplier $MULTIPLIER, hold-down $HOLD_DOWN ms, $cuts cuts each (medians)"
printf "%-12s %-8s %10s %6s %15s\n" interval cut outage_ms lost switch_back_ms
for interval in $intervals; do
	for cut in both one_way; do
		rows=$(awk -F, -v i="$interval" -v c="$cut" '$1 == i && $2 == c' "$csv")
		printf "%-12s %-8s %10s %6s %15s\n" "$interval ms" "$cut" \
			"$(cut -d, -f8 <<< "$rows" | grep . | median)" \
			"$(cut -d, -f6 <<< "$rows" | grep . | median)" \
			"$(cut -d, -f9 <<< "$rows" | grep . | median)"
	done
done
echo "per cut: $csv"

log=$out/timeline-100-both.log
if [ -s "$log" ]; then
	# The cut is where the longest gap begins: the last packet before it.
	gap=$(python3 "$SELFTEST_DIR/udp_stream.py" summarize "$log" 2> /dev/null |
		sed -n 's/.*gap_start=\([0-9-]*\).*/\1/p')
	cut_at=$(awk -v n="$gap" '$1 == n { print $2; exit }' "$log")
	if [ -n "$cut_at" ] &&
	   python3 "$here/timeline_png.py" "$log" "$cut_at" "$out/timeline.png"; then
		echo "timeline: $out/timeline.png (packets per 10 ms, 100 ms interval, both-way cut)"
	fi
fi
