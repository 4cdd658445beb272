//! Photo-like test images for the benchmarks (`images` and `site`), generated in memory.
//!
//! The photos: a smooth two-colour "sky to ground" gradient, low-frequency colour blotches
//! (value noise, 300–500 px cells), mid- and high-frequency texture (value noise at 40 px
//! and 6 px cells, strong in the "detailed" photo, faint in the "smooth" one), a few hard-edged
//! discs and bars, and per-pixel sensor grain; encoded as 4:2:0 JPEG at quality 92 like a
//! phone camera. Encoders therefore see gradients, edges, texture and noise.

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn unit(&mut self) -> f32 {
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

/// A photo-like RGB image as a q92 4:2:0 JPEG: a sky to ground gradient, colour blotches,
/// texture at 40 px and 6 px scales (`detail` sets its strength, and with it the file size),
/// hard-edged discs, fence posts and sensor grain.
pub fn photo_jpeg(width: u32, height: u32, detail: f32, seed: u64) -> Vec<u8> {
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
