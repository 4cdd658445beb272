//! Hand-written documents for the example site: an SVG map, a PDF itinerary, a GPX track and
//! a short WAV of synthesised birdsong. All generated here, CC0.

/// A sketch map of the (fictional) Isle of Kest: coastline, contours, the walking route,
/// labels, a north arrow and a scale bar.
pub fn kest_map_svg() -> Vec<u8> {
    r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="800" height="560" viewBox="0 0 800 560">
  <title>Isle of Kest: the three-day route</title>
  <rect width="800" height="560" fill="#cfe0e8"/>
  <g fill="none" stroke="#9fbccb" stroke-width="1">
    <path d="M40 120 Q200 60 380 90 T760 110"/>
    <path d="M30 470 Q260 520 470 490 T780 450"/>
  </g>
  <path d="M160 300 C150 210 230 150 330 160 C400 120 470 130 520 170 C600 160 660 220 640 290
           C690 340 640 420 560 420 C500 470 400 460 350 430 C260 450 180 400 190 350 Z"
        fill="#e9e2c9" stroke="#6f6650" stroke-width="2.5"/>
  <g fill="none" stroke="#b8a97c" stroke-width="1.2">
    <path d="M230 300 C230 240 300 200 360 210 C430 190 520 220 560 270 C580 330 520 380 440 380 C360 400 260 370 230 300 Z"/>
    <path d="M300 290 C300 250 350 235 400 240 C460 235 510 265 500 305 C480 345 420 350 370 340 C320 335 300 315 300 290 Z"/>
    <path d="M370 285 C375 265 410 260 435 270 C455 285 445 305 420 310 C395 312 368 302 370 285 Z"/>
  </g>
  <path d="M205 345 L260 330 L310 300 L372 286 L410 282 L470 300 L540 330 L600 300 L615 250"
        fill="none" stroke="#b3261e" stroke-width="3" stroke-dasharray="9 6" stroke-linecap="round"/>
  <g fill="#b3261e">
    <circle cx="205" cy="345" r="6"/>
    <circle cx="410" cy="282" r="6"/>
    <circle cx="615" cy="250" r="6"/>
  </g>
  <g font-family="Georgia, serif" font-size="16" fill="#3b352a">
    <text x="120" y="370">Harbour (ferry)</text>
    <text x="388" y="268">Cnoc Mòr 212 m</text>
    <text x="600" y="236">Seal Stack</text>
    <text x="430" y="448" font-style="italic">Tràigh Bhàn</text>
    <text x="560" y="520" font-size="22" font-style="italic" fill="#4b6b7b">The Sound of Kest</text>
  </g>
  <g transform="translate(720 80)">
    <path d="M0 -34 L10 8 L0 0 L-10 8 Z" fill="#3b352a"/>
    <text x="-6" y="30" font-family="Georgia, serif" font-size="16" fill="#3b352a">N</text>
  </g>
  <g transform="translate(40 520)" font-family="Georgia, serif" font-size="13" fill="#3b352a">
    <rect width="100" height="6" fill="#3b352a"/>
    <rect x="100" width="100" height="6" fill="#fff" stroke="#3b352a"/>
    <text x="0" y="22">0</text><text x="92" y="22">1</text><text x="186" y="22">2 km</text>
  </g>
</svg>
"##
    .as_bytes()
    .to_vec()
}

