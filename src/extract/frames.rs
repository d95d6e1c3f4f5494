//! Relation rules over the dependency parse. A cue of the ontology is a
//! frame: its first word is matched by lemma (or form), its other words
//! follow within a short gap, and a final preposition marks the object
//! ("fight against", "attacks on", "leader of"). The arguments are read
//! off the tree, not off the word order:
//!
//! - verbs: the subject (`nsubj`; inherited through `conj`, `xcomp`,
//!   `advcl`; the noun a relative clause or participle hangs on), the
//!   object (`obj`, or the noun the cue's preposition marks); passives
//!   swap them (`nsubj:pass`, the agent under `by`);
//! - action nouns: the possessor, compound or adjective ("Iran's attacks",
//!   "US invasion", "Iranian strikes"), the agent under `by`, or the
//!   subject of the verb the noun is object of ("X launched attacks on Y");
//! - role nouns: the name in apposition, the one the title describes, or
//!   the copula's subject ("X, the leader of Y", "Y leader X", "X is the
//!   head of Y"), the object under the preposition or as possessor;
//! - symmetric phrases: the subject of the clause the phrase belongs to.
//!
//! Every argument spreads over its conjuncts ("A, B and C"); a noun
//! standing for its group ("PMF forces", "Iranian troops") passes the
//! role to the name that modifies it. A negation under the cue drops the
//! relation; a modal lowers it.

use super::{Extraction, Extractor, Relation, Rule};
use crate::ontology::{CueKind, PropertyId};
use crate::read::{Analysis, Reader};
use crate::text::Span;

/// The longest sentence parsed, in words; longer ones keep the linear
/// rules only, so that reading stays linear in the document's length.
pub const MAX_WORDS: usize = 120;
/// Words that may stand between the words of a cue.
const GAP: usize = 2;

/// A cue compiled for matching over lemmas.
#[derive(Clone, Debug)]
pub struct Frame {
    pub cue: usize,
    pub property: PropertyId,
    pub kind: CueKind,
    pub words: Vec<String>,
    /// The cue ends in a preposition: it marks the object.
    pub preposition: bool,
}

/// The frames of the ontology's cues, by first word.
#[derive(Clone, Debug, Default)]
pub struct Frames {
    pub frames: Vec<Frame>,
    by_first: crate::iri::FastMap<String, Vec<usize>>,
    /// Locative prepositions ("in") with their cue: a verb's phrase under
    /// one puts the verb's subject there.
    locative: Vec<(String, usize)>,
    /// Prepositions that are locative after a verb of motion only ("to").
    motion: Vec<(String, usize)>,
    /// A preposition and the noun after it whose modifier holds what is
    /// under it ("under", "control"), with their cue.
    under: Vec<(String, String, usize)>,
    /// Titles that state a relation with the state named beside them
    /// ("Iraqi Prime Minister X"), as lowercase words without dots.
    titles: Vec<(Vec<String>, usize)>,
    /// Possessive cues, those whose subject is the possessed name first:
    /// (cue, the possessed name is the subject).
    possessives: Vec<(usize, bool)>,
    /// The frames' first words without a final "e" or "y" (irregular
    /// forms are frames of their own): a word that opens with none of them
    /// opens no frame.
    stems: crate::iri::FastSet<String>,
    /// The ontology's place nouns ("province"): such a word in a place
    /// phrase stands for the name compounded with it.
    place_nouns: crate::iri::FastSet<String>,
    /// Place links ("in") with the property each states between places.
    place_links: Vec<(String, PropertyId)>,
    /// Nouns of what is given ("weapons", "training"), with their cues.
    transfers: crate::iri::FastMap<String, Vec<usize>>,
}

impl Frames {
    pub fn new(ontology: &crate::ontology::Ontology) -> Frames {
        let prepositions = &ontology.lexicon.prepositions;
        let mut out = Frames::default();
        for (cue, c) in ontology.cues.iter().enumerate() {
            if c.kind == CueKind::Locative {
                out.locative.push((c.phrase.to_lowercase(), cue));
                continue;
            }
            if c.kind == CueKind::Motion {
                out.motion.push((c.phrase.to_lowercase(), cue));
                continue;
            }
            if c.kind == CueKind::Transfer {
                out.transfers
                    .entry(c.phrase.to_lowercase())
                    .or_default()
                    .push(cue);
                continue;
            }
            if c.kind == CueKind::Under {
                let phrase = c.phrase.to_lowercase();
                if let Some((preposition, noun)) = phrase.split_once(' ') {
                    out.under
                        .push((preposition.to_string(), noun.trim().to_string(), cue));
                }
                continue;
            }
            if c.kind == CueKind::Title {
                out.titles.push((title_words(&c.phrase), cue));
                continue;
            }
            if matches!(c.kind, CueKind::Possessed | CueKind::Possessor) {
                out.possessives.push((cue, c.kind == CueKind::Possessed));
                continue;
            }
            if !matches!(
                c.kind,
                CueKind::Verb
                    | CueKind::InverseVerb
                    | CueKind::ActionNoun
                    | CueKind::RoleNoun
                    | CueKind::Symmetric
            ) {
                continue;
            }
            let words: Vec<String> = c.phrase.split_whitespace().map(str::to_lowercase).collect();
            let Some(first) = words.first() else { continue };
            let preposition =
                words.len() > 1 && words.last().is_some_and(|w| prepositions.contains(w));
            let stem = first
                .strip_suffix(['e', 'y'])
                .filter(|s| s.len() >= 3)
                .unwrap_or(first);
            out.stems.insert(stem.to_string());
            out.by_first
                .entry(first.clone())
                .or_default()
                .push(out.frames.len());
            out.frames.push(Frame {
                cue,
                property: c.property,
                kind: c.kind,
                words,
                preposition,
            });
        }
        out.possessives
            .sort_by_key(|&(cue, possessed)| (!possessed, cue));
        for (pid, p) in ontology.properties.iter().enumerate() {
            out.place_nouns.extend(p.place_nouns.iter().cloned());
            out.place_links
                .extend(p.place_links.iter().map(|w| (w.clone(), pid)));
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Whether a sentence (lowercase words, the name each is part of) may
    /// hold a frame or a locative phrase: some word opens with the stem of
    /// a frame's first word ("attack", "advis" for "advise"), a name
    /// follows a locative or motion preposition within three words, or a name's
    /// possessive stands before another name.
    fn worth_parsing(&self, lower: &[String], mention: &[Option<u32>]) -> bool {
        let anchor = lower.iter().any(|w| {
            (3..=w.len())
                .rev()
                .any(|l| w.is_char_boundary(l) && self.stems.contains(&w[..l]))
        }) || lower.iter().any(|w| self.transfers.contains_key(w));
        anchor
            || lower.iter().enumerate().any(|(t, w)| {
                (self
                    .locative
                    .iter()
                    .chain(&self.motion)
                    .any(|(p, _)| p == w)
                    && mention[t + 1..].iter().take(3).any(Option::is_some))
                    || (!self.possessives.is_empty()
                        && t > 0
                        && (w == "'s" || w == "\u{2019}s")
                        && mention[t - 1].is_some()
                        && mention.get(t + 1).is_some_and(Option::is_some))
            })
    }
}

/// A parsed sentence with its names.
struct View<'a> {
    ex: &'a Extractor,
    reader: &'a Reader,
    a: Analysis,
    lower: Vec<String>,
    spans: Vec<Span>,
    children: Vec<Vec<u32>>,
    /// The top-level mention each word belongs to.
    mention: Vec<Option<u32>>,
    /// The document's mentions (the indices `mention` holds).
    mentions: &'a [super::Mention],
}

impl View<'_> {
    fn label(&self, t: u32) -> &str {
        self.reader.label_name(self.a.labels[t as usize])
    }
    fn tag(&self, t: u32) -> &str {
        self.reader.tag_name(self.a.tags[t as usize])
    }
    fn head(&self, t: u32) -> Option<u32> {
        self.a.heads[t as usize]
    }
    fn kids<'s>(&'s self, t: u32, labels: &'s [&str]) -> impl Iterator<Item = u32> + 's {
        self.children[t as usize]
            .iter()
            .copied()
            .filter(move |&c| labels.contains(&self.label(c)))
    }
    fn lemma(&self, t: u32) -> &str {
        &self.a.lemmas[t as usize]
    }
    /// The preposition a noun's `case` child gives it.
    fn case(&self, t: u32) -> Option<&str> {
        self.kids(t, &["case"])
            .next()
            .map(|c| self.lower[c as usize].as_str())
    }
    /// Whether the noun's preposition is one of `words` (lowercase).
    fn case_in(&self, t: u32, words: &[String]) -> bool {
        self.case(t).is_some_and(|c| words.iter().any(|w| w == c))
    }

    /// The quantity noun a noun after its "of" stands under ("a series of
    /// hideouts", "thousands of attacks"), which the parse takes for the
    /// phrase's head; else the noun itself.
    fn through_quantity(&self, t: u32) -> u32 {
        let lexicon = &self.ex.ontology.lexicon;
        match self.head(t) {
            Some(h)
                if self.label(t) == "nmod"
                    && self.case_in(t, &lexicon.genitive)
                    && lexicon.quantity_nouns.contains(&self.lower[h as usize]) =>
            {
                h
            }
            _ => t,
        }
    }

    fn is_passive(&self, v: u32) -> bool {
        self.kids(v, &["aux:pass", "nsubj:pass", "csubj:pass"])
            .next()
            .is_some()
    }
    fn has_word(&self, t: u32, list: &[String]) -> Option<u32> {
        self.children[t as usize]
            .iter()
            .copied()
            .find(|&c| list.contains(&self.lower[c as usize]))
    }

    /// The word and its conjuncts, recursively.
    fn with_conjuncts(&self, t: u32, out: &mut Vec<u32>) {
        if out.contains(&t) || out.len() > 16 {
            return;
        }
        out.push(t);
        for c in self.kids(t, &["conj"]).collect::<Vec<_>>() {
            self.with_conjuncts(c, out);
        }
    }

    /// The subjects of a verb (or predicate noun), following shared
    /// subjects through coordination, control and relative clauses.
    fn subjects(&self, v: u32, depth: usize) -> Vec<u32> {
        // A clause that takes its subject from another takes a passive one
        // too: "X was founded to defeat Y".
        let labels: &[&str] = if depth == 0 {
            &["nsubj", "nsubj:outer"]
        } else {
            &["nsubj", "nsubj:outer", "nsubj:pass"]
        };
        let direct: Vec<u32> = self.kids(v, labels).collect();
        if !direct.is_empty() {
            return direct.into_iter().map(|s| self.antecedent(v, s)).collect();
        }
        let (Some(h), true) = (self.head(v), depth < 4) else {
            return Vec::new();
        };
        match self.label(v) {
            // "Hezbollah helped the Assad government retake Aleppo": a
            // verb's object is the subject of its open complement.
            // (Also under a verb of the lexicon's sg:controlVerb read as
            // an adverbial clause: "urged X to attack".)
            "xcomp" | "advcl" => self
                .controller(v)
                .unwrap_or_else(|| self.subjects(h, depth + 1)),
            "conj" => self.subjects(h, depth + 1),
            // "militias operating in Syria": the noun a participle modifies;
            // "Iran's efforts to destabilise Iraq", "in its efforts to
            // defeat ISIL": the noun's possessor (a pronoun: its clause's
            // subject).
            "acl" if !self.is_passive_participle(v) => match self.kids(h, &["nmod:poss"]).next() {
                Some(k) => match self.pronoun_possessor(h, k) {
                    Some(subjects) if !subjects.is_empty() => subjects,
                    Some(_) => vec![h],
                    None => vec![k],
                },
                None => vec![h],
            },
            _ => Vec::new(),
        }
    }

    /// The object of the verb above a clause that takes its subject from
    /// it: an open complement, or a clause under a verb of the lexicon's
    /// sg:controlVerb ("urged X to attack", "helped X retake").
    fn controller(&self, v: u32) -> Option<Vec<u32>> {
        let h = self.head(v)?;
        let objects: Vec<u32> = self.kids(h, &["obj"]).collect();
        let controls = match self.label(v) {
            "xcomp" => true,
            "advcl" => {
                let lemma = self.lemma(h);
                self.ex
                    .ontology
                    .lexicon
                    .control_verbs
                    .iter()
                    .any(|c| c == lemma)
            }
            _ => false,
        };
        (controls && !objects.is_empty()).then_some(objects)
    }

    /// The subjects of the nearest verb above a word (within three
    /// steps): the clause it belongs to.
    fn clause_subjects(&self, t: u32) -> Vec<u32> {
        let mut v = t;
        for _ in 0..3 {
            match self.head(v) {
                Some(h) => v = h,
                None => return Vec::new(),
            }
            if self.tag(v) == "VERB" {
                return self.subjects(v, 0);
            }
        }
        Vec::new()
    }

    /// What a possessive pronoun `k` on a noun stands for where the tree
    /// knows better than the reading of the words before it: its clause's
    /// subjects, when the pronoun was left unresolved, or when the noun is
    /// an adjunct of a verb whose subject names someone ("Iraqi forces
    /// seized the university in their battle with IS": the forces, not
    /// the university). `None` keeps the pronoun's own reading.
    fn pronoun_possessor(&self, noun: u32, k: u32) -> Option<Vec<u32>> {
        if self.tag(k) != "PRON" {
            return None;
        }
        let clause = self.clause_subjects(noun);
        if self.mention[k as usize].is_none() {
            return Some(clause);
        }
        let named = clause.iter().any(|&s| self.names_anyone(s));
        // "The UK remains steadfast in its support of X and Y in their
        // fight": another possessive pronoun on the verb took the subject.
        let other_pronoun = self.head(noun).is_some_and(|v| {
            self.kids(v, &["obl"])
                .flat_map(|o| self.kids(o, &["nmod:poss"]))
                .any(|p| {
                    p < k
                        && self.tag(p) == "PRON"
                        && self.lower[p as usize] != self.lower[k as usize]
                })
        });
        (self.label(noun) == "obl" && named && !other_pronoun).then_some(clause)
    }

