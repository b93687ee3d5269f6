import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Why a package could not be had; benchmarks report it as the reason a peer was skipped. */
export class PackageUnavailableError extends Error {}

let listsUpdated = false;

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function updateListsOnce(): void {
  if (listsUpdated || !isRoot()) return;
  listsUpdated = true;
  spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
}

/**
 * Makes sure a Debian package is installed, installing it with apt-get when we are root.
 * `probe` is a file the package provides; its presence means nothing needs doing.
 */
export function ensureDebianPackage(name: string, probe: string): void {
  if (existsSync(probe)) return;
  if (!isRoot()) throw new PackageUnavailableError(`${name} is not installed (${probe} missing) and installing it needs root: apt-get install ${name}`);
  for (const attempt of [false, true]) {
    if (attempt) updateListsOnce();
    const result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", name], {
      encoding: "utf8",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status === 0 && existsSync(probe)) return;
    if (attempt) throw new PackageUnavailableError(`apt-get install ${name} failed: ${(result.stderr || result.stdout).trim().split("\n").pop()}`);
  }
}

/** Installed version of a Debian package, or undefined. */
export function installedVersion(name: string): string | undefined {
  const result = spawnSync("dpkg-query", ["-W", "-f", "${Version}", name], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Downloads a Debian package (no installation, no root needed once the lists exist) and
 * unpacks it into `directory`, once: an existing directory is reused. Returns the version.
 */
export function unpackDebianPackage(name: string, directory: string): string {
  const versionFile = join(directory, ".version");
  if (existsSync(versionFile)) return readFileSync(versionFile, "utf8").trim();
  const work = `${directory}.download-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    for (const attempt of [false, true]) {
      if (attempt) updateListsOnce();
      if (spawnSync("apt-get", ["download", "-qq", name], { cwd: work, stdio: "ignore" }).status === 0) break;
      if (attempt) throw new PackageUnavailableError(`apt-get download ${name} failed (run 'apt-get update' as root first)`);
    }
    const deb = readdirSync(work).find((file) => file.endsWith(".deb"));
    if (!deb) throw new PackageUnavailableError(`apt-get download ${name} produced no .deb`);
    const version = execFileSync("dpkg-deb", ["-f", join(work, deb), "Version"], { encoding: "utf8" }).trim();
    execFileSync("dpkg-deb", ["-x", join(work, deb), join(work, "root")]);
    writeFileSync(join(work, "root", ".version"), version + "\n");
    rmSync(directory, { recursive: true, force: true });
    renameSync(join(work, "root"), directory);
    return version;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The python3.X-doc package python3-doc points to on this Debian release. */
export function pythonDocPackage(): string {
  const find = () => /Depends: (python3\.\d+-doc)/.exec(spawnSync("apt-cache", ["depends", "python3-doc"], { encoding: "utf8" }).stdout ?? "")?.[1];
  let name = find();
  if (!name) {
    updateListsOnce();
    name = find();
  }
  if (!name) throw new PackageUnavailableError("cannot find Debian's python3-doc package (run 'apt-get update' as root first)");
  return name;
}
