#!/usr/bin/env bash
# Fuzzes the parsers, the normalizer, the diff and the record decoders with
# libFuzzer: builds tests/fuzz/ into build-fuzz/ (clang++, NEWSARC_FUZZ=ON,
# ASan + UBSan) and runs every target for SECONDS_PER_TARGET (default 20) on
# a fresh corpus seeded from fixtures/. Exits non-zero when any target finds
# a crash, leak, timeout or invariant failure, and names the saved input.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (TARGET: json_article,
#   text_article, normalize, diff, records; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json_article text_article normalize diff records)

bash scripts/deps.sh
build=$root/build-fuzz
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DNEWSARC_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

corpora=$(mktemp -d)
trap 'rm -rf "$corpora"' EXIT
artifacts=$build/fuzz-artifacts
logs=$build/fuzz-logs
mkdir -p "$artifacts" "$logs"

# Seeds: fixtures as they are, each JSON line on its own, and for the diff an
# options byte + old text + NUL + new text (each text cut to 2000 bytes).
seed() {
  local dir=$corpora/$1
  mkdir -p "$dir"
  cp fixtures/seeds/*.txt fixtures/edits/* fixtures/bad/* "$dir"/
  local n=0 f line
  for f in fixtures/jsonl/*.jsonl; do
    while IFS= read -r line || [ -n "$line" ]; do
      n=$((n + 1))
      printf '%s' "$line" >"$dir/jsonl-$n"
    done <"$f"
  done
  for f in fixtures/fuzz/"$1"-*; do
    if [ -e "$f" ]; then cp "$f" "$dir"/; fi
  done
  if [ "$1" = diff ]; then
    local k old new opts
    for k in 000 001 002 003; do
      old=$(ls fixtures/seeds/${k}_*.txt)
      new=$(ls fixtures/edits/${k}_*.txt)
      for opts in 00 03 14; do
        { printf "\\x$opts"; head -c 2000 "$old"; printf '\0'; head -c 2000 "$new"; } \
          >"$dir/pair-$k-$opts"
      done
    done
  fi
}

failed=()
for t in "${targets[@]}"; do
  seed "$t"
  extra=()
  max_len=4096
  case $t in
    json_article) extra+=(-dict="$root/tests/fuzz/json.dict") ;;
    normalize | diff) extra+=(-dict="$root/tests/fuzz/unicode.dict") ;;
    records) max_len=1024 ;;
  esac
  log=$logs/$t.log
  echo "fuzz_$t: ${seconds}s, log in $log"
  status=0
  "$build/tests/fuzz/fuzz_$t" "$corpora/$t" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$t-" "${extra[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    echo "FAILED fuzz_$t (exit $status):" >&2
    grep -E 'ERROR: |invariant failed|runtime error|SUMMARY' "$log" | head -20 >&2 || true
    saved=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    if [ -n "$saved" ] && [ -f "$saved" ]; then
      echo "  input saved to: $saved ($(wc -c <"$saved") bytes, first 256 in hex below)" >&2
      od -An -tx1 -N256 "$saved" >&2
      echo "  reproduce: $build/tests/fuzz/fuzz_$t $saved" >&2
      echo "  keep it: cp $saved fixtures/fuzz/$t-<short-name> (see fixtures/fuzz/README.md)" >&2
    else
      tail -20 "$log" >&2
    fi
  else
    echo "  ok: ${runs:-?} runs, ${cov:-cov: ?}"
  fi
done

[ ${#failed[@]} -eq 0 ] || echo "fuzz: failed targets: ${failed[*]}" >&2
echo "fuzz: $((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
