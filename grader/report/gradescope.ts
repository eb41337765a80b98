/**
 * The scorecard as Gradescope's autograder `results.json` (fixtures/schemas/
 * gradescope-results.schema.json; Gradescope's "Autograder Specifications", "Output format").
 * One Gradescope test per rubric item; every test is visible to the student at once.
 */
import type { Finding, RubricItem } from '../rubric';
import type { Scorecard } from '../scorecard';

export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';
export type GradescopeFormat = 'text' | 'html' | 'simple_format' | 'md' | 'ansi';

export interface GradescopeTest {
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  name: string;
  name_format?: GradescopeFormat;
  number?: string;
  output: string;
  output_format?: GradescopeFormat;
  tags?: string[];
  visibility: GradescopeVisibility;
  extra_data?: Record<string, unknown>;
}

export interface GradescopeResults {
  score: number;
  execution_time: number; // seconds
  output: string;
  output_format?: GradescopeFormat;
  test_output_format?: GradescopeFormat;
  test_name_format?: GradescopeFormat;
  visibility: GradescopeVisibility;
  stdout_visibility: GradescopeVisibility;
  extra_data: Record<string, unknown>;
  tests: GradescopeTest[];
  leaderboard?: Array<{ name: string; value: number | string; order?: 'asc' | 'desc' }>;
}

export function toGradescope(card: Scorecard): GradescopeResults {
  return {
    score: card.total,
    execution_time: Math.round(card.durationMs) / 1000,
    output: summary(card),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden', // the grader's log is for the instructor
    extra_data: { submission: card.submission.name, maxScore: card.maxTotal },
    tests: card.items.map(toTest),
  };
}

function toTest(item: RubricItem): GradescopeTest {
  return {
    score: item.points,
    max_score: item.maxPoints,
    status: item.points >= item.maxPoints ? 'passed' : 'failed',
    name: `${item.id} ${item.title}`,
    output: findingLines(item.findings).join('\n'),
    visibility: 'visible',
  };
}

/** Failed findings first, each group in its original order. */
function findingLines(findings: readonly Finding[]): string[] {
  const failed = findings.filter((finding) => !finding.ok);
  const passed = findings.filter((finding) => finding.ok);
  return [
    ...failed.map((finding) => `✗ ${finding.message}`),
    ...passed.map((finding) => `✓ ${finding.message}`),
  ];
}

function summary(card: Scorecard): string {
  const lines = [`${card.submission.name}: ${card.total} of ${card.maxTotal} points.`];

  if (card.problems.length === 0) {
    lines.push('The submission was opened without problems.');
  } else {
    const count = card.problems.length;
    lines.push('', `${count} problem${count === 1 ? '' : 's'} with the submission itself:`);
    lines.push(...card.problems.map((problem) => `- ${problem}`));
  }
  return lines.join('\n');
}
