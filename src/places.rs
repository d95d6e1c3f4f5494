//! The list of the world's places (`places.tsv` in the ontology folder,
//! written by `ontology/places.py` from GeoNames and ISO 3166): a
//! capitalised name the gazetteer does not know is a place, or a state,
//! when the list has it. Names are compared by a key that forgives the
//! spellings of transliterated names: case, hyphens, apostrophes, an
//! Arabic article ("al-Hilla", "Al Hillah", "Hilla") and a final "h"
//! ("Raqqah", "Raqqa").

use std::path::Path;

use crate::error::{Error, Result};
use crate::iri::FastMap;
use crate::ontology::{Class, ClassId};

/// The file name of the list in the ontology folder.
pub const FILE: &str = "places.tsv";

/// A listed place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub class: ClassId,
    /// ISO 3166-1 alpha-2 code of its country.
    pub country: String,
    /// The GeoNames id (a number), or the ISO 3166-2 code of a
    /// subdivision.
    pub id: String,
}

/// The names of the list by their keys.
#[derive(Debug, Default)]
pub struct PlaceNames {
    by_key: FastMap<String, Place>,
    /// The longest name in words: runs of more words are not looked up.
    most_words: usize,
}

/// The Arabic article in its assimilated spellings ("ar-Raqqa",
/// "as-Sulaymaniyah", "ad-Dawr").
const ARTICLES: [&str; 11] = [
    "al", "el", "ar", "as", "ash", "ad", "adh", "at", "ath", "az", "an",
];

/// Writes the comparison key of a name into `out`: lowercase words split
/// at spaces and hyphens, apostrophes dropped, a leading article dropped
/// when a word follows, and a final "ah"/"eh" of the last word made "a"/"e".
pub fn key(name: &str, out: &mut String) {
    out.clear();
    let mut words = 0;
    for word in name.split(|c: char| c.is_whitespace() || c == '-') {
        let start = out.len();
        if words > 0 {
            out.push(' ');
        }
        let letters = out.len();
        for c in word.chars() {
            if matches!(
                c,
                '\'' | '\u{2018}' | '\u{2019}' | '`' | '\u{02bc}' | '\u{02bf}'
            ) {
                continue;
            }
            out.extend(c.to_lowercase());
        }
        if out.len() == letters {
            out.truncate(start);
            continue;
        }
        words += 1;
    }
    // A leading article: the first word, when more follow.
    if let Some(space) = out.find(' ') {
        if ARTICLES.contains(&&out[..space]) {
            out.drain(..=space);
        }
    }
    let last = out.rfind(' ').map_or(0, |i| i + 1);
    if out.len() - last > 4 && (out.ends_with("ah") || out.ends_with("eh")) {
        out.pop();
    }
}

impl PlaceNames {
    /// Reads the list: one place a line, `name<TAB>class<TAB>country<TAB>
    /// id<TAB>population`, `#` lines are comments; the class is the local
    /// name of one of the ontology's classes. Two names with one key keep
    /// the first.
    pub fn load(path: &Path, classes: &[Class]) -> Result<PlaceNames> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::reading(path, e))?;
        let mut by_key = FastMap::default();
        let mut most_words = 0;
        let mut buf = String::new();
        let mut class_of: FastMap<&str, ClassId> = FastMap::default();
        for (i, c) in classes.iter().enumerate() {
            class_of.insert(c.local.as_str(), i);
        }
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let syntax = |column: usize, message: String| Error::Syntax {
                path: path.to_path_buf(),
                line: n as u64 + 1,
                column: column as u64 + 1,
                message,
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 5 {
                return Err(syntax(
                    0,
                    format!(
                        "{} columns; a place is name, class, country, id, population",
                        cols.len()
                    ),
                ));
            }
            let Some(&class) = class_of.get(cols[1]) else {
                return Err(syntax(
                    cols[0].len() + 1,
                    format!("{:?} is no class of the ontology", cols[1]),
                ));
            };
            key(cols[0], &mut buf);
            if buf.is_empty() {
                return Err(syntax(0, "a place without a name".into()));
            }
            most_words = most_words.max(cols[0].split_whitespace().count());
            by_key.entry(buf.clone()).or_insert_with(|| Place {
                class,
                country: cols[2].to_string(),
                id: cols[3].to_string(),
            });
        }
        Ok(PlaceNames { by_key, most_words })
    }

    /// The place a name as written names, if the list has it; `buf` is
    /// scratch space for its key.
    pub fn get(&self, name: &str, buf: &mut String) -> Option<&Place> {
        key(name, buf);
        self.by_key.get(buf.as_str())
    }

    /// The most words a listed name has.
    pub fn most_words(&self) -> usize {
        self.most_words
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    fn k(name: &str) -> String {
        let mut s = String::new();
        key(name, &mut s);
        s
    }

    #[test]
    fn keys_forgive_transliteration() {
        assert_eq!(k("al-Hilla"), "hilla");
        assert_eq!(k("Al Hillah"), "hilla");
        assert_eq!(k("Hillah"), "hilla");
        assert_eq!(k("Ar Raqqah"), "raqqa");
        assert_eq!(k("Al-Raqqa"), "raqqa");
        assert_eq!(k("Tall ‘Afar"), "tall afar");
        assert_eq!(k("Ras al-Ain"), "ras al ain");
        // An article alone is a name; short names keep their "h".
        assert_eq!(k("As"), "as");
        assert_eq!(k("Shah"), "shah");
        assert_eq!(k("New  York"), "new york");
    }
}
