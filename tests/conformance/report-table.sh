#!/usr/bin/env bash
# Merges two reports of ws_conformance (--report FILE, one per transport)
# into the Markdown table of docs/rfc6455.md:
#   tests/conformance/report-table.sh native.tsv qt.tsv
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 NATIVE.tsv QT.tsv" >&2; exit 2; }
echo "| case | sends | expected | native | qt |"
echo "|---|---|---|---|---|"
awk -F'\t' '
    function cell(v, d) { return d == "" || v == "OK" ? v : v " (" d ")" }
    NR == FNR { qt[$1] = cell($4, $5); next }
    { gsub(/\|/, "\\|", $2); gsub(/\|/, "\\|", $3)
      q = ($1 in qt) ? qt[$1] : "not run"
      n = $4 == "OK" ? "OK" : cell($4, $5)
      printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, n, q }
' "$2" "$1"
