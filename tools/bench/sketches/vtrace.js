// tools/bench/sketches/vtrace.js - VTracer (@neplex/vectorizer) over a list of images.
// Usage: node vtrace.js bw|color|poster LIST   (LIST lines: "in.png out.svg")
// Prints "out.svg seconds" per image, timing the library call only.
const fs = require('fs');
const v = require(process.env.FT_BENCH_WORK + '/node_modules/@neplex/vectorizer');
const configs = {
  bw: v.Preset.Bw,
  poster: v.Preset.Poster,
  // vtracer's command-line defaults in colour mode
  color: {
    colorMode: v.ColorMode.Color, hierarchical: v.Hierarchical.Stacked, filterSpeckle: 4,
    colorPrecision: 6, layerDifference: 16, mode: v.PathSimplifyMode.Spline,
    cornerThreshold: 60, lengthThreshold: 4, maxIterations: 10, spliceThreshold: 45,
    pathPrecision: 2,
  },
};
const config = configs[process.argv[2]];
if (config === undefined) throw new Error('unknown config ' + process.argv[2]);
for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const [inp, out] = line.split(' ');
  const buf = fs.readFileSync(inp);
  const t0 = process.hrtime.bigint();
  const svg = v.vectorizeSync(buf, config);
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.writeFileSync(out, svg);
  console.log(out + ' ' + dt);
}
