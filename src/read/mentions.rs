//! The mention finder: a greedy left-to-right averaged perceptron that
//! tags each word with a BILOU class (Begin, Inside, Last, Unit, or
//! Outside) of one of three entity types, person, place and organization,
//! from the words' spelling, their part-of-speech tags, their neighbours
//! (two on each side) and the two classes before. Decoding is constrained
//! so that every sequence is valid: an I or L follows a B or I of its own
//! type, and a B or I is always followed by one, so each mention is
//! closed.
//!
//! It learns from GUM's `Entity=` annotations ([`gum_mentions`]): the
//! outermost named mention of one of the three types, named meaning that
//! its head word is a proper noun (gold UPOS `PROPN`), since GUM annotates
//! every noun phrase ("the man", "his house") and only names are entities
//! here.

use super::conllu::Sentence;
use super::perceptron::{self, feature, word, Rng, Trainer, Weights};
use super::words::{self, WordFeatures};

/// The types of entity the finder tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MentionType {
    Person,
    Place,
    Organization,
}

impl MentionType {
    pub const ALL: [MentionType; 3] = [
        MentionType::Person,
        MentionType::Place,
        MentionType::Organization,
    ];

    /// The name GUM gives the type (and the model file stores).
    pub fn name(self) -> &'static str {
        match self {
            MentionType::Person => "person",
            MentionType::Place => "place",
            MentionType::Organization => "organization",
        }
    }

    pub fn from_name(name: &str) -> Option<MentionType> {
        MentionType::ALL.into_iter().find(|t| t.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A mention: words `start..end` of a sentence and the entity's type.
pub type Mention = (usize, usize, MentionType);

/// The number of classes: O, then B, I, L, U of each type.
pub const CLASSES: usize = 1 + 4 * MentionType::ALL.len();

/// Class 0 is outside any mention.
pub const OUTSIDE: usize = 0;

/// The four parts of a mention a word can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

/// The class of a part of a mention of a type.
pub fn class(t: MentionType, part: Part) -> usize {
    1 + 4 * t.index() + part as usize
}

/// The type and part of a class; `None` for [`OUTSIDE`].
pub fn parts(class: usize) -> Option<(MentionType, Part)> {
    if class == OUTSIDE || class >= CLASSES {
        return None;
    }
    let t = MentionType::ALL[(class - 1) / 4];
    let part = [Part::Begin, Part::Inside, Part::Last, Part::Unit][(class - 1) % 4];
    Some((t, part))
}

/// Whether `class` may follow `previous` (`None` at the start of a
/// sentence); `last` says the word ends the sentence, where no mention may
/// stay open.
pub fn allowed(previous: Option<usize>, class: usize, last: bool) -> bool {
    let open = previous
        .and_then(parts)
        .filter(|&(_, p)| p == Part::Begin || p == Part::Inside);
    match (open, parts(class)) {
        // Inside a mention: only its own type goes on, and ends by the
        // sentence's end.
        (Some((t, _)), Some((u, p))) => t == u && (p == Part::Last || (p == Part::Inside && !last)),
        (Some(_), None) => false,
        (None, None) => true,
        (None, Some((_, p))) => p == Part::Unit || (p == Part::Begin && !last),
    }
}

/// Whether a whole sequence of classes is valid BILOU.
pub fn valid(classes: &[u8]) -> bool {
    let n = classes.len();
    (0..n).all(|i| {
        let previous = i.checked_sub(1).map(|j| classes[j] as usize);
        allowed(previous, classes[i] as usize, i + 1 == n)
    })
}

/// Greedy constrained decoding: `score(i, p1, p2, scores)` fills the scores
/// of word `i` given the two classes before it, and the best class that
/// may follow the previous one is taken. The result is always valid.
pub fn decode(n: usize, mut score: impl FnMut(usize, u64, u64, &mut [f32]), out: &mut Vec<u8>) {
    out.clear();
    let mut scores = [0.0f32; CLASSES];
    for i in 0..n {
        let (p1, p2) = previous(out, i);
        score(i, p1, p2, &mut scores);
        let prev = i.checked_sub(1).map(|j| out[j] as usize);
        let last = i + 1 == n;
        let c = perceptron::best(&scores, |c| allowed(prev, c, last)).unwrap_or(OUTSIDE);
        out.push(c as u8);
    }
}

/// The mentions of a valid sequence of classes.
pub fn spans(classes: &[u8]) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in classes.iter().enumerate() {
        match parts(c as usize) {
            Some((_, Part::Begin)) => start = i,
            Some((t, Part::Last)) => out.push((start, i + 1, t)),
            Some((t, Part::Unit)) => out.push((i, i + 1, t)),
            _ => {}
        }
    }
    out
}

/// The classes of `n` words holding non-overlapping mentions.
pub fn encode(mentions: &[Mention], n: usize) -> Vec<u8> {
    let mut out = vec![OUTSIDE as u8; n];
    for &(start, end, t) in mentions {
        if end - start == 1 {
            out[start] = class(t, Part::Unit) as u8;
        } else {
            out[start] = class(t, Part::Begin) as u8;
            for c in &mut out[start + 1..end - 1] {
                *c = class(t, Part::Inside) as u8;
            }
            out[end - 1] = class(t, Part::Last) as u8;
        }
    }
    out
}

const NONE: u64 = 0x5EED;
const START: u64 = 0x57A7;

fn previous(classes: &[u8], i: usize) -> (u64, u64) {
    let class = |k: usize| i.checked_sub(k).map_or(START, |j| classes[j] as u64);
    (class(1), class(2))
}

/// What the finder reads of a word beyond the shared [`WordFeatures`]: a
/// longer prefix and suffix of its normalized form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Affixes {
    pub prefix3: u64,
    pub suffix4: u64,
}

