//! The reading layer against the treebanks: the committed model's held-out
//! scores (tagger, parser, mention finder) stay above floors, GUM's entity
//! brackets all read, and a damaged model file stops a build with the
//! file's name. The corpus tests are skipped, with a message, where
//! `../shared/corpora` is absent.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_ontology, root, stderr, stratagraph};
use stratagraph::read::conllu::Sentence;
use stratagraph::read::mentions::{self, MentionType};
use stratagraph::read::train::{self, held_out};
use stratagraph::read::{model, Reader, MODEL_FILE};

fn corpora() -> Option<PathBuf> {
    let dir = root().join("../shared/corpora");
    if dir.join("gum/dep").is_dir() && dir.join("ud-english-ewt").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

fn reader() -> Reader {
    Reader::load(&root().join("ontology").join(MODEL_FILE)).expect("the committed model loads")
}

fn held(sentences: Vec<Sentence>) -> Vec<Sentence> {
    sentences.into_iter().filter(|s| held_out(&s.doc)).collect()
}

/// Every `Entity=` bracket of GUM reads and closes within its sentence,
/// and the mentions of the three types are as many as the corpora README
/// counts (person 6,787, place 3,770, organization 1,879).
#[test]
fn gum_brackets_all_read() {
    let Some(dir) = corpora() else { return };
    let gum = train::gum(&dir).unwrap();
    let mut counts = [0usize; 3];
    let (mut named, mut with_determiner, mut words) = (0, 0, 0);
    for s in &gum {
        for (_, _, etype) in mentions::bracketed(s).unwrap_or_else(|e| panic!("{}: {e}", s.doc)) {
            if let Some(t) = MentionType::from_name(&etype) {
                counts[t as usize] += 1;
            }
        }
        let kept = mentions::gum_mentions(s).unwrap();
        assert!(mentions::valid(&mentions::encode(&kept, s.words.len())));
        for &(start, end, _) in &kept {
            named += 1;
            words += end - start;
            with_determiner += (s.words[start].upos == "DET") as usize;
        }
    }
    assert_eq!(counts, [6787, 3770, 1879]);
    eprintln!(
        "{named} named outermost mentions, {:.2} words each, {with_determiner} opening with a determiner",
        words as f64 / named as f64
    );
    assert_eq!(named, 4148);
}

/// The committed model's held-out scores stay above floors a little below
/// those measured when it was trained (see its `about` text).
#[test]
fn held_out_scores_stay_above_floors() {
    let Some(dir) = corpora() else { return };
    let reader = reader();
    let held_all = held(train::treebanks(&dir).unwrap());
    let s = train::evaluate(&reader, &held_all);
    eprintln!(
        "held out: {} sentences, {} words: UPOS {:.4}, lemma {:.4}, UAS {:.4}, LAS {:.4}",
        s.sentences, s.words, s.upos, s.lemma, s.uas, s.las
    );
    // Trained: UPOS 0.950, UAS 0.810, LAS 0.771.
    assert!(s.upos >= 0.94, "UPOS {:.4}", s.upos);
    assert!(s.uas >= 0.80, "UAS {:.4}", s.uas);
    assert!(s.las >= 0.76, "LAS {:.4}", s.las);

    let m = train::evaluate_mentions(&reader, &held(train::gum(&dir).unwrap())).unwrap();
    eprintln!("mentions held out: {m}");
    // Trained: typed P 0.555 R 0.502 F1 0.527; untyped P 0.625 R 0.564 F1 0.593.
    assert_eq!(m.gold, 622, "{m}");
    assert!(m.typed.precision >= 0.53, "typed {}", m.typed);
    assert!(m.typed.recall >= 0.48, "typed {}", m.typed);
    assert!(m.typed.f1 >= 0.50, "typed {}", m.typed);
    assert!(m.untyped.f1 >= 0.57, "untyped {}", m.untyped);
}

/// A copy of `ontology/` whose model file is replaced by `bytes`.
fn ontology_with_model(bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_ontology(dir.path());
    std::fs::write(dir.path().join(MODEL_FILE), bytes).unwrap();
    dir
}

fn build_fails_naming_the_model(ontology: &Path, what: &str) {
    let out = tempfile::tempdir().unwrap();
    let seeds = root().join("seeds");
    let o = stratagraph(
        out.path(),
        &[
            "build",
            seeds.to_str().unwrap(),
            "--ontology-dir",
            ontology.to_str().unwrap(),
            "--out",
            "out",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    let model = ontology.join(MODEL_FILE);
    assert!(err.contains(model.to_str().unwrap()), "{what}: {err}");
    assert!(
        !out.path().join("out").exists(),
        "{what}: nothing is written"
    );
    eprintln!("{what}: {err}");
}

/// A model cut short, or of another format version, stops the build with
/// exit status 2 and the model file's name.
#[test]
fn a_damaged_model_stops_the_build() {
    let bytes = std::fs::read(root().join("ontology").join(MODEL_FILE)).unwrap();
    let truncated = ontology_with_model(&bytes[..bytes.len() - 1000]);
    build_fails_naming_the_model(truncated.path(), "truncated");
    let mut old = bytes.clone();
    old[8..12].copy_from_slice(&(model::VERSION - 1).to_le_bytes());
    let old = ontology_with_model(&old);
    build_fails_naming_the_model(old.path(), "version");
}
