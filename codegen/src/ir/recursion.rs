//! Finds the members that must be boxed so recursive shapes have a finite size.
//!
//! Structures and unions hold their members inline, so a cycle of direct member edges
//! (`A.b: B`, `B.a: A`, or `A.a: A`) would be an infinitely large type. Lists and maps store
//! their elements on the heap already, so edges through them never need a box. The rule: a
//! member is boxed when its target lies in the same strongly connected component as the
//! shape that holds it. Components are found with Tarjan's algorithm, run iteratively so deep
//! models cannot overflow the stack.

use std::collections::{BTreeMap, BTreeSet};

/// Direct member edges between structures/unions: holder -> targets.
pub type Graph<'a> = BTreeMap<&'a str, BTreeSet<&'a str>>;

/// Returns, for every node, the id of its strongly connected component.
pub fn components<'a>(graph: &Graph<'a>) -> BTreeMap<&'a str, usize> {
    let mut tarjan = Tarjan {
        graph,
        index_of: BTreeMap::new(),
        low: BTreeMap::new(),
        on_stack: BTreeSet::new(),
        stack: Vec::new(),
        frames: Vec::new(),
        component_of: BTreeMap::new(),
        components: 0,
    };
    for &root in graph.keys() {
        if !tarjan.index_of.contains_key(root) {
            tarjan.run_from(root);
        }
    }
    tarjan.component_of
}

/// The state of Tarjan's algorithm over one graph.
struct Tarjan<'g, 'a> {
    graph: &'g Graph<'a>,
    index_of: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    on_stack: BTreeSet<&'a str>,
    stack: Vec<&'a str>,
    /// Nodes being visited, each with the successors it has yet to look at.
    frames: Vec<(&'a str, Vec<&'a str>)>,
    component_of: BTreeMap<&'a str, usize>,
    components: usize,
}

impl<'a> Tarjan<'_, 'a> {
    /// Starts visiting `node`: numbers it and pushes it on both stacks.
    fn enter(&mut self, node: &'a str) {
        let index = self.index_of.len();
        self.index_of.insert(node, index);
        self.low.insert(node, index);
        self.stack.push(node);
        self.on_stack.insert(node);
        let successors = self
            .graph
            .get(node)
            .map(|s| s.iter().rev().copied().collect())
            .unwrap_or_default();
        self.frames.push((node, successors));
    }

    /// Lowers `node`'s low link to `value` if that is smaller.
    fn lower_link(&mut self, node: &'a str, value: usize) {
        if let Some(low) = self.low.get_mut(node) {
            *low = (*low).min(value);
        }
    }

    /// Depth-first search from `root` with an explicit stack of frames.
    fn run_from(&mut self, root: &'a str) {
        self.enter(root);
        while let Some((node, successors)) = self.frames.last_mut() {
            let node = *node;
            if let Some(next) = successors.pop() {
                match self.index_of.get(next) {
                    None => self.enter(next),
                    Some(&index) if self.on_stack.contains(next) => self.lower_link(node, index),
                    Some(_) => {}
                }
                continue;
            }
            self.frames.pop();
            let node_low = self.low.get(node).copied().unwrap_or_default();
            if let Some(&(parent, _)) = self.frames.last() {
                self.lower_link(parent, node_low);
            }
            if Some(&node_low) == self.index_of.get(node) {
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    self.component_of.insert(member, self.components);
                    if member == node {
                        break;
                    }
                }
                self.components += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph<'a>(edges: &[(&'a str, &'a str)], nodes: &[&'a str]) -> Graph<'a> {
        let mut g: Graph<'a> = nodes.iter().map(|n| (*n, BTreeSet::new())).collect();
        for (from, to) in edges {
            g.entry(from).or_default().insert(to);
        }
        g
    }

    #[test]
    fn finds_self_loops_cycles_and_singletons() {
        let g = graph(
            &[("A", "A"), ("B", "C"), ("C", "D"), ("D", "B"), ("E", "B")],
            &["A", "B", "C", "D", "E"],
        );
        let c = components(&g);
        assert_eq!(c["B"], c["C"]);
        assert_eq!(c["C"], c["D"]);
        assert_ne!(c["A"], c["B"]);
        assert_ne!(c["E"], c["B"]);
    }

    #[test]
    fn deep_chain_does_not_overflow() {
        let names: Vec<String> = (0..20_000).map(|i| format!("S{i}")).collect();
        let edges: Vec<(&str, &str)> = names
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        let nodes: Vec<&str> = names.iter().map(String::as_str).collect();
        let c = components(&graph(&edges, &nodes));
        assert_eq!(c.values().collect::<BTreeSet<_>>().len(), 20_000);
    }
}
