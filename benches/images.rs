//! Image pipeline benchmark: `cargo bench --bench images [-- --quick]`.
//!
//! Generates photo-like 12 MP (4032×3024) JPEGs in memory, then measures
//! `assets::image::process` with the default settings (widths 480/960/1440/1920, JPEG +
//! WebP at quality 80, placeholder):
//!
//! 1. **CPU ms per photo, one thread**: each photo is processed inside a 1-thread rayon pool
//!    (so fast_image_resize cannot spread work), and the process CPU time (user + system,
//!    `getrusage(RUSAGE_SELF)`) is read before and after; best of 3 runs per photo. The same
//!    with WebP off gives the share of the WebP encodes.
//! 2. **photos/s on all cores**: a batch of photos processed with `par_iter` on the global
//!    rayon pool, wall time.
//!
//! Also printed, to justify the JPEG decoder choice: decode CPU ms of `image` (zune-jpeg),
//! mozjpeg full size, and mozjpeg with DCT scaling to 1/2 (what the pipeline uses for 4032 px
//! sources and a 1920 px widest variant).
//!
//! The photos: a smooth two-colour "sky to ground" gradient, low-frequency colour blotches
//! (value noise, 300–500 px cells), mid- and high-frequency texture (value noise at 40 px
//! and 6 px cells, strong in the "detailed" photo, faint in the "smooth" one), a few hard-edged
//! discs and bars, and per-pixel sensor grain; encoded as 4:2:0 JPEG at quality 92 like a
//! phone camera. Encoders therefore see gradients, edges, texture and noise.
//!
//! `--quick`: one 1600×1200 photo, one run: a smoke test that finishes in seconds.
//! Paths of real JPEGs given as arguments are measured next to the generated photos
//! (`cargo bench --bench images -- photo.jpg`).

use std::time::{Duration, Instant};

use notion_bake::assets::image::{ImageSettings, ProcessedImage, process};
use rayon::prelude::*;

/// The target from the issue: CPU seconds per 12 MP photo for 4 widths in JPEG + WebP.
const TARGET_MS: f64 = 800.0;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (width, height, runs) = if quick {
        (1600, 1200, 1)
    } else {
        (4032, 3024, 3)
    };
    let kinds: &[(&str, f32)] = if quick {
        &[("detailed", 1.0)]
    } else {
        &[
            ("smooth", 0.15),
            ("medium", 0.5),
            ("detailed", 1.0),
            ("busy", 2.0),
        ]
    };

    println!(
        "notion-bake image bench: {width}×{height} photos, widths 480/960/1440/1920, JPEG + WebP q80 (rayon threads: {})",
        rayon::current_num_threads()
    );
    let mut photos: Vec<(String, Vec<u8>)> = kinds
        .iter()
        .enumerate()
        .map(|(i, &(name, detail))| {
            let bytes = photo_jpeg(width, height, detail, 0x5eed + i as u64);
            (name.to_string(), bytes)
        })
        .collect();
    // Real photos given on the command line are measured too.
    for path in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let name = std::path::Path::new(&path)
            .file_name()
            .unwrap()
            .to_string_lossy();
        photos.push((name.into_owned(), bytes));
    }
    for (name, bytes) in &photos {
        println!("  source {name:<8} {:>6} KB", bytes.len() / 1024);
    }

    let settings = ImageSettings::default();
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");

    println!("\nJPEG decode, one thread, CPU ms (best of {runs}):");
    for (name, bytes) in &photos {
        let image_ms = best_cpu_ms(runs, || {
            std::hint::black_box(image::load_from_memory(bytes).unwrap());
        });
        let full_ms = best_cpu_ms(runs, || {
            std::hint::black_box(mozjpeg_decode(bytes, 8));
        });
        let half_ms = best_cpu_ms(runs, || {
            std::hint::black_box(mozjpeg_decode(bytes, 4));
        });
        println!(
            "  {name:<8} image/zune {image_ms:>6.1}   mozjpeg full {full_ms:>6.1}   mozjpeg DCT 1/2 {half_ms:>6.1}"
        );
    }

    println!(
        "\nFull variant set per photo, one thread (CPU = user+sys via getrusage, best of {runs}):"
    );
    let jpeg_only = ImageSettings {
        webp: false,
        ..settings.clone()
    };
    let mut generated_cpu = Vec::new();
    for (i, (name, bytes)) in photos.iter().enumerate() {
        let mut last: Option<ProcessedImage> = None;
        let mut wall = Duration::MAX;
        let cpu = best_cpu_ms(runs, || {
            let started = Instant::now();
            let out = one_thread.install(|| process(bytes, &settings)).unwrap();
            wall = wall.min(started.elapsed());
            last = Some(out);
        });
        let jpeg_cpu = best_cpu_ms(runs, || {
            std::hint::black_box(one_thread.install(|| process(bytes, &jpeg_only)).unwrap());
        });
        if i < kinds.len() {
            generated_cpu.push(cpu);
        }
        let out = last.expect("at least one run");
        let kb: usize = out.variants.iter().map(|v| v.bytes.len()).sum::<usize>() / 1024;
        println!(
            "  {name:<8} {cpu:>6.1} CPU ms ({:>6.1} wall ms), of which WebP {:>6.1}; {} variants, {kb} KB, placeholder {} B",
            wall.as_secs_f64() * 1e3,
            cpu - jpeg_cpu,
            out.variants.len(),
            out.placeholder.as_ref().map_or(0, String::len),
        );
    }
    let mean = generated_cpu.iter().sum::<f64>() / generated_cpu.len() as f64;
    let worst = generated_cpu.iter().copied().fold(0.0, f64::max);
    println!(
        "  generated {width}×{height}: mean {mean:.1}, worst {worst:.1} CPU ms per photo; target ≤ {TARGET_MS:.0} ms for 12 MP: {}",
        if quick {
            "n/a (--quick uses a small photo)"
        } else if worst <= TARGET_MS {
            "MET"
        } else {
            "NOT MET"
        }
    );

    let batch: Vec<&Vec<u8>> = photos
        .iter()
        .map(|(_, b)| b)
        .cycle()
        .take(if quick { 2 } else { photos.len() * 2 })
        .collect();
    let cpu_before = cpu_time();
    let started = Instant::now();
    batch.par_iter().for_each(|bytes| {
        std::hint::black_box(process(bytes, &settings).unwrap());
    });
    let wall = started.elapsed().as_secs_f64();
    let cpu = (cpu_time() - cpu_before).as_secs_f64();
    println!(
        "\nAll cores ({} threads): {} photos in {wall:.2} s wall ({cpu:.2} s CPU) = {:.2} photos/s",
        rayon::current_num_threads(),
        batch.len(),
        batch.len() as f64 / wall,
    );
}

