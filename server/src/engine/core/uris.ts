/** Directory arithmetic on document URIs (file: URIs; anything else is a cluster of its own). */

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file://');
}

/** The URI of the directory holding `uri`, with a trailing slash. */
export function parentDirectory(uri: string): string {
  const slash = uri.lastIndexOf('/', uri.endsWith('/') ? uri.length - 2 : uri.length - 1);
  return slash < 0 ? uri : uri.slice(0, slash + 1);
}

export function asDirectory(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Whether `uri` lies in `directory` or below it. */
export function isWithin(uri: string, directory: string): boolean {
  return uri.startsWith(asDirectory(directory));
}

/** The last path segment of a URI, decoded: how messages name a file. */
export function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
