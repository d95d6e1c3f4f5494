//! The domain knowledge, read from Turtle at run time: entity classes,
//! relation properties with their domains and ranges, the gazetteer of known
//! entities, the cue words of each property and the lexicon of function
//! words. Nothing here knows an actor's name: it interprets whatever the
//! files say.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use crate::error::{Error, Result};

pub const SG: &str = "https://w3id.org/stratagraph/ontology#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";

/// Index of a class in [`Ontology::classes`].
pub type ClassId = usize;
/// Index of a property in [`Ontology::properties`].
pub type PropertyId = usize;
/// Index of an entry in [`Ontology::entries`].
pub type EntryId = usize;

/// A set of classes, one bit per [`ClassId`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassSet(u128);

impl ClassSet {
    pub const ALL: ClassSet = ClassSet(u128::MAX);

    pub fn with(self, class: ClassId) -> ClassSet {
        ClassSet(self.0 | (1u128 << class))
    }

    pub fn union(self, other: ClassSet) -> ClassSet {
        ClassSet(self.0 | other.0)
    }

    pub fn intersects(self, other: ClassSet) -> bool {
        self.0 & other.0 != 0
    }
}

#[derive(Clone, Debug)]
pub struct Class {
    pub iri: String,
    /// The local name after `#` or the last `/`: `ArmedGroup`.
    pub local: String,
    pub label: String,
    /// The class and all its superclasses.
    pub ancestors: ClassSet,
    /// Head nouns that, after "the" or "this", refer back to the last
    /// entity of this class ("the mission", "the group").
    pub anaphors: Vec<String>,
    /// Whether "the country" means the class's most named entity in the
    /// document so far, rather than the last one named.
    pub anaphor_by_salience: bool,
    /// Pronouns that refer to the first entity of this class named before
    /// them, in their sentence or the one before ("he", "she" for persons).
    pub pronouns: Vec<String>,
    /// Graphviz shape and fill colour, if the ontology gives them.
    pub shape: Option<String>,
    pub color: Option<String>,
    /// Capitalised words that make a name of this class: "Ministry", "Brigade".
    pub head_words: Vec<String>,
    /// Lowercase nouns that, before "of" and a titled person's name, name
    /// a body of this class led by the person ("the government of Prime
    /// Minister X").
    pub of_person_head_words: Vec<String>,
    /// Capitalised words that open a name of this class, the name running
    /// on over the capitalised words after them ("Saraya Awliya al-Dam").
    pub leading_head_words: Vec<String>,
    /// Lowercase words that, after a state's demonym, name a body of this
    /// class (`sg:demonymHead`: "the Syrian army", "Syrian government
    /// forces").
    pub demonym_heads: Vec<String>,
    /// The types of the reading layer's mention finder ("person", "place",
    /// "organization") whose names fall back to this class.
    pub mention_types: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Property {
    pub iri: String,
    pub local: String,
    pub label: String,
    pub domain: ClassSet,
    pub range: ClassSet,
    pub symmetric: bool,
    /// The property a cue of this one states when the names do not fit
    /// it (`sg:otherwise`: "part of" is partOf for a mission, memberOf for
    /// a state).
    pub otherwise: Option<PropertyId>,
    /// A property every statement of this one states too (`sg:entails`:
    /// an actor that controls a place operates in it).
    pub entails: Option<PropertyId>,
    /// The property a role noun of this one states when held as a deputy
    /// (`sg:deputy`: "the deputy director of Y" is a member of Y, not its
    /// head).
    pub deputy: Option<PropertyId>,
    /// Whether a name holding another entity's name states this property,
    /// and which of the two is the subject.
    pub containment: Option<Containment>,
    pub priority: i64,
    /// Whether the property has a locative cue: its objects are places,
    /// whose phrases chain prepositions.
    pub locative: bool,
    /// Beyond the core vocabulary that gold files use (`sg:beyondCore`):
    /// not scored against gold.
    pub beyond_core: bool,
    /// What joins two places that the property relates, with nothing
    /// else between them (`sg:placeLink`: "Karrada, Baghdad", "Ninewa
    /// province in Iraq"): a word, or a punctuation mark.
    pub place_links: Vec<String>,
    /// Common nouns that may follow the first place before the link
    /// (`sg:placeNoun`: "Anbar province, Iraq").
    pub place_nouns: Vec<String>,
    /// What joins two names that the property relates, over an article
    /// (`sg:nameLink`: "the 52nd Brigade of the PMF").
    pub name_links: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Containment {
    OuterIsSubject,
    InnerIsSubject,
}

/// One known entity of the gazetteer.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The entry's IRI in the gazetteer file.
    pub source_iri: String,
    pub class: ClassId,
    pub pref_label: String,
    /// Aliases matched by the gazetteer's case rule.
    pub alt_labels: Vec<String>,
    /// Aliases matched only with their exact case.
    pub exact_labels: Vec<String>,
    pub demonyms: Vec<String>,
    pub same_as: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CueKind {
    Verb,
    InverseVerb,
    ActionNoun,
    RoleNoun,
    Symmetric,
    Locative,
    /// "Iranian-backed X": the name before the hyphen is the subject.
    AgentCompound,
    /// "Iran-aligned X": the name after the compound is the subject.
    PatientCompound,
    /// "pro-Iranian X": the name after the prefixed name is the subject.
    Prefix,
    /// "Iraqi Prime Minister X", "President X of Iraq": the person is the
    /// subject, the state the object.
    Title,
    /// "Iran's Quds Force": the possessed name is the subject, the
    /// possessor the object.
    Possessed,
    /// "Sadr's militia": the possessor is the subject.
    Possessor,
    /// A preposition and a noun ("under control") whose modifier names
    /// who holds what the phrase hangs on: "areas under IS control",
    /// "units under Iranian command". Read over the parse only.
    Under,
    /// A preposition that puts a verb's subject in the place it marks
    /// only after a verb of motion (`sg:motionVerb`): "came to Karrada",
    /// "slipped into Baghdad". Read over the parse only.
    Motion,
    /// A noun of what one gives another ("weapons", "training"): its
    /// giver's property towards its receiver, under a verb of giving or
    /// receiving (`sg:giveVerb`, `sg:receiveVerb`) or after `sg:receivedWith`
    /// ("with air support from X"). Read over the parse only.
    Transfer,
}

impl CueKind {
    /// Whether the cue joins names by hyphens rather than words.
    pub fn is_compound(self) -> bool {
        matches!(
            self,
            CueKind::AgentCompound | CueKind::PatientCompound | CueKind::Prefix
        )
    }

    const ALL: [(CueKind, &'static str); 15] = [
        (CueKind::Verb, "verbCue"),
        (CueKind::InverseVerb, "inverseVerbCue"),
        (CueKind::ActionNoun, "actionNounCue"),
        (CueKind::RoleNoun, "roleNounCue"),
        (CueKind::Symmetric, "symmetricCue"),
        (CueKind::Locative, "locativeCue"),
        (CueKind::AgentCompound, "agentCompoundCue"),
        (CueKind::PatientCompound, "patientCompoundCue"),
        (CueKind::Prefix, "prefixCue"),
        (CueKind::Title, "titleCue"),
        (CueKind::Possessed, "possessedCue"),
        (CueKind::Possessor, "possessorCue"),
        (CueKind::Motion, "motionCue"),
        (CueKind::Under, "underCue"),
        (CueKind::Transfer, "transferNounCue"),
    ];

    pub fn name(self) -> &'static str {
        match self {
            CueKind::Verb => "verb",
            CueKind::InverseVerb => "inverse-verb",
            CueKind::ActionNoun => "action-noun",
            CueKind::RoleNoun => "role-noun",
            CueKind::Symmetric => "symmetric",
            CueKind::Locative => "locative",
            CueKind::AgentCompound => "agent-compound",
            CueKind::PatientCompound => "patient-compound",
            CueKind::Prefix => "prefix",
            CueKind::Title => "title",
            CueKind::Possessed => "possessed",
            CueKind::Possessor => "possessor",
            CueKind::Motion => "motion",
            CueKind::Under => "under",
            CueKind::Transfer => "transfer-noun",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Cue {
    pub property: PropertyId,
    pub kind: CueKind,
    pub phrase: String,
}

/// Function words and abbreviations, all lowercase except abbreviations.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub abbreviations: Vec<String>,
    pub be_forms: Vec<String>,
    pub agent_markers: Vec<String>,
    pub prepositions: Vec<String>,
    pub determiners: Vec<String>,
    pub conjunctions: Vec<String>,
    pub clause_breaks: Vec<String>,
    pub negations: Vec<String>,
    pub modals: Vec<String>,
    pub reporting_verbs: Vec<String>,
    /// Words that open a definite description: "the", "this".
    pub definite: Vec<String>,
    /// Words between an actor and "in" that still make it present there:
    /// "PMF forces in Iraq".
    pub presence_nouns: Vec<String>,
    /// "a", "an": a name after them is a modifier ("a US strategy").
    pub indefinite: Vec<String>,
    /// "of": a name after it may still be the actor ("the goal of this
    /// mission is to train ...").
    pub genitive: Vec<String>,
    /// Titles before a person's name: "Prime Minister", "Gen.".
    pub titles: Vec<String>,
    /// Lowercase words inside names: "of", "the", "and".
    pub name_connectors: Vec<String>,
    /// Lowercase words inside persons' names ("al", "bin", "von").
    pub name_particles: Vec<String>,
    /// Pronouns resolved to the previous sentence's subject: "it".
    pub pronouns: Vec<String>,
    /// Possessive pronouns of bodies: "its", "their".
    pub possessive_pronouns: Vec<String>,
    /// Pronouns that stand as a verb's subject ("it", "they", "we"): one
    /// left unresolved is the subject, not a name further back.
    pub subject_pronouns: Vec<String>,
    /// Relative pronouns that possess: "whose".
    pub possessive_relatives: Vec<String>,
    /// Words that open a yes/no question ("Will", "Does"): it asserts
    /// nothing.
    pub question_openers: Vec<String>,
    /// Verbs (lemmas) whose subject gives its object to the name after
    /// "to" ("provided training to X").
    pub give_verbs: Vec<String>,
    /// Verbs (lemmas) whose subject receives its object from the name
    /// after "from" ("receives weapons from X").
    pub receive_verbs: Vec<String>,
    /// Prepositions under which a noun of what is given is received by
    /// its clause's subject ("with support from X").
    pub received_with: Vec<String>,
    /// Prepositions that mark the receiver and the giver of a transfer.
    pub transfer_to: Vec<String>,
    pub transfer_from: Vec<String>,
    /// "as": a role noun after it is its clause subject's ("served as a
    /// member of").
    pub role_markers: Vec<String>,
    /// Verbs whose object or phrase is their subject's deed ("launch",
    /// "conduct", "take part in").
    pub light_verbs: Vec<String>,
    /// Words that make a role a deputy's: "deputy", "vice" (see
    /// `sg:deputy`).
    pub deputy_words: Vec<String>,
    /// Verbs whose object is the subject of the clause under them: "urged
    /// X to attack", "helped X retake".
    pub control_verbs: Vec<String>,
    /// Verbs of motion, whose subject arrives where a motion cue ("to",
    /// "into") says.
    pub motion_verbs: Vec<String>,
    /// Nouns of a quantity, a word the parser takes for the head of the
    /// noun after their "of": "a series of Daesh hideouts", "thousands of
    /// attacks against".
    pub quantity_nouns: Vec<String>,
    /// Lowercase nouns of an administrative unit that belong to the
    /// listed place's name before them ("Al-Raqqa province").
    pub admin_nouns: Vec<String>,
    /// Nouns of acts an actor carries out: the place phrase on one,
    /// under a light verb, is the verb's subject's ("carried out attacks
    /// in Baghdad").
    pub event_nouns: Vec<String>,
    /// Nouns of gatherings: the place phrase on one, under any verb, is
    /// the verb's subject's ("told a news conference in Geneva").
    pub gathering_nouns: Vec<String>,
    /// Prepositions that make the name before them the actor of the act
    /// noun after them: "support for Iraq in the fight against ISIL".
    pub act_markers: Vec<String>,
    /// Prepositions of origin: a group noun with one stands for the name
    /// under it ("instructors from Germany").
    pub origin_markers: Vec<String>,
    /// Verbs removing their object from a place ("pushed ISIL out of
    /// Kobane") and the prepositions of that place.
    pub removal_verbs: Vec<String>,
    pub removal_markers: Vec<String>,
    /// Prepositions naming members of the noun they hang on ("towns
    /// including Rabiyah").
    pub inclusion_markers: Vec<String>,
    /// "other": a noun with it, coordinated with a name, is a group
    /// holding the name ("Aleppo and other towns").
    pub other_words: Vec<String>,
    /// "has", "had": a name before one opens a clause ("Y, and Denmark
    /// has offered"), it ends no list.
    pub auxiliaries: Vec<String>,
    /// "Reporting", "Editing": a sentence opening with one and "by" is a
    /// news wire's credit line, stating no relation.
    pub byline_words: Vec<String>,
    /// "which", "who", "that": a clause they open is about the name before.
    pub relative_pronouns: Vec<String>,
    /// "who", "whom": relative pronouns that stand for a person, so for
    /// the person an apposition describes ("X, commander of Y, who ...").
    pub personal_relatives: Vec<String>,
    /// The class of names found after a title or in a byline (IRI).
    pub title_class: Option<String>,
    /// The class of an acronym's long form that has no head word (IRI).
    pub acronym_class: Option<String>,
}

impl Lexicon {
    /// Whether a lowercase word is a preposition, a determiner or a
    /// conjunction.
    pub fn is_function_word(&self, w: &str) -> bool {
        [&self.prepositions, &self.determiners, &self.conjunctions]
            .iter()
            .any(|list| list.iter().any(|x| x == w))
    }

    /// Whether a lowercase word may stand lowercase inside a name or a
    /// title in title case: a function word or a name connector ("of").
    pub fn joins_names(&self, w: &str) -> bool {
        self.is_function_word(w) || self.name_connectors.iter().any(|c| c == w)
    }
}

#[derive(Clone, Debug)]
pub struct Ontology {
    pub classes: Vec<Class>,
    pub properties: Vec<Property>,
    pub entries: Vec<Entry>,
    pub cues: Vec<Cue>,
    pub lexicon: Lexicon,
    /// The files read, in order.
    pub sources: Vec<PathBuf>,
    /// Every triple of the files, as the ontology graph of the output:
    /// blank nodes made skolem IRIs numbered in reading order (see
    /// [`GENID`]), so the graph is the same bytes from run to run; sorted
    /// as every graph is written (by subject, rdf:type first).
    pub triples: Vec<oxigraph::model::Triple>,
    /// The reading layer's model (`reader.model` beside the Turtle files),
    /// if the directory has one.
    pub reader: Option<std::sync::Arc<crate::read::Reader>>,
    /// The list of the world's places (`places.tsv` beside the Turtle
    /// files), if the directory has one.
    pub places: Option<std::sync::Arc<crate::places::PlaceNames>>,
}

/// Finds the directory of the built-in ontology: `STRATAGRAPH_ONTOLOGY` if set,
/// else `./ontology` if it exists, else the one beside the crate's sources.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STRATAGRAPH_ONTOLOGY") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("ontology");
    if local.join("stratagraph.ttl").is_file() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ontology")
}

/// The Turtle files of an ontology directory, sorted by name.
pub fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "ttl") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::Ontology {
            path: dir.to_path_buf(),
            message: "no .ttl files in the ontology directory".into(),
        });
    }
    Ok(files)
}

