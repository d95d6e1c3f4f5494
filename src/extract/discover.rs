//! Names the gazetteer does not know: acronym definitions ("Iraqi National
//! Intelligence Service (INIS)", "PMF (Popular Mobilization Forces)"),
//! capitalised names typed by their head word ("Ministry of Water
//! Resources", "Zorgon Brigade"), persons after a title ("Prime Minister X",
//! "Gen. X") and in bylines and author lists. The head words and titles are
//! ontology data (`sg:headWord`, `sg:title`).

use super::runs::{RunSet, ASCII_ALNUM};
use crate::iri::{FastMap, FastSet};
use crate::ontology::{ClassId, Ontology};
use crate::text::{Sentence, SentenceKind, Span};

/// How a new name was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum How {
    Acronym,
    HeadWord,
    Title,
    Byline,
    /// The reading layer's mention finder.
    Model,
    /// The list of the world's places (`places.tsv`).
    PlaceList,
    /// A gazetteer entry's acronym opening another name, of the entry's
    /// class: "EUAM Georgia" beside EUAM Iraq.
    Sibling,
}

impl Discoverer {
    /// The titles before persons' names, as lowercase words without dots,
    /// longest first.
    pub fn titles(&self) -> &[Vec<String>] {
        &self.titles
    }

    /// Whether a name found is a body named after its leader ("the
    /// government of Prime Minister X").
    pub fn is_body_of_person(&self, f: &Found) -> bool {
        let mut words = f.name.split(' ');
        f.how == How::HeadWord
            && words.next().is_some_and(|w| self.of_person.contains_key(w))
            && words.next() == Some("of")
    }

    /// The class a name's head word gives it, for a name cut into words
    /// elsewhere: its last word ("Zorgon Brigade"), or the word before its
    /// first "of" ("Ministry of Defence", "Autonomous Administration of
    /// North and East Syria").
    pub fn class_by_head(&self, words: &[&str]) -> Option<ClassId> {
        let last = words.last()?;
        // A word joined by a hyphen is no head word: "Saraya Awliya al-Dam".
        let joined = words.len() >= 2 && words[words.len() - 2] == "-";
        if let Some(&c) = self.head(last).filter(|_| !joined) {
            return Some(c);
        }
        self.head_before_of(words)
    }

    /// The class of the head word right before a name's first "of"
    /// ("Ministry of Peshmerga Affairs"): a name whose head comes first.
    pub fn head_before_of(&self, words: &[&str]) -> Option<ClassId> {
        let of = words.iter().position(|w| *w == "of")?;
        self.head(words[of.checked_sub(1)?]).copied()
    }
}

impl How {
    pub fn id(self) -> &'static str {
        match self {
            How::Acronym => "name.acronym",
            How::HeadWord => "name.head-word",
            How::Title => "name.title",
            How::Byline => "name.byline",
            How::Model => "name.model",
            How::PlaceList => "name.place-list",
            How::Sibling => "name.sibling",
        }
    }
}

/// A name found in the text: a new entity, or a new alias of a known one.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub span: Span,
    pub name: String,
    pub class: ClassId,
    pub how: How,
}

/// An acronym defined in the text, with the span of its long form.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub acronym: String,
    pub acronym_span: Span,
    pub long_span: Span,
}

pub struct Discoverer {
    heads: FastMap<String, ClassId>,
    /// The first bytes of the head words: most words are rejected on it.
    head_first: [bool; 256],
    /// Titles as word sequences, lowercase, without dots; longest first.
    titles: Vec<Vec<String>>,
    /// The first words of the titles, for a quick rejection.
    title_firsts: FastSet<String>,
    /// The first bytes of the titles' first words, in either case.
    title_first_bytes: [bool; 256],
    /// The first runs of the titles' first words: most capitalised words
    /// are told from them without being lowercased.
    title_first_runs: RunSet,
    /// Every head word opens with a capital, as titles must: a word
    /// opening with a small letter is neither.
    names_capitalised: bool,
    /// Words that open a name of a class ("Saraya", "Liwa").
    leading: FastMap<String, ClassId>,
    /// Lowercase nouns before "of" and a titled person ("government").
    of_person: FastMap<String, ClassId>,
    connectors: Vec<String>,
    /// Lowercase words that may stand inside a name ("Al bu Nimr").
    particles: Vec<String>,
    person: Option<ClassId>,
    fallback: Option<ClassId>,
}

