/**
 * Orders units so that samples cut documents as rarely as possible (`--no-split`): each sample
 * takes, while any fits, the largest remaining document that fits its remaining room (best
 * fit, earlier documents first among equals); when none fits, the next document in order
 * completes the sample and is cut there, its remainder opening the next sample. Exact lengths
 * still need that one cut per sample: there is no padding.
 */
export function bestFitOrder<T extends { ids: ArrayLike<number> }>(units: readonly T[], contentLength: number, samples: number): T[] {
  const remaining = units.slice();
  const ordered: T[] = [];
  let room = contentLength;
  for (let sample = 0; sample < samples && remaining.length > 0; sample++) {
    for (;;) {
      const index = bestFit(remaining, room);
      if (index === undefined) break;
      room -= remaining[index]!.ids.length;
      ordered.push(...remaining.splice(index, 1));
      if (room === 0) break;
    }
    if (room === 0) {
      room = contentLength;
      continue;
    }
    // The boundary document: its first `room` tokens end this sample, the rest opens the next.
    const boundary = remaining.shift();
    if (!boundary) break;
    ordered.push(boundary);
    room = contentLength - ((boundary.ids.length - room) % contentLength || contentLength);
    if (room === 0) room = contentLength;
  }
  return ordered.concat(remaining);
}

function bestFit<T extends { ids: ArrayLike<number> }>(units: readonly T[], room: number): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < units.length; i++) {
    const size = units[i]!.ids.length;
    if (size <= room && (best === undefined || size > units[best]!.ids.length)) best = i;
  }
  return best;
}
