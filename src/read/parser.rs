//! The dependency parser: greedy arc-hybrid transitions (shift, left arc,
//! right arc) chosen by an averaged perceptron, trained with a dynamic
//! oracle (Goldberg and Nivre) that lets it learn from its own mistakes;
//! each arc is then labelled by a second perceptron that sees both ends
//! and the function words attached to them so far.
//!
//! Word `n` of an `n`-word sentence is the root; it sits at the bottom of
//! the stack and takes its one dependent only when everything else is
//! attached, so every parse is a tree with one root word.

use super::perceptron::{self, feature, Rng, Trainer, Weights};
use super::words::WordFeatures;

/// The trained parser.
#[derive(Clone, Debug, Default)]
pub struct Parser {
    /// Dependency labels, by class index; `root` among them.
    pub labels: Vec<String>,
    pub transitions: Weights,
    pub labeller: Weights,
}

/// A parse: for each word its head (`None` for the root word) and label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub heads: Vec<Option<u32>>,
    pub labels: Vec<u8>,
}

/// Rows of averaged weights whose largest magnitude is below this are
/// dropped: on the held-out part, 1.5 halves the model (25 to 13 MB) and
/// its reading time while UAS moves from 0.808 to 0.810; 4 costs 5 points.
const LEAST_WEIGHT: f32 = 1.5;

const SHIFT: usize = 0;
const LEFT: usize = 1;
const RIGHT: usize = 2;
const NO: u32 = u32::MAX;
const ABSENT: u64 = 0xAB5E;
const ROOT_WORD: u64 = 0x2007;

/// The parser's state: the stack, the next word of the buffer, the arcs.
struct State<'a> {
    words: &'a [WordFeatures],
    tags: &'a [u8],
    n: usize,
    stack: Vec<u32>,
    next: usize,
    heads: Vec<u32>,
    labels: Vec<u8>,
    /// For each word and the root: its two leftmost and two rightmost
    /// dependents so far, and how many on each side.
    left: Vec<[u32; 2]>,
    right: Vec<[u32; 2]>,
    left_count: Vec<u8>,
    right_count: Vec<u8>,
    /// Dependents of each word in the order attached.
    children: Vec<Vec<u32>>,
    /// How many punctuation words come before each word.
    punct_before: Vec<u32>,
}

