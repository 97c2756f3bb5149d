//! Toolbar icons: drawn here (a disc in the build's colour with a white
//! check mark, at each size so small icons stay crisp) or a brand's own PNG,
//! checked. PNG is written and read by the `png` crate (image-rs): no image
//! tools on the brand's machine, and no PNG code of our own.

use super::brand::Color;

/// Smallest brand icon: Chrome's store and extension pages show 128 px.
const MIN_ICON: u32 = 128;
/// A bound on a brand icon: every package carries it four times.
const MAX_ICON_BYTES: usize = 512 * 1024;

/// The check mark on a disc of `color`, `size` pixels square, as PNG.
pub fn draw_icon(size: u32, color: Color) -> Vec<u8> {
    let s = f64::from(size);
    let (c, r) = (s / 2.0, s / 2.0 - 0.5);
    let w = (s * 0.09).max(1.2);
    let [br, bg, bb] = color.0.map(f64::from);
    let row = size as usize * 4;
    let mut px = vec![0u8; row * size as usize];
    for y in 0..size {
        for x in 0..size {
            let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            let inside = (r - (fx - c).hypot(fy - c) + 0.5).clamp(0.0, 1.0);
            let d = segment(fx, fy, s * 0.28, s * 0.52, s * 0.44, s * 0.68).min(segment(
                fx,
                fy,
                s * 0.44,
                s * 0.68,
                s * 0.74,
                s * 0.34,
            ));
            let tick = (w - d + 0.5).clamp(0.0, 1.0);
            let mix = |base: f64| (base + (255.0 - base) * tick).round() as u8;
            let i = y as usize * row + x as usize * 4;
            px[i..i + 4].copy_from_slice(&[
                mix(br),
                mix(bg),
                mix(bb),
                (255.0 * inside).round() as u8,
            ]);
        }
    }
    encode(size, &px)
}

/// Distance from (x, y) to the segment a–b.
fn segment(x: f64, y: f64, ax: f64, ay: f64, bx: f64, by: f64) -> f64 {
    let (dx, dy) = (bx - ax, by - ay);
    let t = (((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
    (x - ax - t * dx).hypot(y - ay - t * dy)
}

/// RGBA pixels, `size` rows of `size * 4` bytes, as a PNG file.
fn encode(size: u32, rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, size, size);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    // Only a pixel buffer of the wrong length fails, and draw_icon makes
    // exactly size × size × 4 bytes; writing to a Vec has no I/O to fail.
    let written = enc
        .write_header()
        .and_then(|mut w| w.write_image_data(rgba).and_then(|()| w.finish()));
    debug_assert!(written.is_ok(), "{written:?}");
    out
}

/// A brand's icon must be a square PNG of at least 128 px: browsers scale it
/// down for the toolbar. The whole image is decoded, so a truncated or
/// damaged file is refused here rather than shown broken by the browser; the
/// decoder's memory limit stops a small file that claims a huge image.
pub fn check_icon(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_ICON_BYTES {
        return Err(format!("{} bytes; at most {MAX_ICON_BYTES}", bytes.len()));
    }
    let not_png = |e: png::DecodingError| format!("not a PNG file a browser can show ({e})");
    let mut reader = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), ICON_DECODE_LIMITS)
        .read_info()
        .map_err(not_png)?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w != h || w < MIN_ICON {
        return Err(format!(
            "{w}×{h} px; it must be square and at least {MIN_ICON}×{MIN_ICON}"
        ));
    }
    let mut pixels = vec![0; reader.output_buffer_size().ok_or("too large to decode")?];
    reader.next_frame(&mut pixels).map_err(not_png)?;
    Ok(())
}

/// At most 64 MiB of decoded pixels (a 4096 px square in RGBA): far above
/// any toolbar icon, far below what a hostile header could ask for.
const ICON_DECODE_LIMITS: png::Limits = png::Limits {
    bytes: 64 * 1024 * 1024,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_icons_pass_the_brand_icon_check_at_128() {
        let png = draw_icon(128, Color([0x0b, 0x6e, 0x4f]));
        assert_eq!(check_icon(&png), Ok(()));
        assert!(check_icon(&draw_icon(32, Color([0, 0, 0]))).is_err());
        assert!(check_icon(b"GIF89a...").is_err());
    }

    #[test]
    fn a_damaged_brand_icon_is_refused_not_only_a_bad_header() {
        let png = draw_icon(128, Color([0x0b, 0x6e, 0x4f]));
        // Header intact, image data cut short: a browser would show it broken.
        let cut = &png[..png.len() / 2];
        assert!(check_icon(cut).is_err(), "truncated");
        // One byte of the compressed pixels changed: the chunk's CRC no longer holds.
        let mut flipped = png.clone();
        let mid = png.len() / 2;
        flipped[mid] ^= 0x55;
        assert!(check_icon(&flipped).is_err(), "damaged");
        // A header that claims 60000 px square in a few hundred bytes.
        let mut huge = draw_icon(128, Color([0, 0, 0]));
        huge[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        let crc = crc32(&huge[12..29]);
        huge[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = check_icon(&huge).expect_err("a decoding bomb");
        assert!(
            err.contains("not a PNG") || err.contains("too large"),
            "{err}"
        );
    }

    /// CRC-32 of a PNG chunk's type and data, to forge a header that is valid.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
}
