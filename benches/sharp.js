// sharp (libvips) doing the work notion-bake does, for `cargo bench --bench images -- --sharp DIR`,
// which runs it and scores its files beside notion-bake's. By hand: in an empty folder
// `npm install sharp@0.35`, then
//   NODE_PATH=that/node_modules UV_THREADPOOL_SIZE=1 node benches/sharp.js [--effort 4] [--out DIR] photo.jpg …
// Like notion-bake it decodes each photo once (EXIF orientation applied) and resizes those
// pixels to each width (Lanczos3, sharp's default), then encodes JPEG q80 (sharp's defaults:
// libjpeg-turbo tables, baseline, optimised Huffman, 4:2:0) and WebP q80 at `effort` (default 4).
// One thread (`sharp.concurrency(1)` and UV_THREADPOOL_SIZE=1). Prints one JSON line per photo:
// process CPU ms (user + system, best of 3) and, with --out, the files it wrote.
const sharp = require('sharp');
const fs = require('fs');
const path = require('path');
sharp.concurrency(1);
sharp.cache(false);

const WIDTHS = [480, 960, 1440, 1920];
const args = process.argv.slice(2);
let effort = 4, out = null;
const photos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--effort') effort = Number(args[++i]);
  else if (args[i] === '--out') out = args[++i];
  else photos.push(args[i]);
}

async function once(buf) {
  const t0 = process.cpuUsage();
  const { data, info } = await sharp(buf).rotate().raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const files = [];
  for (const w of WIDTHS.filter((w) => w <= info.width)) {
    const resized = await sharp(data, raw).resize(w).raw().toBuffer({ resolveWithObject: true });
    const pixels = { raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } };
    files.push([w, 'jpg', await sharp(resized.data, pixels).jpeg({ quality: 80 }).toBuffer()]);
    files.push([w, 'webp', await sharp(resized.data, pixels).webp({ quality: 80, effort }).toBuffer()]);
  }
  const d = process.cpuUsage(t0);
  return [(d.user + d.system) / 1000, files];
}

(async () => {
  for (const photo of photos) {
    const buf = fs.readFileSync(photo);
    let best = Infinity, files = [];
    for (let i = 0; i < 3; i++) {
      const [ms, f] = await once(buf);
      best = Math.min(best, ms);
      files = f;
    }
    const written = [];
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      for (const [w, ext, bytes] of files) {
        const file = path.join(out, `${path.basename(photo)}-${w}.${ext}`);
        fs.writeFileSync(file, bytes);
        written.push({ width: w, format: ext, path: file, bytes: bytes.length });
      }
    }
    const bytes = files.reduce((n, f) => n + f[2].length, 0);
    console.log(JSON.stringify({ photo, cpu_ms: best, bytes, effort, versions: sharp.versions, files: written }));
  }
})();
