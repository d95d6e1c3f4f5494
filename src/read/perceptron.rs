//! The averaged perceptron that the tagger, the parser and the mention
//! finder share: sparse hashed features, one row of class weights per
//! feature, weights averaged over every step of training (lazily, by time
//! stamps), rows that average to nothing dropped.
//!
//! Features are `u64` hashes made with [`feature`]; a hash map keyed by
//! them needs no hashing of its own, so it uses [`PassThrough`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for keys that are hashes already.
#[derive(Default, Clone, Copy)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used with this hasher; fold anything else.
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// Mixes a value into a hash (a multiply-xorshift step: every input bit
/// reaches every output bit).
#[inline]
pub fn mix(h: u64, v: u64) -> u64 {
    let x = (h ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 31)
}

/// The hash of a feature: its template number and its values.
#[inline]
pub fn feature(template: u64, values: &[u64]) -> u64 {
    let mut h = mix(0x51_7CC1_B727_220A, template);
    for &v in values {
        h = mix(h, v);
    }
    // Zero marks an absent feature nowhere, but keep it off the key space.
    h | 1
}

/// The FNV-1a hash of a string's bytes, the value a word gives a feature.
#[inline]
pub fn word(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// Trained weights: a row of `classes` weights for each known feature.
///
/// Reading a sentence is mostly looking up rows, each a cache miss, so the
/// table is made small. A feature's 64-bit hash is folded to a 32-bit key
/// ([`Weights::key`]; two features folding to one key share a row, which
/// is what feature hashing does, about 60 of the parser's 350,000), and its
/// weights are 16-bit integers, one scale for the table (the largest weight
/// over `i16::MAX`). One open-addressing table (linear probing, at most
/// one slot in two used: at three in four, a lookup probed 2.5 slots on
/// average, most features of a parse being absent) holds each key beside
/// its row, so that a lookup reads one stretch of memory: the key's two
/// halves, then the weights. A zero key marks an empty slot.
#[derive(Clone, Debug)]
pub struct Weights {
    pub classes: usize,
    /// What one unit of a stored weight is worth.
    pub scale: f32,
    table: Vec<u16>,
    mask: usize,
    len: usize,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights::from_quantized(0, 1.0, std::iter::empty())
    }
}

/// The smallest weight a row of [`Trainer::average`] keeps.
pub const LEAST: f32 = 1e-3;

/// The most classes a table may have (the scorer's buffer).
pub const MAX_CLASSES: usize = 64;

/// How many weights the scorer adds at once.
const LANES: usize = 8;

/// How many features the scorer looks up at once (a step's features are
/// fewer: one batch).
const BATCH: usize = 128;

impl Weights {
    /// The 32-bit key of a feature's hash (never zero).
    #[inline(always)]
    pub fn key(feature: u64) -> u32 {
        match (feature ^ (feature >> 32)) as u32 {
            0 => 1,
            k => k,
        }
    }

    #[inline(always)]
    fn stride(&self) -> usize {
        self.classes + 2
    }

    #[inline(always)]
    fn key_at(&self, slot: usize) -> u32 {
        let at = slot * self.stride();
        self.table[at] as u32 | (self.table[at + 1] as u32) << 16
    }

