//! Ordered collections keyed by `NodeId`: votes, progress, configurations.
//!
//! A cluster has a handful of members (etcd's and raft-rs's tests rarely go past 7), so a sorted
//! `Vec` beats a tree: lookups scan a cache line or two, and clones (every checkpoint of the
//! simulator clones every node) are one allocation. It also keeps the wasm small: each
//! `BTreeMap<NodeId, V>` instantiation costs kilobytes of code, this costs a few hundred bytes.
//! Iteration is in id order, like the `BTreeMap`/`BTreeSet` it replaces, so behaviour and
//! traces are unchanged. raft-core takes no dependencies, hence no crate for it.

use crate::types::NodeId;

/// Where `id` is in `items` (sorted by `key`, no duplicates), as `slice::binary_search` answers:
/// `Ok(position)`, or `Err(where it would go)`. A forward scan: the leader looks a peer up
/// several times per message (progress, commit count, membership), and for a handful of ids a
/// few predictable compares cost a fraction of a binary search's (measured with callgrind on the
/// 3-node benchmark: lookups were 8% of all instructions). The simulator allows 9 nodes, where a
/// scan is still a handful of compares.
fn find_sorted<T>(items: &[T], id: &NodeId, key: impl Fn(&T) -> &NodeId) -> Result<usize, usize> {
    for (at, item) in items.iter().enumerate() {
        let k = key(item);
        if k >= id {
            return if k == id { Ok(at) } else { Err(at) };
        }
    }
    Err(items.len())
}

/// A set of node ids, kept sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NodeSet(Vec<NodeId>);

impl NodeSet {
    pub(crate) fn new() -> Self {
        NodeSet(Vec::new())
    }

    pub(crate) fn contains(&self, id: &NodeId) -> bool {
        find_sorted(&self.0, id, |k| k).is_ok()
    }

    /// Returns whether `id` was new.
    pub(crate) fn insert(&mut self, id: NodeId) -> bool {
        match find_sorted(&self.0, &id, |k| k) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, id);
                true
            }
        }
    }

    /// Returns whether `id` was there.
    pub(crate) fn remove(&mut self, id: &NodeId) -> bool {
        match find_sorted(&self.0, id, |k| k) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub(crate) fn iter(&self) -> std::slice::Iter<'_, NodeId> {
        self.0.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&NodeId) -> bool) {
        self.0.retain(keep);
    }

    /// The ids, sorted and unique: how a list of ids is sorted here (a few inserts for a
    /// handful of members, and no `sort` instantiation in the wasm for `NodeId`).
    pub(crate) fn into_vec(self) -> Vec<NodeId> {
        self.0
    }
}

impl FromIterator<NodeId> for NodeSet {
    fn from_iter<I: IntoIterator<Item = NodeId>>(ids: I) -> Self {
        let mut set = NodeSet::new();
        set.extend(ids);
        set
    }
}

impl Extend<NodeId> for NodeSet {
    fn extend<I: IntoIterator<Item = NodeId>>(&mut self, ids: I) {
        for id in ids {
            self.insert(id);
        }
    }
}

impl NodeSet {
    /// Every id in either set, in order, each once.
    pub(crate) fn union(&self, other: &NodeSet) -> NodeSet {
        let mut all = self.clone();
        all.extend(other.iter().copied());
        all
    }
}

impl IntoIterator for NodeSet {
    type Item = NodeId;
    type IntoIter = std::vec::IntoIter<NodeId>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a NodeSet {
    type Item = &'a NodeId;
    type IntoIter = std::slice::Iter<'a, NodeId>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A map from node id to `V`, kept sorted by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NodeMap<V>(Vec<(NodeId, V)>);

impl<V> Default for NodeMap<V> {
    fn default() -> Self {
        NodeMap(Vec::new())
    }
}

impl<V> NodeMap<V> {
    pub(crate) fn new() -> Self {
        NodeMap(Vec::new())
    }

    fn find(&self, id: &NodeId) -> Result<usize, usize> {
        find_sorted(&self.0, id, |(k, _)| k)
    }

    pub(crate) fn get(&self, id: &NodeId) -> Option<&V> {
        self.find(id).ok().map(|at| &self.0[at].1)
    }

    pub(crate) fn get_mut(&mut self, id: &NodeId) -> Option<&mut V> {
        match self.find(id) {
            Ok(at) => Some(&mut self.0[at].1),
            Err(_) => None,
        }
    }

    /// Returns the value `id` had before, if any.
    pub(crate) fn insert(&mut self, id: NodeId, value: V) -> Option<V> {
        match self.find(&id) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (id, value));
                None
            }
        }
    }

    /// The value for `id`, inserting `make()` first when there is none.
    pub(crate) fn get_or_insert_with(&mut self, id: NodeId, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.find(&id) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (id, make()));
                at
            }
        };
        &mut self.0[at].1
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&NodeId, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&NodeId, &mut V)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The `i`-th id in order: lets a loop call `&mut self` methods between lookups without
    /// first collecting the ids (the leader does this once per proposal).
    pub(crate) fn key_at(&self, i: usize) -> NodeId {
        self.0[i].0
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&NodeId, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

/// `map[&id]`, for ids the caller knows are there (like `BTreeMap`, it panics otherwise).
impl<V> std::ops::Index<&NodeId> for NodeMap<V> {
    type Output = V;
    fn index(&self, id: &NodeId) -> &V {
        self.get(id).expect("no entry for this node id")
    }
}

impl<V> FromIterator<(NodeId, V)> for NodeMap<V> {
    fn from_iter<I: IntoIterator<Item = (NodeId, V)>>(pairs: I) -> Self {
        let mut map = NodeMap::new();
        for (id, value) in pairs {
            map.insert(id, value);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(set: &NodeSet) -> Vec<u64> {
        set.iter().map(|n| n.0).collect()
    }

    #[test]
    fn a_node_set_stays_sorted_and_holds_each_id_once() {
        let mut set: NodeSet = [3, 1, 2, 3, 1].into_iter().map(NodeId).collect();
        assert_eq!(ids(&set), vec![1, 2, 3]);
        assert!(!set.insert(NodeId(2)));
        assert!(set.insert(NodeId(0)));
        assert!(set.remove(&NodeId(1)));
        assert!(!set.remove(&NodeId(1)));
        assert_eq!(ids(&set), vec![0, 2, 3]);
        assert!(set.contains(&NodeId(3)) && !set.contains(&NodeId(9)));
    }

    #[test]
    fn a_node_map_answers_like_an_ordered_map() {
        let mut map: NodeMap<&str> = NodeMap::new();
        assert_eq!(map.insert(NodeId(5), "e"), None);
        assert_eq!(map.insert(NodeId(2), "b"), None);
        assert_eq!(map.insert(NodeId(5), "E"), Some("e"));
        *map.get_or_insert_with(NodeId(3), || "c") = "C";
        assert_eq!(*map.get_or_insert_with(NodeId(2), || "x"), "b");
        let keys: Vec<u64> = (0..map.len()).map(|i| map.key_at(i).0).collect();
        assert_eq!(keys, vec![2, 3, 5]);
        let values: Vec<&str> = map.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, vec!["b", "C", "E"]);
        map.retain(|id, _| id.0 > 2);
        assert_eq!(map.len(), 2);
        assert_eq!(map[&NodeId(5)], "E");
        assert_eq!(map.get(&NodeId(2)), None);
    }
}
