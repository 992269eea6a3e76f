import { byId } from './dom';

/** Bytes from base64 text (the platform's decoder when it has one). */
function fromBase64(text: string): Uint8Array {
  const U8 = Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array };
  if (typeof U8.fromBase64 === 'function') return U8.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Reads a gzipped, base64 payload embedded in the element with this id, and unzips it with the browser's own DecompressionStream. */
export async function readPayload(id: string): Promise<Uint8Array> {
  const node = byId(id);
  const gz = fromBase64(node.textContent ?? ''); // written without whitespace
  node.textContent = ''; // the text is no longer needed; let it go
  const stream = new Blob([gz as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
