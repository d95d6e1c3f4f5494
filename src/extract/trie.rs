//! A radix tree of byte strings for the gazetteer's anchored search: the
//! longest pattern that the text continues from a given place.
//!
//! An anchored search needs no failure links, only the prefixes of the
//! patterns. Most of a gazetteer label's bytes lie on a path that branches
//! nowhere ("popular mobilization forces" after "popular m"), so the tree
//! keeps such a path as one edge whose bytes are compared one after
//! another in a plain loop, instead of a state transition, and a load that
//! waits on the one before it, for every byte.

/// A node of the tree: its index in [`Trie::nodes`].
pub type NodeId = u32;

const NONE: u32 = u32::MAX;

pub struct Trie {
    nodes: Vec<Node>,
    /// The edges out of each node, sorted by their first byte.
    edges: Vec<Edge>,
    /// The bytes of all edges, one after another.
    labels: Vec<u8>,
    /// For each node with many edges, the edge for each first byte, or
    /// `NONE`: 256 entries a node, at [`Node::dense`].
    dense: Vec<u32>,
    /// How a text byte is compared: folded to an ASCII small letter, or as
    /// it is.
    fold: [u8; 256],
}

#[derive(Clone, Copy)]
struct Node {
    /// The pattern that ends here, or `NONE`.
    pattern: u32,
    /// The node's edges: `edges[first_edge..first_edge + n_edges]`.
    first_edge: u32,
    n_edges: u32,
    /// Where the node's edges are in [`Trie::dense`], or `NONE` for a node
    /// whose few edges are looked through one by one.
    dense: u32,
}

impl Node {
    /// A node before its pattern and edges are known.
    const EMPTY: Node = Node {
        pattern: NONE,
        first_edge: 0,
        n_edges: 0,
        dense: NONE,
    };
}

/// Nodes with more edges than this find the next one by table.
const FEW_EDGES: u32 = 4;

#[derive(Clone, Copy)]
struct Edge {
    /// The edge's bytes: `labels[start..start + len]`, never empty.
    start: u32,
    len: u32,
    first: u8,
    child: NodeId,
}

/// A node of the uncompressed tree, one byte per edge, while building.
struct Building {
    pattern: u32,
    children: std::collections::BTreeMap<u8, usize>,
    /// Whether the compressed tree keeps a node here.
    kept: bool,
}

impl Trie {
    pub const ROOT: NodeId = 0;

    /// The tree of `patterns`, pattern `i` being the `i`-th; where two are
    /// equal, the first. With `fold`, the text's ASCII letters are compared
    /// as small letters, and the patterns must be written so. A node is
    /// kept where each pattern's first `stop(pattern)` bytes end, so that
    /// [`Trie::node_after`] finds it.
    pub fn new(patterns: &[&[u8]], fold: bool, stop: impl Fn(&[u8]) -> usize) -> Trie {
        let mut tree = vec![Building {
            pattern: NONE,
            children: Default::default(),
            kept: true,
        }];
        for (i, p) in patterns.iter().enumerate() {
            let stop = stop(p);
            let mut node = 0;
            for (depth, &b) in p.iter().enumerate() {
                if depth == stop {
                    tree[node].kept = true;
                }
                node = match tree[node].children.get(&b) {
                    Some(&child) => child,
                    None => {
                        tree.push(Building {
                            pattern: NONE,
                            children: Default::default(),
                            kept: false,
                        });
                        let child = tree.len() - 1;
                        tree[node].children.insert(b, child);
                        child
                    }
                };
            }
            tree[node].kept = true;
            if tree[node].pattern == NONE {
                tree[node].pattern = i as u32;
            }
        }
        let mut fold_table = [0u8; 256];
        for (b, f) in fold_table.iter_mut().enumerate() {
            *f = if fold {
                (b as u8).to_ascii_lowercase()
            } else {
                b as u8
            };
        }
        let mut trie = Trie {
            nodes: Vec::new(),
            edges: Vec::new(),
            labels: Vec::new(),
            dense: Vec::new(),
            fold: fold_table,
        };
        // Breadth first: a node's edges are written together when the node
        // is taken from the queue; each edge runs down the uncompressed
        // tree to the next kept or branching node.
        trie.nodes.push(Node::EMPTY);
        let mut queue = std::collections::VecDeque::from([(0usize, 0u32)]);
        while let Some((old, new)) = queue.pop_front() {
            trie.nodes[new as usize].pattern = tree[old].pattern;
            trie.nodes[new as usize].first_edge = trie.edges.len() as u32;
            trie.nodes[new as usize].n_edges = tree[old].children.len() as u32;
            for (&b, &child) in &tree[old].children {
                let start = trie.labels.len() as u32;
                trie.labels.push(b);
                let mut at = child;
                while !tree[at].kept && tree[at].children.len() == 1 {
                    let (&b, &next) = tree[at].children.iter().next().expect("one child");
                    trie.labels.push(b);
                    at = next;
                }
                let child_id = trie.nodes.len() as u32;
                trie.nodes.push(Node::EMPTY);
                trie.edges.push(Edge {
                    start,
                    len: trie.labels.len() as u32 - start,
                    first: b,
                    child: child_id,
                });
                queue.push_back((at, child_id));
            }
        }
        // The root always: a walk from it may open with any byte.
        for (id, node) in trie.nodes.iter_mut().enumerate() {
            if node.n_edges > FEW_EDGES || id == Self::ROOT as usize {
                node.dense = trie.dense.len() as u32;
                trie.dense.extend([NONE; 256]);
                for e in node.first_edge..node.first_edge + node.n_edges {
                    let first = trie.edges[e as usize].first;
                    trie.dense[node.dense as usize + first as usize] = e;
                }
            }
        }
        trie
    }

