//! Entity mentions from the gazetteer: two Aho-Corasick automata, one for
//! labels that match case-insensitively and one for acronyms and exact
//! labels, both leftmost-longest and kept only on whole words.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::ontology::{EntryId, Ontology};
use crate::text::Span;

/// A gazetteer label found in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub entry: EntryId,
    /// Index of the label in [`Gazetteer::label`].
    pub label: u32,
    pub span: Span,
}

pub struct Gazetteer {
    folded: AhoCorasick,
    folded_patterns: Vec<(EntryId, u32)>,
    exact: AhoCorasick,
    exact_patterns: Vec<(EntryId, u32)>,
    /// The first bytes of the exact patterns. They are few and open with a
    /// capital: the exact automaton is tried, anchored, only at the word
    /// starts opening with one of these bytes.
    exact_first: [bool; 256],
    labels: Vec<String>,
    /// Whether each label is a demonym ("Iranian").
    demonym: Vec<bool>,
}

/// Whether a label is matched with its exact case: acronyms and names whose
/// first word has two capitals or more ("NATO", "EUAM Iraq", "U.S.", "McGurk").
pub fn is_case_sensitive(label: &str) -> bool {
    let first = label.split_whitespace().next().unwrap_or("");
    first.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// The spellings a label is searched under: as written, and with its
/// apostrophes straight and curly.
fn variants(label: &str) -> Vec<String> {
    let mut out = vec![label.to_string()];
    if label.contains('\'') {
        out.push(label.replace('\'', "\u{2019}"));
    }
    if label.contains('\u{2019}') {
        out.push(label.replace('\u{2019}', "'"));
    }
    out
}

impl Gazetteer {
    pub fn new(ontology: &Ontology) -> Gazetteer {
        let mut labels = Vec::new();
        let mut demonym = Vec::new();
        let mut folded: Vec<(String, EntryId, u32)> = Vec::new();
        let mut exact: Vec<(String, EntryId, u32)> = Vec::new();
        for (entry_id, entry) in ontology.entries.iter().enumerate() {
            let mut add = |label: &str, force_exact: bool, is_demonym: bool| {
                let label_id = labels.len() as u32;
                labels.push(label.to_string());
                demonym.push(is_demonym);
                for v in variants(label) {
                    if force_exact || is_case_sensitive(&v) {
                        exact.push((v, entry_id, label_id));
                    } else {
                        // The automaton folds ASCII case only: other letters
                        // keep their case on both sides ("Été" matches "Été").
                        folded.push((v.to_ascii_lowercase(), entry_id, label_id));
                    }
                }
            };
            add(&entry.pref_label, false, false);
            for alt in &entry.alt_labels {
                add(alt, false, false);
            }
            for alt in &entry.exact_labels {
                add(alt, true, false);
            }
            for d in &entry.demonyms {
                add(d, true, true);
            }
        }
        // One pattern per spelling; the first entry to claim it keeps it.
        let dedup = |mut v: Vec<(String, EntryId, u32)>| {
            let mut seen = std::collections::HashSet::new();
            v.retain(|(p, _, _)| seen.insert(p.clone()));
            v
        };
        let folded = dedup(folded);
        let exact = dedup(exact);
        let mut exact_first = [false; 256];
        for (p, _, _) in &exact {
            if let Some(&b) = p.as_bytes().first() {
                exact_first[b as usize] = true;
            }
        }
        let build = |patterns: &[(String, EntryId, u32)], fold: bool| {
            AhoCorasickBuilder::new()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(if fold {
                    StartKind::Unanchored
                } else {
                    StartKind::Anchored
                })
                .ascii_case_insensitive(fold)
                .build(patterns.iter().map(|(p, _, _)| p.as_str()))
                .expect("gazetteer patterns build an automaton")
        };
        Gazetteer {
            folded: build(&folded, true),
            folded_patterns: folded.iter().map(|&(_, e, l)| (e, l)).collect(),
            exact: build(&exact, false),
            exact_patterns: exact.iter().map(|&(_, e, l)| (e, l)).collect(),
            exact_first,
            labels,
            demonym,
        }
    }

    pub fn is_demonym(&self, label: u32) -> bool {
        self.demonym.get(label as usize).copied().unwrap_or(false)
    }

    pub fn label(&self, id: u32) -> &str {
        &self.labels[id as usize]
    }

    /// All whole-word hits in `text[range]`, non-overlapping, longest first
    /// where two start together.
    pub fn find(&self, text: &str, range: Span, out: &mut Vec<Hit>) {
        let first = out.len();
        self.scan(text, range, out);
        self.scan_exact(text, range, out);
        let hits = &mut out[first..];
        hits.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(b.span.end.cmp(&a.span.end))
        });
        // Keep the leftmost-longest of overlapping hits.
        let mut kept = first;
        let mut last_end = 0;
        for i in first..out.len() {
            let hit = out[i];
            if kept > first && hit.span.start < last_end {
                continue;
            }
            last_end = hit.span.end;
            out[kept] = hit;
            kept += 1;
        }
        out.truncate(kept);
    }

    /// The exact patterns' whole-word hits: at each word start opening
    /// with a byte some exact pattern opens with, the longest pattern there.
    fn scan_exact(&self, text: &str, range: Span, out: &mut Vec<Hit>) {
        let bytes = text.as_bytes();
        let mut pos = range.start;
        while pos < range.end {
            let Some(skip) = bytes[pos..range.end]
                .iter()
                .position(|&b| self.exact_first[b as usize])
            else {
                break;
            };
            let start = pos + skip;
            pos = start + 1;
            if !text.is_char_boundary(start) || !is_boundary_before(text, start) {
                continue;
            }
            let input = Input::new(text)
                .range(start..range.end)
                .anchored(Anchored::Yes);
            let Some(m) = self.exact.find(input) else {
                continue;
            };
            let mut end = m.end();
            // An acronym may take a plural s: "PMFs".
            if end < range.end && bytes[end] == b's' && is_boundary_after(text, end + 1) {
                end += 1;
            }
            if is_boundary_after(text, end) {
                let (entry, label) = self.exact_patterns[m.pattern().as_usize()];
                out.push(Hit {
                    entry,
                    label,
                    span: Span::new(start, end),
                });
                pos = end;
            }
        }
    }

    /// The case-folded patterns' whole-word hits, leftmost-longest.
    fn scan(&self, text: &str, range: Span, out: &mut Vec<Hit>) {
        let (automaton, patterns) = (&self.folded, &self.folded_patterns);
        let mut pos = range.start;
        while pos < range.end {
            let Some(m) = automaton.find(Input::new(text).range(pos..range.end)) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            if is_boundary_before(text, start) && is_boundary_after(text, end) {
                let (entry, label) = patterns[m.pattern().as_usize()];
                out.push(Hit {
                    entry,
                    label,
                    span: Span::new(start, end),
                });
                pos = end;
                continue;
            }
            // Not a whole word. A whole word starts after a character that
            // is not a letter or digit: look again after the first such
            // character from here, skipping the rest of this word.
            pos = start;
            for c in text[start..].chars() {
                pos += c.len_utf8();
                if !c.is_alphanumeric() || pos >= range.end {
                    break;
                }
            }
        }
    }
}

fn is_boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn is_boundary_after(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}
