/**
 * DNS-1123 subdomain: what Kubernetes requires of Node names and kubeadm of
 * nodeRegistration.name. https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
 */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_SUBDOMAIN_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

/** Returns why `name` is not a DNS-1123 subdomain, or undefined when it is one. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_SUBDOMAIN_LENGTH)
    return `the name is ${name.length} characters long; at most ${MAX_SUBDOMAIN_LENGTH} are allowed`;
  if (/[A-Z]/.test(name)) {
    const lower = name.toLowerCase();
    const other = dnsSubdomainProblem(lower);
    return other ? `it has uppercase letters, and ${other}` : `it has uppercase letters; node names are lowercase ("${lower}")`;
  }
  for (const label of name.split('.')) {
    if (label.length === 0) return `"${name}" has an empty label (two dots in a row, or a dot at an end)`;
    if (label.length > MAX_LABEL_LENGTH)
      return `the label "${label}" is ${label.length} characters long; at most ${MAX_LABEL_LENGTH} are allowed`;
    if (!LABEL.test(label)) {
      const bad = /[^-a-z0-9]/.exec(label);
      return bad
        ? `"${name}" contains "${bad[0]}"; only lowercase letters, digits, "-" and "." are allowed`
        : `the label "${label}" must start and end with a letter or digit`;
    }
  }
  return undefined;
}
