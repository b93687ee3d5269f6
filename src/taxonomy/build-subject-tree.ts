import type { Subject } from "../core/records.js";

/** One node of the label-path tree: a section, an intermediate heading or a subject. */
export interface SubjectTreeNode {
  /** The last part of `path` ("Python"). */
  name: string;
  /** Label path from the section down to this node. */
  path: string[];
  /** The subject whose path ends here; absent for headings that are only parents. */
  subject?: Subject;
  /** Child nodes in order of first appearance in the subject list. */
  children: SubjectTreeNode[];
}

/**
 * The tree of the subjects' label paths, for display. Roots are the sections. Nodes appear in
 * the order their first subject appears, so the tree follows taxonomy order; a heading that is
 * both a subject and a parent ("Medical / Diseases") carries its subject and its children.
 * When two subjects share a path, the first is kept (loadTaxonomy rejects such duplicates).
 */
export function buildSubjectTree(subjects: readonly Subject[]): SubjectTreeNode[] {
  const roots: SubjectTreeNode[] = [];
  // Child lookup per node by name; the arrays keep the order, the maps keep this linear.
  const childrenByName = new Map<SubjectTreeNode[], Map<string, SubjectTreeNode>>();
  for (const subject of subjects) {
    let siblings = roots;
    let node: SubjectTreeNode | undefined;
    for (const [depth, name] of subject.path.entries()) {
      let byName = childrenByName.get(siblings);
      if (byName === undefined) {
        byName = new Map();
        childrenByName.set(siblings, byName);
      }
      node = byName.get(name);
      if (node === undefined) {
        node = { name, path: subject.path.slice(0, depth + 1), children: [] };
        byName.set(name, node);
        siblings.push(node);
      }
      siblings = node.children;
    }
    if (node !== undefined && node.subject === undefined) node.subject = subject;
  }
  return roots;
}