impl<'a> State<'a> {
    fn new(words: &'a [WordFeatures], tags: &'a [u8]) -> State<'a> {
        let n = words.len();
        State {
            words,
            tags,
            n,
            stack: vec![n as u32],
            next: 0,
            heads: vec![NO; n],
            labels: vec![0; n],
            left: vec![[NO; 2]; n + 1],
            right: vec![[NO; 2]; n + 1],
            left_count: vec![0; n + 1],
            right_count: vec![0; n + 1],
            children: vec![Vec::new(); n + 1],
            punct_before: {
                let mut before = Vec::with_capacity(n + 1);
                let mut count = 0;
                for w in words {
                    before.push(count);
                    count += w.punct as u32;
                }
                before.push(count);
                before
            },
        }
    }

    fn done(&self) -> bool {
        self.next == self.n && self.stack.len() == 1
    }

    fn allowed(&self, t: usize) -> bool {
        let depth = self.stack.len();
        match t {
            SHIFT => self.next < self.n,
            LEFT => self.next < self.n && depth > 1,
            _ => depth > 2 || (depth == 2 && self.next == self.n),
        }
    }

    /// The arc a transition makes: (head, dependent).
    fn arc(&self, t: usize) -> Option<(u32, u32)> {
        let s0 = *self.stack.last()?;
        match t {
            LEFT => Some((self.next as u32, s0)),
            RIGHT => Some((self.stack[self.stack.len() - 2], s0)),
            _ => None,
        }
    }

    fn apply(&mut self, t: usize, label: u8) {
        if t == SHIFT {
            self.stack.push(self.next as u32);
            self.next += 1;
            return;
        }
        let (h, d) = self.arc(t).expect("an arc transition has a stack top");
        self.stack.pop();
        self.heads[d as usize] = h;
        self.labels[d as usize] = label;
        let (hu, du) = (h as usize, d);
        self.children[hu].push(du);
        if d < h {
            // Left dependents arrive from the nearest outwards.
            let l = &mut self.left[hu];
            *l = [d, l[0]];
            self.left_count[hu] = self.left_count[hu].saturating_add(1);
        } else {
            let r = &mut self.right[hu];
            *r = [d, r[0]];
            self.right_count[hu] = self.right_count[hu].saturating_add(1);
        }
    }

    fn word(&self, i: u32) -> u64 {
        match i {
            NO => ABSENT,
            i if i as usize == self.n => ROOT_WORD,
            i => self.words[i as usize].norm,
        }
    }

    fn tag(&self, i: u32) -> u64 {
        match i {
            NO => ABSENT,
            i if i as usize == self.n => ROOT_WORD,
            i => self.tags[i as usize] as u64,
        }
    }

    fn label(&self, i: u32) -> u64 {
        if i == NO || i as usize == self.n {
            ABSENT
        } else {
            self.labels[i as usize] as u64
        }
    }

    fn stack_at(&self, k: usize) -> u32 {
        self.stack
            .len()
            .checked_sub(k + 1)
            .map_or(NO, |i| self.stack[i])
    }

    fn buffer_at(&self, k: usize) -> u32 {
        if self.next + k < self.n {
            (self.next + k) as u32
        } else {
            NO
        }
    }

    fn features(&self, out: &mut Vec<u64>) {
        out.clear();
        let (s0, s1, s2) = (self.stack_at(0), self.stack_at(1), self.stack_at(2));
        let (b0, b1, b2) = (self.buffer_at(0), self.buffer_at(1), self.buffer_at(2));
        let side =
            |v: &Vec<[u32; 2]>, i: u32, k: usize| if i == NO { NO } else { v[i as usize][k] };
        let (s0l, s0l2) = (side(&self.left, s0, 0), side(&self.left, s0, 1));
        let (s0r, s0r2) = (side(&self.right, s0, 0), side(&self.right, s0, 1));
        let (b0l, b0l2) = (side(&self.left, b0, 0), side(&self.left, b0, 1));
        let s1r = side(&self.right, s1, 0);
        let (s0w, s0t) = (self.word(s0), self.tag(s0));
        let (s1w, s1t) = (self.word(s1), self.tag(s1));
        let (b0w, b0t) = (self.word(b0), self.tag(b0));
        let (b1w, b1t) = (self.word(b1), self.tag(b1));
        let (b2w, b2t) = (self.word(b2), self.tag(b2));
        let s2t = self.tag(s2);
        let distance = if s0 == NO || b0 == NO || s0 as usize == self.n {
            0
        } else {
            (b0 - s0).min(6) as u64
        };
        let count = |v: &Vec<u8>, i: u32| if i == NO { 0 } else { v[i as usize] as u64 };
        let (s0lv, s0rv, b0lv) = (
            count(&self.left_count, s0),
            count(&self.right_count, s0),
            count(&self.left_count, b0),
        );
        let suffix = |i: u32| {
            if i == NO || i as usize == self.n {
                ABSENT
            } else {
                self.words[i as usize].suffix3
            }
        };
        // Punctuation between the stack's top and the buffer's front.
        let commas = if s0 == NO || b0 == NO || s0 as usize == self.n {
            0
        } else {
            (self.punct_before[b0 as usize] - self.punct_before[s0 as usize + 1]).min(3) as u64
        };
        let s1_distance = if s1 == NO || s1 as usize == self.n || s0 == NO {
            0
        } else {
            (s0 - s1).min(6) as u64
        };
        out.extend([
            feature(16, &[suffix(s0), s0t]),
            feature(17, &[suffix(b0), b0t]),
            feature(18, &[suffix(b1), b1t]),
            feature(19, &[suffix(s1), s1t]),
            feature(32, &[s0t, b0t, commas]),
            feature(33, &[s0w, b0t, commas]),
            feature(52, &[s1t, s0t, self.tag(s0r)]),
            feature(53, &[s1t, self.tag(side(&self.left, s1, 0)), s0t]),
            feature(66, &[s1t, s0t, s1_distance]),
            feature(67, &[s1w, s0t, s1_distance]),
        ]);
        out.extend([
            feature(0, &[]),
            feature(1, &[s0w]),
            feature(2, &[s0t]),
            feature(3, &[s0w, s0t]),
            feature(4, &[s1w]),
            feature(5, &[s1t]),
            feature(6, &[s1w, s1t]),
            feature(7, &[b0w]),
            feature(8, &[b0t]),
            feature(9, &[b0w, b0t]),
            feature(10, &[b1w]),
            feature(11, &[b1t]),
            feature(12, &[b1w, b1t]),
            feature(13, &[b2w]),
            feature(14, &[b2t]),
            feature(15, &[b2w, b2t]),
            feature(20, &[s0w, s0t, b0w, b0t]),
            feature(21, &[s0w, s0t, b0w]),
            feature(22, &[s0w, b0w, b0t]),
            feature(23, &[s0w, s0t, b0t]),
            feature(24, &[s0t, b0w, b0t]),
            feature(25, &[s0w, b0w]),
            feature(26, &[s0t, b0t]),
            feature(27, &[b0t, b1t]),
            feature(28, &[s1t, s0t]),
            feature(29, &[s1w, s0w]),
            feature(30, &[s1t, b0t]),
            feature(31, &[s1w, b0w]),
            feature(40, &[b0t, b1t, b2t]),
            feature(41, &[s0t, b0t, b1t]),
            feature(42, &[s1t, s0t, b0t]),
            feature(43, &[s0t, self.tag(s0l), b0t]),
            feature(44, &[s0t, self.tag(s0r), b0t]),
            feature(45, &[s0t, b0t, self.tag(b0l)]),
            feature(46, &[s0t, self.tag(s0l), self.tag(s0l2)]),
            feature(47, &[s0t, self.tag(s0r), self.tag(s0r2)]),
            feature(48, &[b0t, self.tag(b0l), self.tag(b0l2)]),
            feature(49, &[s2t, s1t, s0t]),
            feature(50, &[s1t, self.tag(s1r), s0t]),
            feature(51, &[s1t, s0t, b0t, b1t]),
            feature(60, &[s0w, distance]),
            feature(61, &[s0t, distance]),
            feature(62, &[b0w, distance]),
            feature(63, &[b0t, distance]),
            feature(64, &[s0w, b0w, distance]),
            feature(65, &[s0t, b0t, distance]),
            feature(70, &[s0w, s0rv]),
            feature(71, &[s0t, s0rv]),
            feature(72, &[s0w, s0lv]),
            feature(73, &[s0t, s0lv]),
            feature(74, &[b0w, b0lv]),
            feature(75, &[b0t, b0lv]),
            feature(80, &[self.word(s0l)]),
            feature(81, &[self.tag(s0l)]),
            feature(82, &[self.label(s0l)]),
            feature(83, &[self.word(s0r)]),
            feature(84, &[self.tag(s0r)]),
            feature(85, &[self.label(s0r)]),
            feature(86, &[self.word(b0l)]),
            feature(87, &[self.tag(b0l)]),
            feature(88, &[self.label(b0l)]),
            feature(89, &[self.tag(s0l2), self.label(s0l2)]),
            feature(90, &[self.tag(s0r2), self.label(s0r2)]),
            feature(91, &[self.tag(b0l2), self.label(b0l2)]),
            feature(92, &[self.tag(s1r), self.label(s1r)]),
            feature(100, &[s0t, self.label(s0l), self.label(s0l2)]),
            feature(101, &[s0t, self.label(s0r), self.label(s0r2)]),
            feature(102, &[b0t, self.label(b0l), self.label(b0l2)]),
            feature(103, &[s0w, self.label(s0r)]),
            feature(104, &[b0w, self.label(b0l)]),
        ]);
    }

    /// The features of the label of the arc `h -> d`.
    fn label_features(&self, h: u32, d: u32, function_tags: &[bool], out: &mut Vec<u64>) {
        out.clear();
        let (dw, dt, hw, ht) = (self.word(d), self.tag(d), self.word(h), self.tag(h));
        let dir = (d < h) as u64;
        let distance = (h.abs_diff(d)).min(6) as u64;
        let before = if d == 0 { NO } else { d - 1 };
        let after = if (d as usize) + 1 < self.n { d + 1 } else { NO };
        out.extend([
            feature(200, &[]),
            feature(201, &[dw]),
            feature(202, &[dt]),
            feature(203, &[hw]),
            feature(204, &[ht]),
            feature(205, &[dt, ht]),
            feature(206, &[dw, ht]),
            feature(207, &[dt, hw]),
            feature(208, &[dir, dt, ht]),
            feature(209, &[distance, dt, ht]),
            feature(210, &[dw, dt, dir]),
            feature(211, &[self.tag(before), dt]),
            feature(212, &[self.tag(after), dt]),
            feature(213, &[self.word(before), dt]),
            feature(214, &[dt, ht, self.tag(after)]),
            feature(215, &[hw, dw]),
        ]);
        // Function words on either end: "by" under the dependent makes an
        // agent, "was" under the head a passive subject.
        for (end, node) in [(0u64, d), (1u64, h)] {
            for &c in &self.children[node as usize] {
                if c as usize != self.n && function_tags[self.tags[c as usize] as usize] {
                    out.push(feature(220, &[end, self.word(c), dt, dir]));
                    out.push(feature(221, &[end, self.word(c), dt, ht]));
                }
                if end == 0 {
                    out.push(feature(222, &[self.label(c), dt]));
                }
            }
        }
    }
}

