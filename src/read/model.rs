//! The model file: every trained part of the reading layer in one
//! versioned binary file, checked when it loads.
//!
//! Layout (little-endian): the magic `SGREADER`, the format version (u32),
//! the payload's length (u64), the payload, and the FNV-1a hash of the
//! payload (u64). A file cut short, of another version or altered fails
//! to load with a message that says which.
//!
//! The payload: the `about` text; the tagger (tags, dictionary, weights);
//! the parser (labels, transition and label weights); the lemmatizer
//! (rules, exceptions); since version 2, the mention finder (its type
//! names, then its weights). Since version 3, weights are 16-bit integers
//! with a scale per table, under 32-bit keys.

use super::lemma::{Lemmatizer, Rewrite};
use super::mentions::{self, MentionFinder, MentionType};
use super::parser::Parser;
use super::perceptron::{KeyMap, Weights, MAX_CLASSES};
use super::tagger::Tagger;

pub const MAGIC: &[u8; 8] = b"SGREADER";
/// Bumped whenever the layout or the features change: a model of another
/// version would load and read nonsense.
pub const VERSION: u32 = 3;

/// Everything a model file holds.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// What the model was trained on and how it scored, for humans.
    pub about: String,
    pub tagger: Tagger,
    pub parser: Parser,
    pub lemmatizer: Lemmatizer,
    pub mentions: MentionFinder,
}

struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn strings(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }
    /// The scale, then the rows in key order, each with only its non-zero
    /// weights.
    fn weights(&mut self, w: &Weights) {
        self.u32(w.classes as u32);
        self.0.extend_from_slice(&w.scale.to_le_bytes());
        let rows = w.sorted_rows();
        self.u32(rows.len() as u32);
        for (key, row) in rows {
            self.u32(key);
            let nonzero: Vec<(usize, i16)> = row
                .iter()
                .copied()
                .enumerate()
                .filter(|&(_, v)| v != 0)
                .collect();
            self.u8(nonzero.len() as u8);
            for (class, v) in nonzero {
                self.u8(class as u8);
                self.0.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
}

struct In<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("cut short at byte {}", self.at))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn str(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        let at = self.at;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| format!("bad text at byte {at}"))
    }
    fn strings(&mut self) -> Result<Vec<String>, String> {
        let n = self.u32()?;
        (0..n).map(|_| self.str()).collect()
    }
    fn weights(&mut self) -> Result<Weights, String> {
        let classes = self.u32()? as usize;
        if classes > MAX_CLASSES {
            return Err(format!("{classes} classes at byte {}", self.at));
        }
        let scale = self.f32()?;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(format!("weight scale {scale} at byte {}", self.at));
        }
        let n = self.u32()?;
        let mut rows = Vec::with_capacity(n.min(1 << 24) as usize);
        let mut last = 0;
        for _ in 0..n {
            let at = self.at;
            let key = self.u32()?;
            if key <= last {
                return Err(format!("weight keys out of order at byte {at}"));
            }
            last = key;
            let mut row = vec![0; classes];
            for _ in 0..self.u8()? {
                let class = self.u8()? as usize;
                let v = i16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes"));
                *row.get_mut(class)
                    .ok_or_else(|| format!("class {class} of {classes} at byte {}", self.at))? = v;
            }
            rows.push((key, row));
        }
        Ok(Weights::from_quantized(classes, scale, rows))
    }
}

