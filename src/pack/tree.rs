//! One browser's package as a list of files: the source tree as it is, plus
//! what the build decides — the manifest for this browser, `config.json`
//! (pinned registries, report endpoint), the look, the icons, and for a brand
//! its name in every message file. Browser differences live here and nowhere
//! else (as Ruffle and Refined GitHub keep them in their manifest step).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{icon, io, Browser, Build, PackError, Source};

/// Icon sizes the manifest names (`icons/<size>.png`).
const ICON_SIZES: [u32; 4] = [16, 32, 48, 128];
/// Placeholders in the source manifest's content script `matches`.
const MARKETPLACES: &str = "@MARKETPLACES@";
const BRAND_LINK_HOSTS: &str = "@BRAND_LINK_HOSTS@";
/// The product's name as it stands in the message files; a brand build puts its own there.
const PRODUCT_NAME: &str = "Genuine";

/// Content script host lists, made once per build.
pub(super) struct Matches {
    marketplaces: Vec<String>,
    brand_links: Vec<String>,
}

impl Matches {
    /// The marketplace hosts come from the site profiles, so a profile added in
    /// data/profiles.json is a host the extension reads; brand links are
    /// recognised on the `/add` page of each pinned registry's host only
    /// (docs/brands.md says why not everywhere).
    pub fn new(profiles: &Path, sources: &[Source]) -> Result<Matches, PackError> {
        let text = std::fs::read_to_string(profiles).map_err(io(profiles))?;
        let bad = |why: &str| PackError::Source {
            path: profiles.to_path_buf(),
            why: why.into(),
        };
        let list: Vec<Value> = serde_json::from_str(&text).map_err(|e| bad(&e.to_string()))?;
        let mut m = Vec::new();
        for p in &list {
            for h in p["hosts"].as_array().into_iter().flatten() {
                let h = h.as_str().ok_or_else(|| bad("a host is not a string"))?;
                if h.contains('/') || h == "*" {
                    continue; // path-scoped or generic: not a host to list
                }
                m.push(format!("*://{h}/*"));
                m.push(format!("*://*.{h}/*"));
            }
        }
        // The demo shop pages, as `make demo` serves them.
        m.push("http://127.0.0.1/demo/*".into());
        m.push("http://localhost/demo/*".into());
        m.sort();
        m.dedup();
        let mut links: Vec<String> = sources
            .iter()
            .filter_map(|s| url_host(&s.url))
            .map(|h| format!("*://{h}/add*"))
            .collect();
        links.sort();
        links.dedup();
        Ok(Matches {
            marketplaces: m,
            brand_links: links,
        })
    }
}

/// The host name of an http(s) URL (no port), if it is one a match pattern can name.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.split(':').next()?;
    (!host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
    .then_some(host)
}

