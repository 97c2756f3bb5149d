//! Brand links: how a brand hands its registry to people who already run Genuine.
//!
//! A brand publishes `https://brand.example/add?registry=URL&key=FINGERPRINT&name=NAME`.
//! The extension reads such a link (from the brand's `/add` page or pasted
//! into the options page), shows the person who is asking to add which
//! registry with which key, and adds it only when they confirm. Nothing in the
//! link is trusted: the registry must later verify with a key whose
//! fingerprint is the one shown, and the name is only what the link claims.
//!
//! This module is the one parser of those links, shared by the extension
//! (through wasm) and `genuine link`, so both agree on what a link says.

use serde::Serialize;

/// Longest link accepted: far above any real one, a bound on pasted junk.
const MAX_LINK: usize = 4096;
/// Longest registry address accepted.
const MAX_URL: usize = 2048;
/// Longest name shown, in characters.
const MAX_NAME: usize = 80;
/// The paths a link page may have (`/add` on `genuine serve` is `www/add/`).
const ADD_PATHS: [&str; 3] = ["/add", "/add/", "/add.html"];

/// What a brand link asks for, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrandLink {
    /// The site the link is on (`https://brand.example`): who is asking.
    pub site: String,
    /// Where the registry is downloaded from (https, or http on this machine).
    pub registry: String,
    /// The signing key's fingerprint: 32 lower-case hex digits.
    pub fingerprint: String,
    /// The name the link gives itself (not verified: shown as a claim).
    pub name: String,
}

/// Why a text is not a usable brand link. Each message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrandLinkError {
    /// Not an `http(s)://host/…` address at all.
    #[error("not a web address (a brand link starts with https://)")]
    NotALink,
    /// An address, but not of a brand's `/add` page.
    #[error(
        "not a brand link: the address must be a site's /add page (…/add?registry=…&key=…&name=…)"
    )]
    NotAnAddPage,
    /// A parameter the link must carry is missing or empty.
    #[error("the brand link has no {0}= part")]
    Missing(&'static str),
    /// A parameter appears twice: which one counts would be a guess.
    #[error("the brand link gives {0}= twice")]
    Repeated(&'static str),
    /// Broken %-escapes or text that is not UTF-8.
    #[error("the {0}= part of the brand link is not properly encoded")]
    Encoding(&'static str),
    /// The registry address is unusable; the text says why.
    #[error("the registry address is not usable: {0}")]
    Registry(&'static str),
    /// The key is not a fingerprint as the options page shows them.
    #[error("the key= part must be a key fingerprint: 32 hex digits (colons or spaces between them are fine)")]
    Fingerprint,
    /// The name is empty, too long, or holds invisible or direction-changing characters.
    #[error("the name= part must be 1 to {MAX_NAME} visible characters")]
    Name,
    /// Longer than any real link.
    #[error("the brand link is longer than {MAX_LINK} characters")]
    TooLong,
}

impl BrandLink {
    /// Reads a brand link, strictly: every part validated, nothing guessed.
    pub fn parse(link: &str) -> Result<BrandLink, BrandLinkError> {
        let link = link.trim();
        if link.len() > MAX_LINK {
            return Err(BrandLinkError::TooLong);
        }
        let (site, rest) = split_origin(link).ok_or(BrandLinkError::NotALink)?;
        let rest = rest.split('#').next().unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = if path.is_empty() { "/" } else { path };
        if !ADD_PATHS.contains(&path) {
            return Err(BrandLinkError::NotAnAddPage);
        }
        let mut params = Params::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            params.set(k, v)?;
        }
        let registry = params.registry.ok_or(BrandLinkError::Missing("registry"))?;
        let key = params.key.ok_or(BrandLinkError::Missing("key"))?;
        let name = params.name.ok_or(BrandLinkError::Missing("name"))?;
        Ok(BrandLink {
            site: site.to_string(),
            registry: check_fetch_url(&registry)
                .map(|()| registry)
                .map_err(BrandLinkError::Registry)?,
            fingerprint: fingerprint(&key).ok_or(BrandLinkError::Fingerprint)?,
            name: display_name(&name).ok_or(BrandLinkError::Name)?,
        })
    }

    /// The link for this offer on `site` (`https://brand.example`), as `parse` reads it.
    pub fn to_url(&self) -> String {
        format!(
            "{}/add?registry={}&key={}&name={}",
            self.site.trim_end_matches('/'),
            encode(&self.registry),
            self.fingerprint,
            encode(&self.name)
        )
    }
}

/// The three parameters a link carries, each at most once.
#[derive(Default)]
struct Params {
    registry: Option<String>,
    key: Option<String>,
    name: Option<String>,
}

impl Params {
    fn set(&mut self, key: &str, value: &str) -> Result<(), BrandLinkError> {
        let (slot, label) = match key {
            "registry" => (&mut self.registry, "registry"),
            "key" => (&mut self.key, "key"),
            "name" => (&mut self.name, "name"),
            // utm_source and friends: links get decorated on their way to people.
            _ => return Ok(()),
        };
        if slot.is_some() {
            return Err(BrandLinkError::Repeated(label));
        }
        let v = decode(value).ok_or(BrandLinkError::Encoding(label))?;
        if v.trim().is_empty() {
            return Err(BrandLinkError::Missing(label));
        }
        *slot = Some(v);
        Ok(())
    }
}

/// `scheme://authority` and the rest (empty, or starting with `/`, `?` or
/// `#`), for http(s) addresses with a plain host (no user info) whose rest is
/// printable ASCII: what a browser shows in its address bar, nothing hidden.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let after = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    host_of(&after[..end])?;
    let split = url.len() - after.len() + end;
    let rest = &url[split..];
    rest.bytes()
        .all(|b| b.is_ascii_graphic())
        .then(|| (&url[..split], rest))
}

/// The host of `host[:port]` or `[v6]:port`, when both parts are well formed.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (h, rest) = authority.split_at(close + 1);
        (
            h,
            (!rest.is_empty())
                .then(|| rest.strip_prefix(':'))
                .map(|p| p.unwrap_or("x")),
        )
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !v6.is_empty()
            && v6
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    } else {
        !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !host.starts_with(['.', '-'])
    };
    ok.then_some(host)
}

