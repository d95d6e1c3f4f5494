//! Extraction: from a document's text to entity mentions and relations,
//! each with byte offsets into the original text. This stage does no IO:
//! it reads a `&str` and the ontology, and returns plain values.

pub mod dates;
pub mod gazetteer;
mod relations;
pub mod words;

use crate::ontology::{ClassId, Containment, CueKind, EntryId, Ontology, PropertyId};
use crate::text::{Sentence, Span, Splitter};
use dates::When;
use gazetteer::{Gazetteer, Hit};
use words::{Token, Words};

/// A name of a known entity in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    pub entry: EntryId,
    /// The gazetteer label that matched (see [`Extractor::label`]).
    pub label: u32,
    pub span: Span,
    pub sentence: u32,
    /// For a name inside another name ("Trump" in "Trump administration"),
    /// the index of the outer mention.
    pub inside: Option<u32>,
}

/// How a relation was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// S verb O.
    VerbActive,
    /// O be verb by S.
    VerbPassive,
    /// O verb S, for verbs whose object is the property's subject.
    VerbInverse,
    /// S's act-noun O.
    ActionNoun,
    /// S, the role-noun of O.
    RoleNoun,
    /// S phrase O, both ways.
    Symmetric,
    /// One name holds the other.
    NameContainment,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::VerbActive => "verb.active",
            Rule::VerbPassive => "verb.passive",
            Rule::VerbInverse => "verb.inverse",
            Rule::ActionNoun => "noun.action",
            Rule::RoleNoun => "noun.role",
            Rule::Symmetric => "phrase.symmetric",
            Rule::NameContainment => "name.containment",
        }
    }

    fn confidence(self) -> f32 {
        match self {
            Rule::VerbActive | Rule::VerbPassive | Rule::VerbInverse => 0.8,
            Rule::RoleNoun => 0.75,
            Rule::ActionNoun | Rule::Symmetric => 0.7,
            Rule::NameContainment => 0.6,
        }
    }
}

/// A relation between two mentions of one sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    pub property: PropertyId,
    /// Indices into [`Extraction::mentions`].
    pub subject: u32,
    pub object: u32,
    pub sentence: u32,
    pub rule: Rule,
    /// The cue phrase of the ontology that fired, if any.
    pub cue: Option<usize>,
    /// The words of the text that matched the cue (or the outer name).
    pub cue_span: Span,
    pub confidence: f32,
    pub when: Option<When>,
    /// The modal word that weakened the relation.
    pub modality: Option<Span>,
    /// The subject was taken from the start of the sentence, not its clause.
    pub distant_subject: bool,
}

/// Everything extracted from one document.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub relations: Vec<Relation>,
    /// Cues whose relation was negated ("did not attack") and dropped.
    pub negated: usize,
}

/// The compiled extractor: automata and indices built once from the
/// ontology, then shared by every document.
pub struct Extractor {
    pub ontology: Ontology,
    splitter: Splitter,
    gazetteer: Gazetteer,
    words: Words,
    /// Properties that names holding names state, by priority.
    containment: Vec<(PropertyId, Containment)>,
}

/// Reusable buffers, so that extraction allocates per document, not per sentence.
#[derive(Default)]
struct Scratch {
    hits: Vec<Hit>,
    tokens: Vec<Token>,
    lower: String,
}

