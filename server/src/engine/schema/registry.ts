import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import projectConfigSchema from '../../../../schemas/cluster-preflight-config.schema.json';
import inventorySchema from '../../../../schemas/inventory.schema.json';
import kubeProxyV1alpha1 from '../../../../schemas/kube-proxy.v1alpha1.schema.json';
import kubeadmV1beta3 from '../../../../schemas/kubeadm.v1beta3.schema.json';
import kubeadmV1beta4 from '../../../../schemas/kubeadm.v1beta4.schema.json';
import kubeletV1beta1 from '../../../../schemas/kubelet.v1beta1.schema.json';
import k0sV1beta1 from '../../../../schemas/k0s.v1beta1.schema.json';
import k0sctlV1beta1 from '../../../../schemas/k0sctl.v1beta1.schema.json';
import k3sConfig from '../../../../schemas/k3s-config.schema.json';
import rke2Config from '../../../../schemas/rke2-config.schema.json';

/** JSON Schemas of the file kinds we check, compiled once and shared. */
export type SchemaId =
  | 'inventory'
  | 'kubeadm.v1beta4'
  | 'kubeadm.v1beta3'
  | 'kubelet.v1beta1'
  | 'kube-proxy.v1alpha1'
  | 'k0sctl.v1beta1'
  | 'k0s.v1beta1'
  | 'rke2'
  | 'k3s'
  | 'config';

const SCHEMAS: Record<SchemaId, { $id: string }> = {
  inventory: inventorySchema,
  'kubeadm.v1beta4': kubeadmV1beta4,
  'kubeadm.v1beta3': kubeadmV1beta3,
  'kubelet.v1beta1': kubeletV1beta1,
  'kube-proxy.v1alpha1': kubeProxyV1alpha1,
  'k0sctl.v1beta1': k0sctlV1beta1,
  'k0s.v1beta1': k0sV1beta1,
  rke2: rke2Config,
  k3s: k3sConfig,
  config: projectConfigSchema,
};

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    // Added, not compiled: each definition is compiled on first use, so start-up stays fast.
    for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
  }
  return ajv;
}

/** A validator for a whole schema, or for one of its `definitions` when `definition` is given. */
export function validatorFor(schema: SchemaId, definition?: string): ValidateFunction {
  const ref = SCHEMAS[schema].$id + (definition ? `#/definitions/${definition}` : '');
  let validate = compiled.get(ref);
  if (!validate) {
    validate = instance().getSchema(ref);
    if (!validate) throw new Error(`no schema ${ref}`);
    compiled.set(ref, validate);
  }
  return validate;
}

/** Compiles the inventory validators ahead of the first document, so its analysis does not pay for it. */
export function warmUpValidators(): void {
  validatorFor('inventory');
  validatorFor('inventory', 'node');
}

/** The raw schema object, for hovers and completion. */
export function schemaDocument(schema: SchemaId): any {
  return SCHEMAS[schema];
}

/** A schema of ours by its $id, for references between them. */
export function schemaById(id: string): any {
  return Object.values(SCHEMAS).find((schema) => schema.$id === id);
}
