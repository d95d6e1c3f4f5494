//! Word-level view of a sentence: tokens with byte spans, each looked up
//! once in the lexicon, and the cue patterns of the relation properties
//! compiled to sequences of word ids.

use super::runs::{RunHash, RunMap, ASCII_ALNUM};
use crate::ontology::{Cue, CueKind, Lexicon, Ontology};
use crate::text::Span;

pub type WordId = u32;
pub const NO_WORD: WordId = u32::MAX;

/// Function-word classes, as bits.
pub mod class {
    pub const BE: u16 = 1;
    pub const AGENT: u16 = 1 << 1;
    pub const PREPOSITION: u16 = 1 << 2;
    pub const DETERMINER: u16 = 1 << 3;
    pub const CONJUNCTION: u16 = 1 << 4;
    pub const CLAUSE_BREAK: u16 = 1 << 5;
    pub const NEGATION: u16 = 1 << 6;
    pub const MODAL: u16 = 1 << 7;
    pub const REPORTING: u16 = 1 << 8;
    pub const PRESENCE: u16 = 1 << 9;
    pub const INDEFINITE: u16 = 1 << 10;
    pub const GENITIVE: u16 = 1 << 11;
    pub const RELATIVE: u16 = 1 << 12;
    pub const EVENT: u16 = 1 << 13;
    pub const AUXILIARY: u16 = 1 << 14;
    /// Articles and possessive pronouns: a verb's form after one is a noun.
    pub const ARTICLE: u16 = 1 << 15;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Punct(char),
}

#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    pub word: WordId,
    /// The word ends in 's or ’s (the lookup ignored it).
    pub possessive: bool,
}

/// One slot of a cue pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Word(WordId),
    /// Any form of "be".
    Be,
}

#[derive(Clone, Debug)]
pub struct CuePattern {
    /// Index into [`Ontology::cues`].
    pub cue: usize,
    pub slots: Vec<Slot>,
}

/// A multi-word function phrase ("as well as", "failed to").
pub type Phrase = Vec<WordId>;

pub struct Words {
    ids: crate::iri::FastMap<Box<str>, WordId>,
    /// The words of `ids` that are runs of ASCII letters and digits, for
    /// the tokenizer's fast path.
    ascii: RunMap,
    classes: Vec<u16>,
    /// Cue patterns by their first word.
    /// (Word ids are dense: a table indexed by them.)
    cues_by_first: Vec<Vec<usize>>,
    pub patterns: Vec<CuePattern>,
    /// Multi-word phrases of a function class, by class bit.
    pub phrases: Vec<(u16, Phrase)>,
}

/// The regular inflections of an English verb lemma: lemma, -s, -ed, -ing.
pub fn inflect(lemma: &str) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    let consonant_y = lemma.len() > 1
        && lemma.ends_with('y')
        && !lemma[..lemma.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    let third =
        if lemma.ends_with(['s', 'x', 'z']) || lemma.ends_with("ch") || lemma.ends_with("sh") {
            format!("{lemma}es")
        } else if consonant_y {
            format!("{}ies", &lemma[..lemma.len() - 1])
        } else {
            format!("{lemma}s")
        };
    let past = if lemma.ends_with('e') {
        format!("{lemma}d")
    } else if consonant_y {
        format!("{}ied", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}ed")
    };
    let gerund = if lemma.ends_with("ee") || lemma.ends_with("ye") || lemma.len() <= 2 {
        format!("{lemma}ing")
    } else if let Some(stem) = lemma.strip_suffix('e') {
        format!("{stem}ing")
    } else {
        format!("{lemma}ing")
    };
    out.extend([third, past, gerund]);
    // A final consonant after one vowel may double ("control",
    // "controlled"); where it does not ("target", "targeted"), the doubled
    // form is no word and matches nothing.
    let b = lemma.as_bytes();
    if b.len() >= 3 {
        let vowel = |c: u8| b"aeiou".contains(&c);
        let (x, y, z) = (b[b.len() - 3], b[b.len() - 2], b[b.len() - 1]);
        if !vowel(x) && vowel(y) && b"bdglmnprt".contains(&z) {
            let last = z as char;
            out.push(format!("{lemma}{last}ed"));
            out.push(format!("{lemma}{last}ing"));
        }
    }
    out.dedup();
    out
}