impl Extractor {
    pub fn new(ontology: Ontology) -> Extractor {
        let splitter = Splitter::new(&ontology.lexicon.abbreviations);
        let gazetteer = Gazetteer::new(&ontology);
        let words = Words::new(&ontology);
        let mut containment: Vec<(i64, PropertyId, Containment)> = ontology
            .properties
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.containment.map(|c| (p.priority, i, c)))
            .collect();
        containment.sort();
        Extractor {
            splitter,
            gazetteer,
            words,
            containment: containment.into_iter().map(|(_, p, c)| (p, c)).collect(),
            ontology,
        }
    }

    /// The gazetteer label a mention matched.
    pub fn label(&self, mention: &Mention) -> &str {
        self.gazetteer.label(mention.label)
    }

    pub fn class_of(&self, mention: &Mention) -> ClassId {
        self.ontology.entries[mention.entry].class
    }

    pub fn cue_kind(&self, cue: usize) -> CueKind {
        self.ontology.cues[cue].kind
    }

    /// Extracts mentions and relations from one text.
    pub fn extract(&self, text: &str) -> Extraction {
        let mut scratch = Scratch::default();
        let (masked, sentences) = self.splitter.prepare(text);
        let mut out = Extraction {
            sentences,
            ..Extraction::default()
        };
        self.find_mentions(&masked, &mut out, &mut scratch);
        let mut sentence_mentions = Vec::new();
        let mut first_mention = 0;
        for index in 0..out.sentences.len() {
            // The top-level mentions of this sentence, in order.
            sentence_mentions.clear();
            while first_mention < out.mentions.len() && out.mentions[first_mention].sentence < index as u32 {
                first_mention += 1;
            }
            let mut m = first_mention;
            while m < out.mentions.len() && out.mentions[m].sentence == index as u32 {
                if out.mentions[m].inside.is_none() {
                    sentence_mentions.push(m as u32);
                }
                m += 1;
            }
            if sentence_mentions.len() < 2 {
                continue;
            }
            let sentence = out.sentences[index];
            scratch.tokens.clear();
            self.words
                .tokenize(&masked, sentence.span, &mut scratch.lower, &mut scratch.tokens);
            relations::sentence(self, &masked, index as u32, &sentence_mentions, &scratch.tokens, &mut out);
        }
        dedup_relations(&mut out.relations);
        out
    }

    /// Finds gazetteer mentions, assigns them to sentences, and looks inside
    /// multi-word names for the names they hold.
    fn find_mentions(&self, masked: &str, out: &mut Extraction, scratch: &mut Scratch) {
        scratch.hits.clear();
        self.gazetteer
            .find(masked, Span::new(0, masked.len()), &mut scratch.hits);
        let mut s = 0;
        for hit in &scratch.hits {
            while s < out.sentences.len() && out.sentences[s].span.end <= hit.span.start {
                s += 1;
            }
            let Some(sentence) = out.sentences.get(s) else { break };
            if !sentence.span.contains(hit.span) {
                continue;
            }
            let outer = out.mentions.len() as u32;
            out.mentions.push(Mention {
                entry: hit.entry,
                label: hit.label,
                span: hit.span,
                sentence: s as u32,
                inside: None,
            });
            if masked[hit.span.start..hit.span.end].contains(' ') {
                self.inner_mentions(masked, outer, out);
            }
        }
    }

    /// Names inside a name: the inner name must open the outer one, or
    /// follow its "of". A containment relation is recorded when the
    /// ontology says which property such names state.
    fn inner_mentions(&self, masked: &str, outer: u32, out: &mut Extraction) {
        let o = out.mentions[outer as usize];
        let mut hits = Vec::new();
        // Prefix names: search the outer name without its last character.
        self.gazetteer
            .find(masked, Span::new(o.span.start, o.span.end - 1), &mut hits);
        hits.retain(|h| h.span.start == o.span.start);
        // Names after "of" or "of the".
        let text = &masked[o.span.start..o.span.end];
        let mut of_hits = Vec::new();
        for (i, _) in text.match_indices(" of ") {
            let mut from = o.span.start + i + 4;
            let mut with_the = false;
            if masked[from..o.span.end].starts_with("the ") {
                from += 4;
                with_the = true;
            }
            let mut found = Vec::new();
            self.gazetteer.find(masked, Span::new(from, o.span.end), &mut found);
            if let Some(h) = found.into_iter().find(|h| h.span.start == from && h.span.end == o.span.end) {
                of_hits.push((h, with_the));
            }
        }
        let candidates = hits
            .into_iter()
            .map(|h| (h, None))
            .chain(of_hits.into_iter().map(|(h, the)| (h, Some(the))));
        for (hit, of_form) in candidates {
            if hit.entry == o.entry {
                continue;
            }
            let inner_class = self.ontology.entries[hit.entry].class;
            let outer_class = self.ontology.entries[o.entry].class;
            let fits = |p: PropertyId, s: ClassId, t: ClassId| {
                let prop = &self.ontology.properties[p];
                self.ontology.classes[s].ancestors.intersects(prop.domain)
                    && self.ontology.classes[t].ancestors.intersects(prop.range)
                    && prop.domain.intersects(self.class_bit(s))
                    && prop.range.intersects(self.class_bit(t))
            };
            let chosen = self.containment.iter().find(|&&(p, c)| match c {
                // "X of Y" makes Y the whole only with a determiner: "of the European Union".
                Containment::OuterIsSubject => of_form != Some(false) && fits(p, outer_class, inner_class),
                Containment::InnerIsSubject => fits(p, inner_class, outer_class),
            });
            let Some(&(property, containment)) = chosen else { continue };
            let inner = out.mentions.len() as u32;
            out.mentions.push(Mention {
                entry: hit.entry,
                label: hit.label,
                span: hit.span,
                sentence: o.sentence,
                inside: Some(outer),
            });
            let (subject, object) = match containment {
                Containment::OuterIsSubject => (outer, inner),
                Containment::InnerIsSubject => (inner, outer),
            };
            out.relations.push(Relation {
                property,
                subject,
                object,
                sentence: o.sentence,
                rule: Rule::NameContainment,
                cue: None,
                cue_span: o.span,
                confidence: Rule::NameContainment.confidence(),
                when: None,
                modality: None,
                distant_subject: false,
            });
        }
    }

    fn class_bit(&self, class: ClassId) -> crate::ontology::ClassSet {
        crate::ontology::ClassSet::default().with(class)
    }

    /// Whether a mention's class fits a property's domain (`subject`) or range.
    fn fits(&self, mention: &Mention, property: PropertyId, subject: bool) -> bool {
        let p = &self.ontology.properties[property];
        let set = if subject { p.domain } else { p.range };
        set.intersects(self.class_bit(self.class_of(mention)))
    }
}

/// Keeps one relation per (subject entity, property, object entity,
/// sentence): the most confident, then the first.
fn dedup_relations(relations: &mut Vec<Relation>) {
    let mut seen: std::collections::HashMap<(u32, usize, u32, u32), usize> = std::collections::HashMap::new();
    let mut keep = vec![true; relations.len()];
    for (i, r) in relations.iter().enumerate() {
        let key = (r.subject, r.property, r.object, r.sentence);
        match seen.get(&key) {
            Some(&j) if relations[j].confidence >= r.confidence => keep[i] = false,
            Some(&j) => {
                keep[j] = false;
                seen.insert(key, i);
            }
            None => {
                seen.insert(key, i);
            }
        }
    }
    let mut i = 0;
    relations.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    relations.sort_by(|a, b| {
        (a.sentence, a.cue_span, a.property, a.subject, a.object).cmp(&(
            b.sentence,
            b.cue_span,
            b.property,
            b.subject,
            b.object,
        ))
    });
}
