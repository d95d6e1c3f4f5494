//! The reading layer: tokens, parts of speech, lemmas and dependency trees
//! for the sentences the relation rules read, and the names of persons,
//! places and organizations in them, from a model the project trains
//! itself (`stratagraph train`) on openly licensed treebanks.
//!
//! Like extraction, reading does no IO: the model is loaded once
//! ([`Reader::load`]) and each sentence is read from a `&str`.

pub mod brown;
pub mod conllu;
pub mod lemma;
pub mod mentions;
pub mod model;
pub mod parser;
pub mod perceptron;
pub mod tagger;
pub mod tokens;
pub mod train;
pub mod words;

use std::path::Path;

use crate::error::{Error, Result};
pub use mentions::MentionType;
pub use model::Model;

/// The file name of the model in an ontology directory.
pub const MODEL_FILE: &str = "reader.model";

/// Tags whose words are function words: the labeller looks at them when
/// they hang under either end of an arc ("by", "was", "to").
const FUNCTION_TAGS: [&str; 6] = ["ADP", "AUX", "PART", "SCONJ", "CCONJ", "DET"];

/// A loaded model, ready to read sentences.
#[derive(Clone, Debug)]
pub struct Reader {
    pub model: Model,
    function_tags: Vec<bool>,
    lemmas: lemma::Index,
}

/// A sentence read: for each word its tag, lemma, head and label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    pub tags: Vec<u8>,
    pub lemmas: Vec<String>,
    /// Index of each word's head; `None` for the root word.
    pub heads: Vec<Option<u32>>,
    pub labels: Vec<u8>,
}

impl Reader {
    pub fn new(model: Model) -> Reader {
        let function_tags = model
            .tagger
            .tags
            .iter()
            .map(|t| FUNCTION_TAGS.contains(&t.as_str()))
            .collect();
        let lemmas = lemma::Index::new(&model.lemmatizer);
        Reader {
            model,
            function_tags,
            lemmas,
        }
    }

