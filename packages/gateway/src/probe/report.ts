import type { CheckReport } from './session.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

/** The probe's text report: one line per check (sent, expected, received), then the totals. */
export function textReport(dialect: string, target: string, reports: readonly CheckReport[]): string {
  const width = Math.max(...reports.map((r) => r.name.length));
  const lines = reports.map((r) => {
    const note = r.note === undefined ? '' : `  (${r.note})`;
    return `${MARK[r.status]}  ${r.name.padEnd(width)}  sent ${r.sent}  expected ${r.expected}  received ${r.received}${note}`;
  });
  return [`probe ${dialect} ${target}`, ...lines, summary(dialect, target, reports)].join('\n') + '\n';
}

/** `--json`: the same as one JSON document. */
export function jsonReport(dialect: string, target: string, reports: readonly CheckReport[]): string {
  const n = counts(reports);
  return `${JSON.stringify({ dialect, target, ...n, ok: n.failed === 0, checks: reports }, null, 2)}\n`;
}

function counts(reports: readonly CheckReport[]) {
  const of = (s: CheckReport['status']) => reports.filter((r) => r.status === s).length;
  return { passed: of('pass'), failed: of('fail'), skipped: of('skip') };
}

function summary(dialect: string, target: string, reports: readonly CheckReport[]): string {
  const n = counts(reports);
  return `${dialect} ${target}: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped`;
}