/// Process CPU time (user + system) of all threads.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The smallest CPU time of `runs` calls, in ms.
fn best_cpu_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let before = cpu_time();
            f();
            (cpu_time() - before).as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn mozjpeg_decode(bytes: &[u8], scale: u8) -> Vec<u8> {
    let mut decompress = mozjpeg::Decompress::new_mem(bytes).unwrap();
    decompress.scale(scale);
    let mut started = decompress.rgb().unwrap();
    let pixels: Vec<u8> = started.read_scanlines().unwrap();
    started.finish().unwrap();
    pixels
}

/// A small deterministic PRNG (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Value noise: a random grid with `cell`-pixel spacing, smoothly interpolated; −1..1.
struct ValueNoise {
    cell: f32,
    cols: usize,
    grid: Vec<f32>,
}

impl ValueNoise {
    fn new(width: u32, height: u32, cell: f32, rng: &mut Rng) -> Self {
        let cols = (width as f32 / cell) as usize + 2;
        let rows = (height as f32 / cell) as usize + 2;
        let grid = (0..cols * rows).map(|_| rng.unit() * 2.0 - 1.0).collect();
        ValueNoise { cell, cols, grid }
    }

    fn at(&self, x: u32, y: u32) -> f32 {
        let (fx, fy) = (x as f32 / self.cell, y as f32 / self.cell);
        let (ix, iy) = (fx as usize, fy as usize);
        let smooth = |t: f32| t * t * (3.0 - 2.0 * t);
        let (tx, ty) = (smooth(fx - ix as f32), smooth(fy - iy as f32));
        let g = |cx: usize, cy: usize| self.grid[cy * self.cols + cx];
        let top = g(ix, iy) + (g(ix + 1, iy) - g(ix, iy)) * tx;
        let bottom = g(ix, iy + 1) + (g(ix + 1, iy + 1) - g(ix, iy + 1)) * tx;
        top + (bottom - top) * ty
    }
}

/// A photo-like RGB image (see the module docs), as a q92 4:2:0 JPEG.
fn photo_jpeg(width: u32, height: u32, detail: f32, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let blotches: Vec<ValueNoise> = (0..3)
        .map(|_| ValueNoise::new(width, height, 300.0 + rng.unit() * 200.0, &mut rng))
        .collect();
    let texture = ValueNoise::new(width, height, 40.0, &mut rng);
    let fine = ValueNoise::new(width, height, 6.0, &mut rng);
    let discs: Vec<(f32, f32, f32, [f32; 3])> = (0..8)
        .map(|_| {
            let colour = [rng.unit() * 255.0, rng.unit() * 255.0, rng.unit() * 255.0];
            let (cx, cy) = (rng.unit() * width as f32, rng.unit() * height as f32);
            (cx, cy, 80.0 + rng.unit() * 400.0, colour)
        })
        .collect();
    let sky = [110.0, 160.0, 230.0];
    let ground = [90.0, 110.0, 50.0];
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        let t = y as f32 / height as f32;
        for x in 0..width {
            let mut rgb = [0.0f32; 3];
            for c in 0..3 {
                rgb[c] = sky[c] + (ground[c] - sky[c]) * t + blotches[c].at(x, y) * 40.0;
            }
            let tex = texture.at(x, y) * 35.0 * detail + fine.at(x, y) * 25.0 * detail;
            for (cx, cy, r, colour) in &discs {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                if dx * dx + dy * dy < r * r {
                    rgb = *colour;
                }
            }
            if (x / 97) % 11 == 3 && t > 0.6 {
                rgb = [40.0, 30.0, 25.0]; // fence posts: long vertical edges
            }
            let grain = (rng.unit() - 0.5) * 12.0;
            for v in &mut rgb {
                pixels.push((*v + tex + grain).clamp(0.0, 255.0) as u8);
            }
        }
    }
    let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    compress.set_fastest_defaults();
    compress.set_size(width as usize, height as usize);
    compress.set_quality(92.0);
    let mut started = compress.start_compress(Vec::new()).unwrap();
    started.write_scanlines(&pixels).unwrap();
    started.finish().unwrap()
}
