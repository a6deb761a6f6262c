/** Completion in k0sctl files and k0s ClusterConfigs: their schemas' keys and values (host roles, providers...). */
import { schemaCompletions, type CompletionCandidate, type CompletionPlace } from '../../schema/complete';
import { schemaDocument } from '../../schema/registry';
import type { CompletionContext } from '../kind';

export function k0sctlComplete(place: CompletionPlace, _context: CompletionContext): CompletionCandidate[] {
  const root = schemaDocument('k0sctl.v1beta1');
  return schemaCompletions(root, root, place);
}

export function k0sConfigComplete(place: CompletionPlace, _context: CompletionContext): CompletionCandidate[] {
  const root = schemaDocument('k0s.v1beta1');
  return schemaCompletions(root, root.definitions.ClusterConfig, place);
}