/// What a training sentence gives the oracle: its gold heads (the root
/// word's head is `n`) and labels.
struct Gold<'a> {
    heads: &'a [u32],
}

impl Gold<'_> {
    /// How many gold arcs a transition makes unreachable.
    fn cost(&self, s: &State, t: usize) -> usize {
        let in_buffer = |x: u32| (x as usize) >= s.next && (x as usize) < s.n;
        let g = |x: u32| self.heads[x as usize];
        let children_in_buffer = |d: u32| (s.next..s.n).filter(|&x| self.heads[x] == d).count();
        let depth = s.stack.len();
        match t {
            SHIFT => {
                let b = s.next as u32;
                let s0 = *s.stack.last().expect("the root is on the stack");
                let deps = s.stack[1..].iter().filter(|&&x| g(x) == b).count();
                let head_lost = s.stack[..depth - 1].contains(&g(b)) && g(b) != s0;
                deps + head_lost as usize
            }
            LEFT => {
                let d = s.stack[depth - 1];
                let s1 = s.stack[depth - 2];
                let head_lost = g(d) != s.next as u32 && (g(d) == s1 || in_buffer(g(d)));
                children_in_buffer(d) + head_lost as usize
            }
            _ => {
                let d = s.stack[depth - 1];
                children_in_buffer(d) + in_buffer(g(d)) as usize
            }
        }
    }
}

