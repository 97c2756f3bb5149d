//! Registry updates as patches: what changed since the copy a client holds,
//! instead of the whole file again (uBlock Origin's differential list
//! updates are the model).
//!
//! A patch is made by the publisher from two signed compiled files
//! (`genuine registry patch`) and holds, besides the changed rows, the
//! target file's own signature header. A client applies it to the copy it
//! holds, compiles the result and puts that header in front: if any byte
//! differs from what the publisher signed, the signature fails and the
//! client downloads the whole file, as it would without patches. So a patch
//! never has to be trusted for what it produces; it is signed as well, so
//! that a hostile host cannot make clients parse and apply garbage.
//!
//! Rows: the registry's metadata (everything but brands and blocklist, as
//! one JSON line), then one JSON line per brand (with its accounts and
//! products) and per blocklist entry. A patch is a walk over the base's
//! rows: keep n, drop n, add these, or edit the next one. A day's changes to
//! 1 % of the accounts touch a few percent of the brand rows, and a few
//! bytes of each: an edit carries those bytes, not the row. (Whole rows were
//! enough while the compiled file gzipped worse than its JSON rows; once it
//! gzipped better, whole brand rows for 1 % of accounts were 6 % of it.)

use serde::{Deserialize, Serialize};

use super::{
    checksum, compile, sign, BlockedStore, Brand, Compiled, PublicKey, Registry, RegistryError,
};

/// A patch larger than this is refused before it is parsed.
pub const MAX_PATCH_BYTES: usize = 64 * 1024 * 1024;
const KIND: &str = "genuine-registry-patch/2";

/// One step of the walk over the base's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Keep(usize),
    Drop(usize),
    Add(Vec<String>),
    /// The next row of the base, its text (as [`rows`] gives it) with all
    /// but its first `.0` and last `.1` bytes replaced by `.2`.
    Edit(usize, usize, String),
}

/// A patch from one signed file to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patch {
    kind: String,
    /// The version and [`checksum`] of the whole base file: a patch applies
    /// to exactly that copy.
    pub from_version: u64,
    pub from_checksum: String,
    pub to_version: u64,
    /// The target file's signature header (the bytes before its payload).
    pub header: String,
    pub ops: Vec<Op>,
}