#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    span: Span,
    text: &'a str,
    /// Punctuation right after the word (",", ".", ")"...), if any.
    after: Option<char>,
    /// Punctuation right before the word ("(", a quote), if any.
    before: Option<char>,
    capitalised: bool,
}

impl Word<'_> {
    fn capitalised(&self) -> bool {
        self.capitalised
    }
}

/// Whether a word is an ordinal number in digits: "4th", "52nd".
fn is_ordinal(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && digits <= 3
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|s| t[digits..].eq_ignore_ascii_case(s))
}

/// Whether a word opens with a capital, after an Arabic article: "Iraq",
/// "al-Kadhimi".
fn is_capitalised(t: &str) -> bool {
    match t.as_bytes().first() {
        None => false,
        Some(b) if b.is_ascii_uppercase() => true,
        Some(b'a' | b'e') => ["al-", "el-"].iter().any(|p| {
            t.strip_prefix(p)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_uppercase()))
        }),
        Some(b) if b.is_ascii() => false,
        Some(_) => t.starts_with(|c: char| c.is_uppercase()),
    }
}

impl Discoverer {
    pub fn new(ontology: &Ontology) -> Discoverer {
        let mut heads = FastMap::default();
        let person = ontology
            .lexicon
            .title_class
            .as_deref()
            .and_then(|c| ontology.class_by_iri(c));
        let mut leading = FastMap::default();
        let mut of_person = FastMap::default();
        for (id, class) in ontology.classes.iter().enumerate() {
            for h in &class.head_words {
                heads.insert(h.clone(), id);
            }
            for h in &class.of_person_head_words {
                of_person.insert(h.clone(), id);
            }
            for h in &class.leading_head_words {
                leading.insert(h.clone(), id);
                // Marked like a head word, so that its sentence is read.
                heads.entry(h.clone()).or_insert(id);
            }
        }
        let mut titles: Vec<Vec<String>> = ontology
            .lexicon
            .titles
            .iter()
            .map(|t| {
                t.split_whitespace()
                    .map(|w| w.trim_end_matches('.').to_lowercase())
                    .collect()
            })
            .collect();
        titles.sort_by(|a: &Vec<String>, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let title_firsts: FastSet<String> =
            titles.iter().filter_map(|t| t.first().cloned()).collect();
        // A non-ASCII capital may open with another byte than its small letter.
        let mut title_first_bytes = [false; 256];
        title_first_bytes[0x80..].fill(true);
        for t in &title_firsts {
            if let Some(&b) = t.as_bytes().first() {
                title_first_bytes[b.to_ascii_lowercase() as usize] = true;
                title_first_bytes[b.to_ascii_uppercase() as usize] = true;
            }
        }
        let mut head_first = [false; 256];
        for h in heads.keys() {
            if let Some(&b) = h.as_bytes().first() {
                head_first[b as usize] = true;
            }
        }
        Discoverer {
            title_first_runs: RunSet::new(title_firsts.iter().map(String::as_str), false),
            names_capitalised: heads
                .keys()
                .all(|h| h.starts_with(|c: char| c.is_uppercase())),
            title_first_bytes,
            head_first,
            heads,
            leading,
            of_person,
            title_firsts,
            titles,
            connectors: ontology.lexicon.name_connectors.clone(),
            particles: ontology.lexicon.name_particles.clone(),
            person,
            fallback: ontology
                .lexicon
                .acronym_class
                .as_deref()
                .and_then(|c| ontology.class_by_iri(c)),
        }
    }

    /// The runs whose word starts [`Discoverer::find`] wants marked: the
    /// first runs of the head words and of the titles' first words. A
    /// sentence with no word start marked by them holds no name typed by
    /// a head word and no title.
    pub fn name_runs(&self) -> RunSet {
        let words = self.title_firsts.iter().chain(self.heads.keys());
        RunSet::new(words.map(String::as_str), false)
    }

    /// Whether only word starts opening with a capital need marking for
    /// [`Discoverer::find`].
    pub fn names_capitalised(&self) -> bool {
        self.names_capitalised
    }

    /// Finds new names and acronym definitions in the sentences of a text.
    /// `named`: the word starts of `masked` whose first run is in
    /// [`Discoverer::name_runs`], in text order. A sentence with none of
    /// them, no bracket, not a footnote nor a byline can only be a short
    /// line of names; any other is not split into words at all.
    pub fn find(
        &self,
        masked: &str,
        sentences: &[Sentence],
        named: &[usize],
        found: &mut Vec<Found>,
        defs: &mut Vec<Definition>,
    ) {
        let mut words = Vec::with_capacity(64);
        let mut next = 0;
        for s in sentences {
            while next < named.len() && named[next] < s.span.start {
                next += 1;
            }
            let text = &masked[s.span.start..s.span.end];
            let may_hold_names = (next < named.len() && named[next] < s.span.end)
                || s.kind == SentenceKind::Footnote
                || memchr::memchr(b'(', text.as_bytes()).is_some()
                || opens_with_by(text);
            // Else only a line of names ("A B, C D") can hold any: it has a
            // comma or a dash after a name, and few words.
            if !may_hold_names
                && (memchr::memchr2(b',', b'-', text.as_bytes()).is_none()
                    || more_words_than(text.as_bytes(), LINE_OF_NAMES + 1))
            {
                continue;
            }
            words.clear();
            split_words(masked, s.span, &mut words);
            if words.is_empty() {
                continue;
            }
            self.acronyms(&words, found, defs);
            self.authors(masked, s, &words, found);
            self.titled_persons(&words, found);
            self.bodies_of_persons(&words, found);
            // In a title-case line every phrase looks like a name.
            let capitalised = words.iter().filter(|w| w.capitalised()).count();
            let title_case = words.len() >= 4 && capitalised * 10 >= words.len() * 7;
            if !title_case {
                self.headed_names(&words, found);
            }
        }
        found.sort_by(|a, b| a.span.text_order(&b.span));
    }

    fn head(&self, word: &str) -> Option<&ClassId> {
        let &first = word.as_bytes().first()?;
        if !self.head_first[first as usize] {
            return None;
        }
        self.heads.get(word)
    }

    fn is_connector(&self, w: &str) -> bool {
        self.connectors.iter().any(|c| c == w)
    }

    /// "Long Name (ACR)" and "ACR (Long Name)".
    fn acronyms(&self, words: &[Word], found: &mut Vec<Found>, defs: &mut Vec<Definition>) {
        for i in 0..words.len() {
            let w = words[i];
            if w.before != Some('(')
                || w.after != Some(')')
                || i == 0
                || words[i - 1].after.is_some()
            {
                continue;
            }
            if is_acronym(w.text) {
                // Long Name (ACR): the shortest run of capitalised words before it that spells it.
                let letters: Vec<char> = w.text.chars().filter(|c| c.is_uppercase()).collect();
                let mut start = i;
                let mut capitals = 0;
                while start > 0 && capitals < letters.len() + 2 {
                    let p = words[start - 1];
                    if p.after.is_some() && start - 1 != i - 1 {
                        break;
                    }
                    if p.capitalised() {
                        capitals += 1;
                    } else if !self.is_connector(p.text) {
                        break;
                    }
                    start -= 1;
                    if words[start].capitalised() && spells(&letters, &words[start..i]) {
                        let long = Span::new(words[start].span.start, words[i - 1].span.end);
                        defs.push(Definition {
                            acronym: w.text.to_string(),
                            acronym_span: w.span,
                            long_span: long,
                        });
                        let class = self.head_class(&words[start..i]).or(self.fallback);
                        if let Some(class) = class {
                            found.push(Found {
                                span: long,
                                name: join(&words[start..i]),
                                class,
                                how: How::Acronym,
                            });
                        }
                        break;
                    }
                }
            }
        }
        // ACR (Long Name)
        let mut i = 0;
        while i + 1 < words.len() {
            let a = words[i];
            let open = words[i + 1];
            if open.before == Some('(')
                && a.after.is_none()
                && open.capitalised()
                && is_acronym(a.text)
            {
                let mut end = i + 1;
                while end < words.len() && end < i + 10 && words[end].after.is_none() {
                    end += 1;
                }
                if end < words.len() && words[end].after == Some(')') {
                    let long_words = &words[i + 1..=end];
                    let letters: Vec<char> = a.text.chars().filter(|c| c.is_uppercase()).collect();
                    if long_words
                        .iter()
                        .all(|w| w.capitalised() || self.is_connector(w.text))
                        && spells(&letters, long_words)
                    {
                        let long = Span::new(
                            long_words[0].span.start,
                            long_words[long_words.len() - 1].span.end,
                        );
                        defs.push(Definition {
                            acronym: a.text.to_string(),
                            acronym_span: a.span,
                            long_span: long,
                        });
                        if let Some(class) = self.head_class(long_words).or(self.fallback) {
                            found.push(Found {
                                span: long,
                                name: join(long_words),
                                class,
                                how: How::Acronym,
                            });
                        }
                    }
                    i = end;
                }
            }
            i += 1;
        }
    }

    /// The class of a name by its head word: its last word ("Zorgon
    /// Brigade"), or its first when "of" follows ("Ministry of Defence").
    fn head_class(&self, name: &[Word]) -> Option<ClassId> {
        let last = name.last()?;
        if let Some(&c) = self.head(last.text) {
            return Some(c);
        }
        let first = name.first()?;
        if name.get(1).is_some_and(|w| w.text == "of") {
            return self.head(first.text).copied();
        }
        None
    }

    /// Capitalised names ending in a head word, or opening with one before
    /// "of", or opening with a leading head word ("Saraya Awliya al-Dam",
    /// "Liwa Fatemiyoun").
    fn headed_names(&self, words: &[Word], found: &mut Vec<Found>) {
        for (i, w) in words.iter().enumerate() {
            if let Some(&class) = self.leading.get(w.text) {
                let end = if w.after.is_none() {
                    capitalised_run(words, i + 1, 4, true)
                } else {
                    i + 1
                };
                if end - i >= 2 {
                    push_name(&words[i..end], class, How::HeadWord, found);
                }
                continue;
            }
            let Some(&class) = self.head(w.text) else {
                continue;
            };
            if Some(class) == self.person {
                continue;
            }
            // Head last: extend left over capitalised words.
            let mut start = i;
            // Not over a possessive: "Turkey's Defence Ministry" is the
            // ministry of a name.
            let opens = |w: &Word| {
                w.after.is_none() && w.capitalised() && !crate::text::is_possessive(w.text)
            };
            loop {
                if start > 0 && opens(&words[start - 1]) {
                    start -= 1;
                } else if start > 0
                    && words[start - 1].after.is_none()
                    && is_ordinal(words[start - 1].text)
                {
                    // "the 4th Armoured Division": a numbered unit; its
                    // number opens the name.
                    start -= 1;
                    break;
                } else if start > 1
                    && words[start - 1].after.is_none()
                    && self.particles.iter().any(|p| p == words[start - 1].text)
                    && opens(&words[start - 2])
                {
                    // "the Al bu Nimr tribe": a particle between capitals.
                    start -= 2;
                } else {
                    break;
                }
            }
            while start < i && self.is_connector_word(&words[start]) {
                start += 1;
            }
            // Head first: "Ministry of (the) Interior" (a numbered unit
            // "of" a force is its part: "the 4th Division of the Syrian
            // Arab Army").
            let mut end = i + 1;
            let numbered = is_ordinal(words[start].text);
            if w.after.is_none() && !numbered && words.get(i + 1).is_some_and(|n| n.text == "of") {
                let mut j = i + 2;
                while j < words.len() && words[j].text == "the" {
                    j += 1;
                }
                let mut k = j;
                while k < words.len() && words[k].capitalised() && words[k].before.is_none() {
                    k += 1;
                    if words[k - 1].after.is_some() {
                        break;
                    }
                    // "Ministry of Intelligence and Security".
                    if words.get(k).is_some_and(|w| w.text == "and")
                        && words.get(k + 1).is_some_and(|w| w.capitalised())
                        && words[k].after.is_none()
                    {
                        k += 1;
                    }
                }
                if k > j {
                    end = k;
                }
            }
            // "Brigade 45": a unit's number closes its name.
            if end == i + 1
                && w.after.is_none()
                && words.get(i + 1).is_some_and(|n| {
                    (1..=3).contains(&n.text.len()) && n.text.bytes().all(|b| b.is_ascii_digit())
                })
            {
                end = i + 2;
            }
            if end - start >= 2 {
                let name = &words[start..end];
                found.push(without_possessive(Found {
                    span: Span::new(name[0].span.start, name[name.len() - 1].span.end),
                    name: join(name),
                    class,
                    how: How::HeadWord,
                }));
            }
        }
    }

    /// A capitalised word that only opens a sentence or heading: "The".
    fn is_connector_word(&self, w: &Word) -> bool {
        crate::text::with_lowercase(w.text, |lower| self.is_connector(lower))
    }

    /// "Prime Minister Mustafa al-Kadhimi", "Iranian Major General, Qassem Soleimani".
    fn titled_persons(&self, words: &[Word], found: &mut Vec<Found>) {
        let Some(person) = self.person else { return };
        let mut i = 0;
        while i < words.len() {
            let Some(n) = self.title_at(words, i) else {
                i += 1;
                continue;
            };
            let mut start = i + n;
            // A comma may stand between the title and the name.
            if words[start - 1].after.is_some_and(|c| c != ',') {
                i = start;
                continue;
            }
            while start < words.len() && self.title_at(words, start).is_some() {
                start += 1;
            }
            let end = capitalised_run(words, start, 4, false);
            if end - start >= 2 {
                push_name(&words[start..end], person, How::Title, found);
            }
            i = end.max(i + 1);
        }
    }

    /// "the government of (Iraqi) Prime Minister X": a body of the class
    /// of its lowercase head noun, named by the whole phrase (the person
    /// in it, found there, leads it).
    fn bodies_of_persons(&self, words: &[Word], found: &mut Vec<Found>) {
        if self.of_person.is_empty() {
            return;
        }
        for i in 0..words.len().saturating_sub(3) {
            let Some(&class) = self.of_person.get(words[i].text) else {
                continue;
            };
            if words[i].after.is_some() || words[i + 1].text != "of" {
                continue;
            }
            let mut t = i + 2;
            if words[t].text == "the" {
                t += 1;
            }
            // A demonym may stand before the title: a capitalised word the
            // title follows.
            let title = self
                .title_at(words, t)
                .map(|n| (t, n))
                .or_else(|| self.title_at(words, t + 1).map(|n| (t + 1, n)));
            let Some((at, n)) = title else { continue };
            if (t..at + n - 1).any(|k| words[k].after.is_some_and(|c| c != '.')) {
                continue;
            }
            let start = at + n;
            let end = capitalised_run(words, start, 4, false);
            if end - start >= 2 {
                push_name(&words[i..end], class, How::HeadWord, found);
            }
        }
    }

    /// The number of words of the title starting at `i`, if one does.
    #[inline]
    fn title_at(&self, words: &[Word], i: usize) -> Option<usize> {
        let first = words.get(i)?;
        // Most words are not capitalised: no title opens with them.
        if !first.capitalised {
            return None;
        }
        self.title_from(words, i)
    }

    fn title_from(&self, words: &[Word], i: usize) -> Option<usize> {
        let first = &words[i];
        if !self.title_first_bytes[first.text.as_bytes()[0] as usize]
            || !first.text.starts_with(|c: char| c.is_uppercase())
            || first.text.is_ascii() && !self.title_first_runs.may_be(first.text)
            || !crate::text::with_lowercase(first.text.trim_end_matches('.'), |lower| {
                self.title_firsts.contains(lower)
            })
        {
            return None;
        }
        self.titles.iter().find_map(|t| {
            let ok = t.len() <= words.len() - i
                && t.iter().enumerate().all(|(k, tw)| {
                    let w = &words[i + k];
                    w.capitalised() && w.text.trim_end_matches('.').eq_ignore_ascii_case(tw)
                })
                // Only the title's last word may carry punctuation.
                && (0..t.len() - 1).all(|k| words[i + k].after.is_none_or(|c| c == '.'));
            ok.then_some(t.len())
        })
    }

    /// Bylines ("By Elisa Cherry"), author lines ("Irene Costantini, Dylan
    /// O'Driscoll") and the authors of a reference in a footnote.
    fn authors(&self, masked: &str, s: &Sentence, words: &[Word], found: &mut Vec<Found>) {
        let Some(person) = self.person else { return };
        let text = &masked[s.span.start..s.span.end];
        let mut names: Vec<&[Word]> = Vec::new();
        let by = words[0].text == "By";
        let list: &[Word] = if by { &words[1..] } else { words };
        // Names separated by commas or "and": each two to four capitalised words.
        let mut start = 0;
        let mut ok = true;
        let mut ended_early = false;
        let mut commas = 0;
        for (k, w) in list.iter().enumerate() {
            if w.text == "and" || w.text == "&" {
                if k == start {
                    ok = false;
                    break;
                }
                names.push(&list[start..k]);
                start = k + 1;
                continue;
            }
            if !w.capitalised() {
                ok = false;
                break;
            }
            match w.after {
                None => {}
                Some(',') | Some('-') => {
                    names.push(&list[start..=k]);
                    start = k + 1;
                    commas += 1;
                    // A reference: its authors end at the first comma after a
                    // name, unless "A, B and C" goes on.
                    let listing = {
                        let mut j = k + 1;
                        while j < list.len()
                            && j < k + 5
                            && list[j].capitalised()
                            && list[j].after.is_none()
                        {
                            j += 1;
                        }
                        (k + 3..=k + 5).contains(&j) && list.get(j).is_some_and(|w| w.text == "and")
                    };
                    if (s.kind == SentenceKind::Footnote || by) && !listing {
                        ended_early = true;
                        break;
                    }
                }
                Some(_) => {
                    names.push(&list[start..=k]);
                    start = k + 1;
                    ended_early = by || s.kind == SentenceKind::Footnote;
                    break;
                }
            }
        }
        if ok && !ended_early && start < list.len() {
            names.push(&list[start..]);
        }
        // A line of names lists at least two ("Irene Costantini, Dylan
        // O'Driscoll"); one capitalised pair alone is more often a heading.
        let whole_line = ok && !ended_early && list.len() <= LINE_OF_NAMES && (by || commas >= 1);
        let reference = ok && ended_early && (by || s.kind == SentenceKind::Footnote);
        if !(whole_line || reference) || names.is_empty() || text.contains(':') && !reference {
            return;
        }
        if !names.iter().all(|n| (2..=4).contains(&n.len())) {
            return;
        }
        // A line of names needs each to look like one: no head word, no title.
        if names.iter().any(|n| {
            n.iter()
                .any(|w| self.head(w.text).is_some() || self.is_connector_word(w))
        }) {
            return;
        }
        for n in names {
            found.push(Found {
                span: Span::new(n[0].span.start, n[n.len() - 1].span.end),
                name: join(n),
                class: person,
                how: How::Byline,
            });
        }
    }
}

/// The most words a line of names (not a byline) holds.
const LINE_OF_NAMES: usize = 16;

/// Whether a sentence has more than `most` words: it has at least as
/// many as it has letters and digits opening it or after a space.
fn more_words_than(text: &[u8], most: usize) -> bool {
    let mut words = usize::from(text.first().is_some_and(|&b| ASCII_ALNUM[b as usize]));
    for space in memchr::memchr_iter(b' ', text) {
        if text
            .get(space + 1)
            .is_some_and(|&b| ASCII_ALNUM[b as usize])
        {
            words += 1;
            if words > most {
                return true;
            }
        }
    }
    false
}

/// Whether a sentence's first word may be "By" (a byline).
fn opens_with_by(text: &str) -> bool {
    text.char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .is_some_and(|(i, _)| text[i..].starts_with("By"))
}

/// Whether a word looks like an acronym: 2 to 10 characters, at least two
/// capitals, no lowercase but a plural "s".
pub fn is_acronym(w: &str) -> bool {
    let core = w.strip_suffix('s').unwrap_or(w);
    let capitals = core.chars().filter(|c| c.is_uppercase()).count();
    (2..=10).contains(&w.len())
        && capitals >= 2
        && core
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-' || c == '&')
}

/// Whether the capitals of an acronym spell the initials of a name: the
/// first letter opens the name, the letters occur in order as initials
/// (or inside a word), and most words give a letter.
fn spells(letters: &[char], name: &[Word]) -> bool {
    let Some(&first) = letters.first() else {
        return false;
    };
    let initials: Vec<char> = name
        .iter()
        .filter(|w| w.capitalised())
        .filter_map(|w| w.text.trim_start_matches("al-").chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if initials.first() != Some(&first) {
        return false;
    }
    // Every capitalised word's initial must be used, in order; extra
    // letters of the acronym may come from inside words.
    let joined: Vec<char> = name
        .iter()
        .flat_map(|w| w.text.chars())
        .flat_map(char::to_uppercase)
        .collect();
    let mut pos = 0;
    for &l in letters {
        match joined[pos..].iter().position(|&c| c == l) {
            Some(p) => pos += p + 1,
            None => return false,
        }
    }
    let used = initials.iter().filter(|c| letters.contains(c)).count();
    used * 2 > initials.len() && initials.len() <= letters.len() + 1
}

/// The end of the run of at most `most` capitalised words from `start`,
/// stopping after a word punctuation follows (or, with `unbracketed`,
/// before one punctuation opens).
fn capitalised_run(words: &[Word], start: usize, most: usize, unbracketed: bool) -> usize {
    let mut end = start;
    while end < words.len()
        && end < start + most
        && words[end].capitalised()
        && !(unbracketed && words[end].before.is_some())
    {
        end += 1;
        if words[end - 1].after.is_some() {
            break;
        }
    }
    end
}

/// A name found over `name`'s words.
fn push_name(name: &[Word], class: ClassId, how: How, found: &mut Vec<Found>) {
    found.push(without_possessive(Found {
        span: Span::new(name[0].span.start, name[name.len() - 1].span.end),
        name: join(name),
        class,
        how,
    }));
}

fn join(words: &[Word]) -> String {
    let mut s = String::with_capacity(words.iter().map(|w| w.text.len() + 1).sum());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(w.text);
    }
    s
}

/// Splits a sentence into words, peeling punctuation off their ends.
fn split_words<'a>(masked: &'a str, span: Span, out: &mut Vec<Word<'a>>) {
    const OPEN: &[char] = &['(', '"', '\u{201C}', '\u{2018}', '\'', '['];
    const CLOSE: &[char] = &[
        ',', '.', ';', ':', ')', '"', '\u{201D}', '\u{2019}', '\'', '!', '?', ']',
    ];
    let text = &masked[span.start..span.end];
    let bytes = text.as_bytes();
    // Whether a white space character starts at `i`, and its length.
    let space_at = |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), 1)
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            (c.is_whitespace(), c.len_utf8())
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let (space, len) = space_at(i);
        if space {
            i += len;
            continue;
        }
        // A run of non-space characters; spaces of any width end it. Only
        // a control byte, a space or a non-ASCII character may be one.
        let start = i;
        loop {
            match bytes[i..].iter().position(|&b| b <= b' ' || b >= 0x80) {
                None => i = bytes.len(),
                Some(k) => {
                    i += k;
                    let (space, len) = space_at(i);
                    if !space {
                        i += len;
                        continue;
                    }
                }
            }
            break;
        }
        let raw = &text[start..i];
        // Most words open and end with an ASCII letter or digit, which no
        // punctuation to peel is.
        let bytes = raw.as_bytes();
        let plain_start = bytes[0].is_ascii_alphanumeric();
        let plain_end = bytes[bytes.len() - 1].is_ascii_alphanumeric();
        if plain_start && plain_end {
            out.push(Word {
                span: Span::new(span.start + start, span.start + i),
                text: raw,
                after: None,
                before: None,
                capitalised: is_capitalised(raw),
            });
            continue;
        }
        let before = if plain_start {
            None
        } else {
            raw.chars().next().filter(|c| OPEN.contains(c))
        };
        let trimmed_start = if plain_start {
            raw
        } else {
            raw.trim_start_matches(OPEN)
        };
        let lead = raw.len() - trimmed_start.len();
        let mut core = if plain_end {
            trimmed_start
        } else {
            trimmed_start.trim_end_matches(CLOSE)
        };
        let mut after = trimmed_start[core.len()..].chars().next();
        // A dotted abbreviation keeps its dot: "U.S.", "Gen." stays "Gen".
        if after == Some('.') && core.contains('.') {
            core = &trimmed_start[..core.len() + 1];
            after = trimmed_start[core.len()..].chars().next();
        }
        // A dash glued to a name ends it: "Cherry-".
        if let Some(stripped) = core.strip_suffix('-') {
            core = stripped;
            after = Some('-');
        }
        if core.is_empty() || !(plain_start || core.chars().any(char::is_alphanumeric)) {
            continue;
        }
        out.push(Word {
            span: Span::new(
                span.start + start + lead,
                span.start + start + lead + core.len(),
            ),
            text: core,
            after,
            before,
            capitalised: is_capitalised(core),
        });
    }
}

