// sharp (libvips) doing what notion-bake does, for a side-by-side figure with `cargo bench --bench images`:
// 4 widths, JPEG q80 + WebP q80 effort 4, one thread. In an empty folder: `npm install sharp@0.35`,
// then `UV_THREADPOOL_SIZE=1 node sharp.js photo.jpg …` (process CPU ms, best of 3).
const sharp = require('sharp');
const fs = require('fs');
sharp.concurrency(1);
sharp.cache(false);
async function once(buf) {
  const t0 = process.cpuUsage();
  let bytes = 0;
  for (const w of [480, 960, 1440, 1920]) {
    const base = sharp(buf).resize(w);
    bytes += (await base.clone().jpeg({ quality: 80 }).toBuffer()).length;
    bytes += (await base.clone().webp({ quality: 80, effort: 4 }).toBuffer()).length;
  }
  const d = process.cpuUsage(t0);
  return [(d.user + d.system) / 1000, bytes];
}
(async () => {
  for (const path of process.argv.slice(2)) {
    const buf = fs.readFileSync(path);
    let best = Infinity, kb = 0;
    for (let i = 0; i < 3; i++) { const [ms, b] = await once(buf); best = Math.min(best, ms); kb = b / 1024; }
    console.log(`sharp ${path}: ${best.toFixed(1)} CPU ms (best of 3), ${kb.toFixed(0)} KB`);
  }
})();
