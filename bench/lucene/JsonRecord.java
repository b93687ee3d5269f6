/**
 * Reads the "id" and "text" string fields of one flat JSONL object (the benchmark corpus
 * format), so the harness needs no JSON library beyond what Debian's Lucene packages bring.
 * Other fields are skipped; string escapes are decoded as JSON defines them.
 */
final class JsonRecord {
  private final String line;
  private final String file;
  private final long lineNumber;
  private int position;

  private JsonRecord(String line, String file, long lineNumber) {
    this.line = line;
    this.file = file;
    this.lineNumber = lineNumber;
  }

  static String[] idAndText(String line, String file, long lineNumber) {
    return new JsonRecord(line, file, lineNumber).read();
  }

  private String[] read() {
    String id = null;
    String text = null;
    skipSpace();
    expect('{');
    skipSpace();
    if (peek() == '}') fail("expected fields id and text");
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (peek() != '"') fail("field " + key + " is not a string");
      String value = string();
      if (key.equals("id")) id = value;
      else if (key.equals("text")) text = value;
      skipSpace();
      if (peek() == ',') {
        position++;
        continue;
      }
      expect('}');
      break;
    }
    if (id == null || text == null) fail("expected string fields id and text");
    return new String[] {id, text};
  }

  private String string() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') return value.toString();
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = next();
      switch (escaped) {
        case 'n': value.append('\n'); break;
        case 't': value.append('\t'); break;
        case 'r': value.append('\r'); break;
        case 'b': value.append('\b'); break;
        case 'f': value.append('\f'); break;
        case 'u':
          if (position + 4 > line.length()) fail("truncated \\u escape");
          value.append((char) Integer.parseInt(line.substring(position, position + 4), 16));
          position += 4;
          break;
        default: value.append(escaped);
      }
    }
  }

  private void skipSpace() {
    while (position < line.length() && Character.isWhitespace(line.charAt(position))) position++;
  }

  private char peek() {
    if (position >= line.length()) fail("unexpected end of line");
    return line.charAt(position);
  }

  private char next() {
    char c = peek();
    position++;
    return c;
  }

  private void expect(char wanted) {
    if (next() != wanted) fail("expected '" + wanted + "' at column " + position);
  }

  private void fail(String problem) {
    throw new IllegalArgumentException(file + ":" + lineNumber + ": " + problem);
  }
}
