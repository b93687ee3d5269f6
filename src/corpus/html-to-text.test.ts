import { test } from "node:test";
import assert from "node:assert/strict";
import { htmlToText } from "./html-to-text.js";

test("tags vanish, block tags separate words, scripts, styles and comments are dropped", () => {
  const html =
    '<!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style><script>var x = "<p>";</script></head>' +
    '<body><!-- hidden --><h1 class="big">Heading</h1><p>One <b>bold</b> word</p><div>Two</div><br/>Three</body></html>';
  assert.equal(htmlToText(html), "T\n\nHeading\n\nOne bold word\n\nTwo\n\nThree");
});

test("the common entities are decoded once", () => {
  assert.equal(htmlToText("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; f&nbsp;g &#233; &#x263A; &amp;lt;"), "a & b <c> \"d\" 'e' f g é ☺ &lt;");
  assert.equal(htmlToText("&unknown; &#0; &#xD800;"), "&unknown; \ufffd \ufffd");
});

test("whitespace collapses and CRLF becomes LF", () => {
  assert.equal(htmlToText("  a \t  b\r\n\r\n\r\n\r\nc  \r\n  d  "), "a b\n\nc\nd");
});
