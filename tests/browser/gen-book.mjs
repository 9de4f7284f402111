// Writes a generated book for the print tests: level 1 with many questions (40 by default),
// level 2 with a few, every question with signals, red flags and four anchors. Each question's
// texts carry its number ("Q07"), so a test can find on which printed page each part landed.
// Usage as a script: node gen-book.mjs DIR [QUESTIONS_IN_LEVEL_1]
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const yaml = (s) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

export function writeBook(dir, { level1 = 40, level2 = 3 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'content/levels'), { recursive: true });
  mkdirSync(join(dir, 'content/questions'), { recursive: true });
  writeFileSync(join(dir, 'book.toml'), '[book]\ntitle = "Generated Print Bank"\nlanguage = "en"\n');
  writeFileSync(join(dir, 'content/index.md'), '---\ntitle: Generated print bank\n---\n\nA bank with a long level, for print tests.\n');
  writeFileSync(join(dir, 'content/guide.md'), [
    '---', 'title: How to use this bank', 'ratings:',
    '  - value: 1', '    label: "wrong, or a red flag"', '    meaning: "No answer, a wrong answer, or a red flag."',
    '  - value: 2', '    label: "partial"', '    meaning: "The right direction with a gap."',
    '  - value: 3', '    label: "correct and confident"', '    meaning: "Covers what a strong answer shows."',
    '  - value: 4', '    label: "deep"', '    meaning: "A 3 that explains why and connects levels."',
    '---', '', 'Start at level 1.', ''].join('\n'));
  const levels = [[1, 'Long level', level1], [2, 'Short level', level2]];
  for (const [n, title] of levels) {
    writeFileSync(join(dir, `content/levels/level-${n}.md`), [
      '---', `level: ${n}`, `title: ${title}`, `probes: "Whether the generated level ${n} is answered."`,
      `red_flag: "Cannot answer any generated level ${n} question"`, `red_flag_short: "No level ${n}"`, '---', '', `Level ${n}.`, ''].join('\n'));
  }
  const ids = [];
  for (const [n, , count] of levels) {
    for (let i = 1; i <= count; i++) {
      const tag = `L${n}Q${String(i).padStart(2, '0')}`;
      const id = `gen-${n}-${i}`;
      ids.push({ id, tag });
      const fm = [
        '---', `id: ${id}`, `level: ${n}`, `order: ${i}`,
        `question: ${yaml(`${tag} How does the service validate a token whose claims were issued by another tenant?`)}`,
        `summary: ${yaml(`Whether the candidate checks issuer and audience (${tag}).`)}`,
        'signals:',
        ...[1, 2, 3, 4].map((k) => `  - ${yaml(`${tag}-S${k} Names the claim to check and says which value is expected and where it comes from`)}`),
        'red_flags:',
        ...[1, 2].map((k) => `  - ${yaml(`${tag}-F${k} Trusts the token because its signature is valid`)}`),
        'anchors:',
        `  1: ${yaml(`${tag} anchor one: the signature is valid, so the token is fine.`)}`,
        `  2: ${yaml(`${tag} anchor two: I would check the issuer, I think, but not the audience.`)}`,
        `  3: ${yaml(`${tag} anchor three: I check the issuer and the audience against configured values.`)}`,
        `  4: ${yaml(`${tag} anchor four: issuer and audience, and why: a token for another service must not work here.`)}`,
        'sources:', '  - title: "RFC 7519 §4.1.1"', '    url: "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.1"',
        '---', '', '## Model answer', '', `Check the issuer and the audience (${tag}).`, ''];
      writeFileSync(join(dir, `content/questions/${id}.md`), fm.join('\n'));
    }
  }
  return ids;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) { console.error('usage: node gen-book.mjs DIR [QUESTIONS_IN_LEVEL_1]'); process.exit(2); }
  writeBook(dir, { level1: Number(count || 40) });
  console.log(`wrote ${dir}`);
}