    /// The slot holding `key`, or the empty one where it would go.
    #[inline(always)]
    fn slot(&self, key: u32) -> usize {
        let mut slot = key as usize & self.mask;
        loop {
            let k = self.key_at(slot);
            if k == key || k == 0 {
                return slot;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Asks the processor to bring a slot into the cache.
    #[inline(always)]
    fn prefetch(&self, slot: usize) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let at = self.table[slot * self.stride()..].as_ptr();
            // SAFETY: a prefetch reads nothing and only hints the cache;
            // SSE, which it needs, is part of every x86_64 processor.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(at.cast()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    #[inline(always)]
    fn row(&self, slot: usize) -> &[u16] {
        let at = slot * self.stride() + 2;
        &self.table[at..at + self.classes]
    }

    /// Adds the weights of the features into `scores` (of length `classes`),
    /// which it sets to zero first. The sums are integers, scaled at the
    /// end: the same features give the same scores in any order.
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        if self.len == 0 {
            return;
        }
        // Rows are added eight weights at a time (lanes past the row's
        // end read the next slot and are left out of the scores).
        match self.classes.div_ceil(LANES) {
            1 => self.score_lanes::<1>(features, scores),
            2 => self.score_lanes::<2>(features, scores),
            3 => self.score_lanes::<3>(features, scores),
            4 => self.score_lanes::<4>(features, scores),
            5 => self.score_lanes::<5>(features, scores),
            6 => self.score_lanes::<6>(features, scores),
            7 => self.score_lanes::<7>(features, scores),
            _ => self.score_lanes::<8>(features, scores),
        }
    }

    /// [`Weights::score`] for rows of at most `8 * N` weights.
    #[inline(always)]
    fn score_lanes<const N: usize>(&self, features: &[u64], scores: &mut [f32]) {
        let mut sums = Sums::<N>::new();
        let mut keys = [0u32; BATCH];
        for batch in features.chunks(BATCH) {
            // Every feature's row is fetched before any is read: the
            // lookups are cache misses, and this lets them overlap.
            for (k, &f) in keys.iter_mut().zip(batch) {
                *k = Weights::key(f);
                self.prefetch(*k as usize & self.mask);
            }
            let stride = self.stride();
            for &key in &keys[..batch.len()] {
                let mut slot = key as usize & self.mask;
                loop {
                    // The slot's key and the lanes of its row, checked
                    // against the table's end once.
                    let at = slot * stride;
                    let entry = &self.table[at..at + 2 + N * LANES];
                    let k = entry[0] as u32 | (entry[1] as u32) << 16;
                    if k == key {
                        sums.add(&entry[2..]);
                        break;
                    }
                    if k == 0 {
                        break;
                    }
                    slot = (slot + 1) & self.mask;
                }
            }
        }
        for (s, &sum) in scores.iter_mut().zip(sums.get().iter().flatten()) {
            *s = sum as f32 * self.scale;
        }
    }

    /// The number of features with weights.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows in key order (the order they are written in), as stored.
    pub fn sorted_rows(&self) -> Vec<(u32, Vec<i16>)> {
        let slots = if self.len == 0 { 0 } else { self.mask + 1 };
        let mut rows: Vec<(u32, Vec<i16>)> = (0..slots)
            .filter(|&s| self.key_at(s) != 0)
            .map(|s| {
                (
                    self.key_at(s),
                    self.row(s).iter().map(|&w| w as i16).collect(),
                )
            })
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// Weights from trained rows given in any order (feature hashes
    /// distinct): rows whose keys fold together are summed, then every
    /// weight is rounded to the table's scale.
    pub fn from_rows(classes: usize, rows: impl IntoIterator<Item = (u64, Vec<f32>)>) -> Weights {
        let mut folded: std::collections::BTreeMap<u32, Vec<f32>> = Default::default();
        for (feature, row) in rows {
            debug_assert_eq!(row.len(), classes);
            let sum = folded
                .entry(Weights::key(feature))
                .or_insert_with(|| vec![0.0; classes]);
            for (s, w) in sum.iter_mut().zip(&row) {
                *s += w;
            }
        }
        let largest = folded
            .values()
            .flatten()
            .fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if largest > 0.0 {
            largest / i16::MAX as f32
        } else {
            1.0
        };
        let quantized = folded.into_iter().map(|(key, row)| {
            let row: Vec<i16> = row.iter().map(|w| (w / scale).round() as i16).collect();
            (key, row)
        });
        Weights::from_quantized(classes, scale, quantized)
    }

    /// Weights from stored rows (keys distinct and not zero).
    pub fn from_quantized(
        classes: usize,
        scale: f32,
        rows: impl IntoIterator<Item = (u32, Vec<i16>)>,
    ) -> Weights {
        assert!(classes <= MAX_CLASSES, "{classes} classes");
        let rows: Vec<(u32, Vec<i16>)> = rows.into_iter().collect();
        let slots = (rows.len() * 2 + 1).next_power_of_two().max(2);
        let mut w = Weights {
            classes,
            scale,
            // The scorer reads rows in whole lanes: the last row's may
            // reach past the table's end.
            table: vec![0; slots * (classes + 2) + LANES],
            mask: slots - 1,
            len: 0,
        };
        for (key, row) in rows {
            debug_assert_eq!(row.len(), classes);
            debug_assert_ne!(key, 0);
            let slot = w.slot(key);
            let at = slot * w.stride();
            if w.key_at(slot) == 0 {
                w.len += 1;
            }
            w.table[at] = key as u16;
            w.table[at + 1] = (key >> 16) as u16;
            for (t, &v) in w.table[at + 2..at + 2 + classes].iter_mut().zip(&row) {
                *t = v as u16;
            }
        }
        w
    }
}

/// The running sums of [`Weights::score`]: `N` lanes of 8 classes, each
/// weight widened to 32 bits, so that the sums are exact.
#[cfg(target_arch = "x86_64")]
struct Sums<const N: usize>([[std::arch::x86_64::__m128i; 2]; N]);

#[cfg(target_arch = "x86_64")]
impl<const N: usize> Sums<N> {
    #[inline(always)]
    fn new() -> Self {
        // SAFETY: SSE2 is part of every x86_64 processor.
        Sums([[unsafe { std::arch::x86_64::_mm_setzero_si128() }; 2]; N])
    }

    /// Adds the first `8 * N` weights of `row`.
    #[inline(always)]
    fn add(&mut self, row: &[u16]) {
        use std::arch::x86_64::*;
        assert!(row.len() >= N * LANES);
        for (n, sum) in self.0.iter_mut().enumerate() {
            // SAFETY: the load reads 8 weights of `row`, which holds 8 * N
            // (asserted above); SSE2 is part of every x86_64 processor.
            unsafe {
                let v = _mm_loadu_si128(row.as_ptr().add(n * LANES).cast());
                // Each weight beside itself in a 32-bit lane, shifted down
                // with its sign: the weight widened.
                let low = _mm_srai_epi32::<16>(_mm_unpacklo_epi16(v, v));
                let high = _mm_srai_epi32::<16>(_mm_unpackhi_epi16(v, v));
                sum[0] = _mm_add_epi32(sum[0], low);
                sum[1] = _mm_add_epi32(sum[1], high);
            }
        }
    }

    #[inline(always)]
    fn get(&self) -> [[i32; LANES]; N] {
        let mut out = [[0i32; LANES]; N];
        for (o, sum) in out.iter_mut().zip(&self.0) {
            // SAFETY: two 128-bit values are eight i32s, stored unaligned
            // into an array of eight.
            unsafe {
                let p = o.as_mut_ptr().cast::<std::arch::x86_64::__m128i>();
                std::arch::x86_64::_mm_storeu_si128(p, sum[0]);
                std::arch::x86_64::_mm_storeu_si128(p.add(1), sum[1]);
            }
        }
        out
    }
}

#[cfg(not(target_arch = "x86_64"))]
struct Sums<const N: usize>([[i32; LANES]; N]);

#[cfg(not(target_arch = "x86_64"))]
impl<const N: usize> Sums<N> {
    #[inline(always)]
    fn new() -> Self {
        Sums([[0; LANES]; N])
    }

    #[inline(always)]
    fn add(&mut self, row: &[u16]) {
        for (sum, lanes) in self.0.iter_mut().zip(row.chunks_exact(LANES)) {
            for (s, &w) in sum.iter_mut().zip(lanes) {
                *s += w as i16 as i32;
            }
        }
    }

    #[inline(always)]
    fn get(&self) -> [[i32; LANES]; N] {
        self.0
    }
}

/// The index of the best score among the classes `allowed` admits; ties go
/// to the lower index, so that the choice is deterministic.
pub fn best(scores: &[f32], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &s) in scores.iter().enumerate() {
        if allowed(i) && best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|b| b.0)
}

/// Training state: current weights, their running totals and the step at
/// which each was last changed.
pub struct Trainer {
    classes: usize,
    rows: KeyMap<u32>,
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    step: u32,
}

impl Trainer {
    pub fn new(classes: usize) -> Trainer {
        Trainer {
            classes,
            rows: KeyMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            step: 0,
        }
    }

    /// Scores with the current (not averaged) weights.
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        for f in features {
            if let Some(&r) = self.rows.get(f) {
                let row = &self.weights[r as usize * self.classes..][..self.classes];
                for (s, w) in scores.iter_mut().zip(row) {
                    *s += w;
                }
            }
        }
    }

    /// One training instance: moves the weights towards `truth` and away
    /// from `guess` when they differ. Every instance is a step of the average.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        self.step += 1;
        if truth == guess {
            return;
        }
        for &f in features {
            let next = self.rows.len() as u32;
            let row = *self.rows.entry(f).or_insert(next);
            if row == next {
                let n = self.weights.len() + self.classes;
                self.weights.resize(n, 0.0);
                self.totals.resize(n, 0.0);
                self.stamps.resize(n, 0);
            }
            let base = row as usize * self.classes;
            self.add(base + truth, 1.0);
            self.add(base + guess, -1.0);
        }
    }

