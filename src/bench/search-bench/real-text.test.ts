import { test } from "node:test";
import assert from "node:assert/strict";
import { paragraphsOf, sentencesOf } from "./real-text.js";

test("rst: prose paragraphs with inline markup removed; headings, directives and literal blocks dropped", () => {
  const rst = [
    "File objects",
    "============",
    "",
    "The :func:`open` function returns a ``file object`` whose *type* depends",
    "on the mode, see `the glossary <glossary.html>`_ for details.",
    "",
    ".. note:: This directive and its body are not prose paragraphs at all.",
    "",
    "   indented literal block that is long enough to pass the length test",
    "",
    "Short line.",
  ].join("\n");
  assert.deepEqual(paragraphsOf(rst, "rst"), [
    "The open function returns a file object whose type depends on the mode, see the glossary for details.",
  ]);
});

test("html: <p> and DocBook para divs, entities decoded, tags, scripts and listings dropped", () => {
  const html = [
    "<script>var p = '<p>not text from a script, even if it is long enough to count</p>';</script>",
    '<p class="x">Packages are <em>installed</em> with apt &amp; dpkg; the &lt;sources.list&gt; file says from where.</p>',
    '<div class="para">The handbook writes its paragraphs as divs, with &#8220;quotes&#8221; kept as they are.</div>',
    "<pre><p>code listing inside pre that should never become a paragraph of prose</p></pre>",
    "<p>x = [1, 2, 3]; y = {a: 1}; z = f(x, y) + g(z) * 42 / 7 - 13 % 5 ^ 2 | 1</p>",
  ].join("\n");
  assert.deepEqual(paragraphsOf(html, "html"), [
    "Packages are installed with apt & dpkg; the <sources.list> file says from where.",
    "The handbook writes its paragraphs as divs, with \u201cquotes\u201d kept as they are.",
  ]);
});

test("fortune files: one paragraph per %-separated entry, short ones dropped", () => {
  const fortunes = "A fortune that runs over\ntwo lines and is long enough to be kept.\n%\nToo short.\n%\nAnother entry that is certainly long enough to be kept here.\n";
  assert.deepEqual(paragraphsOf(fortunes, "fortune"), [
    "A fortune that runs over two lines and is long enough to be kept.",
    "Another entry that is certainly long enough to be kept here.",
  ]);
});

test("sentences split after terminal punctuation followed by a capital, not inside e.g. version numbers", () => {
  assert.deepEqual(sentencesOf('Python 3.11 is out. It is faster! Is it? "Yes," he said. e.g. lower case stays.'), [
    "Python 3.11 is out.",
    "It is faster!",
    "Is it?",
    '"Yes," he said. e.g. lower case stays.',
  ]);
});
