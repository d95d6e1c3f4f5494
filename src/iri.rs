//! Identifiers: normalized keys for names and IRIs built from them.
//!
//! A name from a text is untrusted. `key` folds it to a stable identity
//! (case, punctuation and apostrophes do not matter), and `encode_segment`
//! percent-encodes whatever an IRI path segment may not hold, so that any
//! name gives a valid IRI.

/// Folds a name to the key that identifies its entity: lowercase, apostrophes
/// dropped, every other run of non-alphanumeric characters made one `-`, a
/// leading "the" dropped. "Kata'ib Hezbollah" and "Kataib  hezbollah" share
/// a key.
pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_dash = false;
    for c in name.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if let Some(rest) = out.strip_prefix("the-") {
        if !rest.is_empty() {
            return rest.to_string();
        }
    }
    out
}

pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{02BC}')
}

/// Percent-encodes a string for use as one IRI path segment: unreserved ASCII
/// and non-ASCII letters and digits stay, everything else (including `/`,
/// `#`, `%`, spaces and controls) becomes `%XX` of its UTF-8 bytes.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let keep = c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~')
            || (!c.is_ascii() && c.is_alphanumeric());
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push('%');
                out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
                out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
            }
        }
    }
    out
}

/// Percent-encodes a relative path segment by segment, keeping the `/`.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// A stable 64-bit FNV-1a hash, for IRIs that must not change between runs
/// or platforms.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separate the parts so that ("ab", "c") and ("a", "bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_punctuation_and_the() {
        let cases = [
            ("Kata'ib Hezbollah", "kataib-hezbollah"),
            ("Kataib  hezbollah", "kataib-hezbollah"),
            ("Kata’ib Hezbollah", "kataib-hezbollah"),
            ("The Washington Institute", "washington-institute"),
            ("the", "the"),
            ("U.S.", "u-s"),
            ("Charles Thépaut", "charles-thépaut"),
            ("  --  ", ""),
        ];
        for (name, want) in cases {
            assert_eq!(key(name), want, "key({name:?})");
        }
    }

    #[test]
    fn segments_are_valid_iri_parts() {
        let cases = [
            ("pmf", "pmf"),
            ("a b", "a%20b"),
            ("x/y#z?%", "x%2Fy%23z%3F%25"),
            ("<&\"'>", "%3C%26%22%27%3E"),
            ("é", "é"),
            ("\n\u{1}", "%0A%01"),
        ];
        for (raw, want) in cases {
            assert_eq!(encode_segment(raw), want, "encode_segment({raw:?})");
        }
        assert_eq!(encode_path("dir one/b.txt"), "dir%20one/b.txt");
    }

    #[test]
    fn hash_separates_parts() {
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        assert_eq!(fnv1a(&[b"x"]), fnv1a(&[b"x"]));
    }
}

/// A fast, deterministic hasher for short keys (words, ids) in hot maps;
/// not for keys an attacker picks to collide, which ours are not.
#[derive(Clone, Copy, Debug)]
pub struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashSet` with [`FnvHasher`]: short keys (words) hash faster than
/// with SipHash.
pub type FastSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<FnvHasher>>;

/// A `HashMap` with [`FnvHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FnvHasher>>;