    /// Loads and checks a model file.
    pub fn load(path: &Path) -> Result<Reader> {
        let bytes = std::fs::read(path).map_err(|e| Error::reading(path, e))?;
        let model = Model::from_bytes(&bytes).map_err(|message| Error::Model {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(Reader::new(model))
    }

    pub fn tag_name(&self, tag: u8) -> &str {
        &self.model.tagger.tags[tag as usize]
    }

    pub fn label_name(&self, label: u8) -> &str {
        &self.model.parser.labels[label as usize]
    }

    /// The index of a tag name, if the model has it.
    pub fn tag_id(&self, name: &str) -> Option<u8> {
        self.model
            .tagger
            .tags
            .iter()
            .position(|t| t == name)
            .map(|i| i as u8)
    }

    /// The index of a label name, if the model has it.
    pub fn label_id(&self, name: &str) -> Option<u8> {
        self.model
            .parser
            .labels
            .iter()
            .position(|t| t == name)
            .map(|i| i as u8)
    }

    /// Tags, lemmatizes and parses one sentence of words.
    pub fn read(&self, forms: &[&str]) -> Analysis {
        self.read_fixed(forms, &[])
    }

    /// Reads one sentence some of whose words have a part of speech given
    /// (`fixed`, by word; a name known to be one is a `PROPN`).
    pub fn read_fixed(&self, forms: &[&str], fixed: &[Option<u8>]) -> Analysis {
        let mut features = Vec::with_capacity(forms.len());
        words::features(forms, &mut features);
        let mut tags = Vec::with_capacity(forms.len());
        self.model.tagger.tag_fixed(&features, fixed, &mut tags);
        let tree = self
            .model
            .parser
            .parse(&features, &tags, &self.function_tags);
        let mut norm = String::new();
        let lemmas = forms
            .iter()
            .zip(&tags)
            .map(|(f, &t)| {
                words::normalize(f, &mut norm);
                if norm.starts_with('!') {
                    f.to_string()
                } else {
                    self.lemmas.lemma(t, &norm)
                }
            })
            .collect();
        Analysis {
            tags,
            lemmas,
            heads: tree.heads,
            labels: tree.labels,
        }
    }

    /// The named mentions of persons, places and organizations in one
    /// sentence of words, given their tags (as [`Reader::read`] or
    /// [`Reader::tag`] gives them, one a word): for each, the range
    /// `start..end` of word indices and its type, in order, none
    /// overlapping.
    pub fn mentions(&self, forms: &[&str], tags: &[u8]) -> Vec<(usize, usize, MentionType)> {
        debug_assert_eq!(forms.len(), tags.len());
        let mut words = Vec::with_capacity(forms.len());
        words::features(forms, &mut words);
        let mut affixes = Vec::with_capacity(forms.len());
        mentions::affixes(forms, &mut affixes);
        self.model.mentions.find(&mentions::Input {
            words: &words,
            affixes: &affixes,
            tags,
        })
    }

    /// Tags one sentence and finds its named mentions: what
    /// [`Reader::tag`] and then [`Reader::mentions`] give, each word's
    /// spelling read once for both.
    pub fn tag_and_mentions(&self, forms: &[&str]) -> (Vec<u8>, Vec<(usize, usize, MentionType)>) {
        let mut words = Vec::with_capacity(forms.len());
        let mut affixes = Vec::with_capacity(forms.len());
        let mut norm = String::new();
        let mut shape = String::new();
        for form in forms {
            words::normalize(form, &mut norm);
            shape.clear();
            words::shape_into(form, &mut shape);
            words.push(words::word_features(form, &norm, &shape));
            affixes.push(mentions::Affixes::of(&norm));
        }
        let mut tags = Vec::with_capacity(forms.len());
        self.model.tagger.tag(&words, &mut tags);
        let found = self.model.mentions.find(&mentions::Input {
            words: &words,
            affixes: &affixes,
            tags: &tags,
        });
        (tags, found)
    }

    /// Whether the training data always tags a word (in any case) as
    /// something other than `tag`: "water" is a noun, whatever its capital.
    pub fn always_other_than(&self, form: &str, tag: u8) -> bool {
        let mut norm = String::new();
        words::normalize(form, &mut norm);
        self.model
            .tagger
            .dictionary
            .get(&perceptron::word(&norm))
            .is_some_and(|&t| t != tag)
    }

    /// Only tags one sentence (for evaluating the tagger alone).
    pub fn tag(&self, forms: &[&str]) -> Vec<u8> {
        let mut features = Vec::with_capacity(forms.len());
        words::features(forms, &mut features);
        let mut tags = Vec::new();
        self.model.tagger.tag(&features, &mut tags);
        tags
    }

    /// Reads every sentence of a text and writes it as CoNLL-U (ID, FORM,
    /// LEMMA, UPOS, HEAD, DEPREL; MISC holds the byte span and, where the
    /// mention finder opens or closes a name, `Entity=(person` / `)` as in
    /// GUM), for a person checking what the relation rules see.
    pub fn conllu(&self, text: &str, abbreviations: &[String], out: &mut String) {
        use std::fmt::Write;
        let splitter = crate::text::Splitter::new(abbreviations);
        let (masked, sentences) = splitter.prepare(text);
        let is_abbreviation = |w: &str| abbreviations.iter().any(|a| a == w);
        let mut spans = Vec::new();
        for sentence in sentences {
            spans.clear();
            tokens::tokenize(&masked, sentence.span, &is_abbreviation, &mut spans);
            if spans.is_empty() {
                continue;
            }
            let forms: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
            let a = self.read(&forms);
            let found = self.mentions(&forms, &a.tags);
            let _ = writeln!(
                out,
                "# text = {}",
                text[sentence.span.start..sentence.span.end].replace('\n', " ")
            );
            for (i, form) in forms.iter().enumerate() {
                let mut entity = String::new();
                for &(start, end, kind) in &found {
                    if start == i {
                        entity.push('(');
                        entity.push_str(kind.name());
                    }
                    if end == i + 1 {
                        entity.push(')');
                    }
                }
                if !entity.is_empty() {
                    entity.insert_str(0, "|Entity=");
                }
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t_\t_\t{}\t{}\t_\tSpan={}-{}{}",
                    i + 1,
                    form,
                    a.lemmas[i],
                    self.tag_name(a.tags[i]),
                    a.heads[i].map_or(0, |h| h + 1),
                    self.label_name(a.labels[i]),
                    spans[i].start,
                    spans[i].end,
                    entity
                );
            }
            out.push('\n');
        }
    }

    pub(crate) fn function_tags(&self) -> &[bool] {
        &self.function_tags
    }
}