/// The triples of all files, indexed by subject.
#[derive(Default)]
struct Triples {
    by_subject: HashMap<NamedOrBlankNode, Vec<(NamedNode, Term)>>,
    /// Subjects in the order they were first read (file order, then text
    /// order), so that everything derived from them is deterministic.
    order: Vec<NamedOrBlankNode>,
    origin: HashMap<NamedOrBlankNode, usize>,
}

impl Triples {
    fn objects<'a>(
        &'a self,
        s: &NamedOrBlankNode,
        p: &'a str,
    ) -> impl Iterator<Item = &'a Term> + 'a {
        self.by_subject
            .get(s)
            .into_iter()
            .flatten()
            .filter(move |(pred, _)| pred.as_str() == p)
            .map(|(_, o)| o)
    }

    fn literals(&self, s: &NamedOrBlankNode, p: &str) -> Vec<String> {
        self.objects(s, p)
            .filter_map(|o| match o {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect()
    }

    fn iris(&self, s: &NamedOrBlankNode, p: &str) -> Vec<String> {
        self.objects(s, p)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.as_str().to_string()),
                _ => None,
            })
            .collect()
    }

    fn has_type(&self, s: &NamedOrBlankNode, class: &str) -> bool {
        self.objects(s, &format!("{RDF}type"))
            .any(|o| matches!(o, Term::NamedNode(n) if n.as_str() == class))
    }

    /// Subjects with `predicate` pointing at `object`.
    fn subjects(&self) -> impl Iterator<Item = (&NamedOrBlankNode, &Vec<(NamedNode, Term)>)> + '_ {
        self.order.iter().map(move |s| (s, &self.by_subject[s]))
    }

    fn subjects_with(&self, predicate: &str, object: &str) -> Vec<NamedOrBlankNode> {
        self.subjects()
            .filter(|(_, pos)| {
                pos.iter().any(|(p, o)| {
                    p.as_str() == predicate
                        && matches!(o, Term::NamedNode(n) if n.as_str() == object)
                })
            })
            .map(|(s, _)| s.clone())
            .collect()
    }
}