/// Files the source tree has that no package carries: the build writes its
/// own manifest, registries, keys and icons; wasm-bindgen's extras are for bundlers.
fn skipped(rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or_default();
    rel == "manifest.json"
        || matches!(top, "registry" | "keys" | "icons")
        || rel.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
        || rel == "pkg/package.json"
        || rel.ends_with(".d.ts")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PackError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn rel_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every file of one browser's package, by its name inside the package.
pub(super) fn files(
    source: &Path,
    build: &Build,
    browser: Browser,
    matches: &Matches,
) -> Result<Vec<(String, Vec<u8>)>, PackError> {
    let mut paths = Vec::new();
    walk(source, &mut paths)?;
    let mut files = Vec::new();
    for path in paths {
        let name = rel_name(source, &path);
        if skipped(&name) || (browser == Browser::Firefox && name == "managed_schema.json") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let bytes = match (
            &build.name,
            name.starts_with("_locales/") && name.ends_with("/messages.json"),
        ) {
            (Some((full, _)), true) => rename_messages(&path, &bytes, full)?,
            _ => bytes,
        };
        files.push((name, bytes));
    }
    let manifest_path = source.join("manifest.json");
    let manifest = std::fs::read(&manifest_path).map_err(io(&manifest_path))?;
    files.push((
        "manifest.json".into(),
        pretty(&self::manifest(
            &manifest_path,
            &manifest,
            build,
            browser,
            matches,
        )?),
    ));
    files.push(("config.json".into(), pretty(&config(build))));
    files.extend(look(build));
    for size in ICON_SIZES {
        let png = build
            .icon
            .clone()
            .unwrap_or_else(|| icon::draw_icon(size, build.accent));
        files.push((format!("icons/{size}.png"), png));
    }
    for s in &build.sources {
        files.push((format!("keys/{}.pub", s.id), s.key.to_file().into_bytes()));
        if let Some(b) = &s.bundled {
            files.push((format!("registry/{}.signed", s.id), b.clone()));
        }
    }
    Ok(files)
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

fn manifest(
    path: &Path,
    bytes: &[u8],
    build: &Build,
    browser: Browser,
    matches: &Matches,
) -> Result<Value, PackError> {
    let bad = |why: &str| PackError::Source {
        path: path.to_path_buf(),
        why: why.into(),
    };
    let mut m: Value = serde_json::from_slice(bytes).map_err(|e| bad(&e.to_string()))?;
    let obj = m.as_object_mut().ok_or_else(|| bad("not a JSON object"))?;
    for cs in obj
        .get_mut("content_scripts")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let list = match cs["matches"].get(0).and_then(Value::as_str) {
            Some(MARKETPLACES) => &matches.marketplaces,
            Some(BRAND_LINK_HOSTS) => &matches.brand_links,
            _ => continue,
        };
        cs["matches"] = json!(list);
    }
    let background = obj.get("background").cloned().unwrap_or_default();
    match browser {
        Browser::Chrome => {
            obj.insert(
                "background".into(),
                json!({"service_worker": background["service_worker"], "type": "module"}),
            );
            obj.remove("browser_specific_settings");
        }
        Browser::Firefox => {
            obj.insert(
                "background".into(),
                json!({"scripts": background["scripts"], "type": "module"}),
            );
            // Firefox reads managed storage from enterprise policies, not a schema.
            obj.remove("storage");
            if let Some(id) = &build.firefox_id {
                let gecko = obj
                    .get_mut("browser_specific_settings")
                    .and_then(|b| b.get_mut("gecko"))
                    .ok_or_else(|| bad("no browser_specific_settings.gecko"))?;
                gecko["id"] = json!(id);
            }
        }
    }
    if let Some((_, short)) = &build.name {
        obj.insert("short_name".into(), json!(short));
    }
    if let Some(lang) = &build.default_language {
        obj.insert("default_locale".into(), json!(lang));
    }
    Ok(m)
}

/// The brand's name wherever the messages say Genuine, and as the extension's
/// name: "Genuine: an official store" becomes "Aurora Check: an official store"
/// in every language, with no translation to redo.
fn rename_messages(path: &Path, bytes: &[u8], name: &str) -> Result<Vec<u8>, PackError> {
    let mut msgs: Value = serde_json::from_slice(bytes).map_err(|e| PackError::Source {
        path: path.to_path_buf(),
        why: e.to_string(),
    })?;
    for (key, entry) in msgs.as_object_mut().into_iter().flatten() {
        if let Some(text) = entry.get("message").and_then(Value::as_str) {
            let text = if key == "extName" {
                name.to_string()
            } else {
                text.replace(PRODUCT_NAME, name)
            };
            entry["message"] = json!(text);
        }
    }
    Ok(pretty(&msgs))
}

/// config.json: what the background reads at start (registry.js, the report queue).
fn config(build: &Build) -> Value {
    let sources: Vec<Value> = build
        .sources
        .iter()
        .map(|s| {
            let mut v = json!({"id": s.id, "name": s.name, "url": s.url, "key_file": format!("keys/{}.pub", s.id)});
            if s.bundled.is_some() {
                v["bundled"] = json!(format!("registry/{}.signed", s.id));
            }
            if s.shared {
                v["shared"] = json!(true);
            }
            v
        })
        .collect();
    let mut config = json!({"sources": sources, "inbox": build.inbox});
    if build.demo {
        // Shown in the popup and options: this build trusts keys anyone has.
        config["demo"] = json!(true);
    }
    config
}

/// The build's colour for extension pages (look.css) and the in-page banner
/// (look.js, a content script: the banner's closed shadow root takes no page CSS).
fn look(build: &Build) -> [(String, Vec<u8>); 2] {
    let (accent, on) = (build.accent.hex(), build.accent.text_on().hex());
    let css = format!(
        "/* Written by `genuine pack`: this build's colour (docs/brands.md). */\n\
         :root {{ --accent: {accent}; --on-accent: {on}; }}\n"
    );
    let js = format!(
        "// Written by `genuine pack`: this build's colour (docs/brands.md).\n\
         globalThis.Genuine = Object.assign(globalThis.Genuine ?? {{}}, {{\n  \
         look: Object.freeze({{ accent: '{accent}', onAccent: '{on}' }}),\n}});\n"
    );
    [
        ("look.css".into(), css.into_bytes()),
        ("look.js".into(), js.into_bytes()),
    ]
}