    /// "their Hezbollah allies", "Iran's Houthi proxies": the names
    /// holding a role noun of a peer (a property whose domain is its
    /// range) that a possessor owns, compounded with it.
    fn peer_holders(&self, property: PropertyId, noun: u32, out: &Extraction) -> Vec<u32> {
        let property = &self.ex.ontology.properties[property];
        if property.domain != property.range || self.kids(noun, &["nmod:poss"]).next().is_none() {
            return Vec::new();
        }
        self.kids(noun, &["compound"])
            .filter(|&k| {
                self.mention[k as usize].is_some_and(|m| !out.mentions[m as usize].demonym)
            })
            .collect()
    }

    /// Whether a preposition opens one of the lexicon's inclusion markers
    /// ("including", "such" of "such as").
    fn includes(&self, preposition: &str) -> bool {
        self.ex
            .ontology
            .lexicon
            .inclusion_markers
            .iter()
            .any(|m| m.split(' ').next() == Some(preposition))
    }

    /// The word a byte offset falls in (or the next one).
    fn word_at(&self, at: usize) -> Option<u32> {
        let i = self.spans.partition_point(|s| s.end <= at);
        (i < self.spans.len()).then_some(i as u32)
    }

    /// The clause a word belongs to: its nearest verb, above it or itself,
    /// over the verbs that take their subject from another ("continued
    /// to support": one clause).
    fn clause(&self, t: u32) -> Option<u32> {
        let mut v = Some(t);
        while let Some(x) = v {
            if self.tag(x) == "VERB" && self.label(x) != "xcomp" {
                break;
            }
            v = self.head(x);
        }
        v
    }

    /// "X has led Y since 2017, two years before the strike of 3 January
    /// 2020": the date of the cue's clause, the nearest of them if it has
    /// several, none if the sentence's dates all belong to other clauses.
    fn date_of_clause(
        &self,
        dates: &[(Span, super::dates::When)],
        cue: Span,
    ) -> Option<super::dates::When> {
        let clause = self.clause(self.word_at(cue.start)?);
        let inside: Vec<(Span, super::dates::When)> = dates
            .iter()
            .filter(|(span, _)| {
                self.word_at(span.start)
                    .is_some_and(|w| self.clause(w) == clause)
            })
            .copied()
            .collect();
        super::relations::nearest_date(&inside, cue)
    }

    /// A relative pronoun subject stands for the noun its clause modifies.
    fn antecedent(&self, v: u32, s: u32) -> u32 {
        let relative = self.tag(s) == "PRON"
            && self
                .ex
                .ontology
                .lexicon
                .relative_pronouns
                .contains(&self.lower[s as usize]);
        match (relative, self.label(v), self.head(v)) {
            // "EUAM Iraq is an operation that supports X": the predicate
            // noun stands for its subject.
            (true, "acl:relcl", Some(h)) => {
                if self.kids(h, &["cop"]).next().is_some() {
                    self.kids(h, &["nsubj"]).next().unwrap_or(h)
                } else {
                    self.person_for(s, h)
                }
            }
            _ => s,
        }
    }

    /// The noun a possessive relative pronoun ("whose") stands for: the
    /// head of the relative clause it opens ("Kata'ib Hezbollah, whose
    /// leader X is ...": Kata'ib Hezbollah).
    fn whose(&self, k: u32) -> Option<u32> {
        let lexicon = &self.ex.ontology.lexicon;
        if !lexicon
            .possessive_relatives
            .contains(&self.lower[k as usize])
        {
            return None;
        }
        let mut t = k;
        for _ in 0..4 {
            let Some(h) = self.head(t) else { break };
            if self.label(t) == "acl:relcl" {
                return Some(h);
            }
            t = h;
        }
        // Where the parse missed the clause: the name before its comma.
        self.name_before_comma(k)
    }

    /// The name right before the comma that stands before word `t`.
    fn name_before_comma(&self, t: u32) -> Option<u32> {
        let before = t.checked_sub(2)?;
        (self.lower[before as usize + 1] == "," && self.mention[before as usize].is_some())
            .then_some(before)
    }

    /// The noun a relative pronoun `s` on noun `h` stands for: for "who",
    /// a person, up the apposition that describes one ("Qassem
    /// Soleimani, commander of the Quds Force, who was killed":
    /// Soleimani), else `h`.
    fn person_for(&self, s: u32, h: u32) -> u32 {
        let lexicon = &self.ex.ontology.lexicon;
        let person = |t: u32| {
            self.mention[t as usize]
                .is_some_and(|m| self.ex.class_is_person(&self.mentions[m as usize]))
        };
        if !lexicon.personal_relatives.contains(&self.lower[s as usize]) || person(h) {
            // "Liwa Fatemiyoun, the Afghan militia that works under X": a
            // description in apposition stands for the name it describes.
            if self.mention[h as usize].is_some() || self.label(h) != "appos" {
                return h;
            }
            // The name right before the apposition's comma (the parse may
            // hang the apposition on the noun that name modifies).
            let mut first = h;
            while let Some(&k) = self.children[first as usize].iter().min() {
                if k >= first {
                    break;
                }
                first = k;
            }
            return self.name_before_comma(first).unwrap_or(h);
        }
        let mut t = h;
        for _ in 0..3 {
            if !matches!(self.label(t), "nmod" | "appos" | "compound" | "flat") {
                break;
            }
            let Some(up) = self.head(t) else { break };
            if person(up) {
                return up;
            }
            t = up;
        }
        h
    }

    /// "a base hit by rockets", "militias backed by Iran": a participle
    /// whose noun is its object.
    /// The name a word of a place phrase stands for: its own, or for a
    /// place noun the name compounded with it ("in Diyala province").
    fn place_at(&self, t: u32) -> Option<u32> {
        self.mention[t as usize].or_else(|| {
            self.ex
                .frames
                .place_nouns
                .contains(&self.lower[t as usize])
                .then(|| {
                    self.kids(t, &["compound", "amod"])
                        .find_map(|k| self.mention[k as usize])
                })
                .flatten()
        })
    }

    /// The name possessing a role noun: "HRW's director", "Hezbollah's
    /// vice president" (the possessive may hang on the noun's modifier).
    fn role_possessor(&self, head: u32) -> Option<u32> {
        std::iter::once(head)
            .chain(self.kids(head, &["compound", "amod"]))
            .flat_map(|w| self.kids(w, &["nmod:poss"]))
            .find(|&k| self.mention[k as usize].is_some())
    }

    /// Whether a role noun's words hold a deputy's word ("deputy",
    /// "vice"), before them or as their modifier.
    fn is_deputy(&self, words: &[u32]) -> bool {
        let lexicon = &self.ex.ontology.lexicon;
        let deputies = &lexicon.deputy_words;
        let first = words[0];
        // "X, a commander of Y": one of many holders, a member.
        let before = first.checked_sub(1).is_some_and(|b| {
            let w = &self.lower[b as usize];
            deputies.contains(w) || lexicon.indefinite.contains(w)
        });
        before
            || words.iter().any(|&w| {
                self.kids(w, &["amod", "compound", "advmod"])
                    .any(|k| deputies.contains(&self.lower[k as usize]))
            })
    }

    fn is_passive_participle(&self, v: u32) -> bool {
        let has_agent = || self.kids(v, &["obl:agent"]).next().is_some();
        match self.label(v) {
            "acl" => {
                has_agent()
                    || self.lower[v as usize].ends_with("ed")
                    || self.lower[v as usize].ends_with("en")
            }
            // "Backed by Iran, the group ...", "the PMF retook Tikrit,
            // backed by Iran": a participle with its agent on a clause.
            "advcl" => has_agent(),
            _ => false,
        }
    }

    /// Whether a word stands for any name ([`View::mentions_of`]).
    fn names_anyone(&self, t: u32) -> bool {
        let mut m = Vec::new();
        self.mentions_of(t, &mut m);
        !m.is_empty()
    }

    /// The mentions a word stands for: the name it is part of, or, for a
    /// group noun ("forces", "troops"), the name that modifies it.
    fn mentions_of(&self, t: u32, out: &mut Vec<(u32, bool)>) {
        let mut words = Vec::new();
        self.with_conjuncts(t, &mut words);
        // A person and a body are seldom one argument: such a conjunct
        // is the parse's mistake ("under the leadership of X, and Y,
        // headed by Z").
        let person = |w: u32| {
            self.mention[w as usize].map(|m| self.ex.class_is_person(&self.mentions[m as usize]))
        };
        if let Some(first) = person(t) {
            words.retain(|&w| person(w).is_none_or(|p| p == first));
        }
        for w in words {
            if let Some(m) = self.mention[w as usize] {
                out.push((m, false));
                continue;
            }
            let lexicon = &self.ex.ontology.lexicon;
            // "a series of Daesh hideouts": the noun after the "of".
            if lexicon.quantity_nouns.contains(&self.lower[w as usize]) {
                let of: Vec<u32> = self
                    .kids(w, &["nmod"])
                    .filter(|&c| self.case_in(c, &lexicon.genitive))
                    .collect();
                for k in of {
                    self.mentions_of(k, out);
                }
                continue;
            }
            if lexicon.presence_nouns.contains(&self.lower[w as usize]) {
                // "PMF forces", "Iran's troops", "members of the tribe",
                // "instructors from Germany and Italy", "positions held by
                // Hezbollah": each conjunct of the first such name.
                let held_by = self
                    .kids(w, &["acl"])
                    .filter(|&v| self.is_passive_participle(v))
                    .flat_map(|v| self.kids(v, &["obl:agent"]));
                let owner = self
                    .kids(w, &["compound", "amod", "nmod:poss"])
                    .chain(self.kids(w, &["nmod"]).filter(|&c| {
                        self.case_in(c, &lexicon.genitive)
                            || self.case_in(c, &lexicon.origin_markers)
                    }))
                    .chain(held_by)
                    .find(|&c| self.mention[c as usize].is_some());
                if let Some(owner) = owner {
                    let mut owners = Vec::new();
                    self.with_conjuncts(owner, &mut owners);
                    for o in owners {
                        if let Some(m) = self.mention[o as usize] {
                            out.push((m, true));
                        }
                    }
                    continue;
                }
            }
            // "towns in Northern Iraq including Rabiyah and Zumar": the
            // names a noun is said to include; "Aleppo and other towns":
            // the name a noun of others is coordinated with.
            let inclusion = |c: u32| self.case(c).is_some_and(|case| self.includes(case));
            let members = self
                .kids(w, &["nmod", "obl", "acl"])
                .filter(|&c| inclusion(c))
                .chain(
                    // The conjunct it hangs on, or the word before its
                    // "and" where the tree took it for the verb's.
                    self.head(w)
                        .into_iter()
                        .chain(self.kids(w, &["cc"]).filter_map(|cc| cc.checked_sub(1)))
                        .filter(|_| {
                            self.label(w) == "conj"
                                && self
                                    .kids(w, &["amod"])
                                    .any(|k| lexicon.other_words.contains(&self.lower[k as usize]))
                        }),
                )
                .find(|&c| self.mention[c as usize].is_some());
            if let Some(first) = members {
                let mut named = Vec::new();
                self.with_conjuncts(first, &mut named);
                for n in named {
                    if let Some(m) = self.mention[n as usize] {
                        out.push((m, true));
                    }
                }
                continue;
            }
            // "the UN High Commissioner": a capitalised head that is no
            // name stands for the name compounded with it.
            if self.tag(w) == "PROPN" {
                // Also a compound of its modifier: "the UN High
                // Commissioner" read as (UN High) Commissioner.
                if let Some(m) = self
                    .kids(w, &["compound"])
                    .chain(
                        self.kids(w, &["amod", "compound"])
                            .flat_map(|k| self.kids(k, &["compound"])),
                    )
                    .find_map(|c| self.mention[c as usize])
                {
                    out.push((m, true));
                    continue;
                }
            }
            // "A spokesman for the UN, Rupert Colville, said": a noun that
            // is no name stands for the name in apposition to it.
            if let Some(m) = self
                .kids(w, &["appos"])
                .find_map(|c| self.mention[c as usize])
            {
                out.push((m, false));
            }
        }
    }

    /// The object under the cue's preposition: the noun whose `case` the
    /// matched preposition is.
    fn marked_object(&self, prep: u32, anchor: u32) -> Option<u32> {
        if self.label(prep) != "case" {
            return None;
        }
        let o = self.head(prep)?;
        let attached = self.head(o)?;
        if attached == anchor
            || Some(attached) == self.head(anchor)
            || self.head(attached) == Some(anchor)
        {
            return Some(o);
        }
        // "fired dozens of rockets at X": up through the nouns of the
        // verb's object.
        let mut up = attached;
        for _ in 0..3 {
            if !matches!(self.label(up), "obj" | "nmod" | "obl") {
                return None;
            }
            up = self.head(up)?;
            if up == anchor {
                return Some(o);
            }
        }
        None
    }
}

/// Which linear readings of a cue the tree rules out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ruling {
    /// Every one: the cue is negated, or its subject names no one.
    All,
    /// Its passive reading: the tree reads it as active.
    Passive,
}