/// The affixes of each word of a sentence.
pub fn affixes(forms: &[&str], out: &mut Vec<Affixes>) {
    out.clear();
    let mut norm = String::new();
    for form in forms {
        words::normalize(form, &mut norm);
        out.push(Affixes::of(&norm));
    }
}

impl Affixes {
    /// The affixes of a normalized form.
    #[inline]
    pub fn of(norm: &str) -> Affixes {
        Affixes {
            prefix3: word(&norm[..words::char_start(norm, 3)]),
            suffix4: word(&norm[words::from_end(norm, 4)..]),
        }
    }
}

/// A sentence as the finder reads it.
pub struct Input<'a> {
    pub words: &'a [WordFeatures],
    pub affixes: &'a [Affixes],
    /// Tag indices of the model's tagger, one a word.
    pub tags: &'a [u8],
}

/// The features of word `i` given the two classes before it: its
/// normalized form, shape, affixes, capital and tag; the forms, shapes and
/// tags of two words on each side; the two classes before; whether it
/// opens the sentence; some conjunctions of these; and for a capitalised
/// word, the run of capitalised words it is part of ("Eastern Orthodox
/// Church"): the words before and after the run, its first and last words
/// (titles, "University", "River" tell the type) and the word's place in it.
pub fn features(s: &Input, i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    let w = &s.words[i];
    let a = &s.affixes[i];
    let at = |k: isize| -> Option<usize> {
        let j = i as isize + k;
        (j >= 0 && (j as usize) < s.words.len()).then_some(j as usize)
    };
    let edge = |k: isize| if k < 0 { START } else { NONE };
    let norm = |k: isize| at(k).map_or(edge(k), |j| s.words[j].norm);
    let shape = |k: isize| at(k).map_or(edge(k), |j| s.words[j].shape);
    let tag = |k: isize| at(k).map_or(edge(k), |j| s.tags.get(j).map_or(NONE, |&t| t as u64));
    let first = (i == 0) as u64;
    let capital = w.capital as u64;
    out.extend([
        feature(0, &[]),
        feature(1, &[w.norm]),
        feature(2, &[w.shape]),
        feature(3, &[a.prefix3]),
        feature(4, &[w.suffix2]),
        feature(5, &[w.suffix3]),
        feature(6, &[a.suffix4]),
        feature(7, &[first, capital]),
        feature(8, &[tag(0)]),
        feature(9, &[tag(-1)]),
        feature(10, &[tag(-2)]),
        feature(11, &[tag(1)]),
        feature(12, &[tag(2)]),
        feature(13, &[norm(-1)]),
        feature(14, &[norm(-2)]),
        feature(15, &[norm(1)]),
        feature(16, &[norm(2)]),
        feature(17, &[shape(-1)]),
        feature(18, &[shape(-2)]),
        feature(19, &[shape(1)]),
        feature(20, &[shape(2)]),
        feature(21, &[p1]),
        feature(22, &[p2, p1]),
        feature(23, &[p1, tag(0)]),
        feature(24, &[p1, w.shape]),
        feature(25, &[p1, w.norm]),
        feature(26, &[tag(-1), tag(0)]),
        feature(27, &[tag(0), tag(1)]),
        feature(28, &[tag(-1), tag(0), tag(1)]),
        feature(29, &[norm(-1), w.norm]),
        feature(30, &[w.norm, norm(1)]),
        feature(31, &[tag(0), w.shape]),
        feature(32, &[shape(-1), w.shape, shape(1)]),
        feature(33, &[first, tag(0), capital]),
        feature(34, &[p1, norm(1)]),
        feature(35, &[p1, tag(1)]),
        feature(36, &[norm(-1), tag(0)]),
        feature(37, &[tag(0), norm(1)]),
        feature(38, &[norm(-1), w.shape]),
        feature(39, &[norm(-2), norm(-1), tag(0)]),
        feature(40, &[p1, tag(0), tag(1)]),
        feature(41, &[tag(0), norm(1), norm(2)]),
    ]);
    if w.capital {
        let capital = |j: usize| s.words[j].capital;
        let mut start = i;
        while start > 0 && capital(start - 1) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < s.words.len() && capital(end) {
            end += 1;
        }
        let before = norm(start as isize - i as isize - 1);
        let after = norm(end as isize - i as isize);
        let last = s.words[end - 1].norm;
        out.extend([
            feature(42, &[before]),
            feature(43, &[after]),
            feature(44, &[last]),
            feature(45, &[s.words[start].norm]),
            feature(
                46,
                &[(end - start).min(4) as u64, (i - start).min(3) as u64],
            ),
            feature(47, &[before, tag(0)]),
            feature(48, &[p1, last]),
        ]);
    }
}

