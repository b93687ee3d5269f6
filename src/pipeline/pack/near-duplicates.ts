/** MinHash permutations per document; 64 gives a Jaccard estimate within about ±0.06. */
const HASHES = 64;
/** LSH bands x rows = HASHES: pairs sharing any band are compared. */
const BANDS = 16;
const ROWS = HASHES / BANDS;
/** Words per shingle. */
const SHINGLE_WORDS = 5;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Marks documents that are near-duplicates of an earlier one (estimated Jaccard similarity of
 * their word 5-gram sets >= threshold), given their MinHash signatures, with locality-sensitive
 * banding. The first
 * of a group is kept; later ones are flagged. Deterministic: fixed hash seeds.
 */
export function findNearDuplicates(signatures: readonly Uint32Array[], threshold: number): boolean[] {
  const flagged = signatures.map(() => false);
  const buckets = new Map<string, number[]>();
  for (let document = 0; document < signatures.length; document++) {
    const signature = signatures[document]!;
    const candidates = new Set<number>();
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${Array.from(signature.subarray(band * ROWS, (band + 1) * ROWS)).join(",")}`;
      const bucket = buckets.get(key);
      if (bucket) for (const other of bucket) candidates.add(other);
      else buckets.set(key, []);
      buckets.get(key)!.push(document);
    }
    for (const other of candidates) {
      if (!flagged[other] && estimatedJaccard(signature, signatures[other]!) >= threshold) {
        flagged[document] = true;
        break;
      }
    }
  }
  return flagged;
}

/** Fraction of MinHash positions on which two signatures agree. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/**
 * The MinHash signature of a text's word 5-gram shingles (the whole text when shorter). Each
 * shingle is hashed once (from per-word hashes); the HASHES permutations are the cheap
 * multiply-add family a*h + b (a odd), which keeps MinHash small next to tokenization.
 */
export function minHashSignature(text: string): Uint32Array {
  const words = (text.toLowerCase().match(WORD) ?? []).map(fnv1a);
  const signature = new Uint32Array(HASHES).fill(0xffffffff);
  const shingles = Math.max(1, words.length - SHINGLE_WORDS + 1);
  for (let start = 0; start < shingles; start++) {
    let shingle = 0x9e3779b1;
    for (let i = start; i < Math.min(words.length, start + SHINGLE_WORDS); i++) shingle = mix(shingle ^ words[i]!);
    for (let i = 0; i < HASHES; i++) {
      const value = (Math.imul(MULTIPLIERS[i]!, shingle) + ADDENDS[i]!) >>> 0;
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return signature;
}

// Fixed pseudo-random permutation parameters (from the murmur finalizer of the index).
const MULTIPLIERS = Uint32Array.from({ length: HASHES }, (_, i) => mix(2 * i + 1) | 1);
const ADDENDS = Uint32Array.from({ length: HASHES }, (_, i) => mix(2 * i + 2));

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 32-bit finalizer (murmur3's) so combined hashes spread over all bits. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
