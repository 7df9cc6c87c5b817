#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the unit test binaries (cmocka, TAP output) and the fuzzers, and print
# one TAP stream: "ok N binary: case" for every test case, one line per
# fuzzer run, the plan at the end. Every other line is a "# " comment, so a
# wrapper can count "ok"/"not ok" lines. Exit 1 when anything failed.
#
#   run-tap.sh [--seconds S] [--seeders DIR] [--work DIR] TEST... [--fuzz FUZZER]...
#
# A test binary that dies (sanitizer report, crash) gets a "not ok" line for
# the death, so lost cases cannot pass unnoticed.

set -u

seconds=20
seeders=
work=build/fuzz/work
count=0
failed=0

emit() {	# emit ok|not-ok description
	count=$((count + 1))
	if [ "$1" = ok ]; then
		echo "ok $count $2"
	else
		echo "not ok $count $2"
		failed=$((failed + 1))
	fi
}

comment() {	# prefix every line of a file with "# "
	sed 's/^/# /' "$1"
}

run_test() {
	bin=$1
	name=$(basename "$bin")
	log=$(mktemp)
	CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$log" 2>&1
	rc=$?
	planned=0 seen=0 bad=0
	while IFS= read -r line; do
		case $line in
		"ok "*)
			seen=$((seen + 1))
			emit ok "$name: ${line#ok * - }"
			;;
		"not ok "*"# SKIP"*)
			# cmocka 1.1 prints skipped cases as "not ok N # SKIP name"
			seen=$((seen + 1))
			emit ok "$name: ${line##*# SKIP } # SKIP"
			;;
		"not ok "*)
			seen=$((seen + 1)) bad=$((bad + 1))
			emit not-ok "$name: ${line#not ok * - }"
			;;
		1..*)
			planned=$((planned + ${line#1..}))
			;;
		"#"*)
			echo "$line"
			;;
		*)
			echo "# $line"
			;;
		esac
	done <"$log"
	if [ "$seen" -lt "$planned" ]; then
		emit not-ok "$name: $((planned - seen)) of $planned cases never reported (exit status $rc)"
	elif [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		emit not-ok "$name: exit status $rc"
	fi
	rm -f "$log"
}

run_fuzz() {
	bin=$1
	name=$(basename "$bin")
	dir=$work/${name#fuzz_}
	rm -rf "$dir"
	mkdir -p "$dir/corpus" "$dir/crashes"
	seeder=$seeders/seed_${name#fuzz_}
	if [ -n "$seeders" ] && [ -x "$seeder" ]; then
		if ! "$seeder" "$dir/corpus" >"$dir/seed.log" 2>&1; then
			comment "$dir/seed.log"
			emit not-ok "$name: seed corpus generation failed"
			return
		fi
	fi
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/crashes/" \
		"$dir/corpus" >"$dir/fuzz.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
	fuzz_seed=$(sed -n 's/.*Seed: \([0-9]*\).*/\1/p' "$dir/fuzz.log" | head -n 1)
	if [ "$rc" -eq 0 ]; then
		emit ok "$name: ${runs:-?} inputs in ${seconds}s (-seed=${fuzz_seed:-?})"
	else
		tail -n 40 "$dir/fuzz.log" | sed 's/^/# /'
		emit not-ok "$name: failed after ${runs:-?} inputs (-seed=${fuzz_seed:-?}), see $dir"
	fi
}

while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--seeders) seeders=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--fuzz) run_fuzz "$2"; shift 2 ;;
	*) run_test "$1"; shift ;;
	esac
done

echo "1..$count"
echo "# $((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
