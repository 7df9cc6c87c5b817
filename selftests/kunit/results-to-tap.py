#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Turn the JSON that "kunit.py run --json=FILE" writes into flat TAP: a
# plan, then one line per test case named suite.case (suite.case.param for
# parameterised cases), so that a caller counts cases, not suites.
# A suite that crashed before reporting any case is one failed point.
# A last point checks the kernel's log for reports that fail no case by
# themselves (lockdep, RCU, WARN_ON); KASAN and UBSAN fail the running case.
# Exits 1 if any point failed or no case ran.
#
# Usage: results-to-tap.py RESULTS_JSON KERNEL_LOG

import json
import re
import sys

SPLAT = re.compile(r'^(BUG|WARNING|UBSAN|Kernel panic)\b')
SPLAT_CONTEXT = 12


def leaves(group, prefix):
	for sub in group['sub_groups']:
		yield from leaves(sub, prefix + sub['name'] + '.')
	# A case that crashed the kernel leaves no result line, hence no name.
	for case in group['test_cases']:
		name = case['name'] or '(missing result line)'
		yield prefix + name, case['status']


def splats(log):
	lines = log.splitlines()
	for n, line in enumerate(lines):
		if SPLAT.match(line):
			yield from lines[n:n + SPLAT_CONTEXT]


def main():
	with open(sys.argv[1]) as f:
		top = json.load(f)
	with open(sys.argv[2], errors='replace') as f:
		reports = list(splats(f.read()))
	points = list(leaves(top, ''))

	print(f'1..{len(points) + 1}')
	failed = skipped = 0
	for n, (name, status) in enumerate(points, 1):
		if status == 'PASS':
			print(f'ok {n} {name}')
		elif status == 'SKIP':
			print(f'ok {n} {name} # SKIP')
			skipped += 1
		else:
			print(f'not ok {n} {name} # {status}')
			failed += 1

	n = len(points) + 1
	if reports:
		print(f'not ok {n} kernel log has no BUG, WARNING or UBSAN report')
		for line in reports:
			print(f'# {line}')
		failed += 1
	else:
		print(f'ok {n} kernel log has no BUG, WARNING or UBSAN report')

	passed = n - failed - skipped
	print(f'# {passed} passed, {skipped} skipped, {failed} failed')
	return 1 if failed or not points else 0


if __name__ == '__main__':
	sys.exit(main())
