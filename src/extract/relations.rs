//! Relation rules over one sentence. The sentence is seen as a row of
//! units (a word, a punctuation mark, or a whole entity mention); a cue
//! phrase of the ontology anchors each rule, and the arguments are the
//! nearest mentions on either side whose classes fit the property's domain
//! and range, within the cue's clause.

use super::dates;
use super::frames::Ruling;
use super::words::{class, Slot, Token, TokenKind, WordId, NO_WORD};
use super::{Extraction, Extractor, Relation, Rule};
use crate::ontology::{CueKind, PropertyId};
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Punct(char),
    Mention(u32),
}

#[derive(Clone, Copy, Debug)]
struct Unit {
    span: Span,
    kind: Kind,
    word: WordId,
    possessive: bool,
    /// A name used as a modifier, not an actor: "a US strategy", "the US
    /// Ambassador".
    modifier: bool,
}

impl Unit {
    #[inline(always)]
    fn is_word(&self) -> bool {
        matches!(self.kind, Kind::Word)
    }
}

/// How far (in units) an argument may stand from its cue.
const REACH: usize = 10;
/// How many words may stand between the words of a cue.
const CUE_GAP: usize = 2;

struct Ctx<'a> {
    ex: &'a Extractor,
    text: &'a str,
    units: Vec<Unit>,
    out: &'a Extraction,
}

pub(super) fn sentence(
    ex: &Extractor,
    text: &str,
    index: u32,
    mentions: &[u32],
    tokens: &[Token],
    undated: &[u32],
    out: &mut Extraction,
) {
    let span = out.sentences[index as usize].span;
    if is_credit_line(ex, &text[span.start..]) || is_question(ex, &text[span.start..span.end]) {
        return;
    }
    let mut units = units(tokens, mentions, out);
    mark_modifiers(ex, text, &mut units);
    let mut found: Vec<Relation> = Vec::new();
    let mut negated = 0;
    {
        let ctx = Ctx {
            ex,
            text,
            units,
            out,
        };
        let mut i = 0;
        while i < ctx.units.len() {
            let u = ctx.units[i];
            if !u.is_word() || u.word == NO_WORD {
                i += 1;
                continue;
            }
            let Some((pattern, end)) = ctx.best_cue(i) else {
                i += 1;
                continue;
            };
            // A longer cue overlapping this one wins: "working {in tandem with}"
            // over "{working in}".
            if let Some(j) = (i + 1..end).find(|&j| {
                ctx.best_cue(j)
                    .is_some_and(|(_, end2)| end2 > end && end2 - j > end - i)
            }) {
                i = j;
                continue;
            }
            let cue_index = ex.words.patterns[pattern].cue;
            let cue = &ex.ontology.cues[cue_index];
            let cue_span = Span::new(ctx.units[i].span.start, ctx.units[end - 1].span.end);
            if ctx.negated(i) {
                negated += 1;
                i = end;
                continue;
            }
            let modality = ctx.modal(i);
            let speaker = ctx.speaker(i);
            // The first of the cue's properties whose names fit (see
            // Ontology::properties_for), as over the parse.
            let stated = match ex.ontology.properties[cue.property].deputy {
                Some(deputy) if cue.kind == CueKind::RoleNoun && ctx.deputy_before(i) => deputy,
                _ => cue.property,
            };
            let (property, arguments) = ex
                .ontology
                .properties_for(stated)
                .map(|p| (p, ctx.arguments(cue.kind, p, i, end)))
                .find(|(_, a)| !a.is_empty())
                .unwrap_or((stated, Vec::new()));
            for (rule, s, o, distant) in arguments {
                let attributed_to = speaker.filter(|&m| m != s && m != o);
                if speaker.is_some() && attributed_to.is_none() {
                    // The speaker is no argument of what it reports.
                    continue;
                }
                let mut confidence = rule.confidence();
                if distant {
                    confidence *= 0.7;
                }
                if modality.is_some() {
                    confidence *= 0.6;
                }
                found.push(Relation {
                    property,
                    subject: s,
                    object: o,
                    sentence: index,
                    rule,
                    cue: Some(cue_index),
                    cue_span,
                    confidence,
                    when: None,
                    modality,
                    distant_subject: distant,
                    attributed_to,
                });
            }
            i = end;
        }
        ctx.place_links(index, &mut found);
    }
    let mut found_dates = None;
    let mut parsed_from = found.len();
    if let Some(reader) = ex.ontology.reader.as_deref() {
        let span = out.sentences[index as usize].span;
        let dates = found_dates.insert(dates::find(text, tokens));
        // A cue negated there is negated here too: it is counted once, above.
        parsed_from = found.len();
        let mut ruled_out = Vec::new();
        super::frames::sentence(
            ex,
            reader,
            text,
            span,
            index,
            mentions,
            dates,
            out,
            &mut found,
            &mut ruled_out,
        );
        // A cue the tree negates ("had not taken part in the attacks on
        // X"), or whose subject it finds naming no one ("helped the Assad
        // government retake Aleppo"), states nothing read linearly either;
        // one it reads as active is no linear passive.
        if !ruled_out.is_empty() {
            let parsed = found.split_off(parsed_from.min(found.len()));
            found.retain(|r| {
                r.cue.is_none()
                    || !ruled_out.iter().any(|&(c, ruling)| {
                        c.start < r.cue_span.end
                            && r.cue_span.start < c.end
                            && (ruling == Ruling::All || r.rule == Rule::VerbPassive)
                    })
            });
            parsed_from = found.len();
            found.extend(parsed);
        }
    }
    // Each relation the linear rules found takes the date nearest its cue
    // (the parse's took the date of their clause); those found earlier in
    // this sentence (inside names, in compounds) too.
    if !(found.is_empty() && undated.is_empty()) {
        let found_dates = found_dates.unwrap_or_else(|| dates::find(text, tokens));
        if !found_dates.is_empty() {
            for r in &mut found[..parsed_from] {
                r.when = nearest_date(&found_dates, r.cue_span);
            }
            for &r in undated {
                let r = &mut out.relations[r as usize];
                r.when = nearest_date(&found_dates, r.cue_span);
            }
        }
    }
    // What a statement entails is stated too ("X seized Mosul": X
    // controls Mosul, and operates in it), where the names fit it.
    let entailed: Vec<Relation> = found
        .iter()
        .filter_map(|r| {
            let p = ex.ontology.properties[r.property].entails?;
            let fits = ex.fits(&out.mentions[r.subject as usize], p, true)
                && ex.fits(&out.mentions[r.object as usize], p, false);
            fits.then(|| Relation {
                property: p,
                ..r.clone()
            })
        })
        .collect();
    found.extend(entailed);
    // No relation of an entity with itself.
    found.retain(|r| {
        out.mentions[r.subject as usize].entry != out.mentions[r.object as usize].entry
    });
    out.relations.extend(found);
    out.negated += negated;
}