fn local_name(iri: &str) -> String {
    iri.rsplit(['#', '/']).next().unwrap_or(iri).to_string()
}

impl Ontology {
    /// Reads the built-in directory's files, then the user's extra files.
    pub fn load(dir: &Path, extra: &[PathBuf]) -> Result<Ontology> {
        let mut files = files_in(dir)?;
        files.extend(extra.iter().cloned());
        let mut ontology = Ontology::from_files(&files)?;
        let model = dir.join(crate::read::MODEL_FILE);
        if model.exists() {
            ontology.reader = Some(std::sync::Arc::new(crate::read::Reader::load(&model)?));
        }
        let places = dir.join(crate::places::FILE);
        if places.exists() {
            ontology.places = Some(std::sync::Arc::new(crate::places::PlaceNames::load(
                &places,
                &ontology.classes,
            )?));
        }
        Ok(ontology)
    }

    pub fn from_files(files: &[PathBuf]) -> Result<Ontology> {
        let mut triples = Triples::default();
        for (index, path) in files.iter().enumerate() {
            let bytes = fs::read(path).map_err(|e| Error::reading(path, e))?;
            parse_turtle(path, &bytes, index, &mut triples)?;
        }
        let mut ontology = interpret(&triples, files)?;
        // The gazetteer's entries are not part of the graph: typed with
        // the ontology's classes, they would answer queries for the
        // entities the texts name.
        let entries: std::collections::HashSet<&str> = ontology
            .entries
            .iter()
            .map(|e| e.source_iri.as_str())
            .collect();
        let mut graph = skolemized(&triples);
        graph.retain(|t| !entries.contains(node_str(&t.subject)));
        ontology.triples = graph;
        Ok(ontology)
    }
}