    fn add(&mut self, i: usize, delta: f32) {
        self.totals[i] += (self.step - self.stamps[i]) as f64 * self.weights[i] as f64;
        self.stamps[i] = self.step;
        self.weights[i] += delta;
    }

    /// The averaged weights; rows whose weights all round to nothing go.
    pub fn average(self) -> Weights {
        self.average_above(LEAST)
    }

    /// The averaged weights without the rows whose largest weight is
    /// below `least` in magnitude: rare features that hardly move a score
    /// cost a cache miss each when reading.
    pub fn average_above(self, least: f32) -> Weights {
        self.average_exact(least).quantize()
    }

    /// [`Trainer::average_above`] at full precision, before the weights are
    /// rounded for the model file.
    pub fn average_exact(self, least: f32) -> Exact {
        let steps = self.step.max(1) as f64;
        let c = self.classes;
        let mut keys: Vec<(u64, u32)> = self.rows.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        let mut exact = Exact {
            classes: c,
            keys: Vec::new(),
            index: KeyMap::default(),
            weights: Vec::new(),
        };
        for (key, r) in keys {
            let base = r as usize * c;
            let row: Vec<f32> = (base..base + c)
                .map(|i| {
                    let total = self.totals[i]
                        + (self.step - self.stamps[i]) as f64 * self.weights[i] as f64;
                    (total / steps) as f32
                })
                .collect();
            if row.iter().any(|w| w.abs() >= least) {
                exact.index.insert(key, exact.keys.len() as u32);
                exact.keys.push(key);
                exact.weights.extend(row);
            }
        }
        exact
    }
}

