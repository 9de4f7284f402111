#!/usr/bin/env bash
# Whole-run benchmarks: handbook vs mdBook 0.5.4 on the same markdown, plus `handbook test` vs
# one rustdoc per question file, plus serve's rebuild after a one-file edit.
# Writes the table to docs/benchmarks.md. Usage: bench/compare.sh [RUNS]   (default 5)
#   bench/compare.sh --snippets-only [RUNS]: only the `handbook test` figures, printed, docs untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
snippets_only=false
if [ "${1:-}" = "--snippets-only" ]; then snippets_only=true; shift; fi
runs=${1:-5}
work=$repo/target/bench
tools=$repo/target/bench-tools
mkdir -p "$work" "$tools"

cargo build --release --quiet
hb=$repo/target/release/handbook
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)"; exit 1; }
if ! $snippets_only && [ ! -x "$tools/bin/mdbook" ]; then
  echo "installing mdBook 0.5.4 into $tools (once)"
  cargo install --locked --quiet mdbook@0.5.4 --root "$tools"
fi
mdbook=$tools/bin/mdbook

# run_timed LABEL CMD...: appends "seconds max_rss_kb" to $work/LABEL.times
run_timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.tmp" "$@" >/dev/null 2>"$work/err.tmp" || { cat "$work/err.tmp"; exit 1; }
  cat "$work/time.tmp" >> "$work/$label.times"
}
# mdBook's time grows as n^2 (a full table of contents on every page): at 10,000 questions one
# build ran over 9 minutes at 4.2 GB before it was stopped. So it runs once there, bounded.
mdbook_limit=${MDBOOK_LIMIT:-300}
run_bounded() {
  local label=$1; shift
  local rc=0
  /usr/bin/time -f "%e %M" -o "$work/time.tmp" timeout "$mdbook_limit" "$@" >/dev/null 2>"$work/err.tmp" || rc=$?
  if [ "$rc" = 124 ]; then echo "timeout $(tail -1 "$work/time.tmp" | awk '{print $2}')" >> "$work/$label.times"; return; fi
  [ "$rc" = 0 ] || { cat "$work/err.tmp"; exit 1; }
  cat "$work/time.tmp" >> "$work/$label.times"
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
col() { awk -v c="$1" '{print $c}' "$2"; }
size_kb() { du -sk "$1" | cut -f1; }

# `handbook test`. Every snippet run (warm, --rerun: nothing taken from the record) vs one
# rustdoc per question file (as mdbook test does), both with the dependencies already built.
"$hb" test "$repo" >/dev/null 2>&1 || true
deps=$repo/target/handbook-snippets/target/debug/deps
externs=()
for c in snippets jsonwebtoken serde serde_json base64; do
  f=$(ls -t "$deps"/lib"$c"-*.rlib | head -1); externs+=(--extern "$c=$f")
done
per_file() {
  for md in "$repo"/content/questions/*.md; do
    grep -q '^```rust' "$md" || continue
    # The markdown body only, as mdBook hands a chapter to rustdoc.
    awk 'f>=2{print} /^---$/{f++}' "$md" > "$work/chapter.md"
    rustdoc --test --edition 2024 "$work/chapter.md" -L "dependency=$deps" "${externs[@]}" >/dev/null 2>&1
  done
}
rm -f "$work"/t-hb.times "$work"/t-rd.times "$work"/t-edit.times "$work"/t-cold.times
for _ in $(seq "$runs"); do
  run_timed t-hb "$hb" test "$repo" --rerun
  /usr/bin/time -f "%e %M" -o "$work/time.tmp" bash -c "$(declare -f per_file); repo='$repo' work='$work' deps='$deps' externs=(${externs[*]@Q}); per_file" && cat "$work/time.tmp" >> "$work/t-rd.times"
done
t_hb=$(col 1 "$work/t-hb.times" | median); t_rd=$(col 1 "$work/t-rd.times" | median)
t_ratio=$(awk -v a="$t_rd" -v b="$t_hb" 'BEGIN {printf "%.1f", a/b}')
echo "handbook test (every snippet) ${t_hb}s vs rustdoc per file ${t_rd}s (${t_ratio}x)"

# Re-test after editing one snippet, on a copy of this book: cold first (its own empty target
# dir: every dependency compiled), then warm, each run after a new edit to one snippet of
# content/questions/alg-none.md (a comment line, so the snippet's text and key change).
tbook=$work/retest-book
rm -rf "$tbook"; mkdir -p "$tbook"
cp -r "$repo/book.toml" "$repo/content" "$repo/snippets" "$tbook/"
rm -rf "$tbook/snippets/bench"
run_timed t-cold "$hb" test "$tbook"
edit() {
  python3 - "$tbook/content/questions/alg-none.md" "$1" <<'PY'
import sys, re
path, n = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"\n// bench edit \d+\n", "\n", text)
text = text.replace("```rust\n", "```rust\n// bench edit %s\n" % n, 1)
open(path, "w").write(text)
PY
}
for i in $(seq "$runs"); do
  edit "$i"
  run_timed t-edit "$hb" test "$tbook"
done
t_cold=$(col 1 "$work/t-cold.times" | median); t_edit=$(col 1 "$work/t-edit.times" | median)
t_edit_max=$(col 1 "$work/t-edit.times" | sort -n | tail -1)
echo "handbook test after a one-snippet edit: median ${t_edit}s (max ${t_edit_max}s); cold ${t_cold}s"
snippet_rows() {
  echo "| snippets of this book | median |"
  echo "|---|---|"
  echo "| \`handbook test\` after editing one snippet (warm: only that file's test target is rebuilt and run) | $t_edit s (max $t_edit_max s, $runs edits) |"
  echo "| \`handbook test\` cold (fresh target directory: every dependency compiled; crates already downloaded; 1 run) | $t_cold s |"
  echo "| \`handbook test --rerun\` (warm, every snippet run, nothing taken from the record) | $t_hb s |"
  echo "| one \`rustdoc --test\` per question file, as \`mdbook test\` runs chapters | $t_rd s |"
  echo "| speed-up, every snippet | ${t_ratio}x |"
}
if $snippets_only; then
  echo "Measured by \`bench/compare.sh --snippets-only $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(rustc --version | cut -d' ' -f2)."
  snippet_rows
  exit 0
fi

rows=()
for n in 20 1000 10000; do
  dir=$work/bank-$n
  python3 bench/gen_bank.py "$repo" "$n" "$dir" >/dev/null
  rm -f "$work"/hb-$n.times "$work"/mb-$n.times
  r=$runs; [ "$n" = 10000 ] && r=$(( runs < 3 ? runs : 3 ))
  for i in $(seq "$r"); do   # A B A B: the two tools alternate, so drift hits both alike
    rm -rf "$dir/hb-out" "$dir/mb-out"
    run_timed hb-$n "$hb" build "$dir/handbook" --dest-dir "$dir/hb-out"
    if [ "$n" = 10000 ]; then
      [ "$i" = 1 ] && run_bounded mb-$n "$mdbook" build "$dir/mdbook" --dest-dir "$dir/mb-out"
    else
      run_timed mb-$n "$mdbook" build "$dir/mdbook" --dest-dir "$dir/mb-out"
    fi
  done
  hb_t=$(col 1 "$work/hb-$n.times" | median)
  hb_m=$(( $(col 2 "$work/hb-$n.times" | sort -n | tail -1) / 1024 ))
  hb_s=$(size_kb "$dir/hb-out")
  hb_i=$(( $(stat -c %s "$dir/hb-out/search-index.js") / 1024 ))
  if grep -q timeout "$work/mb-$n.times"; then
    mb_t="> $mdbook_limit"; ratio="> $(awk -v a="$mdbook_limit" -v b="$hb_t" 'BEGIN {printf "%.0f", a/b}')"
    mb_m="> $(( $(col 2 "$work/mb-$n.times" | sort -n | tail -1) / 1024 ))"
    mb_cell="stopped after $mdbook_limit s"; mb_i_cell="-"
  else
    mb_t=$(col 1 "$work/mb-$n.times" | median)
    ratio=$(awk -v a="$mb_t" -v b="$hb_t" 'BEGIN {printf "%.1f", a/b}')
    mb_m=$(( $(col 2 "$work/mb-$n.times" | sort -n | tail -1) / 1024 ))
    mb_s=$(size_kb "$dir/mb-out"); mb_cell="$mb_s KB ($(( mb_s / n )) KB/q)"
    # mdBook 0.5 names it searchindex-<hash>.js; older versions searchindex.js and .json.
    mb_i_cell="$(( $(cat "$dir"/mb-out/searchindex*.js* 2>/dev/null | wc -c) / 1024 )) KB"
  fi
  rows+=("| $n | $hb_t s | $mb_t s | ${ratio}x | $hb_m MiB | $mb_m MiB | $hb_s KB ($(( hb_s / n )) KB/q) | $mb_cell | $hb_i KB | $mb_i_cell |")
  echo "n=$n handbook ${hb_t}s mdbook ${mb_t}s ratio ${ratio}x"
  eval "hb_t_$n=$hb_t; hb_kbq_$n=$(( hb_s / n ))"
done
growth=$(awk -v a="$hb_t_10000" -v b="$hb_t_1000" 'BEGIN {printf "%.1f", a/b}')

# serve: from saving one file to the new version being served, at 1,000 questions. More edits
# than build runs: with the verifier working in the background, single edits vary 60-400 ms.
edits=${SERVE_EDITS:-9}
serve_ms=$(python3 bench/serve_latency.py "$hb" "$work/bank-1000/handbook" "$edits" body)
serve_summary_ms=$(python3 bench/serve_latency.py "$hb" "$work/bank-1000/handbook" "$edits" summary)
serve_front_ms=$(python3 bench/serve_latency.py "$hb" "$work/bank-1000/handbook" "$edits" front)
echo "serve at 1,000 questions: answer edit $serve_ms; summary edit $serve_summary_ms; title edit $serve_front_ms"
serve_nt_ms=$(python3 bench/serve_latency.py "$hb" "$work/bank-1000/handbook" "$edits" body --no-test)
serve_nt_summary_ms=$(python3 bench/serve_latency.py "$hb" "$work/bank-1000/handbook" "$edits" summary --no-test)
serve_nt_front_ms=$(python3 bench/serve_latency.py "$hb" "$work/bank-1000/handbook" "$edits" front --no-test)
echo "serve --no-test: $serve_nt_ms; $serve_nt_summary_ms; $serve_nt_front_ms"
# handbook test FILE in a book of 1,000 files: what one file's re-test costs as the book grows.
bank_q=$(ls "$work"/bank-1000/handbook/content/questions/*.md | sed -n 500p)
"$hb" test "$work/bank-1000/handbook" "$bank_q" >/dev/null 2>&1 || true   # warm: dependencies built
rm -f "$work/t1k.times"
for i in $(seq "$runs"); do
  s=$(date +%s.%N); "$hb" test "$work/bank-1000/handbook" "$bank_q" >/dev/null 2>&1 || true
  awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN {printf "%.3f\n", a-b}' >> "$work/t1k.times"
done
t_1k_file=$(median < "$work/t1k.times")
echo "handbook test FILE at 1,000 files: $t_1k_file s"
# serve under held connections (slow readers, slowloris, long polls, idle).
serve_load=$(python3 bench/serve_load.py "$hb" 8 64 1000 | tail -n +2)
echo "$serve_load"

# The hand-written notes at the end of the file (what changed and why) survive a new run.
notes=$(sed -n '/^## What changed/,$p' docs/benchmarks.md 2>/dev/null || true)
{
  echo "# Benchmarks"
  echo
  echo "Measured by \`bench/compare.sh $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(rustc --version | cut -d' ' -f2) ($(uname -m))."
  echo "handbook $("$hb" --version | cut -d' ' -f2) (release) vs mdBook $("$mdbook" --version | cut -d' ' -f2 | tr -d v), same markdown"
  echo "(banks generated from the shipped questions by \`bench/gen_bank.py\`; medians of $runs runs, 3 at 10,000;"
  echo "the tools alternate A B A B; peak memory is the maximum RSS over the runs, from /usr/bin/time)."
  echo "At 10,000 questions mdBook runs once, stopped after ${mdbook_limit} s (\`MDBOOK_LIMIT\`): its per-page table of"
  echo "contents makes the build quadratic. \">\" marks a run that was stopped; its memory is the peak until then."
  echo
  echo "| questions | handbook build | mdbook build | speed-up | handbook peak | mdbook peak | handbook output | mdbook output | handbook search index | mdbook search index |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "handbook highlights code server-side (syntect); mdBook leaves highlighting to highlight.js in the browser."
  echo
  echo "Growth, handbook, 1,000 -> 10,000 questions: ${growth}x the time; output ${hb_kbq_1000} -> ${hb_kbq_10000} KB per question."
  echo
  snippet_rows
  echo
  echo "| serve, 1,000 questions | median |"
  echo "|---|---|"
  echo "| save an edit to one answer -> new version served | $serve_ms |"
  echo "| save an edit to one question's \`summary\` (every route showing the question re-rendered: its level pages and sheets, the index, the whole-bank pages; print.html on its own thread) -> new version served | $serve_summary_ms |"
  echo "| save an edit to one question's title (the same routes, plus its neighbours' previous/next links) -> new version served | $serve_front_ms |"
  echo "| the same three with \`serve --no-test\` (no snippet runs in the background) | $serve_nt_ms; $serve_nt_summary_ms; $serve_nt_front_ms |"
  echo
  echo "serve runs a saved file's snippets in the background; the generated bank has no snippet library, so"
  echo "there they fail to compile, quickly. The whole-bank pages (print.html, scorecard, calibrate, drill, the"
  echo "interview sheet, the search index, questions.json) are published after the edited page, on their own thread."
  echo
  echo "| \`handbook test FILE\`, one file of the 1,000-question bank (warm; its snippets fail to compile there) | $t_1k_file s |"
  echo
  echo "serve while N other connections are held (\`bench/serve_load.py\`; 20 requests of \`GET /\`, each on a fresh connection):"
  echo
  echo "$serve_load"
  if [ -n "$notes" ]; then echo; echo "$notes"; fi
} > docs/benchmarks.md
echo "wrote docs/benchmarks.md"