pub(super) fn nearest_date(dates: &[(Span, dates::When)], cue: Span) -> Option<dates::When> {
    dates
        .iter()
        .min_by_key(|(span, _)| {
            if span.end <= cue.start {
                cue.start - span.end
            } else {
                span.start.saturating_sub(cue.end)
            }
        })
        .map(|&(_, when)| when)
}

fn units(tokens: &[Token], mentions: &[u32], out: &Extraction) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(tokens.len());
    let mut m = 0;
    for t in tokens {
        while m < mentions.len() && out.mentions[mentions[m] as usize].span.end <= t.span.start {
            m += 1;
        }
        if let Some(&mid) = mentions.get(m) {
            let span = out.mentions[mid as usize].span;
            if span.start < t.span.end && t.span.start < span.end {
                match units.last_mut() {
                    Some(last) if matches!(last.kind, Kind::Mention(m) if m == mid) => {
                        last.possessive = t.possessive;
                    }
                    _ => units.push(Unit {
                        span,
                        kind: Kind::Mention(mid),
                        word: NO_WORD,
                        possessive: t.possessive,
                        modifier: false,
                    }),
                }
                continue;
            }
        }
        units.push(Unit {
            span: t.span,
            kind: match t.kind {
                TokenKind::Word => Kind::Word,
                TokenKind::Punct(c) => Kind::Punct(c),
            },
            word: t.word,
            possessive: t.possessive,
            modifier: false,
        });
    }
    units
}

/// Whether a sentence is a yes/no question ("Q44 Mr X: Will the
/// Government proscribe the Houthis?"): it asks, it asserts no relation.
fn is_question(ex: &Extractor, sentence: &str) -> bool {
    let closers =
        |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')');
    if !sentence.trim_end_matches(closers).ends_with('?') {
        return false;
    }
    // After a speaker's label, if any.
    let asked = sentence.rsplit_once(": ").map_or(sentence, |(_, q)| q);
    let first = asked
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or("");
    ex.ontology
        .lexicon
        .question_openers
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first))
}

/// Whether a sentence is a news wire's credit line: "(Reporting by X in
/// Baghdad; Editing by Y)", a byline word and "by" at its start.
fn is_credit_line(ex: &Extractor, sentence: &str) -> bool {
    let s = sentence.trim_start_matches(|c: char| c == '(' || c.is_whitespace());
    ex.ontology.lexicon.byline_words.iter().any(|w| {
        s.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
            && ex.ontology.lexicon.agent_markers.iter().any(|by| {
                s[w.len()..]
                    .trim_start()
                    .strip_prefix(by.as_str())
                    .is_some_and(|rest| rest.starts_with(' '))
            })
    })
}

/// Marks names used as modifiers: after "a"/"an", before a capitalised
/// word that is not a name ("US Ambassador"), or joined by a hyphen to a
/// word ("Iranian-backed militia positions").
fn mark_modifiers(ex: &Extractor, text: &str, units: &mut [Unit]) {
    for k in 0..units.len() {
        if !matches!(units[k].kind, Kind::Mention(_)) {
            continue;
        }
        let after_article =
            k > 0 && units[k - 1].is_word() && ex.words.has(units[k - 1].word, class::INDEFINITE);
        let before_title = !units[k].possessive
            && units.get(k + 1).is_some_and(|u| {
                u.is_word()
                    && u.word == NO_WORD
                    && text[u.span.start..u.span.end].starts_with(|c: char| c.is_uppercase())
            });
        // "Iran-backed militias", "the Iraq-Syria border", "Counter-ISIS
        // Train and Equip Fund": a name joined by a hyphen to a word is
        // part of a compound, not an actor.
        let span = units[k].span;
        let joined = text[span.end..]
            .strip_prefix('-')
            .is_some_and(|r| r.starts_with(char::is_alphanumeric))
            || text[..span.start]
                .strip_suffix('-')
                .is_some_and(|r| r.ends_with(char::is_alphanumeric));
        units[k].modifier = after_article || before_title || joined;
    }
}

