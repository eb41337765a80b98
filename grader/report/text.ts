/**
 * The scorecard for the terminal: one line per rubric item with its points and a mark
 * (✓ full, ~ partial, ✗ none), the failed findings under each item that lost points (every
 * finding with `verbose`), the homework's claims, the submission's problems and the total.
 */
import type { Finding, RubricItem } from '../rubric';
import type { Scorecard } from '../scorecard';

export interface TextOptions {
  /** ANSI colours; the caller decides (a TTY, no NO_COLOR). */
  color: boolean;
  /** Every finding under every item, not only the failed ones under items that lost points. */
  verbose: boolean;
}

const WIDTH = 100;
const ITEM_INDENT = '  ';
const FINDING_INDENT = '      ';
const MAX_LABEL = 72;

const ANSI = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;
type Style = keyof typeof ANSI;

export function renderScorecard(card: Scorecard, options: TextOptions): string {
  const paint = (text: string, style: Style): string =>
    options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
  const lines: string[] = [];

  lines.push(
    paint(card.submission.name, 'bold'),
    `${ITEM_INDENT}from ${card.submission.source}`,
    '',
  );

  const labels = card.items.map((item) => truncate(`${item.id} ${item.title}`, MAX_LABEL));
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  card.items.forEach((item, index) => {
    const score = `${formatPoints(item.points)}/${formatPoints(item.maxPoints)}`;
    const mark = itemMark(item);
    const label = labels[index].padEnd(labelWidth);
    lines.push(`${ITEM_INDENT}${paint(mark.symbol, mark.style)} ${label}  ${score.padStart(7)}`);

    const full = item.points >= item.maxPoints;
    const shown = options.verbose ? item.findings : full ? [] : item.findings.filter((f) => !f.ok);
    for (const finding of shown) lines.push(...findingLines(finding, FINDING_INDENT, paint));
  });

  if (card.claims.length > 0) {
    lines.push('', paint('What the homework says students will see', 'bold'));
    for (const claim of card.claims) lines.push(...findingLines(claim, ITEM_INDENT, paint));
  }

  if (card.problems.length > 0) {
    lines.push('', paint('Problems with the submission', 'bold'));
    for (const problem of card.problems) lines.push(...wrap(`- ${problem}`, ITEM_INDENT, '  '));
  }

  const total = `Total ${formatPoints(card.total)}/${formatPoints(card.maxTotal)}`;
  const seconds = `(graded in ${(card.durationMs / 1000).toFixed(1)} s)`;
  lines.push('', `${paint(total, 'bold')} ${options.verbose ? seconds : ''}`.trimEnd());
  return `${lines.join('\n')}\n`;
}

function itemMark(item: RubricItem): { symbol: string; style: Style } {
  if (item.points >= item.maxPoints) return { symbol: '✓', style: 'green' };
  return item.points > 0 ? { symbol: '~', style: 'yellow' } : { symbol: '✗', style: 'red' };
}

function findingLines(
  finding: Finding,
  indent: string,
  paint: (text: string, style: Style) => string,
): string[] {
  const symbol = finding.ok ? paint('✓', 'green') : paint('✗', 'red');
  const [first, ...rest] = wrap(finding.message, '', '', WIDTH - indent.length - 2);
  return [`${indent}${symbol} ${first}`, ...rest.map((line) => `${indent}  ${line}`)];
}

/** Word-wraps `text` to the width, the first line after `indent`, the others after it + `hang`. */
function wrap(text: string, indent: string, hang: string, width = WIDTH - indent.length): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const limit = lines.length === 0 ? width : width - hang.length;
    if (line !== '' && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((text, i) => (i === 0 ? `${indent}${text}` : `${indent}${hang}${text}`));
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 3)}...` : text;
}

/** 10, 2.5, 87.75: quarter points print without trailing zeros. */
function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}
