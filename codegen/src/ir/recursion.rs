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
    let mut index_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component_of: BTreeMap<&'a str, usize> = BTreeMap::new();
    let mut next_index = 0usize;
    let mut next_component = 0usize;
    let empty = BTreeSet::new();

    for &root in graph.keys() {
        if index_of.contains_key(root) {
            continue;
        }
        // Each frame: the node and the successors still to visit.
        let mut frames: Vec<(&'a str, Vec<&'a str>)> = Vec::new();
        let visit = |node: &'a str,
                     frames: &mut Vec<(&'a str, Vec<&'a str>)>,
                     index_of: &mut BTreeMap<&'a str, usize>,
                     low: &mut BTreeMap<&'a str, usize>,
                     stack: &mut Vec<&'a str>,
                     on_stack: &mut BTreeSet<&'a str>,
                     next_index: &mut usize| {
            index_of.insert(node, *next_index);
            low.insert(node, *next_index);
            *next_index += 1;
            stack.push(node);
            on_stack.insert(node);
            let successors = graph
                .get(node)
                .unwrap_or(&empty)
                .iter()
                .rev()
                .copied()
                .collect();
            frames.push((node, successors));
        };
        visit(
            root,
            &mut frames,
            &mut index_of,
            &mut low,
            &mut stack,
            &mut on_stack,
            &mut next_index,
        );

        while let Some((node, successors)) = frames.last_mut() {
            let node = *node;
            if let Some(next) = successors.pop() {
                if !index_of.contains_key(next) {
                    visit(
                        next,
                        &mut frames,
                        &mut index_of,
                        &mut low,
                        &mut stack,
                        &mut on_stack,
                        &mut next_index,
                    );
                } else if on_stack.contains(next) {
                    let candidate = index_of[next];
                    if let Some(entry) = low.get_mut(node) {
                        *entry = (*entry).min(candidate);
                    }
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _)) = frames.last() {
                let child_low = low[node];
                if let Some(entry) = low.get_mut(parent) {
                    *entry = (*entry).min(child_low);
                }
            }
            if low[node] == index_of[node] {
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component_of.insert(member, next_component);
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component_of
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
