//! Ed25519 keys and the signed-registry envelope.
//!
//! A signed registry is one header line followed by the registry bytes:
//!
//! ```text
//! genuine-registry/1 ed25519 <key fingerprint, 32 hex> <signature, base64>\n<payload>
//! ```
//!
//! The signature covers every byte of the file except the signature itself
//! (the header with the signature field removed, then the payload), and the
//! header is parsed strictly, so any change to the file's bytes fails
//! verification: the payload and fingerprint are signed, the signature is
//! checked with `verify_strict` (no malleable encodings), and any other byte
//! breaks the exact header syntax.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

const MAGIC: &str = "genuine-registry/1 ed25519 ";
const PUBLIC_TAG: &str = "genuine-public-key/1 ";
const SECRET_TAG: &str = "genuine-secret-key/1 ";

/// What can go wrong with keys and signatures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The file does not start with a Genuine signature header.
    #[error("the registry is not signed (no 'genuine-registry/1' header)")]
    NotSigned,
    /// The header is there but damaged or cut short.
    #[error("the registry's signature header is malformed or the file is truncated")]
    MalformedHeader,
    /// Signed, but by another key than the one the caller trusts.
    #[error("the registry is signed by key {found}, not by the trusted key {expected}")]
    WrongKey { expected: String, found: String },
    /// The signature does not match the bytes: the file was changed after signing.
    #[error("the registry's signature does not match its contents (changed after signing?)")]
    BadSignature,
    /// A key file is not in the form `genuine-public-key/1 <base64>` / `genuine-secret-key/1 <base64>`.
    #[error("not a Genuine {0} key file")]
    BadKeyFile(&'static str),
}

/// A publisher's public key, as pinned in extension builds and given to `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

/// A publisher's secret signing key. Never leaves the publisher's machine.
pub struct SecretKey(SigningKey);

impl PublicKey {
    /// Reads a public key file (`genuine-public-key/1 <base64>`), or the bare base64.
    pub fn parse(text: &str) -> Result<Self, SignError> {
        let text = text.trim();
        let b64 = text.strip_prefix(PUBLIC_TAG).unwrap_or(text);
        let bytes: [u8; 32] = decode_32(b64).ok_or(SignError::BadKeyFile("public"))?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| SignError::BadKeyFile("public"))
    }

    /// The key file's text.
    pub fn to_file(&self) -> String {
        format!("{PUBLIC_TAG}{}\n", STANDARD.encode(self.0.as_bytes()))
    }

    /// First 16 bytes of SHA-256 of the key, in hex: what users compare.
    pub fn fingerprint(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes())[..16])
    }
}

impl SecretKey {
    /// A new key from the operating system's random source.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)?;
        Ok(SecretKey(SigningKey::from_bytes(&seed)))
    }

    pub fn parse(text: &str) -> Result<Self, SignError> {
        let b64 = text
            .trim()
            .strip_prefix(SECRET_TAG)
            .ok_or(SignError::BadKeyFile("secret"))?;
        let seed = decode_32(b64).ok_or(SignError::BadKeyFile("secret"))?;
        Ok(SecretKey(SigningKey::from_bytes(&seed)))
    }

    pub fn to_file(&self) -> String {
        format!("{SECRET_TAG}{}\n", STANDARD.encode(self.0.as_bytes()))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Wraps `payload` in a signed envelope.
    pub fn sign(&self, payload: &[u8]) -> Vec<u8> {
        let fp = self.public().fingerprint();
        let sig = self.0.sign(&signed_message(&fp, payload));
        let mut out = format!("{MAGIC}{fp} {}\n", STANDARD.encode(sig.to_bytes())).into_bytes();
        out.extend_from_slice(payload);
        out
    }
}

/// True when `file` carries a signature header (verified or not).
pub fn is_signed(file: &[u8]) -> bool {
    file.starts_with(MAGIC.as_bytes())
}

/// A signature header, parsed strictly.
struct Header {
    fingerprint: [u8; 32],
    signature: [u8; 64],
    /// Where the payload starts (after the header's newline).
    payload: usize,
}

fn header(file: &[u8]) -> Result<Header, SignError> {
    if !is_signed(file) {
        return Err(SignError::NotSigned);
    }
    let nl = file
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(SignError::MalformedHeader)?;
    let header =
        std::str::from_utf8(&file[MAGIC.len()..nl]).map_err(|_| SignError::MalformedHeader)?;
    let (fp, sig_b64) = header.split_once(' ').ok_or(SignError::MalformedHeader)?;
    if fp.len() != 32 || !fp.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(SignError::MalformedHeader);
    }
    let signature: [u8; 64] = STANDARD
        .decode(sig_b64)
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or(SignError::MalformedHeader)?;
    // Canonical base64 only: a re-encoding must give the same text, or two
    // files with different bytes would carry the same signature.
    if STANDARD.encode(signature) != sig_b64 {
        return Err(SignError::MalformedHeader);
    }
    Ok(Header {
        fingerprint: std::array::from_fn(|i| fp.as_bytes()[i]),
        signature,
        payload: nl + 1,
    })
}

impl Header {
    fn check_key(&self, key: &PublicKey) -> Result<(), SignError> {
        let expected = key.fingerprint();
        if self.fingerprint != expected.as_bytes() {
            return Err(SignError::WrongKey {
                expected,
                found: String::from_utf8_lossy(&self.fingerprint).into_owned(),
            });
        }
        Ok(())
    }
}

