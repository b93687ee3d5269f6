#!/usr/bin/env bash
# The README's main command: fetch the demo corpus once, then run every stage on the embedded
# defaults (BISAC headings as topics, embedded BM25, Llama-3 tokenizer, 128K-token samples).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=demo-data/python-docs.jsonl
[ -s "$corpus" ] || bash scripts/fetch-demo-corpus.sh "$corpus"
exec node dist/cli/main.js run --corpus "$corpus" --out runs/demo --subjects 'COMPUTERS*' "$@"
