import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, jsonForScriptElement } from "./escape-html.js";
import { html, trustedHtml } from "./safe-html.js";

const PAYLOAD = `</script><script>alert(1)</script><img src=x onerror="alert('x')">&amp;`;

test("escapeHtml leaves no markup characters", () => {
  assert.equal(escapeHtml(PAYLOAD), "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;");
});

test("html escapes every interpolated string, in arrays too, and keeps SafeHtml", () => {
  const row = (text: string) => html`<td title="${text}">${text}</td>`;
  const page = html`<tr>${[row(PAYLOAD), row("ok")]}</tr>${trustedHtml("<hr>")}${undefined}${7}`;
  assert.equal(page.text.includes("<script>"), false);
  assert.equal(page.text.includes('onerror="'), false);
  assert.match(page.text, /^<tr><td title="&lt;\/script&gt;/);
  assert.match(page.text, /<td title="ok">ok<\/td><\/tr><hr>7$/);
});

test("JSON for a script element has no < > & or line separators, and parses back to the same value", () => {
  const value = { text: PAYLOAD, lines: "a\u2028b\u2029c", nested: ["<!--", "-->"] };
  const json = jsonForScriptElement(value);
  assert.equal(/[<>&\u2028\u2029]/.test(json), false);
  assert.deepEqual(JSON.parse(json), value);
});