/// Reads one sentence and adds the relations its frames find to `found`.
#[allow(clippy::too_many_arguments)]
pub(super) fn sentence(
    ex: &Extractor,
    reader: &Reader,
    text: &str,
    span: Span,
    index: u32,
    mentions: &[u32],
    dates: &[(Span, super::dates::When)],
    out: &Extraction,
    found: &mut Vec<Relation>,
    ruled_out: &mut Vec<(Span, Ruling)>,
) {
    let first_found = found.len();
    let lexicon = &ex.ontology.lexicon;
    let abbreviation = |w: &str| lexicon.abbreviations.iter().any(|a| a == w);
    let mut spans = Vec::with_capacity(48);
    crate::read::tokens::tokenize(text, span, &abbreviation, &mut spans);
    if spans.is_empty() || spans.len() > MAX_WORDS {
        return;
    }
    let forms: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
    let mut norm = String::new();
    let lower: Vec<String> = forms
        .iter()
        .map(|f| {
            crate::read::words::normalize(f, &mut norm);
            norm.clone()
        })
        .collect();
    let mut mention = vec![None; spans.len()];
    for &m in mentions {
        let ms = out.mentions[m as usize].span;
        for (t, s) in spans.iter().enumerate() {
            if s.start < ms.end && ms.start < s.end {
                mention[t] = Some(m);
            }
        }
    }
    let mut view = View {
        ex,
        reader,
        a: Analysis::default(),
        lower,
        spans,
        children: Vec::new(),
        mention,
        mentions: &out.mentions,
    };
    // Titles read the words and names only, and take the nearest date.
    titles(&view, index, mentions, out, found);
    for r in &mut found[first_found..] {
        r.when = super::relations::nearest_date(dates, r.cue_span);
    }
    let first_parsed = found.len();
    // Parsing is the costly part: only where a frame may open or a name
    // follows a locative preposition.
    if !ex.frames.worth_parsing(&view.lower, &view.mention) {
        return;
    }
    // A name is one word to the parser, a proper noun read as its last
    // word ("Popular Mobilization Forces" as "Forces"): long names no
    // longer mislead it ("United" of "United States" read as a verb).
    let mut words: Vec<&str> = Vec::with_capacity(forms.len());
    let mut spans: Vec<Span> = Vec::with_capacity(forms.len());
    let mut lower: Vec<String> = Vec::with_capacity(forms.len());
    let mut mention: Vec<Option<u32>> = Vec::with_capacity(forms.len());
    for (t, form) in forms.iter().enumerate() {
        let m = view.mention[t];
        if m.is_some() && t > 0 && mention.last() == Some(&m) {
            let last = spans.len() - 1;
            spans[last] = Span::new(spans[last].start, view.spans[t].end);
            if form.starts_with(char::is_alphanumeric) {
                words[last] = form;
                lower[last] = view.lower[t].clone();
            }
            continue;
        }
        words.push(form);
        spans.push(view.spans[t]);
        lower.push(view.lower[t].clone());
        mention.push(m);
    }
    let propn = reader.tag_id("PROPN");
    let adj = reader.tag_id("ADJ");
    // Nationality words ("Iranian") are adjectives, even before a title
    // ("Iranian Major General X": the general is the subject, not Iran);
    // pronouns and descriptions ("his", "the group") are read as what
    // they are.
    let fixed: Vec<Option<u8>> = mention
        .iter()
        .zip(&words)
        .map(|(m, w)| {
            let m = &out.mentions[(*m)? as usize];
            let demonym =
                m.demonym || (m.label != super::NO_LABEL && ex.gazetteer.is_demonym(m.label));
            if demonym {
                // "the Iranians" are people, a noun: left to the tagger.
                return adj.filter(|_| !w.ends_with('s'));
            }
            if m.anaphor && w.starts_with(char::is_lowercase) {
                return None;
            }
            propn
        })
        .collect();
    view.spans = spans;
    view.lower = lower;
    view.mention = mention;
    view.a = reader.read_fixed(&words, &fixed);
    view.children = vec![Vec::new(); view.spans.len()];
    for (d, h) in view.a.heads.iter().enumerate() {
        if let Some(h) = h {
            view.children[*h as usize].push(d as u32);
        }
    }
    let n = view.spans.len() as u32;
    let mut t = 0;
    while t < n {
        let Some((frame, words)) = best_frame(&view, t) else {
            t += 1;
            continue;
        };
        let f = &ex.frames.frames[frame];
        let cue_span = Span::new(
            view.spans[t as usize].start,
            view.spans[*words.last().expect("a frame has a word") as usize].end,
        );
        // Negation and modality hang under the cue or the verb it serves.
        // The verb a noun cue serves, over a light verb's noun ("had not
        // taken part in the attacks", "do not engage in operations
        // alongside X": up through the nouns it hangs on.
        let governor = match f.kind {
            CueKind::Verb => t,
            _ => {
                let mut g = None;
                let mut h = view.head(t);
                for _ in 0..3 {
                    let Some(w) = h else { break };
                    if view.tag(w) == "VERB" {
                        g = Some(w);
                        break;
                    }
                    if !matches!(view.label(w), "obj" | "obl" | "nmod") {
                        break;
                    }
                    h = view.head(w);
                }
                g.unwrap_or(t)
            }
        };
        // "Iran denied arming the Houthis", "failed to attack": a clause
        // under a verb of negation.
        let under_negation = matches!(view.label(governor), "xcomp" | "ccomp")
            && view.head(governor).is_some_and(|h| {
                let w = &view.lower[h as usize];
                lexicon
                    .negations
                    .iter()
                    .any(|n| n.split(' ').next() == Some(w.as_str()))
            });
        if under_negation
            || view.has_word(t, &lexicon.negations).is_some()
            || view.has_word(governor, &lexicon.negations).is_some()
        {
            ruled_out.push((cue_span, Ruling::All));
            t = words.last().copied().unwrap_or(t) + 1;
            continue;
        }
        // "Israel struck positions held by Hezbollah": a verb the tree
        // reads as active, with a subject, while a later verb takes the
        // "by" as its agent, is no passive with a later "by".
        if f.kind == CueKind::Verb
            && !view.is_passive(t)
            && view.kids(t, &["nsubj"]).next().is_some()
            && (t + 1..view.spans.len() as u32)
                .any(|v| view.kids(v, &["obl:agent"]).next().is_some())
        {
            ruled_out.push((cue_span, Ruling::Passive));
        }
        // "Hezbollah helped the Assad government retake Aleppo": a verb
        // whose subject is an object that names no one has no subject the
        // linear rules could fetch from further back.
        // "a militia linked to the PKK", "the factions that are linked
        // to Iran": a clause right after a noun that names no one has no
        // subject the linear rules could fetch either (the tree's
        // attachments further off are too often wrong to trust).
        if f.kind == CueKind::Verb && matches!(view.label(t), "acl" | "acl:relcl") {
            if let Some(h) = view.head(t) {
                let opening = view
                    .kids(t, &["nsubj", "nsubj:pass"])
                    .filter(|&k| k < t)
                    .min()
                    .unwrap_or(t);
                let mut named = Vec::new();
                view.mentions_of(h, &mut named);
                // "the Sinjar Resistance Units, a Yazidi militia linked to
                // the PKK": the noun stands for the name it is set off after.
                let set_off = view.label(h) == "appos"
                    && view
                        .head(h)
                        .is_some_and(|a| view.mention[a as usize].is_some());
                if named.is_empty() && !set_off && view.tag(h) == "NOUN" && h + 1 == opening {
                    ruled_out.push((cue_span, Ruling::All));
                }
            }
        }
        // "their Hezbollah allies": the role is the compounded name's,
        // not the possessor's.
        if f.kind == CueKind::RoleNoun && !view.peer_holders(f.property, t, out).is_empty() {
            ruled_out.push((cue_span, Ruling::All));
        }
        if f.kind == CueKind::Verb && !view.is_passive(t) {
            if let Some(objects) = view.controller(t) {
                let mut named = Vec::new();
                for &o in &objects {
                    view.mentions_of(o, &mut named);
                }
                if named.is_empty() {
                    ruled_out.push((cue_span, Ruling::All));
                }
            }
        }
        let modality = view
            .has_word(governor, &lexicon.modals)
            .map(|m| view.spans[m as usize]);
        let pairs = arguments(&view, out, f, t, &words);
        // "the deputy director of Y" is not Y's head: a deputy's role
        // states the property's sg:deputy instead.
        let property = match ex.ontology.properties[f.property].deputy {
            Some(deputy) if f.kind == CueKind::RoleNoun && view.is_deputy(&words) => deputy,
            _ => f.property,
        };
        for property in ex.ontology.properties_for(property) {
            let before = found.len();
            for &(s, o, rule, indirect) in &pairs {
                let (sm, om) = (&out.mentions[s as usize], &out.mentions[o as usize]);
                if sm.entry == om.entry
                    || !ex.fits(sm, property, true)
                    || !ex.fits(om, property, false)
                {
                    continue;
                }
                let mut confidence: f32 = 0.85;
                if indirect {
                    confidence *= 0.85;
                }
                if modality.is_some() {
                    confidence *= 0.6;
                }
                found.push(Relation {
                    modality,
                    ..frame_relation((f.cue, property, cue_span), (s, o), index, rule, confidence)
                });
            }
            if found.len() > before {
                break;
            }
        }
        t = words.last().copied().unwrap_or(t) + 1;
    }
    locatives(&view, index, out, found);
    nominal_locatives(&view, index, out, found);
    under_nouns(&view, index, out, found);
    transfers(&view, index, out, found);
    possessives(&view, index, out, found);
    if !dates.is_empty() {
        for r in &mut found[first_parsed..] {
            r.when = view.date_of_clause(dates, r.cue_span);
        }
    }
}

/// "Iran's Quds Force" (partOf), "Sadr's militia" (leads): a name
/// possessing another gives the first possessive cue whose property fits
/// both names. A person is no one's possession ("Iraq's Prime Minister
/// X" is a title's work).
fn possessives(view: &View, index: u32, out: &Extraction, found: &mut Vec<Relation>) {
    let ex = view.ex;
    if ex.frames.possessives.is_empty() {
        return;
    }
    let n = view.spans.len();
    for t in 0..n as u32 {
        // "Syria's Interior Ministry": a name, "'s" and a name, whatever
        // the tree made of them.
        let adjacent = match (t as usize + 2 < n).then(|| {
            (
                view.mention[t as usize],
                view.lower[t as usize + 1].as_str(),
                view.mention[t as usize + 2],
            )
        }) {
            Some((Some(a), w, Some(b)))
                if a != b && crate::text::POSSESSIVE_ENDINGS.contains(&w) =>
            {
                Some((a, b))
            }
            _ => None,
        };
        if let Some((owner, owned)) = adjacent {
            possession(view, index, out, (owner, owned), t + 1, found);
            continue;
        }
        if view.label(t) != "nmod:poss" {
            continue;
        }
        let (Some(owner), Some(h)) = (view.mention[t as usize], view.head(t)) else {
            continue;
        };
        // "Lebanon's Hezbollah movement": the name compounded with the
        // possessed noun; "Sadr's militia, Saraya al-Salam": the name set
        // off after a noun that names a body.
        // A pronoun's noun must name a body or a group: "their Hezbollah
        // allies" is no possession.
        let body = ex.anaphors.contains_key(&view.lower[h as usize])
            || ex
                .ontology
                .lexicon
                .presence_nouns
                .contains(&view.lower[h as usize]);
        let pronoun = out.mentions[owner as usize].anaphor;
        let owned = view.mention[h as usize]
            .or_else(|| {
                (body || !pronoun)
                    .then(|| {
                        view.kids(h, &["compound"])
                            .find_map(|c| view.mention[c as usize])
                    })
                    .flatten()
            })
            .or_else(|| {
                ex.anaphors
                    .contains_key(&view.lower[h as usize])
                    .then(|| {
                        view.kids(h, &["appos"])
                            .find_map(|c| view.mention[c as usize])
                    })
                    .flatten()
            });
        let Some(owned) = owned else {
            continue;
        };
        let marker = view.kids(t, &["case"]).next().unwrap_or(t);
        possession(view, index, out, (owner, owned), marker, found);
    }
}

/// The first possessive cue whose property fits an owner and what it owns.
fn possession(
    view: &View,
    index: u32,
    out: &Extraction,
    (owner, owned): (u32, u32),
    marker: u32,
    found: &mut Vec<Relation>,
) {
    let ex = view.ex;
    let (a, b) = (&out.mentions[owner as usize], &out.mentions[owned as usize]);
    if owner == owned || a.entry == b.entry || ex.class_is_person(b) {
        return;
    }
    for &(cue, possessed_first) in &ex.frames.possessives {
        let property = ex.ontology.cues[cue].property;
        let (s, o) = if possessed_first {
            (owned, owner)
        } else {
            (owner, owned)
        };
        let (sm, om) = (&out.mentions[s as usize], &out.mentions[o as usize]);
        if ex.fits(sm, property, true) && ex.fits(om, property, false) {
            found.push(frame_relation(
                (cue, property, view.spans[marker as usize]),
                (s, o),
                index,
                Rule::ParsePossessive,
                Rule::ParsePossessive.confidence(),
            ));
            return;
        }
    }
}

/// A title's words as compared: lowercase, without dots ("Gen." is "gen").
fn title_words(phrase: &str) -> Vec<String> {
    phrase
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect()
}

/// "Iraqi Prime Minister Mustafa al-Kadhimi", "U.S. President X",
/// "Prime Minister X of Iraq": a title of the ontology's between a state
/// and a person, or before a person followed by "of" and a state. The
/// title may open the person's name or stand right before it.
fn titles(view: &View, index: u32, mentions: &[u32], out: &Extraction, found: &mut Vec<Relation>) {
    let ex = view.ex;
    let lexicon = &ex.ontology.lexicon;
    if ex.frames.titles.is_empty() {
        return;
    }
    let n = view.spans.len();
    let word = |t: usize| view.lower[t].trim_end_matches('.');
    for &p in mentions {
        let first = view.mention.iter().position(|&m| m == Some(p));
        let last = view.mention.iter().rposition(|&m| m == Some(p));
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        // The titles that end right before the name, or inside its start;
        // only the longest counts ("Prime Minister", not "Minister").
        let matched: Vec<(usize, usize, usize)> = ex
            .frames
            .titles
            .iter()
            .filter_map(|(words, cue)| {
                let k = words.len();
                // (A comma may set the name off: "Iranian Major General,
                // Qassem Soleimani".)
                let comma = first
                    .checked_sub(1)
                    .filter(|&c| view.lower[c] == "," && view.mention[c].is_none());
                let ends = [Some(first), (first + k <= last).then_some(first + k), comma];
                let start = ends.into_iter().flatten().find_map(|end| {
                    let start = end.checked_sub(k)?;
                    (start..end)
                        .zip(words)
                        .all(|(t, w)| word(t) == w)
                        .then_some(start)
                })?;
                Some((start, k, *cue))
            })
            .collect();
        let longest = matched.iter().map(|m| m.1).max().unwrap_or(0);
        for &(start, k, cue) in matched.iter().filter(|m| m.1 == longest) {
            let property = ex.ontology.cues[cue].property;
            if !ex.fits(&out.mentions[p as usize], property, true) {
                continue;
            }
            // The name before the title modifies it, unless a preposition
            // opening the sentence opens it ("In Turkey Minister Ellwood
            // met ...", but "shortly after US President Donald Trump").
            let before = start
                .checked_sub(1)
                .and_then(|t| view.mention[t])
                .filter(|&m| {
                    let opens = view.mention.iter().position(|&x| x == Some(m));
                    !opens
                        .and_then(|o| o.checked_sub(1))
                        .is_some_and(|b| b == 0 && lexicon.prepositions.contains(&view.lower[b]))
                })
                .or_else(|| {
                    // "Iraq's Prime Minister X", "Iraq's caretaker prime
                    // minister X": the possessor, over one modifier.
                    let possessive = |t: usize| {
                        let w = &view.lower[t];
                        crate::text::possessive_len(w) == Some(w.len())
                    };
                    let mut b = start.checked_sub(1)?;
                    if !possessive(b)
                        && view.mention[b].is_none()
                        && view.lower[b].chars().all(char::is_alphabetic)
                    {
                        b = b.checked_sub(1)?;
                    }
                    if !possessive(b) {
                        return None;
                    }
                    view.mention[b.checked_sub(1)?]
                });
            let after = (last + 2 < n && lexicon.genitive.contains(&view.lower[last + 1]))
                .then(|| view.mention[last + 2])
                .flatten();
            for s in [before, after].into_iter().flatten() {
                let sm = &out.mentions[s as usize];
                if s == p
                    || sm.entry == out.mentions[p as usize].entry
                    || !ex.fits(sm, property, false)
                {
                    continue;
                }
                let cue_span = Span::new(view.spans[start].start, view.spans[start + k - 1].end);
                found.push(frame_relation(
                    (cue, property, cue_span),
                    (p, s),
                    index,
                    Rule::Title,
                    Rule::Title.confidence(),
                ));
            }
        }
    }
}