/// A one-page PDF (PDF 1.4, Helvetica, no compression) with the trip itinerary. The cross
/// reference table is computed, so the file is valid.
pub fn itinerary_pdf() -> Vec<u8> {
    let lines = [
        (20, "Isle of Kest - three days, 9-11 May 2026"),
        (12, ""),
        (13, "Friday 9 May"),
        (
            11,
            "07:40  Ferry from Port Ellan (arrive 09:15). Leave bags at the bunkhouse.",
        ),
        (
            11,
            "10:00  Harbour to Cnoc Mor by the east path, 6 km. Lunch at the cairn.",
        ),
        (
            11,
            "15:00  Traigh Bhan at low water (14:52): waders, shell sand, otter spraints.",
        ),
        (12, ""),
        (13, "Saturday 10 May"),
        (
            11,
            "05:30  Dawn watch at Seal Stack. Grey seals haul out on the falling tide.",
        ),
        (
            11,
            "09:00  Seabird count along the north cliffs with the ranger (booked).",
        ),
        (
            11,
            "14:00  Lichen survey on the standing stones: Xanthoria, Ramalina, Lecanora.",
        ),
        (12, ""),
        (13, "Sunday 11 May"),
        (
            11,
            "08:00  Machair walk, corncrake listening point. Pack up by 12:00.",
        ),
        (
            11,
            "16:20  Ferry back (check the weather line the evening before).",
        ),
        (12, ""),
        (
            10,
            "Tides are for the Sound of Kest; add 12 minutes on the west side.",
        ),
    ];
    let mut content = String::from("BT\n/F1 11 Tf\n1 0 0 1 56 780 Tm\n");
    for (size, text) in lines {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        content.push_str(&format!(
            "/F1 {size} Tf\n0 -{} Td\n({escaped}) Tj\n",
            size + 8
        ));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
        "<< /Title (Isle of Kest itinerary) /Author (Field Notes) /Creator (notion-bake example site) >>"
            .to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A GPX track of the Hollow Fen loop (a lopsided ellipse around the mere).
pub fn fen_walk_gpx() -> Vec<u8> {
    let mut gpx = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Field Notes" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>Hollow Fen loop</name><time>2026-03-14T05:40:00Z</time></metadata>
  <trk><name>Hollow Fen loop</name><trkseg>
"#,
    );
    let n = 48;
    for i in 0..=n {
        let a = i as f64 / n as f64 * std::f64::consts::TAU;
        let lat = 52.4012 + 0.0061 * a.sin() + 0.0009 * (3.0 * a).sin();
        let lon = 0.3187 + 0.0112 * a.cos() + 0.0013 * (2.0 * a).cos();
        let ele = 1.0 + 0.6 * (2.0 * a).sin();
        let minute = 40 + i * 2;
        gpx.push_str(&format!(
            "    <trkpt lat=\"{lat:.6}\" lon=\"{lon:.6}\"><ele>{ele:.1}</ele><time>2026-03-14T{:02}:{:02}:00Z</time></trkpt>\n",
            5 + minute / 60,
            minute % 60
        ));
    }
    gpx.push_str("  </trkseg></trk>\n</gpx>\n");
    gpx.into_bytes()
}

/// Four seconds of synthesised song, mono 16-bit 22.05 kHz: reed-warbler-like chatter
/// (frequency-swept chirps) over a faint wind hiss.
pub fn reed_warbler_wav() -> Vec<u8> {
    let rate = 22_050u32;
    let samples = rate * 4;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut data = Vec::with_capacity(samples as usize * 2);
    let mut prev_noise = 0.0f32;
    for i in 0..samples {
        let t = i as f32 / rate as f32;
        // Chirps of 70 ms every 110 ms, pitch patterns repeating in threes.
        let slot = (t / 0.11) as u32;
        let within = t - slot as f32 * 0.11;
        let mut v = 0.0;
        if within < 0.07 && (slot % 9) != 8 {
            let base = [3200.0, 4100.0, 2700.0][(slot % 3) as usize];
            let sweep =
                base + 1800.0 * (within / 0.07) * if slot.is_multiple_of(2) { 1.0 } else { -0.6 };
            let env = (within / 0.07 * std::f32::consts::PI).sin().powi(2);
            let phase = std::f32::consts::TAU * sweep * within;
            v += 0.45 * env * (phase + 0.8 * (t * 140.0).sin()).sin();
        }
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let white = (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0;
        prev_noise = prev_noise * 0.97 + white * 0.03; // low-passed: wind, not hiss
        v += prev_noise * 0.6;
        let s = (v * 0.8 * i16::MAX as f32) as i16;
        data.extend_from_slice(&s.to_le_bytes());
    }
    let mut wav = Vec::with_capacity(44 + data.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(data.len() as u32).to_le_bytes());
    wav.extend_from_slice(&data);
    wav
}