fn node_str(n: &NamedOrBlankNode) -> &str {
    match n {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(b) => b.as_str(),
    }
}

/// The prefix of the skolem IRIs that stand for the ontology's blank nodes.
pub const GENID: &str = "https://w3id.org/stratagraph/.well-known/genid/";

/// The triples in reading order with each blank node replaced by a skolem
/// IRI numbered by first appearance; sorted by subject, predicate and
/// object, without duplicates.
fn skolemized(t: &Triples) -> Vec<oxigraph::model::Triple> {
    use oxigraph::model::{BlankNode, Triple};
    let mut ids: HashMap<BlankNode, NamedNode> = HashMap::new();
    let mut skolem = |b: &BlankNode| -> NamedNode {
        let next = ids.len();
        ids.entry(b.clone())
            .or_insert_with(|| NamedNode::new_unchecked(format!("{GENID}o{next}")))
            .clone()
    };
    let mut out = Vec::new();
    for s in &t.order {
        let subject: NamedNode = match s {
            NamedOrBlankNode::NamedNode(n) => n.clone(),
            NamedOrBlankNode::BlankNode(b) => skolem(b),
        };
        for (p, o) in t.by_subject.get(s).into_iter().flatten() {
            let object = match o {
                Term::BlankNode(b) => Term::NamedNode(skolem(b)),
                other => other.clone(),
            };
            out.push(Triple::new(subject.clone(), p.clone(), object));
        }
    }
    // The order every graph is written in: by subject, rdf:type first.
    out.sort_by(|a, b| crate::rdf::triple_cmp(a.as_ref(), b.as_ref()));
    out.dedup();
    out
}