/// "ISIS killed 70 members of the tribe in Anbar": a place in a phrase of
/// the verb is where the verb's subject acts.
fn locatives(view: &View, index: u32, out: &Extraction, found: &mut Vec<Relation>) {
    let ex = view.ex;
    let lexicon = &ex.ontology.lexicon;
    // "told a news conference in Geneva", "carried out attacks in Baghdad",
    // "maintains positions around Albu Kamal".
    let event = |n: u32| {
        let lemma = view.lemma(n);
        let deed = lexicon.event_nouns.iter().any(|e| e == lemma)
            || lexicon.presence_nouns.contains(&view.lower[n as usize]);
        lexicon.gathering_nouns.iter().any(|e| e == lemma)
            || (deed
                && view
                    .head(view.through_quantity(n))
                    .is_some_and(|v| lexicon.light_verbs.iter().any(|l| l == view.lemma(v))))
    };
    // A place phrase under a removal verb or its object, after a removal
    // marker (or after "out" before its preposition: "out of").
    let removal = |o: u32, h: u32| {
        let marked = view.kids(o, &["case"]).next().is_some_and(|c| {
            let before = c.checked_sub(1).map(|b| view.lower[b as usize].as_str());
            lexicon
                .removal_markers
                .iter()
                .any(|m| m == &view.lower[c as usize] || Some(m.as_str()) == before)
        });
        let verb = match view.label(o) {
            "obl" => Some(h),
            "nmod" if view.label(h) == "obj" => view.head(h),
            _ => None,
        };
        marked && verb.is_some_and(|v| lexicon.removal_verbs.iter().any(|r| r == view.lemma(v)))
    };
    for place in 0..view.spans.len() as u32 {
        let Some(om) = view.place_at(place) else {
            continue;
        };
        // "attacks in Kirkuk, Diyala and Anbar": a conjunct of a place is
        // placed as the first conjunct is.
        // "in the governorates of Kirkuk and Diyala": as the place noun
        // they name is.
        // (A place after a comma hung on a place is a list item whatever
        // its label.)
        let mut o = place;
        let listed = |o: u32| {
            view.label(o) == "conj"
                || o.checked_sub(1)
                    .is_some_and(|b| view.lower[b as usize] == ",")
                    && view.label(o).starts_with("nmod")
        };
        while listed(o) {
            match view.head(o).filter(|&h| view.place_at(h).is_some()) {
                Some(h) => o = h,
                None => break,
            }
        }
        if view.label(o) == "nmod" && view.case_in(o, &lexicon.genitive) {
            if let Some(h) = view
                .head(o)
                .filter(|&h| ex.frames.place_nouns.contains(view.lemma(h)))
            {
                o = h;
            }
        }
        let Some(h) = view.head(o) else {
            continue;
        };
        // "pushed ISIL out of Kobane", "clearing Daesh from Iraq": the
        // object removed was there (as a locative cue's property says);
        // the place may hang on the verb or on its object.
        if removal(o, h) {
            let v = if view.label(o) == "obl" {
                Some(h)
            } else {
                view.head(h)
            };
            let Some(&(_, cue)) = ex.frames.locative.first() else {
                continue;
            };
            let Some(v) = v.filter(|&v| view.has_word(v, &lexicon.negations).is_none()) else {
                continue;
            };
            let property = ex.ontology.cues[cue].property;
            let mut removed = Vec::new();
            for k in view.kids(v, &["obj"]).collect::<Vec<_>>() {
                view.mentions_of(k, &mut removed);
            }
            let case = view.kids(o, &["case"]).next().unwrap_or(o);
            for (sm, indirect) in removed {
                let (a, b) = (&out.mentions[sm as usize], &out.mentions[om as usize]);
                if a.entry == b.entry || !ex.fits(a, property, true) || !ex.fits(b, property, false)
                {
                    continue;
                }
                found.push(Relation {
                    cue: None,
                    ..frame_relation(
                        (cue, property, view.spans[case as usize]),
                        (sm, om),
                        index,
                        Rule::ParseLocative,
                        if indirect { 0.5 } else { 0.6 },
                    )
                });
            }
            continue;
        }
        // "met the minister in London": a place phrase hung on a person
        // the verb takes belongs to the verb (persons are not modified by
        // where they stand).
        let v = match view.label(o) {
            "obl" => h,
            "nmod"
                if (matches!(view.label(view.through_quantity(h)), "obj" | "obl") && event(h))
                    || view.label(h) == "obj"
                        && (std::iter::once(h)
                            .chain(view.kids(h, &["appos"]))
                            .filter_map(|k| view.mention[k as usize])
                            .any(|m| ex.class_is_person(&out.mentions[m as usize]))) =>
            {
                match view.head(view.through_quantity(h)) {
                    Some(v) => v,
                    None => continue,
                }
            }
            _ => continue,
        };
        if !matches!(view.tag(v), "VERB" | "ADJ") {
            continue;
        }
        let Some(case) = view.kids(o, &["case"]).next() else {
            continue;
        };
        let word = &view.lower[case as usize];
        let motion = || {
            let lemma = view.lemma(v);
            ex.ontology.lexicon.motion_verbs.iter().any(|m| m == lemma)
        };
        let Some(&(_, cue)) = ex
            .frames
            .locative
            .iter()
            .find(|(p, _)| p == word)
            .or_else(|| {
                ex.frames
                    .motion
                    .iter()
                    .find(|(p, _)| p == word)
                    .filter(|_| motion())
            })
        else {
            continue;
        };
        if view.has_word(v, &ex.ontology.lexicon.negations).is_some() {
            continue;
        }
        // "fired rockets at X": a preposition of another cue ("fire at")
        // places nothing.
        let at = view.spans[case as usize];
        if found.iter().any(|r| {
            r.cue.is_some()
                && r.cue_span.start <= at.start
                && at.end <= r.cue_span.end
                && !ex.ontology.properties[r.property].locative
        }) {
            continue;
        }
        let property = ex.ontology.cues[cue].property;
        let mut subjects = Vec::new();
        for s in view.subjects(v, 0) {
            view.mentions_of(s, &mut subjects);
        }
        // The verb's object is there too: "ISIS killed members of the
        // tribe in Anbar", "met the minister in London"; and its company:
        // "met with the minister, Ibrahim al-Jaafari, in Canberra".
        let before = subjects.len();
        for k in view.kids(v, &["obj"]).collect::<Vec<_>>() {
            view.mentions_of(k, &mut subjects);
        }
        for k in view.kids(v, &["obl"]).collect::<Vec<_>>() {
            if k != o
                && view
                    .kids(k, &["case"])
                    .any(|c| view.lower[c as usize] == "with")
            {
                view.mentions_of(k, &mut subjects);
            }
        }
        for (i, (sm, indirect)) in subjects.into_iter().enumerate() {
            let (a, b) = (&out.mentions[sm as usize], &out.mentions[om as usize]);
            if a.entry == b.entry || !ex.fits(a, property, true) || !ex.fits(b, property, false) {
                continue;
            }
            let confidence = if indirect || i >= before { 0.6 } else { 0.7 };
            found.push(frame_relation(
                (cue, property, view.spans[case as usize]),
                (sm, om),
                index,
                Rule::ParseLocative,
                confidence,
            ));
        }
    }
}

/// "The Al Bu Nimr tribe in Anbar province", "the city of Mosul in
/// Northern Iraq": a place in a phrase on a name, with words between them
/// (the linear rules read the names side by side). An actor acts there
/// (the property of the locative cue that is the preposition), a place
/// lies in it (the property the preposition is a place link of).
fn nominal_locatives(view: &View, index: u32, out: &Extraction, found: &mut Vec<Relation>) {
    let ex = view.ex;
    let mut holders = Vec::new();
    for o in 0..view.spans.len() as u32 {
        let (Some(om), "nmod", Some(h)) = (view.place_at(o), view.label(o), view.head(o)) else {
            continue;
        };
        let Some(case) = view.kids(o, &["case"]).next() else {
            continue;
        };
        let word = &view.lower[case as usize];
        // "Nineveh including Rabiyah and Zumar": members of a place are
        // in it, as "Rabiyah in Nineveh" would say.
        if view.includes(word) {
            if let Some(hm) = view.place_at(h) {
                let mut members = Vec::new();
                view.with_conjuncts(o, &mut members);
                let b = &out.mentions[hm as usize];
                for member in members {
                    let Some(mm) = view.place_at(member) else {
                        continue;
                    };
                    let a = &out.mentions[mm as usize];
                    let property = ex.frames.place_links.iter().map(|&(_, p)| p).find(|&p| {
                        a.entry != b.entry && ex.fits(a, p, true) && ex.fits(b, p, false)
                    });
                    if let Some(property) = property {
                        found.push(Relation {
                            cue: None,
                            ..frame_relation(
                                (0, property, view.spans[case as usize]),
                                (mm, hm),
                                index,
                                Rule::ParseLocative,
                                0.6,
                            )
                        });
                    }
                }
            }
            continue;
        }
        let locative = ex.frames.locative.iter().find(|(p, _)| p == word);
        let links = ex
            .frames
            .place_links
            .iter()
            .filter(|(w, _)| w == word)
            .map(|&(_, p)| p);
        let candidates: Vec<(Option<usize>, PropertyId)> = locative
            .map(|&(_, cue)| (Some(cue), ex.ontology.cues[cue].property))
            .into_iter()
            .chain(links.map(|p| (None, p)))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        holders.clear();
        view.mentions_of(h, &mut holders);
        for &(sm, indirect) in &holders {
            let (a, b) = (&out.mentions[sm as usize], &out.mentions[om as usize]);
            // The place follows what is there, but for the members of a
            // noun named after it ("towns in X including Y").
            if a.entry == b.entry || (a.span.end > b.span.start && !indirect) {
                continue;
            }
            let Some(&(cue, property)) = candidates
                .iter()
                .find(|&&(_, p)| ex.fits(a, p, true) && ex.fits(b, p, false))
            else {
                continue;
            };
            found.push(Relation {
                cue,
                ..frame_relation(
                    (0, property, view.spans[case as usize]),
                    (sm, om),
                    index,
                    Rule::ParseLocative,
                    if indirect { 0.5 } else { 0.6 },
                )
            });
        }
    }
}

/// The cues of what a noun names as given ("weapons": supports), by its
/// lemma or its form.
fn transfer_cues<'v>(view: &'v View, t: u32) -> &'v [usize] {
    let frames = &view.ex.frames;
    frames
        .transfers
        .get(view.lemma(t))
        .or_else(|| frames.transfers.get(&view.lower[t as usize]))
        .map_or(&[], Vec::as_slice)
}

/// Giving and receiving: "CTEF has provided stipends, equipment and
/// training to the Peshmerga" (supports, trains), "the Houthis receive
/// weapons and training from Iran", "the SDF, with support from the
/// Coalition, ...": each noun given that is an `sg:transferNounCue`
/// states its property of the giver towards the receiver.
fn transfers(view: &View, index: u32, out: &Extraction, found: &mut Vec<Relation>) {
    let ex = view.ex;
    if ex.frames.transfers.is_empty() {
        return;
    }
    let lexicon = &ex.ontology.lexicon;
    let names = |nodes: &[u32]| {
        let mut named = Vec::new();
        for &n in nodes {
            view.mentions_of(n, &mut named);
        }
        named
    };
    // Nodes of the verb's own clause marked by one of `prepositions`: an
    // oblique of the verb, a modifier of a noun given, or deeper where the
    // parse hangs it on a conjunct ("received equipment and armoured
    // vehicles from X"); an indirect object.
    let marked = |t: u32, prepositions: &[String]| -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack = vec![(t, 0)];
        while let Some((n, depth)) = stack.pop() {
            for k in view.kids(n, &["obj", "conj", "nmod", "obl", "iobj"]) {
                if view.label(k) == "iobj" || view.case_in(k, prepositions) {
                    out.push(k);
                } else if depth < 3 {
                    stack.push((k, depth + 1));
                }
            }
        }
        out.sort_unstable();
        out
    };
    for t in 0..view.spans.len() as u32 {
        let lemma = view.lemma(t);
        let give = lexicon.give_verbs.iter().any(|v| v == lemma);
        let receive = lexicon.receive_verbs.iter().any(|v| v == lemma);
        let (givers, receivers, given) = if (give || receive) && view.tag(t) == "VERB" {
            if view.has_word(t, &lexicon.negations).is_some() {
                continue;
            }
            let passive = view.is_passive(t);
            let mut given = Vec::new();
            let objects: Vec<u32> = if passive {
                view.kids(t, &["nsubj:pass"]).collect()
            } else {
                view.kids(t, &["obj"]).collect()
            };
            for o in objects {
                view.with_conjuncts(view.through_quantity(o), &mut given);
            }
            if give {
                let receivers = names(&marked(t, &lexicon.transfer_to));
                let givers = if passive {
                    names(&view.kids(t, &["obl:agent"]).collect::<Vec<_>>())
                } else {
                    names(&view.subjects(t, 0))
                };
                (givers, receivers, given)
            } else {
                if passive {
                    continue;
                }
                let from: Vec<u32> = marked(t, &lexicon.transfer_from)
                    .into_iter()
                    .filter(|&k| view.label(k) != "iobj")
                    .collect();
                (names(&from), names(&view.subjects(t, 0)), given)
            }
        } else if !transfer_cues(view, t).is_empty() && view.case_in(t, &lexicon.received_with) {
            // "with air support from the coalition": the clause's subject
            // receives it.
            let Some(h) = view.head(t) else { continue };
            let from: Vec<u32> = view
                .kids(t, &["nmod", "compound", "amod", "nmod:poss"])
                .filter(|&k| view.label(k) != "nmod" || view.case_in(k, &lexicon.transfer_from))
                .collect();
            let receivers = if view.tag(h) == "VERB" {
                names(&view.subjects(h, 0))
            } else {
                names(&[h])
            };
            (names(&from), receivers, vec![t])
        } else {
            continue;
        };
        if givers.is_empty() || receivers.is_empty() {
            continue;
        }
        for &g in &given {
            for &cue in transfer_cues(view, g) {
                let cue_span = Span::new(
                    view.spans[t as usize]
                        .start
                        .min(view.spans[g as usize].start),
                    view.spans[t as usize].end.max(view.spans[g as usize].end),
                );
                let rule = Rule::ParseTransfer;
                let at = (cue, cue_span, index, rule, rule.confidence());
                state_fitting(ex, out, at, &givers, &receivers, found);
            }
        }
    }
}

