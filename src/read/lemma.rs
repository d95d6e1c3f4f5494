//! The lemmatizer, learned from the treebanks: for each part of speech,
//! the commonest rewrite of each word ending ("-ies" -> "-y" for nouns,
//! "-ed" -> "" for verbs), and the words that no ending explains
//! ("went" -> "go"). Forms and lemmas are lowercase.

use std::collections::BTreeMap;

/// A rewrite of a word's end: drop `strip` characters, add `append`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rewrite {
    pub strip: u8,
    pub append: String,
}

/// The longest ending a rule looks at.
const LONGEST: usize = 5;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lemmatizer {
    /// (tag, ending) -> rewrite.
    pub rules: BTreeMap<(u8, String), Rewrite>,
    /// (tag, form) -> lemma, where the rules go wrong.
    pub exceptions: BTreeMap<(u8, String), String>,
}

fn rewrite_of(form: &str, lemma: &str) -> Rewrite {
    let common = form
        .chars()
        .zip(lemma.chars())
        .take_while(|(a, b)| a == b)
        .count();
    Rewrite {
        strip: (form.chars().count() - common).min(255) as u8,
        append: lemma.chars().skip(common).collect(),
    }
}

fn apply(form: &str, r: &Rewrite) -> Option<String> {
    let chars = form.chars().count();
    let keep = chars.checked_sub(r.strip as usize)?;
    let mut out: String = form.chars().take(keep).collect();
    out.push_str(&r.append);
    Some(out)
}

/// The char-boundary byte offsets of a word's endings, longest first.
fn endings(form: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = form.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    (0..=LONGEST.min(n)).rev().map(move |k| match k {
        0 => &form[form.len()..],
        k if k == n => form,
        k => &form[starts[n - k]..],
    })
}

/// A lemmatizer's rules and exceptions as hash maps by tag, looked up
/// without building a key: what reading uses ([`Index::lemma`] gives what
/// [`Lemmatizer::lemma`] gives).
#[derive(Clone, Debug, Default)]
pub struct Index {
    by_tag: Vec<TagIndex>,
}

#[derive(Clone, Debug, Default)]
struct TagIndex {
    rules: crate::iri::FastMap<String, Rewrite>,
    exceptions: crate::iri::FastMap<String, String>,
}

impl Index {
    pub fn new(l: &Lemmatizer) -> Index {
        let tags = l
            .rules
            .keys()
            .chain(l.exceptions.keys())
            .map(|k| k.0 as usize + 1)
            .max()
            .unwrap_or(0);
        let mut by_tag = vec![TagIndex::default(); tags];
        for ((tag, ending), r) in &l.rules {
            by_tag[*tag as usize]
                .rules
                .insert(ending.clone(), r.clone());
        }
        for ((tag, form), lemma) in &l.exceptions {
            by_tag[*tag as usize]
                .exceptions
                .insert(form.clone(), lemma.clone());
        }
        Index { by_tag }
    }

    /// The lemma of a lowercase form with a tag.
    pub fn lemma(&self, tag: u8, form: &str) -> String {
        let Some(t) = self.by_tag.get(tag as usize) else {
            return form.to_string();
        };
        if let Some(l) = t.exceptions.get(form) {
            return l.clone();
        }
        // The endings shorter than the word, longest first (as
        // `Lemmatizer::by_rule` takes them): the last 5 characters at
        // most, down to none.
        let mut starts = [0usize; LONGEST];
        let mut n = 0;
        for (i, _) in form.char_indices().rev().take(LONGEST + 1) {
            if n < LONGEST {
                starts[n] = i;
            }
            n += 1;
        }
        // Characters counted up to LONGEST + 1: an ending of k characters
        // is shorter than the word when the word has more than k.
        let longest = LONGEST.min(n.saturating_sub(1));
        if form.is_empty() {
            return String::new();
        }
        (0..=longest)
            .rev()
            .find_map(|k| {
                let ending = if k == 0 {
                    &form[form.len()..]
                } else {
                    &form[starts[k - 1]..]
                };
                t.rules.get(ending)
            })
            .and_then(|r| apply(form, r))
            .unwrap_or_else(|| form.to_string())
    }
}