fn parse_turtle(path: &Path, bytes: &[u8], index: usize, into: &mut Triples) -> Result<()> {
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(format!("file:///{}", path.display()))
        .map_err(|e| Error::Other(e.to_string()))?;
    for quad in parser.for_slice(bytes) {
        let quad = quad.map_err(|e| syntax_error(path, e.into()))?;
        if !into.origin.contains_key(&quad.subject) {
            into.origin.insert(quad.subject.clone(), index);
            into.order.push(quad.subject.clone());
        }
        into.by_subject
            .entry(quad.subject)
            .or_default()
            .push((quad.predicate, quad.object));
    }
    Ok(())
}

/// Turns an RDF parse error into one that names the file, line and column
/// (both counted from 1).
pub fn syntax_error(path: &Path, error: RdfParseError) -> Error {
    match error {
        RdfParseError::Io(e) => Error::io(path, e),
        RdfParseError::Syntax(e) => {
            let (line, column) = e
                .location()
                .map(|l| (l.start.line + 1, l.start.column + 1))
                .unwrap_or((0, 0));
            let message = e.to_string();
            // oxttl's message starts with its own position; keep only the reason.
            let message = match message.split_once(": ") {
                Some((head, tail)) if head.contains("line") => tail.to_string(),
                _ => message,
            };
            Error::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        }
    }
}