impl Parser {
    /// Parses a tagged sentence.
    pub fn parse(&self, words: &[WordFeatures], tags: &[u8], function_tags: &[bool]) -> Tree {
        let mut s = State::new(words, tags);
        let mut feats = Vec::with_capacity(96);
        let mut scores = [0.0f32; 3];
        let mut label_scores = vec![0.0f32; self.labels.len()];
        let root = self.labels.iter().position(|l| l == "root").unwrap_or(0) as u8;
        while !s.done() {
            s.features(&mut feats);
            self.transitions.score(&feats, &mut scores);
            let t = perceptron::best(&scores, |t| s.allowed(t)).unwrap_or(SHIFT);
            let label = match s.arc(t) {
                Some((h, _)) if h as usize == s.n => root,
                Some((h, d)) if t != SHIFT => {
                    s.label_features(h, d, function_tags, &mut feats);
                    self.labeller.score(&feats, &mut label_scores);
                    perceptron::best(&label_scores, |l| l != root as usize).unwrap_or(0) as u8
                }
                _ => 0,
            };
            s.apply(t, label);
        }
        Tree {
            heads: s
                .heads
                .iter()
                .map(|&h| (h as usize != s.n).then_some(h))
                .collect(),
            labels: s.labels,
        }
    }

    /// Trains on tagged sentences with gold trees (heads as in [`Tree`]).
    /// From the second pass on, the parser follows its own predictions
    /// nine times in ten, so that it learns to recover from mistakes.
    pub fn train(
        labels: Vec<String>,
        sentences: &[(Vec<WordFeatures>, Vec<u8>, Tree)],
        function_tags: &[bool],
        iterations: usize,
    ) -> Parser {
        let root = labels.iter().position(|l| l == "root").unwrap_or(0);
        let mut transitions = Trainer::new(3);
        let mut labeller = Trainer::new(labels.len());
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = Rng::new(0xA5C_4B1D);
        let mut feats = Vec::with_capacity(96);
        let mut label_feats = Vec::with_capacity(48);
        let mut scores = [0.0f32; 3];
        let mut label_scores = vec![0.0f32; labels.len()];
        for iteration in 0..iterations {
            rng.shuffle(&mut order);
            for &i in &order {
                let (words, tags, tree) = &sentences[i];
                let n = words.len();
                let heads: Vec<u32> = tree.heads.iter().map(|h| h.unwrap_or(n as u32)).collect();
                let gold = Gold { heads: &heads };
                let mut s = State::new(words, tags);
                while !s.done() {
                    s.features(&mut feats);
                    transitions.score(&feats, &mut scores);
                    let costs: [Option<usize>; 3] =
                        std::array::from_fn(|t| s.allowed(t).then(|| gold.cost(&s, t)));
                    let least = costs.iter().flatten().min().copied().unwrap_or(0);
                    let guess = perceptron::best(&scores, |t| costs[t].is_some()).unwrap_or(SHIFT);
                    let right =
                        perceptron::best(&scores, |t| costs[t] == Some(least)).unwrap_or(SHIFT);
                    transitions.update(&feats, right, guess);
                    let t = if iteration > 0 && guess != right && rng.below(10) < 9 {
                        guess
                    } else {
                        right
                    };
                    let label = match s.arc(t) {
                        Some((h, _)) if h as usize == n => root,
                        Some((h, d)) if t != SHIFT => {
                            s.label_features(h, d, function_tags, &mut label_feats);
                            labeller.score(&label_feats, &mut label_scores);
                            let guess = perceptron::best(&label_scores, |l| l != root).unwrap_or(0);
                            if heads[d as usize] == h {
                                labeller.update(
                                    &label_feats,
                                    tree.labels[d as usize] as usize,
                                    guess,
                                );
                            }
                            guess
                        }
                        _ => 0,
                    };
                    s.apply(t, label as u8);
                }
            }
        }
        Parser {
            labels,
            transitions: transitions.average_above(LEAST_WEIGHT),
            labeller: labeller.average_above(LEAST_WEIGHT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sequence of allowed transitions ends in a tree with one root
    /// word, and a gold projective tree has a zero-cost path that rebuilds it.
    #[test]
    fn the_oracle_rebuilds_a_projective_tree() {
        // "NATO trains the forces in Baghdad ." heads (root = 7)
        let heads = [1u32, 7, 3, 1, 5, 3, 1];
        let words = vec![WordFeatures::default(); 7];
        let tags = vec![0u8; 7];
        let gold = Gold { heads: &heads };
        let mut s = State::new(&words, &tags);
        while !s.done() {
            let t = (0..3)
                .find(|&t| s.allowed(t) && gold.cost(&s, t) == 0)
                .expect("a zero-cost transition");
            s.apply(t, 0);
        }
        assert_eq!(s.heads, heads);
        let mut rng = Rng::new(7);
        for _ in 0..200 {
            let mut s = State::new(&words, &tags);
            while !s.done() {
                let allowed: Vec<usize> = (0..3).filter(|&t| s.allowed(t)).collect();
                s.apply(allowed[rng.below(allowed.len())], 0);
            }
            assert_eq!(s.heads.iter().filter(|&&h| h == 7).count(), 1);
            assert!(s.heads.iter().all(|&h| h != NO));
        }
    }
}
