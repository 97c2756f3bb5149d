//! UTC timestamps in the one form the registry uses: `YYYY-MM-DDTHH:MM:SSZ`,
//! and the wider RFC 3339 a browser's `toISOString()` sends in a report.
//!
//! A full date-time crate would be the usual choice, but the registry needs
//! exactly one format, and every kilobyte counts in the wasm the browser loads.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Seconds since the Unix epoch, read from and written as RFC 3339 UTC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A timestamp that is not of the form `YYYY-MM-DDTHH:MM:SSZ`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a UTC time of the form 2026-01-31T12:00:00Z")]
pub struct TimeError(pub String);

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SSZ` strictly.
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let err = || TimeError(text.chars().take(40).collect());
        let b = text.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i64, TimeError> {
            let s = text.get(r).ok_or_else(err)?;
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            s.parse::<i64>().map_err(|_| err())
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || s > 59
        {
            return Err(err());
        }
        Ok(Timestamp(
            days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s,
        ))
    }

    /// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or
    /// `±HH:MM`. Browsers send `toISOString()`, which has milliseconds, so the
    /// registry's strict [`Timestamp::parse`] is not enough for reports.
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let head = s.get(..19)?;
        let mut rest = s.get(19..)?;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            rest = frac.get(digits..)?;
        }
        let base = Timestamp::parse(&format!("{}Z", head.replacen('t', "T", 1))).ok()?;
        let offset = match rest {
            "Z" | "z" => 0,
            _ => {
                let b = rest.as_bytes();
                if b.len() != 6 || b[3] != b':' || !matches!(b[0], b'+' | b'-') {
                    return None;
                }
                let h: i64 = rest.get(1..3)?.parse().ok()?;
                let m: i64 = rest.get(4..6)?.parse().ok()?;
                if h > 23 || m > 59 {
                    return None;
                }
                let off = h * 3600 + m * 60;
                if b[0] == b'-' {
                    -off
                } else {
                    off
                }
            }
        };
        Some(Timestamp(base.0 - offset))
    }

    /// The current time, from the system clock (natively) or `Date.now()` (wasm).
    pub fn now() -> Self {
        #[cfg(target_arch = "wasm32")]
        {
            Timestamp((js_sys::Date::now() / 1000.0) as i64)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            Timestamp(secs)
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let rem = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-date algorithms: exact for every Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2026-02-28T23:59:59Z",
            "2024-02-29T12:00:00Z",
            "2100-12-31T00:00:01Z",
        ] {
            assert_eq!(Timestamp::parse(s).map(|t| t.to_string()).as_deref(), Ok(s));
        }
        assert_eq!(
            Timestamp::parse("1970-01-02T00:00:00Z"),
            Ok(Timestamp(86_400))
        );
    }

    #[test]
    fn rfc3339_forms() {
        let z = Timestamp::parse_rfc3339("2026-01-31T12:00:00Z").map(|t| t.0);
        assert_eq!(
            Timestamp::parse_rfc3339("2026-01-31T12:00:00.123Z").map(|t| t.0),
            z
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2026-01-31T20:00:00+08:00").map(|t| t.0),
            z
        );
        assert_eq!(Timestamp::parse_rfc3339("2026-01-31T12:00:00"), None);
        assert_eq!(Timestamp::parse_rfc3339("2026-01-31T12:00:00.Z"), None);
        assert_eq!(Timestamp::parse_rfc3339("2026-01-31T12:00:00+8:00"), None);
    }

    #[test]
    fn rejects_near_misses() {
        for s in [
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00+00:00",
            "+026-01-01T00:00:00Z",
            "",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
    }
}