fn interpret(t: &Triples, files: &[PathBuf]) -> Result<Ontology> {
    let sub_class = format!("{RDFS}subClassOf");
    let label_of = |s: &NamedOrBlankNode| -> Option<String> {
        t.literals(s, &format!("{RDFS}label")).into_iter().next()
    };
    let file_of = |s: &NamedOrBlankNode| -> PathBuf {
        t.origin
            .get(s)
            .and_then(|&i| files.get(i))
            .cloned()
            .unwrap_or_default()
    };

    // Entity classes: every class below sg:Entity, in IRI order.
    let root = format!("{SG}Entity");
    let mut class_iris: BTreeSet<String> = BTreeSet::new();
    let mut frontier = vec![root.clone()];
    while let Some(parent) = frontier.pop() {
        for child in t.subjects_with(&sub_class, &parent) {
            if let NamedOrBlankNode::NamedNode(n) = child {
                if class_iris.insert(n.as_str().to_string()) {
                    frontier.push(n.as_str().to_string());
                }
            }
        }
    }
    if class_iris.is_empty() {
        return Err(Error::Ontology {
            path: files.first().cloned().unwrap_or_default(),
            message: format!("no classes below <{root}>: is the core ontology missing?"),
        });
    }
    if class_iris.len() > 128 {
        return Err(Error::Ontology {
            path: files.first().cloned().unwrap_or_default(),
            message: "more than 128 entity classes".into(),
        });
    }
    let class_ids: HashMap<String, ClassId> = class_iris
        .iter()
        .enumerate()
        .map(|(i, iri)| (iri.clone(), i))
        .collect();
    // A class's words of one annotation, lowercase, sorted, once each.
    let lowercase_set = |node: &NamedOrBlankNode, local: &str| {
        let mut a: Vec<String> = t
            .literals(node, &format!("{SG}{local}"))
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        a.sort();
        a.dedup();
        a
    };
    let mut classes: Vec<Class> = class_iris
        .iter()
        .enumerate()
        .map(|(i, iri)| {
            let node = NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(iri.clone()));
            Class {
                iri: iri.clone(),
                local: local_name(iri),
                label: label_of(&node).unwrap_or_else(|| local_name(iri)),
                ancestors: ClassSet::default().with(i),
                anaphor_by_salience: t
                    .literals(&node, &format!("{SG}anaphorBySalience"))
                    .iter()
                    .any(|v| v == "true"),
                pronouns: lowercase_set(&node, "pronoun"),
                shape: t.literals(&node, &format!("{SG}shape")).into_iter().next(),
                color: t.literals(&node, &format!("{SG}color")).into_iter().next(),
                mention_types: t.literals(&node, &format!("{SG}mentionType")),
                head_words: {
                    let mut a = t.literals(&node, &format!("{SG}headWord"));
                    a.sort();
                    a.dedup();
                    a
                },
                of_person_head_words: {
                    let mut a = t.literals(&node, &format!("{SG}ofPersonHeadWord"));
                    a.sort();
                    a.dedup();
                    a
                },
                leading_head_words: {
                    let mut a = t.literals(&node, &format!("{SG}leadingHeadWord"));
                    a.sort();
                    a.dedup();
                    a
                },
                demonym_heads: {
                    let mut a = t.literals(&node, &format!("{SG}demonymHead"));
                    // Longest first: "armed forces" before "forces".
                    a.sort_by(|x, y| y.len().cmp(&x.len()).then(x.cmp(y)));
                    a.dedup();
                    a
                },
                anaphors: lowercase_set(&node, "anaphor"),
            }
        })
        .collect();
    // Close the ancestor sets over subClassOf.
    loop {
        let mut changed = false;
        for i in 0..classes.len() {
            let node =
                NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(classes[i].iri.clone()));
            for parent in t.iris(&node, &sub_class) {
                if let Some(&p) = class_ids.get(&parent) {
                    let merged = classes[i].ancestors.union(classes[p].ancestors);
                    if merged != classes[i].ancestors {
                        classes[i].ancestors = merged;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }

    let class_set = |term: &Term| -> ClassSet {
        let mut set = ClassSet::default();
        let mut add = |iri: &str| {
            if iri == root {
                set = ClassSet::ALL;
            } else if let Some(&c) = class_ids.get(iri) {
                set = set.with(c);
            }
        };
        match term {
            Term::NamedNode(n) => add(n.as_str()),
            Term::BlankNode(b) => {
                let node = NamedOrBlankNode::BlankNode(b.clone());
                for list in t.objects(&node, &format!("{OWL}unionOf")) {
                    let mut cursor = list.clone();
                    while let Term::BlankNode(cell) = cursor {
                        let cell = NamedOrBlankNode::BlankNode(cell);
                        if let Some(Term::NamedNode(n)) =
                            t.objects(&cell, &format!("{RDF}first")).next()
                        {
                            add(n.as_str());
                        }
                        match t.objects(&cell, &format!("{RDF}rest")).next() {
                            Some(next) => cursor = next.clone(),
                            None => break,
                        }
                    }
                }
            }
            _ => {}
        }
        set
    };
    // A class in a domain or range admits its subclasses too.
    let widen = |set: ClassSet| -> ClassSet {
        if set == ClassSet::ALL {
            return set;
        }
        let mut out = ClassSet::default();
        for (i, c) in classes.iter().enumerate() {
            if c.ancestors.intersects(set) {
                out = out.with(i);
            }
        }
        out
    };

    // Relation properties: every property below sg:relatesTo.
    let mut properties = Vec::new();
    for s in t.subjects_with(&format!("{RDFS}subPropertyOf"), &format!("{SG}relatesTo")) {
        let NamedOrBlankNode::NamedNode(n) = &s else {
            continue;
        };
        let iri = n.as_str().to_string();
        let domain = t
            .objects(&s, &format!("{RDFS}domain"))
            .map(&class_set)
            .fold(ClassSet::default(), ClassSet::union);
        let range = t
            .objects(&s, &format!("{RDFS}range"))
            .map(&class_set)
            .fold(ClassSet::default(), ClassSet::union);
        properties.push(Property {
            local: local_name(&iri),
            label: label_of(&s).unwrap_or_else(|| local_name(&iri)),
            domain: if domain == ClassSet::default() {
                ClassSet::ALL
            } else {
                widen(domain)
            },
            range: if range == ClassSet::default() {
                ClassSet::ALL
            } else {
                widen(range)
            },
            symmetric: t.has_type(&s, &format!("{OWL}SymmetricProperty")),
            otherwise: None,
            entails: None,
            deputy: None,
            locative: false,
            beyond_core: t
                .literals(&s, &format!("{SG}beyondCore"))
                .first()
                .is_some_and(|v| v == "true"),
            place_links: t.literals(&s, &format!("{SG}placeLink")),
            place_nouns: t.literals(&s, &format!("{SG}placeNoun")),
            name_links: t.literals(&s, &format!("{SG}nameLink")),
            containment: match t
                .literals(&s, &format!("{SG}nameContainment"))
                .first()
                .map(String::as_str)
            {
                Some("outer") => Some(Containment::OuterIsSubject),
                Some("inner") => Some(Containment::InnerIsSubject),
                Some(other) => {
                    return Err(Error::Ontology {
                        path: file_of(&s),
                        message: format!(
                        "<{iri}> sg:nameContainment must be \"outer\" or \"inner\", not {other:?}"
                    ),
                    })
                }
                None => None,
            },
            priority: t
                .literals(&s, &format!("{SG}priority"))
                .first()
                .and_then(|p| p.parse().ok())
                .unwrap_or(i64::MAX),
            iri,
        });
    }
    properties.sort_by(|a, b| a.iri.cmp(&b.iri));
    for i in 0..properties.len() {
        let node = NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(properties[i].iri.clone()));
        for (link, slot) in [("otherwise", 0), ("deputy", 1), ("entails", 2)] {
            let Some(other) = t.iris(&node, &format!("{SG}{link}")).into_iter().min() else {
                continue;
            };
            let Some(j) = properties.iter().position(|p| p.iri == other) else {
                return Err(Error::Ontology {
                    path: file_of(&node),
                    message: format!(
                        "<{}> sg:{link} <{other}>: not a property of the ontology",
                        properties[i].iri
                    ),
                });
            };
            match slot {
                0 => properties[i].otherwise = Some(j),
                1 => properties[i].deputy = Some(j),
                _ => properties[i].entails = Some(j),
            }
        }
    }

    // Cues, in property order then kind then phrase.
    let mut cues = Vec::new();
    for (pid, p) in properties.iter().enumerate() {
        let node = NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(p.iri.clone()));
        for (kind, local) in CueKind::ALL {
            let mut phrases = t.literals(&node, &format!("{SG}{local}"));
            phrases.sort();
            phrases.dedup();
            for phrase in phrases {
                let phrase = phrase
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                if !phrase.is_empty() {
                    cues.push(Cue {
                        property: pid,
                        kind,
                        phrase,
                    });
                }
            }
        }
    }

    // Gazetteer entries: every named subject typed with an entity class.
    let rdf_type = format!("{RDF}type");
    let mut entries = Vec::new();
    for (s, _) in t.subjects() {
        let NamedOrBlankNode::NamedNode(n) = s else {
            continue;
        };
        let class = t
            .iris(s, &rdf_type)
            .iter()
            .filter_map(|c| class_ids.get(c).copied())
            .min();
        let Some(class) = class else { continue };
        let mut pref = t.literals(s, &format!("{SKOS}prefLabel"));
        pref.sort();
        let Some(pref_label) = pref.into_iter().next() else {
            return Err(Error::Ontology {
                path: file_of(s),
                message: format!("<{}> has a class but no skos:prefLabel", n.as_str()),
            });
        };
        let sorted = |p: &str| {
            let mut v = t.literals(s, p);
            v.sort();
            v.dedup();
            v
        };
        entries.push(Entry {
            source_iri: n.as_str().to_string(),
            class,
            alt_labels: sorted(&format!("{SKOS}altLabel")),
            exact_labels: sorted(&format!("{SG}exactLabel")),
            demonyms: sorted(&format!("{SG}demonym")),
            same_as: {
                let mut v = t.iris(s, &format!("{OWL}sameAs"));
                v.sort();
                v
            },
            pref_label,
        });
    }

    // The lexicon: the union of every sg:Lexicon.
    let mut lexicon = Lexicon::default();
    for s in t.subjects_with(&rdf_type, &format!("{SG}Lexicon")) {
        let add = |field: &mut Vec<String>, local: &str, lower: bool| {
            for w in t.literals(&s, &format!("{SG}{local}")) {
                field.push(if lower { w.to_lowercase() } else { w });
            }
        };
        add(&mut lexicon.abbreviations, "abbreviation", false);
        add(&mut lexicon.be_forms, "beForm", true);
        add(&mut lexicon.agent_markers, "agentMarker", true);
        add(&mut lexicon.prepositions, "preposition", true);
        add(&mut lexicon.determiners, "determiner", true);
        add(&mut lexicon.conjunctions, "conjunction", true);
        add(&mut lexicon.clause_breaks, "clauseBreak", true);
        add(&mut lexicon.negations, "negation", true);
        add(&mut lexicon.modals, "modal", true);
        add(&mut lexicon.reporting_verbs, "reportingVerb", true);
        add(&mut lexicon.definite, "definite", true);
        add(&mut lexicon.presence_nouns, "presenceNoun", true);
        add(&mut lexicon.indefinite, "indefinite", true);
        add(&mut lexicon.genitive, "genitive", true);
        add(&mut lexicon.titles, "title", false);
        add(&mut lexicon.name_connectors, "nameConnector", true);
        add(&mut lexicon.name_particles, "nameParticle", true);
        add(&mut lexicon.pronouns, "pronoun", true);
        add(&mut lexicon.possessive_pronouns, "possessivePronoun", true);
        add(&mut lexicon.subject_pronouns, "subjectPronoun", true);
        add(
            &mut lexicon.possessive_relatives,
            "possessiveRelative",
            true,
        );
        add(&mut lexicon.question_openers, "questionOpener", true);
        add(&mut lexicon.give_verbs, "giveVerb", true);
        add(&mut lexicon.receive_verbs, "receiveVerb", true);
        add(&mut lexicon.received_with, "receivedWith", true);
        add(&mut lexicon.transfer_to, "transferTo", true);
        add(&mut lexicon.transfer_from, "transferFrom", true);
        add(&mut lexicon.relative_pronouns, "relativePronoun", true);
        add(&mut lexicon.personal_relatives, "personalRelative", true);
        add(&mut lexicon.role_markers, "roleMarker", true);
        add(&mut lexicon.light_verbs, "lightVerb", true);
        add(&mut lexicon.deputy_words, "deputyWord", true);
        add(&mut lexicon.control_verbs, "controlVerb", true);
        add(&mut lexicon.motion_verbs, "motionVerb", true);
        add(&mut lexicon.quantity_nouns, "quantityNoun", true);
        add(&mut lexicon.admin_nouns, "adminNoun", true);
        add(&mut lexicon.event_nouns, "eventNoun", true);
        add(&mut lexicon.gathering_nouns, "gatheringNoun", true);
        add(&mut lexicon.act_markers, "actMarker", true);
        add(&mut lexicon.origin_markers, "originMarker", true);
        add(&mut lexicon.inclusion_markers, "inclusionMarker", true);
        add(&mut lexicon.removal_verbs, "removalVerb", true);
        add(&mut lexicon.removal_markers, "removalMarker", true);
        add(&mut lexicon.other_words, "otherWord", true);
        add(&mut lexicon.auxiliaries, "auxiliary", true);
        add(&mut lexicon.byline_words, "bylineWord", true);
        if let Some(c) = t.iris(&s, &format!("{SG}titleClass")).into_iter().min() {
            lexicon.title_class = Some(c);
        }
        if let Some(c) = t.iris(&s, &format!("{SG}acronymClass")).into_iter().min() {
            lexicon.acronym_class = Some(c);
        }
    }
    for list in [
        &mut lexicon.abbreviations,
        &mut lexicon.be_forms,
        &mut lexicon.agent_markers,
        &mut lexicon.prepositions,
        &mut lexicon.determiners,
        &mut lexicon.conjunctions,
        &mut lexicon.clause_breaks,
        &mut lexicon.negations,
        &mut lexicon.modals,
        &mut lexicon.reporting_verbs,
        &mut lexicon.definite,
        &mut lexicon.presence_nouns,
        &mut lexicon.indefinite,
        &mut lexicon.genitive,
        &mut lexicon.titles,
        &mut lexicon.name_connectors,
        &mut lexicon.name_particles,
        &mut lexicon.pronouns,
        &mut lexicon.possessive_pronouns,
        &mut lexicon.subject_pronouns,
        &mut lexicon.possessive_relatives,
        &mut lexicon.question_openers,
        &mut lexicon.give_verbs,
        &mut lexicon.receive_verbs,
        &mut lexicon.received_with,
        &mut lexicon.transfer_to,
        &mut lexicon.transfer_from,
        &mut lexicon.relative_pronouns,
        &mut lexicon.personal_relatives,
        &mut lexicon.role_markers,
        &mut lexicon.light_verbs,
        &mut lexicon.deputy_words,
        &mut lexicon.control_verbs,
        &mut lexicon.motion_verbs,
        &mut lexicon.quantity_nouns,
        &mut lexicon.admin_nouns,
        &mut lexicon.event_nouns,
        &mut lexicon.gathering_nouns,
        &mut lexicon.act_markers,
        &mut lexicon.origin_markers,
        &mut lexicon.inclusion_markers,
        &mut lexicon.other_words,
        &mut lexicon.auxiliaries,
        &mut lexicon.byline_words,
        &mut lexicon.removal_verbs,
        &mut lexicon.removal_markers,
    ] {
        list.sort();
        list.dedup();
    }

    // A property with a locative cue ("in") takes places, whose phrases
    // chain prepositions ("operate in the regions near Baghdad").
    for cue in &cues {
        if cue.kind == CueKind::Locative {
            properties[cue.property].locative = true;
        }
    }

    Ok(Ontology {
        classes,
        properties,
        entries,
        cues,
        lexicon,
        sources: files.to_vec(),
        triples: Vec::new(),
        reader: None,
        places: None,
    })
}

impl Ontology {
    pub fn class_by_iri(&self, iri: &str) -> Option<ClassId> {
        self.classes.iter().position(|c| c.iri == iri)
    }

    pub fn class_by_local(&self, local: &str) -> Option<ClassId> {
        self.classes.iter().position(|c| c.local == local)
    }

    /// A cue's property, then the one the ontology names for names that
    /// do not fit it (`sg:otherwise`: "part of" is partOf for a mission,
    /// memberOf for a state), in the order they are tried.
    pub fn properties_for(&self, property: PropertyId) -> impl Iterator<Item = PropertyId> {
        std::iter::once(property).chain(self.properties[property].otherwise)
    }

    pub fn property_by_local(&self, local: &str) -> Option<PropertyId> {
        self.properties.iter().position(|p| p.local == local)
    }
}