/// Checks `file` against `key` and returns the payload it vouches for.
pub fn verify<'a>(file: &'a [u8], key: &PublicKey) -> Result<&'a [u8], SignError> {
    let h = header(file)?;
    h.check_key(key)?;
    let payload = &file[h.payload..];
    let fp = std::str::from_utf8(&h.fingerprint).map_err(|_| SignError::MalformedHeader)?;
    key.0
        .verify_strict(
            &signed_message(fp, payload),
            &Signature::from_bytes(&h.signature),
        )
        .map_err(|_| SignError::BadSignature)?;
    Ok(payload)
}

/// [`verify`] without copying the payload, for files of tens of megabytes in
/// a browser's memory: the signed message (the header without its signature,
/// then the payload) is assembled in place, in the header bytes just before
/// the payload, which the header is long enough to hold. The header is
/// overwritten; returns where the payload starts.
pub fn verify_in_place(file: &mut [u8], key: &PublicKey) -> Result<usize, SignError> {
    let h = header(file)?;
    h.check_key(key)?;
    let prefix = MAGIC.len() + h.fingerprint.len() + 1;
    let at = h
        .payload
        .checked_sub(prefix)
        .ok_or(SignError::MalformedHeader)?;
    file[at..at + MAGIC.len()].copy_from_slice(MAGIC.as_bytes());
    file[at + MAGIC.len()..h.payload - 1].copy_from_slice(&h.fingerprint);
    file[h.payload - 1] = b'\n';
    key.0
        .verify_strict(&file[at..], &Signature::from_bytes(&h.signature))
        .map_err(|_| SignError::BadSignature)?;
    Ok(h.payload)
}

/// Where the payload of a file with a well-formed header naming `key`
/// starts; the signature itself is not checked (see `registry::verify_cached`).
pub(crate) fn header_for(file: &[u8], key: &PublicKey) -> Result<usize, SignError> {
    let h = header(file)?;
    h.check_key(key)?;
    Ok(h.payload)
}

/// The payload of a signed file, without checking the signature.
pub fn payload_unverified(file: &[u8]) -> Result<&[u8], SignError> {
    let nl = file
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(SignError::MalformedHeader)?;
    Ok(&file[nl + 1..])
}

fn signed_message(fingerprint: &str, payload: &[u8]) -> Vec<u8> {
    let mut msg = Vec::with_capacity(MAGIC.len() + 33 + payload.len());
    msg.extend_from_slice(MAGIC.as_bytes());
    msg.extend_from_slice(fingerprint.as_bytes());
    msg.push(b'\n');
    msg.extend_from_slice(payload);
    msg
}

fn decode_32(b64: &str) -> Option<[u8; 32]> {
    STANDARD.decode(b64.trim()).ok()?.try_into().ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SecretKey {
        SecretKey(SigningKey::from_bytes(&[seed; 32]))
    }

    #[test]
    fn every_single_byte_change_fails() {
        let k = key(7);
        let signed = k.sign(br#"{"version":1}"#);
        assert_eq!(verify(&signed, &k.public()), Ok(&br#"{"version":1}"#[..]));
        let mut in_place = signed.clone();
        let start = verify_in_place(&mut in_place, &k.public());
        assert_eq!(start.map(|s| &in_place[s..]), Ok(&br#"{"version":1}"#[..]));
        for i in 0..signed.len() {
            for flip in [1u8, 0x20, 0x80] {
                let mut bad = signed.clone();
                bad[i] ^= flip;
                assert!(
                    verify(&bad, &k.public()).is_err(),
                    "byte {i} ^ {flip:#x} passed"
                );
                assert!(
                    verify_in_place(&mut bad, &k.public()).is_err(),
                    "byte {i} ^ {flip:#x} passed in place"
                );
            }
        }
        for cut in 0..signed.len() {
            assert!(
                verify(&signed[..cut], &k.public()).is_err(),
                "truncated at {cut} passed"
            );
            assert!(
                verify_in_place(&mut signed[..cut].to_vec(), &k.public()).is_err(),
                "truncated at {cut} passed in place"
            );
        }
        let mut longer = signed.clone();
        longer.push(b' ');
        assert!(verify(&longer, &k.public()).is_err());
    }

    #[test]
    fn wrong_key_and_unsigned_fail() {
        let signed = key(1).sign(b"{}");
        assert!(matches!(
            verify(&signed, &key(2).public()),
            Err(SignError::WrongKey { .. })
        ));
        assert!(matches!(
            verify_in_place(&mut signed.clone(), &key(2).public()),
            Err(SignError::WrongKey { .. })
        ));
        assert_eq!(verify(b"{}", &key(1).public()), Err(SignError::NotSigned));
        assert_eq!(
            verify_in_place(&mut b"{}".to_vec(), &key(1).public()),
            Err(SignError::NotSigned)
        );
    }

    #[test]
    fn key_files_round_trip() {
        let k = key(9);
        let again = SecretKey::parse(&k.to_file()).map(|s| s.public());
        assert_eq!(again.ok(), Some(k.public()));
        assert_eq!(PublicKey::parse(&k.public().to_file()), Ok(k.public()));
        assert!(PublicKey::parse("genuine-public-key/1 AAAA").is_err());
    }
}
