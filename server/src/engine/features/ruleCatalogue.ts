import { RULES } from '../rules/catalogue';

/** The rules as document kinds may show them (the project config's keys): built once. */
export const RULE_SUMMARIES = RULES.map((r) => ({
  id: r.meta.id,
  title: r.meta.title,
  severity: r.meta.severity,
  docs: r.meta.docs,
}));