/// Why a patch cannot be made or applied. A client falls back to the whole
/// file on any of them.
#[derive(Debug, thiserror::Error)]
pub enum PatchError {
    #[error("the patch is {0} bytes, more than the {MAX_PATCH_BYTES} allowed")]
    TooLarge(usize),
    #[error("the patch's signature: {0}")]
    Signature(#[from] super::SignError),
    #[error("not a registry patch: {0}")]
    Format(String),
    #[error("the patch is for version {version} ({checksum}), not the copy held")]
    OtherBase { version: u64, checksum: String },
    #[error("the patch's steps do not fit the copy held: {0}")]
    Steps(&'static str),
    #[error("only compiled registries are patched")]
    NotCompiled,
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("applying the patch does not give the target file (different compile rules?)")]
    Mismatch,
}

/// The rows of a registry as JSON lines, in order: what patches are made of.
pub fn rows(reg: &Registry) -> Vec<String> {
    split(reg.clone()).iter().map(row_text).collect()
}

fn row_text(row: &Row) -> String {
    match row {
        Row::Meta(m) => json(m),
        Row::Brand(b) => format!("B{}", json(b)),
        Row::Blocked(x) => format!("X{}", json(x)),
    }
}

/// The edit from one row's text to another's: the bytes both start and end
/// with (on character boundaries, not overlapping), and what lies between
/// in the new one.
#[cfg(not(target_arch = "wasm32"))]
fn edit(old: &str, new: &str) -> Op {
    let start: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let room = old.len().min(new.len()) - start;
    let mut end = 0;
    for (a, b) in old.chars().rev().zip(new.chars().rev()) {
        if a != b || end + a.len_utf8() > room {
            break;
        }
        end += a.len_utf8();
    }
    Op::Edit(start, end, new[start..new.len() - end].to_string())
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// One row, as a client holds it: applying a patch moves the rows it keeps
/// and parses only the ones it adds (no JSON written in the browser).
enum Row {
    Meta(Box<Registry>),
    Brand(Brand),
    Blocked(BlockedStore),
}

fn split(mut reg: Registry) -> Vec<Row> {
    let brands = std::mem::take(&mut reg.brands);
    let blocklist = std::mem::take(&mut reg.blocklist);
    reg.compiled_with = None;
    let mut out = Vec::with_capacity(1 + brands.len() + blocklist.len());
    out.push(Row::Meta(Box::new(reg)));
    out.extend(brands.into_iter().map(Row::Brand));
    out.extend(blocklist.into_iter().map(Row::Blocked));
    out
}

fn parse_row(row: &str, first: bool) -> Result<Row, PatchError> {
    let bad = |e: serde_json::Error| PatchError::Format(e.to_string());
    if first {
        return Ok(Row::Meta(Box::new(
            serde_json::from_slice(row.as_bytes()).map_err(bad)?,
        )));
    }
    match row.split_at_checked(1) {
        Some(("B", j)) => Ok(Row::Brand(
            serde_json::from_slice(j.as_bytes()).map_err(bad)?,
        )),
        Some(("X", j)) => Ok(Row::Blocked(
            serde_json::from_slice(j.as_bytes()).map_err(bad)?,
        )),
        _ => Err(PatchError::Steps("a row of no known kind")),
    }
}

fn join_rows(rows: Vec<Row>) -> Result<Registry, PatchError> {
    let mut rows = rows.into_iter();
    let Some(Row::Meta(reg)) = rows.next() else {
        return Err(PatchError::Steps("the metadata row is not first"));
    };
    let mut reg = *reg;
    for row in rows {
        match row {
            Row::Brand(b) => reg.brands.push(b),
            Row::Blocked(x) => reg.blocklist.push(x),
            Row::Meta(_) => return Err(PatchError::Steps("a second metadata row")),
        }
    }
    Ok(reg)
}

/// The base's registry, from a compiled file framed by `key`, and where its
/// payload starts.
fn compiled_registry(file: &[u8], key: &PublicKey) -> Result<(Registry, usize), PatchError> {
    let start = sign::header_for(file, key)?;
    let payload = file.get(start..).unwrap_or_default();
    if !super::is_compiled(payload) {
        return Err(PatchError::NotCompiled);
    }
    let c = Compiled::open(payload.to_vec(), 0).map_err(RegistryError::from)?;
    Ok((c.to_registry(), start))
}

/// Applies a signed patch to `base` (a whole signed compiled file the
/// client verified earlier): the target file, to be verified like any
/// download. The base's signature is not checked again (its checksum is);
/// the patch's is.
pub fn apply(patch_file: &[u8], key: &PublicKey, base: &[u8]) -> Result<Vec<u8>, PatchError> {
    if patch_file.len() > MAX_PATCH_BYTES {
        return Err(PatchError::TooLarge(patch_file.len()));
    }
    let payload = sign::verify(patch_file, key)?;
    let patch: Patch =
        serde_json::from_slice(payload).map_err(|e| PatchError::Format(e.to_string()))?;
    if patch.kind != KIND {
        return Err(PatchError::Format(format!("kind {:?}", patch.kind)));
    }
    if patch.from_checksum != checksum(base) {
        return Err(PatchError::OtherBase {
            version: patch.from_version,
            checksum: patch.from_checksum,
        });
    }
    let (reg, _) = compiled_registry(base, key)?;
    let reg = join_rows(walk(split(reg), &patch.ops)?)?;
    let mut out = patch.header.into_bytes();
    out.extend_from_slice(&compile(&reg));
    Ok(out)
}

/// The rows the steps make of `base`; every base row is kept or dropped
/// exactly once.
fn walk(base: Vec<Row>, ops: &[Op]) -> Result<Vec<Row>, PatchError> {
    let total = base.len();
    let mut out = Vec::with_capacity(total);
    let mut rows = base.into_iter();
    let mut at = 0usize;
    for op in ops {
        match op {
            Op::Keep(n) | Op::Drop(n) => {
                at = at
                    .checked_add(*n)
                    .filter(|&e| e <= total)
                    .ok_or(PatchError::Steps("past the end of the copy held"))?;
                let taken = rows.by_ref().take(*n);
                if matches!(op, Op::Keep(_)) {
                    out.extend(taken);
                } else {
                    taken.for_each(drop);
                }
            }
            Op::Add(added) => {
                for row in added {
                    out.push(parse_row(row, out.is_empty())?);
                }
            }
            Op::Edit(start, end, text) => {
                at = at
                    .checked_add(1)
                    .filter(|&e| e <= total)
                    .ok_or(PatchError::Steps("past the end of the copy held"))?;
                let old = rows.next().map(|r| row_text(&r)).unwrap_or_default();
                let cut = old.len().checked_sub(*end);
                let (Some(head), Some(tail)) = (
                    old.get(..*start),
                    cut.filter(|&c| c >= *start).and_then(|c| old.get(c..)),
                ) else {
                    return Err(PatchError::Steps("an edit that does not fit its row"));
                };
                let new = [head, text, tail].concat();
                out.push(parse_row(&new, out.is_empty())?);
            }
        }
    }
    if at != total {
        return Err(PatchError::Steps(
            "rows of the copy held left unaccounted for",
        ));
    }
    Ok(out)
}

/// Makes the signed patch from `base` to `target` (both signed compiled
/// files, verified against `secret`'s public key), and checks that
/// applying it gives `target` byte for byte.
#[cfg(not(target_arch = "wasm32"))]
pub fn make(base: &[u8], target: &[u8], secret: &super::SecretKey) -> Result<Vec<u8>, PatchError> {
    let key = secret.public();
    sign::verify(base, &key)?;
    sign::verify(target, &key)?;
    let (old, _) = compiled_registry(base, &key)?;
    let (new, start) = compiled_registry(target, &key)?;
    let (old, new) = (rows(&old), rows(&new));
    let header = String::from_utf8(target[..start].to_vec())
        .map_err(|_| PatchError::Format("a header that is not text".into()))?;
    let old_refs: Vec<&str> = old.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new.iter().map(String::as_str).collect();
    let mut ops: Vec<Op> = Vec::new();
    let push = |ops: &mut Vec<Op>, op: Op| match (ops.last_mut(), op) {
        (Some(Op::Keep(a)), Op::Keep(b)) | (Some(Op::Drop(a)), Op::Drop(b)) => *a += b,
        (Some(Op::Add(a)), Op::Add(b)) => a.extend(b),
        (_, op) => ops.push(op),
    };
    for change in similar::capture_diff_slices(similar::Algorithm::Myers, &old_refs, &new_refs) {
        match change {
            similar::DiffOp::Equal { len, .. } => push(&mut ops, Op::Keep(len)),
            similar::DiffOp::Delete { old_len, .. } => push(&mut ops, Op::Drop(old_len)),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => push(
                &mut ops,
                Op::Add(new[new_index..new_index + new_len].to_vec()),
            ),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Rows changed in place (a brand's store renamed) are edited.
                let paired = old_len.min(new_len);
                for k in 0..paired {
                    ops.push(edit(&old[old_index + k], &new[new_index + k]));
                }
                if old_len > paired {
                    push(&mut ops, Op::Drop(old_len - paired));
                }
                if new_len > paired {
                    push(
                        &mut ops,
                        Op::Add(new[new_index + paired..new_index + new_len].to_vec()),
                    );
                }
            }
        }
    }
    let meta = |file: &[u8]| -> Result<u64, PatchError> {
        Ok(super::load(file, super::Trust::Key(&key))?.version)
    };
    let patch = Patch {
        kind: KIND.to_string(),
        from_version: meta(base)?,
        from_checksum: checksum(base),
        to_version: meta(target)?,
        header,
        ops,
    };
    let signed =
        secret.sign(&serde_json::to_vec(&patch).map_err(|e| PatchError::Format(e.to_string()))?);
    if apply(&signed, &key, base)? != target {
        return Err(PatchError::Mismatch);
    }
    Ok(signed)
}

/// Where the patch from `version` to the current file is published: beside
/// the file, `<file>.from-<version>.patch` (query and fragment left out).
pub fn url_for(file_url: &str, version: u64) -> String {
    let base = file_url.split(['?', '#']).next().unwrap_or_default();
    format!("{base}.from-{version}.patch")
}
