#!/usr/bin/env bash
# The main job on the bundled fixtures: build, create an archive, ingest the
# seeds and their edited copies, list duplicates, a story's history and a
# diff of its versions, verify the archive, show the statistics.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >/dev/null || exit 1
nc=build/newsarc
export NEWSARC_ARCHIVE=${NEWSARC_ARCHIVE:-demo-archive}
rm -rf "$NEWSARC_ARCHIVE"
run() { echo; echo "\$ newsarc $*"; "$nc" "$@"; }
run init
run ingest fixtures/seeds
run dups --file fixtures/edits/001_changed_paragraph.txt
run ingest fixtures/seeds fixtures/edits fixtures/jsonl/urls.jsonl fixtures/jsonl/urls_update.jsonl
run ingest fixtures/bad fixtures/jsonl/bad.jsonl
echo "(exit status $?: 1 means some inputs were rejected, as they should be here)"
run dups 3 --threshold 0.0
run dups --file fixtures/edits/002_near_copy.txt --json
run log 4
run diff 4 --color never
run diff --format unified 2
run show 4@1 | head -n 3
run check
run stats