    /// The node after `prefix` from the root, if a node is kept there.
    pub fn node_after(&self, prefix: &[u8]) -> Option<NodeId> {
        let mut node = Self::ROOT;
        let mut at = 0;
        while at < prefix.len() {
            let edge = self.edge(node, self.fold[prefix[at] as usize])?;
            let label = self.label(edge);
            if prefix.len() - at < label.len()
                || !label
                    .iter()
                    .zip(&prefix[at..])
                    .all(|(&l, &b)| self.fold[b as usize] == l)
            {
                return None;
            }
            at += label.len();
            node = edge.child;
        }
        Some(node)
    }

    #[inline(always)]
    fn label(&self, edge: Edge) -> &[u8] {
        &self.labels[edge.start as usize..(edge.start + edge.len) as usize]
    }

    /// The edge out of `node` opening with the (folded) byte `b`.
    #[inline(always)]
    fn edge(&self, node: NodeId, b: u8) -> Option<Edge> {
        let n = self.nodes[node as usize];
        if n.dense != NONE {
            let e = self.dense[n.dense as usize + b as usize];
            return (e != NONE).then(|| self.edges[e as usize]);
        }
        let edges = &self.edges[n.first_edge as usize..(n.first_edge + n.n_edges) as usize];
        edges.iter().find(|e| e.first == b).copied()
    }

    /// The longest pattern that `bytes[from..end]` continues, the walk
    /// being at `node` at `from`: the pattern and where it ends.
    #[inline]
    pub fn longest(
        &self,
        bytes: &[u8],
        from: usize,
        mut node: NodeId,
        end: usize,
    ) -> Option<(usize, usize)> {
        let mut at = from;
        let mut found = None;
        loop {
            let n = self.nodes[node as usize];
            if n.pattern != NONE {
                found = Some((n.pattern as usize, at));
            }
            if at >= end {
                return found;
            }
            let Some(edge) = self.edge(node, self.fold[bytes[at] as usize]) else {
                return found;
            };
            let label = self.label(edge);
            let len = label.len();
            if end - at < len {
                return found;
            }
            let text = &bytes[at..at + len];
            // The first byte matched already.
            for k in 1..len {
                if self.fold[text[k] as usize] != label[k] {
                    return found;
                }
            }
            at += len;
            node = edge.child;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest pattern prefixing `text[from..]`, by trying each.
    fn naive(patterns: &[&[u8]], fold: bool, text: &[u8], from: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, p) in patterns.iter().enumerate() {
            let rest = &text[from..];
            let matches = rest.len() >= p.len()
                && if fold {
                    rest[..p.len()].eq_ignore_ascii_case(p)
                } else {
                    &rest[..p.len()] == *p
                };
            if matches && best.is_none_or(|(_, e)| from + p.len() > e) {
                best = Some((i, from + p.len()));
            }
        }
        best
    }

    #[test]
    fn finds_the_longest_pattern_the_text_continues_at_every_place() {
        let patterns: Vec<&[u8]> = vec![
            b"iraq",
            b"iraqi army",
            b"iraqi",
            b"iran",
            b"the global coalition",
            b"the global coalition against daesh",
            b"the",
            b"i",
            b"iraq",
            b"nato mission iraq",
            b"\xc3\xa9t\xc3\xa9",
        ];
        let stop = |p: &[u8]| p.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        for fold in [true, false] {
            let trie = Trie::new(&patterns, fold, stop);
            let text: &[u8] = b"The Iraqi Army and the Global Coalition against Daesh met \
                NATO Mission Iraq in Iran; the global coalition, IRAQ, irA, \xc3\xa9t\xc3\xa9.";
            for from in 0..text.len() {
                assert_eq!(
                    trie.longest(text, from, Trie::ROOT, text.len()),
                    naive(&patterns, fold, text, from),
                    "fold {fold} at {from}"
                );
                // Walks that start after a pattern's first run agree.
                for p in &patterns {
                    let run = &p[..stop(p)];
                    let rest = &text[from..];
                    let same = rest.len() >= run.len()
                        && if fold {
                            rest[..run.len()].eq_ignore_ascii_case(run)
                        } else {
                            &rest[..run.len()] == run
                        };
                    if same {
                        let node = trie.node_after(run).expect("a node after each run");
                        assert_eq!(
                            trie.longest(text, from + run.len(), node, text.len()),
                            naive(&patterns, fold, text, from)
                                .filter(|&(_, e)| e >= from + run.len()),
                            "fold {fold} at {from} after {run:?}"
                        );
                    }
                }
            }
            // A walk never reads past its end.
            assert_eq!(trie.longest(b"iraqi army", 0, Trie::ROOT, 8), Some((2, 5)));
        }
    }
}
