#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion of vesp (dist/completion/vesp), on the host: each
# case sets COMP_WORDS and COMP_CWORD as bash would, calls the completion
# function with the built vesp (whose "help" output it reads) and compares
# COMPREPLY. Device names come from a stand-in for ip, tunnel names from
# a scratch vespd.conf. A last case checks that the completion offers every
# keyword of every command's usage, so the two cannot drift apart.
#
# Usage: test-completion.sh [VESP]   (default: userspace/build/vesp)
# Prints TAP; exits 1 if a case fails.

set -u

top=$(dirname "$(dirname "$(dirname "$(readlink -f "$0")")")")
VESP=$(readlink -f "${1:-$top/userspace/build/vesp}")
[ -x "$VESP" ] || { echo "Bail out! $VESP missing: make -C $top/userspace"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/vespd.conf" <<'EOF'
[tunnel sun]
device = vesp0
  [tunnel  moon]
EOF
touch "$scratch/left.key" "$scratch/right.key"
export VESP_COMPLETION_CONFIGS=$scratch/vespd.conf

# shellcheck source=dist/completion/vesp
source "$top/dist/completion/vesp"

# What "ip -o link show type vesp" prints on a host with two vesp devices.
ip()
{
	[ "$*" = "-o link show type vesp" ] || return 1
	echo '7: vesp0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1395 qdisc noqueue state UNKNOWN'
	echo '9: vesp1: <POINTOPOINT,NOARP> mtu 1395 qdisc noop state DOWN'
}

# complete LINE: COMPREPLY, sorted, space-separated, for the cursor at the
# end of LINE (a trailing space starts a new, empty word).
complete_line()
{
	local line=$1

	read -ra COMP_WORDS <<< "$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_WORDS[0]=$VESP
	COMPREPLY=()
	_vesp "$VESP" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
}

# shellcheck source=selftests/tools/lib_tap.sh
. "$(dirname "$0")/lib_tap.sh"

# case LINE WANT: the completion of LINE is exactly WANT (sorted words).
case_is()
{
	local got

	got=$(complete_line "$1")
	if [ "$got" = "$2" ]; then
		result ok "'$1'"
	else
		result fail "'$1'" "got:  '$got'" "want: '$2'"
	fi
}

sorted() { tr ' ' '\n' <<< "$*" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'; }

algs=$(sorted "$(_vesp_algorithms "$VESP")")
limits=$(sorted "$(_vesp_limits "$VESP")")
commands=$(sorted "$(_vesp_commands "$VESP")")

echo "TAP version 13"

# What the program's usage says, parsed by the completion: checked here
# against the words themselves, so a parse that finds nothing fails.
if [ "$commands" = "$(sorted help ike monitor path peer sa set show stats)" ]; then
	result ok "commands from vesp help"
else
	result fail "commands from vesp help" "$commands"
fi
if [[ " $algs " == *" aes-gcm-256 "* && " $algs " == *" chacha20-poly1305 "* &&
      " $algs " != *" ALG "* ]]; then
	result ok "algorithms from vesp help sa"
else
	result fail "algorithms from vesp help sa" "$algs"
fi
if [ "$limits" = "$(sorted hard-bytes hard-packets hard-time soft-bytes soft-packets soft-time)" ]; then
	result ok "limits from vesp help sa"
else
	result fail "limits from vesp help sa" "$limits"
fi

case_is "vesp " "$commands"
case_is "vesp s" "sa set show stats"
case_is "vesp -" "$(sorted -j --json --color= -h --help -V --version)"
case_is "vesp --color=a" "always auto"
case_is "vesp -j sa " "activate add del list set"
case_is "vesp peer r" "replace"
case_is "vesp sa add " "vesp0 vesp1"
case_is "vesp sa add vesp0 " ""
case_is "vesp sa add vesp0 1 " "in out"
case_is "vesp sa add vesp0 1 out " \
	"$(sorted active alg auth-key enc-key esn replay-window spi "$limits")"
case_is "vesp sa add vesp0 1 out alg " "$algs"
case_is "vesp sa add vesp0 1 out alg aes-gcm-" "aes-gcm-128 aes-gcm-256"
case_is "vesp sa add vesp0 1 out spi 0x10 alg aes-gcm-256 " \
	"$(sorted active auth-key enc-key esn replay-window "$limits")"
case_is "vesp sa add vesp0 1 out spi 0x10 soft-bytes " ""
case_is "vesp sa add vesp0 1 out spi 0x10 soft-bytes 10M " \
	"$(sorted active alg auth-key enc-key esn replay-window \
	  "${limits/soft-bytes/}")"
case_is "vesp sa add vesp0 1 out enc-key " "- @"
case_is "vesp sa add vesp0 1 out enc-key @$scratch/l" "@$scratch/left.key"
case_is "vesp sa set vesp1 2 in 0x20 " "$(sorted active "$limits")"
case_is "vesp sa list " "vesp0 vesp1"
case_is "vesp show " "all vesp0 vesp1"
case_is "vesp show vesp0 " "fwmark peers sas stats"
case_is "vesp set vesp1 " "carrier-liveness copy-dscp fwmark"
case_is "vesp set vesp1 carrier-liveness " "off on"
case_is "vesp peer set vesp0 1 " "hold-down liveness multiplier roaming"
case_is "vesp peer set vesp0 1 roaming on " "hold-down liveness multiplier"
case_is "vesp peer add vesp0 1 " "hold-down liveness multiplier prefix roaming"
case_is "vesp set vesp1 fwmark " ""
case_is "vesp peer add vesp0 1 prefix 10.0.0.0/8 " "hold-down liveness multiplier prefix roaming"
case_is "vesp path add vesp0 1 1 " "local priority remote"
case_is "vesp path add vesp0 1 1 remote 192.0.2.1 " "local priority"
case_is "vesp path del vesp0 1 1 " ""
case_is "vesp ike " "-s down show up"
case_is "vesp ike up " "moon sun"
case_is "vesp ike -s /run/vespd.sock down s" "sun"
case_is "vesp ike show " ""
case_is "vesp help " "$commands"
case_is "vesp monitor " ""

# Every lowercase word of every usage line (keywords and choices) is one
# the completion offers for that command: a keyword added to the program's
# table without the completion fails here.
missing=()
for cmd in $commands; do
	subs=$(_vesp_subcommands "$VESP" "$cmd")
	for sub in ${subs:-""}; do
		usage=$("$VESP" help "$cmd" | sed -n '/^$/q; p' | tr '\n' ' ' |
			sed "s/Usage://; s/ vesp /\n/g" | grep "^$cmd ${sub:+$sub }\|^$cmd$" |
			head -n 1)
		words=$(tr '[]{}|.' '      ' <<< "${usage#"$cmd"}" | tr ' ' '\n' |
			grep -xE '[a-z-]+' | grep -vx -- "$sub")
		offered=" $(_vesp_grammar "$cmd" "$sub" | tr '\n|:' '   ') "
		for word in $words; do
			[[ $offered == *" $word "* ]] || missing+=("$cmd${sub:+ $sub}: $word")
		done
	done
done
if [ ${#missing[@]} -eq 0 ]; then
	result ok "every keyword of vesp's usage is completed"
else
	result fail "every keyword of vesp's usage is completed" "${missing[@]}"
fi

tap_finish
