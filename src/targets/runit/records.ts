/** `sv status DIR`: "run: /etc/sv/x: (pid 12) 30s; run: log: (pid 13) 30s", parsed. Pure. */
export function parseSvStatus(text: string): { state: 'run' | 'down' | 'finish' | 'unknown'; pid?: number; seconds?: number; wantUp?: boolean } {
  const m = /^(run|down|finish): [^:]+: (?:\(pid (\d+)\) )?(\d+)s(.*)$/m.exec(text);
  if (!m) return { state: 'unknown' };
  const rest = m[4] ?? '';
  return {
    state: m[1] as 'run' | 'down' | 'finish',
    ...(m[2] ? { pid: Number(m[2]) } : {}),
    seconds: Number(m[3]),
    ...(rest.includes('normally up') || rest.includes('want up') ? { wantUp: true } : {}),
  };
}
