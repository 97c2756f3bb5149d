//! Toolbar icons: drawn here (a disc in the build's colour with a white
//! check mark, at each size so small icons stay crisp) or a brand's own PNG,
//! checked. No image tools on the brand's machine.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;

use super::brand::Color;

const SIGNATURE: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];
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
    let row = size as usize * 4 + 1;
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
            let i = y as usize * row + 1 + x as usize * 4;
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

/// RGBA rows, each led by filter byte 0, as a PNG file.
fn encode(size: u32, rows: &[u8]) -> Vec<u8> {
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, no interlace
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let idat = z
        .write_all(rows)
        .and_then(|()| z.finish())
        .unwrap_or_default();
    let mut out = SIGNATURE.to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// A brand's icon must be a square PNG of at least 128 px: browsers scale it
/// down for the toolbar. Only the header is read; browsers decode the rest.
pub fn check_icon(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_ICON_BYTES {
        return Err(format!("{} bytes; at most {MAX_ICON_BYTES}", bytes.len()));
    }
    // Signature, then the IHDR chunk: length 13, type, width, height.
    if bytes.len() < 33 || bytes[..8] != SIGNATURE || &bytes[12..16] != b"IHDR" {
        return Err("not a PNG file".into());
    }
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let (w, h) = (be(16), be(20));
    if w != h || w < MIN_ICON {
        return Err(format!(
            "{w}×{h} px; it must be square and at least {MIN_ICON}×{MIN_ICON}"
        ));
    }
    Ok(())
}

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
}