impl Lemmatizer {
    /// The lemma of a lowercase form with a tag.
    pub fn lemma(&self, tag: u8, form: &str) -> String {
        if let Some(l) = self.exceptions.get(&(tag, form.to_string())) {
            return l.clone();
        }
        self.by_rule(tag, form).unwrap_or_else(|| form.to_string())
    }

    fn by_rule(&self, tag: u8, form: &str) -> Option<String> {
        // Only endings shorter than the word: the rule must leave a stem.
        endings(form)
            .filter(|e| e.len() < form.len())
            .find_map(|e| self.rules.get(&(tag, e.to_string())))
            .and_then(|r| apply(form, r))
    }

    /// Learns from (tag, lowercase form, lowercase lemma) triples.
    pub fn train<'a>(data: impl IntoIterator<Item = (u8, &'a str, &'a str)>) -> Lemmatizer {
        let mut pairs: BTreeMap<(u8, String, String), u32> = BTreeMap::new();
        for (tag, form, lemma) in data {
            if !form.is_empty() && !lemma.is_empty() && lemma != "_" {
                *pairs.entry((tag, form.into(), lemma.into())).or_default() += 1;
            }
        }
        // Each form's commonest lemma for its tag.
        let mut best: BTreeMap<(u8, String), (String, u32)> = BTreeMap::new();
        for ((tag, form, lemma), n) in &pairs {
            let e = best
                .entry((*tag, form.clone()))
                .or_insert_with(|| (lemma.clone(), 0));
            if *n > e.1 {
                *e = (lemma.clone(), *n);
            }
        }
        // Count, for every ending of every form, the rewrites it takes.
        let mut votes: BTreeMap<(u8, String), BTreeMap<Rewrite, u32>> = BTreeMap::new();
        for ((tag, form), (lemma, _)) in &best {
            let r = rewrite_of(form, lemma);
            for e in endings(form).filter(|e| e.len() < form.len()) {
                *votes
                    .entry((*tag, e.to_string()))
                    .or_default()
                    .entry(r.clone())
                    .or_default() += 1;
            }
        }
        let mut rules = BTreeMap::new();
        for (key, rewrites) in votes {
            let total: u32 = rewrites.values().sum();
            let (r, n) = rewrites
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .expect("an ending has a rewrite");
            if total >= 2 && n * 2 > total {
                rules.insert(key, r);
            }
        }
        let mut lemmatizer = Lemmatizer {
            rules,
            exceptions: BTreeMap::new(),
        };
        for ((tag, form), (lemma, _)) in best {
            let by_rule = lemmatizer
                .by_rule(tag, &form)
                .unwrap_or_else(|| form.clone());
            if by_rule != lemma {
                lemmatizer.exceptions.insert((tag, form), lemma);
            }
        }
        lemmatizer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_endings_and_exceptions() {
        let data = [
            (1, "attacked", "attack"),
            (1, "trained", "train"),
            (1, "supported", "support"),
            (1, "went", "go"),
            (2, "militias", "militia"),
            (2, "forces", "force"),
            (2, "groups", "group"),
            (2, "countries", "country"),
            (2, "cities", "city"),
        ];
        let l = Lemmatizer::train(data);
        assert_eq!(l.lemma(1, "crossed"), "cross");
        assert_eq!(l.lemma(1, "went"), "go");
        assert_eq!(l.lemma(2, "parties"), "party");
        assert_eq!(l.lemma(2, "units"), "unit");
        assert_eq!(
            l.lemma(3, "units"),
            "units",
            "an unknown tag keeps the form"
        );
        for (t, f, lemma) in data {
            assert_eq!(l.lemma(t, f), lemma);
        }
        let index = Index::new(&l);
        for (t, f) in [
            (1, "crossed"),
            (1, "went"),
            (2, "parties"),
            (2, "units"),
            (3, "units"),
            (2, "s"),
            (2, ""),
            (9, "cities"),
            (2, "größten"),
            (1, "ed"),
        ] {
            assert_eq!(index.lemma(t, f), l.lemma(t, f), "{t} {f}");
        }
    }
}