/// The trained mention finder.
#[derive(Clone, Debug)]
pub struct MentionFinder {
    pub weights: Weights,
}

impl Default for MentionFinder {
    /// A finder that finds nothing.
    fn default() -> MentionFinder {
        MentionFinder {
            weights: Weights::from_rows(CLASSES, std::iter::empty()),
        }
    }
}

impl MentionFinder {
    /// The classes of a sentence's words (always a valid sequence).
    pub fn classes(&self, s: &Input, out: &mut Vec<u8>) {
        let mut feats = Vec::with_capacity(56);
        decode(
            s.words.len(),
            |i, p1, p2, scores| {
                features(s, i, p1, p2, &mut feats);
                self.weights.score(&feats, scores);
            },
            out,
        );
    }

    /// The mentions of a sentence.
    pub fn find(&self, s: &Input) -> Vec<Mention> {
        let mut classes = Vec::with_capacity(s.words.len());
        self.classes(s, &mut classes);
        spans(&classes)
    }

    /// Trains on sentences and their valid gold classes, `iterations`
    /// passes in an order shuffled by a fixed seed. Each word is guessed
    /// with the gold classes before it (and the same constraint as in
    /// decoding). Over five folds of GUM's documents this scores typed F1
    /// 0.50 (P 0.53, R 0.47), where following its own guesses with a
    /// dynamic oracle (the gold class if it may follow, else the end of
    /// the wrong mention, or outside) scores 0.48 (P 0.55, R 0.43), and
    /// following them a tenth or a third of the time no better.
    pub fn train(sentences: &[(Input, Vec<u8>)], iterations: usize) -> MentionFinder {
        let mut trainer = Trainer::new(CLASSES);
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = Rng::new(0x3E17_10E5);
        let mut feats = Vec::with_capacity(56);
        let mut scores = [0.0f32; CLASSES];
        for _ in 0..iterations {
            rng.shuffle(&mut order);
            for &k in &order {
                let (s, gold) = &sentences[k];
                let n = s.words.len();
                for i in 0..n {
                    let (p1, p2) = previous(gold, i);
                    features(s, i, p1, p2, &mut feats);
                    trainer.score(&feats, &mut scores);
                    let prev = i.checked_sub(1).map(|j| gold[j] as usize);
                    let guess = perceptron::best(&scores, |c| allowed(prev, c, i + 1 == n))
                        .unwrap_or(OUTSIDE);
                    trainer.update(&feats, gold[i] as usize, guess);
                }
            }
        }
        MentionFinder {
            weights: trainer.average(),
        }
    }
}

/// One bracket of a GUM `Entity=` value: an opening `(id-type-...`, which
/// may close on the same word (`(id-type-...)`), or a closing `id)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bracket<'a> {
    Open {
        id: &'a str,
        etype: &'a str,
        closes: bool,
    },
    Close {
        id: &'a str,
    },
}

