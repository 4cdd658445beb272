//! What a file is, from its bytes alone (never from the URL or the file name).

use super::map::VariantFormat;

/// The type of a file, sniffed from its leading bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileKind {
    /// JPEG image (decoded and resized).
    Jpeg,
    /// PNG image, APNG included (decoded and resized).
    Png,
    /// GIF image (decoded; animated GIFs are bundled as-is).
    Gif,
    /// WebP image (decoded and resized).
    Webp,
    /// SVG image: bundled as-is.
    Svg,
    /// AVIF image: the pipeline cannot decode it; bundled as-is.
    Avif,
    /// HEIC/HEIF image: the pipeline cannot decode it; bundled as-is.
    Heic,
    /// TIFF image: the pipeline cannot decode it; bundled as-is.
    Tiff,
    /// BMP image: the pipeline cannot decode it; bundled as-is.
    Bmp,
    /// PDF document.
    Pdf,
    /// MP3 audio.
    Mp3,
    /// MPEG-4 audio (`.m4a`).
    M4a,
    /// MPEG-4 video.
    Mp4,
    /// QuickTime video.
    Mov,
    /// WebM (Matroska) video.
    Webm,
    /// Ogg audio or video.
    Ogg,
    /// WAVE audio.
    Wav,
    /// FLAC audio.
    Flac,
    /// ZIP archive (also DOCX, XLSX, …).
    Zip,
    /// Anything else.
    Other,
}

impl FileKind {
    /// The MIME type.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Svg => "image/svg+xml",
            FileKind::Avif => "image/avif",
            FileKind::Heic => "image/heic",
            FileKind::Tiff => "image/tiff",
            FileKind::Bmp => "image/bmp",
            FileKind::Pdf => "application/pdf",
            FileKind::Mp3 => "audio/mpeg",
            FileKind::M4a => "audio/mp4",
            FileKind::Mp4 => "video/mp4",
            FileKind::Mov => "video/quicktime",
            FileKind::Webm => "video/webm",
            FileKind::Ogg => "application/ogg",
            FileKind::Wav => "audio/wav",
            FileKind::Flac => "audio/flac",
            FileKind::Zip => "application/zip",
            FileKind::Other => "application/octet-stream",
        }
    }

    /// The extension for the baked file name, without the dot.
    ///
    /// `None` for [`FileKind::Other`]: the bytes say nothing, so the caller picks one (a
    /// sanitised extension of the original name, or `bin`).
    pub(crate) fn extension(self) -> Option<&'static str> {
        Some(match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Svg => "svg",
            FileKind::Avif => "avif",
            FileKind::Heic => "heic",
            FileKind::Tiff => "tiff",
            FileKind::Bmp => "bmp",
            FileKind::Pdf => "pdf",
            FileKind::Mp3 => "mp3",
            FileKind::M4a => "m4a",
            FileKind::Mp4 => "mp4",
            FileKind::Mov => "mov",
            FileKind::Webm => "webm",
            FileKind::Ogg => "ogg",
            FileKind::Wav => "wav",
            FileKind::Flac => "flac",
            FileKind::Zip => "zip",
            FileKind::Other => return None,
        })
    }

    /// Whether this is an image of any kind (browsers may show it in `<img>`).
    pub(crate) fn is_image(self) -> bool {
        self.mime().starts_with("image/")
    }

    /// The format of an image the pipeline decodes and resizes; `None` for everything that
    /// is bundled as-is (SVG, HEIC, TIFF, AVIF, BMP, non-images).
    pub(crate) fn decodable(self) -> Option<VariantFormat> {
        match self {
            FileKind::Jpeg => Some(VariantFormat::Jpeg),
            FileKind::Png => Some(VariantFormat::Png),
            FileKind::Gif => Some(VariantFormat::Gif),
            FileKind::Webp => Some(VariantFormat::Webp),
            _ => None,
        }
    }

    /// A short human name, for messages ("HEIC", "PDF").
    pub(crate) fn name(self) -> &'static str {
        match self {
            FileKind::Jpeg => "JPEG",
            FileKind::Png => "PNG",
            FileKind::Gif => "GIF",
            FileKind::Webp => "WebP",
            FileKind::Svg => "SVG",
            FileKind::Avif => "AVIF",
            FileKind::Heic => "HEIC",
            FileKind::Tiff => "TIFF",
            FileKind::Bmp => "BMP",
            FileKind::Pdf => "PDF",
            FileKind::Mp3 => "MP3",
            FileKind::M4a => "M4A",
            FileKind::Mp4 => "MP4",
            FileKind::Mov => "QuickTime",
            FileKind::Webm => "WebM",
            FileKind::Ogg => "Ogg",
            FileKind::Wav => "WAVE",
            FileKind::Flac => "FLAC",
            FileKind::Zip => "ZIP",
            FileKind::Other => "unknown",
        }
    }
}