/// A name ends before a possessive: "High Representative Federica
/// Mogherini's initiative" names "Federica Mogherini".
fn without_possessive(mut f: Found) -> Found {
    for suffix in ["'s", "\u{2019}s"] {
        if let Some(name) = f.name.strip_suffix(suffix) {
            f.span = Span::new(f.span.start, f.span.end - suffix.len());
            f.name = name.to_string();
            break;
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_look_like_acronyms() {
        for (w, want) in [
            ("INIS", true),
            ("PMFs", true),
            ("CJTF-OIR", true),
            ("US", true),
            ("I", false),
            ("Iraq", false),
            ("ISIS", true),
            ("ABCDEFGHIJKL", false),
        ] {
            assert_eq!(is_acronym(w), want, "{w}");
        }
    }

    #[test]
    fn words_keep_offsets_and_punctuation() {
        let text = "By Elisa Cherry- Analyst (INIS), Gen. Smith.";
        let mut words = Vec::new();
        split_words(text, Span::new(0, text.len()), &mut words);
        let got: Vec<(&str, Option<char>)> = words.iter().map(|w| (w.text, w.after)).collect();
        assert_eq!(
            got,
            [
                ("By", None),
                ("Elisa", None),
                ("Cherry", Some('-')),
                ("Analyst", None),
                ("INIS", Some(')')),
                ("Gen", Some('.')),
                ("Smith", Some('.')),
            ]
        );
        for w in &words {
            assert_eq!(&text[w.span.start..w.span.end], w.text);
        }
    }

    #[test]
    fn words_after_a_wide_space_keep_their_offsets() {
        // A no-break space is two bytes: the words after it must still
        // point at themselves.
        let text = "the\u{a0}Popular Mobilization\u{2003}Forces (PMF)";
        let mut words = Vec::new();
        split_words(text, Span::new(0, text.len()), &mut words);
        let got: Vec<&str> = words.iter().map(|w| w.text).collect();
        assert_eq!(got, ["the", "Popular", "Mobilization", "Forces", "PMF"]);
        for w in &words {
            assert_eq!(&text[w.span.start..w.span.end], w.text);
        }
    }

    #[test]
    fn acronym_letters_spell_names() {
        let cases = [
            ("Iraqi National Intelligence Service", "INIS", true),
            ("Popular Mobilization Forces", "PMF", true),
            ("National Security Service", "INSS", false),
            ("Security Sector Reforms", "SSR", true),
            ("Common Security and Defence Policy", "CSDP", true),
            ("Ministry of Defence", "MoD", true),
            ("Something Else", "PMF", false),
        ];
        for (name, acr, want) in cases {
            let mut words = Vec::new();
            split_words(name, Span::new(0, name.len()), &mut words);
            let letters: Vec<char> = acr.chars().filter(|c| c.is_uppercase()).collect();
            assert_eq!(spells(&letters, &words), want, "{name} ({acr})");
        }
    }
}
