import { isStrictIp } from './addresses';
import { MAX_PORT, MIN_PORT } from './portRange';

/** A `scheme://host[:port][/path]` URL split where it can be edited. */
export interface ServerUrl {
  /** Lower case, without "://". */
  scheme: string;
  /** The host without IPv6 brackets. */
  host: string;
  /** Whether the host is an IP address (IPv6 written in brackets). */
  ip: boolean;
  /** The port written; undefined when the URL has none (or an empty one, as in "https://host:"). */
  port?: number;
  /** Offsets into the text: where the host starts (after "://" and any user info), where it ends (brackets included), where the port ends. */
  hostStart: number;
  hostEnd: number;
  authorityEnd: number;
}

const URL_START = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^@/?#]*@)?/;

/**
 * A server URL as Go's net/url reads the parts that matter here: the host (an IPv6 address in
 * brackets), an optional numeric port, then nothing or a path, query or fragment. Undefined for
 * anything else (a bare IPv6 address with a port, a port that is not a number in 1-65535).
 */
export function parseServerUrl(text: string): ServerUrl | undefined {
  const start = URL_START.exec(text);
  if (!start) return undefined;
  const hostStart = start[0].length;
  const end = text.slice(hostStart).search(/[/?#]/);
  const authorityEnd = end < 0 ? text.length : hostStart + end;
  const authority = text.slice(hostStart, authorityEnd);
  const match = /^(\[([^\]]*)\]|[^:[\]]*)(?::(\d*))?$/.exec(authority);
  if (!match) return undefined;
  const bracketed = match[2] !== undefined;
  const host = bracketed ? match[2] : match[1];
  if (!host || (bracketed && !(host.includes(':') && isStrictIp(host)))) return undefined;
  let port: number | undefined;
  if (match[3]) {
    port = Number(match[3]);
    if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) return undefined;
  }
  const hostEnd = hostStart + match[1].length;
  return { scheme: start[1].toLowerCase(), host, ip: bracketed || isStrictIp(host), port, hostStart, hostEnd, authorityEnd };
}

/**
 * The URL with another port, and another host if one is given, every other character kept (the
 * host as written when it stays).
 */
export function withHostPort(text: string, url: ServerUrl, port: number, host?: string): string {
  const written = host === undefined ? text.slice(url.hostStart, url.hostEnd) : host.includes(':') ? `[${host}]` : host;
  return `${text.slice(0, url.hostStart)}${written}:${port}${text.slice(url.authorityEnd)}`;
}
