import { isStrictIp } from './addresses';
import { dnsSubdomainProblem } from './hostname';
import { MAX_PORT, MIN_PORT } from './portRange';

export type HostPort = { ok: true; host: string; port?: number } | { ok: false; problem: string };

/**
 * `host[:port]` as kubeadm reads controlPlaneEndpoint and apiServerEndpoint: the host is an
 * IP address or a DNS-1123 subdomain, an IPv6 address with a port is written in brackets.
 */
export function parseHostPort(text: string, portRequired: boolean): HostPort {
  const value = text.trim();
  let host = value;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
    if (!isStrictIp(host) || !host.includes(':')) return { ok: false, problem: `"[${host}]" is not an IPv6 address` };
  } else if ((value.match(/:/g) ?? []).length === 1) {
    [host, portText] = value.split(':');
  }
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < MIN_PORT || Number(portText) > MAX_PORT) {
      return { ok: false, problem: `"${portText}" is not a port number (1-65535)` };
    }
  } else if (portRequired) {
    return { ok: false, problem: 'a port is required, as in 192.168.10.10:6443 or [fd00::10]:6443' };
  }
  if (!bracketed && !isStrictIp(host)) {
    if (host.includes(':')) return { ok: false, problem: `write an IPv6 address with a port in brackets, as in [fd00::10]:6443` };
    const problem = /^[\d.]+$/.test(host) ? `${host} is not an IPv4 address` : dnsSubdomainProblem(host);
    if (problem) return { ok: false, problem: `"${host}" is neither an IP address nor a DNS name: ${problem}` };
  }
  return { ok: true, host, port: portText === undefined ? undefined : Number(portText) };
}

/** The ports of a comma-separated list of URLs (etcd's listen-*-urls); undefined when one does not parse. */
export function portsOfUrls(text: string): number[] | undefined {
  const ports: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      return undefined;
    }
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    if (port === undefined) return undefined;
    ports.push(port);
  }
  return ports.length ? ports : undefined;
}

/** The port of a bind address such as 0.0.0.0:10256, [::]:10256 or :10256; undefined when it has none. */
export function portOfBindAddress(text: string): number | undefined {
  const m = /:(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[1]);
  return port >= MIN_PORT && port <= MAX_PORT ? port : undefined;
}
