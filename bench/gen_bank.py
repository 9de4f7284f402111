#!/usr/bin/env python3
"""Generates a synthetic bank of N questions from the shipped ones, as a handbook book and as
an mdBook book with the same markdown, for bench/compare.sh.

Copies keep their markdown; ids get a group suffix (`jwks-g7`) and links and connections point
at the copy in the same group, so every generated book is valid.

usage: gen_bank.py REPO N OUT_DIR   -> OUT_DIR/handbook/ and OUT_DIR/mdbook/
"""
import os
import re
import shutil
import sys

repo, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
src = os.path.join(repo, "content")
questions = []
for name in sorted(os.listdir(os.path.join(src, "questions"))):
    text = open(os.path.join(src, "questions", name), encoding="utf-8").read()
    fm_end = text.index("\n---\n", 4)
    front, body = text[4:fm_end], text[fm_end + 5:]
    meta = dict(re.findall(r"^(id|level|order|question): *(.*)$", front, re.M))
    questions.append((meta, front, body))
questions.sort(key=lambda q: (int(q[0]["level"]), int(q[0]["order"])))
ids = [q[0]["id"] for q in questions]
per_group = len(questions)
levels = sorted({int(q[0]["level"]) for q in questions})
per_level = {lv: sum(1 for q in questions if int(q[0]["level"]) == lv) for lv in levels}

hb = os.path.join(out, "handbook")
mb = os.path.join(out, "mdbook")
for d in (hb, mb):
    shutil.rmtree(d, ignore_errors=True)
os.makedirs(os.path.join(hb, "content", "questions"))
os.makedirs(os.path.join(mb, "src"))
shutil.copytree(os.path.join(src, "levels"), os.path.join(hb, "content", "levels"))
for page in ("index.md", "guide.md"):
    shutil.copy(os.path.join(src, page), os.path.join(hb, "content", page))
if os.path.isdir(os.path.join(src, "articles")):
    shutil.copytree(os.path.join(src, "articles"), os.path.join(hb, "content", "articles"))
book_toml = open(os.path.join(repo, "book.toml"), encoding="utf-8").read()
# Same [book]/[output.html]; the generated books are for building, not for `handbook test`.
book_toml = book_toml.split("[test]")[0]
open(os.path.join(hb, "book.toml"), "w", encoding="utf-8").write(book_toml)
open(os.path.join(mb, "book.toml"), "w", encoding="utf-8").write(
    '[book]\ntitle = "Synthetic bank"\nlanguage = "en"\nsrc = "src"\n\n[output.html]\n'
)

def copy_of(i, group):
    """The copy of question `i` a question of `group` links to: its own group's when the bank
    has it (the last group may be partial), else group 0's."""
    return f"{i}-g{group}" if group * per_group + ids.index(i) < n else f"{i}-g0"


def rename(text, group):
    for i in ids:
        text = re.sub(r"(?<![\w-])" + re.escape(i) + r"(?=\.md|\s*$)", copy_of(i, group), text, flags=re.M)
    return text

# Level pages and articles link to questions: point them at group 0's copies.
for sub in ("levels", "articles"):
    d = os.path.join(hb, "content", sub)
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        path = os.path.join(d, name)
        text = open(path, encoding="utf-8").read()
        for i in ids:
            text = re.sub(r"(?<=/)" + re.escape(i) + r"(?=\.md)", f"{i}-g0", text)
            text = re.sub(r"(?<=\()" + re.escape(i) + r"(?=\.md)", f"{i}-g0", text)
        open(path, "w", encoding="utf-8").write(text)

summary = ["# Summary", ""]
for k in range(n):
    group, j = divmod(k, per_group)
    meta, front, body = questions[j]
    new_id = f"{meta['id']}-g{group}"
    level = int(meta["level"])
    order = group * per_level[level] + int(meta["order"])
    front2 = rename(front, group)
    front2 = re.sub(r"^id: .*$", f"id: {new_id}", front2, flags=re.M)
    front2 = re.sub(r"^order: .*$", f"order: {order}", front2, flags=re.M)
    body2 = re.sub(r"\]\(([a-z0-9-]+)\.md", lambda m: f"]({copy_of(m.group(1), group)}.md" if m.group(1) in ids else m.group(0), body)
    open(os.path.join(hb, "content", "questions", new_id + ".md"), "w", encoding="utf-8").write(f"---\n{front2}\n---\n{body2}")
    question = meta["question"].strip().strip('"')
    open(os.path.join(mb, "src", new_id + ".md"), "w", encoding="utf-8").write(f"# {question}\n{body2}")
    summary.append(f"- [{question.replace('[', '(').replace(']', ')')}]({new_id}.md)")
open(os.path.join(mb, "src", "SUMMARY.md"), "w", encoding="utf-8").write("\n".join(summary) + "\n")
print(f"generated {n} questions in {hb} and {mb}")
