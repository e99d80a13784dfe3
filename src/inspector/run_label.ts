// A run's name, the same in every view and message: the cell's title and the time it started.

/** 'Train: 2,000 steps · 23:14:05' (an untitled cell reads 'cell at line 12 · 23:14:05'). */
export function runLabel(title: string, line: number, startedAt: Date): string {
  const time = [startedAt.getHours(), startedAt.getMinutes(), startedAt.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const name = title.trim() === '' ? `cell at line ${line}` : title.trim();
  return `${name} · ${time}`;
}
