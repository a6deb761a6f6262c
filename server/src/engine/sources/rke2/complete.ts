/** Completion in RKE2/K3s node configs: the distribution's flags with their descriptions, and their enum values. */
import { schemaCompletions, type CompletionCandidate, type CompletionPlace } from '../../schema/complete';
import { schemaDocument } from '../../schema/registry';
import type { CompletionContext } from '../kind';
import type { NodeConfigDocument } from './document';

export function nodeConfigComplete(place: CompletionPlace, context: CompletionContext): CompletionCandidate[] {
  const distribution = (context.document as NodeConfigDocument | undefined)?.distribution ?? 'rke2';
  const root = schemaDocument(distribution);
  return schemaCompletions(root, root, place);
}
