import { byId } from './dom.js';

/** Bytes from base64 text (the platform's decoder when it has one). */
function fromBase64(text: string): Uint8Array {
  const U8 = Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array };
  if (typeof U8.fromBase64 === 'function') return U8.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Unzips gzip bytes with the browser's own DecompressionStream. */
async function gunzip(gz: Uint8Array): Promise<Uint8Array> {
  // One write and a reader loop: several times faster than going through Blob and Response.
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const written = Promise.all([writer.write(gz as Uint8Array<ArrayBuffer>), writer.close()]);
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.length;
  }
  await written;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads a gzipped, base64 payload embedded in the element with this id. */
export async function readPayload(id: string): Promise<Uint8Array> {
  const node = byId(id);
  const gz = fromBase64(node.textContent ?? ''); // written without whitespace
  node.textContent = ''; // the text is no longer needed; let it go
  return gunzip(gz);
}