impl Words {
    pub fn new(ontology: &Ontology) -> Words {
        let mut words = Words {
            ids: Default::default(),
            ascii: RunMap::new(std::iter::empty()),
            classes: Vec::new(),
            cues_by_first: Vec::new(),
            patterns: Vec::new(),
            phrases: Vec::new(),
        };
        let lex: &Lexicon = &ontology.lexicon;
        let groups: [(&[String], u16); 18] = [
            (&lex.be_forms, class::BE),
            (&lex.agent_markers, class::AGENT),
            (&lex.prepositions, class::PREPOSITION),
            (&lex.determiners, class::DETERMINER),
            (&lex.conjunctions, class::CONJUNCTION),
            (&lex.clause_breaks, class::CLAUSE_BREAK),
            (&lex.negations, class::NEGATION),
            (&lex.modals, class::MODAL),
            (&lex.reporting_verbs, class::REPORTING),
            (&lex.presence_nouns, class::PRESENCE),
            (&lex.indefinite, class::INDEFINITE),
            (&lex.genitive, class::GENITIVE),
            (&lex.relative_pronouns, class::RELATIVE),
            (&lex.event_nouns, class::EVENT),
            (&lex.auxiliaries, class::AUXILIARY),
            (&lex.definite, class::ARTICLE),
            (&lex.indefinite, class::ARTICLE),
            (&lex.possessive_pronouns, class::ARTICLE),
        ];
        for (list, bit) in groups {
            for entry in list {
                let parts: Vec<WordId> =
                    entry.split_whitespace().map(|w| words.intern(w)).collect();
                match parts.as_slice() {
                    [one] => words.classes[*one as usize] |= bit,
                    [] => {}
                    _ => words.phrases.push((bit, parts)),
                }
            }
        }
        for (index, cue) in ontology.cues.iter().enumerate() {
            // Compounds are read inside names, titles beside them,
            // possessives from the parse.
            if !cue.kind.is_compound()
                && !matches!(
                    cue.kind,
                    CueKind::Title
                        | CueKind::Possessed
                        | CueKind::Possessor
                        | CueKind::Motion
                        | CueKind::Under
                        | CueKind::Transfer
                )
            {
                words.add_cue(index, cue);
            }
        }
        words.ascii = RunMap::new(words.ids.iter().map(|(w, &id)| (&**w, id)));
        words
    }

    fn intern(&mut self, word: &str) -> WordId {
        let word = normalize_apostrophes(&word.to_lowercase());
        if let Some(&id) = self.ids.get(word.as_str()) {
            return id;
        }
        let id = self.classes.len() as WordId;
        self.ids.insert(word.into_boxed_str(), id);
        self.classes.push(0);
        id
    }

    fn add_cue(&mut self, index: usize, cue: &Cue) {
        let parts: Vec<&str> = cue.phrase.split_whitespace().collect();
        let Some((first, rest)) = parts.split_first() else {
            return;
        };
        let firsts = match cue.kind {
            CueKind::Verb | CueKind::InverseVerb if *first != "be" => inflect(first),
            _ => vec![first.to_string()],
        };
        let rest: Vec<Slot> = rest
            .iter()
            .map(|w| {
                if *w == "be" {
                    Slot::Be
                } else {
                    Slot::Word(self.intern(w))
                }
            })
            .collect();
        for form in firsts {
            let head = if form == "be" {
                Slot::Be
            } else {
                Slot::Word(self.intern(&form))
            };
            let mut slots = vec![head];
            slots.extend(rest.iter().copied());
            let pattern = self.patterns.len();
            self.patterns.push(CuePattern { cue: index, slots });
            match head {
                Slot::Word(id) => self.first_of(id).push(pattern),
                Slot::Be => {
                    let be_ids: Vec<WordId> = (0..self.classes.len() as WordId)
                        .filter(|&id| self.classes[id as usize] & class::BE != 0)
                        .collect();
                    for id in be_ids {
                        self.first_of(id).push(pattern);
                    }
                }
            }
        }
    }

    /// The cue patterns starting with word `id`, to add to.
    fn first_of(&mut self, id: WordId) -> &mut Vec<usize> {
        let id = id as usize;
        if self.cues_by_first.len() <= id {
            self.cues_by_first.resize_with(id + 1, Vec::new);
        }
        &mut self.cues_by_first[id]
    }

    pub fn has(&self, word: WordId, bit: u16) -> bool {
        word != NO_WORD && self.classes[word as usize] & bit != 0
    }

    pub fn slot_matches(&self, slot: Slot, word: WordId) -> bool {
        match slot {
            Slot::Word(id) => id == word,
            Slot::Be => self.has(word, class::BE),
        }
    }

    /// The id of a lowercase word, if the lexicon or a cue has it.
    pub fn lookup(&self, word: &str) -> WordId {
        self.ids.get(word).copied().unwrap_or(NO_WORD)
    }

