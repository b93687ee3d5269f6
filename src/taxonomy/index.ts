/**
 * Subject taxonomies: the embedded BISAC headings or a custom file, selection by glob and the
 * label-path tree for display.
 */
export { BISAC_SOURCE, loadTaxonomy } from "./load-taxonomy.js";
export { globToRegExp, selectSubjects } from "./select-subjects.js";
export { buildSubjectTree, type SubjectTreeNode } from "./build-subject-tree.js";
export { joinLabelPath, normalizeLabelPart, slugLabelPath, splitLabelPath } from "./label-path.js";