/// Something that scores features: a trainer, trained weights.
pub trait Score {
    /// Sets `scores` (one per class) to the sums of the features' weights.
    fn score(&self, features: &[u64], scores: &mut [f32]);
}

impl Score for Weights {
    fn score(&self, features: &[u64], scores: &mut [f32]) {
        Weights::score(self, features, scores)
    }
}

/// Averaged weights at full precision, as training leaves them: what
/// training reads with before the weights are rounded (the tags of the
/// held-out folds the parser learns from), so that the model's 16-bit
/// weights change how it is stored, not what it learned.
#[derive(Clone, Debug, Default)]
pub struct Exact {
    classes: usize,
    /// Feature hashes in order, and the row of each.
    keys: Vec<u64>,
    index: KeyMap<u32>,
    weights: Vec<f32>,
}

impl Exact {
    /// The weights rounded into a model's table.
    pub fn quantize(&self) -> Weights {
        let c = self.classes;
        let rows = self
            .keys
            .iter()
            .enumerate()
            .map(|(r, &k)| (k, self.weights[r * c..(r + 1) * c].to_vec()));
        Weights::from_rows(c, rows)
    }
}

impl Score for Exact {
    fn score(&self, features: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        for f in features {
            if let Some(&r) = self.index.get(f) {
                let row = &self.weights[r as usize * self.classes..][..self.classes];
                for (s, w) in scores.iter_mut().zip(row) {
                    *s += w;
                }
            }
        }
    }
}

/// A small deterministic random source (xorshift64*) for shuffling and
/// exploration during training.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A separable problem (the class is the value of one feature, beside
    /// a feature of noise) is learned, and the averaged weights keep most
    /// of what was learned.
    #[test]
    fn learns_a_separable_problem_and_averages() {
        let mut t = Trainer::new(3);
        let data: Vec<(Vec<u64>, usize)> = (0..300)
            .map(|i| {
                (
                    vec![feature(1, &[i % 3]), feature(2, &[i % 7])],
                    (i % 3) as usize,
                )
            })
            .collect();
        let mut scores = [0.0; 3];
        for _ in 0..10 {
            for (f, y) in &data {
                t.score(f, &mut scores);
                let guess = best(&scores, |_| true).unwrap();
                t.update(f, *y, guess);
            }
        }
        let w = t.average();
        let right = data
            .iter()
            .filter(|(f, y)| {
                w.score(f, &mut scores);
                best(&scores, |_| true) == Some(*y)
            })
            .count();
        assert!(right * 100 >= data.len() * 95, "{right} of {}", data.len());
        // Features whose keys fold to zero or to one another still score:
        // the first takes key 1, the two others share a row.
        let odd = [
            0x0000_0001_0000_0001u64,
            0x0000_0002_0000_0005,
            0x0000_0005_0000_0002,
        ];
        let w = Weights::from_rows(2, odd.iter().map(|&k| (k, vec![k as u8 as f32, 1.0])));
        assert_eq!(w.len(), 2);
        let keys: Vec<u32> = w.sorted_rows().iter().map(|r| r.0).collect();
        assert_eq!(keys, [1, 7]);
        let near = |a: [f32; 2], b: [f32; 2]| a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-3);
        let mut two = [0.0; 2];
        w.score(&[odd[0], 42], &mut two);
        assert!(near(two, [1.0, 1.0]), "{two:?}");
        w.score(&[odd[1]], &mut two);
        assert!(near(two, [7.0, 2.0]), "the shared row sums both: {two:?}");
        // Weights are rounded to the largest over i16::MAX.
        let w = Weights::from_rows(1, [(5u64 << 32, vec![-1000.0]), (7u64 << 32, vec![0.3])]);
        w.score(&[5u64 << 32, 7u64 << 32], &mut two[..1]);
        assert!((two[0] + 999.7).abs() < 0.02, "{}", two[0]);
        assert_eq!(best(&[1.0, 3.0, 3.0], |c| c != 1), Some(2));
        assert_eq!(best(&[1.0, 1.0], |_| true), Some(0), "ties go low");
    }
}
