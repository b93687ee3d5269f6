/** C0 controls but tab and line feed, DEL, and C1 controls (U+009B is a one-character CSI). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text for a terminal: control characters become visible `\u001b`-style escapes, so corpus or
 * model text quoted in a message (a JSON parse error, a sample preview) cannot move the cursor,
 * recolour, retitle the window or hide what follows. Tabs and line breaks are kept.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