impl Model {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Out(Vec::new());
        p.str(&self.about);
        p.strings(&self.tagger.tags);
        let mut dict: Vec<(u64, u8)> = self
            .tagger
            .dictionary
            .iter()
            .map(|(&k, &v)| (k, v))
            .collect();
        dict.sort_unstable();
        p.u32(dict.len() as u32);
        for (k, v) in dict {
            p.u64(k);
            p.u8(v);
        }
        p.weights(&self.tagger.weights);
        p.strings(&self.parser.labels);
        p.weights(&self.parser.transitions);
        p.weights(&self.parser.labeller);
        p.u32(self.lemmatizer.rules.len() as u32);
        for ((tag, ending), r) in &self.lemmatizer.rules {
            p.u8(*tag);
            p.str(ending);
            p.u8(r.strip);
            p.str(&r.append);
        }
        p.u32(self.lemmatizer.exceptions.len() as u32);
        for ((tag, form), lemma) in &self.lemmatizer.exceptions {
            p.u8(*tag);
            p.str(form);
            p.str(lemma);
        }
        let types: Vec<String> = MentionType::ALL
            .iter()
            .map(|t| t.name().to_string())
            .collect();
        p.strings(&types);
        p.weights(&self.mentions.weights);
        let payload = p.0;
        let mut out = Vec::with_capacity(payload.len() + 28);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&checksum(&payload).to_le_bytes());
        out
    }

    /// Reads a model; the error says what is wrong with the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err("not a Stratagraph reader model (no SGREADER header)".into());
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != VERSION {
            return Err(format!(
                "model format version {version}, this program reads version {VERSION}: retrain it with `stratagraph train`"
            ));
        }
        let len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes")) as usize;
        if bytes.len() != 20usize.saturating_add(len).saturating_add(8) {
            return Err(format!(
                "truncated or padded: {} bytes where the header promises {}",
                bytes.len(),
                20usize.saturating_add(len).saturating_add(8)
            ));
        }
        let payload = &bytes[20..20 + len];
        let stored = u64::from_le_bytes(bytes[20 + len..].try_into().expect("8 bytes"));
        if stored != checksum(payload) {
            return Err("checksum mismatch: the file is damaged".into());
        }
        let mut i = In {
            bytes: payload,
            at: 0,
        };
        let about = i.str()?;
        let tags = i.strings()?;
        let mut dictionary = KeyMap::default();
        for _ in 0..i.u32()? {
            let k = i.u64()?;
            dictionary.insert(k, i.u8()?);
        }
        let tagger = Tagger {
            tags,
            dictionary,
            weights: i.weights()?,
        };
        let parser = Parser {
            labels: i.strings()?,
            transitions: i.weights()?,
            labeller: i.weights()?,
        };
        let mut lemmatizer = Lemmatizer::default();
        for _ in 0..i.u32()? {
            let tag = i.u8()?;
            let ending = i.str()?;
            let strip = i.u8()?;
            let append = i.str()?;
            lemmatizer
                .rules
                .insert((tag, ending), Rewrite { strip, append });
        }
        for _ in 0..i.u32()? {
            let tag = i.u8()?;
            let form = i.str()?;
            lemmatizer.exceptions.insert((tag, form), i.str()?);
        }
        let types = i.strings()?;
        let mentions = MentionFinder {
            weights: i.weights()?,
        };
        if i.at != payload.len() {
            return Err(format!("{} bytes left over", payload.len() - i.at));
        }
        if tagger.tags.is_empty() || parser.labels.is_empty() {
            return Err("no tags or no labels".into());
        }
        if tagger
            .dictionary
            .values()
            .any(|&t| t as usize >= tagger.tags.len())
            || tagger.weights.classes != tagger.tags.len()
            || parser.labeller.classes != parser.labels.len()
            || parser.transitions.classes != 3
            || mentions.weights.classes != mentions::CLASSES
        {
            return Err("the tables disagree on their sizes".into());
        }
        if !types
            .iter()
            .map(String::as_str)
            .eq(MentionType::ALL.map(|t| t.name()))
        {
            return Err(format!(
                "mention types {types:?}, this program knows {:?}",
                MentionType::ALL.map(|t| t.name())
            ));
        }
        Ok(Model {
            about,
            tagger,
            parser,
            lemmatizer,
            mentions,
        })
    }
}

/// FNV-1a over the payload.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small model with a mention finder goes through its bytes
    /// unchanged; cut short, of version 1, or with a mention table of the
    /// wrong size, it does not load.
    #[test]
    fn round_trips_and_rejects_damage() {
        let rows = |classes: usize, n: u64| {
            Weights::from_rows(
                classes,
                (1..=n).map(|k| {
                    (
                        (k * 0x9E37_79B9) | 1,
                        (0..classes).map(|c| c as f32 - k as f32).collect(),
                    )
                }),
            )
        };
        let mut model = Model {
            about: "test".into(),
            tagger: Tagger {
                tags: vec!["NOUN".into(), "PROPN".into()],
                dictionary: KeyMap::default(),
                weights: rows(2, 3),
            },
            parser: Parser {
                labels: vec!["root".into()],
                transitions: rows(3, 2),
                labeller: rows(1, 2),
            },
            lemmatizer: Lemmatizer::default(),
            mentions: MentionFinder {
                weights: rows(mentions::CLASSES, 5),
            },
        };
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(
            back.mentions.weights.sorted_rows(),
            model.mentions.weights.sorted_rows()
        );
        assert_eq!(back.to_bytes(), bytes);

        let err = Model::from_bytes(&bytes[..bytes.len() - 3]).unwrap_err();
        assert!(err.contains("truncated"), "{err}");
        let mut old = bytes.clone();
        old[8..12].copy_from_slice(&1u32.to_le_bytes());
        let err = Model::from_bytes(&old).unwrap_err();
        assert!(err.contains("version 1"), "{err}");

        model.mentions.weights = rows(mentions::CLASSES - 1, 5);
        let err = Model::from_bytes(&model.to_bytes()).unwrap_err();
        assert!(err.contains("sizes"), "{err}");
    }
}
