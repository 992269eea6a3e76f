/**
 * Why writing a file failed, in a few words for a one-line message, from the error's `code`
 * (`permission denied`, `no space left on the device`…); the code itself, or the message,
 * when it is not one a user meets writing an output.
 */
export function describeWriteError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EISDIR':
      return 'is a directory';
    case 'EPIPE':
      return 'the reader of the pipe went away';
    case 'ENXIO':
      return 'no such device, or a socket (which cannot be opened by name)';
    default:
      return code ?? (e as Error).message;
  }
}
