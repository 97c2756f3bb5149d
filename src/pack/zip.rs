//! A minimal zip writer (deflate, no extra fields) for the packages the
//! stores and browsers take. Entries are sorted and stamped with one fixed
//! DOS time (1980-01-01), so the same inputs give the same zip.

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// 1980-01-01 00:00 as DOS date (high half) and time (low half).
const DOS_EPOCH: u32 = 0x0021_0000;

/// `files` as (name inside the zip with `/` separators, bytes) → zip bytes.
/// Errors only if an entry passes the 4 GiB of plain zip (no zip64 here).
pub fn zip(mut files: Vec<(String, Vec<u8>)>) -> std::io::Result<Vec<u8>> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    let mut central = Vec::new();
    let too_big = || std::io::Error::other("a file is too large for a zip without zip64");
    for (name, data) in &files {
        let mut z = DeflateEncoder::new(Vec::new(), Compression::best());
        z.write_all(data)?;
        let body = z.finish()?;
        let crc = crc32fast::hash(data);
        let offset = u32::try_from(out.len()).map_err(|_| too_big())?;
        let (csize, usize_) = (
            u32::try_from(body.len()).map_err(|_| too_big())?,
            u32::try_from(data.len()).map_err(|_| too_big())?,
        );
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        // Local header: version 2.0, UTF-8 names (bit 11), deflate.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0x0800u16.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&DOS_EPOCH.to_le_bytes());
        for v in [crc, csize, usize_] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&body);
        // Central directory entry for the same file.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0x0800, 8] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [DOS_EPOCH, crc, csize, usize_] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attrs, external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(files.len()).map_err(|_| too_big())?;
    let cd_offset = u32::try_from(out.len()).map_err(|_| too_big())?;
    let cd_len = u32::try_from(central.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, disk with the directory
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}
