import { test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../core/records.js";
import { loadBisacTaxonomy } from "./bisac-taxonomy.js";
import { buildSubjectTree, type SubjectTreeNode } from "./build-subject-tree.js";

function subject(id: string, ...path: string[]): Subject {
  return { id, section: path[0]!, path, label: path.join(" / ") };
}

test("buildSubjectTree nests label paths in order of first appearance", () => {
  const pies = subject("pies", "Cooking", "Courses & Dishes", "Pies");
  const general = subject("general", "Cooking", "General");
  const diseases = subject("diseases", "Medical", "Diseases");
  const viral = subject("viral", "Medical", "Diseases", "Viral");
  const pizza = subject("pizza", "Cooking", "Courses & Dishes", "Pizza");
  assert.deepEqual(buildSubjectTree([pies, general, diseases, viral, pizza]), [
    {
      name: "Cooking",
      path: ["Cooking"],
      children: [
        {
          name: "Courses & Dishes",
          path: ["Cooking", "Courses & Dishes"],
          children: [
            { name: "Pies", path: ["Cooking", "Courses & Dishes", "Pies"], subject: pies, children: [] },
            { name: "Pizza", path: ["Cooking", "Courses & Dishes", "Pizza"], subject: pizza, children: [] },
          ],
        },
        { name: "General", path: ["Cooking", "General"], subject: general, children: [] },
      ],
    },
    {
      name: "Medical",
      path: ["Medical"],
      children: [
        {
          name: "Diseases",
          path: ["Medical", "Diseases"],
          subject: diseases,
          children: [{ name: "Viral", path: ["Medical", "Diseases", "Viral"], subject: viral, children: [] }],
        },
      ],
    },
  ]);
});

test("a repeated path keeps the first subject", () => {
  const first = subject("first", "Art", "Glass");
  const [art] = buildSubjectTree([first, subject("second", "Art", "Glass")]);
  assert.equal(art!.children.length, 1);
  assert.equal(art!.children[0]!.subject, first);
});

test("the BISAC tree has the 53 sections as roots and every subject on exactly one node", async () => {
  const subjects = await loadBisacTaxonomy();
  const roots = buildSubjectTree(subjects);
  assert.equal(roots.length, 53);
  assert.equal(roots[0]!.name, "Antiques & Collectibles");
  let nodes = 0;
  let withSubject = 0;
  const visit = (node: SubjectTreeNode): void => {
    nodes += 1;
    if (node.subject !== undefined) withSubject += 1;
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  assert.equal(nodes, 6568);
  assert.equal(withSubject, 6056);
  const diseases = roots.find((node) => node.name === "Medical")!.children.find((node) => node.name === "Diseases")!;
  assert.equal(diseases.subject!.id, "MED022000");
  assert.equal(diseases.children.length, 22);
});