/// "Areas under IS control", "Mosul, which is under ISIS control": the
/// name modifying an `sg:underCue` noun after "under" holds what the
/// phrase hangs on (a name, or the subject of the clause it predicates).
fn under_nouns(view: &View, index: u32, out: &Extraction, found: &mut Vec<Relation>) {
    let ex = view.ex;
    if ex.frames.under.is_empty() {
        return;
    }
    for t in 0..view.spans.len() as u32 {
        let lemma = view.lemma(t);
        let found_cue = ex.frames.under.iter().find_map(|(preposition, noun, cue)| {
            let case = view
                .kids(t, &["case"])
                .find(|&k| view.lower[k as usize] == *preposition)?;
            (noun == lemma).then_some((case, *cue))
        });
        let Some((case, cue)) = found_cue else {
            continue;
        };
        if view.has_word(t, &ex.ontology.lexicon.negations).is_some() {
            continue;
        }
        let mut holders = Vec::new();
        for k in view.kids(t, &["compound", "nmod:poss", "amod"]) {
            view.mentions_of(k, &mut holders);
        }
        // "under the control of ISIS".
        for k in view.kids(t, &["nmod"]).collect::<Vec<_>>() {
            if view
                .kids(k, &["case"])
                .any(|c| view.lower[c as usize] == "of")
            {
                view.mentions_of(k, &mut holders);
            }
        }
        if holders.is_empty() {
            continue;
        }
        let mut held = Vec::new();
        if view.kids(t, &["cop"]).next().is_some() {
            // "Mosul is under ISIS control": the clause's subject.
            for s in view.subjects(t, 0) {
                view.mentions_of(s, &mut held);
            }
        } else if let Some(h) = view.head(t) {
            view.mentions_of(h, &mut held);
            if held.is_empty() && view.tag(h) == "VERB" {
                // "Raqqa remained under ISIS control", "fell under".
                for s in view.subjects(h, 0) {
                    view.mentions_of(s, &mut held);
                }
            }
            if held.is_empty() {
                // "areas of Mosul under ISIS control".
                for k in view.kids(h, &["nmod"]).collect::<Vec<_>>() {
                    if view
                        .kids(k, &["case"])
                        .any(|c| view.lower[c as usize] == "of")
                    {
                        view.mentions_of(k, &mut held);
                    }
                }
            }
        }
        let cue_span = Span::new(view.spans[case as usize].start, view.spans[t as usize].end);
        let at = (cue, cue_span, index, Rule::ParseInverse, 0.7);
        state_fitting(ex, out, at, &holders, &held, found);
    }
}

/// States the relation of cue `cue` (at `cue_span` in sentence `index`,
/// by `rule` with `confidence`) from each subject to each object, under
/// the first of the cue's properties (see `Ontology::properties_for`)
/// that some pair of them fits.
fn state_fitting(
    ex: &Extractor,
    out: &Extraction,
    (cue, cue_span, index, rule, confidence): (usize, Span, u32, Rule, f32),
    subjects: &[(u32, bool)],
    objects: &[(u32, bool)],
    found: &mut Vec<Relation>,
) {
    for property in ex.ontology.properties_for(ex.ontology.cues[cue].property) {
        let before = found.len();
        for &(s, _) in subjects {
            for &(o, _) in objects {
                let (a, b) = (&out.mentions[s as usize], &out.mentions[o as usize]);
                if a.entry == b.entry || !ex.fits(a, property, true) || !ex.fits(b, property, false)
                {
                    continue;
                }
                found.push(frame_relation(
                    (cue, property, cue_span),
                    (s, o),
                    index,
                    rule,
                    confidence,
                ));
            }
        }
        if found.len() > before {
            break;
        }
    }
}

/// A relation a frame found in sentence `index` for cue `cue`, undated,
/// unweakened, stated by the text itself.
fn frame_relation(
    cue: (usize, PropertyId, Span),
    (subject, object): (u32, u32),
    index: u32,
    rule: Rule,
    confidence: f32,
) -> Relation {
    let (cue, property, cue_span) = cue;
    Relation {
        property,
        subject,
        object,
        sentence: index,
        rule,
        cue: Some(cue),
        cue_span,
        confidence,
        when: None,
        modality: None,
        distant_subject: false,
        attributed_to: None,
    }
}

/// The longest frame whose words start at `t`, with the words matched.
fn best_frame(view: &View, t: u32) -> Option<(usize, Vec<u32>)> {
    let frames = &view.ex.frames;
    let mut best: Option<(usize, Vec<u32>)> = None;
    for key in [view.lemma(t), view.lower[t as usize].as_str()] {
        let Some(candidates) = frames.by_first.get(key) else {
            continue;
        };
        for &i in candidates {
            let f = &frames.frames[i];
            let fits_tag = match f.kind {
                CueKind::Verb => view.tag(t) == "VERB",
                // "includes", "led by"; "with the help of", "units under".
                CueKind::InverseVerb => {
                    view.tag(t) == "VERB" || (f.words.len() > 1 && view.tag(t) != "PUNCT")
                }
                _ => matches!(view.tag(t), "NOUN" | "PROPN" | "ADJ" | "ADP" | "VERB"),
            };
            if !fits_tag {
                continue;
            }
            let verb = f.kind == CueKind::Verb;
            let words = match match_rest(view, t, &f.words[1..], verb) {
                Some(words) => words,
                // "HRW's director": a possessor takes the place of a role's
                // preposition ("director of HRW").
                None if f.kind == CueKind::RoleNoun && f.preposition => {
                    let Some(words) = match_rest(view, t, &f.words[1..f.words.len() - 1], verb)
                    else {
                        continue;
                    };
                    let head = *words.last().expect("a frame has a word");
                    if view.role_possessor(head).is_none() {
                        continue;
                    }
                    words
                }
                None => continue,
            };
            if best.as_ref().is_none_or(|(b, w)| {
                words.len() > w.len()
                    || (words.len() == w.len() && frames.frames[*b].words.len() < f.words.len())
            }) {
                best = Some((i, words));
            }
        }
    }
    best
}

fn match_rest(view: &View, t: u32, rest: &[String], verb: bool) -> Option<Vec<u32>> {
    // "fired dozens of rockets at X": a verb cue and its preposition
    // further off than the gap allows, where the tree hangs the
    // preposition's noun on the verb's object.
    if let [preposition] = rest {
        if verb && view.tag(t) == "VERB" {
            let n = view.spans.len() as u32;
            let found = (t + 1..n.min(t + 10))
                .take_while(|&k| view.tag(k) != "PUNCT")
                .find(|&k| {
                    view.lower[k as usize] == *preposition && view.marked_object(k, t).is_some()
                });
            if let Some(k) = found {
                if k > t + 1 + GAP as u32 {
                    return Some(vec![t, k]);
                }
            }
        }
    }
    let mut words = vec![t];
    let mut at = t + 1;
    let n = view.spans.len() as u32;
    for w in rest {
        let mut skipped = 0;
        loop {
            if at >= n {
                return None;
            }
            if view.lower[at as usize] == *w || view.lemma(at) == w {
                words.push(at);
                at += 1;
                break;
            }
            if skipped == GAP || view.tag(at) == "PUNCT" {
                return None;
            }
            skipped += 1;
            at += 1;
        }
    }
    Some(words)
}