    /// The cue patterns whose first word is `word`.
    pub fn cues_starting_with(&self, word: WordId) -> &[usize] {
        self.cues_by_first
            .get(word as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Splits `text[span]` into tokens, appending to `out`. `scratch` is a
    /// reusable buffer for lowercasing.
    pub fn tokenize(&self, text: &str, span: Span, scratch: &mut String, out: &mut Vec<Token>) {
        let slice = &text[span.start..span.end];
        let bytes = slice.as_bytes();
        // The character at a byte offset and its length, ASCII first.
        let char_at = |i: usize| -> (char, usize) {
            let b = bytes[i];
            if b < 0x80 {
                (b as char, 1)
            } else {
                let c = slice[i..].chars().next().expect("a character starts here");
                (c, c.len_utf8())
            }
        };
        let alnum = |c: char| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b' ' {
                i += 1;
                continue;
            }
            // Most words are runs of ASCII letters and digits ended by a
            // space or a punctuation mark that joins nothing: no
            // possessive, and looked up lowercase.
            if ASCII_ALNUM[bytes[i] as usize] {
                let start = i;
                let mut end = i;
                let mut hash = RunHash::EMPTY;
                while end < bytes.len() && ASCII_ALNUM[bytes[end] as usize] {
                    hash = hash.push(bytes[end]);
                    end += 1;
                }
                let plain = bytes
                    .get(end)
                    .is_none_or(|&d| d < 0x80 && !matches!(d, b'-' | b'\'' | b'.'));
                if plain {
                    out.push(Token {
                        span: Span::new(span.start + start, span.start + end),
                        kind: TokenKind::Word,
                        word: self.ascii.get(hash, &bytes[start..end]).unwrap_or(NO_WORD),
                        possessive: false,
                    });
                    i = end;
                    continue;
                }
            }
            let (c, len) = char_at(i);
            if alnum(c) {
                let start = i;
                let mut end = i + len;
                // Words hold letters and digits joined by - ' ’ or . (U.S, al-Hashd).
                while end < bytes.len() {
                    if bytes[end].is_ascii_alphanumeric() {
                        end += 1;
                        continue;
                    }
                    let (d, dlen) = char_at(end);
                    let joined = |d: char| {
                        matches!(d, '-' | '\'' | '\u{2019}' | '.')
                            && end + dlen < bytes.len()
                            && alnum(char_at(end + dlen).0)
                    };
                    if !(alnum(d) || joined(d)) {
                        break;
                    }
                    end += dlen;
                }
                i = end;
                let word = &slice[start..end];
                let (base, possessive) = strip_possessive(word);
                // Most words are ASCII and lowercase already: looked up as they are.
                let key = if base
                    .bytes()
                    .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
                {
                    base
                } else {
                    scratch.clear();
                    if base.is_ascii() {
                        scratch.push_str(base);
                        scratch.make_ascii_lowercase();
                    } else {
                        for ch in base.chars() {
                            if ch == '\u{2019}' {
                                scratch.push('\'');
                            } else {
                                scratch.extend(ch.to_lowercase());
                            }
                        }
                    }
                    scratch.as_str()
                };
                let id = self.ids.get(key).copied().unwrap_or(NO_WORD);
                out.push(Token {
                    span: Span::new(span.start + start, span.start + end),
                    kind: TokenKind::Word,
                    word: id,
                    possessive,
                });
            } else {
                if !c.is_whitespace() {
                    out.push(Token {
                        span: Span::new(span.start + i, span.start + i + len),
                        kind: TokenKind::Punct(c),
                        word: NO_WORD,
                        possessive: false,
                    });
                }
                i += len;
            }
        }
    }
}

fn normalize_apostrophes(s: &str) -> String {
    s.replace('\u{2019}', "'")
}

fn strip_possessive(word: &str) -> (&str, bool) {
    for suffix in crate::text::POSSESSIVE_ENDINGS {
        if let Some(base) = word.strip_suffix(suffix) {
            if !base.is_empty() {
                return (base, true);
            }
        }
    }
    (word, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflects_regular_verbs() {
        let cases: [(&str, &[&str]); 6] = [
            ("attack", &["attack", "attacks", "attacked", "attacking"]),
            ("advise", &["advise", "advises", "advised", "advising"]),
            ("ally", &["ally", "allies", "allied", "allying"]),
            ("finance", &["finance", "finances", "financed", "financing"]),
            ("reach", &["reach", "reaches", "reached", "reaching"]),
            ("oppose", &["oppose", "opposes", "opposed", "opposing"]),
        ];
        for (lemma, want) in cases {
            assert_eq!(inflect(lemma), want, "inflect({lemma})");
        }
    }
}