impl Ctx<'_> {
    /// The mention at a unit, unless it is a modifier.
    fn mention(&self, unit: usize) -> Option<u32> {
        let u = self.units.get(unit)?;
        match u.kind {
            Kind::Mention(m) if !u.modifier => Some(m),
            _ => None,
        }
    }

    fn is(&self, unit: usize, bit: u16) -> bool {
        self.units
            .get(unit)
            .is_some_and(|u| u.is_word() && self.ex.words.has(u.word, bit))
    }

    fn is_punct(&self, unit: usize, chars: &[char]) -> bool {
        matches!(self.units.get(unit), Some(Unit { kind: Kind::Punct(c), .. }) if chars.contains(c))
    }

    /// Whether a clause ends at this unit.
    fn is_break(&self, unit: usize) -> bool {
        self.is_punct(
            unit,
            &[
                ';', ':', '(', ')', '\u{2014}', '[', ']', '\u{201C}', '\u{201D}', '"',
            ],
        ) || self.is(unit, class::CLAUSE_BREAK)
    }

    /// "Karrada, Baghdad", "Ninewa province in Iraq": two places joined by
    /// a property's `sg:placeLink` with nothing else between, the first
    /// in the second. A list ("Jordan, Lebanon and Turkey") is none.
    fn place_links(&self, index: u32, found: &mut Vec<Relation>) {
        for (property, p) in self.ex.ontology.properties.iter().enumerate() {
            if p.place_links.is_empty() && p.name_links.is_empty() {
                continue;
            }
            let word = |u: &Unit| -> Option<String> {
                match u.kind {
                    Kind::Punct(c) => Some(c.to_string()),
                    Kind::Word => Some(self.text[u.span.start..u.span.end].to_lowercase()),
                    Kind::Mention(_) => None,
                }
            };
            for k in 0..self.units.len() {
                let Some(a) = self.mention(k) else {
                    continue;
                };
                // "Anbar province, Iraq": a place noun may follow the first.
                let mut l = k + 1;
                if self
                    .units
                    .get(l)
                    .and_then(word)
                    .is_some_and(|w| p.place_nouns.contains(&w))
                {
                    l += 1;
                }
                let Some(link) = self.units.get(l).copied() else {
                    continue;
                };
                let link_word = word(&link);
                // A name link may stand before an article: "of the PMF".
                let named = link_word.as_ref().is_some_and(|w| p.name_links.contains(w));
                let mut second = l + 1;
                while named && self.is(second, class::DETERMINER) {
                    second += 1;
                }
                let Some(b) = self.mention(second) else {
                    continue;
                };
                if self.units[k].possessive
                    || self.units[l - 1].possessive
                    || self.units[second].possessive
                    || !(named || link_word.is_some_and(|w| p.place_links.contains(&w)))
                    || !self.fits(a, property, true)
                    || !self.fits(b, property, false)
                {
                    continue;
                }
                let listed_before = k >= 2
                    && (self.is_punct(k - 1, &[',']) || self.is(k - 1, class::CONJUNCTION))
                    && self.mention(k - 2).is_some();
                let n = second + 1;
                let listed_after = (self.is(n, class::CONJUNCTION)
                    && self.mention(n + 1).is_some())
                    || (self.is_punct(n, &[','])
                        && (self.mention(n + 1).is_some()
                            || (self.is(n + 1, class::CONJUNCTION)
                                && self.mention(n + 2).is_some())));
                // "Tashkent, Uzbek alumni": after a comma the second name
                // ends its noun phrase, or it only modifies a noun.
                let modifies = self.units.get(n).is_some_and(|u| {
                    u.kind == Kind::Word
                        && ![
                            class::PREPOSITION,
                            class::CONJUNCTION,
                            class::BE,
                            class::CLAUSE_BREAK,
                            class::REPORTING,
                            class::MODAL,
                            class::RELATIVE,
                            class::NEGATION,
                        ]
                        .iter()
                        .any(|&bit| self.is(n, bit))
                });
                if link.kind == Kind::Punct(',') && (listed_before || listed_after || modifies) {
                    continue;
                }
                found.push(Relation {
                    property,
                    subject: a,
                    object: b,
                    sentence: index,
                    rule: if named {
                        Rule::NameLink
                    } else {
                        Rule::PlaceLink
                    },
                    cue: None,
                    cue_span: link.span,
                    confidence: Rule::PlaceLink.confidence(),
                    when: None,
                    modality: None,
                    distant_subject: false,
                    attributed_to: None,
                });
            }
        }
    }

    fn fits(&self, mention: u32, property: PropertyId, as_subject: bool) -> bool {
        self.ex
            .fits(&self.out.mentions[mention as usize], property, as_subject)
    }

    /// The longest cue pattern starting at unit `i`, with the unit after it.
    fn best_cue(&self, i: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        let after_article = self.after_article(i);
        for &p in self.ex.words.cues_starting_with(self.units[i].word) {
            // "condemned the attack": a verb's form after an article or a
            // possessive pronoun is a noun.
            if after_article
                && matches!(
                    self.ex.ontology.cues[self.ex.words.patterns[p].cue].kind,
                    CueKind::Verb | CueKind::InverseVerb
                )
            {
                continue;
            }
            let slots = &self.ex.words.patterns[p].slots;
            if let Some(end) = self.match_slots(i + 1, &slots[1..]) {
                let better = match best {
                    None => true,
                    Some((_, len, e)) => slots.len() > len || (slots.len() == len && end < e),
                };
                if better {
                    best = Some((p, slots.len(), end));
                }
            }
        }
        best.map(|(p, _, end)| (p, end))
    }

    /// Whether the word before unit `i` is an article or a possessive
    /// pronoun ("the", "an", "its"; not "that", which may open a clause).
    fn after_article(&self, i: usize) -> bool {
        i > 0 && self.is(i - 1, class::ARTICLE) && !self.is(i - 1, class::RELATIVE)
    }

    /// Whether unit `k` is a word opening with a capital.
    fn is_capitalised_word(&self, k: usize) -> bool {
        self.units.get(k).is_some_and(|u| {
            u.is_word() && self.text[u.span.start..u.span.end].starts_with(char::is_uppercase)
        })
    }

    fn match_slots(&self, mut at: usize, slots: &[Slot]) -> Option<usize> {
        for &slot in slots {
            let mut skipped = 0;
            loop {
                let u = self.units.get(at)?;
                if u.is_word() && self.ex.words.slot_matches(slot, u.word) {
                    at += 1;
                    break;
                }
                let skippable = u.is_word()
                    && !self
                        .ex
                        .words
                        .has(u.word, class::CLAUSE_BREAK | class::CONJUNCTION);
                if !skippable || skipped == CUE_GAP {
                    return None;
                }
                skipped += 1;
                at += 1;
            }
        }
        Some(at)
    }

    /// Whether one of the two words before a role noun makes it a
    /// deputy's ("the vice president of"), or an indefinite article right
    /// before it one of many holders' ("X, a commander of the PMF": a
    /// member, not its head).
    fn deputy_before(&self, cue: usize) -> bool {
        let lexicon = &self.ex.ontology.lexicon;
        cue.checked_sub(1)
            .is_some_and(|k| self.word_in(k, &lexicon.indefinite))
            || (cue.saturating_sub(2)..cue).any(|k| self.word_in(k, &lexicon.deputy_words))
    }

    /// A negation among the three words before the cue, in its clause.
    fn negated(&self, cue: usize) -> bool {
        for k in (cue.saturating_sub(3)..cue).rev() {
            if self.is_break(k) {
                return false;
            }
            if self.is(k, class::NEGATION) {
                return true;
            }
            let u = self.units[k];
            if u.is_word() {
                let w = &self.text[u.span.start..u.span.end];
                if w.ends_with("n't") || w.ends_with("n\u{2019}t") {
                    return true;
                }
            }
        }
        let phrases = self
            .ex
            .words
            .phrases
            .iter()
            .filter(|(bit, _)| *bit == class::NEGATION);
        for (_, phrase) in phrases {
            let n = phrase.len();
            if cue >= n
                && (0..n).all(|j| {
                    self.units[cue - n + j].is_word() && self.units[cue - n + j].word == phrase[j]
                })
            {
                return true;
            }
        }
        false
    }

    /// Reported speech: the actor named right before a reporting verb
    /// that stands before the cue ("Iran said that ...", "the ministry
    /// claimed ...").
    fn speaker(&self, cue: usize) -> Option<u32> {
        // The verb must open a report: "said that", "said:", "said the ...",
        // "claimed ISIS ..."; not "insisted on".
        let opens_report = |r: usize| {
            let next = r + 1;
            self.is_punct(next, &[',', ':', '"', '\u{201C}'])
                || self.is(next, class::DETERMINER)
                || self.mention(next).is_some()
                || self.units.get(next).is_some_and(|u| {
                    u.is_word() && self.text[u.span.start..u.span.end].eq_ignore_ascii_case("that")
                })
        };
        let r = (0..cue)
            .rev()
            .find(|&k| self.is(k, class::REPORTING) && opens_report(k))?;
        (r.saturating_sub(3)..r).rev().find_map(|k| self.mention(k))
    }

    /// A modal word among the three words before the cue, in its clause.
    fn modal(&self, cue: usize) -> Option<Span> {
        for k in (cue.saturating_sub(3)..cue).rev() {
            if self.is_break(k) {
                return None;
            }
            if self.is(k, class::MODAL) {
                return Some(self.units[k].span);
            }
        }
        None
    }

    /// Whether the mention at `unit` follows a preposition (over
    /// determiners) other than a genitive "of".
    fn after_preposition(&self, unit: usize) -> bool {
        // "in Iraq and Syria": the second name shares the first's preposition.
        if unit >= 2
            && (self.is_punct(unit - 1, &[',']) || self.is(unit - 1, class::CONJUNCTION))
            && matches!(self.units[unit - 2].kind, Kind::Mention(_))
        {
            return self.after_preposition(unit - 2);
        }
        let mut k = unit;
        for _ in 0..3 {
            if k == 0 {
                return false;
            }
            k -= 1;
            if self.is(k, class::DETERMINER) {
                continue;
            }
            return self.is(k, class::PREPOSITION) && !self.is(k, class::GENITIVE);
        }
        false
    }

    /// The first unit of the clause holding `unit`, and the antecedent of a
    /// relative pronoun that opens it ("the Coalition, which ...").
    fn clause_start(&self, unit: usize) -> (usize, Option<u32>) {
        let mut k = unit;
        while k > 0 {
            // "Asa'ib Ahl al-Haq (AAH), headed by": an acronym in
            // brackets after its name breaks no clause.
            if k >= 4
                && self.is_punct(k - 1, &[')'])
                && self.is_punct(k - 3, &['('])
                && self.mention(k - 2).is_some()
                && self.mention(k - 4).is_some()
            {
                k -= 4;
                continue;
            }
            if self.is_break(k - 1) {
                let mut a = k - 1;
                while a > 0 && self.is_punct(a - 1, &[',']) {
                    a -= 1;
                }
                // Over an acronym in brackets: "the IRGC (IRGC), who".
                if a >= 4
                    && self.is_punct(a - 1, &[')'])
                    && self.is_punct(a - 3, &['('])
                    && self.mention(a - 2).is_some()
                {
                    a -= 3;
                }
                let antecedent = if self.is(k - 1, class::RELATIVE) && a > 0 {
                    self.mention(a - 1)
                        .map(|m| self.person_for(k - 1, a - 1, m))
                        .or_else(|| self.described(a - 1))
                } else {
                    None
                };
                return (k, antecedent);
            }
            k -= 1;
        }
        (0, None)
    }

    /// The name an apposition ending at `last` describes: the mention
    /// right before the comma that opens it ("EUAM Iraq, the EU's
    /// advisory mission, which advises X": EUAM Iraq).
    fn described(&self, last: usize) -> Option<u32> {
        let comma = (last.saturating_sub(8)..last)
            .rev()
            .take_while(|&k| !self.is_break(k) || self.is_punct(k, &[',']))
            .find(|&k| self.is_punct(k, &[',']))?;
        let opens_description = self.units[comma + 1].is_word();
        (opens_description && comma > 0)
            .then(|| self.mention(comma - 1))
            .flatten()
    }

    /// The mention a relative pronoun at `relative` stands for, given the
    /// mention `m` right before it at `before`: for "who", a person, the
    /// one an apposition describes ("Qassem Soleimani, commander of the
    /// Quds Force, who was killed": Soleimani) if `m` is none.
    fn person_for(&self, relative: usize, before: usize, m: u32) -> u32 {
        let lexicon = &self.ex.ontology.lexicon;
        let unit = &self.units[relative];
        let word = &self.text[unit.span.start..unit.span.end];
        let person = |m: u32| self.ex.class_is_person(&self.out.mentions[m as usize]);
        if person(m)
            || !lexicon
                .personal_relatives
                .iter()
                .any(|r| r.eq_ignore_ascii_case(word))
        {
            return m;
        }
        (before.saturating_sub(12)..before)
            .rev()
            .take_while(|&k| !self.is_break(k) || self.is_punct(k, &[',']))
            .filter_map(|k| self.mention(k))
            .find(|&p| person(p))
            .unwrap_or(m)
    }

    fn clause_end(&self, unit: usize) -> usize {
        let mut k = unit;
        while k < self.units.len() && !self.is_break(k) {
            k += 1;
        }
        k
    }

    /// The subject before the cue: the nearest mention in the clause that is
    /// not the object of a preposition nor a possessive; else the antecedent
    /// of the clause's relative pronoun; else the first such mention of the
    /// sentence (a distant subject).
    fn subject_before(
        &self,
        cue: usize,
        property: PropertyId,
        as_subject: bool,
    ) -> Option<(usize, bool)> {
        let (start, antecedent) = self.clause_start(cue);
        let from = cue.saturating_sub(REACH * 2).max(start);
        // "(Reuters) - Rockets struck X": a name in a parenthesis closed
        // before the cue is no subject of it (an acronym's name stands
        // before its parenthesis).
        let fits = |k: usize| {
            self.mention(k).is_some_and(|m| {
                !self.units[k].possessive
                    && !self.after_preposition(k)
                    && !self.closed_parenthesis(k, cue)
                    && self.fits(m, property, as_subject)
            })
        };
        // "... since 2009, and in 2019 it designated X": an unresolved
        // pronoun is the subject; it stands for the sentence's subject,
        // not for the name nearest before it.
        if let Some(pronoun) = self.pronoun_subject(cue) {
            return (0..pronoun)
                .find(|&k| fits(k) && !self.governed(k))
                .map(|k| (k, true));
        }
        for k in (from..cue).rev() {
            if fits(k) {
                // "X, led by Y, attacked Z": a name inside commas set off
                // after another name is not the verb's subject (but a name
                // right before an inverse cue's comma is its own: "A, B,
                // led by Y": B is led by Y).
                let closed =
                    k + 1 < cue && self.is_punct(k + 1, &[',']) && (as_subject || k + 2 < cue);
                let opened = (from..k).rev().find(|&c| self.is_punct(c, &[',']));
                if let Some(c) = opened.filter(|&c| {
                    closed
                        && c > 0
                        && fits(c - 1)
                        && !(c + 1..k).any(|j| self.is(j, class::CONJUNCTION))
                }) {
                    return Some((c - 1, false));
                }
                // "X, who leads Y, visited Z": a relative clause set off
                // by commas and closed before the cue is about X.
                let set_off = start >= 2
                    && self.is_punct(start - 2, &[','])
                    && (k + 1..cue).any(|j| self.is_punct(j, &[',']));
                if let Some(m) =
                    antecedent.filter(|&m| set_off && self.fits(m, property, as_subject))
                {
                    if let Some(a) = (0..start).rev().find(|&a| self.mention(a) == Some(m)) {
                        return Some((a, false));
                    }
                }
                return Some((k, false));
            }
        }
        if let Some(m) = antecedent.filter(|&m| self.fits(m, property, as_subject)) {
            let k = (0..cue).rev().find(|&k| self.mention(k) == Some(m))?;
            return Some((k, false));
        }
        (0..start.min(cue)).find(|&k| fits(k)).map(|k| (k, true))
    }

    /// Whether unit `k` stands in a parenthesis that closes before `cue`.
    fn closed_parenthesis(&self, k: usize, cue: usize) -> bool {
        (k + 1..cue)
            .take_while(|&j| !self.is_punct(j, &['(']))
            .any(|j| self.is_punct(j, &[')']))
    }

    /// The object after the cue: the first mention in the clause, within reach.
    /// A preposition between the cue and a mention makes the mention the
    /// object of the preposition, not of the cue ("combat terrorist groups
    /// throughout Iraq").
    fn object_after(&self, after: usize, property: PropertyId, as_subject: bool) -> Option<usize> {
        // Places take chains of prepositions: "operate in the regions near Baghdad".
        let locative = self.ex.ontology.properties[property].locative;
        let end = self.clause_end(after).min(after + REACH);
        for k in after..end {
            // "work with Iraq's Ministry of Interior": the name possessed,
            // not its possessor.
            if self.units[k].possessive && self.mention(k + 1).is_some() {
                continue;
            }
            if self
                .mention(k)
                .is_some_and(|m| self.fits(m, property, as_subject))
            {
                return Some(k);
            }
            if self.is(k, class::PREPOSITION) && !self.is(k, class::AGENT) && !locative {
                return None;
            }
            // A conjunction after words that name nothing joins a clause or
            // a noun phrase that is no name: "committed to defeating these
            // terrorists and have already supported ... X".
            if k > after && self.is(k, class::CONJUNCTION) && !locative {
                return None;
            }
        }
        None
    }

    /// Whether the agent marker "by" stands between the cue and `unit`:
    /// "attacks targeting them by the factions" makes the factions the actor.
    /// "support for Iraq in the fight against ISIL": the name right
    /// before an act marker and a determiner acts in the act noun.
    fn acting_in(&self, cue: usize, p: PropertyId) -> Option<(usize, bool)> {
        let mut k = cue;
        if k > 0 && self.is(k - 1, class::DETERMINER) {
            k -= 1;
        }
        let marker = k.checked_sub(1)?;
        let u = self.units.get(marker)?;
        let word = &self.text[u.span.start..u.span.end];
        if !u.is_word()
            || !self
                .ex
                .ontology
                .lexicon
                .act_markers
                .iter()
                .any(|m| m.eq_ignore_ascii_case(word))
        {
            return None;
        }
        let name = marker.checked_sub(1)?;
        self.mention(name)
            .filter(|&m| self.fits(m, p, true))
            .map(|_| (name, false))
    }

    /// Whether unit `k` is a word of `list` (in any case).
    fn word_in(&self, k: usize, list: &[String]) -> bool {
        self.units.get(k).is_some_and(|u| {
            let w = &self.text[u.span.start..u.span.end];
            u.is_word() && list.iter().any(|l| l.eq_ignore_ascii_case(w))
        })
    }

    /// The grammatical subject of the clause holding `cue`: its first name
    /// that no preposition (not even "of") governs, else the antecedent of
    /// the relative pronoun opening it.
    fn clause_subject(&self, cue: usize, p: PropertyId) -> Option<(usize, bool)> {
        let (start, antecedent) = self.clause_start(cue);
        (start..cue)
            .find(|&k| {
                self.mention(k).is_some_and(|m| self.fits(m, p, true))
                    && !self.units[k].possessive
                    && !self.governed(k)
            })
            .or_else(|| {
                let m = antecedent.filter(|&m| self.fits(m, p, true))?;
                (0..cue).rev().find(|&k| self.mention(k) == Some(m))
            })
            .map(|k| (k, false))
    }

    /// Whether a preposition (even "of") governs the name at `k`.
    fn governed(&self, k: usize) -> bool {
        (k.saturating_sub(3)..k)
            .rev()
            .find(|&j| !self.is(j, class::DETERMINER))
            .is_some_and(|j| self.is(j, class::PREPOSITION))
    }

    /// A subject pronoun the text leaves unresolved among the three words
    /// before the cue, with no name between them ("it has designated").
    fn pronoun_subject(&self, cue: usize) -> Option<usize> {
        let pronouns = &self.ex.ontology.lexicon.subject_pronouns;
        (cue.saturating_sub(3)..cue)
            .rev()
            .take_while(|&k| self.units[k].is_word() && !self.is_break(k))
            .find(|&k| self.word_in(k, pronouns))
    }

    fn by_agent(&self, after: usize, unit: usize) -> bool {
        // "by" right after the cue or its pronoun object ("targeting
        // them by X"); after a noun phrase it is the noun's ("supported
        // the re-taking by X").
        // A determiner before it opens the noun phrase "by" belongs to.
        (after..unit.min(after + 3))
            .take_while(|&k| !self.is(k, class::DETERMINER))
            .any(|k| self.is(k, class::AGENT))
    }

    /// The nearest mention before `unit` in its clause, of any role.
    fn nearest_before(&self, unit: usize, property: PropertyId, as_subject: bool) -> Option<usize> {
        let (start, antecedent) = self.clause_start(unit);
        let from = unit.saturating_sub(REACH).max(start);
        let near = (from..unit).rev().find(|&k| {
            self.mention(k)
                .is_some_and(|m| self.fits(m, property, as_subject))
        });
        near.or_else(|| {
            let m = antecedent.filter(|&m| self.fits(m, property, as_subject))?;
            (0..unit).rev().find(|&k| self.mention(k) == Some(m))
        })
    }

    /// Mentions coordinated with the one at `unit` ("NATO and the EU",
    /// "the US, Iran, Turkey"), forwards or backwards.
    fn coordinated(
        &self,
        unit: usize,
        forward: bool,
        property: PropertyId,
        as_subject: bool,
    ) -> Vec<usize> {
        let mut out = vec![unit];
        // Whether each join had a conjunction ("and"), not just a comma.
        let mut conjunctions: Vec<bool> = Vec::new();
        let mut k = unit;
        loop {
            let mut j = k;
            let mut joined = false;
            let mut conjunction = false;
            // One unit on, in the direction of the list; None at the start.
            let step = |j: usize| {
                if forward {
                    Some(j + 1)
                } else {
                    j.checked_sub(1)
                }
            };
            for _ in 0..4 {
                let Some(next) = step(j) else { break };
                j = next;
                // "the US (as a key ally) and the EUAM"
                let (open, close) = if forward { ('(', ')') } else { (')', '(') };
                if self.is_punct(j, &[open]) {
                    let mut depth = 0;
                    while j < self.units.len() {
                        if self.is_punct(j, &[open]) {
                            depth += 1;
                        } else if self.is_punct(j, &[close]) {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        let Some(next) = step(j) else { break };
                        j = next;
                    }
                    continue;
                }
                if self.is_punct(j, &[',']) {
                    joined = true;
                    continue;
                }
                if self.is(j, class::CONJUNCTION) || self.is_conjunction_word(j) {
                    joined = true;
                    conjunction = true;
                    continue;
                }
                if self.is(j, class::DETERMINER) {
                    continue;
                }
                break;
            }
            // "X, and Denmark has offered": a name a verb follows opens a
            // clause.
            let speaks =
                self.is(j + 1, class::REPORTING) || (forward && self.is(j + 1, class::AUXILIARY));
            // A list joins names of one kind: persons with persons.
            let person = |m: u32| self.ex.class_is_person(&self.out.mentions[m as usize]);
            let same_kind = |m: u32| {
                self.mention(unit)
                    .is_none_or(|first| person(first) == person(m))
            };
            match self.mention(j) {
                Some(m)
                    if joined && !speaks && same_kind(m) && self.fits(m, property, as_subject) =>
                {
                    out.push(j);
                    conjunctions.push(conjunction);
                    k = j;
                }
                _ => break,
            }
        }
        // A list has a conjunction: "A, B and C". Forwards it may come last;
        // backwards (from C) it comes first. Commas alone join nothing:
        // "since the fall of IS, the United States ...".
        let keep = if forward {
            conjunctions.iter().rposition(|&c| c).map_or(0, |i| i + 1)
        } else if conjunctions.first() == Some(&true) {
            conjunctions.len()
        } else {
            0
        };
        out.truncate(keep + 1);
        out
    }

    /// A word that belongs to a multi-word conjunction ("as well as", "along with").
    fn is_conjunction_word(&self, unit: usize) -> bool {
        let Some(u) = self.units.get(unit) else {
            return false;
        };
        u.is_word()
            && self
                .ex
                .words
                .phrases
                .iter()
                .any(|(bit, phrase)| *bit == class::CONJUNCTION && phrase.contains(&u.word))
    }

    /// The name a role noun is said of: "Y, the leader of X", "Y is a
    /// member of X", "Y, as a key player in X". Over up to three
    /// determiners, adjectives or "as", then a comma or a form of "be".
    fn appositive_before(&self, cue: usize, p: PropertyId) -> Option<(usize, bool)> {
        let mut k = cue;
        let mut skipped = 0;
        while k > 0 && skipped < 3 && self.units[k - 1].is_word() && !self.is(k - 1, class::BE) {
            k -= 1;
            skipped += 1;
        }
        if k > 0 && (self.is_punct(k - 1, &[',']) || self.is(k - 1, class::BE)) {
            k -= 1;
        } else if skipped > 0 {
            // Words between a name and the role, with no comma or verb of
            // being: "ISF arrested several members of X" is no apposition.
            return None;
        }
        let s = k.checked_sub(1)?;
        self.mention(s)
            .filter(|&m| self.fits(m, p, true) && !self.units[s].possessive)
            .map(|_| (s, false))
    }

    /// The subject of a sentence that opens with the cue's participle
    /// phrase: "Working in tandem with the US, the NATO Mission Iraq is ...":
    /// the first fitting name after the comma that closes the phrase.
    fn fronted_subject(
        &self,
        cue: usize,
        last_object: usize,
        p: PropertyId,
    ) -> Option<(usize, bool)> {
        if (0..cue).any(|k| !self.units[k].is_word()) || cue > 2 {
            return None;
        }
        let mut k = last_object + 1;
        while k < self.units.len() && !self.is_punct(k, &[',']) {
            if self.is_break(k) && !self.is_punct(k, &['(', ')']) {
                return None;
            }
            k += 1;
        }
        // "A rocket attack on X wounded ..., the Pentagon said": a name
        // before a reporting verb is the speaker, not the subject.
        (k + 1..(k + 4).min(self.units.len()))
            .find(|&j| self.mention(j).is_some_and(|m| self.fits(m, p, true)))
            .filter(|&j| !self.is(j + 1, class::REPORTING))
            .map(|j| (j, false))
    }

    /// After the cue, an agent phrase "by X": the unit of X.
    fn agent_after(&self, after: usize, property: PropertyId) -> Option<usize> {
        let end = self.clause_end(after).min(after + REACH);
        // "was killed in a U.S. drone strike": the name on the act.
        if self.is(after, class::PREPOSITION) {
            let mut k = after + 1;
            while self.is(k, class::DETERMINER) {
                k += 1;
            }
            // The name is a modifier of the act here ("a U.S. strike").
            let named = matches!(self.units.get(k), Some(Unit { kind: Kind::Mention(m), .. })
                if self.fits(*m, property, true));
            if named && (k + 1..(k + 3).min(end)).any(|e| self.is(e, class::EVENT)) {
                return Some(k);
            }
        }
        let by = (after..end).find(|&k| self.is(k, class::AGENT))?;
        (by + 1..end.min(by + 5)).find(|&k| {
            self.mention(k)
                .is_some_and(|m| self.fits(m, property, true))
        })
    }

    /// Whether the verb at `cue` is passive: a form of "be" before it (over
    /// up to two adverbs) or "by" right after it.
    fn passive(&self, cue: usize, end: usize) -> bool {
        let mut k = cue;
        for _ in 0..3 {
            if k == 0 {
                break;
            }
            k -= 1;
            if self.is(k, class::BE) {
                return true;
            }
            let adverb = self.units[k].is_word() && self.units[k].word == NO_WORD;
            if !adverb {
                break;
            }
        }
        // "X, designated a terrorist group by Y, ...": a participle set
        // off after a name, with an agent later in its clause.
        let u = self.units[cue];
        let word = &self.text[u.span.start..u.span.end];
        let participle = word.ends_with("ed") || word.ends_with("en");
        let after_name =
            cue >= 2 && self.is_punct(cue - 1, &[',']) && self.mention(cue - 2).is_some();
        let agent_later = || {
            let stop = self.clause_end(end).min(end + REACH);
            (end..stop).any(|k| self.is(k, class::AGENT))
        };
        self.is(end, class::AGENT) || (participle && after_name && agent_later())
    }

    /// The (rule, subject, object, distant) of each relation the cue states.
    fn arguments(
        &self,
        kind: CueKind,
        p: PropertyId,
        cue: usize,
        end: usize,
    ) -> Vec<(Rule, u32, u32, bool)> {
        // A modifier may be an argument too ("killed in a U.S. strike").
        let m = |k: usize| match self.units[k].kind {
            Kind::Mention(m) => m,
            _ => unreachable!("argument units are mentions"),
        };
        let mut out = Vec::new();
        let mut pairs = |rule: Rule, subjects: Vec<usize>, objects: Vec<usize>, distant: bool| {
            for &s in &subjects {
                for &o in &objects {
                    out.push((rule, m(s), m(o), distant));
                }
            }
        };
        match kind {
            CueKind::Verb | CueKind::ActionNoun | CueKind::Symmetric => {
                if kind == CueKind::Verb && self.passive(cue, end) {
                    if let Some(agent) = self.agent_after(end, p) {
                        if let Some(patient) = self.nearest_before(cue, p, false) {
                            let agents = self.coordinated(agent, true, p, true);
                            let patients = self.coordinated(patient, false, p, false);
                            pairs(Rule::VerbPassive, agents, patients, false);
                        }
                    } else if self.is(end - 1, class::PREPOSITION) {
                        // "the factions that are linked to Iran": a state, not an act.
                        if let (Some(s), Some(o)) = (
                            self.nearest_before(cue, p, true),
                            self.object_after(end, p, false),
                        ) {
                            let objects = self.coordinated(o, true, p, false);
                            pairs(Rule::VerbStative, vec![s], objects, false);
                        }
                    }
                    return out;
                }
                let Some(object) = self.object_after(end, p, false) else {
                    return out;
                };
                if kind == CueKind::Verb && self.by_agent(end, object) {
                    // "... targeting them by X": X acts on the name before the cue.
                    if let Some(patient) = self.nearest_before(cue, p, false) {
                        if self.mention(object).is_some_and(|m| self.fits(m, p, true)) {
                            let agents = self.coordinated(object, true, p, true);
                            pairs(Rule::VerbPassive, agents, vec![patient], false);
                        }
                    }
                    return out;
                }
                let objects = self.coordinated(object, true, p, false);
                let rule = match kind {
                    CueKind::Verb => Rule::VerbActive,
                    CueKind::ActionNoun => Rule::ActionNoun,
                    _ => Rule::Symmetric,
                };
                let last = *objects.last().unwrap_or(&object);
                let owned = kind == CueKind::ActionNoun
                    && cue.checked_sub(1).is_some_and(|k| {
                        self.word_in(k, &self.ex.ontology.lexicon.possessive_pronouns)
                    });
                let subject = if owned {
                    // "in their battle with X": the clause's subject, or no one.
                    self.agent_after(last + 1, p)
                        .map(|a| (a, false))
                        .or_else(|| self.clause_subject(cue, p))
                } else {
                    if kind == CueKind::ActionNoun {
                        // "attacks on X by Y"; "the US invasion of Iraq"; "Iran's support for X"
                        self.agent_after(last + 1, p)
                            .or_else(|| {
                                cue.checked_sub(1).filter(|&k| {
                                    self.mention(k).is_some_and(|m| self.fits(m, p, true))
                                })
                            })
                            .map(|a| (a, false))
                            .or_else(|| self.acting_in(cue, p))
                    } else {
                        None
                    }
                    .or_else(|| self.subject_before(cue, p, true))
                    .or_else(|| self.fronted_subject(cue, last, p))
                };
                // A noun's actor is in its clause: no distant subjects for nouns.
                let subject =
                    subject.filter(|&(_, distant)| !distant || kind != CueKind::ActionNoun);
                if let Some((subject, distant)) = subject {
                    let subjects = self.coordinated(subject, false, p, true);
                    pairs(rule, subjects, objects, distant);
                }
            }
            // Compounds are read from the text around names, not from words;
            // possessives from the parse only.
            CueKind::AgentCompound
            | CueKind::PatientCompound
            | CueKind::Prefix
            | CueKind::Title
            | CueKind::Possessed
            | CueKind::Possessor
            | CueKind::Motion
            | CueKind::Under
            | CueKind::Transfer => {}
            CueKind::Locative => {
                // The name right before the preposition, over a parenthesised
                // acronym and one presence noun.
                let mut k = cue;
                // "the Islamic State (IS) in Iraq": over a one-word parenthesis.
                if k >= 3 && self.is_punct(k - 1, &[')']) && self.is_punct(k - 3, &['(']) {
                    k -= 3;
                }
                if k > 0 && self.is(k - 1, class::PRESENCE) {
                    k -= 1;
                }
                let Some(subject) = k
                    .checked_sub(1)
                    .filter(|&s| self.mention(s).is_some_and(|m| self.fits(m, p, true)))
                else {
                    return out;
                };
                let mut o = end;
                while self.is(o, class::DETERMINER) {
                    o += 1;
                }
                if self.mention(o).is_some_and(|m| self.fits(m, p, false)) {
                    let objects = self.coordinated(o, true, p, false);
                    pairs(Rule::Locative, vec![subject], objects, false);
                }
            }
            CueKind::InverseVerb => {
                // The grammatical subject is the property's object.
                let Some(gram_object) = self.object_after(end, p, true) else {
                    return out;
                };
                let Some((gram_subject, distant)) = self.subject_before(cue, p, false) else {
                    return out;
                };
                let subjects = self.coordinated(gram_object, true, p, true);
                let objects = self.coordinated(gram_subject, false, p, false);
                pairs(Rule::VerbInverse, subjects, objects, distant);
            }
            CueKind::RoleNoun => {
                let ends_in_preposition = self.is(end - 1, class::PREPOSITION);
                if ends_in_preposition {
                    // "the leader of X, Y" / "Y, the leader of X" / "Y is a member of X"
                    let Some(object) = self.object_after(end, p, false).filter(|&k| k <= end + 3)
                    else {
                        return out;
                    };
                    let objects = self.coordinated(object, true, p, false);
                    let last = *objects.last().unwrap_or(&object);
                    let mut after = last + 1;
                    // "The head of the Asa'ib Ahl al-Haq movement, Sheikh
                    // X": over one noun the name modifies, to its comma
                    // (not for places: "Mosul district, Ninewa province").
                    let place = self.mention(last).is_some_and(|m| {
                        let m = &self.out.mentions[m as usize];
                        self.ex.is_place_like(self.ex.class_of(m))
                    });
                    let function_word = class::PREPOSITION
                        | class::CONJUNCTION
                        | class::CLAUSE_BREAK
                        | class::REPORTING
                        | class::BE
                        | class::MODAL;
                    if !place
                        && self.units.get(after).is_some_and(|u| {
                            u.is_word()
                                && self.text[u.span.start..u.span.end]
                                    .starts_with(char::is_lowercase)
                        })
                        && !self.is(after, function_word)
                        && self.is_punct(after + 1, &[','])
                    {
                        after += 1;
                    }
                    // Over the object's acronym: "the head of the UN
                    // Assistance Mission for Iraq (UNAMI), X".
                    if self.is_punct(after, &['(']) {
                        if let Some(close) =
                            (after + 1..after + 4).find(|&k| self.is_punct(k, &[')']))
                        {
                            after = close + 1;
                        }
                    }
                    if self.is_punct(after, &[',']) {
                        after += 1;
                        // Over a title: ", Sheikh X".
                        let titled = (after..after + 3).find(|&k| self.mention(k).is_some());
                        if let Some(k) =
                            titled.filter(|&k| (after..k).all(|j| self.is_capitalised_word(j)))
                        {
                            after = k;
                        }
                    }
                    let subject = match self.mention(after) {
                        Some(s) if self.fits(s, p, true) => Some((after, false)),
                        _ => self.appositive_before(cue, p),
                    };
                    if let Some((subject, distant)) = subject {
                        pairs(Rule::RoleNoun, vec![subject], objects, distant);
                    }
                } else {
                    // "PMF leader Y" / "Iraq's partner" / "Y, X's proxy"
                    let modifier = (cue.saturating_sub(3)..cue)
                        .rev()
                        .find(|&k| self.mention(k).is_some_and(|mm| self.fits(mm, p, false)));
                    let Some(object) = modifier else { return out };
                    if (object + 1..cue)
                        .any(|k| !self.units[k].is_word() || self.is(k, class::DETERMINER))
                    {
                        return out;
                    }
                    // "its leader, X": a pronoun or a description holds
                    // the role of no name before it, only of one set off
                    // after it.
                    let referring = {
                        let m = self.mention(object).expect("the modifier is a mention");
                        self.out.mentions[m as usize].anaphor
                    };
                    let after = if referring && self.is_punct(end, &[',']) {
                        end + 1
                    } else {
                        end
                    };
                    // "NATO Mission Iraq commander Lieutenant General X":
                    // capitalised words after the role open its holder's
                    // name, and no name before it holds the role.
                    let subject = match self.mention(after) {
                        Some(s) if self.fits(s, p, true) => Some((after, false)),
                        _ if referring => None,
                        // (A dotted title: "Gen." is a word and its dot.)
                        _ if self.is_capitalised_word(after) => (after + 1..after + 5)
                            .take_while(|&k| {
                                self.mention(k).is_some()
                                    || self.is_capitalised_word(k)
                                    || self.is_punct(k, &['.'])
                            })
                            .find(|&k| self.mention(k).is_some_and(|s| self.fits(s, p, true)))
                            .map(|k| (k, false)),
                        _ => self.subject_before(object, p, true),
                    };
                    if let Some((subject, distant)) = subject {
                        pairs(Rule::RoleNoun, vec![subject], vec![object], distant);
                    }
                }
            }
        }
        out
    }
}