/// Checks an address the extension will fetch from (a registry, a report
/// endpoint): https anywhere, plain http only on this machine (the demo);
/// a plain host, a path, no #fragment. The error says what is wrong.
pub fn check_fetch_url(url: &str) -> Result<(), &'static str> {
    if url.len() > MAX_URL {
        return Err("longer than 2048 characters");
    }
    let (origin, rest) =
        split_origin(url).ok_or("not an http(s):// address with a plain host name")?;
    if !rest.starts_with('/') || rest.contains('#') {
        return Err("no path after the host, or a #fragment");
    }
    if let Some(plain) = origin.strip_prefix("http://") {
        if !host_of(plain).is_some_and(is_loopback) {
            return Err("must be https (plain http only on this machine: 127.0.0.1, localhost)");
        }
    }
    Ok(())
}

/// True for the names of this machine: where plain http is still private.
pub fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "[::1]") || host.starts_with("127.")
}

/// A key fingerprint in the options page's form: 32 hex digits, optionally
/// grouped with `:` or spaces; returned lower-case without separators.
pub fn fingerprint(text: &str) -> Option<String> {
    let text = text.trim();
    if !text
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b' ')
    {
        return None;
    }
    let hex: String = text
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 32).then_some(hex)
}

/// The name as shown: trimmed, visible characters only. Direction overrides
/// and invisible format characters could make "Aurora" read as another name.
fn display_name(name: &str) -> Option<String> {
    let name = name.trim();
    let n = name.chars().count();
    let visible = name.chars().all(|c| {
        !c.is_control()
            && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
    });
    (n > 0 && n <= MAX_NAME && visible).then(|| name.to_string())
}

/// `application/x-www-form-urlencoded` value decoding (`+` is a space).
fn decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = (bytes.next()? as char).to_digit(16)?;
                let lo = (bytes.next()? as char).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
            }
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes all but the unreserved characters (RFC 3986).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let link = BrandLink {
            site: "https://aurora.example".into(),
            registry: "https://aurora.example/registry/aurora.signed?v=1&x=2".into(),
            fingerprint: "0123456789abcdef0123456789abcdef".into(),
            name: "奥罗拉健康 Aurora & Co".into(),
        };
        assert_eq!(BrandLink::parse(&link.to_url()), Ok(link));
    }

    /// Hostile text never panics: every cut of a real link, and every
    /// character of it replaced by each of the characters the parser splits on.
    #[test]
    fn mangled_links_are_errors_not_panics() {
        let good = "https://a.example:8443/add/?registry=https%3A%2F%2F[::1]%3A1%2Fr.signed&key=ab:cd&name=%E5%A5%A5+x#f";
        let chars: Vec<(usize, char)> = good.char_indices().collect();
        for &(i, _) in &chars {
            let _ = BrandLink::parse(&good[..i]);
            for c in [
                '%', '&', '=', '?', '#', '/', ':', '[', ']', '@', '+', 'é', '\0', ' ',
            ] {
                let mut s = good.to_string();
                s.replace_range(
                    i..i + good[i..].chars().next().map_or(0, char::len_utf8),
                    &c.to_string(),
                );
                let _ = BrandLink::parse(&s);
            }
        }
        assert!(BrandLink::parse(&"a".repeat(MAX_LINK + 1)).is_err());
    }
}
