// tools/bench/icons/vtrace.js - VTracer (@neplex/vectorizer) on a list of PNGs.
// Usage: node vtrace.js LIST  (each line "in.png out.svg"); prints "out.svg seconds" per line.
const fs = require('fs');
const { vectorizeSync, Preset } = require(process.env.FT_BENCH_WORK + '/node_modules/@neplex/vectorizer');
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const [inp, out] = line.split(' ');
  const buf = fs.readFileSync(inp);
  const t0 = process.hrtime.bigint();
  const svg = vectorizeSync(buf, Preset.Bw);
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.writeFileSync(out, svg);
  console.log(out + ' ' + dt);
}
