//! Renders the sample site through the built-in templates. With `NOTION_BAKE_SAMPLE_OUT=dir` the
//! site is kept in `dir` with stand-in images, for screenshots of the theme.
use super::sample::{kitchen_sink_assets, render_sample_site};

fn write_stand_in_images(dir: &std::path::Path) {
    let assets = kitchen_sink_assets();
    for asset in assets.assets() {
        let Some(info) = &asset.image else { continue };
        let mut paths = vec![(asset.path.clone(), info.width, info.height)];
        paths.extend(
            info.variants
                .iter()
                .map(|v| (v.path.clone(), v.width, v.height)),
        );
        for (path, w, h) in paths {
            let img = image::RgbImage::from_fn(w, h, |x, y| {
                let t = x as f32 / w as f32;
                let s = y as f32 / h as f32;
                image::Rgb([
                    (40.0 + 120.0 * t) as u8,
                    (90.0 + 80.0 * s) as u8,
                    (160.0 + 60.0 * (1.0 - t)) as u8,
                ])
            });
            let path = dir.join(&path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            img.save(&path).unwrap();
        }
    }
}

#[test]
fn sample_site_renders_with_the_builtin_templates() {
    let (dir, keep) = match std::env::var_os("NOTION_BAKE_SAMPLE_OUT") {
        Some(dir) => (std::path::PathBuf::from(dir), true),
        None => (tempfile::tempdir().unwrap().keep(), false),
    };
    let warnings = render_sample_site(&dir, false).unwrap();
    for w in &warnings {
        println!("warning: {w}");
    }
    assert!(dir.join("posts/kitchen-sink/index.html").is_file());
    if keep {
        write_stand_in_images(&dir);
    } else {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