/// (subject mention, object mention, rule, through a group noun).
fn arguments(
    view: &View,
    out: &Extraction,
    f: &Frame,
    anchor: u32,
    words: &[u32],
) -> Vec<(u32, u32, Rule, bool)> {
    // An inverse cue is read as a verb or a phrase, its roles swapped:
    // "the coalition includes NATO", "Mosul, controlled by ISIS",
    // "the army, with the help of the coalition, ...".
    if f.kind == CueKind::InverseVerb {
        let kind = if view.tag(anchor) == "VERB" {
            CueKind::Verb
        } else {
            CueKind::Symmetric
        };
        let as_read = Frame { kind, ..f.clone() };
        return arguments(view, out, &as_read, anchor, words)
            .into_iter()
            .map(|(s, o, _, indirect)| (o, s, Rule::ParseInverse, indirect))
            .collect();
    }
    let lexicon = &view.ex.ontology.lexicon;
    // A role noun's possessive form has no preposition ("HRW's director").
    let possessive = f.preposition && words.len() < f.words.len();
    let prep = (f.preposition && !possessive).then(|| *words.last().expect("a frame has words"));
    let marked = prep.and_then(|p| view.marked_object(p, anchor));
    let mut subjects: Vec<u32> = Vec::new();
    let mut objects: Vec<u32> = Vec::new();
    let rule;
    match f.kind {
        CueKind::Verb => {
            let passive = view.is_passive(anchor) || view.is_passive_participle(anchor);
            if passive {
                rule = Rule::ParseVerbPassive;
                subjects.extend(view.kids(anchor, &["obl:agent"]));
                subjects.extend(
                    view.kids(anchor, &["obl"])
                        .filter(|&o| view.case_in(o, &lexicon.agent_markers)),
                );
                // "were killed in a U.S. drone strike": with no agent, the
                // name on the act the verb happened in.
                if subjects.is_empty() {
                    for o in view.kids(anchor, &["obl"]).collect::<Vec<_>>() {
                        if lexicon.event_nouns.iter().any(|e| e == view.lemma(o)) {
                            subjects.extend(
                                view.kids(o, &["compound", "amod", "nmod:poss"])
                                    .filter(|&k| view.mention[k as usize].is_some()),
                            );
                        }
                    }
                }
                let patients: Vec<u32> = view.kids(anchor, &["nsubj:pass"]).collect();
                if patients.is_empty() && view.is_passive_participle(anchor) {
                    match view.head(anchor) {
                        // "Backed by Iran, the group was founded in 2013":
                        // a participle opening the sentence is about the
                        // subject of the clause it leads into.
                        Some(h) if view.label(anchor) == "advcl" => {
                            objects.extend(
                                view.kids(h, &["nsubj", "nsubj:pass"])
                                    .map(|s| view.antecedent(h, s)),
                            );
                        }
                        h => objects.extend(h),
                    }
                } else {
                    objects.extend(patients.into_iter().map(|p| view.antecedent(anchor, p)));
                }
                if prep.is_some() {
                    // "X was linked to Y": the preposition's noun is the object,
                    // the passive subject the subject.
                    subjects = std::mem::take(&mut objects);
                    objects.extend(marked);
                }
            } else {
                rule = Rule::ParseVerb;
                subjects = view.subjects(anchor, 0);
                // "X cleared an airstrike targeting Y": a participle's noun
                // that names no one is the deed of the verb's subject.
                if view.label(anchor) == "acl" && !subjects.iter().any(|&s| view.names_anyone(s)) {
                    if let Some(h) = view.head(anchor).filter(|&h| view.label(h) == "obj") {
                        if let Some(v) = view.head(h) {
                            subjects = view.subjects(v, 0);
                        }
                    }
                }
                match prep {
                    Some(_) => objects.extend(marked),
                    None => {
                        objects.extend(view.kids(anchor, &["obj"]));
                        // "degrade and defeat ISIL": the object the
                        // conjuncts share hangs on the first of them.
                        if objects.is_empty() && view.label(anchor) == "conj" {
                            if let Some(h) = view.head(anchor) {
                                objects.extend(view.kids(h, &["obj"]).filter(|&o| o > anchor));
                            }
                        }
                    }
                }
            }
        }
        // "The Sinjar units clashed with Iraqi troops": a noun cue used
        // as a verb takes the verb's subject.
        CueKind::ActionNoun | CueKind::Symmetric
            if view.tag(anchor) == "VERB" && marked.is_some() =>
        {
            rule = Rule::ParseVerb;
            objects.extend(marked);
            subjects = view.subjects(anchor, 0);
        }
        CueKind::ActionNoun => {
            rule = Rule::ParseActionNoun;
            objects.extend(marked);
            for k in view.kids(anchor, &["nmod:poss", "compound", "amod"]) {
                match view.pronoun_possessor(anchor, k) {
                    // "X ... in their fight against Y": a possessive
                    // pronoun stands for the subject of its clause.
                    Some(clause) => subjects.extend(clause),
                    None => subjects.push(k),
                }
            }
            subjects.extend(
                view.kids(anchor, &["nmod", "obl"])
                    .filter(|&o| view.case_in(o, &lexicon.agent_markers)),
            );
            // "the attacks carried out by X": the agent of a participle.
            if subjects.is_empty() {
                for p in view.kids(anchor, &["acl"]).collect::<Vec<_>>() {
                    subjects.extend(view.kids(p, &["obl:agent"]));
                    subjects.extend(
                        view.kids(p, &["obl"])
                            .filter(|&o| view.case_in(o, &lexicon.agent_markers)),
                    );
                }
            }
            // "X launched attacks on Y", "X took part in operations
            // against Y", "X conducted air strikes against Y": the deed of
            // a light verb's subject, when nothing on the noun names one.
            let noun = view.through_quantity(anchor);
            if !subjects.iter().any(|&k| view.names_anyone(k))
                && matches!(view.label(noun), "obj" | "obl")
            {
                if let Some(v) = view.head(noun).filter(|&v| view.tag(v) == "VERB") {
                    let light = lexicon.light_verbs.iter().any(|l| l == view.lemma(v));
                    if light {
                        subjects = view.subjects(v, 0);
                    }
                }
            }
        }
        CueKind::RoleNoun => {
            rule = Rule::ParseRoleNoun;
            objects.extend(marked);
            let holders = view.peer_holders(f.property, anchor, out);
            // "X, whose leader Y": the name the relative clause is about.
            let owner = |k: u32| view.whose(k).unwrap_or(k);
            if holders.is_empty() {
                objects.extend(
                    view.kids(anchor, &["nmod:poss", "compound", "amod"])
                        .map(owner),
                );
            } else {
                objects.extend(view.kids(anchor, &["nmod:poss"]).map(owner));
                subjects.extend(holders);
            }
            if possessive {
                objects.extend(view.role_possessor(*words.last().expect("a word")));
            }
            if let ("appos" | "nmod:desc" | "compound" | "flat", Some(h)) =
                (view.label(anchor), view.head(anchor))
            {
                subjects.push(h);
            } else if let Some(h) = view.head(anchor).filter(|&h| {
                // "X, HRW's spokesman, said": a role set off by a comma
                // after the name it hangs on is in apposition to it,
                // whatever label the parse gave the arc.
                h < anchor
                    && view.mention[h as usize].is_some()
                    && (h + 1..anchor).any(|k| view.lower[k as usize] == ",")
            }) {
                subjects.push(h);
            }
            // "The UK, as part of the coalition, ...": the noun the role
            // phrase hangs on.
            if let ("nmod", Some(h)) = (view.label(anchor), view.head(anchor)) {
                if view.case_in(anchor, &lexicon.role_markers) {
                    subjects.push(h);
                }
            }
            // "HRW's director Lama Fakih": the name the parse hangs on it,
            // or a person's name right after it ("whose leader X is").
            subjects.extend(view.kids(anchor, &["appos", "flat"]));
            let last = *words.last().expect("a frame has words");
            if subjects.is_empty() && !f.preposition {
                let next = last + 1;
                if view
                    .mention
                    .get(next as usize)
                    .copied()
                    .flatten()
                    .is_some_and(|m| view.ex.class_is_person(&out.mentions[m as usize]))
                {
                    subjects.push(next);
                }
            }
            // "A spokesman for the UN High Commissioner for Human Rights,
            // Rupert Colville": a person in apposition read as the last
            // noun's is the role's.
            if subjects.is_empty() {
                let person = |k: u32| {
                    view.mention[k as usize]
                        .is_some_and(|m| view.ex.class_is_person(&out.mentions[m as usize]))
                };
                subjects.extend(
                    view.kids(anchor, &["nmod"])
                        .flat_map(|k| view.kids(k, &["appos"]))
                        .filter(|&k| person(k)),
                );
            }
            // "X is a member of Y", "X is one of the founding members of
            // Y" (the role's noun, under a first word that modifies it).
            let role = match words.get(1) {
                Some(&n) if view.head(anchor) == Some(n) => n,
                _ => anchor,
            };
            let said = view.through_quantity(role);
            if view.kids(said, &["cop"]).next().is_some() {
                subjects.extend(view.kids(said, &["nsubj"]));
            }
            // "The group's commander is X": the role is the subject, the
            // name it is said to be the holder.
            if let ("nsubj", Some(h)) = (view.label(anchor), view.head(anchor)) {
                if view.kids(h, &["cop"]).next().is_some() {
                    subjects.push(h);
                }
            }
            // "X became the leader of Y", "X works as part of Y": the role
            // is the subject's, through the verb.
            let through_verb = match view.label(anchor) {
                "xcomp" => true,
                "obl" => view.case_in(anchor, &lexicon.role_markers),
                _ => false,
            };
            if let (true, Some(v)) = (through_verb, view.head(anchor)) {
                subjects.extend(view.subjects(v, 0));
            }
        }
        _ => {
            rule = Rule::ParseSymmetric;
            objects.extend(marked);
            // The phrase belongs to the name it hangs on ("the government,
            // under the direction of X"), else to its clause's subject.
            let mut top = marked.unwrap_or(anchor);
            while let Some(h) = view.head(top).filter(|h| words.contains(h)) {
                top = h;
            }
            let named = view
                .head(top)
                .filter(|&h| view.label(top) == "nmod" && view.names_anyone(h));
            if let Some(h) = named {
                subjects.push(h);
            } else {
                let mut v = anchor;
                for _ in 0..3 {
                    if view.tag(v) == "VERB" {
                        break;
                    }
                    match view.head(v) {
                        Some(h) => v = h,
                        None => break,
                    }
                }
                if v != anchor {
                    subjects = view.subjects(v, 0);
                }
            }
        }
    }
    let mut ss = Vec::new();
    for s in subjects {
        view.mentions_of(s, &mut ss);
    }
    let mut os = Vec::new();
    for o in objects {
        view.mentions_of(o, &mut os);
    }
    let mut pairs = Vec::new();
    for &(s, si) in &ss {
        for &(o, oi) in &os {
            if s != o && !pairs.iter().any(|&(a, b, _, _)| (a, b) == (s, o)) {
                pairs.push((s, o, rule, si || oi));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::Ontology;
    use std::collections::BTreeSet;

    fn extractor() -> Extractor {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology");
        let ex = Extractor::new(Ontology::load(&dir, &[]).expect("the built-in ontology loads"));
        assert!(
            ex.ontology.reader.is_some(),
            "ontology/reader.model is committed"
        );
        ex
    }

    /// The relations a text states, as (subject, property, object) names.
    fn triples(ex: &Extractor, text: &str) -> BTreeSet<(String, String, String)> {
        let out = ex.extract(text);
        let name = |m: u32| {
            let e = out.mentions[m as usize].entry;
            match ex.ontology.entries.get(e) {
                Some(entry) => entry.pref_label.clone(),
                None => out.local[e - ex.ontology.entries.len()].name.clone(),
            }
        };
        out.relations
            .iter()
            .map(|r| {
                (
                    name(r.subject),
                    ex.ontology.properties[r.property].local.clone(),
                    name(r.object),
                )
            })
            .collect()
    }

    /// A date goes to the relations of its own clause: "since 2017" dates
    /// the leading, not the strike the other clause reports; a clause
    /// with no date of its own gets none.
    #[test]
    fn dates_belong_to_their_clause() {
        let ex = extractor();
        if ex.ontology.reader.is_none() {
            return;
        }
        let dated = |text: &str| -> BTreeSet<(String, Option<String>)> {
            let out = ex.extract(text);
            out.relations
                .iter()
                .map(|r| {
                    (
                        ex.ontology.properties[r.property].local.clone(),
                        r.when.map(|w| w.to_string()),
                    )
                })
                .collect()
        };
        let got = dated(
            "Since 2017 Qassem Soleimani has commanded the Quds Force, \
             which attacked the United States on 3 January 2020.",
        );
        let want: BTreeSet<(String, Option<String>)> = [
            ("leads".to_string(), Some("2017/..".to_string())),
            ("attacks".to_string(), Some("2020-01-03".to_string())),
        ]
        .into_iter()
        .collect();
        assert_eq!(got, want);
        let got = dated(
            "Qassem Soleimani commands the Quds Force, which attacked the United States in 2020.",
        );
        assert!(got.contains(&("leads".to_string(), None)), "{got:?}");
        assert!(
            !got.contains(&("leads".to_string(), Some("2020".to_string()))),
            "{got:?}"
        );
    }

    /// A clause on a possessed noun takes the possessor as its subject;
    /// "its" stands for the name right before it ("supported the Peshmerga
    /// in its efforts": the Peshmerga's efforts).
    #[test]
    fn a_possessed_noun_lends_its_possessor_to_its_clause() {
        let ex = extractor();
        if ex.ontology.reader.is_none() {
            return;
        }
        let got = triples(
            &ex,
            "The Global Coalition has supported the Peshmerga in its efforts to defeat ISIS.",
        );
        for want in [
            ("Global Coalition", "supports", "Peshmerga"),
            ("Peshmerga", "opposes", "ISIS"),
        ] {
            let want = (want.0.to_string(), want.1.to_string(), want.2.to_string());
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    }

    /// Each construction the parse reads, in sentences written for the
    /// test, with the exact relations expected.
    #[test]
    fn constructions_give_their_relations() {
        let ex = extractor();
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);
        let cases: &[Case] = &[
            // Coordination: every conjunct of the object.
            (
                "Iran openly supports Kata'ib Hezbollah and Hezbollah.",
                &[
                    ("Iran", "supports", "Kata'ib Hezbollah"),
                    ("Iran", "supports", "Hezbollah"),
                ],
            ),
            // Apposition with a role noun.
            (
                "Qassem Soleimani, the commander of the Quds Force, arrived late.",
                &[("Qassem Soleimani", "leads", "Quds Force")],
            ),
            // Passive with the agent after "by", away from the verb.
            (
                "Last year the Iraqi Security Forces were repeatedly attacked at night by ISIS.",
                &[("ISIS", "attacks", "Iraqi Security Forces")],
            ),
            // An action noun with "against", its subject through the light verb.
            (
                "Turkey launched a new offensive against ISIS.",
                &[("Turkey", "attacks", "ISIS")],
            ),
            // A role said of a copula's subject, through "one of" and a
            // modifier that opens the role.
            (
                "The United Kingdom is one of the founding members of the Global Coalition against Daesh.",
                &[("United Kingdom", "memberOf", "Global Coalition")],
            ),
            // Crews stand for the body naming them.
            (
                "Our RAF Typhoon crews, working in close cooperation with the Iraqi Security Forces, are busy.",
                &[("Royal Air Force", "cooperatesWith", "Iraqi Security Forces")],
            ),
            // A quantity noun is read through to the noun after its "of".
            (
                "The RAF struck a series of Daesh hideouts.",
                &[("Royal Air Force", "attacks", "ISIS")],
            ),
            (
                "ISIS has claimed a rising number of attacks in Kirkuk.",
                &[("ISIS", "operatesIn", "Kirkuk")],
            ),
            // "who" stands for the person an apposition describes, over
            // the acronym in brackets closing it.
            (
                "Its architect was Qassem Soleimani, commander of the Quds Force of Iran's Islamic Revolutionary \
                 Guard Corps (IRGC), who was killed in a US drone strike.",
                &[
                    ("Qassem Soleimani", "leads", "Quds Force"),
                    ("Islamic Revolutionary Guard Corps", "partOf", "Iran"),
                    ("United States", "attacks", "Qassem Soleimani"),
                ],
            ),
            // A possessor before a title is its state, over one modifier.
            (
                "Iraq's Prime Minister Adel Abdul Mahdi condemned the strike.",
                &[("Adel Abdul Mahdi", "leads", "Iraq")],
            ),
            (
                "Iraq's caretaker prime minister Adel Abdul Mahdi spoke.",
                &[("Adel Abdul Mahdi", "leads", "Iraq")],
            ),
            // A title after a preposition inside the sentence still has
            // its state before it.
            (
                "In 2019, shortly after US President Donald Trump spoke, the talks ended.",
                &[("Donald Trump", "leads", "United States")],
            ),
            // A target noun stands for the name that modifies it.
            (
                "The RAF continues to strike Daesh targets.",
                &[("Royal Air Force", "attacks", "ISIS")],
            ),
            // A name joined to an agent compound cue inside a known name
            // is the cue's subject (when the document names it too).
            (
                "The United States sent troops. The US-led coalition carried out airstrikes.",
                &[("United States", "leads", "Global Coalition")],
            ),
            // A role's holder after dotted titles, and after the
            // acronym of the role's body.
            (
                "CENTCOM Commander Gen. Michael Erik Kurilla praised the raid.",
                &[("Michael Erik Kurilla", "leads", "US Central Command")],
            ),
            (
                "The head of the UN Assistance Mission for Iraq (UNAMI), Jeanine Hennis-Plasschaert, spoke.",
                &[("Jeanine Hennis-Plasschaert", "leads", "UNAMI")],
            ),
            // A name set off right before an inverse cue is its own, in a
            // list too.
            (
                "Its factions include Kataib Hezbollah, Asaib Ahl al-Haq, led by Qais al-Khazali, and Badr.",
                &[("Qais al-Khazali", "leads", "Asa'ib Ahl al-Haq")],
            ),
            // A presence noun under a light verb places its subject, as an
            // event noun does; a sender is where it sends.
            (
                "Kataib Hezbollah maintains positions around Albu Kamal and Mayadin.",
                &[
                    ("Kata'ib Hezbollah", "operatesIn", "Albu Kamal"),
                    ("Kata'ib Hezbollah", "operatesIn", "Mayadin"),
                ],
            ),
            (
                "In June, IS militants blew up the al-Nuri Mosque.",
                &[("ISIS", "attacks", "Nuri Mosque")],
            ),
            // A role as the subject of a copula: the name it is said to be
            // holds it.
            (
                "The SDF's general commander is Mazloum Abdi.",
                &[("Mazloum Abdi", "leads", "Syrian Democratic Forces")],
            ),
            // A participle with its agent on a clause is about the
            // clause's subject, before it or after.
            (
                "In 2014, backed by Iran, the PMF retook Tikrit.",
                &[
                    ("Iran", "supports", "Popular Mobilization Forces"),
                    ("Popular Mobilization Forces", "controls", "Tikrit"), ("Popular Mobilization Forces", "operatesIn", "Tikrit"),
                ],
            ),
            (
                "The Fatemiyoun Brigade fought alongside Syrian government forces.",
                &[("Fatemiyoun Brigade", "cooperatesWith", "Syrian government forces")],
            ),
            // A name of a body and a person's run together are two
            // names, the title word between them the role.
            (
                "Hezbollah chief Hassan Nasrallah spoke on Sunday.",
                &[("Hassan Nasrallah", "leads", "Hezbollah")],
            ),
            // Every place of a list is where the deed happens, and the
            // places a place noun names.
            (
                "ISIS carried out attacks in Kirkuk, Diyala and Anbar.",
                &[
                    ("ISIS", "operatesIn", "Kirkuk"),
                    ("ISIS", "operatesIn", "Diyala"),
                    ("ISIS", "operatesIn", "Anbar"),
                ],
            ),
            (
                "Turkey conducted strikes against the PKK in the governorates of Duhok, Erbil and Sulaymaniyah.",
                &[
                    ("Turkey", "attacks", "Kurdistan Workers' Party"),
                    ("Turkey", "operatesIn", "Duhok"),
                    ("Turkey", "operatesIn", "Erbil"),
                    ("Turkey", "operatesIn", "Sulaymaniyah"),
                ],
            ),
            // A modifier that names no one leaves the deed to the light
            // verb's subject; the object is the owner of the target.
            (
                "Turkey conducted air strikes against positions of the PKK.",
                &[("Turkey", "attacks", "Kurdistan Workers' Party")],
            ),
            // A deed in a phrase of a light verb: "took part in operations against".
            (
                "Last year Turkey took part in new operations against ISIS.",
                &[("Turkey", "attacks", "ISIS")],
            ),
            // A relative clause: the noun it modifies is the subject.
            (
                "Hezbollah, which fought ISIS for years, trains fighters.",
                &[("Hezbollah", "opposes", "ISIS")],
            ),
            // A possessive pronoun stands for the name right before it;
            // a role it possesses goes to the name set off after it.
            (
                "The United States has imposed sanctions on Harakat al-Nujaba and its leader, Akram al-Kaabi.",
                &[
                    ("United States", "opposes", "Harakat Hezbollah al-Nujaba"),
                    ("Akram al-Kaabi", "leads", "Harakat Hezbollah al-Nujaba"),
                ],
            ),
            // "its" with a person before it: the body of the sentence before.
            (
                "Kata'ib Hezbollah grew quickly. Abu Mahdi al-Muhandis was its leader.",
                &[("Abu Mahdi al-Muhandis", "leads", "Kata'ib Hezbollah")],
            ),
            // "his": a person's; a body noun he possesses, set off by a name.
            (
                "Muqtada al-Sadr said his militia, Saraya al-Salam, would fight ISIS.",
                &[
                    ("Muqtada al-Sadr", "leads", "Saraya al-Salam"),
                    ("Saraya al-Salam", "opposes", "ISIS"),
                ],
            ),
            // A description set off after a name stands for it.
            (
                "Hezbollah fought in Syria. Hay'at Tahrir al-Sham (HTS), the dominant rebel \
                 group in Idlib, fought ISIS.",
                &[
                    ("Hezbollah", "operatesIn", "Syria"),
                    ("Hay'at Tahrir al-Sham", "operatesIn", "Idlib"),
                    ("Hay'at Tahrir al-Sham", "opposes", "ISIS"),
                ],
            ),
            // A clause right after a noun that names no one: no linear
            // subject from further back.
            (
                "Turkey struck the Sinjar Resistance Units, a Yazidi militia linked to the PKK.",
                &[
                    ("Turkey", "attacks", "Sinjar Resistance Units"),
                    ("Sinjar Resistance Units", "alignedWith", "Kurdistan Workers' Party"),
                ],
            ),
            (
                "Turkey struck a Yazidi militia linked to the PKK.",
                &[],
            ),
            // "it" after a reporting verb: the speaker.
            (
                "Kata'ib Hezbollah said on Monday that it would attack Turkey.",
                &[("Kata'ib Hezbollah", "attacks", "Turkey")],
            ),
            // A group noun stands for the names of its "of", "from" or
            // "by" phrase, each conjunct; a verb the tree reads as active
            // is no passive with the later "by".
            (
                "NATO trained members of the Iraqi Security Forces and the Peshmerga.",
                &[
                    ("NATO", "trains", "Iraqi Security Forces"),
                    ("NATO", "trains", "Peshmerga"),
                ],
            ),
            (
                "Instructors from Germany and Italy have trained the Peshmerga.",
                &[("Germany", "trains", "Peshmerga"), ("Italy", "trains", "Peshmerga")],
            ),
            (
                "Israel struck positions held by Hezbollah and the Fatemiyoun Brigade.",
                &[
                    ("Israel", "attacks", "Hezbollah"),
                    ("Israel", "attacks", "Fatemiyoun Brigade"),
                ],
            ),
            // A passive with no agent, in an act a name modifies; a
            // state's demonym before an act stands for the state.
            (
                "Abu Mahdi al-Muhandis was killed in a U.S. airstrike near Baghdad.",
                &[("United States", "attacks", "Abu Mahdi al-Muhandis")],
            ),
            (
                "The ISIS leader was killed in a Turkish raid.",
                &[("Turkey", "attacks", "ISIS")],
            ),
            // Giving a named recipient something; a bare role noun
            // between a body and a person; arrests.
            (
                "Tehran has provided the Houthis with drones.",
                &[("Iran", "supports", "Houthis")],
            ),
            (
                "Badr Organization chief Hadi al-Amiri met Iranian officials.",
                &[("Hadi al-Amiri", "leads", "Badr Organization")],
            ),
            (
                "Iraqi police arrested two Kata'ib Hezbollah commanders.",
                &[("Iraqi police", "opposes", "Kata'ib Hezbollah")],
            ),
            // Negation on the verb a phrase hangs on, over its nouns.
            (
                "NATO forces do not engage in field operations in cooperation with Turkey.",
                &[],
            ),
            // A relative clause set off by commas is about the name before
            // it, not the subject of the verb after it.
            (
                "Ismail Qaani, who succeeded Qassem Soleimani as commander of the Quds Force \
                 in 2020, has visited Baghdad.",
                &[
                    ("Esmail Qaani", "leads", "Quds Force"),
                    ("Esmail Qaani", "operatesIn", "Baghdad"),
                ],
            ),
            // A bare role noun before a title and a name: the role is
            // the titled person's, not the subject's before it.
            (
                "Mustafa al-Kadhimi met NATO Mission Iraq commander Lieutenant General \
                 Jose Antonio Aguero.",
                &[("Jose Antonio Aguero", "leads", "NATO Mission Iraq")],
            ),
            // A verb cue's preposition further off, on its object's noun;
            // a patrol named by a body stands for it.
            (
                "Hezbollah fired dozens of rockets at northern Israel on Monday.",
                &[("Hezbollah", "attacks", "Israel")],
            ),
            (
                "ISIS ambushed an Iraqi army patrol.",
                &[("ISIS", "attacks", "Iraqi Army")],
            ),
            // What is driven out of a place was there.
            (
                "The Global Coalition pushed ISIS out of Kobane.",
                &[
                    ("Global Coalition", "opposes", "ISIS"),
                    ("ISIS", "operatesIn", "Kobane"),
                ],
            ),
            (
                "Iraqi forces cleared ISIS from Ramadi in 2016.",
                &[("ISIS", "operatesIn", "Ramadi")],
            ),
            // Negation read from the tree.
            ("Turkey did not attack ISIS.", &[]),
            // A role through the verb: "as" and a predicate after "become".
            (
                "Since 1952 Turkey has served as a member of NATO.",
                &[("Turkey", "memberOf", "NATO")],
            ),
            // Titles of heads of government, before the name or with "of".
            (
                "Iraqi Prime Minister Mustafa al-Kadhimi spoke to reporters.",
                &[("Mustafa al-Kadhimi", "leads", "Iraq")],
            ),
            (
                "Prime Minister Haider al-Abadi of Iraq spoke to reporters.",
                &[("Haider al-Abadi", "leads", "Iraq")],
            ),
            // A place in a phrase of the actor's verb, not next to the name.
            (
                "Kata'ib Hezbollah has grown stronger in Baghdad.",
                &[("Kata'ib Hezbollah", "operatesIn", "Baghdad")],
            ),
            // The place of a meeting: both who met and whom they met.
            (
                "Qassem Soleimani met Hadi al-Amiri in Baghdad.",
                &[
                    ("Qassem Soleimani", "operatesIn", "Baghdad"),
                    ("Hadi al-Amiri", "operatesIn", "Baghdad"),
                ],
            ),
            // Possessives: a state's body is part of it, a person's group led.
            (
                "Iran's Quds Force has grown.",
                &[("Quds Force", "partOf", "Iran")],
            ),
            (
                "Sadr's Mahdi Army has grown.",
                &[("Muqtada al-Sadr", "leads", "Mahdi Army")],
            ),
            // A possessive pronoun stands for its clause's subject.
            (
                "Turkey reiterated its support for the Peshmerga.",
                &[("Turkey", "supports", "Peshmerga")],
            ),
            // ... also when it follows another name, on an act of its
            // clause's verb.
            (
                "The Peshmerga seized the Mosul Dam in their battle with ISIS.",
                &[
                    ("Peshmerga", "controls", "Mosul Dam"), ("Peshmerga", "operatesIn", "Mosul Dam"),
                    ("Peshmerga", "opposes", "ISIS"),
                ],
            ),
            // A peer's role possessed by one name and held by another.
            (
                "Syrian government forces and their Hezbollah allies moved into the suburb.",
                &[("Hezbollah", "alignedWith", "Syrian government forces")],
            ),
            // Members of a noun: "including", and "X and other Ns".
            (
                "Kurdish forces took key towns in Nineveh including Rabiyah and Zumar.",
                &[
                    ("Rabiyah", "locatedIn", "Nineveh"),
                    ("Zumar", "locatedIn", "Nineveh"),
                ],
            ),
            (
                "The bombardment hit Aleppo and other towns in Syria.",
                &[("Aleppo", "locatedIn", "Syria")],
            ),
            // A place outside another is not in it.
            (
                "Israel struck Sabboura, an area outside Damascus.",
                &[("Israel", "attacks", "Sabboura")],
            ),
            // A tribe is a body, and its members stand for it.
            (
                "ISIS killed 70 members of the Al bu Nimr tribe.",
                &[("ISIS", "attacks", "Al bu Nimr tribe")],
            ),
            // A relative clause on a predicate noun: the copula's subject.
            (
                "EUAM Iraq is a civilian-led operation that supports the Iraqi government.",
                &[("EUAM Iraq", "supports", "Iraqi government")],
            ),
            // A participle on a deed: the deed's doer is its subject.
            (
                "The Trump administration cleared an airstrike targeting Qassem Soleimani.",
                &[("Trump administration", "attacks", "Qassem Soleimani")],
            ),
            // A phrase cue whose names do not fit its property states the
            // ontology's other one (sg:otherwise): a state part of a coalition.
            (
                "The United Kingdom, as part of the Global Coalition, sent troops.",
                &[("United Kingdom", "memberOf", "Global Coalition")],
            ),
            // Inverse cues: the roles swapped, as a verb or as a phrase.
            (
                "The Global Coalition includes NATO and Australia.",
                &[
                    ("NATO", "memberOf", "Global Coalition"),
                    ("Australia", "memberOf", "Global Coalition"),
                ],
            ),
            (
                "The Iraqi army, with the help of the Global Coalition, retook Tikrit.",
                &[
                    ("Global Coalition", "supports", "Iraqi Army"),
                    ("Iraqi Army", "controls", "Tikrit"), ("Iraqi Army", "operatesIn", "Tikrit"),
                ],
            ),
            // "taken by": a place taken is held by its taker.
            (
                "Mosul was taken by ISIS in 2014.",
                &[("ISIS", "controls", "Mosul"), ("ISIS", "operatesIn", "Mosul")],
            ),
            // "under X control": X holds what the phrase hangs on.
            (
                "Mosul is under ISIS control.",
                &[("ISIS", "controls", "Mosul"), ("ISIS", "operatesIn", "Mosul")],
            ),
            // A leads cue between an actor and a place states controls
            // (sg:otherwise); control through a light verb and its noun.
            (
                "Mosul is the largest city controlled by Daesh.",
                &[("ISIS", "controls", "Mosul"), ("ISIS", "operatesIn", "Mosul")],
            ),
            (
                "The Peshmerga regained control of Sinjar.",
                &[("Peshmerga", "controls", "Sinjar"), ("Peshmerga", "operatesIn", "Sinjar")],
            ),
            // The company of a verb is where it happens too.
            (
                "The minister met with Ibrahim al-Jaafari in Baghdad.",
                &[("Ibrahim al-Jaafari", "operatesIn", "Baghdad")],
            ),
            // "to" and "into" place a verb's subject after verbs of motion
            // only (sg:motionVerb).
            (
                "Karim Wasifi slipped into Baghdad to help musicians.",
                &[("Karim Wasifi", "operatesIn", "Baghdad")],
            ),
            (
                "Iran sent weapons to Yemen.",
                &[("Iran", "supports", "Yemen")],
            ),
            // Two places joined by a comma or "in", not in a list.
            (
                "The attack hit Karrada, Baghdad, and the Nineveh province in Iraq.",
                &[
                    ("Karrada", "locatedIn", "Baghdad"),
                    ("Nineveh", "locatedIn", "Iraq"),
                ],
            ),
            ("Refugees live in Jordan, Lebanon and Turkey.", &[]),
            // A group noun passes the role to the name after "of".
            (
                "ISIS killed members of the Peshmerga.",
                &[("ISIS", "attacks", "Peshmerga")],
            ),
            // A possessor in place of a role's preposition; a deputy's
            // role is a member's, not the head's.
            (
                "Karim Haddad, Hezbollah's spokesman, told reporters that it was false.",
                &[("Karim Haddad", "memberOf", "Hezbollah")],
            ),
            (
                "Karim Haddad, the deputy leader of Hezbollah, told reporters that it was false.",
                &[("Karim Haddad", "memberOf", "Hezbollah")],
            ),
            (
                "Karim Haddad, Hezbollah's vice president, told reporters that it was false.",
                &[("Karim Haddad", "memberOf", "Hezbollah")],
            ),
            // Officers' titles align their holder with the state before
            // them; only the longest title counts (a deputy prime minister
            // leads nothing, and a minister's own state is no relation),
            // and a state after a preposition is no title's.
            (
                "Iranian Major General Qassem Soleimani was killed in an airstrike.",
                &[("Qassem Soleimani", "alignedWith", "Iran")],
            ),
            ("Iraqi Deputy Prime Minister Fuad Hussein spoke to reporters.", &[]),
            ("In Turkey Minister Tobias Ellwood spoke to reporters.", &[]),
            // A noun cue used as a verb takes the verb's subject.
            (
                "The Sinjar Resistance Units clashed with ISIS on Sunday.",
                &[("Sinjar Resistance Units", "opposes", "ISIS")],
            ),
            // A place noun stands for the name compounded with it; a
            // checkpoint for the army it belongs to.
            (
                "ISIS militants attacked an Iraqi army checkpoint in Diyala province.",
                &[
                    ("ISIS", "attacks", "Iraqi Army"),
                    ("Iraqi Army", "operatesIn", "Diyala"),
                ],
            ),
            // An arrest ordered is the orderer's deed.
            (
                "Mustafa al-Kadhimi ordered the arrest of Kata'ib Hezbollah members.",
                &[("Mustafa al-Kadhimi", "opposes", "Kata'ib Hezbollah")],
            ),
            // A participle set off after a name, its agent after "by".
            (
                "The Kurdistan Workers' Party, designated a terrorist organisation by Turkey, \
                 has fought the Turkish state since 1984.",
                &[("Turkey", "opposes", "Kurdistan Workers' Party")],
            ),
            // A role noun that is a verb's object is no apposition of the
            // verb's subject.
            (
                "Iraqi Security Forces arrested several members of Kata'ib Hezbollah in June.",
                &[("Iraqi Security Forces", "opposes", "Kata'ib Hezbollah")],
            ),
            // A negation on the light verb a noun cue serves, read over
            // the parse, holds for the linear rules too.
            (
                "Asa'ib Ahl al-Haq had not taken part in the attacks on the Peshmerga.",
                &[],
            ),
            // Command assumed; a caliph leads.
            (
                "Michael Lollesgaard assumed command of NATO Mission Iraq in November 2020.",
                &[("Michael Lollesgaard", "leads", "NATO Mission Iraq")],
            ),
            // A speaker after the reported clause is no argument of it.
            (
                "Iraqi jets bombed ISIS hideouts in the Hamrin Mountains, the Joint Operations \
                 Command said.",
                &[
                    ("Iraq", "attacks", "ISIS"),
                    ("ISIS", "operatesIn", "Hamrin Mountains"),
                ],
            ),
            // A verb's object does what the clause under it says.
            (
                "Iran urged the Popular Mobilization Forces to attack US bases.",
                &[("Popular Mobilization Forces", "attacks", "United States")],
            ),
            // ... and when that object names no one, nothing further back
            // is the clause's subject.
            (
                "Hezbollah helped the Assad government retake Aleppo from the rebels.",
                &[],
            ),
            (
                "Iran helped the Syrian army recapture Palmyra.",
                &[
                    ("Iran", "supports", "Syrian army"),
                    ("Syrian army", "controls", "Palmyra"), ("Syrian army", "operatesIn", "Palmyra"),
                ],
            ),
            // An inverse phrase hung on a name is about that name.
            (
                "The coalition moved to bolster the Iraqi government, under the direction of \
                 Prime Minister Mustafa al-Kadhimi.",
                &[("Mustafa al-Kadhimi", "leads", "Iraqi government")],
            ),
            // A compound in apposition qualifies the name before it.
            (
                "Asa'ib Ahl al-Haq, an Iranian-backed militia, has fought in Syria.",
                &[
                    ("Iran", "supports", "Asa'ib Ahl al-Haq"),
                    ("Asa'ib Ahl al-Haq", "operatesIn", "Syria"),
                ],
            ),
            // Support received, and a verb of negation over the clause.
            (
                "The Peshmerga received weapons from Germany.",
                &[("Germany", "supports", "Peshmerga")],
            ),
            ("Iran denied arming the Houthis.", &[]),
            // Condemning a state's strikes opposes the state, whose
            // strikes place it.
            (
                "The Iraqi government condemned the Turkish airstrikes in Sinjar.",
                &[
                    ("Iraqi government", "opposes", "Turkey"),
                    ("Turkey", "operatesIn", "Sinjar"),
                ],
            ),
            // A place phrase after "near".
            (
                "The attack was carried out by ISIS militants near Kirkuk.",
                &[("ISIS", "operatesIn", "Kirkuk")],
            ),
            // A place in a phrase on a name, with words between them.
            (
                "The city of Mosul in northern Iraq was taken by ISIS.",
                &[
                    ("ISIS", "controls", "Mosul"), ("ISIS", "operatesIn", "Mosul"),
                    ("Mosul", "locatedIn", "Iraq"),
                ],
            ),
            (
                "The Kata'ib Hezbollah units in western Baghdad have grown stronger since 2019.",
                &[("Kata'ib Hezbollah", "operatesIn", "Baghdad")],
            ),
            // A name joined by a hyphen modifies the noun after it: no
            // argument of the verb, nor a backer of the name after the
            // verb.
            (
                "Iranian-backed militias attacked US forces near Kirkuk.",
                &[("United States", "operatesIn", "Kirkuk")],
            ),
            (
                "US forces struck Kata'ib Hezbollah targets along the Iraq-Syria border.",
                &[("United States", "attacks", "Kata'ib Hezbollah")],
            ),
            // A verb's form after an article is a noun.
            (
                "Iraqi Prime Minister Mustafa al-Kadhimi condemned the attack and ordered the Joint Operations Command to act.",
                &[("Mustafa al-Kadhimi", "leads", "Iraq")],
            ),
            // A name in a parenthesis closed before the verb is no subject.
            ("BAGHDAD (Reuters) - Rockets struck Ain al-Asad air base on Wednesday.", &[]),
            // The name a possessor owns is the object, not the possessor.
            (
                "NATO Mission Iraq will expand its work with Iraq's Ministry of Interior.",
                &[
                    ("NATO Mission Iraq", "cooperatesWith", "Iraqi Ministry of Interior"),
                    ("Iraqi Ministry of Interior", "partOf", "Iraq"),
                ],
            ),
            // A compound's noun phrase holds the names it is said to
            // include, or joins the name before "and other".
            (
                "Iranian-backed groups such as Kata'ib Hezbollah, Asa'ib Ahl al-Haq and Badr operate there.",
                &[
                    ("Iran", "supports", "Kata'ib Hezbollah"),
                    ("Iran", "supports", "Asa'ib Ahl al-Haq"),
                    ("Iran", "supports", "Badr Organization"),
                ],
            ),
            (
                "The strikes hit facilities used by Kata'ib Hezbollah and other Iran-aligned groups.",
                &[("Kata'ib Hezbollah", "alignedWith", "Iran")],
            ),
            // A news wire's credit line states nothing.
            (
                "(Reporting by Ahmed Saeed in Baghdad and Idrees Malik in Washington; Editing by Daniel Farrow)",
                &[],
            ),
            // A name an auxiliary follows opens a clause, it ends no list;
            // a list joins persons with persons.
            (
                "NATO Mission Iraq is commanded by Per Pugholm Olsen, and Denmark has offered more troops.",
                &[("Per Pugholm Olsen", "leads", "NATO Mission Iraq")],
            ),
            (
                "Others, such as the Badr Organization, under the leadership of Hadi al-Amiri, and Asa'ib \
                 Ahl al-Haq (AAH), headed by Qais al-Khazali, reject the plan.",
                &[
                    ("Hadi al-Amiri", "leads", "Badr Organization"),
                    ("Qais al-Khazali", "leads", "Asa'ib Ahl al-Haq"),
                ],
            ),
            // An Arabic name of an armed group opens with the group's
            // kind; a preposition of the verb's cue places nothing.
            (
                "Saraya Awliya al-Dam fired rockets at Ain al-Asad air base.",
                &[("Saraya Awliya al-Dam", "attacks", "Ain al-Asad")],
            ),
            (
                "Liwa Abu al-Fadhl al-Abbas, the formation recruited by the Quds Force, fought in Syria.",
                &[("Liwa Abu al-Fadhl al-Abbas", "operatesIn", "Syria")],
            ),
            (
                "Damascus did not comment, nor did Iran-backed fighters including Lebanon's Hezbollah.",
                &[
                    ("Iran", "supports", "Hezbollah"),
                    ("Hezbollah", "partOf", "Lebanon"),
                ],
            ),
            // A role of a name and its head noun, held by the titled
            // person set off after them.
            (
                "The head of the Asa'ib Ahl al-Haq movement, Sheikh Qais al-Khazali, spoke on Monday.",
                &[("Qais al-Khazali", "leads", "Asa'ib Ahl al-Haq")],
            ),
            // A government named after its titled leader is a body he leads.
            (
                "The government of Prime Minister Mohammed Shia al-Sudani condemned the U.S. strikes.",
                &[
                    (
                        "Mohammed Shia al-Sudani",
                        "leads",
                        "government of Prime Minister Mohammed Shia al-Sudani",
                    ),
                    (
                        "government of Prime Minister Mohammed Shia al-Sudani",
                        "opposes",
                        "United States",
                    ),
                ],
            ),
            // "than" after "more" counts, it opens no phrase of its own.
            (
                "The Global Coalition had provided training to more than 50,000 Peshmerga fighters since 2015.",
                &[("Global Coalition", "trains", "Peshmerga")],
            ),
            // A person's name starts after the nationality and the titles.
            (
                "NATO Mission Iraq is commanded by Danish Maj. Gen. Per Pugholm Olsen.",
                &[("Per Pugholm Olsen", "leads", "NATO Mission Iraq")],
            ),
            // Numbered units are names: an ordinal opens one, a number
            // closes one.
            (
                "The attackers ambushed a patrol of the Iraqi Army's 8th Division near Kirkuk.",
                &[
                    ("8th Division", "partOf", "Iraqi Army"),
                    ("8th Division", "operatesIn", "Kirkuk"),
                ],
            ),
            (
                "The desert around al-Qaim is held by the PMF's Brigade 45.",
                &[("Brigade 45", "partOf", "Popular Mobilization Forces")],
            ),
            // A body "of" a body is its part, over an article.
            (
                "The 52nd Brigade of the PMF mans checkpoints.",
                &[("52nd Brigade", "partOf", "Popular Mobilization Forces")],
            ),
            // "whose" stands for the name the relative clause is about.
            (
                "But Harakat al-Nujaba, whose leader Akram al-Kaabi is close to the IRGC, said it will continue.",
                &[("Akram al-Kaabi", "leads", "Harakat Hezbollah al-Nujaba")],
            ),
            (
                "Asa'ib Ahl al-Haq, whose leader is Qais al-Khazali, joined the bloc.",
                &[("Qais al-Khazali", "leads", "Asa'ib Ahl al-Haq")],
            ),
            // What one gives another: each noun given states its property,
            // from the giver to the receiver.
            (
                "Since 2015, the United States has provided stipends, equipment and training to the Peshmerga.",
                &[
                    ("United States", "supports", "Peshmerga"),
                    ("United States", "trains", "Peshmerga"),
                ],
            ),
            (
                "In 2019 the Iraqi Army received night-vision equipment and armoured vehicles from the United States.",
                &[("United States", "supports", "Iraqi Army")],
            ),
            (
                "The Peshmerga, with air support from the Global Coalition, retook the town.",
                &[("Global Coalition", "supports", "Peshmerga")],
            ),
            ("Hezbollah did not receive weapons from Russia.", &[]),
            // A relative clause after an apposition is about the name the
            // apposition describes.
            (
                "NATO Mission Iraq works closely with EUAM Iraq, the EU's civilian advisory mission, which \
                 advises the Ministry of Interior.",
                &[
                    ("EUAM Iraq", "advises", "Iraqi Ministry of Interior"),
                    ("NATO Mission Iraq", "cooperatesWith", "EUAM Iraq"),
                    ("EUAM Iraq", "partOf", "European Union"),
                ],
            ),
            // A body commands another.
            (
                "US strikes hit a depot of Liwa Fatemiyoun, the Afghan militia that is working under the \
                 command of the Quds Force.",
                &[
                    ("United States", "attacks", "Fatemiyoun Brigade"),
                    ("Quds Force", "leads", "Fatemiyoun Brigade"),
                ],
            ),
            // A nationality word before a title is an adjective: the
            // officer is the subject.
            (
                "Iranian Major General Qassem Soleimani arrived in Baghdad.",
                &[
                    ("Qassem Soleimani", "alignedWith", "Iran"),
                    ("Qassem Soleimani", "operatesIn", "Baghdad"),
                ],
            ),
            // A comma may set the name off after its title.
            (
                "Iranian Major General, Qassem Soleimani, arrived.",
                &[("Qassem Soleimani", "alignedWith", "Iran")],
            ),
            // A spokesperson speaks as a member.
            (
                "SDF spokesman Farhad Shami said the strikes failed.",
                &[("Farhad Shami", "memberOf", "Syrian Democratic Forces")],
            ),
            // A possessive pronoun on an act noun is its clause's subject,
            // not the name nearest before it.
            (
                "Iraqi forces have seized full control of Mosul University in their battle with \
                 so-called Islamic State, Iraqi state television said.",
                &[("Iraqi Security Forces", "opposes", "ISIS")],
            ),
            // An unresolved subject pronoun stands for the sentence's
            // subject, not for the name right before it.
            (
                "The State Department designated Kata'ib Hezbollah in 2009, and in 2019 it designated \
                 Harakat al-Nujaba.",
                &[
                    ("US Department of State", "opposes", "Kata'ib Hezbollah"),
                    ("US Department of State", "opposes", "Harakat Hezbollah al-Nujaba"),
                ],
            ),
            // A role after an indefinite article is one of many: a member.
            (
                "Qasim Muslih, a commander of the Popular Mobilization Forces, was arrested.",
                &[("Qasim Muslih", "memberOf", "Popular Mobilization Forces")],
            ),
            // A yes/no question asserts nothing; a wh-question keeps what
            // its noun phrases presuppose.
            ("Will the Government proscribe the Houthis?", &[]),
            (
                "What is the future of the Global Coalition in Iraq?",
                &[("Global Coalition", "operatesIn", "Iraq")],
            ),
            // A verb that predicates "under ... control" of its subject.
            (
                "Raqqa remained under ISIS control until 2017.",
                &[("ISIS", "controls", "Raqqa"), ("ISIS", "operatesIn", "Raqqa")],
            ),
        ];
        for (text, want) in cases {
            let want: BTreeSet<(String, String, String)> = want
                .iter()
                .map(|(s, p, o)| (s.to_string(), p.to_string(), o.to_string()))
                .collect();
            assert_eq!(triples(&ex, text), want, "{text}");
        }
    }
}
