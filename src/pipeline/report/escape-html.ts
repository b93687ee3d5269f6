const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes text for HTML element content and quoted attribute values. Corpus text, topics, ids
 * and LLM replies are untrusted: every one of them goes through here or through `textContent`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become \u
 * escapes so no `</script>` or `<!--` can end or change the element, and U+2028/U+2029 are
 * escaped too so the text stays valid if someone pastes it into a script.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
