//! Integer columns as they travel: each value minus the one before it,
//! zigzag-mapped and written as LEB128 (7 bits a byte, high bit "more").
//!
//! Why: as plain little-endian u32 these columns were two thirds of the
//! file and gzipped to about half, because their bytes change every row
//! (string references 1041, 1042, 1043… share three bytes but not the one
//! that changes). Their differences are tiny — the next string, the same
//! string again, one row more, "none" (`u32::MAX` is −1 away from 0) — and
//! mostly one byte that repeats. They are decoded once at load into owned
//! vectors, which makes every later read a plain index, not a byte
//! assembly.

use super::CompiledError;

/// Appends `values` delta-coded to `out`.
pub fn encode(values: &[u32], out: &mut Vec<u8>) {
    let mut prev = 0u32;
    for &v in values {
        let d = v.wrapping_sub(prev) as i32;
        prev = v;
        let mut z = ((d << 1) ^ (d >> 31)) as u32;
        while z >= 0x80 {
            out.push(z as u8 | 0x80);
            z >>= 7;
        }
        out.push(z as u8);
    }
}

/// Decodes a column. Its length is the number of bytes that end a value,
/// so nothing is allocated beyond four bytes per byte read.
pub(super) fn decode(bytes: &[u8], column: &str) -> Result<Vec<u32>, CompiledError> {
    let bad = || CompiledError::Section(column.to_string());
    let mut out = Vec::with_capacity(bytes.iter().filter(|&&b| b < 0x80).count());
    let mut prev = 0u32;
    let mut rest = bytes.iter();
    while let Some(&first) = rest.next() {
        // Most values are one byte: read more only for the others.
        let mut z = u32::from(first);
        if first >= 0x80 {
            z &= 0x7f;
            let mut shift = 7;
            loop {
                let &b = rest.next().ok_or_else(bad)?;
                // The fifth byte of a value holds its top 4 bits and ends it.
                if shift == 28 && b > 0x0f {
                    return Err(bad());
                }
                z |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
            }
        }
        prev = prev.wrapping_add(((z >> 1) as i32 ^ -((z & 1) as i32)) as u32);
        out.push(prev);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip_and_bad_bytes_are_refused() {
        let cases: [&[u32]; 5] = [
            &[],
            &[0, 1, 2, 3, 3, 3, 7],
            &[u32::MAX, 0, u32::MAX, 5, 4_000_000_000, 1],
            &[0x7fff_ffff, 0x8000_0000, 0, u32::MAX],
            &[300, 200, 100_000, 99_999],
        ];
        for values in cases {
            let mut bytes = Vec::new();
            encode(values, &mut bytes);
            assert_eq!(decode(&bytes, "T").ok().as_deref(), Some(values));
        }
        let mut one = Vec::new();
        encode(&[1, 2], &mut one);
        assert_eq!(one, [2, 2], "small steps are one byte each");
        for bad in [&[0x80u8][..], &[0xff, 0xff, 0xff, 0xff, 0x10], &[0x81]] {
            assert!(decode(bad, "T").is_err(), "{bad:?}");
        }
    }
}
