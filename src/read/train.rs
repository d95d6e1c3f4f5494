//! Training and scoring the reading layer on the treebanks of
//! `../shared/corpora` (GUM's openly licensed genres and UD English EWT's
//! dev and test files). Documents are split into training and held-out
//! parts by a hash of their name, so the split is the same on every
//! machine and a document never straddles it. Training is deterministic:
//! fixed shuffles, fixed iteration counts, parallel work joined in order.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::conllu::{self, Sentence};
use super::lemma::Lemmatizer;
use super::model::Model;
use super::parser::{Parser, Tree};
use super::perceptron::word;
use super::tagger::Tagger;
use super::words::{self, WordFeatures};
use super::Reader;
use crate::error::{Error, Result};

/// What `stratagraph train` is asked to do.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub corpora: PathBuf,
    pub out: PathBuf,
    pub tagger_iterations: usize,
    pub parser_iterations: usize,
    /// Parts the training data is cut into to tag it with taggers that did
    /// not see it, so that the parser learns from tags as good as it will get.
    pub folds: usize,
    pub progress: bool,
}

/// The treebanks under a corpora directory, in path order.
pub fn treebanks(corpora: &Path) -> Result<Vec<Sentence>> {
    let mut all = Vec::new();
    for sub in ["gum/dep", "ud-english-ewt"] {
        let dir = corpora.join(sub);
        if !dir.is_dir() {
            return Err(Error::MissingInput { path: dir });
        }
        all.extend(conllu::read_dir(&dir)?);
    }
    Ok(all)
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
    let (training, held) = split(treebanks(&config.corpora)?);
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

    // The tagger on everything, and one per fold on the rest, in parallel.
    let folds = config.folds.max(2);
    let taggers: Vec<Tagger> = (0..=folds)
        .into_par_iter()
        .map(|fold| {
            let part: Vec<(Vec<WordFeatures>, Vec<u8>)> = tagged
                .iter()
                .enumerate()
                .filter(|(i, _)| fold == folds || i % folds != fold)
                .map(|(_, t)| t.clone())
                .collect();
            Tagger::train(tags.clone(), &part, config.tagger_iterations)
        })
        .collect();
    say(&format!(
        "tagger: {} iterations, {} folds ({:.0} s)",
        config.tagger_iterations,
        folds,
        started.elapsed().as_secs_f64()
    ));
    let tagger = taggers[folds].clone();

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
            taggers[i % folds].tag(&features, &mut predicted);
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
    let parser = Parser::train(labels, &parsed, &function_tags, config.parser_iterations);
    say(&format!(
        "parser: {} iterations ({:.0} s)",
        config.parser_iterations,
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
    };
    let reader = Reader::new(model.clone());
    let scores = evaluate(&reader, &held);
    model.about = format!(
        "Stratagraph reader model, format {}. Trained by `stratagraph train` on GUM \
         (academic, bio, court, interview, news, voyage; CC BY 4.0 annotations) and \
         UD English EWT dev+test (CC BY-SA 4.0): {} sentences, {} words; tagger {} \
         iterations, parser {} iterations, {} folds. Held out: {} sentences, {} words: \
         UPOS {:.4}, lemma {:.4}, UAS {:.4}, LAS {:.4}.",
        super::model::VERSION,
        training.len(),
        token_count,
        config.tagger_iterations,
        config.parser_iterations,
        folds,
        scores.sentences,
        scores.words,
        scores.upos,
        scores.lemma,
        scores.uas,
        scores.las
    );
    Ok((model, scores))
}
