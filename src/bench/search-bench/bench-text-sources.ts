import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pythonDocPackage, unpackDebianPackage } from "./debian-packages.js";
import { paragraphsOf, type TextFormat } from "./real-text.js";

/** One Debian package's prose: which files hold it and in which format. */
interface TextSource {
  package: () => string;
  /** Folder inside the unpacked package. */
  folder: (packageName: string) => string;
  /** Which files of that folder (searched recursively) to read. */
  files: RegExp;
  format: TextFormat;
}

/**
 * English documentation any Debian machine can fetch with apt-get: Python's manuals (rst
 * sources), the Debian Administrator's Handbook (English HTML only), the Debian Reference
 * (HTML), the GNU coding and maintainer standards (HTML) and the fortune cookies.
 */
const TEXT_SOURCES: TextSource[] = [
  { package: pythonDocPackage, folder: (name) => `usr/share/doc/${name.replace(/-doc$/, "")}/html/_sources`, files: /\.txt$/, format: "rst" },
  { package: () => "debian-handbook", folder: () => "usr/share/doc/debian-handbook/html/en-US", files: /\.html$/, format: "html" },
  { package: () => "debian-reference-en", folder: () => "usr/share/debian-reference", files: /^(ch|ap).*\.en\.html$/, format: "html" },
  { package: () => "gnu-standards", folder: () => "usr/share/doc/gnu-standards", files: /\.html$/, format: "html" },
  { package: () => "fortunes", folder: () => "usr/share/games/fortunes", files: /^[a-z-]+$/, format: "fortune" },
];

/** A source file's paragraphs, in file order (neighbouring paragraphs share a topic). */
export interface TextFile {
  name: string;
  paragraphs: string[];
}

export interface RealText {
  files: TextFile[];
  /** Debian package name -> version the text came from. */
  packages: Record<string, string>;
}

/** Downloads (once, into `directory`) and reads every text source; files in a stable order. */
export function loadRealText(directory: string): RealText {
  const files: TextFile[] = [];
  const packages: Record<string, string> = {};
  for (const source of TEXT_SOURCES) {
    const name = source.package();
    const root = join(directory, name);
    packages[name] = unpackDebianPackage(name, root);
    const folder = join(root, source.folder(name));
    for (const path of listFiles(folder).filter((file) => source.files.test(file.slice(file.lastIndexOf("/") + 1)))) {
      const paragraphs = paragraphsOf(readFileSync(path, "utf8"), source.format);
      if (paragraphs.length > 0) files.push({ name: `${name}/${relative(folder, path)}`, paragraphs });
    }
  }
  return { files, packages };
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
