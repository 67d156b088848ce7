//! Every scene renders, in English and in Welsh, to a picture that is not blank: the
//! game binary is run with `--screenshot` for each, and each PNG must have enough
//! distinct colours and enough detail (pixels that differ from their neighbour) to be
//! a drawn screen rather than an empty window.
//!
//! It needs a display and a GPU driver, so it is ignored by a plain `cargo test`;
//! `.ci/run` runs it under `xvfb-run` with Mesa's software Vulkan:
//! `xvfb-run -a cargo test -p workworlds --test render -- --ignored`.

use std::collections::HashSet;
use std::fs::File;
use std::path::Path;
use std::process::Command;

/// The scenes and the languages every one is drawn in.
const SCENES: [&str; 14] = [
    "title",
    "world",
    "task",
    "stamp",
    "challenge",
    "portfolio",
    "badges",
    "reflections",
    "record",
    "board",
    "dashboard",
    "settings",
    "results",
    "debrief",
];
const LANGS: [&str; 2] = ["en", "cy"];

/// A drawn screen has text, icons and colours; a blank or failed one has a handful.
const MIN_COLOURS: usize = 64;
/// The share of pixels, in thousandths, that must differ from the pixel to their left.
/// An empty window has none; the sparest screen (a pupil in class: a name and two
/// buttons) has about 6.
const MIN_DETAIL_PER_MILLE: usize = 3;

struct Picture {
    width: u32,
    height: u32,
    colours: usize,
    detail_per_mille: usize,
}

fn look_at(path: &Path) -> Picture {
    let decoder = png::Decoder::new(std::io::BufReader::new(File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let pixels = &pixels[..frame.buffer_size()];
    let rows: Vec<&[u8]> = pixels.chunks(frame.line_size).collect();
    let mut colours = HashSet::new();
    let mut differing = 0;
    for row in &rows {
        let mut previous: Option<&[u8]> = None;
        for pixel in row.chunks(channels) {
            colours.insert(pixel.to_vec());
            if previous.is_some_and(|left| left != pixel) {
                differing += 1;
            }
            previous = Some(pixel);
        }
    }
    let total = (frame.width * frame.height) as usize;
    Picture {
        width: frame.width,
        height: frame.height,
        colours: colours.len(),
        detail_per_mille: differing * 1000 / total.max(1),
    }
}

#[test]
#[ignore = "needs a display and a Vulkan driver: .ci/run runs it under xvfb-run"]
fn every_scene_renders_in_both_languages() {
    let folder = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for scene in SCENES {
        for lang in LANGS {
            let out = folder.path().join(format!("{scene}-{lang}.png"));
            let status = Command::new(env!("CARGO_BIN_EXE_workworlds"))
                .args(["--screenshot", out.to_str().unwrap(), "--scene", scene])
                .args(["--lang", lang])
                .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
                .env("RUST_LOG", "warn")
                .status()
                .unwrap();
            if !status.success() {
                failures.push(format!("{scene} ({lang}): the game exited with {status}"));
                continue;
            }
            let picture = look_at(&out);
            if (picture.width, picture.height) != (1280, 720) {
                failures.push(format!(
                    "{scene} ({lang}): {}×{}, not 1280×720",
                    picture.width, picture.height
                ));
            }
            if picture.colours < MIN_COLOURS || picture.detail_per_mille < MIN_DETAIL_PER_MILLE {
                failures.push(format!(
                    "{scene} ({lang}) looks blank: {} colours, {}‰ detail",
                    picture.colours, picture.detail_per_mille
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
