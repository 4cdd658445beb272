//! Image quality for the `images` bench: the SSIMULACRA2 score of a variant against the source
//! resized to the variant's size with Lanczos3 from full resolution, the best a resized copy can
//! be. SSIMULACRA2 (Cloudinary's perceptual metric, the rust-av crate): 100 = identical,
//! about 90 = visually lossless, 70 = high quality, 50 = medium; a few tenths are noise.

use std::collections::HashMap;
use std::io::Cursor;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use ssimulacra2::{ColorPrimaries, Rgb, TransferCharacteristic, compute_frame_ssimulacra2};

/// A source photo at full resolution (EXIF orientation applied), and its resized copies.
pub struct Reference {
    full: RgbImage,
    resized: HashMap<(u32, u32), Vec<u8>>,
}

impl Reference {
    /// Decodes the source with `image` at full size, as a browser shows it.
    pub fn new(bytes: &[u8]) -> Reference {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .expect("readable source");
        let mut decoder = reader.into_decoder().expect("a decodable source");
        let orientation = decoder.orientation().expect("orientation");
        let mut image = DynamicImage::from_decoder(decoder).expect("a decodable source");
        image.apply_orientation(orientation);
        Reference {
            full: image.into_rgb8(),
            resized: HashMap::new(),
        }
    }

    pub fn dimensions(&self) -> (u32, u32) {
        self.full.dimensions()
    }

    /// The source resized to `width`×`height` (RGB8), Lanczos3 from full resolution.
    pub fn at(&mut self, width: u32, height: u32) -> &[u8] {
        let full = &self.full;
        self.resized
            .entry((width, height))
            .or_insert_with(|| resize(full.as_raw(), full.dimensions(), (width, height)))
    }

    /// SSIMULACRA2 of an encoded variant (JPEG, PNG or WebP) against the source at its size.
    pub fn score_encoded(&mut self, encoded: &[u8]) -> f64 {
        let decoded = image::load_from_memory(encoded)
            .expect("a decodable variant")
            .into_rgb8();
        let (width, height) = decoded.dimensions();
        self.score_pixels(decoded.as_raw(), width, height)
    }

    /// SSIMULACRA2 of RGB8 pixels against the source at their size.
    pub fn score_pixels(&mut self, pixels: &[u8], width: u32, height: u32) -> f64 {
        let reference = self.at(width, height);
        ssimulacra2(reference, pixels, width, height)
    }
}

/// Lanczos3 resize of RGB8 pixels (fast_image_resize, gamma space, like the pipeline).
pub fn resize(pixels: &[u8], from: (u32, u32), to: (u32, u32)) -> Vec<u8> {
    let src = ImageRef::new(from.0, from.1, pixels, PixelType::U8x3).expect("RGB8 pixels");
    let mut dst = Image::new(to.0, to.1, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .expect("resize");
    dst.into_vec()
}

/// SSIMULACRA2 of two RGB8 images of the same size.
pub fn ssimulacra2(reference: &[u8], distorted: &[u8], width: u32, height: u32) -> f64 {
    let frame = |pixels: &[u8]| {
        let data = pixels
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]].map(|v| f32::from(v) / 255.0))
            .collect();
        Rgb::new(
            data,
            width as usize,
            height as usize,
            TransferCharacteristic::SRGB,
            ColorPrimaries::BT709,
        )
        .expect("an RGB frame")
    };
    compute_frame_ssimulacra2(frame(reference), frame(distorted)).expect("SSIMULACRA2")
}
