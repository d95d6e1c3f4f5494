//! The part-of-speech tagger: a greedy left-to-right averaged perceptron
//! over Universal POS tags, with the words' spelling, their neighbours and
//! the two tags before. Frequent words that the training data always tags
//! alike are tagged from a dictionary.

use super::perceptron::{self, feature, Exact, KeyMap, Rng, Score, Trainer, Weights};
use super::words::WordFeatures;

/// The trained tagger.
#[derive(Clone, Debug, Default)]
pub struct Tagger {
    /// Tag names, by class index.
    pub tags: Vec<String>,
    /// Words (their `norm` hash) with one tag only.
    pub dictionary: KeyMap<u8>,
    pub weights: Weights,
}

/// The gold tag of a training word whose tag is not known: it is read as
/// context and not learned from.
pub const UNTAGGED: u8 = u8::MAX;

const NONE: u64 = 0x5EED;
const START: u64 = 0x57A7;

/// The features of word `i` given the two tags before it.
pub fn features(words: &[WordFeatures], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    let w = &words[i];
    let at = |k: isize| -> Option<&WordFeatures> {
        let j = i as isize + k;
        (j >= 0).then(|| words.get(j as usize)).flatten()
    };
    let norm = |k: isize| at(k).map_or(if k < 0 { START } else { NONE }, |w| w.norm);
    let suffix3 = |k: isize| at(k).map_or(NONE, |w| w.suffix3);
    let shape = |k: isize| at(k).map_or(NONE, |w| w.shape);
    out.extend([
        feature(0, &[]),
        feature(1, &[w.norm]),
        feature(2, &[w.suffix3]),
        feature(3, &[w.suffix2]),
        feature(4, &[w.prefix1]),
        feature(5, &[w.shape]),
        feature(6, &[p1]),
        feature(7, &[p2, p1]),
        feature(8, &[p1, w.norm]),
        feature(9, &[norm(-1)]),
        feature(10, &[suffix3(-1)]),
        feature(11, &[norm(-2)]),
        feature(12, &[norm(1)]),
        feature(13, &[suffix3(1)]),
        feature(14, &[norm(2)]),
        feature(15, &[shape(-1), w.shape]),
        feature(16, &[shape(1)]),
        feature(17, &[(i == 0) as u64, w.capital as u64]),
        feature(18, &[w.norm, norm(1)]),
        feature(19, &[norm(-1), w.norm]),
        feature(20, &[p1, w.suffix3]),
    ]);
}

impl Tagger {
    /// Tags a sentence: one tag index a word.
    pub fn tag(&self, words: &[WordFeatures], out: &mut Vec<u8>) {
        self.tag_fixed(words, &[], out);
    }

    /// Tags a sentence, some of whose words have a tag given (`fixed[i]`,
    /// if `fixed` reaches `i`): those keep it, and the words after them
    /// read it as the tag before.
    pub fn tag_fixed(&self, words: &[WordFeatures], fixed: &[Option<u8>], out: &mut Vec<u8>) {
        self.tag_by(&self.weights, words, fixed, out);
    }

    /// Tags with other weights than the model's (in training, the
    /// full-precision weights of [`Tagger::train_exact`]).
    pub fn tag_by(
        &self,
        weights: &impl Score,
        words: &[WordFeatures],
        fixed: &[Option<u8>],
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let mut feats = Vec::with_capacity(24);
        let mut scores = vec![0.0; self.tags.len()];
        for i in 0..words.len() {
            if let Some(Some(t)) = fixed.get(i) {
                out.push(*t);
                continue;
            }
            let tag = match self.dictionary.get(&words[i].norm) {
                Some(&t) => t,
                None => {
                    let (p1, p2) = previous(out, i);
                    features(words, i, p1, p2, &mut feats);
                    weights.score(&feats, &mut scores);
                    perceptron::best(&scores, |_| true).unwrap_or(0) as u8
                }
            };
            out.push(tag);
        }
    }

    /// Trains on sentences of words and gold tag indices ([`UNTAGGED`] for
    /// a word that is context only), `iterations` passes in an order
    /// shuffled by a fixed seed.
    pub fn train(
        tags: Vec<String>,
        sentences: &[(Vec<WordFeatures>, Vec<u8>)],
        iterations: usize,
    ) -> Tagger {
        Tagger::train_exact(tags, sentences, iterations).0
    }

    /// [`Tagger::train`], with its weights at full precision too.
    pub fn train_exact(
        tags: Vec<String>,
        sentences: &[(Vec<WordFeatures>, Vec<u8>)],
        iterations: usize,
    ) -> (Tagger, Exact) {
        let dictionary = dictionary(sentences, tags.len());
        let mut trainer = Trainer::new(tags.len());
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = Rng::new(0x7A66E5);
        let mut feats = Vec::with_capacity(24);
        let mut scores = vec![0.0; tags.len()];
        let mut guessed = Vec::new();
        for _ in 0..iterations {
            rng.shuffle(&mut order);
            for &s in &order {
                let (words, gold) = &sentences[s];
                guessed.clear();
                for i in 0..words.len() {
                    if gold[i] != UNTAGGED && dictionary.contains_key(&words[i].norm) {
                        guessed.push(gold[i]);
                        continue;
                    }
                    let (p1, p2) = previous(&guessed, i);
                    features(words, i, p1, p2, &mut feats);
                    trainer.score(&feats, &mut scores);
                    let guess = perceptron::best(&scores, |_| true).unwrap_or(0);
                    if gold[i] != UNTAGGED {
                        trainer.update(&feats, gold[i] as usize, guess);
                    }
                    guessed.push(guess as u8);
                }
            }
        }
        let exact = trainer.average_exact(perceptron::LEAST);
        let tagger = Tagger {
            tags,
            dictionary,
            weights: exact.quantize(),
        };
        (tagger, exact)
    }
}

fn previous(tags: &[u8], i: usize) -> (u64, u64) {
    let tag = |k: usize| i.checked_sub(k).map_or(START, |j| tags[j] as u64);
    (tag(1), tag(2))
}

/// Words seen at least 10 times with the same tag at least 99% of the time.
fn dictionary(sentences: &[(Vec<WordFeatures>, Vec<u8>)], tags: usize) -> KeyMap<u8> {
    let mut counts: KeyMap<Vec<u32>> = KeyMap::default();
    for (words, gold) in sentences {
        for (w, &t) in words.iter().zip(gold).filter(|(_, &t)| t != UNTAGGED) {
            counts.entry(w.norm).or_insert_with(|| vec![0; tags])[t as usize] += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(w, c)| {
            let total: u32 = c.iter().sum();
            let (tag, &most) = c
                .iter()
                .enumerate()
                .max_by_key(|&(i, n)| (*n, usize::MAX - i))?;
            (total >= 10 && most as f64 >= 0.99 * total as f64).then_some((w, tag as u8))
        })
        .collect()
}