/// Sniffs a file's type from its magic bytes (SVG from its text).
pub(crate) fn sniff(bytes: &[u8]) -> FileKind {
    let b = bytes;
    let starts = |magic: &[u8]| b.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return FileKind::Jpeg;
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return FileKind::Png;
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return FileKind::Gif;
    }
    if starts(b"RIFF") && b.len() >= 12 {
        match &b[8..12] {
            b"WEBP" => return FileKind::Webp,
            b"WAVE" => return FileKind::Wav,
            _ => {}
        }
    }
    if starts(b"II*\0") || starts(b"MM\0*") {
        return FileKind::Tiff;
    }
    if starts(b"BM") && b.len() >= 26 && b[14..18].iter().any(|&x| x != 0) {
        return FileKind::Bmp;
    }
    if starts(b"%PDF-") {
        return FileKind::Pdf;
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return sniff_ftyp(b);
    }
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return FileKind::Webm;
    }
    if starts(b"OggS") {
        return FileKind::Ogg;
    }
    if starts(b"fLaC") {
        return FileKind::Flac;
    }
    if starts(b"ID3") || (b.len() >= 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0 && b[1] & 0x06 != 0) {
        return FileKind::Mp3;
    }
    if starts(b"PK\x03\x04") {
        return FileKind::Zip;
    }
    if looks_like_svg(b) {
        return FileKind::Svg;
    }
    FileKind::Other
}

/// ISO base media files: the major brand, then the compatible brands, decide.
fn sniff_ftyp(b: &[u8]) -> FileKind {
    let box_len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let end = box_len.clamp(12, b.len().min(256));
    let major = &b[8..12];
    let compatible = b.get(16..end).unwrap_or(&[]).chunks_exact(4);
    let brands = std::iter::once(major).chain(compatible);
    let mut kind = FileKind::Mp4;
    for brand in brands {
        match brand {
            b"avif" | b"avis" => return FileKind::Avif,
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                kind = FileKind::Heic
            }
            b"M4A " | b"M4B " if brand == major => return FileKind::M4a,
            b"qt  " if brand == major => return FileKind::Mov,
            _ => {}
        }
    }
    kind
}

/// An SVG document: text (optionally with a BOM, an XML declaration, comments and a
/// doctype) whose first element is `<svg`.
fn looks_like_svg(b: &[u8]) -> bool {
    let head = &b[..b.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.contains(&0) {
        return false;
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start();
    if !text.starts_with('<') {
        return false;
    }
    match (text.find("<svg"), text.find("<html")) {
        (Some(svg), Some(html)) => svg < html,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_sniffed_from_magic_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), FileKind::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FileKind::Png);
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), FileKind::Gif);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), FileKind::Webp);
        assert_eq!(FileKind::Jpeg.extension(), Some("jpg"));
        assert_eq!(FileKind::Webp.mime(), "image/webp");
    }

    #[test]
    fn svg_is_sniffed_from_its_text() {
        let svg = b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(sniff(svg), FileKind::Svg);
        assert_eq!(sniff(b"  <SVG viewBox='0 0 1 1'></SVG>"), FileKind::Svg);
        assert_eq!(FileKind::Svg.mime(), "image/svg+xml");
        assert_eq!(FileKind::Svg.decodable(), None);
        assert_eq!(sniff(b"<html><body><svg/></body></html>"), FileKind::Other);
        assert_eq!(sniff(b"just text mentioning <svg"), FileKind::Other);
    }

    #[test]
    fn heic_tiff_and_avif_are_images_bundled_as_is() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        let avif_by_compat = b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf";
        for (bytes, kind) in [
            (&heic[..], FileKind::Heic),
            (&avif[..], FileKind::Avif),
            (&avif_by_compat[..], FileKind::Avif),
            (b"II*\0\x08\0\0\0", FileKind::Tiff),
            (b"MM\0*\0\0\0\x08", FileKind::Tiff),
        ] {
            assert_eq!(sniff(bytes), kind);
            assert!(kind.is_image());
            assert_eq!(kind.decodable(), None, "{kind:?} must be bundled as-is");
        }
        assert_eq!(FileKind::Heic.extension(), Some("heic"));
    }

    #[test]
    fn documents_and_media_are_sniffed() {
        assert_eq!(sniff(b"%PDF-1.7\n"), FileKind::Pdf);
        assert_eq!(
            sniff(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41"),
            FileKind::Mp4
        );
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "), FileKind::Mov);
        assert_eq!(
            sniff(b"\0\0\0\x1cftypM4A \0\0\0\0M4A mp42isom"),
            FileKind::M4a
        );
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0"), FileKind::Mp3);
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x44]), FileKind::Mp3);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), FileKind::Wav);
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F]), FileKind::Webm);
        assert_eq!(sniff(b"PK\x03\x04\x14\0"), FileKind::Zip);
        assert_eq!(sniff(b"name,price\nx,1\n"), FileKind::Other);
        assert_eq!(sniff(b""), FileKind::Other);
        assert_eq!(FileKind::Other.extension(), None);
        assert!(!FileKind::Pdf.is_image());
    }
}
