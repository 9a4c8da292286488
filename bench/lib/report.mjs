/** The results as a Markdown report (printed, and bench/results/latest.md) and a log-log SVG chart. */

const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
const us = (x) => (x >= 1 ? `${x.toFixed(2)} ms` : `${(x * 1000).toFixed(0)} µs`);
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const row = (cells) => `| ${cells.join(' | ')} |`;

export function markdown(r) {
  const m = r.meta;
  const out = [];
  out.push(`## pvpn-gen benchmark`, '');
  out.push(
    `${m.date}, commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}, node ${m.node}, ${m.cpus} CPUs, ` +
      `load average ${m.loadStart} at the start and ${m.loadEnd} at the end; timer: ${m.timer}; ${m.seconds} s in all.`,
  );
  out.push(
    `Every command ran with ${m.removedEnv.join(' and ')} unset (this machine kind sets NODE_EXTRA_CA_CERTS, which adds ` +
      `40-50 ms to every node start). Medians of interleaved runs after warm-up; ratios are against \`node -e 0\` timed in the same interleaved group.`,
    '',
  );
  if (m.busy) {
    out.push(
      `**Warning: the machine was busy before the benchmark started (load average ${m.loadStart} on ${m.cpus} CPUs): ` +
        'wall-time medians are inflated and scattered; compare the CPU column, and rerun on a quiet machine.**',
      '',
    );
  }

  out.push('### Targets', '', row(['target', 'measured', 'limit', '']), row(['---', '---:', '---:', '---']));
  for (const t of r.targets) out.push(row([t.name, t.measured, t.limit, t.pass === null ? '' : t.pass ? 'PASS' : '**FAIL**']));
  out.push('');

  out.push(
    `### Start-up: ${r.startup.spec} (1 service)`,
    '',
    row(['command', 'median', 'ratio', 'min', 'CPU (user+sys)', 'runs']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const c of r.startup.rows) {
    out.push(row([`\`${c.label}\``, ms(c.median), `${c.ratio.toFixed(2)}x`, ms(c.min), c.cpu === null ? 'n/a' : ms(c.cpu), String(c.runs)]));
  }
  out.push('');

  out.push(
    '### Scale: validate + render + plan (`diff --root <empty> --target systemd`)',
    '',
    'CLI = the whole command (diff text to /dev/null). In-process = the same stages after warm-up (median per stage): ' +
      'compile (read, YAML parse, schema, normalise), render, plan (read the root, build the plan); format (the diff ' +
      'text) is shown apart. Marginal = (time(N) - time(1)) / (N - 1): constant when growth is linear.',
    '',
    row(['services', 'files', 'CLI median', 'CLI per service', 'CLI marginal', 'CLI peak RSS', 'compile', 'render', 'plan', 'format', 'in-process total', 'per service', 'runs (CLI / in-process)']),
    row(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const s of r.scale) {
    const i = s.inproc;
    out.push(
      row([
        String(s.services),
        String(i.files),
        ms(s.cli.median),
        us(s.cli.perService),
        s.services > 1 ? us(s.cli.marginal) : '-',
        mb(s.cli.peakRssKb),
        ms(i.compile),
        ms(i.render),
        ms(i.plan),
        ms(i.format),
        ms(i.pipeline),
        us(i.pipeline / s.services),
        `${s.cli.runs} / ${i.iterations}`,
      ]),
    );
  }
  const [k1, k10] = [1000, 10000].map((n) => r.scale.find((s) => s.services === n));
  if (k1 && k10) {
    const g = (a, b) => `${(b / a).toFixed(1)}x`;
    out.push(
      '',
      `Growth from 1,000 to 10,000 services (linear = 10x): CLI ${g(k1.cli.median, k10.cli.median)}, in-process ` +
        `${g(k1.inproc.pipeline, k10.inproc.pipeline)} (compile ${g(k1.inproc.compile, k10.inproc.compile)}, ` +
        `render ${g(k1.inproc.render, k10.inproc.render)}, plan ${g(k1.inproc.plan, k10.inproc.plan)}, format ${g(k1.inproc.format, k10.inproc.format)}).`,
    );
  }
  out.push('');

  const ins = r.install;
  out.push(
    `### install --root <empty> --target systemd --yes, ${ins.services} services (${ins.files} files, ${ins.links} links, ${ins.dirs} directories)`,
    '',
    'Floor: a node script writing the same tree (same contents, modes, directories, links) with temp file + write + ' +
      'fsync + rename each, and one fsync per directory, one file after the other as a hand-written installer does; ' +
      'the parallel floor writes 16 at a time, as install does. Each run starts from a fresh empty root made outside ' +
      'the timing; all create their directories inside the timing. What install adds to the parallel floor is about ' +
      'what `diff` costs: reading, validating, rendering and planning the spec, and printing the diff.',
    '',
    row(['command', 'median', 'min', 'max', 'CPU (user+sys)', 'runs']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...[['`pvpn-gen install`', ins.install], ['raw floor', ins.floor], ['raw floor, 16 at a time', ins.floorParallel]].map(([label, t]) =>
      row([label, ms(t.median), ms(t.min), ms(t.max), t.cpu === null ? 'n/a' : ms(t.cpu), String(t.runs)]),
    ),
    '',
    `install / floor = **${ins.ratio.toFixed(2)}x**; install / parallel floor = ${ins.ratioParallel.toFixed(2)}x`,
    '',
  );
  return out.join('\n');
}

/** Time against number of services, log-log: CLI and in-process, with a slope-1 (linear) guide through N=1,000. */
export function svg(r) {
  const W = 720, H = 400, L = 74, R = 230, T = 30, B = 50;
  const tick = (t) => (t >= 1000 ? `${t / 1000} s` : t >= 1 ? `${t} ms` : `${Math.round(t * 1000)} µs`);
  const xs = r.scale.map((s) => s.services);
  const series = [
    { name: 'CLI diff (whole process)', color: '#c0392b', pts: r.scale.map((s) => [s.services, s.cli.median]) },
    { name: 'in-process (warm)', color: '#2471a3', pts: r.scale.map((s) => [s.services, s.inproc.pipeline]) },
  ];
  const all = series.flatMap((s) => s.pts.map((p) => p[1]));
  const x0 = Math.log10(Math.min(...xs)), x1 = Math.log10(Math.max(...xs));
  const y0 = Math.floor(Math.log10(Math.min(...all, 1))), y1 = Math.ceil(Math.log10(Math.max(...all, 1000)));
  const X = (n) => L + ((Math.log10(n) - x0) / (x1 - x0 || 1)) * (W - L - R);
  const Y = (t) => H - B - ((Math.log10(t) - y0) / (y1 - y0)) * (H - T - B);
  const el = [];
  for (let e = y0; e <= y1; e++) {
    const y = Y(10 ** e).toFixed(1);
    el.push(`<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${y}" text-anchor="end" dy="4">${tick(10 ** e)}</text>`);
  }
  for (const n of xs) el.push(`<line x1="${X(n)}" x2="${X(n)}" y1="${T}" y2="${H - B}" stroke="#eee"/>`, `<text x="${X(n)}" y="${H - B + 18}" text-anchor="middle">${n.toLocaleString('en')}</text>`);
  const at1000 = r.scale.find((s) => s.services === 1000);
  if (at1000) {
    // linear growth through the 1,000-service CLI point: where 10,000 would be if nothing grew faster than N
    const t = at1000.cli.median;
    el.push(`<line x1="${X(1000)}" y1="${Y(t)}" x2="${X(Math.max(...xs))}" y2="${Y(t * (Math.max(...xs) / 1000))}" stroke="#999" stroke-dasharray="4 4"/>`);
    el.push(`<circle cx="${X(1000)}" cy="${Y(500)}" r="5" fill="none" stroke="#27ae60" stroke-width="2"/>`);
  }
  series.forEach((s, i) => {
    el.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.pts.map(([n, t]) => `${X(n).toFixed(1)},${Y(t).toFixed(1)}`).join(' ')}"/>`);
    for (const [n, t] of s.pts) el.push(`<circle cx="${X(n).toFixed(1)}" cy="${Y(t).toFixed(1)}" r="3" fill="${s.color}"/>`);
    el.push(`<rect x="${W - R + 12}" y="${T + 10 + i * 20}" width="12" height="3" fill="${s.color}"/>`, `<text x="${W - R + 30}" y="${T + 15 + i * 20}">${s.name}</text>`);
  });
  el.push(`<line x1="${W - R + 12}" x2="${W - R + 24}" y1="${T + 52}" y2="${T + 52}" stroke="#999" stroke-dasharray="4 4"/>`, `<text x="${W - R + 30}" y="${T + 56}">linear from 1,000</text>`);
  el.push(`<circle cx="${W - R + 18}" cy="${T + 72}" r="5" fill="none" stroke="#27ae60" stroke-width="2"/>`, `<text x="${W - R + 30}" y="${T + 76}">target: 0.5 s at 1,000</text>`);
  el.push(`<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">services in the spec (log)</text>`);
  el.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">median time (log)</text>`);
  el.push(`<text x="${L}" y="18">pvpn-gen validate+render+plan, ${r.meta.date}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${el.join('\n')}\n</svg>\n`;
}
