//! The few parts of a URL the profiles need.
//!
//! The `url` crate would bring IDNA tables into the wasm for no gain: pages
//! arrive with URLs the browser has already normalised, and we only read the
//! host, the path and query parameters.

/// A URL split into what profiles match on. Host is lower-case, without port.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Url {
    pub host: String,
    pub path: String,
    pub query: String,
}

impl Url {
    /// Splits an absolute http(s) URL; `None` for anything else.
    pub fn parse(text: &str) -> Option<Url> {
        let text = text.trim();
        let rest =
            strip_prefix_ci(text, "https://").or_else(|| strip_prefix_ci(text, "http://"))?;
        let rest = rest.split('#').next().unwrap_or("");
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..auth_end];
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let host = match host_port.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host_port,
        };
        if host.is_empty() {
            return None;
        }
        let tail = &rest[auth_end..];
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
        Some(Url {
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
            query: query.to_string(),
        })
    }

    /// The first value of a query parameter, percent-decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then(|| percent_decode(v))
        })
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Decodes `%XX` and `+`; invalid escapes stay as they are, invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let u = Url::parse("https://Detail.Tmall.com:8080/item.htm?id=1&shopId=77%20x#top")
            .expect("url");
        assert_eq!(u.host, "detail.tmall.com");
        assert_eq!(u.path, "/item.htm");
        assert_eq!(u.query("shopId").as_deref(), Some("77 x"));
        assert_eq!(u.query("nope"), None);
        assert_eq!(Url::parse("javascript:alert(1)"), None);
        assert_eq!(Url::parse("http://"), None);
        assert_eq!(percent_decode("%E4%B8%AD%"), "中%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
