//! What the models know of a word before they look at its neighbours: its
//! normalised form and spelling features, as hashes, computed once a
//! sentence and shared by the tagger and the parser.

use super::perceptron::word;

/// The hashed spelling features of one word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordFeatures {
    /// The lowercase form (numbers by their shape, curly quotes straight).
    pub norm: u64,
    pub prefix1: u64,
    pub suffix2: u64,
    pub suffix3: u64,
    pub shape: u64,
    /// Opens with an uppercase letter.
    pub capital: bool,
    /// Has no letter or digit.
    pub punct: bool,
}

/// The form the models read: lowercase, typographic quotes and dashes as
/// their ASCII forms, and a word holding a digit by its shape ("!4d" for a
/// year, "!d,d" for "1,000"), since numbers are many and alike.
pub fn normalize(form: &str, out: &mut String) {
    out.clear();
    if form.bytes().any(|b| b.is_ascii_digit()) {
        out.push('!');
        shape_into(form, out);
        return;
    }
    if form.is_ascii() {
        out.push_str(form);
        out.make_ascii_lowercase();
        return;
    }
    for c in form.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{2013}' | '\u{2014}' | '\u{2012}' | '\u{2015}' => out.push('-'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// A word's shape: `X` for an uppercase letter, `x` lowercase, `d` a digit,
/// other characters as they are, runs of the same class written once ("Xx"
/// for "Baghdad", "X.X." for "U.S.", "d,d" for "1,000"), except four-digit
/// numbers, written "4d" (they are mostly years).
pub fn shape_into(form: &str, out: &mut String) {
    if form.len() == 4 && form.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str("4d");
        return;
    }
    let mut last = '\0';
    for c in form.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
}

/// The features of each word of a sentence.
pub fn features(forms: &[&str], out: &mut Vec<WordFeatures>) {
    out.clear();
    let mut norm = String::new();
    let mut shape = String::new();
    for form in forms {
        normalize(form, &mut norm);
        shape.clear();
        shape_into(form, &mut shape);
        out.push(word_features(form, &norm, &shape));
    }
}

/// The byte offset of the `k`th character from the end of `s` (`k` >= 1),
/// or 0 if `s` has fewer.
#[inline]
pub(crate) fn from_end(s: &str, k: usize) -> usize {
    s.char_indices().rev().nth(k - 1).map_or(0, |c| c.0)
}

/// The byte offset where the `k`th character of `s` starts (counting from
/// 0), or its length if it has no more.
#[inline]
pub(crate) fn char_start(s: &str, k: usize) -> usize {
    s.char_indices().nth(k).map_or(s.len(), |c| c.0)
}

/// The features of one word, given its normalized form and shape.
#[inline]
pub(crate) fn word_features(form: &str, norm: &str, shape: &str) -> WordFeatures {
    let first_end = char_start(norm, 1);
    WordFeatures {
        norm: word(norm),
        prefix1: word(&norm[..first_end]),
        suffix2: word(&norm[from_end(norm, 2)..]),
        suffix3: word(&norm[from_end(norm, 3)..]),
        shape: word(shape),
        capital: form.chars().next().is_some_and(char::is_uppercase),
        punct: !form.chars().any(char::is_alphanumeric),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_normalised_and_shaped() {
        let mut s = String::new();
        for (form, want) in [
            ("Baghdad", "baghdad"),
            ("don\u{2019}t", "don't"),
            ("2020", "!4d"),
            ("1,000", "!d,d"),
            ("\u{201C}", "\""),
            ("Ünal", "ünal"),
        ] {
            normalize(form, &mut s);
            assert_eq!(s, want, "{form}");
        }
        for (form, want) in [("U.S.", "X.X."), ("Baghdad", "Xx"), ("al-Sudani", "x-Xx")] {
            s.clear();
            shape_into(form, &mut s);
            assert_eq!(s, want, "{form}");
        }
        let mut f = Vec::new();
        features(&["Iraq", "iraq", "IRAQ"], &mut f);
        assert_eq!(f[0].norm, f[1].norm);
        assert_eq!(f[1].norm, f[2].norm);
        assert_ne!(f[0].shape, f[2].shape);
        assert!(f[0].capital && !f[1].capital);
    }
}
