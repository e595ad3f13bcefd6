/**
 * Cuts `items` into consecutive chunks a storage transaction can hold: at most `maxCount` items and
 * `maxChars` characters of JSON each (an item larger than `maxChars` gets a chunk of its own).
 */
export function sizeChunks<T>(
  items: readonly T[],
  limits: { maxCount: number; maxChars: number },
  sizeOf: (item: T) => number,
): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let chars = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (chunk.length > 0 && (chunk.length >= limits.maxCount || chars + size > limits.maxChars)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chunk.push(item);
    chars += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