/// The brackets of a MISC column, in order (none without `Entity=`).
/// GUM writes the opening brackets of a word outermost first and the
/// closing ones innermost first; links escape their brackets (`%28`).
pub fn brackets(misc: &str) -> Result<Vec<Bracket<'_>>, String> {
    let mut out = Vec::new();
    let Some(value) = misc.split('|').find_map(|kv| kv.strip_prefix("Entity=")) else {
        return Ok(out);
    };
    let mut rest = value;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('(') {
            let end = r.find(['(', ')']).unwrap_or(r.len());
            let mut fields = r[..end].split('-');
            let id = fields.next().unwrap_or_default();
            let etype = fields.next().unwrap_or_default();
            if id.is_empty() || etype.is_empty() {
                return Err(format!(
                    "an opening bracket without id and type in {value:?}"
                ));
            }
            let closes = r[end..].starts_with(')');
            out.push(Bracket::Open { id, etype, closes });
            rest = &r[end + closes as usize..];
        } else {
            let end = rest
                .find(')')
                .ok_or_else(|| format!("{rest:?} is no bracket in {value:?}"))?;
            let id = &rest[..end];
            if id.is_empty() || id.contains('(') {
                return Err(format!("a closing bracket without id in {value:?}"));
            }
            out.push(Bracket::Close { id });
            rest = &rest[end + 1..];
        }
    }
    Ok(out)
}

/// Every bracketed mention of a sentence, as (start, end, entity type),
/// in the order they close.
pub fn bracketed(s: &Sentence) -> Result<Vec<(usize, usize, String)>, String> {
    let mut open: Vec<(&str, &str, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, w) in s.words.iter().enumerate() {
        for b in brackets(&w.misc).map_err(|e| format!("word {}: {e}", i + 1))? {
            match b {
                Bracket::Open { etype, closes, .. } if closes => {
                    out.push((i, i + 1, etype.to_string()))
                }
                Bracket::Open { id, etype, .. } => open.push((id, etype, i)),
                Bracket::Close { id } => {
                    let k = open
                        .iter()
                        .rposition(|o| o.0 == id)
                        .ok_or_else(|| format!("word {}: {id}) closes nothing", i + 1))?;
                    let (_, etype, start) = open.remove(k);
                    out.push((start, i + 1, etype.to_string()));
                }
            }
        }
    }
    if let Some((id, _, start)) = open.first() {
        return Err(format!(
            "mention {id} opened at word {} never closes",
            start + 1
        ));
    }
    Ok(out)
}

/// The named mentions a sentence of GUM teaches.
///
/// GUM brackets every noun phrase, "the man" and "his house" as well as
/// "Barack Obama", and only names are entities here. So of the mentions
/// of a person, place or organization, those are kept whose head word (by
/// the gold tree: the first word of the mention, punctuation aside, whose
/// head is outside it) has the gold UPOS `PROPN`; the words of the others
/// are taught as outside. This is stricter than "holds a proper noun":
/// "a close friend of Leonhard Euler" holds one but is no name, and with
/// it dropped, "Leonhard Euler" inside it is kept. (Over five folds of
/// GUM's documents, each rule scored against its own gold: typed F1 0.50,
/// untyped 0.65 with heads; 0.42 and 0.55 with "holds".)
///
/// A mention that is not named but ends in proper nouns teaches those
/// as a name of its type ("the poet Ahmed Shawqi"), unless a preposition
/// stands before them ("the mayor of Lindow"): GUM does not bracket a
/// name again inside its own description.
///
/// Of the mentions kept, the outermost: one inside another kept one
/// ("Aberdeen" in "Aberdeen Grammar School") is dropped, whatever the
/// types. Mentions of other types (event, abstract, ...) are ignored, and
/// so do not hide the named ones inside them. In start order.
pub fn gum_mentions(s: &Sentence) -> Result<Vec<Mention>, String> {
    let mut candidates: Vec<(usize, usize, bool, MentionType)> = bracketed(s)?
        .into_iter()
        .filter_map(|(start, end, etype)| {
            let t = MentionType::from_name(&etype)?;
            let words = &s.words[start..end];
            let head = words
                .iter()
                .position(|w| w.upos != "PUNCT" && w.head.is_none_or(|h| h < start || h >= end))?;
            if words[head].upos == "PROPN" {
                return Some((start, end, false, t));
            }
            // "the poet Ahmed Shawqi": a name closing a described mention
            // is the name of its entity; not one after a preposition ("the
            // mayor of Lindow").
            let last = words.iter().rposition(|w| w.upos != "PUNCT")?;
            let first = (0..=last)
                .rev()
                .take_while(|&k| words[k].upos == "PROPN")
                .last()?;
            (first > 0 && words[first - 1].upos != "ADP").then_some((
                start + first,
                start + last + 1,
                true,
                t,
            ))
        })
        .collect();
    // Longest first among those that start together; of two alike, the
    // one GUM brackets.
    candidates.sort_by_key(|&(start, end, derived, t)| (start, std::cmp::Reverse(end), derived, t));
    let mut out: Vec<Mention> = Vec::new();
    for (start, end, _, t) in candidates {
        // Brackets nest, so a mention that overlaps a kept one lies inside it.
        if out.last().is_none_or(|k| start >= k.1) {
            out.push((start, end, t));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::conllu;

    #[test]
    fn classes_encode_and_decode() {
        let m = vec![
            (0, 2, MentionType::Person),
            (3, 4, MentionType::Place),
            (4, 7, MentionType::Organization),
        ];
        let c = encode(&m, 8);
        assert!(valid(&c));
        assert_eq!(spans(&c), m);
        assert_eq!(c[7] as usize, OUTSIDE);
        assert_eq!(
            parts(c[5] as usize),
            Some((MentionType::Organization, Part::Inside))
        );
        for k in 0..CLASSES {
            assert_eq!(
                parts(k).map(|(t, p)| class(t, p)),
                (k != OUTSIDE).then_some(k)
            );
        }
        let i = class(MentionType::Person, Part::Inside) as u8;
        let b = class(MentionType::Person, Part::Begin) as u8;
        let l = class(MentionType::Place, Part::Last) as u8;
        assert!(!valid(&[i]), "I at the start");
        assert!(!valid(&[b]), "B at the end");
        assert!(!valid(&[b, l]), "L of another type");
        assert!(!valid(&[b, 0, l]), "O inside a mention");
    }

    /// Whatever the scores, the decoder's classes are valid BILOU; and
    /// where the scores ask for an invalid sequence, it takes the best
    /// valid step at each word.
    #[test]
    fn decoding_is_always_valid() {
        let mut rng = Rng::new(7);
        let mut out = Vec::new();
        for _ in 0..2000 {
            let n = rng.below(12);
            decode(
                n,
                |_, _, _, scores| {
                    for s in scores.iter_mut() {
                        *s = rng.below(1000) as f32 / 100.0 - 5.0;
                    }
                },
                &mut out,
            );
            assert_eq!(out.len(), n);
            assert!(valid(&out), "{out:?}");
            assert_eq!(encode(&spans(&out), n), out);
        }
        // Scores that want I, then B at the end: a unit, then a unit.
        let person = |p| class(MentionType::Person, p);
        decode(
            2,
            |i, _, _, scores| {
                scores.fill(0.0);
                if i == 0 {
                    scores[person(Part::Inside)] = 3.0;
                    scores[person(Part::Unit)] = 2.0;
                } else {
                    scores[person(Part::Begin)] = 3.0;
                    scores[class(MentionType::Place, Part::Unit)] = 1.0;
                }
            },
            &mut out,
        );
        assert_eq!(
            spans(&out),
            [(0, 1, MentionType::Person), (1, 2, MentionType::Place)]
        );
        // Once a mention is open, its type is kept until it closes.
        decode(
            3,
            |i, _, _, scores| {
                scores.fill(0.0);
                scores[match i {
                    0 => person(Part::Begin),
                    _ => class(MentionType::Organization, Part::Last),
                }] = 5.0;
                scores[person(Part::Inside)] = 1.0;
            },
            &mut out,
        );
        assert_eq!(spans(&out), [(0, 3, MentionType::Person)]);
    }

    #[test]
    fn reads_brackets() {
        assert_eq!(brackets("SpaceAfter=No").unwrap(), []);
        assert_eq!(
            brackets("Discourse=x:1|Entity=(4-organization-new-cf5-1,2-coref-Big_%28Co%29(5-place-new-sgl-Town)|XML=<a>")
                .unwrap(),
            [
                Bracket::Open { id: "4", etype: "organization", closes: false },
                Bracket::Open { id: "5", etype: "place", closes: true },
            ]
        );
        assert_eq!(
            brackets("Entity=4)1)(7-time-new-sgl)").unwrap(),
            [
                Bracket::Close { id: "4" },
                Bracket::Close { id: "1" },
                Bracket::Open {
                    id: "7",
                    etype: "time",
                    closes: true
                },
            ]
        );
        assert!(brackets("Entity=(4)").is_err());
        assert!(brackets("Entity=4").is_err());
    }

    /// A GUM-style sentence from (form, UPOS, head, MISC) rows.
    fn sentence(rows: &[(&str, &str, usize, &str)]) -> Sentence {
        let mut text = String::from("# newdoc id = invented\n");
        for (i, (form, upos, head, misc)) in rows.iter().enumerate() {
            text.push_str(&format!(
                "{}\t{form}\t{form}\t{upos}\t_\t_\t{head}\tdep\t_\t{misc}\n",
                i + 1
            ));
        }
        conllu::parse(&text).unwrap().remove(0)
    }

    /// "the poet Ada Byrne": GUM brackets the described person once; the
    /// name closing it is taught as the person's name.
    #[test]
    fn a_name_closing_a_description_is_taught() {
        let rows = [
            ("the", "DET", 2, "Entity=(1-person-new-sgl"),
            ("poet", "NOUN", 0, "_"),
            ("Ada", "PROPN", 2, "_"),
            ("Byrne", "PROPN", 3, "Entity=1)"),
        ];
        let s = &sentence(&rows);
        assert_eq!(gum_mentions(s).unwrap(), [(2, 4, MentionType::Person)]);
    }

    /// Lines written for this test, in GUM's style: nesting, one-word
    /// mentions, a mention with no proper noun ("her aunt"), one that holds
    /// a name but is headed by a common noun ("The mayor of Lindow"), a
    /// named one inside a mention of another type, and a coordination.
    #[test]
    fn finds_the_named_outermost_mentions() {
        // Form, UPOS, head (1-based, 0 for the root), MISC.
        let rows = [
            ("The", "DET", 2, "Entity=(1-person-new-sgl"),
            ("mayor", "NOUN", 5, "_"),
            ("of", "ADP", 4, "_"),
            ("Lindow", "PROPN", 2, "Entity=(2-place-new-sgl-Lindow)1)"),
            ("met", "VERB", 0, "_"),
            ("Ada", "PROPN", 5, "Entity=(3-person-new-coref-Ada_Byrne"),
            ("Byrne", "PROPN", 6, "Entity=3)"),
            ("at", "ADP", 12, "_"),
            (
                "the",
                "DET",
                11,
                "Entity=(4-event-new-sgl(5-organization-new-sgl",
            ),
            ("Corvel", "PROPN", 11, "_"),
            ("Trust", "PROPN", 12, "Entity=5)"),
            ("meeting", "NOUN", 5, "Entity=4)"),
            ("with", "ADP", 15, "_"),
            (
                "her",
                "PRON",
                15,
                "Entity=(6-person-giv-sgl(3-person-giv-coref)",
            ),
            ("aunt", "NOUN", 12, "Entity=6)"),
            ("in", "ADP", 17, "_"),
            (
                "Osk",
                "PROPN",
                5,
                "Entity=(7-place-new-sgl(8-place-new-sgl-Osk)",
            ),
            ("and", "CCONJ", 19, "_"),
            ("Vell", "PROPN", 17, "Entity=(9-place-new-sgl-Vell)7)"),
            (".", "PUNCT", 5, "_"),
        ];
        let s = &sentence(&rows);
        let all = bracketed(s).unwrap();
        assert_eq!(all.len(), 10);
        assert!(all.contains(&(0, 4, "person".into())));
        assert!(all.contains(&(8, 12, "event".into())));
        assert!(all.contains(&(13, 14, "person".into())));
        use MentionType::*;
        assert_eq!(
            gum_mentions(s).unwrap(),
            [
                (3, 4, Place),
                (5, 7, Person),
                (8, 11, Organization),
                (16, 19, Place)
            ]
        );
        // A bracket that closes nothing, or one left open, is an error.
        let mut bad = s.clone();
        bad.words[1].misc = "Entity=9)".into();
        assert!(bracketed(&bad).unwrap_err().contains("word 2"));
        bad.words[1].misc = "Entity=(9-place-new".into();
        assert!(bracketed(&bad).unwrap_err().contains("never closes"));
    }
}
